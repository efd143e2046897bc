/* api_pipeline.c: products, competitors, stages, leads, opportunities, the
 * kanban board and the funnel (R3). */
#include <string.h>

#include "api/api.h"
#include "api/api_pipeline.h"
#include "base/date.h"
#include "base/limits.h"
#include "domain/customer.h"
#include "domain/pipeline.h"
#include "store/store_pipeline.h"

#define AMOUNT_MAX PIPELINE_MAX_AMOUNT_FEN

/* ---- products and competitors ---- */

enum ms_err api_product_list(struct api_ctx *c)
{
	const char *line = NULL, *q = NULL;
	int active;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_query_text(c, "product_line_code", MS_MAX_CODE, &line)) ||
	    (err = api_query_text(c, "q", MS_MAX_NAME, &q)) ||
	    (err = api_query_bool(c, "active", &active)) ||
	    (err = store_product_list(c->st, line, q, active, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:o}", "items", items));
}

static enum ms_err decode_product(struct api_ctx *c, struct product_fields *f, int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield fields[] = {
		{ "product_line_code", J_STR, req, 0, MS_MAX_CODE, NULL, &f->product_line_code },
		{ "name", J_STR, req, 0, MS_MAX_NAME, NULL, &f->name },
		{ "spec", J_STR, 0, 0, MS_MAX_NAME, NULL, &f->spec },
		{ "registration_no", J_STR, 0, 0, MS_MAX_REF_NO_BYTES, NULL, &f->registration_no },
		{ "registration_expiry", J_DATE, J_NULLABLE, 0, 0, NULL, &f->registration_expiry },
		{ "device_class", J_ENUM, 0, 0, 0, device_classes, &f->device_class },
		{ "list_price_fen", J_INT, 0, 0, PIPELINE_MAX_PRICE_FEN, NULL, &f->list_price_fen },
		{ "active", J_BOOL, 0, 0, 0, NULL, &f->active },
		JF_END
	};
	memset(f, 0, sizeof(*f));
	f->list_price_fen = UNSET;
	f->active = -1;
	return api_decode(c, fields);
}

enum ms_err api_product_create(struct api_ctx *c)
{
	struct product_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_product(c, &f, 1)) ||
	    (err = store_product_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_product_get(c->st, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_product_patch(struct api_ctx *c)
{
	struct product_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_product(c, &f, 0)) ||
	    (err = store_product_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_product_get(c->st, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_competitor_list(struct api_ctx *c)
{
	json_t *items = NULL;
	enum ms_err err = store_competitor_list(c->st, &items, &c->err);
	return err ? err : api_ok(c, 200, json_pack("{s:o}", "items", items));
}

enum ms_err api_competitor_create(struct api_ctx *c)
{
	const char *name = NULL, *origin = NULL, *notes = NULL;
	const struct jfield fields[] = { { "name", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &name },
					 { "origin", J_ENUM, 0, 0, 0, competitor_origins, &origin },
					 { "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &notes },
					 JF_END };
	int64_t id;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_competitor_create(c->st, &c->scope, name, origin, notes, &id, &c->err)))
		return err;
	return api_ok(c, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name));
}

enum ms_err api_competitor_patch(struct api_ctx *c)
{
	const char *name = NULL, *origin = NULL, *notes = NULL;
	int active = -1;
	int64_t version;
	const struct jfield fields[] = { { "name", J_STR, 0, 0, MS_MAX_NAME, NULL, &name },
					 { "origin", J_ENUM, 0, 0, 0, competitor_origins, &origin },
					 { "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &notes },
					 { "active", J_BOOL, 0, 0, 0, NULL, &active },
					 JF_END };
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = api_decode(c, fields)))
		return err;
	if (name && !*name)
		return ms_fail(&c->err, MS_EINVAL, "required", "name", "'name' is required");
	if ((err = store_competitor_update(c->st, &c->scope, c->id, version, name, origin, notes,
					   active, &c->err)))
		return err;
	return api_competitor_list(c);
}

enum ms_err api_stage_list(struct api_ctx *c)
{
	json_t *items = NULL;
	enum ms_err err = store_stage_list(c->st, &items, &c->err);
	return err ? err : api_ok(c, 200, json_pack("{s:o}", "items", items));
}

enum ms_err api_stage_patch(struct api_ctx *c)
{
	const char *zh = NULL, *en = NULL, *requires = NULL;
	int64_t probability = UNSET, version;
	const struct jfield fields[] = { { "name_zh", J_STR, 0, 0, MS_MAX_NAME, NULL, &zh },
					 { "name_en", J_STR, 0, 0, MS_MAX_NAME, NULL, &en },
					 { "probability", J_INT, 0, 0, 100, NULL, &probability },
					 { "requires", J_STR, 0, 0, MS_MAX_REQUIRES_BYTES, NULL,
					   &requires },
					 JF_END };
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = api_decode(c, fields)))
		return err;
	/* A stage keeps a name in both languages (the UI falls back to the
	 * other one, which reads as untranslated). */
	if (zh && !*zh)
		return ms_fail(&c->err, MS_EINVAL, "required", "name_zh", "'name_zh' is required");
	if (en && !*en)
		return ms_fail(&c->err, MS_EINVAL, "required", "name_en", "'name_en' is required");
	if ((err = store_stage_update(c->st, &c->scope, c->id, version, zh, en, probability,
				      requires, &c->err)))
		return err;
	return api_stage_list(c);
}

