/* store_visit.c: visits, coaching, follow-up tasks, calendars, plan
 * proposals, the coverage report and the visit settings documents, in SQL.
 * The rules (evaluation, distance, warnings, frequency, ranking) come from
 * src/domain/visit.c; this file loads their inputs and stores their
 * results. */
#include "store/store_visit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/log.h"
#include "domain/customer.h"
#include "domain/user.h"
#include "store/db.h"
#include "store/store_pipeline.h"
#include "store/store_customer.h"
#include "store/store_holiday.h"

#define JI(o, k) json_integer_value(json_object_get((o), (k)))
#define JS(o, k) json_string_value(json_object_get((o), (k)))
#define JR(o, k) json_number_value(json_object_get((o), (k)))

#define BACKFILL_MAX_SECONDS (30 * 86400) /* check-ins logged up to 30 days late */
#define VISIT_MAX_SECONDS (12 * 3600)	  /* one visit lasts at most 12 hours */
#define PERIOD_MAX_DAYS 92		  /* calendars and reports: a quarter */
/* What a period of PERIOD_MAX_DAYS touches at most: 14 Monday weeks (from a
 * Sunday), 5 calendar months (2026-11-30 to 2027-03-01). */
#define PERIOD_MAX_WEEKS 14
#define PERIOD_MAX_MONTHS 5
#define VISIT_MAX_CONTACTS 20
#define VISIT_MAX_PRODUCTS 10
#define STEP_NOTE_MAX 2000
#define ANSWER_MAX 2000

void visit_fields_init(struct visit_fields *f)
{
	memset(f, 0, sizeof(*f));
	f->owner_id = f->institution_id = f->department_id = f->co_visitor_id =
		f->planned_start_at = f->opportunity_id = VISIT_UNSET;
}

void visit_filter_init(struct visit_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->effective = f->has_warnings = f->reviewed = -1;
}

static int is_manager_role(const struct scope *s)
{
	return s->role == ROLE_MANAGER || s->role == ROLE_DIRECTOR || s->role == ROLE_ADMIN;
}

/* ---- settings documents ---- */

struct field_spec {
	const char *name;
	int is_bool;
	int min, max;
	size_t off;
};

#define DEF_FIELD(name, b, lo, hi)                                                                 \
	{                                                                                          \
#name, b, lo, hi, offsetof(struct visit_definition, name)                          \
	}
static const struct field_spec def_fields[] = {
	DEF_FIELD(require_location, 1, 0, 1),  DEF_FIELD(min_minutes, 0, 0, 480),
	DEF_FIELD(require_contact, 1, 0, 1),   DEF_FIELD(min_steps, 0, 0, VISIT_MAX_STEPS),
	DEF_FIELD(require_objective, 1, 0, 1), DEF_FIELD(require_outcome, 1, 0, 1),
	DEF_FIELD(require_next_step, 1, 0, 1), DEF_FIELD(log_within_hours, 0, 0, 744),
};
#define NDEF_FIELDS (sizeof(def_fields) / sizeof(def_fields[0]))

#define RULE_FIELD(name, lo, hi)                                                                   \
	{                                                                                          \
#name, 0, lo, hi, offsetof(struct visit_rules, name)                               \
	}
static const struct field_spec rule_fields[] = {
	RULE_FIELD(verified_m, 10, 100000),    RULE_FIELD(suspicious_m, 10, 1000000),
	RULE_FIELD(max_accuracy_m, 1, 100000), RULE_FIELD(max_speed_kmh, 5, 1000),
	RULE_FIELD(repeat_coords, 2, 100),     RULE_FIELD(short_minutes, 0, 480),
	RULE_FIELD(late_log_hours, 1, 744),    RULE_FIELD(future_skew_s, 0, 3600),
	RULE_FIELD(contact_visits_a, 0, 31),   RULE_FIELD(contact_visits_b, 0, 31),
	RULE_FIELD(contact_visits_c, 0, 31),   RULE_FIELD(plan_per_day, 1, 20),
};
#define NRULE_FIELDS (sizeof(rule_fields) / sizeof(rule_fields[0]))

static json_t *fields_json(const struct field_spec *fs, size_t n, const void *base)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		int v = *(const int *)((const char *)base + fs[i].off);
		json_object_set_new(o, fs[i].name,
				    fs[i].is_bool ? json_boolean(v) : json_integer(v));
	}
	return o;
}

/* Every field is required; extra names (other than `extra`) are refused. */
static enum ms_err fields_from_json(const struct field_spec *fs, size_t n, json_t *v, void *base,
				    const char *extra, struct ms_error *e)
{
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return ms_fail(e, MS_EINVAL, "invalid", "value", "'value' must be an object");
	json_object_foreach(v, key, x)
	{
		size_t i;
		for (i = 0; i < n && strcmp(fs[i].name, key); i++)
			;
		if (i == n && !(extra && !strcmp(extra, key)))
			return ms_fail(e, MS_EINVAL, "unknown_field", key, "unknown field '%s'",
				       key);
	}
	for (size_t i = 0; i < n; i++) {
		int *dst = (int *)((char *)base + fs[i].off);
		x = json_object_get(v, fs[i].name);
		if (!x)
			return ms_fail(e, MS_EINVAL, "required", fs[i].name, "'%s' is required",
				       fs[i].name);
		if (fs[i].is_bool) {
			if (!json_is_boolean(x))
				return ms_fail(e, MS_EINVAL, "invalid", fs[i].name,
					       "'%s' must be true or false", fs[i].name);
			*dst = json_is_true(x);
		} else {
			if (!json_is_integer(x) || json_integer_value(x) < fs[i].min ||
			    json_integer_value(x) > fs[i].max)
				return ms_fail(e, MS_EINVAL, "out_of_range", fs[i].name,
					       "'%s' must be an integer from %d to %d", fs[i].name,
					       fs[i].min, fs[i].max);
			*dst = (int)json_integer_value(x);
		}
	}
	return MS_OK;
}

json_t *visit_definition_json(const struct visit_definition *d)
{
	json_t *o = fields_json(def_fields, NDEF_FIELDS, d), *roles = json_array();
	for (unsigned i = 0; contact_roles[i]; i++)
		if (d->contact_roles & (1u << i))
			json_array_append_new(roles, json_string(contact_roles[i]));
	json_object_set_new(o, "contact_roles", roles);
	return o;
}

enum ms_err visit_definition_from_json(json_t *v, struct visit_definition *d, struct ms_error *e)
{
	json_t *roles, *x;
	size_t i;
	enum ms_err err;

	if ((err = fields_from_json(def_fields, NDEF_FIELDS, v, d, "contact_roles", e)))
		return err;
	roles = json_object_get(v, "contact_roles");
	if (!json_is_array(roles))
		return ms_fail(e, MS_EINVAL, "required", "contact_roles",
			       "'contact_roles' must be an array of contact roles");
	d->contact_roles = 0;
	json_array_foreach(roles, i, x)
	{
		unsigned bit = json_is_string(x) ? visit_role_bit(json_string_value(x)) : 0;
		if (!bit)
			return ms_fail(e, MS_EINVAL, "invalid", "contact_roles",
				       "'contact_roles' holds an unknown role");
		d->contact_roles |= bit;
	}
	return visit_definition_check(d, e);
}

json_t *visit_rules_json(const struct visit_rules *r)
{
	return fields_json(rule_fields, NRULE_FIELDS, r);
}

enum ms_err visit_rules_from_json(json_t *v, struct visit_rules *r, struct ms_error *e)
{
	enum ms_err err = fields_from_json(rule_fields, NRULE_FIELDS, v, r, NULL, e);
	return err ? err : visit_rules_check(r, e);
}

json_t *seven_steps_default_json(void)
{
	json_t *steps = json_array();
	for (int i = 0; i < VISIT_DEFAULT_STEPS; i++) {
		const struct visit_step_text *t = &visit_default_steps[i];
		json_array_append_new(steps, json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", t->code,
						       "zh", t->zh, "en", t->en, "hint_zh",
						       t->hint_zh, "hint_en", t->hint_en));
	}
	return json_pack("{s:o}", "steps", steps);
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Text of a JSON string as text_check wants it: no NUL inside. */
static enum ms_err json_text(json_t *x, const char *field, size_t max, struct ms_error *e)
{
	if (strlen(json_string_value(x)) != json_string_length(x))
		return ms_fail(e, MS_EINVAL, "invalid", field, "'%s' must not contain NUL", field);
	return text_check(json_string_value(x), field, max, 0, e);
}

/* A string member within [min, max] bytes, text by text_check's rule. */
static enum ms_err text_member(json_t *o, const char *key, size_t min, size_t max,
			       const char *field, struct ms_error *e)
{
	json_t *x = json_object_get(o, key);
	if (!x && min == 0)
		return MS_OK;
	if (!json_is_string(x) || json_string_length(x) < min || json_string_length(x) > max)
		return ms_fail(e, MS_EINVAL, x ? "invalid" : "required", field,
			       "'%s' must be text of %zu to %zu bytes", field, min, max);
	return json_text(x, field, max, e);
}

static enum ms_err only_keys(json_t *o, const char *const *keys, struct ms_error *e)
{
	const char *key;
	json_t *x;
	json_object_foreach(o, key, x)
	{
		if (!code_in(keys, key))
			return ms_fail(e, MS_EINVAL, "unknown_field", key, "unknown field '%s'",
				       key);
	}
	return MS_OK;
}

enum ms_err seven_steps_check_json(json_t *v, struct ms_error *e)
{
	static const char *const top[] = { "steps", NULL };
	static const char *const keys[] = { "code", "zh", "en", "hint_zh", "hint_en", NULL };
	json_t *steps, *s;
	size_t i, n;
	enum ms_err err;

	if (!json_is_object(v))
		return ms_fail(e, MS_EINVAL, "invalid", "value", "'value' must be an object");
	if ((err = only_keys(v, top, e)))
		return err;
	steps = json_object_get(v, "steps");
	n = json_array_size(steps);
	if (!json_is_array(steps) || n < 3 || n > VISIT_MAX_STEPS)
		return ms_fail(e, MS_EINVAL, "invalid", "steps",
			       "'steps' must be an array of 3 to %d steps", VISIT_MAX_STEPS);
	json_array_foreach(steps, i, s)
	{
		const char *code;
		if (!json_is_object(s))
			return ms_fail(e, MS_EINVAL, "invalid", "steps",
				       "each step must be an object");
		if ((err = only_keys(s, keys, e)) ||
		    (err = text_member(s, "code", 1, MS_MAX_SETTING_CODE_BYTES, "code", e)) ||
		    (err = text_member(s, "zh", 1, MS_MAX_LABEL_BYTES, "zh", e)) ||
		    (err = text_member(s, "en", 1, MS_MAX_LABEL_BYTES, "en", e)) ||
		    (err = text_member(s, "hint_zh", 0, MS_MAX_HINT_BYTES, "hint_zh", e)) ||
		    (err = text_member(s, "hint_en", 0, MS_MAX_HINT_BYTES, "hint_en", e)))
			return err;
		code = JS(s, "code");
		if (!code_ok(code))
			return ms_fail(e, MS_EINVAL, "invalid", "code",
				       "a step code is 1 to 32 of a-z, 0-9 and _");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(JS(json_array_get(steps, k), "code"), code))
				return ms_fail(e, MS_EINVAL, "duplicate", "code",
					       "step code '%s' appears twice", code);
	}
	return MS_OK;
}

/* The needs file fields a question may feed, and their answer type. */
static const char *const need_targets[] = { "need",	  "pain_points",  "current_solution",
					    "volume",	  "budget_cycle", "current_age_years",
					    "budget_fen", "decision_by",  NULL };
/* "money": an amount asked in yuan and stored in fen (an integer). */
static const char *const question_types[] = { "text", "number", "money", "date", "choice", NULL };

static json_t *question(const char *code, const char *zh, const char *en, const char *type,
			const char *target)
{
	json_t *q =
		json_pack("{s:s, s:s, s:s, s:s}", "code", code, "zh", zh, "en", en, "type", type);
	if (target)
		json_object_set_new(q, "need_field", json_string(target));
	return q;
}

json_t *needs_templates_default_json(void)
{
	static const struct {
		const char *line, *volume_zh, *volume_en;
		int equipment;
	} lines[] = {
		{ "IMAGING", "年检查量", "Examinations a year", 1 },
		{ "HVC", "年手术量", "Procedures a year", 0 },
		{ "LVC", "月用量", "Monthly usage", 0 },
		{ "IVD_INSTRUMENT", "日检测量", "Tests a day", 1 },
		{ "IVD_REAGENT", "日检测量", "Tests a day", 0 },
		{ "SERVICE", "在保设备台数", "Units under contract", 1 },
	};
	json_t *templates = json_array();
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		json_t *qs = json_array();
		json_array_append_new(qs,
				      question("need", "主要需求", "Main need", "text", "need"));
		json_array_append_new(
			qs, question("pain", "痛点", "Pain points", "text", "pain_points"));
		json_array_append_new(qs, question("current", "现用品牌与方案",
						   "Current brand and solution", "text",
						   "current_solution"));
		if (lines[i].equipment)
			json_array_append_new(qs, question("age", "现有设备使用年限",
							   "Age of current equipment (years)",
							   "number", "current_age_years"));
		json_array_append_new(qs, question("volume", lines[i].volume_zh, lines[i].volume_en,
						   "text", "volume"));
		json_array_append_new(qs, question("budget", "预算（元）", "Budget (yuan)", "money",
						   "budget_fen"));
		json_array_append_new(
			qs, question("cycle", "预算周期", "Budget cycle", "text", "budget_cycle"));
		json_array_append_new(qs,
				      question("decision", "预计决策时间", "Expected decision date",
					       "date", "decision_by"));
		{
			json_t *comp = question("competitor", "竞品态度", "Competitor position",
						"choice", NULL);
			json_object_set_new(comp, "choices",
					    json_pack("[s, s, s]", "none", "present", "dominant"));
			json_array_append_new(qs, comp);
		}
		json_array_append_new(templates, json_pack("{s:s, s:o}", "product_line_code",
							   lines[i].line, "questions", qs));
	}
	return json_pack("{s:o}", "templates", templates);
}

enum ms_err needs_templates_check_json(json_t *v, struct ms_error *e)
{
	static const char *const top[] = { "templates", NULL };
	static const char *const tkeys[] = { "product_line_code", "questions", NULL };
	static const char *const qkeys[] = { "code",	"zh",	      "en", "type",
					     "choices", "need_field", NULL };
	json_t *templates, *t, *qs, *q;
	size_t i, j;
	enum ms_err err;

