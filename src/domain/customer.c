/* customer.c: customer-master rules: codes, normalisation, the A/B/C
 * grading model and the completeness score. Pure: no I/O. */
#include "domain/customer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/user.h"

const char *const inst_levels[] = { "L3", "L2", "L1", "UNGRADED", NULL };
const char *const inst_classes[] = { "A", "B", "C", "NONE", NULL };
const char *const inst_ownerships[] = { "PUBLIC", "PRIVATE", "MILITARY", "ENTERPRISE", NULL };
const char *const inst_types[] = { "GENERAL", "SPECIALTY", "TCM",     "MCH",   "CHC", "THC",
				   "CLINIC",  "ICL",	   "CHECKUP", "OTHER", NULL };
const char *const inst_network_roles[] = { "NONE", "LEAD", "MEMBER", NULL };
const char *const inst_statuses[] = { "prospect", "active", "dormant", NULL };
const char *const coverage_roles[] = { "primary", "supporting", "service", NULL };
const char *const dept_categories[] = { "CLINICAL", "MEDTECH", "ADMIN", NULL };
const char *const dept_functions[] = { "CLINICAL", "EQUIPMENT", "PROCUREMENT", "LAB",
				       "IMAGING",  "OR",	"ICU",	       "MED_INSURANCE",
				       "FINANCE",  "AUDIT",	"PRESIDENT",   "OTHER",
				       NULL };
const char *const contact_roles[] = { "DECISION_MAKER", "INFLUENCER", "USER", "GATEKEEPER",
				      "PROCUREMENT",	"FINANCE",    NULL };
const char *const contact_stances[] = { "supporter", "neutral", "opponent", NULL };
const char *const kol_tiers[] = { "national", "provincial", "city", "none", NULL };
const char *const need_statuses[] = { "open", "addressed", "closed", NULL };
const char *const grades[] = { "A", "B", "C", NULL };

int code_in(const char *const *list, const char *s)
{
	if (!s)
		return 0;
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* Decodes one UTF-8 code point (the input is valid UTF-8). */
static unsigned next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned cp;
	int len;

	if (s[0] < 0x80) {
		cp = s[0];
		len = 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		len = 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		len = 3;
	} else {
		cp = s[0] & 0x07;
		len = 4;
	}
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*p = s + len;
	return cp;
}

static size_t put_cp(unsigned cp, char *out, size_t pos, size_t n)
{
	unsigned char b[4];
	size_t len;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		len = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3F));
		len = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (cp & 0x3F));
		len = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (cp & 0x3F));
		len = 4;
	}
	if (pos + len >= n)
		return pos;
	memcpy(out + pos, b, len);
	return pos + len;
}

