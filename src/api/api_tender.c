/* api_tender.c: tenders (招投标): milestones on the statutory clock, the
 * bid-document checklist, bids, the deadline calendar and the tender
 * report; and large-equipment projects (R12). */
#include <string.h>

#include "api/api.h"
#include "api/api_pipeline.h"
#include "base/date.h"
#include "base/limits.h"
#include "domain/customer.h"
#include "domain/pipeline.h"
#include "store/store_holiday.h"
#include "store/store_pipeline.h"

/* The statuses of tender_status, for the list's filter. */
static const char *const tender_statuses[] = { "in_progress", "awaiting_result", "won", "lost",
					       "cancelled",   "failed",		 NULL };

static enum ms_err decode_tender(struct api_ctx *c, struct tender_fields *f, int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield head[] = {
		{ "project_name", J_STR, req, 0, MS_MAX_NAME, NULL, &f->project_name },
		{ "project_no", J_STR, 0, 0, MS_MAX_REF_NO_BYTES, NULL, &f->project_no },
		{ "method", J_ENUM, req, 0, 0, tender_methods, &f->method },
		{ "agency", J_STR, 0, 0, MS_MAX_NAME, NULL, &f->agency },
		{ "opportunity_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->opportunity_id },
		{ "institution_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->institution_id },
		{ "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->owner_id },
		{ "budget_fen", J_INT, 0, 0, PIPELINE_MAX_AMOUNT_FEN, NULL, &f->budget_fen },
		{ "our_price_fen", J_INT, J_NULLABLE, 0, PIPELINE_MAX_AMOUNT_FEN, NULL,
		  &f->our_price_fen },
		{ "bid_bond_fen", J_INT, J_NULLABLE, 0, PIPELINE_MAX_AMOUNT_FEN, NULL,
		  &f->bid_bond_fen },
		{ "winning_price_fen", J_INT, J_NULLABLE, 0, PIPELINE_MAX_AMOUNT_FEN, NULL,
		  &f->winning_price_fen },
		{ "result", J_ENUM, 0, 0, 0, tender_results, &f->result },
		{ "winner", J_STR, 0, 0, MS_MAX_NAME, NULL, &f->winner },
		{ "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f->notes },
	};
	struct jfield fields[sizeof(head) / sizeof(head[0]) + 12];
	size_t n = sizeof(head) / sizeof(head[0]);
	enum ms_err err;

	tender_fields_init(f);
	memcpy(fields, head, sizeof(head));
	/* The milestones; "" clears one on a PATCH. */
	for (int i = 0; tender_date_fields[i]; i++) {
		json_t *v = c->body ? json_object_get(c->body, tender_date_fields[i]) : NULL;
		if (v && json_is_string(v) && !*json_string_value(v) && !create) {
			f->dates[i] = "";
			json_object_del(c->body, tender_date_fields[i]);
			fields[n++] = (struct jfield){ tender_date_fields[i], J_DATE, 0, 0, 0, NULL,
						       &f->dates[i] };
			continue;
		}
		fields[n++] =
			(struct jfield){ tender_date_fields[i], J_DATE, J_NULLABLE, 0, 0, NULL,
					 &f->dates[i] };
	}
	fields[n] = (struct jfield)JF_END;
	if ((err = api_decode(c, fields)))
		return err;
	if (!create && (f->opportunity_id != UNSET || f->institution_id != UNSET))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "opportunity_id",
			       "a tender keeps its opportunity and institution");
	return MS_OK;
}

enum ms_err api_tender_list(struct api_ctx *c)
{
	struct tender_filter f = { 0 };
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_query_text(c, "result", 16, &f.result)) ||
	    (err = api_query_text(c, "method", 16, &f.method)) ||
	    (err = api_query_text(c, "status", 16, &f.status)) ||
	    (err = api_query_text(c, "q", MS_MAX_NAME, &f.q)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &f.owner_id)) ||
	    (err = api_query_int(c, "opportunity_id", 1, INT64_MAX, 0, &f.opportunity_id)) ||
	    (err = api_query_int(c, "due_within_days", 0, 3650, -1, &f.due_within_days)))
		return err;
	if (f.status && !code_in(tender_statuses, f.status))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "status", "unknown filter value");
	if ((f.result && !code_in(tender_results, f.result)) ||
	    (f.method && !code_in(tender_methods, f.method)))
		return ms_fail(&c->err, MS_EINVAL, "invalid",
			       f.result && !code_in(tender_results, f.result) ? "result" : "method",
			       "unknown filter value");
	if ((err = store_tender_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_tender_create(struct api_ctx *c)
{
	struct tender_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_tender(c, &f, 1)) ||
	    (err = store_tender_create(c->st, &c->scope, &f, &id, &c->err)) ||
	    (err = store_tender_get(c->st, &c->scope, id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_tender_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_tender_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_tender_patch(struct api_ctx *c)
{
	struct tender_fields f;
	int64_t version;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_tender(c, &f, 0)) ||
	    (err = store_tender_update(c->st, &c->scope, c->id, version, &f, &c->err)) ||
	    (err = store_tender_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_tender_deadlines(struct api_ctx *c)
{
	const char *from = NULL, *to = NULL;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_query_date(c, "from", &from)) || (err = api_query_date(c, "to", &to)))
		return err;
	if (!from)
		from = api_today(c);
	if (!to) {
		int32_t d;
		char *buf = arena_alloc(c->arena, 11);
		date_parse(from, &d);
		date_format(d + 30, buf);
		to = buf;
	}
	if ((err = store_tender_deadlines(c->st, &c->scope, from, to, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items", items));
}

enum ms_err api_tender_checklist_add(struct api_ctx *c)
{
	const char *item = NULL, *due = NULL;
	int64_t owner = UNSET, id;
	const struct jfield fields[] = { { "item", J_STR, J_REQUIRED, 0, MS_MAX_NAME, NULL, &item },
					 { "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
					   &owner },
					 { "due_date", J_DATE, J_NULLABLE, 0, 0, NULL, &due },
					 JF_END };
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_tender_checklist_add(c->st, &c->scope, c->id, item, owner, due, &id,
					      &c->err)) ||
	    (err = store_tender_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_tender_checklist_patch(struct api_ctx *c)
{
	const char *status = NULL, *due = NULL, *notes = NULL;
	int64_t owner = UNSET;
	const struct jfield fields[] = { { "status", J_ENUM, 0, 0, 0, checklist_statuses, &status },
					 { "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
					   &owner },
					 { "due_date", J_DATE, J_NULLABLE, 0, 0, NULL, &due },
					 { "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &notes },
					 JF_END };
	int64_t version;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = api_decode(c, fields)) ||
	    (err = store_tender_checklist_update(c->st, &c->scope, c->id, version, status, owner,
						 due, notes, &c->err)))
		return err;
	return api_ok(c, 204, NULL);
}

enum ms_err api_tender_bids(struct api_ctx *c)
{
	json_t *bids = c->body ? json_object_get(c->body, "bids") : NULL, *out = NULL;
	enum ms_err err;

	if (!c->body || json_object_size(c->body) != 1 || !json_is_array(bids))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "bids", "want {\"bids\": [...]}");
	if ((err = store_tender_set_bids(c->st, &c->scope, c->id, bids, &c->err)) ||
	    (err = store_tender_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_report_tenders(struct api_ctx *c)
{
	const char *from, *to;
	json_t *items = NULL;
	enum ms_err err;

	if ((err = api_period(c, &from, &to)) ||
	    (err = store_report_tenders(c->st, &c->scope, from, to, &items, &c->err)))
		return err;
	return api_ok(c, 200, json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items", items));
}

/* ---- the holiday calendar ---- */

static enum ms_err holiday_year(struct api_ctx *c, int64_t *year)
{
	int y, m, d;
	int32_t today = 0;
	date_parse(api_today(c), &today);
	date_to_ymd(today, &y, &m, &d);
	return api_query_int(c, "year", HOLIDAY_YEAR_MIN, HOLIDAY_YEAR_MAX, y, year);
}

enum ms_err api_holiday_get(struct api_ctx *c)
{
	int64_t year;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = holiday_year(c, &year)) ||
	    (err = store_holiday_year_get(c->st, (int)year, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_holiday_put(struct api_ctx *c)
{
	int64_t year, version = -1;
	int provisional = 0;
	const char *source = NULL;
	json_t *days = c->body ? json_object_get(c->body, "days") : NULL, *out = NULL;
	const struct jfield fields[] = { { "version", J_INT, J_REQUIRED, 0, INT64_MAX, NULL,
					   &version },
					 { "provisional", J_BOOL, 0, 0, 0, NULL, &provisional },
					 { "source", J_STR, 0, 0, MS_MAX_TEXT, NULL, &source },
					 JF_END };
	enum ms_err err;

	if ((err = holiday_year(c, &year)))
		return err;
	if (!json_is_array(days))
		return ms_fail(&c->err, MS_EINVAL, days ? "invalid" : "required", "days",
			       "want {\"version\": N, \"days\": [{date, kind, name}], ...}");
	json_incref(days);
	json_object_del(c->body, "days");
	err = api_decode(c, fields);
	if (!err)
		err = store_holiday_year_put(c->st, &c->scope, (int)year, version, provisional,
					     source, days, &c->err);
	json_decref(days);
	if (err || (err = store_holiday_year_get(c->st, (int)year, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* ---- projects ---- */

enum ms_err api_project_start(struct api_ctx *c)
{
	int64_t owner = 0;
	const struct jfield fields[] = {
		{ "project_owner_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &owner }, JF_END
	};
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_decode(c, fields)) ||
	    (err = store_project_start(c->st, &c->scope, c->id, owner, &c->err)) ||
	    (err = store_project_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_project_get(struct api_ctx *c)
{
	json_t *out = NULL;
	enum ms_err err = store_project_get(c->st, &c->scope, c->id, &out, &c->err);
	return err ? err : api_ok(c, 200, out);
}

enum ms_err api_project_team(struct api_ctx *c)
{
	json_t *team = c->body ? json_object_get(c->body, "team") : NULL, *out = NULL;
	enum ms_err err;

	if (!c->body || json_object_size(c->body) != 1 || !json_is_array(team))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "team", "want {\"team\": [...]}");
	if ((err = store_project_set_team(c->st, &c->scope, c->id, team, &c->err)) ||
	    (err = store_project_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_project_bc(struct api_ctx *c)
{
	struct bc_fields f = { 0 };
	const struct jfield fields[] = {
		{ "contact_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL, &f.contact_id },
		{ "decision_role", J_ENUM, J_REQUIRED, 0, 0, contact_roles, &f.decision_role },
		{ "influence", J_INT, J_REQUIRED, 1, 5, NULL, &f.influence },
		{ "stance", J_ENUM, J_REQUIRED, 0, 0, contact_stances, &f.stance },
		{ "relationship_owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
		  &f.relationship_owner_id },
		{ "last_contact", J_DATE, J_NULLABLE, 0, 0, NULL, &f.last_contact },
		{ "notes", J_STR, 0, 0, MS_MAX_TEXT, NULL, &f.notes },
		JF_END
	};
	json_t *out = NULL;
	enum ms_err err;

	f.relationship_owner_id = UNSET;
	if ((err = api_decode(c, fields)) ||
	    (err = store_project_bc_put(c->st, &c->scope, c->id, &f, &c->err)) ||
	    (err = store_project_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

static enum ms_err decode_task(struct api_ctx *c, struct task_fields *f, int create)
{
	const unsigned req = create ? J_REQUIRED : 0;
	const struct jfield fields[] = {
		{ "milestone", J_ENUM, req, 0, 0, project_milestones, &f->milestone },
		{ "title", J_STR, req, 0, MS_MAX_NAME, NULL, &f->title },
		{ "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f->owner_id },
		{ "due_date", J_DATE, J_NULLABLE, 0, 0, NULL, &f->due_date },
		{ "status", J_ENUM, 0, 0, 0, project_task_statuses, &f->status },
		JF_END
	};
	memset(f, 0, sizeof(*f));
	f->owner_id = UNSET;
	return api_decode(c, fields);
}

enum ms_err api_project_task_add(struct api_ctx *c)
{
	struct task_fields f;
	json_t *out = NULL;
	int64_t id;
	enum ms_err err;

	if ((err = decode_task(c, &f, 1)) ||
	    (err = store_project_task_add(c->st, &c->scope, c->id, &f, &id, &c->err)) ||
	    (err = store_project_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 201, out);
}

enum ms_err api_project_task_patch(struct api_ctx *c)
{
	struct task_fields f;
	int64_t version;
	enum ms_err err;

	if ((err = api_take_version(c, &version)) || (err = decode_task(c, &f, 0)) ||
	    (err = store_project_task_update(c->st, &c->scope, c->id, version, &f, &c->err)))
		return err;
	return api_ok(c, 204, NULL);
}