	if (!json_is_object(v))
		return ms_fail(e, MS_EINVAL, "invalid", "value", "'value' must be an object");
	if ((err = only_keys(v, top, e)))
		return err;
	templates = json_object_get(v, "templates");
	if (!json_is_array(templates) || json_array_size(templates) > 30)
		return ms_fail(e, MS_EINVAL, "invalid", "templates",
			       "'templates' must be an array of at most 30");
	json_array_foreach(templates, i, t)
	{
		if (!json_is_object(t) || (err = only_keys(t, tkeys, e)) ||
		    (err = text_member(t, "product_line_code", 1, MS_MAX_CODE, "product_line_code",
				       e)))
			return json_is_object(t) ? err
						 : ms_fail(e, MS_EINVAL, "invalid", "templates",
							   "each template must be an object");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(JS(json_array_get(templates, k), "product_line_code"),
				    JS(t, "product_line_code")))
				return ms_fail(e, MS_EINVAL, "duplicate", "product_line_code",
					       "two templates for '%s'",
					       JS(t, "product_line_code"));
		qs = json_object_get(t, "questions");
		if (!json_is_array(qs) || json_array_size(qs) < 1 || json_array_size(qs) > 30)
			return ms_fail(e, MS_EINVAL, "invalid", "questions",
				       "'questions' must be an array of 1 to 30");
		json_array_foreach(qs, j, q)
		{
			const char *type, *target;
			if (!json_is_object(q))
				return ms_fail(e, MS_EINVAL, "invalid", "questions",
					       "each question must be an object");
			if ((err = only_keys(q, qkeys, e)) ||
			    (err = text_member(q, "code", 1, MS_MAX_SETTING_CODE_BYTES, "code",
					       e)) ||
			    (err = text_member(q, "zh", 1, MS_MAX_LABEL_BYTES, "zh", e)) ||
			    (err = text_member(q, "en", 1, MS_MAX_LABEL_BYTES, "en", e)) ||
			    (err = text_member(q, "type", 1, MS_MAX_QUESTION_TYPE_BYTES, "type",
					       e)) ||
			    (err = text_member(q, "need_field", 0, MS_MAX_SETTING_CODE_BYTES,
					       "need_field", e)))
				return err;
			if (!code_ok(JS(q, "code")))
				return ms_fail(e, MS_EINVAL, "invalid", "code",
					       "a question code is 1 to 32 of a-z, 0-9 and _");
			for (size_t k = 0; k < j; k++)
				if (!strcmp(JS(json_array_get(qs, k), "code"), JS(q, "code")))
					return ms_fail(e, MS_EINVAL, "duplicate", "code",
						       "question code '%s' appears twice",
						       JS(q, "code"));
			type = JS(q, "type");
			target = JS(q, "need_field");
			if (!code_in(question_types, type))
				return ms_fail(e, MS_EINVAL, "invalid", "type",
					       "a question type is text, number, money, date or "
					       "choice");
			if (target && !code_in(need_targets, target))
				return ms_fail(e, MS_EINVAL, "invalid", "need_field",
					       "unknown need field '%s'", target);
			/* The budget is money: a number question would be read as
			 * fen and store amounts a hundredth of what was meant. */
			if (target && !strcmp(target, "budget_fen") && strcmp(type, "money"))
				return ms_fail(e, MS_EINVAL, "invalid", "type",
					       "a question feeding the budget is of type money");
			if (!strcmp(type, "choice")) {
				json_t *ch = json_object_get(q, "choices"), *c;
				size_t k;
				if (!json_is_array(ch) || json_array_size(ch) < 2 ||
				    json_array_size(ch) > 20)
					return ms_fail(e, MS_EINVAL, "invalid", "choices",
						       "a choice question needs 2 to 20 choices");
				json_array_foreach(ch, k, c)
				{
					if (!json_is_string(c) || json_string_length(c) < 1 ||
					    json_string_length(c) > 100)
						return ms_fail(
							e, MS_EINVAL, "invalid", "choices",
							"each choice is text of 1 to 100 bytes");
					if ((err = json_text(c, "choices", 100, e)))
						return err;
				}
			} else if (json_object_get(q, "choices")) {
				return ms_fail(e, MS_EINVAL, "invalid", "choices",
					       "only a choice question has choices");
			}
		}
	}
	return MS_OK;
}

json_t *store_visit_settings(struct store *st, const char *key, int64_t *version)
{
	json_t *v = NULL;
	struct ms_error e = MS_ERROR_INIT;

	*version = 0;
	if (store_settings_get(st, key, &v, version, NULL) == MS_OK) {
		enum ms_err err;
		if (!strcmp(key, "effective_visit")) {
			struct visit_definition d;
			err = visit_definition_from_json(v, &d, &e);
		} else if (!strcmp(key, "visit_rules")) {
			struct visit_rules r;
			err = visit_rules_from_json(v, &r, &e);
		} else if (!strcmp(key, "seven_steps")) {
			err = seven_steps_check_json(v, &e);
		} else {
			err = needs_templates_check_json(v, &e);
		}
		if (!err)
			return v;
		log_warn("store: stored '%s' is invalid (%s); using the default", key, e.message);
		json_decref(v);
	}
	*version = 0;
	if (!strcmp(key, "effective_visit")) {
		struct visit_definition d;
		visit_definition_default(&d);
		return visit_definition_json(&d);
	}
	if (!strcmp(key, "visit_rules")) {
		struct visit_rules r;
		visit_rules_default(&r);
		return visit_rules_json(&r);
	}
	if (!strcmp(key, "seven_steps"))
		return seven_steps_default_json();
	return needs_templates_default_json();
}

void store_visit_definition(struct store *st, struct visit_definition *d)
{
	int64_t version;
	json_t *v = store_visit_settings(st, "effective_visit", &version);
	if (visit_definition_from_json(v, d, NULL))
		visit_definition_default(d);
	json_decref(v);
}

enum ms_err store_visit_rules(struct store *st, struct visit_rules *r, struct ms_error *e)
{
	int64_t version;
	json_t *v = NULL;
	enum ms_err err = store_settings_get(st, "visit_rules", &v, &version, NULL);

	if (err && err != MS_ENOTFOUND)
		return ms_fail(e, err, "internal", "", "storage error");
	if (err || visit_rules_from_json(v, r, NULL)) {
		if (!err)
			log_warn("store: stored 'visit_rules' is invalid; using the default");
		visit_rules_default(r);
	}
	json_decref(v);
	return MS_OK;
}

/* ---- loading a visit ---- */

struct vinfo {
	int64_t id, owner_id, institution_id, department_id, co_visitor_id, version;
	int64_t t_in, t_out;
	char type[16], status[16], visit_date[11];
};

static enum ms_err load_visit(struct store *st, const struct scope *s, int64_t id, struct vinfo *v,
			      struct ms_error *e)
{
	json_t *row = NULL;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT v.id, v.owner_id, v.institution_id, v.department_id, v.co_visitor_id, "
		    "v.version, v.check_in_at AS t_in, v.check_out_at AS t_out, v.type, v.status, "
		    "v.visit_date FROM visits v WHERE v.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, s, "v.owner_id");
	err = db_row(st, &q, &row, NULL);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such visit");
	if (err)
		return ms_fail(e, err, "internal", "", "storage error");
	memset(v, 0, sizeof(*v));
	v->id = JI(row, "id");
	v->owner_id = JI(row, "owner_id");
	v->institution_id = JI(row, "institution_id");
	v->department_id = JI(row, "department_id");
	v->co_visitor_id = JI(row, "co_visitor_id");
	v->version = JI(row, "version");
	v->t_in = JI(row, "t_in");
	v->t_out = JI(row, "t_out");
	snprintf(v->type, sizeof(v->type), "%s", JS(row, "type"));
	snprintf(v->status, sizeof(v->status), "%s", JS(row, "status"));
	snprintf(v->visit_date, sizeof(v->visit_date), "%s", JS(row, "visit_date"));
	json_decref(row);
	return MS_OK;
}

/* Only the rep records a visit; a manager over the rep may change plans. */
static enum ms_err bad_state(struct ms_error *e, const char *msg)
{
	return ms_fail(e, MS_EINVAL, "invalid_state", "status", "%s", msg);
}

static enum ms_err load_writable(struct store *st, const struct scope *who, int64_t id,
				 int plan_edit, struct vinfo *v, struct ms_error *e)
{
	enum ms_err err = load_visit(st, who, id, v, e);
	if (err)
		return err;
	if (who->read_only)
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "", "your role may not do this");
	if (v->owner_id == who->user_id)
		return MS_OK;
	if (plan_edit && is_manager_role(who) && !strcmp(v->status, "planned"))
		return MS_OK;
	/* A finished visit can be changed by no one: the manager is told so,
	 * as the rep is, rather than that they may not. */
	if (plan_edit && is_manager_role(who) && !strcmp(v->status, "completed"))
		return bad_state(e, "the visit is completed");
	if (plan_edit && is_manager_role(who) && !strcmp(v->status, "cancelled"))
		return bad_state(e, "the visit was cancelled");
	return ms_fail(e, MS_EFORBIDDEN, "forbidden", "",
		       plan_edit ? "only the visit's rep, or their manager while it is planned, "
				   "may change it"
				 : "only the visit's rep may record it");
}

/* ---- validation of a visit's content against the settings ---- */

static enum ms_err check_user_active(struct store *st, int64_t user_id, const char *field,
				     json_t **row, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "SELECT id, role, unit_id FROM users WHERE id = ? AND active = 1");
	qb_int(&q, user_id);
	err = db_row(st, &q, row, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", field, "no active user %lld",
			       (long long)user_id);
	if (err)
		return err;
	return MS_OK;
}

/* The scope a user has (to ask what they cover or manage). */
static void scope_of_user(json_t *urow, struct scope *s)
{
	scope_for(s, role_parse(JS(urow, "role")), JI(urow, "id"), JI(urow, "unit_id"));
}

/* steps: {code: {"done": bool, "note": text}} with codes of the steps in
 * force; returns a normalised copy in *out. */
static enum ms_err check_steps(struct store *st, json_t *in, json_t **out, struct ms_error *e)
{
	static const char *const keys[] = { "done", "note", NULL };
	int64_t version;
	json_t *doc = store_visit_settings(st, "seven_steps", &version), *steps, *x, *res;
	const char *key;
	enum ms_err err = MS_OK;

	*out = NULL;
	steps = json_object_get(doc, "steps");
	if (!json_is_object(in)) {
		json_decref(doc);
		return ms_fail(e, MS_EINVAL, "invalid", "steps",
			       "'steps' must be an object of step codes");
	}
	res = json_object();
	json_object_foreach(in, key, x)
	{
		size_t i, found = 0;
		json_t *s, *done, *note;
		json_array_foreach(steps, i, s)
		{
			if (!strcmp(JS(s, "code"), key))
				found = 1;
		}
		if (!found) {
			err = ms_fail(e, MS_EINVAL, "invalid", "steps", "unknown step '%s'", key);
			break;
		}
		if (!json_is_object(x) || (err = only_keys(x, keys, e))) {
			if (!err)
				err = ms_fail(e, MS_EINVAL, "invalid", "steps",
					      "step '%s' must be {\"done\", \"note\"}", key);
			break;
		}
		done = json_object_get(x, "done");
		note = json_object_get(x, "note");
		if ((done && !json_is_boolean(done)) ||
		    (note && (!json_is_string(note) || json_string_length(note) > STEP_NOTE_MAX))) {
			err = ms_fail(
				e, MS_EINVAL, "invalid", "steps",
				"step '%s': 'done' is true or false, 'note' text up to %d bytes",
				key, STEP_NOTE_MAX);
			break;
		}
		if (note && (err = json_text(note, "steps", STEP_NOTE_MAX, e)))
			break;
		json_object_set_new(res, key,
				    json_pack("{s:b, s:s}", "done", done && json_is_true(done),
					      "note", note ? json_string_value(note) : ""));
	}
	json_decref(doc);
	if (err) {
		json_decref(res);
		return err;
	}
	*out = res;
	return MS_OK;
}

/* The template for a product line, borrowed from doc. */
static json_t *template_of(json_t *doc, const char *line)
{
	json_t *t;
	size_t i;
	json_array_foreach(json_object_get(doc, "templates"), i, t)
	{
		if (!strcmp(JS(t, "product_line_code"), line))
			return t;
	}
	return NULL;
}

/* needs: {"product_line_code", "answers": {code: value}} against the
 * template of that product line. */
static enum ms_err check_needs(struct store *st, json_t *in, struct ms_error *e)
{
	static const char *const keys[] = { "product_line_code", "answers", NULL };
	int64_t version;
	json_t *doc = store_visit_settings(st, "needs_templates", &version), *t, *answers, *x;
	const char *key, *line;
	enum ms_err err = MS_OK;

	if (!json_is_object(in) || (err = only_keys(in, keys, e))) {
		json_decref(doc);
		return err ? err
			   : ms_fail(e, MS_EINVAL, "invalid", "needs",
				     "'needs' must be {\"product_line_code\", \"answers\"}");
	}
	line = JS(in, "product_line_code");
	answers = json_object_get(in, "answers");
	t = line ? template_of(doc, line) : NULL;
	if (!t) {
		json_decref(doc);
		return ms_fail(e, MS_EINVAL, "invalid", "product_line_code",
			       "no needs template for this product line");
	}
	if (!json_is_object(answers)) {
		json_decref(doc);
		return ms_fail(e, MS_EINVAL, "invalid", "answers", "'answers' must be an object");
	}
	json_object_foreach(answers, key, x)
	{
		json_t *q = NULL, *qq;
		size_t i;
		const char *type;
		json_array_foreach(json_object_get(t, "questions"), i, qq)
		{
			if (!strcmp(JS(qq, "code"), key))
				q = qq;
		}
		if (!q) {
			err = ms_fail(e, MS_EINVAL, "invalid", "answers",
				      "'%s' is not a question of the template", key);
			break;
		}
		type = JS(q, "type");
		if (!strcmp(type, "number") || !strcmp(type, "money")) {
			if (!json_is_integer(x) || json_integer_value(x) < 0 ||
			    json_integer_value(x) > MS_MAX_MONEY_FEN)
				err = ms_fail(e, MS_EINVAL, "invalid", "answers",
					      "the answer to '%s' must be a non-negative integer",
					      key);
		} else if (!json_is_string(x) || json_string_length(x) > ANSWER_MAX) {
			err = ms_fail(e, MS_EINVAL, "invalid", "answers",
				      "the answer to '%s' must be text up to %d bytes", key,
				      ANSWER_MAX);
		} else if ((err = json_text(x, "answers", ANSWER_MAX, e))) {
			break;
		} else if (!strcmp(type, "date")) {
			int32_t d;
			if (json_string_length(x) && date_parse(json_string_value(x), &d))
				err = ms_fail(e, MS_EINVAL, "invalid", "answers",
					      "the answer to '%s' must be a date YYYY-MM-DD", key);
		} else if (!strcmp(type, "choice") && json_string_length(x)) {
			json_t *c;
			size_t k;
			int ok = 0;
			json_array_foreach(json_object_get(q, "choices"), k, c)
			{
				if (!strcmp(json_string_value(c), json_string_value(x)))
					ok = 1;
			}
			if (!ok)
				err = ms_fail(e, MS_EINVAL, "invalid", "answers",
					      "the answer to '%s' is not one of its choices", key);
		}
		if (err)
			break;
	}
	json_decref(doc);
	return err;
}

static enum ms_err check_products(struct store *st, json_t *in, struct ms_error *e)
{
	json_t *x;
	size_t i;

	if (!json_is_array(in) || json_array_size(in) > VISIT_MAX_PRODUCTS)
		return ms_fail(e, MS_EINVAL, "invalid", "products",
			       "'products' must be an array of at most %d product line codes",
			       VISIT_MAX_PRODUCTS);
	json_array_foreach(in, i, x)
	{
		int64_t one;
		struct qb q;
		enum ms_err err;
		if (!json_is_string(x))
			return ms_fail(e, MS_EINVAL, "invalid", "products",
				       "'products' must hold product line codes");
		qb_init(&q, "SELECT 1 FROM ref_items WHERE kind = 'product_lines' AND code = ? "
			    "AND active = 1");
		qb_text(&q, json_string_value(x));
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			return ms_fail(e, MS_EINVAL, "invalid", "products",
				       "no active product line '%s'", json_string_value(x));
		if (err)
			return err;
	}
	return MS_OK;
}

static enum ms_err check_contacts(struct store *st, int64_t inst, json_t *in, struct ms_error *e)
{
	json_t *x;
	size_t i;

	if (!json_is_array(in) || json_array_size(in) > VISIT_MAX_CONTACTS)
		return ms_fail(e, MS_EINVAL, "invalid", "contact_ids",
			       "'contact_ids' must be an array of at most %d ids",
			       VISIT_MAX_CONTACTS);
	json_array_foreach(in, i, x)
	{
		int64_t one;
		struct qb q;
		enum ms_err err;
		if (!json_is_integer(x) || json_integer_value(x) < 1)
			return ms_fail(e, MS_EINVAL, "invalid", "contact_ids",
				       "'contact_ids' must hold positive integers");
		for (size_t k = 0; k < i; k++)
			if (json_integer_value(json_array_get(in, k)) == json_integer_value(x))
				return ms_fail(e, MS_EINVAL, "duplicate", "contact_ids",
					       "contact %lld is listed twice",
					       (long long)json_integer_value(x));
		qb_init(&q, "SELECT 1 FROM contacts WHERE id = ? AND institution_id = ?");
		qb_int(&q, json_integer_value(x));
		qb_int(&q, inst);
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err == MS_ENOTFOUND)
			return ms_fail(e, MS_EINVAL, "invalid", "contact_ids",
				       "contact %lld is not a contact of this institution",
				       (long long)json_integer_value(x));
		if (err)
			return err;
	}
	return MS_OK;
}

static enum ms_err check_dept(struct store *st, int64_t inst, int64_t dept, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (dept == VISIT_UNSET || dept == 0)
		return MS_OK;
	qb_init(&q, "SELECT 1 FROM departments WHERE id = ? AND institution_id = ?");
	qb_int(&q, dept);
	qb_int(&q, inst);
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "department_id",
			       "department %lld is not a department of this institution",
			       (long long)dept);
	if (err)
		return err;
	return MS_OK;
}

