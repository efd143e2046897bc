/* test_customer.c: the customer-master rules of src/domain/customer.c:
 * grading against points worked out by hand, thresholds, the model check,
 * the completeness score, name and mobile keys, and key contacts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <jansson.h>
#include <stdlib.h>

#include "domain/customer.h"

static void base_input(struct grade_input *in)
{
	memset(in, 0, sizeof(*in));
	in->level = "UNGRADED";
	in->class_ = "NONE";
	in->status = "prospect";
	in->network_role = "NONE";
	in->beds = -1;
	in->budget_fen = -1;
}

/* L3 class A, 1500 beds, 10M yuan budget, 10 installed units; 4 key
 * contacts of whom 2 supporters and 1 opponent, relationship 5, active;
 * teaching, one national and one provincial KOL, leads a network.
 * potential 40+20+25+15 = 100; willingness 30-7+30+25 = 78;
 * influence 25+30+40+30 = 125 -> 100; score (100*50+78*25+100*25+50)/100
 * = 95 -> A. */
static void test_grade_top(void **state)
{
	struct grading_model m;
	struct grade_input in;
	struct grade_result r;
	(void)state;
	grading_model_default(&m);
	base_input(&in);
	in.level = "L3";
	in.class_ = "A";
	in.beds = 1500;
	in.budget_fen = 1000000000;
	in.installed_units = 10;
	in.key_contacts = 4;
	in.key_supporters = 2;
	in.key_opponents = 1;
	in.relationship = 5;
	in.status = "active";
	in.is_teaching = 1;
	in.kol_national = 1;
	in.kol_provincial = 1;
	in.network_role = "LEAD";
	grade_compute(&m, &in, &r);
	assert_int_equal(r.p_level, 40);
	assert_int_equal(r.p_beds, 20);
	assert_int_equal(r.p_budget, 25);
	assert_int_equal(r.p_installed, 15);
	assert_int_equal(r.potential, 100);
	assert_int_equal(r.w_supporters, 30);
	assert_int_equal(r.w_opponents, -7);
	assert_int_equal(r.w_relationship, 30);
	assert_int_equal(r.w_history, 25);
	assert_int_equal(r.willingness, 78);
	assert_int_equal(r.i_hub, 25);
	assert_int_equal(r.i_teaching, 30);
	assert_int_equal(r.i_kol, 40);
	assert_int_equal(r.i_network, 30);
	assert_int_equal(r.influence, 100);
	assert_int_equal(r.score, 95);
	assert_int_equal(r.grade, 'A');
}

/* L2 class B, 300 beds, 3M yuan, 1 unit: 12+10+18+5 = 45; no key
 * contacts, relationship 3, dormant: 18+5 = 23; two city KOLs, network
 * member: 16+5 = 21; (45*50+23*25+21*25+50)/100 = 34 -> C. */
static void test_grade_middle(void **state)
{
	struct grading_model m;
	struct grade_input in;
	struct grade_result r;
	(void)state;
	grading_model_default(&m);
	base_input(&in);
	in.level = "L2";
	in.class_ = "B";
	in.beds = 300;
	in.budget_fen = 300000000;
	in.installed_units = 1;
	in.relationship = 3;
	in.status = "dormant";
	in.kol_city = 2;
	in.network_role = "MEMBER";
	grade_compute(&m, &in, &r);
	assert_int_equal(r.potential, 45);
	assert_int_equal(r.willingness, 23);
	assert_int_equal(r.influence, 21);
	assert_int_equal(r.score, 34);
	assert_int_equal(r.grade, 'C');
	/* Weights all on potential: the score is the potential. */
	m.w_potential = 100;
	m.w_willingness = m.w_influence = 0;
	grade_compute(&m, &in, &r);
	assert_int_equal(r.score, 45);
	assert_int_equal(r.grade, 'B');
}

