/* customer_import.c: the column lists, label tables and row parsers of
 * customer_import.h. Pure: no I/O; the database checks (references,
 * duplicates against stored records) are made by src/api/import.c. */
#include "domain/customer_import.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/parse.h"
#include "domain/pipeline.h"
#include "domain/user.h"

#define R IMPORT_REQUIRED

static const struct import_column inst_columns[] = {
	{ "name", R },
	{ "aliases", 0 },
	{ "province_code", R },
	{ "city", R },
	{ "district", 0 },
	{ "address", 0 },
	{ "latitude", 0 },
	{ "longitude", 0 },
	{ "level", 0 },
	{ "class", 0 },
	{ "ownership", 0 },
	{ "type", 0 },
	{ "beds", 0 },
	{ "annual_outpatients", 0 },
	{ "is_teaching", 0 },
	{ "network", 0 },
	{ "network_role", 0 },
	{ "segment_code", 0 },
	{ "status", 0 },
	{ "budget_yuan", 0 },
	{ "installed_units", 0 },
	{ "relationship", 0 },
	{ "owner_username", 0 },
	{ "created_by_username", 0 },
	{ "created_at", 0 },
	{ NULL, 0 },
};

static const struct import_column dept_columns[] = {
	{ "institution_name", R },
	{ "institution_city", R },
	{ "name", R },
	{ "category", 0 },
	{ "function", 0 },
	{ "beds", 0 },
	{ "notes", 0 },
	{ NULL, 0 },
};

static const struct import_column product_columns[] = {
	{ "product_line_code", R },
	{ "name", R },
	{ "spec", 0 },
	{ "registration_no", 0 },
	{ "registration_expiry", 0 },
	{ "device_class", 0 },
	{ "list_price_yuan", 0 },
	{ "active", 0 },
	{ NULL, 0 },
};

static const struct import_column contact_columns[] = {
	{ "institution_name", R },
	{ "institution_city", R },
	{ "department_name", 0 },
	{ "name", R },
	{ "gender", 0 },
	{ "title", 0 },
	{ "position", 0 },
	{ "decision_role", 0 },
	{ "influence", 0 },
	{ "stance", 0 },
	{ "kol_tier", 0 },
	{ "kol_speciality", 0 },
	{ "mobile", 0 },
	{ "email", 0 },
	{ "wechat", 0 },
	{ "consent_date", 0 },
	{ "is_public_official", 0 },
	{ "created_by_username", 0 },
	{ "created_at", 0 },
	{ NULL, 0 },
};

static const char *const kind_names[] = { "institutions", "departments", "contacts", "products" };

int import_kind_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

const char *import_kind_name(enum import_kind k)
{
	return (unsigned)k < 4 ? kind_names[k] : "";
}

const struct import_column *import_columns(enum import_kind k, int *n)
{
	switch (k) {
	case IMPORT_INSTITUTIONS: *n = IC_NCOLS; return inst_columns;
	case IMPORT_DEPARTMENTS: *n = DC_NCOLS; return dept_columns;
	case IMPORT_CONTACTS: *n = CC_NCOLS; return contact_columns;
	case IMPORT_PRODUCTS: *n = PC_NCOLS; return product_columns;
	}
	*n = 0;
	return NULL;
}

int import_column_find(enum import_kind k, const char *name)
{
	int n;
	const struct import_column *c = import_columns(k, &n);
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return i;
	return -1;
}

/* ---- labels ---- */

const char *const import_level_labels[][2] = { { "三级", "L3" },
					       { "二级", "L2" },
					       { "一级", "L1" },
					       { "未定级", "UNGRADED" },
					       { NULL, NULL } };
const char *const import_class_labels[][2] = { { "甲", "A" },	 { "甲等", "A" }, { "乙", "B" },
					       { "乙等", "B" },	 { "丙", "C" },	  { "丙等", "C" },
					       { "无", "NONE" }, { NULL, NULL } };
const char *const import_type_labels[][2] = { { "综合医院", "GENERAL" },
					      { "专科医院", "SPECIALTY" },
					      { "中医医院", "TCM" },
					      { "妇幼保健院", "MCH" },
					      { "社区卫生服务中心", "CHC" },
					      { "乡镇卫生院", "THC" },
					      { "诊所", "CLINIC" },
					      { "独立医学实验室", "ICL" },
					      { "体检中心", "CHECKUP" },
					      { "其他", "OTHER" },
					      { NULL, NULL } };