static enum ms_err set_contacts(struct store *st, int64_t visit_id, json_t *ids, struct ms_error *e)
{
	json_t *x;
	size_t i;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "DELETE FROM visit_contacts WHERE visit_id = ?");
	qb_int(&q, visit_id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	json_array_foreach(ids, i, x)
	{
		if (err)
			break;
		err = store_visit_contact_raw(st, visit_id, json_integer_value(x), 0, NULL, e);
	}
	return err;
}

static char *dump_or(json_t *v, const char *def)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
	return s ? s : strdup(def);
}

/* The co-visitor of a joint visit: a manager (or director) whose subtree
 * holds the rep. */
static enum ms_err check_co_visitor(struct store *st, int64_t co, int64_t owner, struct ms_error *e)
{
	json_t *urow = NULL;
	struct scope ms;
	struct qb q;
	int64_t one;
	enum ms_err err;

	if ((err = check_user_active(st, co, "co_visitor_id", &urow, e)))
		return err;
	scope_of_user(urow, &ms);
	json_decref(urow);
	if (ms.role != ROLE_MANAGER && ms.role != ROLE_DIRECTOR)
		return ms_fail(e, MS_EINVAL, "invalid", "co_visitor_id",
			       "the co-visitor of a joint visit must be a manager");
	qb_init(&q, "SELECT 1 FROM users u WHERE u.id = ?");
	qb_int(&q, owner);
	qb_scope_owner(&q, &ms, "u.id");
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err && err != MS_ENOTFOUND)
		return err;
	if (err || co == owner)
		return ms_fail(e, MS_EINVAL, "invalid", "co_visitor_id",
			       "the co-visitor must be a manager over the rep");
	return MS_OK;
}

/* ---- create, update ---- */

static enum ms_err evaluate_one(struct store *st, int64_t id, struct ms_error *e);

/* A visit's opportunity: one of its institution that the caller may read
 * (else 400 naming the field: another's deal is not named). */
static enum ms_err check_opportunity(struct store *st, const struct scope *who, int64_t inst,
				     int64_t opp, struct ms_error *e)
{
	json_t *o = NULL;
	int ok;
	if (opp == VISIT_UNSET)
		return MS_OK;
	ok = store_opp_get(st, who, opp, &o, NULL) == MS_OK &&
	     json_integer_value(json_object_get(o, "institution_id")) == inst;
	json_decref(o);
	return ok ? MS_OK
		  : ms_fail(e, MS_EINVAL, "invalid", "opportunity_id",
			    "no opportunity %lld of this institution", (long long)opp);
}

