/* api_visit.c: visits (R3, R8, R10): planning and proposals, check-in and
 * check-out, the visit record, coaching, calendars and the iCalendar feed,
 * follow-up tasks, the coverage report and the visit settings documents.
 * Thin: the rules are in src/domain/visit.c, the SQL in store_visit.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/hash.h"
#include "base/limits.h"
#include "domain/customer.h"
#include "domain/visit.h"
#include "store/store_customer.h"
#include "store/store_visit.h"

#define OBJECTIVE_MAX 2000
#define PLAN_MAX_ITEMS 100
#define FEED_PAST_DAYS 60
#define FEED_FUTURE_DAYS 120

/* The JSON-valued fields of a visit, which api_decode does not type. */
static const char *const json_members[] = { "contact_ids", "products", "steps", "needs", NULL };

/* Decodes c->body's scalar fields against fields, the JSON-valued ones
 * into f (borrowed from c->body, which lives for the request). */
static enum ms_err decode_visit(struct api_ctx *c, const struct jfield *fields,
				struct visit_fields *f)
{
	json_t *orig = c->body, *rest;
	enum ms_err err;

	if (!orig)
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "a JSON object body is required");
	rest = json_copy(orig);
	for (int i = 0; json_members[i]; i++)
		json_object_del(rest, json_members[i]);
	c->body = rest;
	err = api_decode(c, fields);
	c->body = orig;
	json_decref(rest);
	if (err)
		return err;
	f->contact_ids = json_object_get(orig, "contact_ids");
	f->products = json_object_get(orig, "products");
	f->steps = json_object_get(orig, "steps");
	f->needs = json_object_get(orig, "needs");
	return MS_OK;
}

static enum ms_err parse_instant(struct api_ctx *c, const char *s, const char *field, int64_t *out)
{
	if (date_parse_instant(s, out))
		return ms_fail(&c->err, MS_EINVAL, "invalid", field,
			       "'%s' must be an instant YYYY-MM-DDTHH:MM:SS+08:00", field);
	return MS_OK;
}

static enum ms_err reply_visit(struct api_ctx *c, int status, int64_t id)
{
	json_t *out = NULL;
	enum ms_err err = store_visit_get(c->st, &c->scope, id, &out, &c->err);
	return err ? err : api_ok(c, status, out);
}

enum ms_err api_visit_create(struct api_ctx *c)
{
	struct visit_fields f;
	const char *start = NULL;
	int unplanned = -1;
	int64_t id = 0;
	enum ms_err err;

	visit_fields_init(&f);
	{
		const struct jfield fields[] = {
			{ "owner_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL, &f.owner_id },
			{ "institution_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL,
			  &f.institution_id },
			{ "department_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
			  &f.department_id },
			{ "type", J_ENUM, J_REQUIRED, 0, 0, visit_types, &f.type },
			{ "visit_date", J_DATE, J_REQUIRED, 0, 0, NULL, &f.visit_date },
			{ "planned_start_at", J_STR, J_NULLABLE, 0, MS_MAX_INSTANT_BYTES, NULL,
			  &start },
			{ "objective", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.objective },
			{ "unplanned", J_BOOL, 0, 0, 0, NULL, &unplanned },
			{ "opportunity_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
			  &f.opportunity_id },
			{ "co_visitor_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
			  &f.co_visitor_id },
			{ "outcome", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.outcome },
			{ "next_step", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.next_step },
			{ "next_step_date", J_DATE, J_NULLABLE, 0, 0, NULL, &f.next_step_date },
			{ "location_note", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.location_note },
			JF_END
		};
		if ((err = decode_visit(c, fields, &f)))
			return err;
	}
	if (start && (err = parse_instant(c, start, "planned_start_at", &f.planned_start_at)))
		return err;
	f.unplanned = unplanned > 0;
	if (f.next_step_date && strcmp(f.next_step_date, f.visit_date) < 0)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "next_step_date",
			       "the next step cannot be before the visit");
	if ((err = store_visit_create(c->st, &c->scope, &f, &id, &c->err)))
		return err;
	return reply_visit(c, 201, id);
}

/* {"owner_id"?, "items": [{"institution_id", "visit_date", "type"?,
 * "objective"?, "contact_ids"?}]}: accepted proposals, in one step. */
enum ms_err api_visit_plan(struct api_ctx *c)
{
	json_t *items, *it, *ids;
	json_t *owner;
	size_t i;
	enum ms_err err;