enum ms_err api_stage_create(struct api_ctx *c)
{
	const char *code = NULL, *zh = NULL, *en = NULL, *requires = NULL;
	int64_t probability = 0, position = UNSET, id;
	json_t *items = NULL;
	const struct jfield fields[] = {
		{ "code", J_STR, J_REQUIRED, 0, MS_MAX_CODE, NULL, &code },
		{ "name_zh", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &zh },
		{ "name_en", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &en },
		{ "probability", J_INT, J_REQUIRED, 0, 100, NULL, &probability },
		{ "requires", J_STR, 0, 0, MS_MAX_REQUIRES_BYTES, NULL, &requires },
		{ "position", J_INT, 0, 1, 1000, NULL, &position },
		JF_END
	};
	enum ms_err err;

	if ((err = api_decode(c, fields)))
		return err;
	if (!*zh || !*en)
		return ms_fail(&c->err, MS_EINVAL, "required", *zh ? "name_en" : "name_zh",
			       "a stage has a name in both languages");
	if ((err = store_stage_create(c->st, &c->scope, code, zh, en, probability, requires,
				      position, &id, &c->err)) ||
	    (err = store_stage_list(c->st, &items, &c->err)))
		return err;
	return api_ok(c, 201, json_pack("{s:I, s:o}", "id", (json_int_t)id, "items", items));
}

enum ms_err api_stage_order(struct api_ctx *c)
{
	json_t *codes = c->body ? json_object_get(c->body, "codes") : NULL;
	enum ms_err err;

	if (!codes || json_object_size(c->body) != 1)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "codes",
			       "want {\"codes\": [every stage code, in the new order]}");
	if ((err = store_stage_reorder(c->st, &c->scope, codes, &c->err)))
		return err;
	return api_stage_list(c);
}

/* ---- leads ---- */