enum ms_err store_visit_create(struct store *st, const struct scope *who,
			       const struct visit_fields *f, int64_t *id, struct ms_error *e)
{
	int64_t owner = f->owner_id, co = f->co_visitor_id, now = date_now();
	json_t *urow = NULL, *steps = NULL;
	char today[11];
	char *steps_s = NULL, *needs_s = NULL, *products_s = NULL;
	struct scope os;
	struct qb q;
	enum ms_err err;

	db_today(today);
	if (who->kind == SCOPE_OWN) {
		if (owner != VISIT_UNSET && owner != who->user_id)
			return ms_fail(e, MS_EINVAL, "invalid", "owner_id",
				       "a rep plans their own visits");
		owner = who->user_id;
	} else if (owner == VISIT_UNSET) {
		owner = who->user_id;
	}
	if ((err = check_user_active(st, owner, "owner_id", &urow, e)))
		return err;
	scope_of_user(urow, &os);
	json_decref(urow);
	if (owner != who->user_id) {
		int64_t one;
		qb_init(&q, "SELECT 1 FROM users u WHERE u.id = ?");
		qb_int(&q, owner);
		qb_scope_owner(&q, who, "u.id");
		err = db_int(st, &q, &one, e);
		qb_release(&q);
		if (err && err != MS_ENOTFOUND)
			return err;
		if (err || (os.role != ROLE_REP && os.role != ROLE_MANAGER))
			return ms_fail(e, MS_EINVAL, "invalid", "owner_id",
				       "user %lld is not a rep you manage", (long long)owner);
	}
	/* The caller must see the institution; the rep must cover it. */
	if ((err = store_inst_visible(st, who, f->institution_id, e)))
		return err;
	if (store_inst_visible(st, &os, f->institution_id, NULL))
		return ms_fail(e, MS_EINVAL, "not_covered", "institution_id",
			       "the rep does not cover this institution");
	if (!f->unplanned && strcmp(f->visit_date, today) < 0)
		return ms_fail(e, MS_EINVAL, "invalid", "visit_date",
			       "a plan cannot be in the past; log it as unplanned");
	if (!strcmp(f->type, "joint")) {
		if (co == VISIT_UNSET)
			co = who->user_id != owner ? who->user_id : VISIT_UNSET;
		if (co == VISIT_UNSET)
			return ms_fail(e, MS_EINVAL, "required", "co_visitor_id",
				       "a joint visit names the manager who comes along");
		if ((err = check_co_visitor(st, co, owner, e)))
			return err;
	} else if (co != VISIT_UNSET) {
		return ms_fail(e, MS_EINVAL, "invalid", "co_visitor_id",
			       "only a joint visit has a co-visitor");
	}
	if ((err = check_dept(st, f->institution_id, f->department_id, e)) ||
	    (f->contact_ids && (err = check_contacts(st, f->institution_id, f->contact_ids, e))) ||
	    (f->products && (err = check_products(st, f->products, e))) ||
	    (f->needs && (err = check_needs(st, f->needs, e))) ||
	    (f->steps && (err = check_steps(st, f->steps, &steps, e))) ||
	    (err = check_opportunity(st, who, f->institution_id, f->opportunity_id, e)))
		return err;
	steps_s = dump_or(steps, "{}");
	needs_s = f->needs ? dump_or(f->needs, "") : strdup("");
	products_s = dump_or(f->products, "[]");
	qb_init(&q,
		"INSERT INTO visits (owner_id, institution_id, department_id, type, status, "
		"visit_date, planned_start_at, was_planned, objective, co_visitor_id, "
		"steps_json, needs_json, products_json, outcome, next_step, next_step_date, "
		"location_note, created_by, created_at, updated_at, opportunity_id) VALUES (?, ?, "
		"?, ?, 'planned', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, owner);
	qb_int(&q, f->institution_id);
	if (f->department_id == VISIT_UNSET || f->department_id == 0)
		qb_null(&q);
	else
		qb_int(&q, f->department_id);
	qb_text(&q, f->type);
	qb_text(&q, f->visit_date);
	if (f->planned_start_at == VISIT_UNSET)
		qb_null(&q);
	else
		qb_int(&q, f->planned_start_at);
	qb_int(&q, !f->unplanned);
	qb_text(&q, f->objective ? f->objective : "");
	if (co == VISIT_UNSET)
		qb_null(&q);
	else
		qb_int(&q, co);
	qb_text(&q, steps_s);
	qb_text(&q, needs_s);
	qb_text(&q, products_s);
	qb_text(&q, f->outcome ? f->outcome : "");
	qb_text(&q, f->next_step ? f->next_step : "");
	qb_text(&q, f->next_step_date);
	qb_text(&q, f->location_note ? f->location_note : "");
	qb_int(&q, who->user_id);
	qb_int(&q, now);
	qb_int(&q, now);
	if (f->opportunity_id == VISIT_UNSET)
		qb_null(&q);
	else
		qb_int(&q, f->opportunity_id);
	if (f->contact_ids) {
		/* The contacts go in before the audit snapshot is taken. */
		err = db_exec(st, &q, e);
		if (!err) {
			json_t *after;
			*id = db_last_id(st);
			err = set_contacts(st, *id, f->contact_ids, e);
			if (!err && !(err = store_audit_snapshot(st, "visits", *id, &after, e))) {
				err = store_audit_append(st, who, "create", "visits", *id, NULL,
							 after, e);
				json_decref(after);
			}
		}
	} else {
		err = db_insert_audited(st, who, "visits", &q, id, e);
	}
	qb_release(&q);
	free(steps_s);
	free(needs_s);
	free(products_s);
	json_decref(steps);
	/* Evaluated on every change, as a re-evaluation after a settings save
	 * would: a plan lists what it still lacks from the start. */
	return err ? err : evaluate_one(st, *id, e);
}

enum ms_err store_visit_update(struct store *st, const struct scope *who, int64_t id,
			       int64_t version, const struct visit_fields *f, struct ms_error *e)
{
	struct vinfo v;
	json_t *steps = NULL, *before = NULL, *after = NULL;
	char *steps_s = NULL, *needs_s = NULL, *products_s = NULL;
	char today[11];
	int moving = f->visit_date || f->planned_start_at != VISIT_UNSET;
	int content = f->type || f->objective || f->outcome || f->next_step || f->next_step_date ||
		      f->location_note || f->contact_ids || f->products || f->steps || f->needs ||
		      f->department_id != VISIT_UNSET;
	struct qb q;
	enum ms_err err;

	/* A manager may move a rep's plan; only the rep writes its content. */
	if ((err = load_writable(st, who, id, !content, &v, e)))
		return err;
	if (!strcmp(v.status, "completed") || !strcmp(v.status, "cancelled"))
		return bad_state(e, "a completed or cancelled visit cannot be changed");
	if (moving && strcmp(v.status, "planned"))
		return bad_state(e, "only a planned visit can be moved");
	db_today(today);
	if (f->visit_date && strcmp(f->visit_date, today) < 0)
		return ms_fail(e, MS_EINVAL, "invalid", "visit_date",
			       "a plan cannot be moved into the past");
	if (f->type && (!strcmp(f->type, "joint")) != (!strcmp(v.type, "joint")))
		return ms_fail(e, MS_EINVAL, "invalid", "type",
			       "a joint visit stays joint; plan a new one instead");
	if (f->next_step_date && strcmp(f->next_step_date, v.visit_date) < 0)
		return ms_fail(e, MS_EINVAL, "invalid", "next_step_date",
			       "the next step cannot be before the visit");
	if ((err = check_dept(st, v.institution_id, f->department_id, e)) ||
	    (f->contact_ids && (err = check_contacts(st, v.institution_id, f->contact_ids, e))) ||
	    (f->products && (err = check_products(st, f->products, e))) ||
	    (f->needs && !json_is_null(f->needs) && (err = check_needs(st, f->needs, e))) ||
	    (f->steps && (err = check_steps(st, f->steps, &steps, e))))
		return err;
	steps_s = steps ? dump_or(steps, "{}") : NULL;
	needs_s = f->needs ? (json_is_null(f->needs) ? strdup("") : dump_or(f->needs, "")) : NULL;
	products_s = f->products ? dump_or(f->products, "[]") : NULL;
	if ((err = store_audit_snapshot(st, "visits", id, &before, e)))
		goto out;
	qb_init(&q, "UPDATE visits SET visit_date = COALESCE(?, visit_date), "
		    "planned_start_at = CASE WHEN ? THEN ? ELSE planned_start_at END, "
		    "type = COALESCE(?, type), objective = COALESCE(?, objective), "
		    "department_id = CASE WHEN ? THEN ? ELSE department_id END, "
		    "steps_json = COALESCE(?, steps_json), needs_json = COALESCE(?, needs_json), "
		    "products_json = COALESCE(?, products_json), outcome = COALESCE(?, outcome), "
		    "next_step = COALESCE(?, next_step), "
		    "next_step_date = COALESCE(?, next_step_date), "
		    "location_note = COALESCE(?, location_note), updated_at = ?, "
		    "version = version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->visit_date);
	qb_int(&q, f->planned_start_at != VISIT_UNSET);
	qb_int(&q, f->planned_start_at == VISIT_UNSET ? 0 : f->planned_start_at);
	qb_text(&q, f->type);
	qb_text(&q, f->objective);
	qb_int(&q, f->department_id != VISIT_UNSET);
	if (f->department_id == VISIT_UNSET || f->department_id == 0)
		qb_null(&q);
	else
		qb_int(&q, f->department_id);
	qb_text(&q, steps_s);
	qb_text(&q, needs_s);
	qb_text(&q, products_s);
	qb_text(&q, f->outcome);
	qb_text(&q, f->next_step);
	qb_text(&q, f->next_step_date);
	qb_text(&q, f->location_note);
	qb_int(&q, date_now());
	qb_int(&q, id);
	qb_int(&q, version);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (!err && db_changes(st) == 0)
		err = ms_fail(e, MS_ECONFLICT, "conflict", "version",
			      "the visit was changed by someone else; reload it");
	if (!err && f->contact_ids)
		err = set_contacts(st, id, f->contact_ids, e);
	if (!err && !(err = store_audit_snapshot(st, "visits", id, &after, e)))
		err = store_audit_append(st, who, "update", "visits", id, before, after, e);
out:
	json_decref(before);
	json_decref(after);
	json_decref(steps);
	free(steps_s);
	free(needs_s);
	free(products_s);
	return err ? err : evaluate_one(st, id, e);
}

/* ---- reading ---- */

#define VISIT_COLUMNS                                                                              \
	"SELECT v.id, v.owner_id, o.display_name AS owner_name, o.username AS owner_username, "    \
	"v.institution_id, i.name AS institution_name, i.grade AS institution_grade, "             \
	"v.department_id, d.name AS department_name, v.type, v.status, v.visit_date, "             \
	"v.planned_start_at, v.was_planned AS is_planned, v.objective, v.co_visitor_id, "          \
	"cv.display_name AS co_visitor_name, v.check_in_at, v.check_in_lat, v.check_in_lon, "      \
	"v.check_in_accuracy_m, v.check_out_at, v.check_out_lat, v.check_out_lon, v.distance_m, "  \
	"v.location_status, v.location_reason, v.location_note, v.steps_json, v.needs_json, "      \
	"v.products_json, v.outcome, v.next_step, v.next_step_date, v.logged_at, v.is_effective, " \
	"v.reasons_json, v.warnings_json, v.cancel_reason, v.created_by, v.created_at, "           \
	"v.updated_at, v.opportunity_id, (SELECT op.name FROM opportunities op WHERE op.id = "     \
	"v.opportunity_id) AS opportunity_name, v.version FROM visits v JOIN users o ON o.id = "   \
	"v.owner_id JOIN "                                                                         \
	"institutions i ON i.id = v.institution_id LEFT JOIN departments d ON d.id = "             \
	"v.department_id LEFT JOIN users cv ON cv.id = v.co_visitor_id WHERE 1 = 1"

enum ms_err store_visit_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			    struct ms_error *e)
{
	json_t *row = NULL, *x = NULL;
	struct qb q;
	enum ms_err err;

	qb_init(&q, VISIT_COLUMNS " AND v.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, s, "v.owner_id");
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such visit");
	if (err)
		return err;
	qb_init(&q, "SELECT c.id, c.name, c.title, c.position, c.decision_role, c.is_key, "
		    "c.department_id FROM visit_contacts vc JOIN contacts c ON c.id = "
		    "vc.contact_id WHERE vc.visit_id = ? ORDER BY c.name, c.id");
	qb_int(&q, id);
	err = db_rows(st, &q, &x, e);
	qb_release(&q);
	if (err)
		goto fail;
	json_object_set_new(row, "contacts", x);
	qb_init(&q, "SELECT cm.id, cm.author_id, u.display_name AS author_name, cm.comment, "
		    "cm.scores_json, cm.score_avg, cm.created_at FROM visit_comments cm JOIN users "
		    "u ON u.id = cm.author_id WHERE cm.visit_id = ? ORDER BY cm.id");
	qb_int(&q, id);
	err = db_rows(st, &q, &x, e);
	qb_release(&q);
	if (err)
		goto fail;
	json_object_set_new(row, "comments", x);
	qb_init(&q, "SELECT id, title, due_date, status, done_at FROM tasks WHERE visit_id = ? "
		    "ORDER BY id LIMIT 1");
	qb_int(&q, id);
	err = db_row(st, &q, &x, NULL);
	qb_release(&q);
	json_object_set_new(row, "task", err ? json_null() : x);
	*out = row;
	return MS_OK;
fail:
	json_decref(row);
	return err;
}

static const struct sort_key visit_sort[] = {
	{ "visit_date", "v.visit_date, v.id", "v.visit_date DESC, v.id DESC" },
	{ "check_in_at", "v.check_in_at, v.id", "v.check_in_at DESC, v.id DESC" },
	{ "created_at", "v.created_at, v.id", "v.created_at DESC, v.id DESC" },
	{ "institution", "i.name, v.visit_date", "i.name DESC, v.visit_date DESC" },
	{ NULL, NULL, NULL }
};

static void visit_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			  int rows)
{
	const struct visit_filter *f = fv;

	(void)like;
	(void)rows;
	qb_scope_owner(q, s, "v.owner_id");
	qb_and_int(q, " AND v.owner_id = ?", f->owner_id);
	if (f->unit_id) {
		struct scope sub;
		scope_for(&sub, ROLE_MANAGER, 0, f->unit_id);
		qb_scope_owner(q, &sub, "v.owner_id");
	}
	qb_and_int(q, " AND v.institution_id = ?", f->institution_id);
	qb_and_text(q, " AND v.visit_date >= ?", f->from);
	qb_and_text(q, " AND v.visit_date <= ?", f->to);
	qb_and_text(q, " AND v.status = ?", f->status);
	qb_and_text(q, " AND v.type = ?", f->type);
	qb_and_text(q, " AND v.location_status = ?", f->location_status);
	if (f->effective >= 0) {
		qb_sql(q, " AND v.status = 'completed' AND v.is_effective = ?");
		qb_int(q, f->effective);
	}
	if (f->has_warnings == 1)
		qb_sql(q, " AND v.warnings_json <> '[]'");
	else if (f->has_warnings == 0)
		qb_sql(q, " AND v.warnings_json = '[]'");
	if (f->reviewed == 1)
		qb_sql(q, " AND EXISTS (SELECT 1 FROM visit_comments r WHERE r.visit_id = v.id)");
	else if (f->reviewed == 0)
		qb_sql(q,
		       " AND NOT EXISTS (SELECT 1 FROM visit_comments r WHERE r.visit_id = v.id)");
}

enum ms_err store_visit_list(struct store *st, const struct scope *s, const struct visit_filter *f,
			     const struct page *pg, json_t **out, struct ms_error *e)
{
	return db_list(
		st, "SELECT count(*) FROM visits v WHERE 1 = 1",
		"SELECT v.id, v.owner_id, o.display_name AS owner_name, v.institution_id, "
		"i.name AS institution_name, i.grade AS institution_grade, v.type, v.status, "
		"v.visit_date, v.planned_start_at, v.was_planned AS is_planned, v.objective, "
		"v.co_visitor_id, v.check_in_at, v.check_out_at, v.distance_m, "
		"v.location_status, v.location_reason, v.outcome, v.next_step, "
		"v.next_step_date, v.logged_at, v.is_effective, v.reasons_json, "
		"v.warnings_json, EXISTS (SELECT 1 FROM visit_comments r WHERE r.visit_id = v.id) "
		"AS is_reviewed, v.version FROM visits v JOIN users o ON o.id = v.owner_id "
		"JOIN institutions i ON i.id = v.institution_id WHERE 1 = 1",
		visit_filters, s, f, visit_sort, pg, out, e);
}

/* ---- evaluation and warnings ---- */

/* Evaluates one visit against d with the step codes of steps_doc and
 * stores is_effective and the reasons (derived: not audited). */
static enum ms_err evaluate(struct store *st, int64_t id, const struct visit_definition *d,
			    json_t *steps_doc, struct ms_error *e)
{
	struct visit_facts f;
	json_t *row = NULL, *steps, *s;
	const char *roles;
	unsigned bits = 0;
	char rs[VISIT_REASONS_JSON_MAX];
	size_t i;
	struct qb q;
	enum ms_err err;

	err = db_row_by_id(
		st,
		"SELECT v.type, v.status, v.check_in_at AS t_in, v.check_out_at AS "
		"t_out, v.logged_at AS t_log, v.location_status, v.location_note, "
		"v.steps_json, v.objective, v.outcome, v.next_step, v.next_step_date, "
		"(SELECT count(*) FROM visit_contacts vc WHERE vc.visit_id = v.id) AS n, "
		"(SELECT group_concat(c.decision_role) FROM visit_contacts vc JOIN "
		"contacts c ON c.id = vc.contact_id WHERE vc.visit_id = v.id) AS roles "
		"FROM visits v WHERE v.id = ?",
		id, &row, e);
	if (err)
		return err;
	memset(&f, 0, sizeof(f));
	f.type = JS(row, "type");
	f.status = JS(row, "status");
	f.check_in_at = JI(row, "t_in");
	f.check_out_at = JI(row, "t_out");
	f.logged_at = JI(row, "t_log");
	f.location_status = JS(row, "location_status");
	f.location_explained = JS(row, "location_note") && *JS(row, "location_note");
	f.ncontacts = (int)JI(row, "n");
	roles = JS(row, "roles");
	while (roles && *roles) {
		const char *comma = strchr(roles, ',');
		size_t n = comma ? (size_t)(comma - roles) : strlen(roles);
		char one[32];
		snprintf(one, sizeof(one), "%.*s", (int)(n < 31 ? n : 31), roles);
		f.contact_roles |= visit_role_bit(one);
		roles = comma ? comma + 1 : NULL;
	}
	steps = json_object_get(row, "steps");
	json_array_foreach(json_object_get(steps_doc, "steps"), i, s)
	{
		json_t *st1 = json_object_get(steps, JS(s, "code"));
		if (json_is_true(json_object_get(st1, "done")))
			f.steps_done++;
	}
	f.has_objective = JS(row, "objective") && *JS(row, "objective");
	f.has_outcome = JS(row, "outcome") && *JS(row, "outcome");
	f.has_next_step = JS(row, "next_step") && *JS(row, "next_step") &&
			  json_is_string(json_object_get(row, "next_step_date"));
	visit_evaluate(d, &f, &bits);
	json_decref(row);
	visit_reasons_json(bits, rs, sizeof(rs));
	qb_init(&q, "UPDATE visits SET is_effective = ?, reasons_json = ? WHERE id = ?");
	qb_int(&q, bits == 0);
	qb_text(&q, rs);
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

static enum ms_err evaluate_one(struct store *st, int64_t id, struct ms_error *e)
{
	struct visit_definition d;
	int64_t version;
	json_t *steps_doc = store_visit_settings(st, "seven_steps", &version);
	enum ms_err err;
	store_visit_definition(st, &d);
	err = evaluate(st, id, &d, steps_doc, e);
	json_decref(steps_doc);
	return err;
}

enum ms_err store_visit_reeval_contact(struct store *st, int64_t contact_id, const char *since,
				       int64_t *count, struct ms_error *e)
{
	struct visit_definition d;
	int64_t version;
	json_t *ids = NULL, *x, *steps_doc;
	size_t i;
	struct qb q;
	enum ms_err err;

	if (count)
		*count = 0;
	qb_init(&q, "SELECT v.id FROM visits v JOIN visit_contacts vc ON vc.visit_id = v.id WHERE "
		    "vc.contact_id = ? AND v.visit_date >= ? AND v.status <> 'cancelled' ORDER BY "
		    "v.id");
	qb_int(&q, contact_id);
	qb_text(&q, since);
	err = db_rows(st, &q, &ids, e);
	qb_release(&q);
	if (err)
		return err;
	store_visit_definition(st, &d);
	steps_doc = store_visit_settings(st, "seven_steps", &version);
	json_array_foreach(ids, i, x)
	{
		if ((err = evaluate(st, json_integer_value(json_object_get(x, "id")), &d, steps_doc,
				    e)))
			break;
		if (count)
			(*count)++;
	}
	json_decref(steps_doc);
	json_decref(ids);
	return err;
}

struct eval_change {
	int64_t id;
	int effective;
	char *reasons;
};

/* One batch: the visits that are not cancelled with an id after after_id,
 * at most limit of them in id order: the facts from one query, the
 * evaluation in C, and an UPDATE only where the result changed (so
 * re-saving the same definition writes nothing). *last the last id read,
 * *rows how many were read. */
static enum ms_err reeval_batch(struct store *st, int64_t after_id, int limit, int64_t *last,
				int *rows, struct ms_error *e)
{
	struct visit_definition d;
	struct eval_change *ch = NULL;
	size_t nch = 0, cap = 0;
	int64_t version;
	json_t *steps_doc, *codes;
	sqlite3_stmt *s;
	struct qb q;
	enum ms_err err = MS_OK;
	size_t i;
	int rc;

	*rows = 0;
	*last = after_id;
	store_visit_definition(st, &d);
	steps_doc = store_visit_settings(st, "seven_steps", &version);
	codes = json_object_get(steps_doc, "steps");
	qb_init(&q,
		"SELECT v.id, v.type, v.status, v.check_in_at, v.check_out_at, v.logged_at, "
		"v.location_status, v.location_note, v.steps_json, v.objective, v.outcome, "
		"v.next_step, v.next_step_date, (SELECT count(*) FROM visit_contacts vc WHERE "
		"vc.visit_id = v.id), (SELECT group_concat(c.decision_role) FROM visit_contacts "
		"vc JOIN contacts c ON c.id = vc.contact_id WHERE vc.visit_id = v.id), "
		"v.is_effective, v.reasons_json FROM visits v WHERE v.id > ? AND v.status <> "
		"'cancelled' ORDER BY v.id LIMIT ?");
	qb_int(&q, after_id);
	qb_int(&q, limit);
	s = db_prepare(st, &q, e);
	qb_release(&q);
	if (!s) {
		json_decref(steps_doc);
		return e ? e->err : MS_EDB;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct visit_facts f;
		const char *roles = (const char *)sqlite3_column_text(s, 14);
		const char *txt;
		json_t *steps, *x;
		unsigned bits = 0;
		char rs[VISIT_REASONS_JSON_MAX];
		int eff;

		memset(&f, 0, sizeof(f));
		f.type = (const char *)sqlite3_column_text(s, 1);
		f.status = (const char *)sqlite3_column_text(s, 2);
		f.check_in_at = sqlite3_column_int64(s, 3);
		f.check_out_at = sqlite3_column_int64(s, 4);
		f.logged_at = sqlite3_column_int64(s, 5);
		f.location_status = (const char *)sqlite3_column_text(s, 6);
		txt = (const char *)sqlite3_column_text(s, 7);
		f.location_explained = txt && *txt;
		steps = json_loads((const char *)sqlite3_column_text(s, 8), 0, NULL);
		json_array_foreach(codes, i, x)
		{
			if (json_is_true(
				    json_object_get(json_object_get(steps, JS(x, "code")), "done")))
				f.steps_done++;
		}
		json_decref(steps);
		txt = (const char *)sqlite3_column_text(s, 9);
		f.has_objective = txt && *txt;
		txt = (const char *)sqlite3_column_text(s, 10);
		f.has_outcome = txt && *txt;
		txt = (const char *)sqlite3_column_text(s, 11);
		f.has_next_step = txt && *txt && sqlite3_column_type(s, 12) != SQLITE_NULL;
		f.ncontacts = sqlite3_column_int(s, 13);
		while (roles && *roles) {
			const char *comma = strchr(roles, ',');
			size_t n = comma ? (size_t)(comma - roles) : strlen(roles);
			char one[32];
			snprintf(one, sizeof(one), "%.*s", (int)(n < 31 ? n : 31), roles);
			f.contact_roles |= visit_role_bit(one);
			roles = comma ? comma + 1 : NULL;
		}
		eff = visit_evaluate(&d, &f, &bits);
		visit_reasons_json(bits, rs, sizeof(rs));
		(*rows)++;
		*last = sqlite3_column_int64(s, 0);
		txt = (const char *)sqlite3_column_text(s, 16);
		if (eff == sqlite3_column_int(s, 15) && txt && !strcmp(txt, rs))
			continue;
		if (nch == cap) {
			struct eval_change *bigger;
			cap = cap ? cap * 2 : 256;
			bigger = realloc(ch, cap * sizeof(*ch));
			if (!bigger) {
				err = ms_fail(e, MS_EIO, "internal", "", "out of memory");
				break;
			}
			ch = bigger;
		}
		ch[nch].id = sqlite3_column_int64(s, 0);
		ch[nch].effective = eff;
		ch[nch].reasons = strdup(rs);
		nch++;
	}
	db_done(st, s);
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = db_error(st, rc, e);
	json_decref(steps_doc);
	for (i = 0; i < nch; i++) {
		if (!err) {
			qb_init(&q, "UPDATE visits SET is_effective = ?, reasons_json = ? WHERE id "
				    "= ?");
			qb_int(&q, ch[i].effective);
			qb_text(&q, ch[i].reasons);
			qb_int(&q, ch[i].id);
			err = db_exec(st, &q, e);
			qb_release(&q);
		}
		free(ch[i].reasons);
	}
	free(ch);
	return err;
}

enum ms_err store_visit_reeval_mark(struct store *st, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT OR REPLACE INTO visit_reeval (id, after_id, started_at) VALUES (1, 0, "
		    "?)");
	qb_int(&q, date_now());
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

int store_visit_reeval_pending(struct store *st)
{
	struct qb q;
	int64_t after;
	enum ms_err err;

	qb_init(&q, "SELECT after_id FROM visit_reeval WHERE id = 1");
	err = db_int(st, &q, &after, NULL);
	qb_release(&q);
	return err == MS_OK;
}

enum ms_err store_visit_reeval_step(struct store *st, int batch, int *more, int64_t *count,
				    struct ms_error *e)
{
	struct qb q;
	int64_t after, last;
	int rows = 0;
	enum ms_err err;

	*more = 0;
	if ((err = store_begin(st, 1)))
		return ms_fail(e, err, "internal", "", "cannot begin transaction");
	qb_init(&q, "SELECT after_id FROM visit_reeval WHERE id = 1");
	err = db_int(st, &q, &after, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND) {
		store_rollback(st);
		return MS_OK;
	}
	if (!err)
		err = reeval_batch(st, after, batch, &last, &rows, e);
	if (!err) {
		/* A batch short of the limit was the last one. */
		qb_init(&q, rows < batch ? "DELETE FROM visit_reeval WHERE id = 1"
					 : "UPDATE visit_reeval SET after_id = ? WHERE id = 1");
		if (rows >= batch)
			qb_int(&q, last);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (err) {
		store_rollback(st);
		return err;
	}
	if (store_commit(st))
		return ms_fail(e, MS_EDB, "internal", "", "commit failed");
	*count += rows;
	*more = rows >= batch;
	return MS_OK;
}

enum ms_err store_visit_reeval_run(struct store *st, int64_t *count, struct ms_error *e)
{
	enum ms_err err;
	int more = 1;

	*count = 0;
	while (more) {
		if ((err = store_visit_reeval_step(st, STORE_VISIT_REEVAL_BATCH, &more, count, e)))
			return err;
		/* A writer waiting for the lock (it tries every millisecond,
		 * store.c) takes it now, between two batches. */
		if (more)
			sqlite3_sleep(2);
	}
	return MS_OK;
}

/* Recomputes the warning signs of a rep's day (derived: not audited). */
static enum ms_err day_warnings(struct store *st, int64_t owner, const char *date,
				struct ms_error *e)
{
	struct visit_day_item items[256];
	int64_t ids[256];
	char old[256][64];
	struct visit_rules r;
	sqlite3_stmt *s;
	int rc;
	size_t n = 0;
	struct qb q;
	enum ms_err err = MS_OK;

	if ((err = store_visit_rules(st, &r, e)))
		return err;
	qb_init(&q, "SELECT id, check_in_at, check_out_at, logged_at, check_in_lat, check_in_lon, "
		    "warnings_json FROM visits WHERE owner_id = ? AND visit_date = ? AND "
		    "check_in_at IS NOT NULL AND status <> 'cancelled' ORDER BY check_in_at LIMIT "
		    "256");
	qb_int(&q, owner);
	qb_text(&q, date);
	s = db_prepare(st, &q, e);
	qb_release(&q);
	if (!s)
		return e ? e->err : MS_EDB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < 256) {
		ids[n] = sqlite3_column_int64(s, 0);
		items[n].check_in_at = sqlite3_column_int64(s, 1);
		items[n].check_out_at = sqlite3_column_int64(s, 2);
		items[n].logged_at = sqlite3_column_int64(s, 3);
		items[n].has_pos = sqlite3_column_type(s, 4) != SQLITE_NULL;
		items[n].lat = sqlite3_column_double(s, 4);
		items[n].lon = sqlite3_column_double(s, 5);
		db_copy_text(s, 6, old[n], sizeof(old[n]));
		n++;
	}
	db_done(st, s);
	if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = db_error(st, rc, e);
	visit_day_warnings(&r, items, n);
	for (size_t i = 0; i < n && !err; i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addch(&sb, '[');
		for (int w = 0; w < VW_COUNT; w++)
			if (items[i].warnings & (1u << w))
				strbuf_addf(&sb, "%s\"%s\"", sb.len > 1 ? "," : "",
					    visit_warning_code((enum visit_warning)w));
		strbuf_addch(&sb, ']');
		if (strcmp(strbuf_str(&sb), old[i])) {
			qb_init(&q, "UPDATE visits SET warnings_json = ? WHERE id = ?");
			qb_text(&q, strbuf_str(&sb));
			qb_int(&q, ids[i]);
			err = db_exec(st, &q, e);
			qb_release(&q);
		}
		strbuf_release(&sb);
	}
	return err;
}

/* ---- check-in, check-out, complete, cancel ---- */

static enum ms_err check_time(const struct visit_rules *r, int64_t at, int64_t now,
			      struct ms_error *e)
{
	if (at > now + r->future_skew_s)
		return ms_fail(e, MS_EINVAL, "out_of_range", "at", "'at' is in the future");
	if (at < now - BACKFILL_MAX_SECONDS)
		return ms_fail(e, MS_EINVAL, "out_of_range", "at",
			       "'at' is more than 30 days in the past");
	return MS_OK;
}

enum ms_err store_visit_check_in(struct store *st, const struct scope *who, int64_t id, int64_t at,
				 const struct visit_pos *pos, int64_t now, struct ms_error *e)
{
	struct visit_rules r;
	struct vinfo v;
	json_t *inst = NULL;
	double dist = -1;
	const char *reason = "remote";
	enum visit_loc loc = VL_NONE;
	char day[11];
	struct qb q;
	enum ms_err err;

	if ((err = store_visit_rules(st, &r, e)) || (err = check_time(&r, at, now, e)) ||
	    (err = load_writable(st, who, id, 0, &v, e)))
		return err;
	if (strcmp(v.status, "planned"))
		return bad_state(e, !strcmp(v.status, "cancelled")
					    ? "the visit was cancelled"
					    : "the visit is already checked in");
	if (pos->has_pos &&
	    (err = visit_check_coords(pos->lat, pos->lon, "latitude", "longitude", e)))
		return err;
	if ((err = db_row_by_id(st, "SELECT latitude, longitude FROM institutions WHERE id = ?",
				v.institution_id, &inst, e)))
		return err;
	if (visit_type_on_site(v.type))
		loc = visit_classify(&r, pos->has_pos, pos->lat, pos->lon, pos->accuracy_m,
				     json_is_number(json_object_get(inst, "latitude")),
				     JR(inst, "latitude"), JR(inst, "longitude"), &dist, &reason);
	json_decref(inst);
	date_format(date_of_instant(at), day);
	qb_init(&q, "UPDATE visits SET status = 'checked_in', check_in_at = ?, check_in_lat = ?, "
		    "check_in_lon = ?, check_in_accuracy_m = ?, distance_m = ?, "
		    "location_status = ?, location_reason = ?, visit_date = ?, updated_at = ?, "
		    "version = version + 1 WHERE id = ?");
	qb_int(&q, at);
	if (pos->has_pos) {
		qb_real(&q, pos->lat);
		qb_real(&q, pos->lon);
	} else {
		qb_null(&q);
		qb_null(&q);
	}
	if (pos->has_pos && pos->accuracy_m >= 0)
		qb_real(&q, pos->accuracy_m);
	else
		qb_null(&q);
	if (dist >= 0)
		qb_real(&q, round(dist));
	else
		qb_null(&q);
	qb_text(&q, visit_loc_name(loc));
	qb_text(&q, reason);
	qb_text(&q, day);
	qb_int(&q, now);
	qb_int(&q, id);
	err = db_exec_audited(st, who, "check_in", "visits", id, &q, e);
	qb_release(&q);
	if (!err && strcmp(day, v.visit_date))
		err = day_warnings(st, v.owner_id, v.visit_date, e);
	if (!err)
		err = day_warnings(st, v.owner_id, day, e);
	return err ? err : evaluate_one(st, id, e);
}

enum ms_err store_visit_check_out(struct store *st, const struct scope *who, int64_t id, int64_t at,
				  const struct visit_pos *pos, int64_t now, struct ms_error *e)
{
	struct visit_rules r;
	struct vinfo v;
	struct qb q;
	enum ms_err err;

	if ((err = store_visit_rules(st, &r, e)) || (err = load_writable(st, who, id, 0, &v, e)))
		return err;
	if (!strcmp(v.status, "planned"))
		return bad_state(e, "check in first: there is no check-in to check out from");
	if (strcmp(v.status, "checked_in"))
		return bad_state(e, "the visit is already checked out");
	if (at < v.t_in)
		return ms_fail(e, MS_EINVAL, "out_of_range", "at",
			       "check-out cannot be before check-in");
	if (at - v.t_in > VISIT_MAX_SECONDS)
		return ms_fail(e, MS_EINVAL, "out_of_range", "at",
			       "a visit lasts at most 12 hours");
	if ((err = check_time(&r, at, now, e)))
		return err;
	if (pos->has_pos &&
	    (err = visit_check_coords(pos->lat, pos->lon, "latitude", "longitude", e)))
		return err;
	qb_init(&q, "UPDATE visits SET status = 'checked_out', check_out_at = ?, "
		    "check_out_lat = ?, check_out_lon = ?, updated_at = ?, version = version + 1 "
		    "WHERE id = ?");
	qb_int(&q, at);
	if (pos->has_pos) {
		qb_real(&q, pos->lat);
		qb_real(&q, pos->lon);
	} else {
		qb_null(&q);
		qb_null(&q);
	}
	qb_int(&q, now);
	qb_int(&q, id);
	err = db_exec_audited(st, who, "check_out", "visits", id, &q, e);
	qb_release(&q);
	if (!err)
		err = day_warnings(st, v.owner_id, v.visit_date, e);
	return err ? err : evaluate_one(st, id, e);
}

/* Writes the needs answers into the institution's needs file: the open
 * need of that product line is updated, or a new one created. */
static enum ms_err apply_needs(struct store *st, const struct scope *who, const struct vinfo *v,
			       json_t *needs, struct ms_error *e)
{
	int64_t version, need_id = 0, need_version = 0;
	json_t *doc = store_visit_settings(st, "needs_templates", &version), *t, *q1, *answers;
	const char *line = JS(needs, "product_line_code");
	struct need_fields nf;
	char fallback[128];
	size_t i;
	struct qb q;
	enum ms_err err = MS_OK;
	int any = 0;

	t = template_of(doc, line);
	answers = json_object_get(needs, "answers");
	need_fields_init(&nf);
	json_array_foreach(json_object_get(t, "questions"), i, q1)
	{
		const char *target = JS(q1, "need_field");
		json_t *a = json_object_get(answers, JS(q1, "code"));
		if (!target || !a || (json_is_string(a) && !json_string_length(a)))
			continue;
		any = 1;
		if (!strcmp(target, "need"))
			nf.need = json_string_value(a);
		else if (!strcmp(target, "pain_points"))
			nf.pain_points = json_string_value(a);
		else if (!strcmp(target, "current_solution"))
			nf.current_solution = json_string_value(a);
		else if (!strcmp(target, "volume"))
			nf.volume = json_is_string(a) ? json_string_value(a) : NULL;
		else if (!strcmp(target, "budget_cycle"))
			nf.budget_cycle = json_string_value(a);
		else if (!strcmp(target, "current_age_years") && json_is_integer(a))
			nf.current_age_years =
				json_integer_value(a) > 200 ? 200 : json_integer_value(a);
		else if (!strcmp(target, "budget_fen") && json_is_integer(a))
			nf.budget_fen = json_integer_value(a);
		else if (!strcmp(target, "decision_by"))
			nf.decision_by = json_string_value(a);
	}
	if (!t || !any)
		goto out;
	qb_init(&q, "SELECT id, version FROM needs WHERE institution_id = ? AND "
		    "product_line_code = ? AND status = 'open' ORDER BY id DESC LIMIT 1");
	qb_int(&q, v->institution_id);
	qb_text(&q, line);
	{
		json_t *row = NULL;
		if (db_row(st, &q, &row, NULL) == MS_OK) {
			need_id = JI(row, "id");
			need_version = JI(row, "version");
		}
		json_decref(row);
	}
	qb_release(&q);
	if (need_id) {
		err = store_need_update(st, who, need_id, need_version, &nf, e);
	} else {
		int64_t nid;
		nf.institution_id = v->institution_id;
		nf.product_line_code = line;
		if (v->department_id)
			nf.department_id = v->department_id;
		if (!nf.need) {
			snprintf(fallback, sizeof(fallback), "拜访需求分析 (visit %lld)",
				 (long long)v->id);
			nf.need = fallback;
		}
		err = store_need_create(st, who, &nf, &nid, e);
	}
out:
	json_decref(doc);
	return err;
}

enum ms_err store_visit_complete(struct store *st, const struct scope *who, int64_t id, int64_t now,
				 struct ms_error *e)
{
	struct vinfo v;
	json_t *row = NULL, *needs;
	struct qb q;
	enum ms_err err;

	if ((err = load_writable(st, who, id, 0, &v, e)))
		return err;
	if (!strcmp(v.status, "planned"))
		return bad_state(e, "check in first");
	if (!strcmp(v.status, "checked_in"))
		return bad_state(e, "check out first");
	if (strcmp(v.status, "checked_out"))
		return bad_state(e, "the visit is already completed or cancelled");
	qb_init(&q, "UPDATE visits SET status = 'completed', logged_at = ?, updated_at = ?, "
		    "version = version + 1 WHERE id = ?");
	qb_int(&q, now);
	qb_int(&q, now);
	qb_int(&q, id);
	err = db_exec_audited(st, who, "complete", "visits", id, &q, e);
	qb_release(&q);
	if (!err) {
		/* The contacts met now count for the rep on that day. */
		qb_init(&q, "UPDATE visit_contacts SET owner_id = ?, visit_date = ? WHERE "
			    "visit_id = ?");
		qb_int(&q, v.owner_id);
		qb_text(&q, v.visit_date);
		qb_int(&q, id);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	if (err || (err = evaluate_one(st, id, e)) ||
	    (err = day_warnings(st, v.owner_id, v.visit_date, e)))
		return err;
	if ((err = db_row_by_id(st,
				"SELECT next_step, next_step_date, needs_json, institution_id FROM "
				"visits WHERE id = ?",
				id, &row, e)))
		return err;
	if (JS(row, "next_step") && *JS(row, "next_step") &&
	    json_is_string(json_object_get(row, "next_step_date"))) {
		int64_t tid;
		qb_init(&q, "INSERT INTO tasks (owner_id, due_date, title, visit_id, "
			    "institution_id, created_by, created_at, updated_at) VALUES (?, ?, ?, "
			    "?, ?, ?, ?, ?)");
		qb_int(&q, v.owner_id);
		qb_text(&q, JS(row, "next_step_date"));
		qb_text(&q, JS(row, "next_step"));
		qb_int(&q, id);
		qb_int(&q, v.institution_id);
		qb_int(&q, who->user_id);
		qb_int(&q, now);
		qb_int(&q, now);
		err = db_insert_audited(st, who, "tasks", &q, &tid, e);
		qb_release(&q);
	}
	needs = json_object_get(row, "needs");
	if (!err && json_is_object(needs))
		err = apply_needs(st, who, &v, needs, e);
	json_decref(row);
	return err;
}

enum ms_err store_visit_cancel(struct store *st, const struct scope *who, int64_t id,
			       const char *reason, struct ms_error *e)
{
	struct vinfo v;
	struct qb q;
	enum ms_err err;

	if ((err = load_writable(st, who, id, 1, &v, e)))
		return err;
	if (strcmp(v.status, "planned"))
		return bad_state(e, "only a planned visit can be cancelled");
	qb_init(&q, "UPDATE visits SET status = 'cancelled', cancel_reason = ?, updated_at = ?, "
		    "version = version + 1 WHERE id = ?");
	qb_text(&q, reason ? reason : "");
	qb_int(&q, date_now());
	qb_int(&q, id);
	err = db_exec_audited(st, who, "cancel", "visits", id, &q, e);
	qb_release(&q);
	return err;
}

/* ---- coaching ---- */

enum ms_err store_visit_comment(struct store *st, const struct scope *who, int64_t id,
				const char *comment, json_t *scores, int64_t *comment_id,
				struct ms_error *e)
{
	struct vinfo v;
	char *scores_s = NULL;
	double avg = 0;
	int nscores = 0;
	struct qb q;
	enum ms_err err;

	if (who->role != ROLE_MANAGER && who->role != ROLE_DIRECTOR)
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "",
			       "only a manager over the rep may coach");
	if ((err = load_visit(st, who, id, &v, e)))
		return err;
	if (v.owner_id == who->user_id)
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "",
			       "a manager does not coach their own visits");
	if (scores) {
		int64_t version;
		json_t *doc, *x;
		const char *key;
		if (strcmp(v.type, "joint"))
			return ms_fail(e, MS_EINVAL, "invalid", "scores",
				       "scores are given on joint visits only");
		if (strcmp(v.status, "completed"))
			return bad_state(e, "scores are given once the visit is completed");
		if (!json_is_object(scores) || json_object_size(scores) == 0)
			return ms_fail(e, MS_EINVAL, "invalid", "scores",
				       "'scores' must be an object of step codes and 1-5");
		doc = store_visit_settings(st, "seven_steps", &version);
		json_object_foreach(scores, key, x)
		{
			json_t *s;
			size_t i;
			int found = 0;
			json_array_foreach(json_object_get(doc, "steps"), i, s)
			{
				if (!strcmp(JS(s, "code"), key))
					found = 1;
			}
			if (!found) {
				json_decref(doc);
				return ms_fail(e, MS_EINVAL, "invalid", "scores",
					       "unknown step '%s'", key);
			}
			if (!json_is_integer(x) || json_integer_value(x) < 1 ||
			    json_integer_value(x) > 5) {
				json_decref(doc);
				return ms_fail(e, MS_EINVAL, "out_of_range", "scores",
					       "the score of '%s' must be 1 to 5", key);
			}
			avg += (double)json_integer_value(x);
			nscores++;
		}
		json_decref(doc);
		avg /= nscores;
		scores_s = dump_or(scores, "");
	} else if (!comment || !*comment) {
		return ms_fail(e, MS_EINVAL, "required", "comment", "give a 'comment' or 'scores'");
	}
	qb_init(&q, "INSERT INTO visit_comments (visit_id, author_id, rep_id, comment, "
		    "scores_json, score_avg, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, id);
	qb_int(&q, who->user_id);
	qb_int(&q, v.owner_id);
	qb_text(&q, comment ? comment : "");
	qb_text(&q, scores_s ? scores_s : "");
	if (nscores)
		qb_real(&q, round(avg * 100) / 100);
	else
		qb_null(&q);
	qb_int(&q, date_now());
	err = db_insert_audited(st, who, "visit_comments", &q, comment_id, e);
	qb_release(&q);
	free(scores_s);
	return err;
}

static enum ms_err user_visible(struct store *st, const struct scope *s, int64_t user_id,
				struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT 1 FROM users u WHERE u.id = ?");
	qb_int(&q, user_id);
	qb_scope_user(&q, s, "u.unit_id", "u.id");
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "user_id", "no such user");
	if (err)
		return err;
	return MS_OK;
}

enum ms_err store_coaching(struct store *st, const struct scope *s, int64_t user_id,
			   const char *from, const char *to, json_t **out, struct ms_error *e)
{
	int64_t version;
	json_t *items = NULL, *doc, *months, *it, *steps;
	size_t i;
	struct qb q;
	enum ms_err err;

	if ((err = user_visible(st, s, user_id, e)))
		return err;
	qb_init(&q, "SELECT cm.id, cm.visit_id, v.visit_date, v.type, v.institution_id, i.name AS "
		    "institution_name, cm.author_id, a.display_name AS author_name, cm.comment, "
		    "cm.scores_json, cm.score_avg, cm.created_at FROM visit_comments cm JOIN "
		    "visits v ON v.id = cm.visit_id JOIN institutions i ON i.id = v.institution_id "
		    "JOIN users a ON a.id = cm.author_id WHERE cm.rep_id = ? AND v.visit_date >= ? "
		    "AND v.visit_date <= ? ORDER BY v.visit_date DESC, cm.id DESC LIMIT 1000");
	qb_int(&q, user_id);
	qb_text(&q, from);
	qb_text(&q, to);
	err = db_rows(st, &q, &items, e);
	qb_release(&q);
	if (err)
		return err;
	doc = store_visit_settings(st, "seven_steps", &version);
	steps = json_object_get(doc, "steps");
	/* Monthly means per step, oldest first. */
	months = json_array();
	for (i = json_array_size(items); i-- > 0;) {
		json_t *scores, *m = NULL, *sums, *x;
		char month[8];
		const char *key;
		it = json_array_get(items, i);
		scores = json_object_get(it, "scores");
		if (!json_is_object(scores))
			continue;
		snprintf(month, sizeof(month), "%.7s", JS(it, "visit_date"));
		if (json_array_size(months))
			m = json_array_get(months, json_array_size(months) - 1);
		if (!m || strcmp(JS(m, "month"), month)) {
			m = json_pack("{s:s, s:i, s:f, s:{}, s:{}}", "month", month, "count", 0,
				      "sum", 0.0, "steps", "n");
			json_array_append_new(months, m);
		}
		json_object_set_new(m, "count", json_integer(JI(m, "count") + 1));
		json_object_set_new(m, "sum", json_real(JR(m, "sum") + JR(it, "score_avg")));
		sums = json_object_get(m, "steps");
		json_object_foreach(scores, key, x)
		{
			json_object_set_new(
				sums, key,
				json_real(JR(sums, key) + (double)json_integer_value(x)));
			json_object_set_new(json_object_get(m, "n"), key,
					    json_integer(JI(json_object_get(m, "n"), key) + 1));
		}
	}
	json_array_foreach(months, i, it)
	{
		json_t *sums = json_object_get(it, "steps"), *ns = json_object_get(it, "n"), *x;
		const char *key;
		json_object_set_new(it, "mean",
				    json_real(round(JR(it, "sum") / JI(it, "count") * 100) / 100));
		json_object_foreach(sums, key, x)
		{
			json_object_set_new(
				sums, key,
				json_real(round(json_real_value(x) / JI(ns, key) * 100) / 100));
		}
		json_object_del(it, "sum");
		json_object_del(it, "n");
	}
	*out = json_pack("{s:I, s:s, s:s, s:O, s:o, s:o}", "user_id", (json_int_t)user_id, "from",
			 from, "to", to, "steps", steps, "items", items, "months", months);
	json_decref(doc);
	return MS_OK;
}

/* ---- calendars ---- */

#define TEAM_GRID_MAX_REPS 50

/* The counts of the team calendar, grouped by `group` (constant SQL: a
 * column list and GROUP BY), over the visits of the scope (under unit_id)
 * from..to. */
static enum ms_err team_counts(struct store *st, const struct scope *s, int64_t unit_id,
			       const char *from, const char *to, const char *today,
			       const char *cols, const char *group, json_t **out,
			       struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT ");
	qb_sql(&q, cols);
	qb_sql(&q, ", count(*) AS total, sum(v.was_planned) AS planned, "
		   "sum(CASE WHEN v.status = 'completed' THEN 1 ELSE 0 END) AS completed, "
		   "sum(CASE WHEN v.status = 'completed' AND v.was_planned = 1 THEN 1 ELSE 0 END) "
		   "AS plan_done, sum(CASE WHEN v.status = 'cancelled' THEN 1 ELSE 0 END) AS "
		   "cancelled, sum(CASE WHEN v.was_planned = 1 AND v.status NOT IN ('completed', "
		   "'cancelled') AND v.visit_date < ? THEN 1 ELSE 0 END) AS missed, sum(CASE WHEN "
		   "v.status = 'completed' THEN v.is_effective "
		   "ELSE 0 END) AS effective FROM visits v WHERE v.visit_date >= ? AND "
		   "v.visit_date <= ?");
	qb_text(&q, today);
	qb_text(&q, from);
	qb_text(&q, to);
	qb_scope_owner(&q, s, "v.owner_id");
	if (unit_id) {
		struct scope sub;
		scope_for(&sub, ROLE_MANAGER, 0, unit_id);
		qb_scope_owner(&q, &sub, "v.owner_id");
	}
	qb_sql(&q, group);
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

/* The team view: per rep, per day, and (for a small team) per rep and day. */
static enum ms_err team_calendar(struct store *st, const struct scope *s, int64_t unit_id,
				 const char *from, const char *to, const char *today, json_t **out,
				 struct ms_error *e)
{
	json_t *reps = NULL, *days = NULL, *grid = NULL, *it, *sum;
	static const char *const keys[] = { "planned", "completed", "plan_done", "cancelled",
					    "missed",  "effective", NULL };
	int64_t totals[6] = { 0 };
	size_t i;
	enum ms_err err;

	if ((err = team_counts(st, s, unit_id, from, to, today,
			       "v.owner_id, (SELECT u.display_name FROM users u WHERE u.id = "
			       "v.owner_id) AS owner_name",
			       " GROUP BY v.owner_id ORDER BY v.owner_id", &reps, e)) ||
	    (err = team_counts(st, s, unit_id, from, to, today, "v.visit_date",
			       " GROUP BY v.visit_date ORDER BY v.visit_date", &days, e)))
		goto fail;
	if (json_array_size(reps) <= TEAM_GRID_MAX_REPS &&
	    (err = team_counts(st, s, unit_id, from, to, today, "v.owner_id, v.visit_date",
			       " GROUP BY v.owner_id, v.visit_date ORDER BY v.owner_id, "
			       "v.visit_date",
			       &grid, e)))
		goto fail;
	json_array_foreach(reps, i, it)
	{
		for (int k = 0; keys[k]; k++)
			totals[k] += JI(it, keys[k]);
	}
	sum = json_object();
	for (int k = 0; keys[k]; k++)
		json_object_set_new(sum, keys[k], json_integer(totals[k]));
	json_object_set_new(
		sum, "plan_rate",
		json_real(totals[0] ? round(1000.0 * totals[2] / totals[0]) / 1000 : 0.0));
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "view", "team", "from", from, "to", to,
			 "reps", reps, "days", days, "summary", sum);
	if (grid)
		json_object_set_new(*out, "grid", grid);
	return MS_OK;
fail:
	json_decref(reps);
	json_decref(days);
	json_decref(grid);
	return err;
}

enum ms_err store_visit_calendar(struct store *st, const struct scope *s, int64_t user_id,
				 int64_t unit_id, const char *from, const char *to,
				 const char *today, json_t **out, struct ms_error *e)
{
	json_t *items = NULL, *tasks = NULL, *it;
	int64_t planned = 0, done = 0, cancelled = 0, missed = 0, effective = 0, plan_done = 0;
	size_t i;
	struct qb q;
	enum ms_err err;

	if (s->kind == SCOPE_OWN && !user_id)
		user_id = s->user_id;
	if (!user_id)
		return team_calendar(st, s, unit_id, from, to, today, out, e);
	if ((err = user_visible(st, s, user_id, e)))
		return err;
	qb_init(&q, "SELECT v.id, v.owner_id, v.institution_id, i.name AS institution_name, "
		    "i.grade AS institution_grade, v.type, v.status, v.visit_date, "
		    "v.planned_start_at, v.check_in_at, v.check_out_at, v.objective, "
		    "v.was_planned AS is_planned, v.is_effective, v.location_status, "
		    "v.co_visitor_id, v.version FROM visits v JOIN institutions i ON i.id = "
		    "v.institution_id WHERE (v.owner_id = ? OR v.co_visitor_id = ?) AND "
		    "v.visit_date >= ? AND v.visit_date <= ? ORDER BY v.visit_date, "
		    "COALESCE(v.check_in_at, v.planned_start_at), v.id");
	qb_int(&q, user_id);
	qb_int(&q, user_id);
	qb_text(&q, from);
	qb_text(&q, to);
	err = db_rows(st, &q, &items, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "SELECT t.id, t.title, t.due_date, t.status, t.visit_id, t.institution_id, "
		    "i.name AS institution_name FROM tasks t LEFT JOIN institutions i ON i.id = "
		    "t.institution_id WHERE t.owner_id = ? AND t.due_date >= ? AND t.due_date <= ? "
		    "ORDER BY t.due_date, t.id");
	qb_int(&q, user_id);
	qb_text(&q, from);
	qb_text(&q, to);
	err = db_rows(st, &q, &tasks, e);
	qb_release(&q);
	if (err) {
		json_decref(items);
		return err;
	}
	json_array_foreach(items, i, it)
	{
		const char *stt = JS(it, "status");
		int was = json_is_true(json_object_get(it, "is_planned"));
		if (JI(it, "owner_id") != user_id)
			continue; /* a joint visit of someone else's: shown, not counted */
		planned += was;
		if (!strcmp(stt, "completed")) {
			done++;
			plan_done += was;
			effective += json_is_true(json_object_get(it, "is_effective"));
		} else if (!strcmp(stt, "cancelled")) {
			cancelled++;
		} else if (was && strcmp(JS(it, "visit_date"), today) < 0) {
			missed++;
		}
	}
	*out = json_pack("{s:s, s:I, s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:f}}",
			 "view", "user", "user_id", (json_int_t)user_id, "from", from, "to", to,
			 "items", items, "tasks", tasks, "summary", "planned", (json_int_t)planned,
			 "completed", (json_int_t)done, "plan_done", (json_int_t)plan_done,
			 "cancelled", (json_int_t)cancelled, "missed", (json_int_t)missed,
			 "effective", (json_int_t)effective, "plan_rate",
			 planned ? round(1000.0 * plan_done / planned) / 1000 : 0.0);
	return MS_OK;
}

/* ---- proposals ---- */

static int grade_visits(const struct grading_model *m, char g)
{
	return g == 'A' ? m->visits_a : g == 'B' ? m->visits_b : m->visits_c;
}

static int grade_contact_visits(const struct visit_rules *r, char g)
{
	return g == 'A'	  ? r->contact_visits_a
	       : g == 'B' ? r->contact_visits_b
			  : r->contact_visits_c;
}

/* The key contacts of an institution that are due for a visit under the
 * rules, each with its status; a new array. *earliest gets the earliest
 * due day among them. */
static enum ms_err contacts_due(struct store *st, int64_t inst, int per_month, int32_t today,
				json_t **out, int32_t *earliest, enum visit_due *worst,
				struct ms_error *e)
{
	json_t *contacts = NULL, *c;
	size_t j;
	struct qb q;
	enum ms_err err;

	*out = json_array();
	*earliest = INT32_MAX;
	*worst = VD_OK;
	if (per_month <= 0)
		return MS_OK;
	qb_init(&q,
		"SELECT c.id, c.name, c.decision_role, c.position, (SELECT max(vc.visit_date) "
		"FROM visit_contacts vc WHERE vc.contact_id = c.id AND vc.owner_id IS NOT "
		"NULL) AS last_visit_date FROM contacts c WHERE "
		"c.institution_id = ? AND c.is_key = 1 ORDER BY c.influence DESC, c.id LIMIT 20");
	qb_int(&q, inst);
	err = db_rows(st, &q, &contacts, e);
	qb_release(&q);
	if (err)
		return err;
	json_array_foreach(contacts, j, c)
	{
		int32_t cl = -1, cdue;
		enum visit_due ds;
		if (JS(c, "last_visit_date"))
			date_parse(JS(c, "last_visit_date"), &cl);
		ds = visit_due_status(cl, per_month, today, &cdue);
		if (ds == VD_OK)
			continue;
		if (cdue < *earliest)
			*earliest = cdue;
		if (ds == VD_NEVER || (ds == VD_OVERDUE && *worst != VD_NEVER) ||
		    (ds == VD_DUE && *worst == VD_OK))
			*worst = ds;
		json_object_set_new(c, "status", json_string(visit_due_name(ds)));
		json_array_append(*out, c);
	}
	json_decref(contacts);
	return MS_OK;
}

enum ms_err store_visit_proposals(struct store *st, const struct scope *s, int64_t user_id,
				  const char *from, const char *to, const char *today, json_t **out,
				  struct ms_error *e)
{
	struct grading_model gm;
	struct visit_rules vr;
	struct visit_proposal *props = NULL;
	json_t *rows = NULL, *items, *row, **due = NULL;
	int32_t dfrom, dto, dtoday;
	size_t i, n, k;
	struct qb q;
	enum ms_err err;

	if (s->kind == SCOPE_OWN && !user_id)
		user_id = s->user_id;
	if (!user_id)
		return ms_fail(e, MS_EINVAL, "required", "user_id", "'user_id' is required");
	if ((err = user_visible(st, s, user_id, e)))
		return err;
	date_parse(from, &dfrom);
	date_parse(to, &dto);
	date_parse(today, &dtoday);
	if ((err = store_grading_model(st, &gm, e)) || (err = store_visit_rules(st, &vr, e)))
		return err;
	/* The rep's institutions today, their last completed visit by anyone,
	 * and the last visit already planned in the horizon. */
	qb_init(&q,
		"SELECT i.id, i.name, i.grade, i.city, (SELECT max(v.visit_date) FROM visits "
		"v WHERE v.institution_id = i.id AND v.status = 'completed') AS last_visit, "
		"(SELECT max(v.visit_date) FROM visits v WHERE v.institution_id = i.id AND "
		"v.owner_id = ? AND v.status = 'planned' AND v.visit_date >= ? AND "
		"v.visit_date <= ?) AS planned FROM institutions i WHERE i.id IN (SELECT "
		"c.institution_id FROM coverage c WHERE c.user_id = ? AND c.valid_from <= ? AND "
		"(c.valid_to IS NULL OR c.valid_to > ?)) ORDER BY i.id");
	qb_int(&q, user_id);
	qb_text(&q, from);
	qb_text(&q, to);
	qb_int(&q, user_id);
	qb_text(&q, today);
	qb_text(&q, today);
	err = db_rows(st, &q, &rows, e);
	qb_release(&q);
	if (err)
		return err;
	n = json_array_size(rows);
	props = calloc(n ? n : 1, sizeof(*props));
	due = calloc(n ? n : 1, sizeof(*due));
	if (!props || !due) {
		err = ms_fail(e, MS_EIO, "internal", "", "out of memory");
		goto out;
	}
	k = 0;
	json_array_foreach(rows, i, row)
	{
		struct visit_proposal *p = &props[k];
		const char *last = JS(row, "last_visit");
		int32_t ld = -1, cearliest;
		enum visit_due cworst;
		char g = JS(row, "grade") ? JS(row, "grade")[0] : 'C';
		if (last)
			date_parse(last, &ld);
		p->institution_id = JI(row, "id");
		p->grade = g;
		p->last_day = ld;
		p->status = visit_due_status(ld, grade_visits(&gm, g), dtoday, &p->due_day);
		if (JS(row, "planned")) {
			/* Already planned in the horizon: the next one is due
			 * an interval after the last plan. */
			int32_t pd;
			date_parse(JS(row, "planned"), &pd);
			visit_due_status(pd, grade_visits(&gm, g), dtoday, &p->due_day);
			p->status = VD_OK;
		}
		if ((err = contacts_due(st, p->institution_id, grade_contact_visits(&vr, g), dtoday,
					&due[k], &cearliest, &cworst, e)))
			goto out;
		/* Key contacts due make the institution due too, unless a
		 * visit is planned already. */
		p->own = p->status;
		p->contacts = json_array_size(due[k]) ? cworst : VD_OK;
		if (json_array_size(due[k]) && !JS(row, "planned") && cearliest < p->due_day) {
			p->due_day = cearliest < dtoday ? dtoday : cearliest;
			if (p->status == VD_OK)
				p->status = cworst;
		}
		if (p->due_day > dto) {
			json_decref(due[k]);
			due[k] = NULL;
			continue;
		}
		k++;
	}
	/* Ranking reorders props; remember each one's contacts by id. */
	{
		json_t *by_id = json_object();
		char key[32];
		for (i = 0; i < k; i++) {
			snprintf(key, sizeof(key), "%lld", (long long)props[i].institution_id);
			json_object_set_new(by_id, key, due[i]);
			due[i] = NULL;
		}
		/* Working days by the holiday calendar, as the tender clock
		 * counts them (public holidays off, make-up days worked). */
		{
			struct holiday_set hs;
			int have = store_holiday_load(st, dfrom, dto, &hs, NULL) == MS_OK;
			visit_rank_proposals(props, k, dfrom, dto, vr.plan_per_day,
					     have ? &hs.cal : NULL);
			if (have)
				store_holiday_release(&hs);
		}
		items = json_array();
		for (i = 0; i < k; i++) {
			struct visit_proposal *p = &props[i];
			json_t *src = NULL;
			char dd[11], last[11], prop[11];
			size_t j;
			json_array_foreach(rows, j, row)
			{
				if (JI(row, "id") == p->institution_id)
					src = row;
			}
			snprintf(key, sizeof(key), "%lld", (long long)p->institution_id);
			date_format(p->due_day, dd);
			if (p->last_day >= 0)
				date_format(p->last_day, last);
			if (p->propose_day >= 0)
				date_format(p->propose_day, prop);
			json_array_append_new(
				items,
				json_pack("{s:I, s:O, s:s#, s:O, s:s?, s:s, s:s, s:s?, s:s?, s:f, "
					  "s:O}",
					  "institution_id", (json_int_t)p->institution_id,
					  "institution_name", json_object_get(src, "name"), "grade",
					  &p->grade, (size_t)1, "city",
					  json_object_get(src, "city"), "last_visit_date",
					  p->last_day >= 0 ? last : NULL, "due_date", dd, "status",
					  visit_due_name(p->own), "contacts_status",
					  p->contacts == VD_OK ? NULL : visit_due_name(p->contacts),
					  "proposed_date", p->propose_day >= 0 ? prop : NULL,
					  "score", round(p->score * 100) / 100, "contacts_due",
					  json_object_get(by_id, key)));
		}
		json_decref(by_id);
	}
	*out = json_pack("{s:I, s:s, s:s, s:o}", "user_id", (json_int_t)user_id, "from", from, "to",
			 to, "items", items);
out:
	if (due)
		for (i = 0; i < n; i++)
			json_decref(due[i]);
	free(due);
	free(props);
	json_decref(rows);
	return err;
}

/* ---- the coverage report ---- */

/* An open-addressing map from (rep index, id) to two counters. */
struct cmap {
	uint64_t *keys;
	int32_t *a, *b;
	size_t cap;
};

static int cmap_init(struct cmap *m, size_t n)
{
	m->cap = 1024;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->a = calloc(m->cap, sizeof(*m->a));
	m->b = calloc(m->cap, sizeof(*m->b));
	return m->keys && m->a && m->b ? 0 : -1;
}

static void cmap_release(struct cmap *m)
{
	free(m->keys);
	free(m->a);
	free(m->b);
}

/* The slot of key (never 0: callers add 1 to the rep index). */
static size_t cmap_slot(struct cmap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static uint64_t ckey(size_t rep, int64_t id)
{
	return ((uint64_t)(rep + 1) << 40) ^ (uint64_t)id;
}

struct rep_stat {
	int64_t id, unit_id;
	char name[64], username[64];
	int completed, effective, planned, plan_done, cancelled, missed;
	int inst[3][4];			 /* per grade: covered, required visits, met, under */
	int inst_visits[3], inst_due[3]; /* visits made; visits due by today */
	int contacts[3][3];		 /* per grade: key contacts tracked, met, under */
	int week_v[PERIOD_MAX_WEEKS], week_e[PERIOD_MAX_WEEKS];
	int month_v[PERIOD_MAX_MONTHS], month_e[PERIOD_MAX_MONTHS];
};

#define UNDER_LIST_MAX 200 /* under-visited institutions listed */

static int rep_cmp(const void *a, const void *b)
{
	const struct rep_stat *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static struct rep_stat *rep_find(struct rep_stat *reps, size_t n, int64_t id)
{
	struct rep_stat key;
	key.id = id;
	return bsearch(&key, reps, n, sizeof(*reps), rep_cmp);
}

static int grade_index(const unsigned char *g)
{
	return g && *g == 'A' ? 0 : g && *g == 'B' ? 1 : 2;
}

/* The reps of the report, as a subquery on users u: constant text plus the
 * scope's and filters' placeholders. */
static void reps_where(struct qb *q, const struct scope *s, int64_t unit_id, int64_t user_id)
{
	qb_sql(q, "SELECT u.id FROM users u WHERE u.role = 'rep' AND u.active = 1");
	qb_scope_user(q, s, "u.unit_id", "u.id");
	if (unit_id) {
		struct scope sub;
		scope_for(&sub, ROLE_MANAGER, 0, unit_id);
		qb_scope_user(q, &sub, "u.unit_id", "u.id");
	}
	qb_and_int(q, " AND u.id = ?", user_id);
}

/* Prepares the query begun in q, its rep list (reps_where) closed by tail,
 * with the period's two bounds bound after it when from is set. */
static sqlite3_stmt *reps_stmt(struct store *st, struct qb *q, const struct scope *s,
			       int64_t unit_id, int64_t user_id, const char *tail, const char *from,
			       const char *to, struct ms_error *e)
{
	sqlite3_stmt *stmt;

	reps_where(q, s, unit_id, user_id);
	qb_sql(q, tail);
	if (from) {
		qb_text(q, from);
		qb_text(q, to);
	}
	stmt = db_prepare(st, q, e);
	qb_release(q);
	return stmt;
}

static json_t *grade_block(const int (*g)[4], const int *visits, const int *due)
{
	static const char *const names[] = { "A", "B", "C" };
	json_t *o = json_object();
	for (int k = 0; k < 3; k++)
		json_object_set_new(o, names[k],
				    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "covered", g[k][0],
					      "required_visits", g[k][1], "due_visits", due[k],
					      "visits", visits[k], "met", g[k][2], "under",
					      g[k][3]));
	return o;
}

static json_t *contact_block(const int (*c)[3])
{
	static const char *const names[] = { "A", "B", "C" };
	json_t *o = json_object();
	for (int k = 0; k < 3; k++)
		json_object_set_new(o, names[k],
				    json_pack("{s:i, s:i, s:i}", "tracked", c[k][0], "met", c[k][1],
					      "under", c[k][2]));
	return o;
}

static double rate(int num, int den)
{
	return den ? round(1000.0 * num / den) / 1000 : 0.0;
}

enum ms_err store_visit_coverage(struct store *st, const struct scope *s, int64_t unit_id,
				 int64_t user_id, const char *from, const char *to, json_t **out,
				 struct ms_error *e)
{
	struct grading_model gm;
	struct visit_rules vr;
	struct rep_stat *reps = NULL, team;
	struct cmap inst_map = { 0 }, contact_map = { 0 };
	json_t *rep_items = NULL, *under = NULL, *under_g[3] = { NULL, NULL, NULL };
	int32_t dfrom, dto, dtoday, week0;
	int days, elapsed, nweeks, nmonths, req[3], creq[3], due[3], cdue[3];
	int fy, fm, fd;
	char asof[11], today[11];
	size_t nreps = 0, cap = 64;
	sqlite3_stmt *stmt = NULL;
	int rc;
	struct qb q;
	enum ms_err err = MS_OK;

	date_parse(from, &dfrom);
	date_parse(to, &dto);
	db_today(today);
	date_parse(today, &dtoday);
	days = dto - dfrom + 1;
	week0 = dfrom - (date_weekday(dfrom) - 1);
	nweeks = (dto - week0) / 7 + 1;
	date_to_ymd(dfrom, &fy, &fm, &fd);
	{
		int ty, tm, td;
		date_to_ymd(dto, &ty, &tm, &td);
		nmonths = (ty - fy) * 12 + (tm - fm) + 1;
	}
	/* The rule is the days; weeks and months follow from it (the
	 * calendar's rule, api_visit.c). */
	if (days > PERIOD_MAX_DAYS || nweeks > PERIOD_MAX_WEEKS || nmonths > PERIOD_MAX_MONTHS)
		return ms_fail(e, MS_EINVAL, "out_of_range", "to", "the period is at most %d days",
			       PERIOD_MAX_DAYS);
	date_format(dto < dtoday ? dto : dtoday, asof);
	/* Days of the period gone by, today included: what is due is judged
	 * on them, the period's target is shown beside it (docs/visits.md). */
	elapsed = (dto < dtoday ? dto : dtoday) - dfrom + 1;
	if (elapsed < 0)
		elapsed = 0;
	if ((err = store_grading_model(st, &gm, e)) || (err = store_visit_rules(st, &vr, e)))
		return err;
	for (int k = 0; k < 3; k++) {
		req[k] = visit_required(grade_visits(&gm, "ABC"[k]), days);
		creq[k] = visit_required(grade_contact_visits(&vr, "ABC"[k]), days);
		due[k] = visit_due_by(req[k], elapsed, days);
		cdue[k] = visit_due_by(creq[k], elapsed, days);
	}

	/* 1. The reps. */
	reps = calloc(cap, sizeof(*reps));
	if (!reps)
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	qb_init(&q,
		"SELECT u.id, u.unit_id, u.display_name, u.username FROM users u WHERE u.id IN (");
	stmt = reps_stmt(st, &q, s, unit_id, user_id, ") ORDER BY u.id", NULL, NULL, e);
	if (!stmt) {
		err = e ? e->err : MS_EDB;
		goto out;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct rep_stat *r;
		if (nreps == cap) {
			struct rep_stat *bigger = realloc(reps, cap * 2 * sizeof(*reps));
			if (!bigger) {
				db_done(st, stmt);
				err = ms_fail(e, MS_EIO, "internal", "", "out of memory");
				goto out;
			}
			reps = bigger;
			memset(reps + cap, 0, cap * sizeof(*reps));
			cap *= 2;
		}
		r = &reps[nreps++];
		r->id = sqlite3_column_int64(stmt, 0);
		r->unit_id = sqlite3_column_int64(stmt, 1);
		db_copy_text(stmt, 2, r->name, sizeof(r->name));
		db_copy_text(stmt, 3, r->username, sizeof(r->username));
	}
	db_done(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = db_error(st, rc, e);
		goto out;
	}
	if (user_id && nreps == 0) {
		err = ms_fail(e, MS_ENOTFOUND, "not_found", "user_id", "no such rep");
		goto out;
	}
	if (cmap_init(&inst_map, nreps * 64) || cmap_init(&contact_map, nreps * 128)) {
		err = ms_fail(e, MS_EIO, "internal", "", "out of memory");
		goto out;
	}

	/* 2. Visits of the period, from the covering index. */
	qb_init(&q, "SELECT v.owner_id, v.visit_date, v.institution_id, v.status, v.is_effective, "
		    "v.was_planned FROM visits v WHERE v.owner_id IN (");
	stmt = reps_stmt(st, &q, s, unit_id, user_id,
			 ") AND v.visit_date >= ? AND v.visit_date <= ?", from, to, e);
	if (!stmt) {
		err = e ? e->err : MS_EDB;
		goto out;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct rep_stat *r = rep_find(reps, nreps, sqlite3_column_int64(stmt, 0));
		const char *stt = (const char *)sqlite3_column_text(stmt, 3);
		int32_t day;
		int eff = sqlite3_column_int(stmt, 4), was = sqlite3_column_int(stmt, 5);
		if (!r || date_parse((const char *)sqlite3_column_text(stmt, 1), &day))
			continue;
		r->planned += was;
		if (!strcmp(stt, "completed")) {
			int y, m, d, mi, wi = (day - week0) / 7;
			size_t slot = cmap_slot(
				&inst_map, ckey((size_t)(r - reps), sqlite3_column_int64(stmt, 2)));
			date_to_ymd(day, &y, &m, &d);
			mi = (y - fy) * 12 + (m - fm);
			r->completed++;
			r->effective += eff;
			r->plan_done += was;
			if (wi >= 0 && wi < nweeks) {
				r->week_v[wi]++;
				r->week_e[wi] += eff;
			}
			if (mi >= 0 && mi < nmonths) {
				r->month_v[mi]++;
				r->month_e[mi] += eff;
			}
			inst_map.keys[slot] =
				ckey((size_t)(r - reps), sqlite3_column_int64(stmt, 2));
			inst_map.a[slot]++;
		} else if (!strcmp(stt, "cancelled")) {
			r->cancelled++;
		} else if (was && day < dtoday) {
			/* A plan whose day has passed without being completed:
			 * never started, or checked in (out) and never completed. */
			r->missed++;
		}
	}
	db_done(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = db_error(st, rc, e);
		goto out;
	}

	/* 3. Visits to contacts in the period. */
	qb_init(&q, "SELECT vc.owner_id, vc.contact_id FROM visit_contacts vc WHERE vc.owner_id "
		    "IS NOT NULL AND vc.owner_id IN (");
	stmt = reps_stmt(st, &q, s, unit_id, user_id,
			 ") AND vc.visit_date >= ? AND vc.visit_date <= ?", from, to, e);
	if (!stmt) {
		err = e ? e->err : MS_EDB;
		goto out;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct rep_stat *r = rep_find(reps, nreps, sqlite3_column_int64(stmt, 0));
		uint64_t key;
		size_t slot;
		if (!r)
			continue;
		key = ckey((size_t)(r - reps), sqlite3_column_int64(stmt, 1));
		slot = cmap_slot(&contact_map, key);
		contact_map.keys[slot] = key;
		contact_map.a[slot]++;
	}
	db_done(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = db_error(st, rc, e);
		goto out;
	}

	/* 4. The institutions each rep covers, by grade, against the policy,
	 * with their key contacts (one row per contact, or one with NULL):
	 * rows of one coverage come together. */
	for (int g = 0; g < 3; g++)
		under_g[g] = json_array();
	qb_init(&q, "SELECT c.user_id, i.id, i.grade, ct.id FROM coverage c JOIN institutions i "
		    "ON i.id = c.institution_id LEFT JOIN contacts ct ON ct.institution_id = i.id "
		    "AND ct.is_key = 1 WHERE c.valid_from <= ? AND (c.valid_to IS NULL OR "
		    "c.valid_to > ?) AND c.user_id IN (");
	qb_text(&q, asof);
	qb_text(&q, asof);
	stmt = reps_stmt(st, &q, s, unit_id, user_id, ")", NULL, NULL, e);
	if (!stmt) {
		err = e ? e->err : MS_EDB;
		goto out;
	}
	{
		int64_t last_user = 0, last_inst = 0;
		struct rep_stat *r = NULL;
		int g = 2;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			int64_t uid = sqlite3_column_int64(stmt, 0),
				inst = sqlite3_column_int64(stmt, 1);
			if (uid != last_user || inst != last_inst) {
				size_t slot;
				int nv;
				last_user = uid;
				last_inst = inst;
				r = rep_find(reps, nreps, uid);
				if (!r)
					continue;
				g = grade_index(sqlite3_column_text(stmt, 2));
				slot = cmap_slot(&inst_map, ckey((size_t)(r - reps), inst));
				nv = inst_map.keys[slot] ? inst_map.a[slot] : 0;
				r->inst[g][0]++;
				r->inst[g][1] += req[g];
				r->inst_due[g] += due[g];
				r->inst_visits[g] += nv;
				if (nv >= due[g]) {
					r->inst[g][2]++;
				} else {
					r->inst[g][3]++;
					if (json_array_size(under_g[g]) < UNDER_LIST_MAX)
						json_array_append_new(
							under_g[g],
							json_pack("{s:I, s:s#, s:I, s:i, s:i, s:i}",
								  "institution_id",
								  (json_int_t)inst, "grade",
								  "ABC" + g, (size_t)1, "user_id",
								  (json_int_t)r->id, "required",
								  req[g], "due", due[g], "visits",
								  nv));
				}
			}
			if (!r || cdue[g] == 0 || sqlite3_column_type(stmt, 3) == SQLITE_NULL)
				continue;
			{
				size_t slot = cmap_slot(
					&contact_map,
					ckey((size_t)(r - reps), sqlite3_column_int64(stmt, 3)));
				int nv = contact_map.keys[slot] ? contact_map.a[slot] : 0;
				r->contacts[g][0]++;
				if (nv >= cdue[g])
					r->contacts[g][1]++;
				else
					r->contacts[g][2]++;
			}
		}
	}
	db_done(st, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = db_error(st, rc, e);
		goto out;
	}
	/* The under-visited, A first, with names. */
	under = json_array();
	for (int g = 0; g < 3; g++) {
		json_t *x;
		size_t k;
		json_array_foreach(under_g[g], k, x)
		{
			json_t *row = NULL;
			struct rep_stat *r = rep_find(reps, nreps, JI(x, "user_id"));
			if (json_array_size(under) >= UNDER_LIST_MAX)
				break;
			if (db_row_by_id(st, "SELECT name FROM institutions WHERE id = ?",
					 JI(x, "institution_id"), &row, NULL) == MS_OK)
				json_object_set(x, "institution_name",
						json_object_get(row, "name"));
			json_decref(row);
			if (r)
				json_object_set_new(x, "user_name", json_string(r->name));
			json_array_append(under, x);
		}
	}

	/* The answer, per rep and for the team. Weeks and months are lists
	 * of counts in the order of the top-level "weeks" and "months". */
	memset(&team, 0, sizeof(team));
	rep_items = json_array();
	for (size_t i = 0; i < nreps; i++) {
		struct rep_stat *r = &reps[i];
		json_t *wv = json_array(), *we = json_array(), *mv = json_array(),
		       *me = json_array();
		int under_n = r->inst[0][3] + r->inst[1][3] + r->inst[2][3];
		int covered = r->inst[0][0] + r->inst[1][0] + r->inst[2][0];
		for (int w = 0; w < nweeks; w++) {
			json_array_append_new(wv, json_integer(r->week_v[w]));
			json_array_append_new(we, json_integer(r->week_e[w]));
			team.week_v[w] += r->week_v[w];
			team.week_e[w] += r->week_e[w];
		}
		for (int m = 0; m < nmonths; m++) {
			json_array_append_new(mv, json_integer(r->month_v[m]));
			json_array_append_new(me, json_integer(r->month_e[m]));
			team.month_v[m] += r->month_v[m];
			team.month_e[m] += r->month_e[m];
		}
		for (int g = 0; g < 3; g++) {
			for (int k = 0; k < 4; k++)
				team.inst[g][k] += r->inst[g][k];
			for (int k = 0; k < 3; k++)
				team.contacts[g][k] += r->contacts[g][k];
			team.inst_visits[g] += r->inst_visits[g];
			team.inst_due[g] += r->inst_due[g];
		}
		team.completed += r->completed;
		team.effective += r->effective;
		team.planned += r->planned;
		team.plan_done += r->plan_done;
		team.cancelled += r->cancelled;
		team.missed += r->missed;
		json_array_append_new(
			rep_items,
			json_pack("{s:I, s:s, s:s, s:I, s:i, s:i, s:f, s:i, s:i, s:f, s:i, s:i, "
				  "s:i, s:f, s:o, s:o, s:o, s:o, s:o, s:o}",
				  "user_id", (json_int_t)r->id, "username", r->username,
				  "display_name", r->name, "unit_id", (json_int_t)r->unit_id,
				  "visits", r->completed, "effective", r->effective,
				  "effective_rate", rate(r->effective, r->completed), "planned",
				  r->planned, "plan_done", r->plan_done, "plan_rate",
				  rate(r->plan_done, r->planned), "missed", r->missed,
				  "institutions_covered", covered, "under_visited", under_n,
				  "frequency_rate", rate(covered - under_n, covered),
				  "institutions", grade_block(r->inst, r->inst_visits, r->inst_due),
				  "key_contacts", contact_block(r->contacts), "week_visits", wv,
				  "week_effective", we, "month_visits", mv, "month_effective", me));
	}
	{
		json_t *weeks = json_array(), *months = json_array(), *wv = json_array(),
		       *we = json_array(), *mv = json_array(), *me = json_array();
		int covered = team.inst[0][0] + team.inst[1][0] + team.inst[2][0];
		int under_n = team.inst[0][3] + team.inst[1][3] + team.inst[2][3];
		for (int w = 0; w < nweeks; w++) {
			char ws[11];
			date_format(week0 + 7 * w, ws);
			json_array_append_new(weeks, json_string(ws));
			json_array_append_new(wv, json_integer(team.week_v[w]));
			json_array_append_new(we, json_integer(team.week_e[w]));
		}
		for (int m = 0; m < nmonths; m++) {
			char ms[16];
			int y = fy + (fm - 1 + m) / 12, mo = (fm - 1 + m) % 12 + 1;
			snprintf(ms, sizeof(ms), "%04d-%02d", y, mo);
			json_array_append_new(months, json_string(ms));
			json_array_append_new(mv, json_integer(team.month_v[m]));
			json_array_append_new(me, json_integer(team.month_e[m]));
		}
		*out = json_pack(
			"{s:s, s:s, s:i, s:i, s:o, s:o, s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}, "
			"s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}, s:o, "
			"s:{s:i, s:i, s:i, s:f, s:i, s:i, s:f, s:i, s:i, s:i, s:f, s:o, s:o, s:o, "
			"s:o, s:o, s:o}, s:o}",
			"from", from, "to", to, "days", days, "elapsed_days", elapsed, "weeks",
			weeks, "months", months, "policy_institutions", "A", req[0], "B", req[1],
			"C", req[2], "policy_key_contacts", "A", creq[0], "B", creq[1], "C",
			creq[2], "due_institutions", "A", due[0], "B", due[1], "C", due[2],
			"due_key_contacts", "A", cdue[0], "B", cdue[1], "C", cdue[2], "reps",
			rep_items, "team", "reps", (int)nreps, "visits", team.completed,
			"effective", team.effective, "effective_rate",
			rate(team.effective, team.completed), "planned", team.planned, "plan_done",
			team.plan_done, "plan_rate", rate(team.plan_done, team.planned), "missed",
			team.missed, "institutions_covered", covered, "under_visited", under_n,
			"frequency_rate", rate(covered - under_n, covered), "institutions",
			grade_block(team.inst, team.inst_visits, team.inst_due), "key_contacts",
			contact_block(team.contacts), "week_visits", wv, "week_effective", we,
			"month_visits", mv, "month_effective", me, "under_visited_list", under);
		rep_items = under = NULL;
	}
out:
	json_decref(rep_items);
	json_decref(under);
	for (int g = 0; g < 3; g++)
		json_decref(under_g[g]);
	cmap_release(&inst_map);
	cmap_release(&contact_map);
	free(reps);
	return err;
}

/* ---- tasks ---- */

static const struct sort_key task_sort[] = {
	{ "due_date", "t.due_date, t.id", "t.due_date DESC, t.id DESC" },
	{ "created_at", "t.created_at, t.id", "t.created_at DESC, t.id DESC" },
	{ NULL, NULL, NULL }
};

#define TASK_COLUMNS                                                                               \
	"SELECT t.id, t.owner_id, u.display_name AS owner_name, t.due_date, t.title, t.visit_id, " \
	"t.institution_id, i.name AS institution_name, t.status, t.done_at, t.created_at, "        \
	"t.updated_at, t.version FROM tasks t JOIN users u ON u.id = t.owner_id LEFT JOIN "        \
	"institutions i ON i.id = t.institution_id WHERE 1 = 1"

static void task_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			 int rows)
{
	const struct task_filter *f = fv;

	(void)like;
	(void)rows;
	qb_scope_owner(q, s, "t.owner_id");
	qb_and_int(q, " AND t.owner_id = ?", f->owner_id);
	qb_and_text(q, " AND t.status = ?", f->status);
	qb_and_text(q, " AND t.due_date <= ?", f->due_before);
}

enum ms_err store_task_list(struct store *st, const struct scope *s, const struct task_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e)
{
	return db_list(st, "SELECT count(*) FROM tasks t WHERE 1 = 1", TASK_COLUMNS, task_filters,
		       s, f, task_sort, pg, out, e);
}

enum ms_err store_task_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, TASK_COLUMNS " AND t.id = ?");
	qb_int(&q, id);
	qb_scope_owner(&q, s, "t.owner_id");
	err = db_row(st, &q, out, NULL);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such task");
	return err ? ms_fail(e, err, "internal", "", "storage error") : MS_OK;
}