void customer_name_key(const char *name, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t pos = 0;

	if (!n)
		return;
	while (*p) {
		unsigned cp = next_cp(&p);
		if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
			cp -= 0xFEE0;
		if (cp == 0x3000)
			cp = ' ';
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		/* Spaces, ASCII punctuation, CJK punctuation and brackets
		 * carry no identity. */
		if (cp < 0x80 && !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')))
			continue;
		if ((cp >= 0x3000 && cp <= 0x303F) || cp == 0x00B7 || cp == 0x2014 || cp == 0x2013)
			continue;
		pos = put_cp(cp, out, pos, n);
	}
	out[pos] = '\0';
}

void customer_mobile_key(const char *mobile, char *out, size_t n)
{
	size_t pos = 0;
	if (!n)
		return;
	for (const char *p = mobile; *p && pos + 1 < n; p++)
		if (*p >= '0' && *p <= '9')
			out[pos++] = *p;
	out[pos] = '\0';
	if (pos == 13 && !strncmp(out, "86", 2))
		memmove(out, out + 2, 12);
}

int customer_mobile_valid(const char *mobile)
{
	char key[32];
	customer_mobile_key(mobile, key, sizeof(key));
	return strlen(key) == 11 && key[0] == '1' && key[1] >= '3';
}

enum ms_err customer_check_coverage_date(const char *date, const char *today, const char *field,
					 struct ms_error *e)
{
	char first[11], last[11];
	int32_t d;

	if (date_parse(today, &d))
		return ms_fail(e, MS_EINVAL, "invalid", "today", "today is not a date");
	snprintf(first, sizeof(first), "%.8s01", today);
	date_format(d + 366, last);
	if (strcmp(date, first) < 0)
		return ms_fail(e, MS_EINVAL, "out_of_range", field,
			       "a territory change takes effect on %s or later (earlier months' "
			       "reports stay as they were)",
			       first);
	if (strcmp(date, last) > 0)
		return ms_fail(e, MS_EINVAL, "out_of_range", field,
			       "a territory change takes effect within a year, by %s", last);
	return MS_OK;
}

enum ms_err customer_check_consent_date(const char *date, const char *today, struct ms_error *e)
{
	/* A later date would silence the missing-consent warning before the
	 * consent is given. */
	if (date && *date && strcmp(date, today) > 0)
		return ms_fail(e, MS_EINVAL, "out_of_range", "consent_date",
			       "the consent date cannot be after today");
	return MS_OK;
}

void contact_values_init(struct contact_values *v)
{
	memset(v, 0, sizeof(*v));
	v->influence = CONTACT_UNSET;
}

/* The next slot of e, or a scratch one past max (the count goes on). */
static struct ms_error *slot(struct ms_error *e, int max, int n, struct ms_error *scratch)
{
	*scratch = (struct ms_error)MS_ERROR_INIT;
	return n < max ? &e[n] : scratch;
}

int customer_check_contact(const struct contact_values *v, const char *today, struct ms_error *e,
			   int max)
{
	static const char *const genders[] = { "", "M", "F", NULL };
	const struct {
		const char *name, *value;
		size_t max;
	} texts[] = {
		{ "name", v->name, CONTACT_MAX_NAME },
		{ "title", v->title, CONTACT_MAX_TITLE },
		{ "position", v->position, CONTACT_MAX_POSITION },
		{ "kol_speciality", v->kol_speciality, CONTACT_MAX_KOL_SPECIALITY },
		{ "kol_posts", v->kol_posts, CONTACT_MAX_KOL_POSTS },
		{ "kol_engagements", v->kol_engagements, CONTACT_MAX_KOL_ENGAGEMENTS },
		{ "mobile", v->mobile, CONTACT_MAX_MOBILE },
		{ "email", v->email, CONTACT_MAX_EMAIL },
		{ "wechat", v->wechat, CONTACT_MAX_WECHAT },
	};
	const struct {
		const char *name, *value;
		const char *const *codes;
	} enums[] = {
		{ "gender", v->gender, genders },
		{ "decision_role", v->decision_role, contact_roles },
		{ "stance", v->stance, contact_stances },
		{ "kol_tier", v->kol_tier, kol_tiers },
	};
	struct ms_error scratch;
	int n = 0, bad_text[sizeof(texts) / sizeof(texts[0])] = { 0 };
	int32_t d;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!texts[i].value)
			continue;
		if (text_check(texts[i].value, texts[i].name, texts[i].max, i == 0,
			       slot(e, max, n, &scratch))) {
			bad_text[i] = 1;
			n++;
		}
	}
	for (size_t i = 0; i < sizeof(enums) / sizeof(enums[0]); i++)
		if (enums[i].value && !code_in(enums[i].codes, enums[i].value))
			ms_fail(slot(e, max, n++, &scratch), MS_EINVAL, "invalid", enums[i].name,
				"'%s' has an unknown value", enums[i].name);
	if (v->influence != CONTACT_UNSET && (v->influence < 1 || v->influence > 5))
		ms_fail(slot(e, max, n++, &scratch), MS_EINVAL, "out_of_range", "influence",
			"'influence' must be between 1 and 5");
	if (v->mobile && *v->mobile && !bad_text[6] && !customer_mobile_valid(v->mobile))
		ms_fail(slot(e, max, n++, &scratch), MS_EINVAL, "invalid", "mobile",
			"'mobile' must be a mainland mobile number of 11 digits");
	if (v->email && *v->email && !bad_text[7] &&
	    user_check_email(v->email, slot(e, max, n, &scratch)))
		n++;
	if (v->consent_date) {
		if (date_parse(v->consent_date, &d))
			ms_fail(slot(e, max, n++, &scratch), MS_EINVAL, "invalid", "consent_date",
				"'consent_date' must be a date YYYY-MM-DD");
		else if (customer_check_consent_date(v->consent_date, today,
						     slot(e, max, n, &scratch)))
			n++;
	}
	return n;
}

