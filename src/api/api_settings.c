/* api_settings.c: the settings documents of every module behind one pair of
 * routes, GET and PUT /api/v1/settings/{kind}: each kind names its key, who
 * may change it, the document in force (stored or built-in), its check, and
 * what to recompute after a change, all in the one transaction. */
#include <string.h>

#include "api/api.h"
#include "base/log.h"
#include "domain/customer.h"
#include "store/store_customer.h"
#include "store/store_pipeline.h"
#include "store/store_visit.h"

/* The document in force and its version (0: the built-in default). */
static json_t *stored_or(struct store *st, const char *key, json_t *(*def)(void), int64_t *version)
{
	json_t *v = NULL;
	if (store_settings_get(st, key, &v, version, NULL) == MS_OK)
		return v;
	*version = 0;
	return def();
}

static json_t *grading_default(void)
{
	struct grading_model m;
	grading_model_default(&m);
	return grading_model_json(&m);
}

static json_t *grading_current(struct store *st, int64_t *version)
{
	return stored_or(st, "grading", grading_default, version);
}

static json_t *completeness_current(struct store *st, int64_t *version)
{
	return stored_or(st, "completeness", completeness_default_json, version);
}

#define VISIT_CURRENT(fn, key)                                                                     \
	static json_t *fn(struct store *st, int64_t *version)                                      \
	{                                                                                          \
		return store_visit_settings(st, key, version);                                     \
	}
VISIT_CURRENT(effective_current, "effective_visit")
VISIT_CURRENT(rules_current, "visit_rules")
VISIT_CURRENT(steps_current, "seven_steps")
VISIT_CURRENT(templates_current, "needs_templates")
#undef VISIT_CURRENT

static json_t *checklist_current(struct store *st, int64_t *version)
{
	return stored_or(st, "lead_checklist", lead_checklist_default_json, version);
}

static json_t *pipeline_current(struct store *st, int64_t *version)
{
	return stored_or(st, "pipeline", pipeline_settings_default_json, version);
}

static enum ms_err grading_check(json_t *v, struct ms_error *e)
{
	struct grading_model m;
	return grading_model_from_json(v, &m, e);
}

static enum ms_err definition_check(json_t *v, struct ms_error *e)
{
	struct visit_definition d;
	return visit_definition_from_json(v, &d, e);
}

static enum ms_err rules_check(json_t *v, struct ms_error *e)
{
	struct visit_rules r;
	return visit_rules_from_json(v, &r, e);
}

/* Grades and completeness follow their models; what counts as effective
 * follows the definition and the steps. */
static enum ms_err recompute_institutions(struct store *st, struct ms_error *e)
{
	int64_t n;
	return store_inst_recompute_all(st, &n, e);
}

/* Marked with the change; the visits are re-evaluated after the commit,
 * in batches (api_settings_put). */
static enum ms_err reevaluate_visits(struct store *st, struct ms_error *e)
{
	return store_visit_reeval_mark(st, e);
}

#define EDITORS (ROLE_BIT(ROLE_DIRECTOR) | ROLE_BIT(ROLE_ADMIN))

static const struct setting {
	const char *kind; /* in the URL */
	const char *key;  /* in the settings table */
	unsigned editors;
	json_t *(*current)(struct store *st, int64_t *version);
	enum ms_err (*check)(json_t *v, struct ms_error *e);
	enum ms_err (*after)(struct store *st, struct ms_error *e);
} settings[] = {
	{ "grading", "grading", EDITORS, grading_current, grading_check, recompute_institutions },
	{ "completeness", "completeness", ROLE_BIT(ROLE_ADMIN), completeness_current,
	  completeness_check_json, recompute_institutions },
	{ "effective-visit", "effective_visit", EDITORS, effective_current, definition_check,
	  reevaluate_visits },
	{ "visit-rules", "visit_rules", EDITORS, rules_current, rules_check, NULL },
	{ "seven-steps", "seven_steps", EDITORS, steps_current, seven_steps_check_json,
	  reevaluate_visits },
	{ "needs-templates", "needs_templates", EDITORS, templates_current,
	  needs_templates_check_json, NULL },
	{ "lead-checklist", "lead_checklist", EDITORS, checklist_current, lead_checklist_check_json,
	  NULL },
	{ "pipeline", "pipeline", EDITORS, pipeline_current, pipeline_settings_check_json, NULL },
};

static const struct setting *find(struct api_ctx *c)
{
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (!strcmp(settings[i].kind, c->param))
			return &settings[i];
	ms_fail(&c->err, MS_ENOTFOUND, "not_found", "kind", "no settings '%s'", c->param);
	return NULL;
}

static enum ms_err reply(struct api_ctx *c, const struct setting *s)
{
	int64_t version = 0;
	json_t *value = s->current(c->st, &version);
	return api_ok(c, 200,
		      json_pack("{s:o, s:I}", "value", value, "version", (json_int_t)version));
}

enum ms_err api_settings_get(struct api_ctx *c)
{
	const struct setting *s = find(c);
	return s ? reply(c, s) : c->err.err;
}

enum ms_err api_settings_put(struct api_ctx *c)
{
	const struct setting *s = find(c);
	json_t *value, *version;
	enum ms_err err;

	if (!s)
		return c->err.err;
	if (!(s->editors & ROLE_BIT(c->scope.role)))
		return ms_fail(&c->err, MS_EFORBIDDEN, "forbidden", "",
			       "your role may not change these settings");
	if (!c->body)
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "a JSON object body is required");
	value = json_object_get(c->body, "value");
	version = json_object_get(c->body, "version");
	if (json_object_size(c->body) != 2 || !value || !json_is_integer(version))
		return ms_fail(&c->err, MS_EINVAL, "invalid", value ? "version" : "value",
			       "want {\"value\": {...}, \"version\": N}");
	if ((err = s->check(value, &c->err)))
		return err;
	/* Its own transaction (R_SELFTX): the visits' re-evaluation runs after
	 * the commit, in short transactions of its own. */
	if ((err = api_begin(c)))
		return err;
	err = store_settings_put(c->st, &c->scope, s->key, value, json_integer_value(version),
				 &c->err);
	if (!err && s->after)
		err = s->after(c->st, &c->err);
	if ((err = api_end(c, err)))
		return err;
	if (s->after == reevaluate_visits) {
		struct ms_error e2 = MS_ERROR_INIT;
		int64_t n;

		/* The change is saved either way; what is left is finished by
		 * the next change or when the server starts. */
		if (store_visit_reeval_run(c->st, &n, &e2))
			log_warn("settings %s: visit re-evaluation stopped: %s", s->key,
				 e2.message);
	}
	return reply(c, s);
}