enum ms_err store_task_complete(struct store *st, const struct scope *who, int64_t id, int done,
				struct ms_error *e)
{
	json_t *row = NULL;
	struct qb q;
	enum ms_err err;

	if ((err = store_task_get(st, who, id, &row, e)))
		return err;
	if (JI(row, "owner_id") != who->user_id) {
		json_decref(row);
		return ms_fail(e, MS_EFORBIDDEN, "forbidden", "",
			       "only the task's owner may complete it");
	}
	json_decref(row);
	qb_init(&q, "UPDATE tasks SET status = ?, done_at = ?, updated_at = ?, version = version + "
		    "1 WHERE id = ?");
	qb_text(&q, done ? "done" : "open");
	if (done)
		qb_int(&q, date_now());
	else
		qb_null(&q);
	qb_int(&q, date_now());
	qb_int(&q, id);
	err = db_exec_audited(st, who, done ? "complete" : "reopen", "tasks", id, &q, e);
	qb_release(&q);
	return err;
}

/* ---- the calendar feed ---- */

enum ms_err store_calendar_token_set(struct store *st, const struct scope *who,
				     const char *token_hash, struct ms_error *e)
{
	int64_t created = 0, id = who->user_id;
	struct qb q;
	enum ms_err err;

	if ((err = store_calendar_token_info(st, who->user_id, &created, e)))
		return err;
	if (created) {
		qb_init(&q, "UPDATE calendar_tokens SET token_hash = ?, created_at = ? WHERE "
			    "user_id = ?");
		qb_text(&q, token_hash);
		qb_int(&q, date_now());
		qb_int(&q, who->user_id);
		err = db_exec_audited(st, who, "renew", "calendar_tokens", id, &q, e);
	} else {
		qb_init(&q, "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES "
			    "(?, ?, ?)");
		qb_int(&q, who->user_id);
		qb_text(&q, token_hash);
		qb_int(&q, date_now());
		err = db_insert_audited(st, who, "calendar_tokens", &q, &id, e);
	}
	qb_release(&q);
	return err;
}

