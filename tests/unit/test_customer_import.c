/* test_customer_import.c: the import rules of src/domain/customer_import.c:
 * the columns of each kind, enumerations by code or Chinese label, booleans,
 * instants, the row parsers (every problem reported with its column), value
 * quoting, and what grading and completeness read of a new institution. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/customer_import.h"

static int has_issue(const struct import_issues *is, int col, const char *code)
{
	for (int i = 0; i < is->n; i++)
		if (is->v[i].column == col && !strcmp(is->v[i].code, code))
			return 1;
	return 0;
}

static void test_columns(void **state)
{
	int n;
	const struct import_column *c;
	(void)state;
	c = import_columns(IMPORT_INSTITUTIONS, &n);
	assert_int_equal(n, IC_NCOLS);
	assert_int_equal(n, 25);
	assert_string_equal(c[IC_BUDGET].name, "budget_yuan");
	assert_true(c[IC_NAME].flags & IMPORT_REQUIRED);
	assert_true(c[IC_PROVINCE].flags & IMPORT_REQUIRED);
	assert_true(c[IC_CITY].flags & IMPORT_REQUIRED);
	assert_false(c[IC_LEVEL].flags & IMPORT_REQUIRED);
	c = import_columns(IMPORT_DEPARTMENTS, &n);
	assert_int_equal(n, 7);
	c = import_columns(IMPORT_CONTACTS, &n);
	assert_int_equal(n, 19);
	assert_string_equal(c[CC_CREATED_AT].name, "created_at");
	assert_int_equal(import_column_find(IMPORT_CONTACTS, "mobile"), CC_MOBILE);
	assert_int_equal(import_column_find(IMPORT_CONTACTS, "Mobile"), -1);
	assert_int_equal(import_column_find(IMPORT_DEPARTMENTS, "institution_city"), DC_INST_CITY);
	assert_int_equal(import_kind_parse("institutions"), IMPORT_INSTITUTIONS);
	assert_int_equal(import_kind_parse("contacts"), IMPORT_CONTACTS);
	assert_int_equal(import_kind_parse("needs"), -1);
	assert_int_equal(import_kind_parse(NULL), -1);
	assert_string_equal(import_kind_name(IMPORT_DEPARTMENTS), "departments");
	assert_string_equal(import_code("too_long"), "too_long");
	assert_string_equal(import_code("weird"), "invalid");
	assert_string_equal(import_code(NULL), "invalid");
}

static void test_enums(void **state)
{
	(void)state;
	assert_string_equal(import_enum(inst_levels, import_level_labels, "L3"), "L3");
	assert_string_equal(import_enum(inst_levels, import_level_labels, "l2"), "L2");
	assert_string_equal(import_enum(inst_levels, import_level_labels, "三级"), "L3");
	assert_string_equal(import_enum(inst_levels, import_level_labels, "未定级"), "UNGRADED");
	assert_null(import_enum(inst_levels, import_level_labels, "L9"));
	assert_null(import_enum(inst_levels, import_level_labels, "三"));
	assert_string_equal(import_enum(inst_classes, import_class_labels, "甲"), "A");
	assert_string_equal(import_enum(inst_classes, import_class_labels, "丙等"), "C");
	assert_string_equal(import_enum(inst_types, import_type_labels, "社区卫生服务中心"), "CHC");
	assert_string_equal(import_enum(inst_types, import_type_labels, "独立医学实验室"), "ICL");
	assert_string_equal(import_enum(inst_types, import_type_labels, "体检中心"), "CHECKUP");
	assert_string_equal(import_enum(inst_types, NULL, "tcm"), "TCM");
	assert_string_equal(import_enum(contact_stances, NULL, "Supporter"), "supporter");
}

static void test_bool_instant(void **state)
{
	int b = -1;
	int64_t t = 0;
	(void)state;
	assert_int_equal(import_parse_bool("true", &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(import_parse_bool("是", &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(import_parse_bool("0", &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(import_parse_bool("否", &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(import_parse_bool("FALSE", &b), 0);
	assert_int_equal(import_parse_bool("2", &b), -1);
	assert_int_equal(import_parse_bool("", &b), -1);
	/* Python: datetime(2024,3,1,tzinfo=+08:00).timestamp() */
	assert_int_equal(import_parse_instant("2024-03-01", &t), 0);
	assert_int_equal(t, 1709222400);
	assert_int_equal(import_parse_instant("2021-05-06T10:00:00+08:00", &t), 0);
	assert_int_equal(t, 1620266400);
	assert_int_equal(import_parse_instant("2021-05-06T02:00:00Z", &t), 0);
	assert_int_equal(t, 1620266400);
	assert_int_equal(import_parse_instant("2021-02-30", &t), -1);
	assert_int_equal(import_parse_instant("yesterday", &t), -1);
}