const char *const import_ownership_labels[][2] = { { "公立", "PUBLIC" },     { "民营", "PRIVATE" },
						   { "私立", "PRIVATE" },    { "军队", "MILITARY" },
						   { "企业", "ENTERPRISE" }, { NULL, NULL } };
static const char *const network_role_labels[][2] = {
	{ "无", "NONE" }, { "牵头", "LEAD" }, { "成员", "MEMBER" }, { NULL, NULL }
};
static const char *const status_labels[][2] = {
	{ "潜在", "prospect" }, { "合作", "active" }, { "休眠", "dormant" }, { NULL, NULL }
};
static const char *const category_labels[][2] = {
	{ "临床", "CLINICAL" }, { "医技", "MEDTECH" }, { "行政", "ADMIN" }, { NULL, NULL }
};
static const char *const gender_labels[][2] = { { "男", "M" }, { "女", "F" }, { NULL, NULL } };
static const char *const role_labels[][2] = { { "决策者", "DECISION_MAKER" },
					      { "影响者", "INFLUENCER" },
					      { "使用者", "USER" },
					      { "把关者", "GATEKEEPER" },
					      { "采购", "PROCUREMENT" },
					      { "财务", "FINANCE" },
					      { NULL, NULL } };
static const char *const stance_labels[][2] = {
	{ "支持", "supporter" }, { "中立", "neutral" }, { "反对", "opponent" }, { NULL, NULL }
};
static const char *const kol_labels[][2] = { { "国家级", "national" },
					     { "省级", "provincial" },
					     { "市级", "city" },
					     { "无", "none" },
					     { NULL, NULL } };
static const char *const genders[] = { "M", "F", NULL };

const char *import_enum(const char *const *codes, const char *const (*labels)[2], const char *s)
{
	for (const char *const *c = codes; *c; c++)
		if (!strcasecmp(*c, s))
			return *c;
	for (; labels && labels[0][0]; labels++)
		if (!strcmp(labels[0][0], s))
			return labels[0][1];
	return NULL;
}

/* ---- issues and field parsers ---- */

const char *import_code(const char *code)
{
	static const char *const codes[] = { "required", "invalid",   "out_of_range",
					     "too_long", "duplicate", "not_found",
					     NULL };
	for (int i = 0; code && codes[i]; i++)
		if (!strcmp(codes[i], code))
			return codes[i];
	return "invalid";
}

void import_issue_add(struct import_issues *is, int column, const char *code, const char *fmt, ...)
{
	struct import_issue *x;
	va_list ap;

	if (is->n >= IMPORT_MAX_ISSUES)
		return;
	x = &is->v[is->n++];
	x->column = column;
	x->code = code;
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof(x->message), fmt, ap);
	va_end(ap);
}

void import_quote(const char *s, char *out, size_t n)
{
	size_t len = strlen(s), cut = len;

	if (n < 8) {
		if (n)
			out[0] = '\0';
		return;
	}
	if (!utf8_valid(s, len)) {
		snprintf(out, n, "\xE2\x80\xA6");
		return;
	}
	if (cut > 40 && cut > n - 4)
		cut = n - 4 < 40 ? n - 4 : 40;
	else if (cut > n - 4)
		cut = n - 4;
	while (cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	memcpy(out, s, cut);
	if (cut < len) {
		memcpy(out + cut, "\xE2\x80\xA6", 3);
		cut += 3;
	}
	out[cut] = '\0';
}

static int formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int import_formula_guarded(const char *s)
{
	while (*s == '\'')
		s++;
	return formula_start(*s);
}

const char *import_formula_unguard(const char *s)
{
	return *s == '\'' && import_formula_guarded(s) ? s + 1 : s;
}

int import_parse_bool(const char *s, int *out)
{
	if (!strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "yes") ||
	    !strcmp(s, "是")) {
		*out = 1;
		return 0;
	}
	if (!strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "no") ||
	    !strcmp(s, "否")) {
		*out = 0;
		return 0;
	}
	return -1;
}

int import_parse_instant(const char *s, int64_t *out)
{
	int32_t days;

	if (strlen(s) == 10) {
		if (date_parse(s, &days))
			return -1;
		*out = (int64_t)days * 86400 - DATE_TZ_OFFSET_SECONDS;
		return 0;
	}
	return date_parse_instant(s, out);
}

/* The parsing state of one row. */
struct rp {
	const char *const *v;
	const struct import_column *cols;
	struct import_issues *is;
};