enum ms_err store_calendar_token_revoke(struct store *st, const struct scope *who, int64_t user_id,
					int *revoked, struct ms_error *e)
{
	int64_t created = 0;
	struct qb q;
	enum ms_err err;

	*revoked = 0;
	if ((err = store_calendar_token_info(st, user_id, &created, e)) || !created)
		return err;
	qb_init(&q, "DELETE FROM calendar_tokens WHERE user_id = ?");
	qb_int(&q, user_id);
	err = db_exec_audited(st, who, "revoke", "calendar_tokens", user_id, &q, e);
	qb_release(&q);
	*revoked = !err;
	return err;
}

enum ms_err store_calendar_token_info(struct store *st, int64_t user_id, int64_t *created_at,
				      struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	*created_at = 0;
	qb_init(&q, "SELECT created_at FROM calendar_tokens WHERE user_id = ?");
	qb_int(&q, user_id);
	err = db_int(st, &q, created_at, NULL);
	qb_release(&q);
	if (err == MS_ENOTFOUND) {
		*created_at = 0;
		return MS_OK;
	}
	return err ? ms_fail(e, err, "internal", "", "storage error") : MS_OK;
}

enum ms_err store_calendar_token_user(struct store *st, const char *token_hash, int64_t *user_id,
				      char *display_name, size_t n, struct ms_error *e)
{
	json_t *row = NULL;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT u.id, u.display_name FROM calendar_tokens t JOIN users u ON u.id = "
		    "t.user_id WHERE t.token_hash = ? AND u.active = 1");
	qb_text(&q, token_hash);
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such calendar");
	if (err)
		return err;
	*user_id = JI(row, "id");
	snprintf(display_name, n, "%s", JS(row, "display_name"));
	json_decref(row);
	return MS_OK;
}