static void test_quote(void **state)
{
	char q[64], tiny[12];
	char long_text[100];
	(void)state;
	import_quote("L9", q, sizeof(q));
	assert_string_equal(q, "L9");
	import_quote("\xff\xfe", q, sizeof(q));
	assert_string_equal(q, "\xE2\x80\xA6");
	memset(long_text, 'x', 99);
	long_text[99] = '\0';
	import_quote(long_text, q, sizeof(q));
	assert_int_equal(strlen(q), 40 + 3);
	/* cut on a character boundary: 医 is 3 bytes */
	import_quote("医院医院医院", tiny, sizeof(tiny));
	assert_string_equal(tiny, "医院\xE2\x80\xA6");
}

static void test_inst_row(void **state)
{
	const char *v[IC_NCOLS] = { 0 };
	struct inst_row r;
	struct import_issues is = { 0 };
	(void)state;
	v[IC_NAME] = "测试医院";
	v[IC_PROVINCE] = "SH";
	v[IC_CITY] = "上海";
	v[IC_LEVEL] = "三级";
	v[IC_CLASS] = "甲";
	v[IC_TYPE] = "综合医院";
	v[IC_BEDS] = "1200";
	v[IC_TEACHING] = "是";
	v[IC_BUDGET] = "5000000.50";
	v[IC_LATITUDE] = "31.2";
	v[IC_LONGITUDE] = "121.5";
	v[IC_CREATED_AT] = "2024-03-01";
	v[IC_OWNER] = "rep.sh1";
	v[IC_ADDRESS] = "";
	assert_int_equal(inst_row_parse(v, &r, &is), 0);
	assert_string_equal(r.level, "L3");
	assert_string_equal(r.class_, "A");
	assert_string_equal(r.type, "GENERAL");
	assert_int_equal(r.beds, 1200);
	assert_int_equal(r.is_teaching, 1);
	assert_int_equal(r.budget_fen, 500000050);
	assert_true(r.has_location);
	assert_int_equal(r.created_at, 1709222400);
	assert_string_equal(r.owner_username, "rep.sh1");
	assert_null(r.address); /* empty is absent */
	assert_true(r.annual_outpatients == IMPORT_UNSET);
	assert_int_equal(r.relationship, IMPORT_UNSET);

	/* Every bad value is reported, each with its column. */
	memset(v, 0, sizeof(v));
	v[IC_NAME] = "x";
	v[IC_LEVEL] = "L9";
	v[IC_BEDS] = "-1";
	v[IC_TEACHING] = "maybe";
	v[IC_BUDGET] = "1.234";
	v[IC_LATITUDE] = "31.2";
	v[IC_RELATIONSHIP] = "6";
	v[IC_CREATED_BY] = "Bad User";
	v[IC_CREATED_AT] = "soon";
	v[IC_ALIASES] = "a\x01b";
	assert_int_equal(inst_row_parse(v, &r, &is), 11);
	assert_true(has_issue(&is, IC_PROVINCE, "required"));
	assert_true(has_issue(&is, IC_CITY, "required"));
	assert_true(has_issue(&is, IC_LEVEL, "invalid"));
	for (int i = 0; i < is.n; i++)
		if (is.v[i].column == IC_LEVEL)
			assert_string_equal(is.v[i].message, "unknown value 'L9'");
	assert_true(has_issue(&is, IC_ALIASES, "invalid"));
	assert_true(has_issue(&is, IC_BEDS, "out_of_range"));
	assert_true(has_issue(&is, IC_TEACHING, "invalid"));
	assert_true(has_issue(&is, IC_BUDGET, "invalid"));
	assert_true(has_issue(&is, IC_LONGITUDE, "required"));
	assert_true(has_issue(&is, IC_RELATIONSHIP, "out_of_range"));
	assert_true(has_issue(&is, IC_CREATED_BY, "invalid"));
	assert_true(has_issue(&is, IC_CREATED_AT, "invalid"));
	assert_true(has_issue(&is, IC_ALIASES, "invalid"));

	/* Outside China. */
	is.n = 0;
	memset(v, 0, sizeof(v));
	v[IC_NAME] = "x";
	v[IC_PROVINCE] = "SH";
	v[IC_CITY] = "y";
	v[IC_LATITUDE] = "60";
	v[IC_LONGITUDE] = "121";
	assert_int_equal(inst_row_parse(v, &r, &is), 1);
	assert_true(has_issue(&is, IC_LATITUDE, "out_of_range"));
	assert_false(r.has_location);
	/* Not a latitude at all (999) is out of range, said once; not a
	 * number (abc) is invalid. */
	is.n = 0;
	v[IC_LATITUDE] = "999";
	assert_int_equal(inst_row_parse(v, &r, &is), 1);
	assert_int_equal(is.n, 1);
	assert_true(has_issue(&is, IC_LATITUDE, "out_of_range"));
	is.n = 0;
	v[IC_LATITUDE] = "abc";
	assert_int_equal(inst_row_parse(v, &r, &is), 1);
	assert_int_equal(is.n, 1);
	assert_true(has_issue(&is, IC_LATITUDE, "invalid"));
}

