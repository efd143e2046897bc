/* api_audit.c: reading and verifying the audit log (administrators and
 * compliance). */
#include "api/api.h"
#include "base/date.h"
#include "store/store_audit.h"

/* A date query parameter as the instant its business day starts
 * (Asia/Shanghai); `next` moves to the start of the following day. */
static enum ms_err day_start(struct api_ctx *c, const char *name, int next, int64_t *out)
{
	const char *s;
	int32_t d;
	enum ms_err err;

	*out = 0;
	if ((err = api_query_date(c, name, &s)) || !s)
		return err;
	(void)date_parse(s, &d);
	*out = ((int64_t)d + next) * 86400 - DATE_TZ_OFFSET_SECONDS;
	return MS_OK;
}

enum ms_err api_audit_list(struct api_ctx *c)
{
	struct audit_filter f = { 0 };
	struct page pg;
	json_t *out = NULL;
	enum ms_err err;

	if ((err = api_page(c, &pg)) || (err = api_query_text(c, "entity", 64, &f.entity)) ||
	    (err = api_query_text(c, "action", 32, &f.action)) ||
	    (err = api_query_int(c, "entity_id", 1, INT64_MAX, 0, &f.entity_id)) ||
	    (err = api_query_int(c, "user_id", 1, INT64_MAX, 0, &f.user_id)) ||
	    (err = api_query_bool(c, "hide_sessions", &f.hide_sessions)) ||
	    (err = day_start(c, "from", 0, &f.from)) || (err = day_start(c, "to", 1, &f.to)))
		return err;
	f.hide_sessions = f.hide_sessions > 0;
	if (f.from && f.to && f.to <= f.from)
		return ms_fail(&c->err, MS_EINVAL, "invalid", "to",
			       "'to' must not be before 'from'");
	if ((err = store_audit_list(c->st, &c->scope, &f, &pg, &out, &c->err)))
		return err;
	return api_ok(c, 200, out);
}

/* The same check as `medsales audit verify`, for the web page. */
enum ms_err api_audit_verify(struct api_ctx *c)
{
	int64_t checked, broken;
	enum ms_err err;

	if ((err = store_audit_verify(c->st, &checked, &broken, &c->err)))
		return err;
	return api_ok(c, 200,
		      json_pack("{s:b, s:I, s:o}", "intact", broken == 0, "checked",
				(json_int_t)checked, "broken_id",
				broken ? json_integer(broken) : json_null()));
}