enum ms_err store_visit_feed(struct store *st, int64_t user_id, const char *from, const char *to,
			     json_t **out, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "SELECT v.id, v.type, v.status, v.visit_date, v.planned_start_at AS t_plan, "
		    "v.check_in_at AS t_in, v.check_out_at AS t_out, v.objective, v.next_step, "
		    "i.name AS institution_name, i.address, i.city, i.district, "
		    "(SELECT u.locale FROM users u WHERE u.id = ?) AS locale, v.updated_at AS "
		    "t_upd FROM visits v JOIN institutions i ON i.id = v.institution_id WHERE "
		    "(v.owner_id = ? OR v.co_visitor_id = ?) AND v.visit_date >= ? AND "
		    "v.visit_date <= ? ORDER BY v.visit_date, v.id LIMIT 2000");
	qb_int(&q, user_id);
	qb_int(&q, user_id);
	qb_int(&q, user_id);
	qb_text(&q, from);
	qb_text(&q, to);
	err = db_rows(st, &q, out, e);
	qb_release(&q);
	return err;
}

/* ---- the batch path ---- */

enum ms_err store_visit_insert_raw(struct store *st, const struct visit_row *r, int64_t *id,
				   struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT INTO visits (owner_id, institution_id, department_id, type, status, "
		    "visit_date, planned_start_at, was_planned, objective, co_visitor_id, "
		    "check_in_at, check_in_lat, check_in_lon, check_out_at, check_out_lat, "
		    "check_out_lon, distance_m, location_status, location_reason, location_note, "
		    "steps_json, products_json, outcome, next_step, next_step_date, logged_at, "
		    "is_effective, reasons_json, warnings_json, created_by, created_at, "
		    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, r->owner_id);
	qb_int(&q, r->institution_id);
	if (r->department_id)
		qb_int(&q, r->department_id);
	else
		qb_null(&q);
	qb_text(&q, r->type);
	qb_text(&q, r->status);
	qb_text(&q, r->visit_date);
#define OPT_I(v)                                                                                   \
	if (v)                                                                                     \
		qb_int(&q, v);                                                                     \
	else                                                                                       \
		qb_null(&q)
	OPT_I(r->planned_start_at);
	qb_int(&q, r->was_planned);
	qb_text(&q, r->objective ? r->objective : "");
	OPT_I(r->co_visitor_id);
	OPT_I(r->check_in_at);
	if (r->has_pos) {
		qb_real(&q, r->lat);
		qb_real(&q, r->lon);
	} else {
		qb_null(&q);
		qb_null(&q);
	}
	OPT_I(r->check_out_at);
	if (r->has_pos && r->check_out_at) {
		qb_real(&q, r->lat);
		qb_real(&q, r->lon);
	} else {
		qb_null(&q);
		qb_null(&q);
	}
	if (r->distance_m >= 0)
		qb_real(&q, r->distance_m);
	else
		qb_null(&q);
	qb_text(&q, r->location_status ? r->location_status : "none");
	qb_text(&q, r->location_reason ? r->location_reason : "");
	qb_text(&q, r->location_note ? r->location_note : "");
	qb_text(&q, r->steps_json ? r->steps_json : "{}");
	qb_text(&q, r->products_json ? r->products_json : "[]");
	qb_text(&q, r->outcome ? r->outcome : "");
	qb_text(&q, r->next_step ? r->next_step : "");
	qb_text(&q, r->next_step_date);
	OPT_I(r->logged_at);
#undef OPT_I
	qb_int(&q, r->is_effective);
	qb_text(&q, r->reasons_json ? r->reasons_json : "[]");
	qb_text(&q, r->warnings_json ? r->warnings_json : "[]");
	qb_int(&q, r->owner_id);
	qb_int(&q, r->created_at);
	qb_int(&q, r->logged_at ? r->logged_at : r->created_at);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (!err)
		*id = db_last_id(st);
	return err;
}