static void test_grade_empty_and_steps(void **state)
{
	struct grading_model m;
	struct grade_input in;
	struct grade_result r;
	static const struct {
		int64_t beds;
		int points;
	} beds[] = { { 1499, 15 }, { 800, 15 }, { 799, 10 }, { 300, 10 },
		     { 299, 5 },   { 100, 5 },	{ 99, 0 },   { -1, 0 } };
	(void)state;
	grading_model_default(&m);
	base_input(&in);
	grade_compute(&m, &in, &r);
	assert_int_equal(r.potential, 2); /* ungraded */
	assert_int_equal(r.willingness, 0);
	assert_int_equal(r.influence, 0);
	assert_int_equal(r.score, 1); /* (2*50+50)/100 */
	assert_int_equal(r.grade, 'C');
	for (size_t i = 0; i < sizeof(beds) / sizeof(beds[0]); i++) {
		in.beds = beds[i].beds;
		grade_compute(&m, &in, &r);
		assert_int_equal(r.p_beds, beds[i].points);
	}
	/* Opponents only: willingness never goes below 0. */
	in.key_contacts = 2;
	in.key_opponents = 2;
	grade_compute(&m, &in, &r);
	assert_int_equal(r.w_opponents, -30);
	assert_int_equal(r.willingness, 0);
}

static void test_thresholds(void **state)
{
	struct grading_model m;
	(void)state;
	grading_model_default(&m);
	assert_int_equal(grade_of_score(&m, 100), 'A');
	assert_int_equal(grade_of_score(&m, 70), 'A');
	assert_int_equal(grade_of_score(&m, 69), 'B');
	assert_int_equal(grade_of_score(&m, 40), 'B');
	assert_int_equal(grade_of_score(&m, 39), 'C');
	assert_int_equal(grade_of_score(&m, 0), 'C');
	m.threshold_a = 90;
	m.threshold_b = 10;
	assert_int_equal(grade_of_score(&m, 89), 'B');
	assert_int_equal(grade_of_score(&m, 10), 'B');
	assert_int_equal(grade_of_score(&m, 9), 'C');
}

static void test_model_check(void **state)
{
	struct grading_model m, bad;
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	grading_model_default(&m);
	assert_int_equal(grading_model_check(&m, &e), MS_OK);
	bad = m;
	bad.w_influence = 24;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	assert_string_equal(e.field, "weights");
	bad = m;
	bad.w_potential = -10;
	bad.w_willingness = 85;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	bad = m;
	bad.threshold_a = bad.threshold_b;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	assert_string_equal(e.field, "threshold_a");
	bad = m;
	bad.threshold_b = 0;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	bad = m;
	bad.threshold_a = 101;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	bad = m;
	bad.visits_a = 32;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	assert_string_equal(e.code, "out_of_range");
	bad = m;
	bad.visits_a = 1;
	assert_int_equal(grading_model_check(&bad, &e), MS_EINVAL);
	assert_string_equal(e.code, "invalid");
}

static void test_completeness(void **state)
{
	const struct completeness_field f[] = { { "a", 10 }, { "b", 0 }, { "c", 30 }, { "d", 20 } };
	const double filled[] = { 1.0, 0.0, 0.5, 1.5 };
	const struct completeness_field none[] = { { "a", 0 } };
	size_t missing[4], n = 99;
	(void)state;
	/* (10 + 15 + 20) / 60 = 75 */
	assert_int_equal(completeness_score(f, 4, filled, missing, &n), 75);
	assert_int_equal(n, 1);
	assert_int_equal(missing[0], 2);
	/* (10 + 15) / 40 = 62.5, rounded half up */
	assert_int_equal(completeness_score(f, 3, filled, missing, &n), 63);
	assert_int_equal(completeness_score(none, 1, filled, missing, &n), 100);
	assert_int_equal(n, 0);
}