/* A latitude or longitude in -max..max degrees: a number outside that is
 * out_of_range (999 is a number, not "not a number"). */
static void degrees(struct import_issues *is, int col, const char *v, double max, double *out)
{
	if (!parse_double(v, -max, max, out))
		return;
	if (parse_double(v, -1e300, 1e300, out))
		import_issue_add(is, col, "invalid", "not a number of degrees");
	else
		import_issue_add(is, col, "out_of_range", "not within -%g to %g degrees", max, max);
	*out = NAN; /* reported once: no location check on it */
}

static const char *get(struct rp *p, int col)
{
	const char *s = p->v[col];
	return s && *s ? s : NULL;
}

/* Text up to max bytes, valid UTF-8 without control characters. */
static const char *text(struct rp *p, int col, size_t max)
{
	const char *s = get(p, col);
	struct ms_error e = MS_ERROR_INIT;

	if (!s) {
		if (p->cols[col].flags & IMPORT_REQUIRED)
			import_issue_add(p->is, col, "required", "a value is required");
		return NULL;
	}
	if (text_check(s, p->cols[col].name, max, 0, &e)) {
		import_issue_add(p->is, col, import_code(e.code), "%s", e.message);
		return NULL;
	}
	return s;
}

static const char *enumeration(struct rp *p, int col, const char *const *codes,
			       const char *const (*labels)[2])
{
	const char *s = get(p, col), *code;
	char q[64];

	if (!s)
		return NULL;
	code = import_enum(codes, labels, s);
	if (!code) {
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "invalid", "unknown value '%s'", q);
	}
	return code;
}

static int64_t integer(struct rp *p, int col, int64_t min, int64_t max)
{
	const char *s = get(p, col);
	int64_t v;
	char q[64];

	if (!s)
		return IMPORT_UNSET;
	if (parse_int64(s, min, max, &v)) {
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "out_of_range",
				 "'%s' is not a whole number from %lld to %lld", q, (long long)min,
				 (long long)max);
		return IMPORT_UNSET;
	}
	return v;
}

static int boolean(struct rp *p, int col)
{
	const char *s = get(p, col);
	int v;
	char q[64];

	if (!s)
		return -1;
	if (import_parse_bool(s, &v)) {
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "invalid", "'%s' is not true or false", q);
		return -1;
	}
	return v;
}

static int64_t instant(struct rp *p, int col)
{
	const char *s = get(p, col);
	int64_t v;
	char q[64];

	if (!s)
		return IMPORT_UNSET;
	if (import_parse_instant(s, &v)) {
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "invalid",
				 "'%s' is not a date YYYY-MM-DD or an ISO instant", q);
		return IMPORT_UNSET;
	}
	return v;
}

static const char *date(struct rp *p, int col)
{
	const char *s = get(p, col);
	int32_t d;
	char q[64];

	if (!s)
		return NULL;
	if (date_parse(s, &d)) {
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "invalid", "'%s' is not a date YYYY-MM-DD", q);
		return NULL;
	}
	return s;
}

/* An amount of yuan with at most 2 decimals, 0 to max_fen, as fen. */
static int64_t yuan(struct rp *p, int col, int64_t max_fen)
{
	const char *s = get(p, col);
	int64_t fen;
	char q[64];

	if (!s)
		return IMPORT_UNSET;
	if (parse_money_fen(s, &fen) || fen < 0 || fen > max_fen) {
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "invalid",
				 "'%s' is not an amount of yuan with at most 2 decimals", q);
		return IMPORT_UNSET;
	}
	return fen;
}

static const char *username(struct rp *p, int col)
{
	const char *s = get(p, col);
	struct ms_error e = MS_ERROR_INIT;

	if (!s)
		return NULL;
	if (user_check_username(s, &e)) {
		char q[64];
		import_quote(s, q, sizeof(q));
		import_issue_add(p->is, col, "invalid", "'%s' is not a username", q);
		return NULL;
	}
	return s;
}