	if (!c->body)
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "a JSON object body is required");
	{
		const char *key;
		json_t *x;
		json_object_foreach(c->body, key, x)
		{
			if (strcmp(key, "items") && strcmp(key, "owner_id"))
				return ms_fail(&c->err, MS_EINVAL, "unknown_field", key,
					       "unknown field '%s'", key);
		}
	}
	items = json_object_get(c->body, "items");
	owner = json_object_get(c->body, "owner_id");
	if (!json_is_array(items) || json_array_size(items) < 1 ||
	    json_array_size(items) > PLAN_MAX_ITEMS)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "items",
			       "'items' must be an array of 1 to %d visits", PLAN_MAX_ITEMS);
	if (owner && (!json_is_integer(owner) || json_integer_value(owner) < 1))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "owner_id",
			       "'owner_id' must be a positive integer");
	ids = json_array();
	json_array_foreach(items, i, it)
	{
		struct visit_fields f;
		json_t *saved = c->body;
		int64_t id = 0;
		const struct jfield fields[] = {
			{ "institution_id", J_INT, J_REQUIRED, 1, INT64_MAX, NULL,
			  &f.institution_id },
			{ "visit_date", J_DATE, J_REQUIRED, 0, 0, NULL, &f.visit_date },
			{ "type", J_ENUM, 0, 0, 0, visit_types, &f.type },
			{ "objective", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.objective },
			JF_END
		};
		visit_fields_init(&f);
		if (!json_is_object(it)) {
			json_decref(ids);
			return ms_fail(&c->err, MS_EINVAL, "invalid", "items",
				       "each item must be an object");
		}
		c->body = it;
		err = decode_visit(c, fields, &f);
		c->body = saved;
		if (!err && (f.products || f.steps || f.needs))
			err = ms_fail(&c->err, MS_EINVAL, "unknown_field", "items",
				      "a plan item takes institution_id, visit_date, type, "
				      "objective and contact_ids");
		if (!err) {
			if (!f.type)
				f.type = "in_person";
			if (owner)
				f.owner_id = json_integer_value(owner);
			err = store_visit_create(c->st, &c->scope, &f, &id, &c->err);
		}
		if (err) {
			char field[128];
			snprintf(field, sizeof(field), "items.%zu.%s", i, c->err.field);
			snprintf(c->err.field, sizeof(c->err.field), "%.63s", field);
			json_decref(ids);
			return err;
		}
		json_array_append_new(ids, json_integer(id));
	}
	{
		json_t *out = json_array(), *x;
		json_array_foreach(ids, i, x)
		{
			json_t *v = NULL;
			if ((err = store_visit_get(c->st, &c->scope, json_integer_value(x), &v,
						   &c->err))) {
				json_decref(out);
				json_decref(ids);
				return err;
			}
			json_array_append_new(out, v);
		}
		json_decref(ids);
		return api_ok(c, 201, json_pack("{s:o}", "items", out));
	}
}

enum ms_err api_visit_get(struct api_ctx *c)
{
	return reply_visit(c, 200, c->id);
}

enum ms_err api_visit_patch(struct api_ctx *c)
{
	struct visit_fields f;
	const char *start = NULL;
	int64_t version = 0;
	enum ms_err err;

	if ((err = api_take_version(c, &version)))
		return err;
	visit_fields_init(&f);
	{
		const struct jfield fields[] = {
			{ "department_id", J_INT, J_NULLABLE, 1, INT64_MAX, NULL,
			  &f.department_id },
			{ "type", J_ENUM, 0, 0, 0, visit_types, &f.type },
			{ "visit_date", J_DATE, 0, 0, 0, NULL, &f.visit_date },
			{ "planned_start_at", J_STR, J_NULLABLE, 0, MS_MAX_INSTANT_BYTES, NULL,
			  &start },
			{ "objective", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.objective },
			{ "outcome", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.outcome },
			{ "next_step", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.next_step },
			{ "next_step_date", J_DATE, J_NULLABLE, 0, 0, NULL, &f.next_step_date },
			{ "location_note", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &f.location_note },
			JF_END
		};
		if ((err = decode_visit(c, fields, &f)))
			return err;
	}
	if (start && (err = parse_instant(c, start, "planned_start_at", &f.planned_start_at)))
		return err;
	if ((err = store_visit_update(c->st, &c->scope, c->id, version, &f, &c->err)))
		return err;
	return reply_visit(c, 200, c->id);
}