static void test_name_key(void **state)
{
	char a[128], b[128], small[8];
	(void)state;
	customer_name_key("北京协和医院 (东院)", a, sizeof(a));
	customer_name_key("北京协和医院(东院)", b, sizeof(b));
	assert_string_equal(a, b);
	assert_string_equal(a, "北京协和医院东院");
	customer_name_key("北京协和医院（东院）", b, sizeof(b)); /* full-width brackets */
	assert_string_equal(a, b);
	customer_name_key("北京协和医院【东院】", b, sizeof(b)); /* CJK brackets */
	assert_string_equal(a, b);
	customer_name_key("ＡＢＣ Hospital", a, sizeof(a));
	assert_string_equal(a, "abchospital");
	customer_name_key("A-B·C　D", a, sizeof(a)); /* ideographic space */
	assert_string_equal(a, "abcd");
	customer_name_key("", a, sizeof(a));
	assert_string_equal(a, "");
	/* The output is cut on a character boundary. */
	customer_name_key("医院医院", small, sizeof(small));
	assert_string_equal(small, "医院");
}

static void test_mobile(void **state)
{
	char k[32];
	(void)state;
	customer_mobile_key("+86 138-0013-8000", k, sizeof(k));
	assert_string_equal(k, "13800138000");
	customer_mobile_key("8613800138000", k, sizeof(k));
	assert_string_equal(k, "13800138000");
	customer_mobile_key("138 0013 8000", k, sizeof(k));
	assert_string_equal(k, "13800138000");
	customer_mobile_key("", k, sizeof(k));
	assert_string_equal(k, "");
	assert_true(customer_mobile_valid("13800138000"));
	assert_true(customer_mobile_valid("+86 139 0000 0000"));
	assert_false(customer_mobile_valid("12800138000"));
	assert_false(customer_mobile_valid("1380013800"));
	assert_false(customer_mobile_valid("23800138000"));
	assert_false(customer_mobile_valid("010-12345678"));
}

static void test_key_contact(void **state)
{
	(void)state;
	assert_true(contact_is_key("USER", 4));
	assert_false(contact_is_key("USER", 3));
	assert_true(contact_is_key("DECISION_MAKER", 1));
	assert_true(contact_is_key("INFLUENCER", 1));
	assert_true(contact_is_key("GATEKEEPER", 1));
	assert_false(contact_is_key("PROCUREMENT", 3));
	assert_false(contact_is_key("FINANCE", 3));
	assert_true(contact_is_key(NULL, 5));
	assert_false(contact_is_key(NULL, 1));
}

/* The contact rules shared by the API and the import (issue 11). */
static void test_check_contact(void **state)
{
	static const char *const want[][2] = {
		{ "name", "required" },
		{ "gender", "invalid" },
		{ "decision_role", "invalid" },
		{ "influence", "out_of_range" },
		{ "mobile", "invalid" },
		{ "email", "invalid" },
		{ "consent_date", "out_of_range" },
	};
	struct contact_values v;
	struct ms_error e[8];
	(void)state;
	contact_values_init(&v);
	assert_int_equal(customer_check_contact(&v, "2026-12-08", e, 8), 0);
	v.name = "张三";
	v.gender = "";
	v.consent_date = "2026-12-08";
	v.influence = 5;
	v.mobile = "+86 138-0013-8000";
	assert_int_equal(customer_check_contact(&v, "2026-12-08", e, 8), 0);
	v.name = "";
	v.gender = "X";
	v.decision_role = "BOSS";
	v.influence = 0;
	v.mobile = "12345";
	v.email = "nobody";
	v.consent_date = "2026-12-09";
	assert_int_equal(customer_check_contact(&v, "2026-12-08", e, 8), 7);
	for (int i = 0; i < 7; i++) {
		assert_string_equal(e[i].field, want[i][0]);
		assert_string_equal(e[i].code, want[i][1]);
	}
	/* only the first when max is 1; the count goes on */
	assert_int_equal(customer_check_contact(&v, "2026-12-08", e, 1), 7);
	assert_string_equal(e[0].field, "name");
	contact_values_init(&v);
	v.consent_date = "";
	assert_int_equal(customer_check_contact(&v, "2026-12-08", e, 8), 1);
	assert_string_equal(e[0].code, "invalid");
	contact_values_init(&v);
	v.title = "\x01";
	assert_int_equal(customer_check_contact(&v, "2026-12-08", e, 8), 1);
	assert_string_equal(e[0].field, "title");
}