static void test_dept_contact_rows(void **state)
{
	const char *d[DC_NCOLS] = { "医院", "上海", "放射科", "医技", "IMAGING", "20", NULL };
	const char *c[CC_NCOLS] = { 0 };
	struct dept_row dr;
	struct contact_row cr;
	struct import_issues is = { 0 };
	(void)state;
	assert_int_equal(dept_row_parse(d, &dr, &is), 0);
	assert_string_equal(dr.category, "MEDTECH");
	assert_string_equal(dr.function, "IMAGING");
	assert_int_equal(dr.beds, 20);
	d[DC_FUNCTION] = "影像";
	d[DC_BEDS] = "5001";
	d[DC_NAME] = NULL;
	assert_int_equal(dept_row_parse(d, &dr, &is), 3);
	assert_true(has_issue(&is, DC_FUNCTION, "invalid"));
	assert_true(has_issue(&is, DC_BEDS, "out_of_range"));
	assert_true(has_issue(&is, DC_NAME, "required"));

	is.n = 0;
	c[CC_INST_NAME] = "医院";
	c[CC_INST_CITY] = "上海";
	c[CC_NAME] = "张三";
	c[CC_GENDER] = "男";
	c[CC_ROLE] = "决策者";
	c[CC_STANCE] = "支持";
	c[CC_KOL_TIER] = "省级";
	c[CC_INFLUENCE] = "5";
	c[CC_MOBILE] = "+86 138-0013-8000";
	c[CC_CONSENT] = "2024-01-31";
	c[CC_OFFICIAL] = "否";
	assert_int_equal(contact_row_parse(c, "2026-12-08", &cr, &is), 0);
	assert_string_equal(cr.v.gender, "M");
	assert_string_equal(cr.v.decision_role, "DECISION_MAKER");
	assert_string_equal(cr.v.stance, "supporter");
	assert_string_equal(cr.v.kol_tier, "provincial");
	assert_int_equal(cr.v.influence, 5);
	assert_int_equal(cr.is_public_official, 0);
	assert_int_equal(cr.created_at, IMPORT_UNSET);
	c[CC_MOBILE] = "12345";
	c[CC_EMAIL] = "not-an-email";
	c[CC_CONSENT] = "2024-02-30";
	c[CC_INFLUENCE] = "0";
	c[CC_GENDER] = "X";
	assert_int_equal(contact_row_parse(c, "2026-12-08", &cr, &is), 5);
	assert_true(has_issue(&is, CC_MOBILE, "invalid"));
	assert_true(has_issue(&is, CC_EMAIL, "invalid"));
	assert_true(has_issue(&is, CC_CONSENT, "invalid"));
	assert_true(has_issue(&is, CC_INFLUENCE, "out_of_range"));
	assert_true(has_issue(&is, CC_GENDER, "invalid"));
	assert_null(cr.v.mobile);
}

/* Issue 11: a consent date after today was imported while the API refused
 * it; an import row now meets the API's rules (customer_check_contact). */