int inst_row_parse(const char *const *v, struct inst_row *r, struct import_issues *is)
{
	struct rp p = { v, inst_columns, is };
	int before = is->n;
	const char *lat, *lon;
	double la = NAN, lo = NAN;

	memset(r, 0, sizeof(*r));
	r->name = text(&p, IC_NAME, MS_MAX_NAME);
	r->aliases = text(&p, IC_ALIASES, 1000);
	r->province_code = text(&p, IC_PROVINCE, MS_MAX_CODE);
	r->city = text(&p, IC_CITY, 100);
	r->district = text(&p, IC_DISTRICT, 100);
	r->address = text(&p, IC_ADDRESS, 500);
	lat = get(&p, IC_LATITUDE);
	lon = get(&p, IC_LONGITUDE);
	if (lat)
		degrees(is, IC_LATITUDE, lat, 90, &la);
	if (lon)
		degrees(is, IC_LONGITUDE, lon, 180, &lo);
	if (!lat != !lon) {
		import_issue_add(is, lat ? IC_LONGITUDE : IC_LATITUDE, "required",
				 "give both latitude and longitude, or neither");
	} else if (lat && !isnan(la) && !isnan(lo)) {
		struct ms_error e = MS_ERROR_INIT;
		if (customer_check_location(la, lo, &e))
			import_issue_add(is,
					 strcmp(e.field, "latitude") ? IC_LONGITUDE : IC_LATITUDE,
					 "out_of_range", "%s", e.message);
		else {
			r->latitude = la;
			r->longitude = lo;
			r->has_location = 1;
		}
	}
	r->level = enumeration(&p, IC_LEVEL, inst_levels, import_level_labels);
	r->class_ = enumeration(&p, IC_CLASS, inst_classes, import_class_labels);
	r->ownership = enumeration(&p, IC_OWNERSHIP, inst_ownerships, import_ownership_labels);
	r->type = enumeration(&p, IC_TYPE, inst_types, import_type_labels);
	r->beds = integer(&p, IC_BEDS, 0, 20000);
	r->annual_outpatients = integer(&p, IC_OUTPATIENTS, 0, 100000000);
	r->is_teaching = boolean(&p, IC_TEACHING);
	r->network = text(&p, IC_NETWORK, MS_MAX_NAME);
	r->network_role = enumeration(&p, IC_NETWORK_ROLE, inst_network_roles, network_role_labels);
	r->segment_code = text(&p, IC_SEGMENT, MS_MAX_CODE);
	r->status = enumeration(&p, IC_STATUS, inst_statuses, status_labels);
	r->budget_fen = yuan(&p, IC_BUDGET, MS_MAX_MONEY_FEN);
	r->installed_units = integer(&p, IC_INSTALLED, 0, 100000);
	r->relationship = integer(&p, IC_RELATIONSHIP, 1, 5);
	r->owner_username = username(&p, IC_OWNER);
	r->created_by_username = username(&p, IC_CREATED_BY);
	r->created_at = instant(&p, IC_CREATED_AT);
	return is->n - before;
}

int dept_row_parse(const char *const *v, struct dept_row *r, struct import_issues *is)
{
	struct rp p = { v, dept_columns, is };
	int before = is->n;

	memset(r, 0, sizeof(*r));
	r->institution_name = text(&p, DC_INST_NAME, MS_MAX_NAME);
	r->institution_city = text(&p, DC_INST_CITY, 100);
	r->name = text(&p, DC_NAME, MS_MAX_NAME);
	r->category = enumeration(&p, DC_CATEGORY, dept_categories, category_labels);
	r->function = enumeration(&p, DC_FUNCTION, dept_functions, NULL);
	r->beds = integer(&p, DC_BEDS, 0, 5000);
	r->notes = text(&p, DC_NOTES, MS_MAX_TEXT);
	return is->n - before;
}

int contact_row_parse(const char *const *v, const char *today, struct contact_row *r,
		      struct import_issues *is)
{
	struct rp p = { v, contact_columns, is };
	int before = is->n, n;
	struct ms_error e[CC_NCOLS];