/* The stored explanation is byte for byte what jansson writes for the same
 * document (compact, keys sorted), for extreme and ordinary values. */
static void test_coverage_and_consent_dates(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	/* From the 1st of today's month to a year (366 days) ahead. */
	assert_int_equal(customer_check_coverage_date("2026-11-01", "2026-11-27", "valid_from", &e),
			 MS_OK);
	assert_int_equal(customer_check_coverage_date("2027-11-28", "2026-11-27", "valid_from", &e),
			 MS_OK);
	assert_int_equal(customer_check_coverage_date("2026-10-31", "2026-11-27", "valid_to", &e),
			 MS_EINVAL);
	assert_string_equal(e.code, "out_of_range");
	assert_string_equal(e.field, "valid_to");
	assert_non_null(strstr(e.message, "2026-11-01"));
	assert_int_equal(customer_check_coverage_date("2027-11-29", "2026-11-27", "valid_from", &e),
			 MS_EINVAL);
	assert_string_equal(e.field, "valid_from");
	/* Consent: today or before; none given is fine. */
	assert_int_equal(customer_check_consent_date("2026-11-27", "2026-11-27", &e), MS_OK);
	assert_int_equal(customer_check_consent_date(NULL, "2026-11-27", &e), MS_OK);
	assert_int_equal(customer_check_consent_date("", "2026-11-27", &e), MS_OK);
	assert_int_equal(customer_check_consent_date("2026-11-28", "2026-11-27", &e), MS_EINVAL);
	assert_string_equal(e.field, "consent_date");
}

static void test_grade_details_json(void **state)
{
	struct grade_result g = {
		.potential = 100,
		.willingness = -30,
		.influence = 7,
		.score = 58,
		.grade = 'B',
		.p_level = 40,
		.p_beds = 20,
		.p_budget = 25,
		.p_installed = 15,
		.w_supporters = 60,
		.w_opponents = -30,
		.w_relationship = 30,
		.w_history = 25,
		.i_hub = 25,
		.i_teaching = 30,
		.i_kol = 40,
		.i_network = 30,
	};
	char buf[GRADE_DETAILS_MAX], small[40];
	(void)state;
	for (int round = 0; round < 2; round++) {
		json_t *d = json_pack("{s:{s:i, s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i, s:i, s:i}, "
				      "s:{s:i, s:i, s:i, s:i, s:i}, s:i, s:s%}",
				      "potential", "score", g.potential, "level", g.p_level, "beds",
				      g.p_beds, "budget", g.p_budget, "installed", g.p_installed,
				      "willingness", "score", g.willingness, "supporters",
				      g.w_supporters, "opponents", g.w_opponents, "relationship",
				      g.w_relationship, "history", g.w_history, "influence",
				      "score", g.influence, "hub", g.i_hub, "teaching",
				      g.i_teaching, "kol", g.i_kol, "network", g.i_network, "score",
				      g.score, "grade", &g.grade, (size_t)1);
		char *want = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
		int len = grade_details_json(&g, buf, sizeof(buf));
		assert_non_null(want);
		assert_string_equal(buf, want);
		assert_int_equal(len, (int)strlen(want));
		free(want);
		json_decref(d);
		memset(&g, 0, sizeof(g)); /* then all zeros, grade C */
		g.grade = 'C';
	}
	assert_int_equal(grade_details_json(&g, small, sizeof(small)), -1);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grade_top),
		cmocka_unit_test(test_grade_middle),
		cmocka_unit_test(test_grade_empty_and_steps),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_model_check),
		cmocka_unit_test(test_completeness),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_mobile),
		cmocka_unit_test(test_key_contact),
		cmocka_unit_test(test_grade_details_json),
		cmocka_unit_test(test_coverage_and_consent_dates),
		cmocka_unit_test(test_check_contact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