enum ms_err customer_check_location(double lat, double lon, struct ms_error *e)
{
	if (!isfinite(lat) || lat < 3.0 || lat > 54.0)
		return ms_fail(e, MS_EINVAL, "out_of_range", "latitude",
			       "'latitude' must be within China (3 to 54)");
	if (!isfinite(lon) || lon < 73.0 || lon > 136.0)
		return ms_fail(e, MS_EINVAL, "out_of_range", "longitude",
			       "'longitude' must be within China (73 to 136)");
	return MS_OK;
}

int contact_is_key(const char *role, int64_t influence)
{
	return influence >= 4 ||
	       (role && (!strcmp(role, "DECISION_MAKER") || !strcmp(role, "INFLUENCER") ||
			 !strcmp(role, "GATEKEEPER")));
}

void grading_model_default(struct grading_model *m)
{
	m->w_potential = 50;
	m->w_willingness = 25;
	m->w_influence = 25;
	m->threshold_a = 70;
	m->threshold_b = 40;
	m->visits_a = 4;
	m->visits_b = 2;
	m->visits_c = 1;
}

enum ms_err grading_model_check(const struct grading_model *m, struct ms_error *e)
{
	if (m->w_potential < 0 || m->w_willingness < 0 || m->w_influence < 0 ||
	    m->w_potential + m->w_willingness + m->w_influence != 100)
		return ms_fail(e, MS_EINVAL, "invalid", "weights",
			       "the three weights must be 0 or more and add up to 100");
	if (m->threshold_b < 1 || m->threshold_a <= m->threshold_b || m->threshold_a > 100)
		return ms_fail(e, MS_EINVAL, "invalid", "threshold_a",
			       "thresholds must satisfy 0 < B < A <= 100");
	if (m->visits_a < 0 || m->visits_b < 0 || m->visits_c < 0 || m->visits_a > 31 ||
	    m->visits_b > 31 || m->visits_c > 31)
		return ms_fail(e, MS_EINVAL, "out_of_range", "visits_a",
			       "visits per month must be 0 to 31");
	if (m->visits_a < m->visits_b || m->visits_b < m->visits_c)
		return ms_fail(e, MS_EINVAL, "invalid", "visits_a",
			       "an A customer needs at least as many visits as a B, a B as a C");
	return MS_OK;
}

static int clamp100(int v)
{
	return v < 0 ? 0 : v > 100 ? 100 : v;
}