	memset(r, 0, sizeof(*r));
	r->institution_name = text(&p, CC_INST_NAME, MS_MAX_NAME);
	r->institution_city = text(&p, CC_INST_CITY, 100);
	r->department_name = text(&p, CC_DEPT_NAME, MS_MAX_NAME);
	r->v.name = text(&p, CC_NAME, CONTACT_MAX_NAME);
	r->v.gender = enumeration(&p, CC_GENDER, genders, gender_labels);
	r->v.title = text(&p, CC_TITLE, CONTACT_MAX_TITLE);
	r->v.position = text(&p, CC_POSITION, CONTACT_MAX_POSITION);
	r->v.decision_role = enumeration(&p, CC_ROLE, contact_roles, role_labels);
	r->v.influence = integer(&p, CC_INFLUENCE, 1, 5);
	r->v.stance = enumeration(&p, CC_STANCE, contact_stances, stance_labels);
	r->v.kol_tier = enumeration(&p, CC_KOL_TIER, kol_tiers, kol_labels);
	r->v.kol_speciality = text(&p, CC_KOL_SPECIALITY, CONTACT_MAX_KOL_SPECIALITY);
	r->v.mobile = text(&p, CC_MOBILE, CONTACT_MAX_MOBILE);
	r->v.email = text(&p, CC_EMAIL, CONTACT_MAX_EMAIL);
	r->v.wechat = text(&p, CC_WECHAT, CONTACT_MAX_WECHAT);
	r->v.consent_date = date(&p, CC_CONSENT);
	r->is_public_official = boolean(&p, CC_OFFICIAL);
	r->created_by_username = username(&p, CC_CREATED_BY);
	r->created_at = instant(&p, CC_CREATED_AT);

	/* The value rules of the API, on what parsed (labels resolved): a
	 * value refused there is refused here. */
	n = customer_check_contact(&r->v, today, e, CC_NCOLS);
	for (int i = 0; i < n && i < CC_NCOLS; i++) {
		int col = import_column_find(IMPORT_CONTACTS, e[i].field);
		import_issue_add(is, col, import_code(e[i].code), "%s", e[i].message);
		if (col == CC_MOBILE)
			r->v.mobile = NULL;
		else if (col == CC_EMAIL)
			r->v.email = NULL;
		else if (col == CC_CONSENT)
			r->v.consent_date = NULL;
	}
	return is->n - before;
}

/* ---- grading of a new institution ---- */

void inst_row_grade_input(const struct inst_row *r, struct grade_input *in)
{
	memset(in, 0, sizeof(*in));
	in->level = r->level ? r->level : "UNGRADED";
	in->class_ = r->class_ ? r->class_ : "NONE";
	in->status = r->status ? r->status : "prospect";
	in->network_role = r->network_role ? r->network_role : "NONE";
	in->beds = r->beds == IMPORT_UNSET ? -1 : r->beds;
	in->budget_fen = r->budget_fen == IMPORT_UNSET ? -1 : r->budget_fen;
	in->installed_units = r->installed_units == IMPORT_UNSET ? 0 : r->installed_units;
	in->relationship = r->relationship == IMPORT_UNSET ? 0 : r->relationship;
	in->is_teaching = r->is_teaching > 0;
}

void inst_row_filled(const struct inst_row *r, double *filled, size_t n)
{
	/* The order of completeness_institution_fields. */
	const int have[] = {
		r->level && strcmp(r->level, "UNGRADED"),
		r->class_ && strcmp(r->class_, "NONE"),
		!r->type || strcmp(r->type, "OTHER"),
		1, /* ownership always has a value */
		r->beds != IMPORT_UNSET,
		r->annual_outpatients != IMPORT_UNSET,
		r->address != NULL,
		r->has_location,
		r->segment_code != NULL,
		r->budget_fen != IMPORT_UNSET,
		r->network != NULL,
		r->relationship != IMPORT_UNSET,
		r->installed_units != IMPORT_UNSET && r->installed_units > 0,
		0, /* departments */
		0, /* key contacts */
		0, /* needs */
	};
	for (size_t i = 0; i < n; i++)
		filled[i] = i < sizeof(have) / sizeof(have[0]) ? have[i] : 0.0;
}

int product_row_parse(const char *const *v, struct product_row *r, struct import_issues *is)
{
	static const char *const class_labels[][2] = {
		{ "一类", "I" }, { "二类", "II" }, { "三类", "III" }, { NULL, NULL }
	};
	struct rp p = { v, product_columns, is };
	int before = is->n;

	memset(r, 0, sizeof(*r));
	r->product_line_code = text(&p, PC_LINE, MS_MAX_CODE);
	r->name = text(&p, PC_NAME, MS_MAX_NAME);
	r->spec = text(&p, PC_SPEC, MS_MAX_NAME);
	r->registration_no = text(&p, PC_REG_NO, 100);
	r->registration_expiry = date(&p, PC_REG_EXPIRY);
	r->device_class = enumeration(&p, PC_CLASS, device_classes, class_labels);
	r->list_price_fen = yuan(&p, PC_PRICE, PIPELINE_MAX_PRICE_FEN);
	r->active = boolean(&p, PC_ACTIVE);
	return is->n - before;
}