/* {"at"?, "latitude"?, "longitude"?, "accuracy_m"?} */
static enum ms_err decode_pos(struct api_ctx *c, int with_accuracy, int64_t *at,
			      struct visit_pos *pos)
{
	const char *at_s = NULL;
	double lat = NAN, lon = NAN, acc = NAN;
	struct jfield fields[] = { { "at", J_STR, J_NULLABLE, 0, MS_MAX_INSTANT_BYTES, NULL,
				     &at_s },
				   { "latitude", J_NUM, J_NULLABLE, 0, 0, NULL, &lat },
				   { "longitude", J_NUM, J_NULLABLE, 0, 0, NULL, &lon },
				   { "accuracy_m", J_NUM, J_NULLABLE, 0, 0, NULL, &acc },
				   JF_END };
	enum ms_err err;

	if (!with_accuracy) /* taken at check-in only */
		fields[3] = (struct jfield)JF_END;

	*at = date_now();
	memset(pos, 0, sizeof(*pos));
	pos->accuracy_m = -1;
	if (c->body && (err = api_decode(c, fields)))
		return err;
	if (at_s && (err = parse_instant(c, at_s, "at", at)))
		return err;
	if (isnan(lat) != isnan(lon))
		return ms_fail(&c->err, MS_EINVAL, "required",
			       isnan(lat) ? "latitude" : "longitude",
			       "give both 'latitude' and 'longitude', or neither");
	if (!isnan(acc) && (acc < 0 || acc > 1000000))
		return ms_fail(&c->err, MS_EINVAL, "out_of_range", "accuracy_m",
			       "'accuracy_m' must be 0 to 1000000");
	if (!isnan(lat)) {
		pos->has_pos = 1;
		pos->lat = lat;
		pos->lon = lon;
		pos->accuracy_m = isnan(acc) ? -1 : acc;
	}
	return MS_OK;
}

enum ms_err api_visit_check_in(struct api_ctx *c)
{
	struct visit_pos pos;
	int64_t at;
	enum ms_err err;

	if ((err = decode_pos(c, 1, &at, &pos)) ||
	    (err = store_visit_check_in(c->st, &c->scope, c->id, at, &pos, date_now(), &c->err)))
		return err;
	return reply_visit(c, 200, c->id);
}

enum ms_err api_visit_check_out(struct api_ctx *c)
{
	struct visit_pos pos;
	int64_t at;
	enum ms_err err;

	if ((err = decode_pos(c, 0, &at, &pos)) ||
	    (err = store_visit_check_out(c->st, &c->scope, c->id, at, &pos, date_now(), &c->err)))
		return err;
	return reply_visit(c, 200, c->id);
}

enum ms_err api_visit_complete(struct api_ctx *c)
{
	const struct jfield fields[] = { JF_END };
	enum ms_err err;

	if (c->body && (err = api_decode(c, fields)))
		return err;
	if ((err = store_visit_complete(c->st, &c->scope, c->id, date_now(), &c->err)))
		return err;
	return reply_visit(c, 200, c->id);
}

enum ms_err api_visit_cancel(struct api_ctx *c)
{
	const char *reason = NULL;
	const struct jfield fields[] = {
		{ "reason", J_STR, 0, 0, MS_MAX_REASON_BYTES, NULL, &reason }, JF_END
	};
	enum ms_err err;

	if (c->body && (err = api_decode(c, fields)))
		return err;
	if ((err = store_visit_cancel(c->st, &c->scope, c->id, reason, &c->err)))
		return err;
	return reply_visit(c, 200, c->id);
}

enum ms_err api_visit_comment(struct api_ctx *c)
{
	const char *comment = NULL;
	json_t *scores, *orig = c->body, *rest;
	const struct jfield fields[] = { { "comment", J_STR, 0, 0, OBJECTIVE_MAX, NULL, &comment },
					 JF_END };
	int64_t cid = 0;
	enum ms_err err;

	if (!orig)
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "a JSON object body is required");
	scores = json_object_get(orig, "scores");
	rest = json_copy(orig);
	json_object_del(rest, "scores");
	c->body = rest;
	err = api_decode(c, fields);
	c->body = orig;
	json_decref(rest);
	if (err)
		return err;
	if (json_is_null(scores))
		scores = NULL;
	if ((err = store_visit_comment(c->st, &c->scope, c->id, comment, scores, &cid, &c->err)))
		return err;
	return reply_visit(c, 201, c->id);
}