static int eq(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

char grade_of_score(const struct grading_model *m, int score)
{
	return score >= m->threshold_a ? 'A' : score >= m->threshold_b ? 'B' : 'C';
}

void grade_compute(const struct grading_model *m, const struct grade_input *in,
		   struct grade_result *r)
{
	memset(r, 0, sizeof(*r));

	/* Purchase potential: level and size, money, installed base
	 * (domain.md 5.5, rescaled to 100). */
	if (eq(in->level, "L3"))
		r->p_level = eq(in->class_, "A") ? 40 : 30;
	else if (eq(in->level, "L2"))
		r->p_level = eq(in->class_, "A") ? 20 : 12;
	else if (eq(in->level, "L1"))
		r->p_level = 4;
	else
		r->p_level = 2;
	r->p_beds = in->beds >= 1500  ? 20
		    : in->beds >= 800 ? 15
		    : in->beds >= 300 ? 10
		    : in->beds >= 100 ? 5
				      : 0;
	r->p_budget = in->budget_fen >= 1000000000  ? 25 /* >= 10M yuan */
		      : in->budget_fen >= 300000000 ? 18
		      : in->budget_fen >= 100000000 ? 12
		      : in->budget_fen >= 30000000  ? 6
						    : 0;
	r->p_installed = in->installed_units >= 10  ? 15
			 : in->installed_units >= 5 ? 10
			 : in->installed_units >= 1 ? 5
						    : 0;
	r->potential = clamp100(r->p_level + r->p_beds + r->p_budget + r->p_installed);

	/* Willingness: stance of the key contacts, the rep's judgement of the
	 * relationship, and history with us. */
	if (in->key_contacts > 0) {
		r->w_supporters = 60 * in->key_supporters / in->key_contacts;
		r->w_opponents = -30 * in->key_opponents / in->key_contacts;
	}
	r->w_relationship =
		in->relationship >= 1 && in->relationship <= 5 ? (int)(in->relationship * 6) : 0;
	r->w_history = eq(in->status, "active") ? 25 : eq(in->status, "dormant") ? 5 : 0;
	r->willingness =
		clamp100(r->w_supporters + r->w_opponents + r->w_relationship + r->w_history);

	/* Influence: standing as a regional hub, teaching status, KOLs, place
	 * in a medical network. */
	if (eq(in->level, "L3"))
		r->i_hub = eq(in->class_, "A") ? 25 : 15;
	else if (eq(in->level, "L2") && eq(in->class_, "A"))
		r->i_hub = 10;
	r->i_teaching = in->is_teaching ? 30 : 0;
	r->i_kol = 25 * in->kol_national + 15 * in->kol_provincial + 8 * in->kol_city;
	if (r->i_kol > 40)
		r->i_kol = 40;
	r->i_network = eq(in->network_role, "LEAD") ? 30 : eq(in->network_role, "MEMBER") ? 5 : 0;
	r->influence = clamp100(r->i_hub + r->i_teaching + r->i_kol + r->i_network);

	r->score = (r->potential * m->w_potential + r->willingness * m->w_willingness +
		    r->influence * m->w_influence + 50) /
		   100;
	r->grade = grade_of_score(m, r->score);
}

int grade_details_json(const struct grade_result *g, char *buf, size_t n)
{
	int len = snprintf(buf, n,
			   "{\"grade\":\"%c\",\"influence\":{\"hub\":%d,\"kol\":%d,\"network\":%d,"
			   "\"score\":%d,\"teaching\":%d},\"potential\":{\"beds\":%d,\"budget\":%d,"
			   "\"installed\":%d,\"level\":%d,\"score\":%d},\"score\":%d,"
			   "\"willingness\":{\"history\":%d,\"opponents\":%d,\"relationship\":%d,"
			   "\"score\":%d,\"supporters\":%d}}",
			   g->grade, g->i_hub, g->i_kol, g->i_network, g->influence, g->i_teaching,
			   g->p_beds, g->p_budget, g->p_installed, g->p_level, g->potential,
			   g->score, g->w_history, g->w_opponents, g->w_relationship,
			   g->willingness, g->w_supporters);
	return len < 0 || (size_t)len >= n ? -1 : len;
}

const char *const completeness_institution_fields[] = {
	"level",	   "class",	  "type",
	"ownership",	   "beds",	  "annual_outpatients",
	"address",	   "location",	  "segment",
	"budget",	   "network",	  "relationship",
	"installed_units", "departments", "key_contacts",
	"needs",	   NULL
};
const char *const completeness_contact_fields[] = { "department", "title",	  "position",
						    "gender",	  "mobile",	  "email",
						    "wechat",	  "consent_date", NULL };

int completeness_score(const struct completeness_field *fields, size_t n, const double *filled,
		       size_t *missing, size_t *nmissing)
{
	double got = 0, total = 0;

	*nmissing = 0;
	for (size_t i = 0; i < n; i++) {
		double f = filled[i] < 0 ? 0 : filled[i] > 1 ? 1 : filled[i];
		if (fields[i].weight <= 0)
			continue;
		total += fields[i].weight;
		got += fields[i].weight * f;
		if (f < 1.0 && missing)
			missing[(*nmissing)++] = i;
	}
	if (total <= 0)
		return 100;
	return (int)floor(100.0 * got / total + 0.5);
}