static enum ms_err decode_lead(struct api_ctx *c, struct lead_fields *f, int create)
{
	const struct jfield fields[] = {
		{ "source", J_ENUM, create ? J_REQUIRED : 0, 0, 0, lead_sources, &f->source },
		{ "source_detail", J_STR, 0, 0, MS_MAX_SOURCE_DETAIL_BYTES, NULL,
		  &f->source_detail },
		{ "institution_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->institution_id },
		{ "new_institution_name", J_STR, 0, 0, MS_MAX_NAME, NULL,
		  &f->new_institution_name },
		{ "department_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->department_id },
		{ "contact_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->contact_id },
		{ "contact_name", J_STR, 0, 0, MS_MAX_PERSON_NAME_BYTES, NULL, &f->contact_name },
		{ "product_line_code", J_STR, J_NULLABLE, 0, MS_MAX_CODE, NULL,
		  &f->product_line_code },
		{ "need", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f->need },
		{ "estimated_value_fen", J_INT, J_NULLABLE, 0, AMOUNT_MAX, NULL,
		  &f->estimated_value_fen },
		{ "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->owner_id },
		JF_END
	};
	json_t *cl = c->body ? json_object_get(c->body, "checklist") : NULL;
	enum ms_err err;

	lead_fields_init(f);
	if (cl) {
		const char *k;
		json_t *v;
		if (!json_is_object(cl) || json_object_size(cl) > 32)
			return ms_fail(&c->err, MS_EINVAL, "invalid", "checklist",
				       "'checklist' must be an object of at most 32 ticks");
		json_object_foreach(cl, k, v)
		{
			if (!json_is_boolean(v) || strlen(k) > MS_MAX_CODE)
				return ms_fail(&c->err, MS_EINVAL, "invalid", "checklist",
					       "checklist item '%s' must be true or false", k);
		}
		f->checklist = json_incref(cl);
		json_object_del(c->body, "checklist");
	}
	err = api_decode(c, fields);
	if (err) {
		json_decref(f->checklist);
		f->checklist = NULL;
	}
	return err;
}

enum ms_err api_lead_list(struct api_ctx *c)
{
	struct lead_filter f = { 0 };
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_query_text(c, "status", 16, &f.status)) ||
	    (err = api_query_text(c, "source", 32, &f.source)) ||
	    (err = api_query_text(c, "q", MS_MAX_NAME, &f.q)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &f.owner_id)))
		return err;
	if ((f.status && !code_in(lead_statuses, f.status)) ||
	    (f.source && !code_in(lead_sources, f.source)))
		return ms_fail(&c->err, MS_EINVAL, "invalid",
			       f.status && !code_in(lead_statuses, f.status) ? "status" : "source",
			       "unknown filter value");
	if ((err = store_lead_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_lead_create(struct api_ctx *c)
{
	struct lead_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_lead(c, &f, 1)))
		return err;
	err = store_lead_create(c->st, &c->scope, &f, &id, &c->err);
	json_decref(f.checklist);
	if (err || (err = store_lead_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_lead_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_lead_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_lead_patch(struct api_ctx *c)
{
	struct lead_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_lead(c, &f, 0)))
		return err;
	err = store_lead_update(c->st, &c->scope, c->id, version, &f, &c->err);
	json_decref(f.checklist);
	if (err || (err = store_lead_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

static enum ms_err lead_decide(struct api_ctx *c, int qualify)
{
	const char *reason = NULL;
	const struct jfield fields[] = {
		{ "reason", J_STR, 0, 0, MS_MAX_REASON_BYTES, NULL, &reason }, JF_END
	};
	json_t *out = NULL;
	enum ms_err err;

	if ((c->body && (err = api_decode(c, fields))) ||
	    (err = store_lead_decide(c->st, &c->scope, c->id, qualify, reason, &c->err)) ||
	    (err = store_lead_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_lead_qualify(struct api_ctx *c)
{
	return lead_decide(c, 1);
}

enum ms_err api_lead_reject(struct api_ctx *c)
{
	return lead_decide(c, 0);
}

enum ms_err api_lead_convert(struct api_ctx *c)
{
	const char *name = NULL, *close = NULL;
	int64_t inst = UNSET, amount = UNSET, opp;
	const struct jfield fields[] = {
		{ "name", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &name },
		{ "expected_close_date", J_DATE, J_REQUIRED, 0, 0, NULL, &close },
		{ "institution_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &inst },
		{ "amount_fen", J_INT, J_NULLABLE, 0, AMOUNT_MAX, NULL, &amount },
		JF_END
	};
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_lead_convert(c->st, &c->scope, c->id, name, inst, close, amount, &opp,
				      &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, opp, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

/* A period from the query: from and to dates, by default this calendar
 * year to date. */
enum ms_err api_period(struct api_ctx *c, const char **from, const char **to)
{
	enum ms_err err;
	if ((err = api_query_date(c, "from", from)) || (err = api_query_date(c, "to", to)))
		return err;
	if (!*to)
		*to = api_today(c);
	if (!*from) {
		char *f = arena_strdup(c->arena, *to);
		memcpy(f + 5, "01-01", 5);
		*from = f;
	}
	if (strcmp(*from, *to) > 0)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "from", "'from' is after 'to'");
	return MS_OK;
}

enum ms_err api_report_leads(struct api_ctx *c)
{
	const char *from, *to;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_period(c, &from, &to)) ||
	    (err = store_report_leads(c->st, &c->scope, from, to, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items", items));
}

static enum ms_err decode_source_cost(struct api_ctx *c, struct source_cost_fields *f, int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield fields[] = { { "source", J_ENUM, req, 0, 0, lead_sources, &f->source },
					 { "source_detail", J_STR, 0, 0, MS_MAX_SOURCE_DETAIL_BYTES,
					   NULL, &f->source_detail },
					 { "spent_on", J_DATE, req, 0, 0, NULL, &f->spent_on },
					 { "cost_fen", J_INT, req, 0, AMOUNT_MAX, NULL,
					   &f->cost_fen },
					 { "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f->notes },
					 JF_END };
	source_cost_fields_init(f);
	return api_decode(c, fields);
}

enum ms_err api_source_cost_list(struct api_ctx *c)
{
	const char *from, *to;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_period(c, &from, &to)) ||
	    (err = store_source_cost_list(c->st, &c->scope, from, to, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items", items));
}

enum ms_err api_source_cost_create(struct api_ctx *c)
{
	struct source_cost_fields f;
	int64_t id;
	enum ms_err err;

	if ((err = decode_source_cost(c, &f, 1)) ||
	    (err = store_source_cost_create(c->st, &c->scope, &f, &id, &c->err)))
		return err;
	return api_ok(c, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

enum ms_err api_source_cost_patch(struct api_ctx *c)
{
	struct source_cost_fields f;
	int64_t version;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_source_cost(c, &f, 0)) ||
	    (err = store_source_cost_update(c->st, &c->scope, c->id, version, &f, &c->err)))
		return err;
	return api_ok(c, 200,
		      json_pack("{s:I, s:I}", "id", (json_int_t)c->id, "version",
				(json_int_t)(version + 1)));
}

/* ---- opportunities ---- */

static enum ms_err decode_opp(struct api_ctx *c, struct opp_fields *f, int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield fields[] = {
		{ "name", J_STR, req, 0, MS_MAX_NAME, NULL, &f->name },
		{ "institution_id", J_INT, req, 1, INT64_MAX, NULL, &f->institution_id },
		{ "department_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->department_id },
		{ "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->owner_id },
		{ "product_line_code", J_STR, J_NULLABLE, 0, MS_MAX_CODE, NULL,
		  &f->product_line_code },
		{ "amount_fen", J_INT, 0, 0, AMOUNT_MAX, NULL, &f->amount_fen },
		{ "expected_close_date", J_DATE, req, 0, 0, NULL, &f->expected_close_date },
		{ "probability", J_INT, 0, 0, 100, NULL, &f->probability },
		{ "source", J_STR, 0, 0, MS_MAX_SOURCE_BYTES, NULL, &f->source },
		JF_END
	};
	enum ms_err err;

	opp_fields_init(f);
	if ((err = api_decode(c, fields)))
		return err;
	if (!create && (f->institution_id != UNSET || f->owner_id != UNSET))
		return ms_fail(&c->err, MS_EINVAL, "invalid",
			       f->institution_id != UNSET ? "institution_id" : "owner_id",
			       "an opportunity keeps its institution and owner");
	if (f->name && !*f->name)
		return ms_fail(&c->err, MS_EINVAL, "required", "name", "'name' is required");
	return MS_OK;
}

static enum ms_err opp_filter(struct api_ctx *c, struct opp_filter *f)
{
	enum ms_err err;
	opp_filter_init(f);
	if ((err = api_query_text(c, "stage_code", MS_MAX_CODE, &f->stage_code)) ||
	    (err = api_query_text(c, "product_line_code", MS_MAX_CODE, &f->product_line_code)) ||
	    (err = api_query_text(c, "q", MS_MAX_NAME, &f->q)) ||
	    (err = api_query_date(c, "close_from", &f->close_from)) ||
	    (err = api_query_date(c, "close_to", &f->close_to)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &f->owner_id)) ||
	    (err = api_query_int(c, "institution_id", 1, INT64_MAX, 0, &f->institution_id)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &f->unit_id)) ||
	    (err = api_query_bool(c, "is_project", &f->is_project)) ||
	    (err = api_query_bool(c, "stalled", &f->stalled)) ||
	    (err = api_query_bool(c, "open", &f->open_only)))
		return err;
	return MS_OK;
}

enum ms_err api_opp_list(struct api_ctx *c)
{
	struct opp_filter f;
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = opp_filter(c, &f)) ||
	    (err = store_opp_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_opp_board(struct api_ctx *c)
{
	struct opp_filter f;
	int64_t per;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = opp_filter(c, &f)) ||
	    (err = api_query_int(c, "per_stage", 1, MS_MAX_LIST_LIMIT, 30, &per)) ||
	    (err = store_opp_board(c->st, &c->scope, &f, (int)per, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_opp_create(struct api_ctx *c)
{
	struct opp_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_opp(c, &f, 1)) ||
	    (err = store_opp_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_opp_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_opp_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_opp_patch(struct api_ctx *c)
{
	struct opp_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_opp(c, &f, 0)) ||
	    (err = store_opp_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_opp_stage(struct api_ctx *c)
{
	const char *stage = NULL, *reason = NULL;
	int64_t competitor = UNSET;
	const struct jfield fields[] = {
		{ "stage_code", J_STR, J_REQUIRED, 0, MS_MAX_CODE, NULL, &stage },
		{ "lost_reason", J_STR, 0, 0, MS_MAX_REASON_BYTES, NULL, &reason },
		{ "won_competitor_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &competitor },
		JF_END
	};
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_opp_move(c->st, &c->scope, c->id, stage, reason, competitor, &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_opp_reopen(struct api_ctx *c)
{
	const char *reason = NULL;
	const struct jfield fields[] = {
		{ "reason", J_STR, J_REQUIRED, 0, MS_MAX_REASON_BYTES, NULL, &reason }, JF_END
	};
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_opp_reopen(c->st, &c->scope, c->id, reason, &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* PUT bodies that are one array under one key. */
static json_t *body_array(struct api_ctx *c, const char *key)
{
	if (!c->body || json_object_size(c->body) != 1 ||
	    !json_is_array(json_object_get(c->body, key))) {
		ms_fail(&c->err, MS_EINVAL, "invalid", key, "want {\"%s\": [...]}", key);
		return NULL;
	}
	return json_object_get(c->body, key);
}

enum ms_err api_opp_lines(struct api_ctx *c)
{
	json_t *lines = body_array(c, "lines"), *out = NULL;
	enum ms_err err;

	if (!lines)
		return c->err.err;
	if ((err = store_opp_set_lines(c->st, &c->scope, c->id, lines, &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_opp_competitors(struct api_ctx *c)
{
	json_t *items = body_array(c, "competitors"), *out = NULL;
	enum ms_err err;

	if (!items)
		return c->err.err;
	if ((err = store_opp_set_competitors(c->st, &c->scope, c->id, items, &c->err)) ||
	    (err = store_opp_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_report_funnel(struct api_ctx *c)
{
	struct funnel_cut cut = { 0 };
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_period(c, &cut.from, &cut.to)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &cut.unit_id)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &cut.owner_id)) ||
	    (err = api_query_text(c, "product_line_code", MS_MAX_CODE, &cut.product_line_code)) ||
	    (err = api_query_text(c, "segment_code", MS_MAX_CODE, &cut.segment_code)) ||
	    (err = api_query_text(c, "province_code", MS_MAX_CODE, &cut.province_code)) ||
	    (err = api_query_text(c, "region_code", MS_MAX_CODE, &cut.region_code)) ||
	    (err = store_report_funnel(c->st, &c->scope, &cut, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}