static void test_contact_row_api_rules(void **state)
{
	const char *c[CC_NCOLS] = { 0 };
	struct contact_row cr;
	struct import_issues is = { 0 };
	(void)state;
	c[CC_INST_NAME] = "医院";
	c[CC_INST_CITY] = "上海";
	c[CC_NAME] = "张三";
	c[CC_CONSENT] = "2026-12-08";
	assert_int_equal(contact_row_parse(c, "2026-12-08", &cr, &is), 0);
	assert_string_equal(cr.v.consent_date, "2026-12-08");
	c[CC_CONSENT] = "2026-12-09";
	assert_int_equal(contact_row_parse(c, "2026-12-08", &cr, &is), 1);
	assert_true(has_issue(&is, CC_CONSENT, "out_of_range"));
	assert_null(cr.v.consent_date);
	is.n = 0;
	c[CC_CONSENT] = NULL;
	c[CC_MOBILE] = "13800138000";
	c[CC_EMAIL] = "a@b";
	assert_int_equal(contact_row_parse(c, "2026-12-08", &cr, &is), 1);
	assert_true(has_issue(&is, CC_EMAIL, "invalid"));
	assert_string_equal(cr.v.mobile, "13800138000");
}

static void test_new_institution_grade(void **state)
{
	const char *v[IC_NCOLS] = { 0 };
	struct inst_row r;
	struct import_issues is = { 0 };
	struct grade_input in;
	double filled[24];
	(void)state;
	v[IC_NAME] = "x";
	v[IC_PROVINCE] = "SH";
	v[IC_CITY] = "y";
	v[IC_LEVEL] = "L3";
	v[IC_BEDS] = "800";
	v[IC_ADDRESS] = "z";
	v[IC_INSTALLED] = "0";
	v[IC_TYPE] = "OTHER";
	assert_int_equal(inst_row_parse(v, &r, &is), 0);
	inst_row_grade_input(&r, &in);
	assert_string_equal(in.level, "L3");
	assert_string_equal(in.class_, "NONE");
	assert_string_equal(in.status, "prospect");
	assert_int_equal(in.beds, 800);
	assert_int_equal(in.budget_fen, -1);
	assert_int_equal(in.relationship, 0);
	assert_int_equal(in.key_contacts, 0);
	inst_row_filled(&r, filled, 24);
	/* level class type ownership beds outpatients address location
	 * segment budget network relationship installed departments
	 * key_contacts needs, then the contact fields */
	const double want[24] = { 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	for (int i = 0; i < 24; i++)
		assert_true(filled[i] == want[i]);
}

/* OWASP's list: = + - @ tab CR first, also after single quotes. */
static void test_formula_guard(void **state)
{
	static const struct {
		const char *s;
		int guarded;
	} cases[] = {
		{ "=HYPERLINK(\"http://x\",\"y\")", 1 },
		{ "+1", 1 },
		{ "-1+2", 1 },
		{ "@SUM(A1)", 1 },
		{ "\tx", 1 },
		{ "\rx", 1 },
		{ "'=x", 1 },
		{ "''+x", 1 },
		{ "=", 1 },
		{ "", 0 },
		{ "a=b", 0 },
		{ "'", 0 },
		{ "''", 0 },
		{ "'abc", 0 },
		{ " =1", 0 },
		{ "中=1", 0 },
		{ "1-2", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (import_formula_guarded(cases[i].s) != cases[i].guarded)
			fail_msg("'%s': guarded should be %d", cases[i].s, cases[i].guarded);
}

static void test_formula_unguard(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "'=x", "=x" },   { "'+1", "+1" },   { "'-1", "-1" },	  { "'@a", "@a" },
		{ "'\tx", "\tx" }, { "''=x", "'=x" }, { "'abc", "'abc" }, { "'", "'" },
		{ "=x", "=x" },	   { "", "" },	      { "abc", "abc" },
	};
	static const char *const values[] = { "=1+1", "'=1+1", "''@x", "'",  "'a",
					      "a",    "-",     "",     "\t", "+86 138" };
	char buf[64];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(import_formula_unguard(cases[i].in), cases[i].out);
	/* The round trip: what the export writes, the import reads back. */
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", import_formula_guarded(values[i]) ? "'" : "",
			 values[i]);
		assert_string_equal(import_formula_unguard(buf), values[i]);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_bool_instant),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_formula_unguard),
		cmocka_unit_test(test_inst_row),
		cmocka_unit_test(test_dept_contact_rows),
		cmocka_unit_test(test_contact_row_api_rules),
		cmocka_unit_test(test_new_institution_grade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