enum ms_err api_visit_list(struct api_ctx *c)
{
	static const char *const loc[] = { "none", "verified", "unverified", "suspicious", NULL };
	struct visit_filter f;
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	visit_filter_init(&f);
	if ((err = api_page(c, &pg)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &f.owner_id)) ||
	    (err = api_query_int(c, "institution_id", 1, INT64_MAX, 0, &f.institution_id)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &f.unit_id)) ||
	    (err = api_query_date(c, "from", &f.from)) || (err = api_query_date(c, "to", &f.to)) ||
	    (err = api_query_text(c, "status", 16, &f.status)) ||
	    (err = api_query_text(c, "type", 16, &f.type)) ||
	    (err = api_query_text(c, "location_status", 16, &f.location_status)) ||
	    (err = api_query_bool(c, "effective", &f.effective)) ||
	    (err = api_query_bool(c, "has_warnings", &f.has_warnings)) ||
	    (err = api_query_bool(c, "reviewed", &f.reviewed)))
		return err;
	if (f.status && !code_in(visit_statuses, f.status))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "status", "unknown filter value");
	if (f.type && !code_in(visit_types, f.type))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "type", "unknown filter value");
	if (f.location_status && !code_in(loc, f.location_status))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "location_status",
			       "unknown filter value");
	if (!pg.sort)
		pg.sort = "-visit_date";
	if ((err = store_visit_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* from/to from the query: explicit dates, or month=YYYY-MM, or
 * week=YYYY-MM-DD (the Monday-to-Sunday week holding that day); default
 * def_from..def_to days from today. At most PERIOD days. */
static enum ms_err period(struct api_ctx *c, int def_from, int def_to, const char **from,
			  const char **to)
{
	const char *month = NULL, *week = NULL;
	int32_t today = date_of_instant(date_now()), f, t;
	char *bf = arena_alloc(c->arena, 11), *bt = arena_alloc(c->arena, 11);
	enum ms_err err;

	if ((err = api_query_date(c, "from", from)) || (err = api_query_date(c, "to", to)) ||
	    (err = api_query_text(c, "month", 7, &month)) ||
	    (err = api_query_date(c, "week", &week)))
		return err;
	if (month) {
		char first[11];
		int y, m, d;
		snprintf(first, sizeof(first), "%s-01", month);
		if (strlen(month) != 7 || date_parse(first, &f))
			return ms_fail(&c->err, MS_EINVAL, "invalid", "month",
				       "'month' must be YYYY-MM");
		date_to_ymd(f, &y, &m, &d);
		t = f + date_days_in_month(y, m) - 1;
	} else if (week) {
		date_parse(week, &f);
		f -= date_weekday(f) - 1;
		t = f + 6;
	} else {
		f = today + def_from;
		t = today + def_to;
		if (*from)
			date_parse(*from, &f);
		if (*to)
			date_parse(*to, &t);
	}
	if (t < f)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "to", "'to' is before 'from'");
	if (t - f + 1 > 92)
		return ms_fail(&c->err, MS_EINVAL, "out_of_range", "to",
			       "the period is at most 92 days");
	date_format(f, bf);
	date_format(t, bt);
	*from = bf;
	*to = bt;
	return MS_OK;
}

enum ms_err api_visit_calendar(struct api_ctx *c)
{
	const char *from = NULL, *to = NULL;
	int64_t user_id = 0, unit_id = 0;
	int32_t today = date_of_instant(date_now());
	int y, m, d;
	json_t *out = NULL;
	enum ms_err err;

	date_to_ymd(today, &y, &m, &d);
	if ((err = api_query_int(c, "user_id", 1, INT64_MAX, 0, &user_id)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &unit_id)) ||
	    (err = period(c, 1 - d, date_days_in_month(y, m) - d, &from, &to)) ||
	    (err = store_visit_calendar(c->st, &c->scope, user_id, unit_id, from, to, api_today(c),
					&out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_visit_proposals(struct api_ctx *c)
{
	const char *from = NULL, *to = NULL;
	int64_t user_id = 0;
	json_t *out = NULL;
	enum ms_err err;

	/* Without user_id, the caller's own (a manager may cover institutions
	 * too). */
	if ((err = api_query_int(c, "user_id", 1, INT64_MAX, c->scope.user_id, &user_id)) ||
	    (err = period(c, 0, 13, &from, &to)) ||
	    (err = store_visit_proposals(c->st, &c->scope, user_id, from, to, api_today(c), &out,
					 &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_visit_coaching(struct api_ctx *c)
{
	const char *from = NULL, *to = NULL;
	int64_t user_id = 0;
	int32_t today = date_of_instant(date_now());
	char *bf = arena_alloc(c->arena, 11), *bt = arena_alloc(c->arena, 11);
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_query_int(c, "user_id", 1, INT64_MAX, c->scope.user_id, &user_id)) ||
	    (err = api_query_date(c, "from", &from)) || (err = api_query_date(c, "to", &to)))
		return err;
	if (!from) {
		date_format(today - 365, bf);
		from = bf;
	}
	if (!to) {
		date_format(today, bt);
		to = bt;
	}
	if ((err = store_coaching(c->st, &c->scope, user_id, from, to, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_visit_coverage(struct api_ctx *c)
{
	const char *from = NULL, *to = NULL;
	int64_t user_id = 0, unit_id = 0;
	int32_t today = date_of_instant(date_now());
	int y, m, d;
	json_t *out = NULL;
	enum ms_err err;

	date_to_ymd(today, &y, &m, &d);
	if ((err = api_query_int(c, "user_id", 1, INT64_MAX, 0, &user_id)) ||
	    (err = api_query_int(c, "unit_id", 1, INT64_MAX, 0, &unit_id)) ||
	    (err = period(c, 1 - d, date_days_in_month(y, m) - d, &from, &to)) ||
	    (err = store_visit_coverage(c->st, &c->scope, unit_id, user_id, from, to, &out,
					&c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* ---- tasks ---- */

enum ms_err api_task_list(struct api_ctx *c)
{
	struct task_filter f = { 0, NULL, NULL };
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) ||
	    (err = api_query_int(c, "owner_id", 1, INT64_MAX, 0, &f.owner_id)) ||
	    (err = api_query_text(c, "status", 8, &f.status)) ||
	    (err = api_query_date(c, "due_before", &f.due_before)))
		return err;
	if (f.status && !code_in(visit_task_statuses, f.status))
		return ms_fail(&c->err, MS_EINVAL, "invalid", "status", "unknown filter value");
	if ((err = store_task_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

static enum ms_err task_set(struct api_ctx *c, int done)
{
	json_t *out = NULL;
	enum ms_err err;
	if ((err = store_task_complete(c->st, &c->scope, c->id, done, &c->err)) ||
	    (err = store_task_get(c->st, &c->scope, c->id, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

enum ms_err api_task_complete(struct api_ctx *c)
{
	return task_set(c, 1);
}

enum ms_err api_task_reopen(struct api_ctx *c)
{
	return task_set(c, 0);
}

/* ---- the iCalendar feed ---- */

enum ms_err api_calendar_token_get(struct api_ctx *c)
{
	int64_t created = 0;
	char at[32];
	enum ms_err err = store_calendar_token_info(c->st, c->scope.user_id, &created, &c->err);
	if (err)
		return err;
	if (created)
		date_format_instant(created, at);
	return api_ok(c, 200,
		      json_pack("{s:b, s:s?}", "exists", created != 0, "created_at",
				created ? at : NULL));
}

enum ms_err api_calendar_token_renew(struct api_ctx *c)
{
	char token[TOKEN_HEX_LEN + 1], th[HASH_HEX_LEN + 1];
	const char *host = http_header(c->req, "Host"), *path;
	enum ms_err err;

	hash_random_token(token);
	hash_sha256_hex(token, TOKEN_HEX_LEN, th);
	if ((err = store_calendar_token_set(c->st, &c->scope, th, &c->err)))
		return err;
	path = arena_printf(c->arena, "/api/v1/calendar/%s.ics", token);
	return api_ok(c, 201,
		      json_pack("{s:s, s:s, s:s}", "token", token, "path", path, "url",
				arena_printf(c->arena, "%s://%s%s",
					     c->app->secure_cookie ? "https" : "http",
					     host ? host : "127.0.0.1", path)));
}

enum ms_err api_calendar_token_revoke(struct api_ctx *c)
{
	int revoked = 0;
	enum ms_err err =
		store_calendar_token_revoke(c->st, &c->scope, c->scope.user_id, &revoked, &c->err);
	return err ? err : api_ok(c, 200, json_pack("{s:b}", "revoked", revoked));
}

/* A visit type in the feed's language: the UI's words (web/src/locales,
 * visits.types), English for a user whose locale is en. */
static const char *type_name(const char *type, int en)
{
	static const char *const names[][3] = {
		{ "in_person", "拜访", "In-person visit" },
		{ "phone", "电话拜访", "Phone call" },
		{ "online", "线上拜访", "Online meeting" },
		{ "dept_meeting", "科室会", "Department meeting" },
		{ "academic", "学术会议", "Academic meeting" },
		{ "joint", "协访", "Joint visit" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i][0], type))
			return names[i][en ? 2 : 1];
	return en ? "Visit" : "拜访";
}

/* The LOCATION of a visit: the institution's name, city, district and
 * address, the empty ones left out (no stray spaces). */
static const char *feed_location(struct api_ctx *c, json_t *row)
{
	static const char *const keys[] = { "institution_name", "city", "district", "address" };
	struct strbuf sb = STRBUF_INIT;
	const char *out;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(row, keys[i]));
		if (v && *v)
			strbuf_addf(&sb, "%s%s", sb.len ? " " : "", v);
	}
	out = arena_printf(c->arena, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

enum ms_err api_calendar_feed(struct api_ctx *c)
{
	char th[HASH_HEX_LEN + 1], name[128], from[11], to[11];
	struct strbuf sb = STRBUF_INIT;
	int64_t user_id = 0, now = date_now();
	int32_t today = date_of_instant(now);
	json_t *rows = NULL, *row;
	size_t i;
	enum ms_err err;

	if (!c->param || strlen(c->param) != TOKEN_HEX_LEN)
		return ms_fail(&c->err, MS_ENOTFOUND, "not_found", "", "no such calendar");
	hash_sha256_hex(c->param, TOKEN_HEX_LEN, th);
	if ((err = store_calendar_token_user(c->st, th, &user_id, name, sizeof(name), &c->err)))
		return err;
	date_format(today - FEED_PAST_DAYS, from);
	date_format(today + FEED_FUTURE_DAYS, to);
	if ((err = store_visit_feed(c->st, user_id, from, to, &rows, &c->err)))
		return err;
	ical_begin(&sb, arena_printf(c->arena, "MedSales %s", name), now);
	json_array_foreach(rows, i, row)
	{
		struct ical_event ev;
		const char *status = json_string_value(json_object_get(row, "status"));
		int64_t t_in = json_integer_value(json_object_get(row, "t_in"));
		int64_t t_out = json_integer_value(json_object_get(row, "t_out"));
		int64_t t_plan = json_integer_value(json_object_get(row, "t_plan"));
		const char *objective = json_string_value(json_object_get(row, "objective"));
		const char *next = json_string_value(json_object_get(row, "next_step"));
		/* In the language of the user whose calendar it is. */
		const char *locale = json_string_value(json_object_get(row, "locale"));
		int en = locale && !strcmp(locale, "en");
		int32_t day;

		memset(&ev, 0, sizeof(ev));
		ev.uid = arena_printf(c->arena, "visit-%lld@medsales",
				      (long long)json_integer_value(json_object_get(row, "id")));
		date_parse(json_string_value(json_object_get(row, "visit_date")), &day);
		if (t_in) {
			ev.start = t_in;
			ev.end = t_out;
		} else if (t_plan) {
			ev.start = t_plan;
			ev.end = t_plan + 3600;
		} else {
			ev.all_day = 1;
			ev.start = (int64_t)day * 86400 + 4 * 3600; /* noon in Shanghai */
		}
		ev.summary =
			arena_printf(c->arena, "%s · %s",
				     type_name(json_string_value(json_object_get(row, "type")), en),
				     json_string_value(json_object_get(row, "institution_name")));
		ev.description = arena_printf(c->arena, "%s%s%s%s",
					      !*objective ? ""
					      : en	  ? "Objective: "
							  : "目标: ",
					      objective,
					      !*next ? ""
					      : en   ? "\nNext step: "
						     : "\n下一步: ",
					      next);
		ev.location = feed_location(c, row);
		ev.status = !strcmp(status, "cancelled") ? "CANCELLED"
			    : !strcmp(status, "planned") ? "TENTATIVE"
							 : "CONFIRMED";
		ical_event(&sb, &ev, now);
	}
	ical_end(&sb);
	json_decref(rows);
	if (sb.failed) {
		strbuf_release(&sb);
		return ms_fail(&c->err, MS_EIO, "internal", "", "out of memory");
	}
	{
		size_t len = 0;
		char *body = strbuf_detach(&sb, &len);
		return api_file(c, "text/calendar; charset=utf-8", body, len, "medsales.ics");
	}
}

/* ---- settings ---- */