enum ms_err store_visit_contact_raw(struct store *st, int64_t visit_id, int64_t contact_id,
				    int64_t owner_id, const char *visit_date, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "INSERT INTO visit_contacts (visit_id, contact_id, owner_id, visit_date) "
		    "VALUES (?, ?, ?, ?)");
	qb_int(&q, visit_id);
	qb_int(&q, contact_id);
	if (owner_id)
		qb_int(&q, owner_id);
	else
		qb_null(&q);
	qb_text(&q, owner_id ? visit_date : NULL);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_visit_comment_raw(struct store *st, int64_t visit_id, int64_t author_id,
				    int64_t rep_id, const char *comment, const char *scores_json,
				    double score_avg, int64_t at, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "INSERT INTO visit_comments (visit_id, author_id, rep_id, comment, "
		    "scores_json, score_avg, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	qb_int(&q, visit_id);
	qb_int(&q, author_id);
	qb_int(&q, rep_id);
	qb_text(&q, comment ? comment : "");
	qb_text(&q, scores_json ? scores_json : "");
	if (scores_json && *scores_json)
		qb_real(&q, score_avg);
	else
		qb_null(&q);
	qb_int(&q, at);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_task_insert_raw(struct store *st, int64_t owner_id, const char *due_date,
				  const char *title, int64_t visit_id, int64_t inst_id, int done,
				  int64_t at, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "INSERT INTO tasks (owner_id, due_date, title, visit_id, institution_id, "
		    "status, done_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
		    "?, ?, ?, ?, ?)");
	qb_int(&q, owner_id);
	qb_text(&q, due_date);
	qb_text(&q, title);
	if (visit_id)
		qb_int(&q, visit_id);
	else
		qb_null(&q);
	if (inst_id)
		qb_int(&q, inst_id);
	else
		qb_null(&q);
	qb_text(&q, done ? "done" : "open");
	if (done)
		qb_int(&q, at);
	else
		qb_null(&q);
	qb_int(&q, owner_id);
	qb_int(&q, at);
	qb_int(&q, at);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_visit_batch_audit(struct store *st, const struct scope *who, const char *entity,
				    int64_t count, const char *note, struct ms_error *e)
{
	json_t *after = json_pack("{s:I, s:s}", "count", (json_int_t)count, "note", note);
	enum ms_err err = store_audit_append(st, who, "batch_create", entity, 0, NULL, after, e);
	json_decref(after);
	return err;
}
