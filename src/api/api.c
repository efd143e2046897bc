/* api.c: the dispatcher. It matches the route table, authenticates the
 * session cookie, checks the role and the CSRF token, parses the JSON body,
 * runs the handler inside one transaction, and maps any error to its status
 * and {"error":{...}} body: the one place that does so. */
#include "api/api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/parse.h"
#include "domain/user.h"

#define SESSION_TOUCH_SECONDS 60

static int status_of(enum ms_err err)
{
	switch (err) {
	case MS_OK: return 200;
	case MS_EINVAL: return 400;
	case MS_EUNAUTH: return 401;
	case MS_EFORBIDDEN: return 403;
	case MS_ENOTFOUND: return 404;
	case MS_ECONFLICT: return 409;
	case MS_ETOOBIG: return 413;
	case MS_EMEDIATYPE: return 415;
	case MS_ETHROTTLED: return 429;
	case MS_EDB:
	case MS_EIO: return 500;
	}
	return 500;
}

static void write_json(struct http_response *resp, int status, json_t *v)
{
	resp->status = status;
	if (!v) {
		resp->body = NULL;
		resp->body_len = 0;
		return;
	}
	resp->content_type = "application/json; charset=utf-8";
	resp->body = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(12));
	resp->body_len = resp->body ? strlen(resp->body) : 0;
	if (!resp->body)
		resp->status = 500;
}

static void write_error(struct http_response *resp, enum ms_err err, const struct ms_error *e)
{
	const char *code = e->code[0] ? e->code : ms_err_name(err);
	const char *msg = e->message;
	json_t *v;

	if (err == MS_EDB || err == MS_EIO) {
		/* The text stays in the log; the client learns nothing of it. */
		code = "internal";
		msg = "internal error";
	}
	v = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", code, "field", e->field, "message",
		      msg[0] ? msg : code);
	/* A message that quotes bad UTF-8 from the request cannot be packed;
	 * the answer still carries its JSON error, without the quote. */
	if (!v)
		v = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", code, "field", "", "message",
			      code);
	/* A too_long value: the limit, so that the form can say it. */
	if (e->max > 0 && err != MS_EDB && err != MS_EIO)
		json_object_set_new(json_object_get(v, "error"), "max", json_integer(e->max));
	write_json(resp, status_of(err), v);
	json_decref(v);
}

/* Matches a path against a pattern; fills c->param/param2/id. */
int api_route_match(const char *pattern, const char *path, struct api_ctx *c)
{
	const char *p = pattern, *s = path;
	int nparam = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pend = strchr(p, '}');
			const char *send = strchr(s, '/');
			size_t n = send ? (size_t)(send - s) : strlen(s);
			char *seg;
			/* {token} is lower-case hex, so that a literal suffix
			 * such as ".ics" may follow it in the same segment. */
			if (!strncmp(p, "{token}", 7))
				n = strspn(s, "0123456789abcdef");
			if (!pend || n == 0 || n > 64)
				return 0;
			seg = arena_strndup(c->arena, s, n);
			if (!strncmp(p, "{id}", 4)) {
				int64_t id;
				if (parse_int64(seg, 1, INT64_MAX, &id))
					return 0;
				c->id = id;
			}
			if (nparam++ == 0)
				c->param = seg;
			else
				c->param2 = seg;
			p = pend + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return !*p && !*s;
}

static enum ms_err authenticate(struct api_ctx *c)
{
	const char *token = http_cookie(c->req, "ms_session");
	char th[HASH_HEX_LEN + 1];
	int64_t now = date_now();
	enum ms_err err;

	if (!token || strlen(token) != TOKEN_HEX_LEN)
		return ms_fail(&c->err, MS_EUNAUTH, "unauthenticated", "", "please log in");
	hash_sha256_hex(token, TOKEN_HEX_LEN, th);
	err = store_session_lookup(c->st, th, &c->session, &c->err);
	if (err)
		return err == MS_EDB ? err
				     : ms_fail(&c->err, MS_EUNAUTH, "unauthenticated", "",
					       "please log in");
	if (session_expired(c->session.created_at, c->session.last_seen_at, now)) {
		struct scope s;
		scope_for(&s, c->session.role, c->session.user_id, c->session.unit_id);
		s.username = c->session.username;
		if (!store_begin(c->st, 1)) {
			if (store_session_end(c->st, &s, c->session.id, NULL) ||
			    store_commit(c->st))
				store_rollback(c->st);
		}
		return ms_fail(&c->err, MS_EUNAUTH, "unauthenticated", "",
			       "the session has expired; please log in again");
	}
	/* last_seen_at is written at most once a minute, outside the request's
	 * transaction, so that reads stay reads. */
	if (now - c->session.last_seen_at >= SESSION_TOUCH_SECONDS)
		(void)store_session_touch(c->st, c->session.id, now, NULL);
	c->authed = 1;
	scope_for(&c->scope, c->session.role, c->session.user_id, c->session.unit_id);
	c->scope.username = c->session.username;
	return MS_OK;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* A state-changing request must carry its session's CSRF token, and must
 * not come from a page of another origin. */
static enum ms_err check_forgery(struct api_ctx *c, int need_token)
{
	const char *origin = http_header(c->req, "Origin");
	const char *host = http_header(c->req, "Host");

	if (origin) {
		/* "null" (a sandboxed frame, a file: page) is never our page; the
		 * scheme is ours: http, or https behind a trusted proxy that says
		 * so (src/http: X-Forwarded-Proto from any other peer is ignored). */
		const char *scheme = c->req->https ? "https://" : "http://";
		size_t sn = strlen(scheme);
		if (!host || strncmp(origin, scheme, sn) || strcmp(origin + sn, host))
			return ms_fail(&c->err, MS_EFORBIDDEN, "csrf", "",
				       "cross-origin request refused");
	}
	if (need_token) {
		const char *tok = http_header(c->req, "X-CSRF-Token");
		size_t n = strlen(c->session.csrf);
		if (!tok || strlen(tok) != n || !hash_equal(tok, c->session.csrf, n))
			return ms_fail(&c->err, MS_EFORBIDDEN, "csrf", "X-CSRF-Token",
				       "missing or wrong CSRF token");
	}
	return MS_OK;
}

/* "application/json", optionally with parameters ("; charset=utf-8"). */
static int json_type_ok(const char *type)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	if (!type || strncasecmp(type, want, n))
		return 0;
	type += n;
	while (*type == ' ' || *type == '\t')
		type++;
	return *type == '\0' || *type == ';';
}

static enum ms_err parse_body(struct api_ctx *c)
{
	json_error_t jerr;

	if (c->req->body_failed)
		return ms_fail(&c->err, MS_EIO, "internal", "", "the upload could not be stored");
	if (c->req->body_too_large) {
		size_t cap = c->req->body_cap ? c->req->body_cap : MS_MAX_BODY_BYTES;
		if (c->route_flags & R_RAWBODY)
			cap = MS_MAX_UPLOAD_BYTES;
		return ms_fail(&c->err, MS_ETOOBIG, "too_large", "",
			       "the request body is larger than %zu bytes", cap);
	}
	if (c->req->body_len == 0 || (c->route_flags & R_RAWBODY))
		return MS_OK;
	if (!json_type_ok(http_header(c->req, "Content-Type")))
		return ms_fail(&c->err, MS_EMEDIATYPE, "unsupported_media_type", "Content-Type",
			       "the body must be sent as application/json");
	c->body = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!c->body) {
		if (json_error_code(&jerr) == json_error_invalid_utf8)
			return ms_fail(&c->err, MS_EINVAL, "bad_utf8", "",
				       "the body is not valid UTF-8");
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "", "malformed JSON at line %d: %s",
			       jerr.line, jerr.text);
	}
	if (!json_is_object(c->body))
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "the body must be a JSON object");
	return MS_OK;
}

static enum ms_err run(struct api_ctx *c, const struct route *r)
{
	enum ms_err err;
	int write = is_write(c->req->method);

	if ((r->flags & R_AUTH) && (err = authenticate(c)))
		return err;
	if (write && (err = check_forgery(c, (r->flags & R_AUTH) != 0)))
		return err;
	if ((r->flags & R_AUTH) && r->roles && !(r->roles & ROLE_BIT(c->scope.role)))
		return ms_fail(&c->err, MS_EFORBIDDEN, "forbidden", "",
			       "your role may not do this");
	c->route_flags = r->flags;
	if ((err = parse_body(c)))
		return err;
	if (r->flags & (R_SELFTX | R_NOSTORE))
		return r->fn(c);
	if ((err = store_begin(c->st, write)))
		return ms_fail(&c->err, err, "internal", "", "cannot begin transaction");
	err = r->fn(c);
	if (err) {
		store_rollback(c->st);
		return err;
	}
	if (store_commit(c->st))
		return ms_fail(&c->err, MS_EDB, "internal", "", "commit failed");
	return MS_OK;
}

/* The route of a request, or NULL; *path_known when the path matched
 * with another method. */
static const struct route *find_route(struct api_ctx *c, int *path_known)
{
	*path_known = 0;
	for (const struct route *r = api_routes; r->method; r++) {
		c->param = c->param2 = NULL;
		if (!api_route_match(r->pattern, c->req->path, c))
			continue;
		*path_known = 1;
		if (!strcmp(r->method, c->req->method) ||
		    (!strcmp(c->req->method, "HEAD") && !strcmp(r->method, "GET")))
			return r;
	}
	return NULL;
}

/* A fresh context for req, and its route (find_route). */
static const struct route *ctx_init(struct api_ctx *c, void *app, struct http_request *req,
				    struct http_response *resp, int *path_known)
{
	memset(c, 0, sizeof(*c));
	c->app = app;
	c->req = req;
	c->resp = resp;
	c->arena = req->arena;
	return find_route(c, path_known);
}

/* A body announced (Content-Length) at most max bytes long; a chunked one
 * is not announced. */
static int announced_within(const struct http_request *req, size_t max)
{
	const char *cl = http_header(req, "Content-Length");
	int64_t n;

	if (!cl)
		return !http_header(req, "Transfer-Encoding");
	return !parse_int64(cl, 0, INT64_MAX, &n) && (uint64_t)n <= max;
}

/* A body past MS_MAX_ANON_BODY_BYTES only from a session, so that
 * connections without one hold little memory: 401 for a route that needs a
 * session, 413 for any other (login's body is tiny), at once; a chunked
 * body without a session is read up to that cap, then dropped (413). */
static enum http_body admit_small(struct api_ctx *c, const struct route *r)
{
	enum ms_err err;

	if (announced_within(c->req, MS_MAX_ANON_BODY_BYTES))
		return HTTP_BODY_ANON;
	c->st = store_pool_get(c->app->pool);
	err = authenticate(c);
	store_pool_put(c->app->pool, c->st);
	c->st = NULL;
	if (!err)
		return HTTP_BODY_SMALL;
	if (err == MS_EUNAUTH && !http_header(c->req, "Content-Length"))
		return HTTP_BODY_ANON;
	if (err == MS_EUNAUTH && (!r || !(r->flags & R_AUTH)))
		err = ms_fail(&c->err, MS_ETOOBIG, "too_large", "",
			      "a request without a session may send at most %d bytes",
			      MS_MAX_ANON_BODY_BYTES);
	write_error(c->resp, err, &c->err);
	return HTTP_BODY_ANON;
}

/* From the headers alone: a route that takes a large body (an upload)
 * gets it only from a caller who may send it, so that no one without a
 * session and the route's role makes the server store megabytes; and a
 * body past MS_MAX_ANON_BODY_BYTES needs a session (admit_small). */
enum http_body api_admit(void *app, struct http_request *req, struct http_response *resp)
{
	struct api_ctx c;
	const struct route *r;
	int path_known;
	enum ms_err err;

	r = ctx_init(&c, app, req, resp, &path_known);
	if (!r || !(r->flags & R_RAWBODY))
		return admit_small(&c, r);
	c.st = store_pool_get(((struct app *)app)->pool);
	err = authenticate(&c);
	if (!err)
		err = check_forgery(&c, 1);
	if (!err && r->roles && !(r->roles & ROLE_BIT(c.scope.role)))
		err = ms_fail(&c.err, MS_EFORBIDDEN, "forbidden", "", "your role may not do this");
	store_pool_put(((struct app *)app)->pool, c.st);
	if (err) {
		write_error(resp, err, &c.err);
		return HTTP_BODY_SMALL;
	}
	return HTTP_BODY_LARGE;
}

void api_handle(void *app, struct http_request *req, struct http_response *resp)
{
	struct api_ctx c;
	const struct route *found;
	int path_known;
	enum ms_err err;

	found = ctx_init(&c, app, req, resp, &path_known);
	if (!found) {
		if (path_known)
			err = ms_fail(&c.err, MS_EINVAL, "method_not_allowed", "",
				      "method %s not allowed here", req->method);
		else
			err = ms_fail(&c.err, MS_ENOTFOUND, "not_found", "", "no such endpoint");
		write_error(resp, err, &c.err);
		if (path_known)
			resp->status = 405;
		return;
	}
	if (!(found->flags & R_NOSTORE))
		c.st = store_pool_get(((struct app *)app)->pool);
	err = run(&c, found);
	if (c.st)
		store_pool_put(((struct app *)app)->pool, c.st);
	json_decref(c.body);
	if (err) {
		if (c.raw_response) { /* a file set before a failed commit */
			free(resp->body);
			resp->body = NULL;
		}
		write_error(resp, err, &c.err);
		if (err == MS_ETHROTTLED)
			http_response_header(
				resp, "Retry-After",
				arena_printf(c.arena, "%lld",
					     (long long)(c.retry_after > 0 ? c.retry_after : 1)));
		json_decref(c.out);
		return;
	}
	if (c.raw_response)
		return;
	if (c.static_json) {
		resp->status = c.status ? c.status : 200;
		resp->content_type = "application/json; charset=utf-8";
		resp->static_body = c.static_json;
		return;
	}
	write_json(resp, c.status ? c.status : (c.out ? 200 : 204), c.out);
	json_decref(c.out);
}

enum ms_err api_take_version(struct api_ctx *c, int64_t *version)
{
	json_t *v = c->body ? json_object_get(c->body, "version") : NULL;
	if (!c->body)
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "a JSON object body is required");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return ms_fail(&c->err, MS_EINVAL, v ? "invalid" : "required", "version",
			       "'version' is required");
	*version = json_integer_value(v);
	json_object_del(c->body, "version");
	return MS_OK;
}

enum ms_err api_begin(struct api_ctx *c)
{
	if (store_begin(c->st, 1))
		return ms_fail(&c->err, MS_EDB, "internal", "", "cannot begin transaction");
	return MS_OK;
}

enum ms_err api_end(struct api_ctx *c, enum ms_err err)
{
	if (err) {
		store_rollback(c->st);
		return err;
	}
	if (store_commit(c->st))
		return ms_fail(&c->err, MS_EDB, "internal", "", "commit failed");
	return MS_OK;
}

enum ms_err api_ok(struct api_ctx *c, int status, json_t *v)
{
	json_decref(c->out);
	c->status = status;
	c->out = v;
	return MS_OK;
}

enum ms_err api_file(struct api_ctx *c, const char *content_type, char *body, size_t len,
		     const char *filename)
{
	size_t n = strlen(filename) + 32;
	char *cd = arena_alloc(c->arena, n);

	free(c->resp->body);
	c->resp->body = body;
	c->resp->body_len = len;
	c->resp->content_type = content_type;
	c->resp->status = 200;
	snprintf(cd, n, "attachment; filename=\"%s\"", filename);
	http_response_header(c->resp, "Content-Disposition", cd);
	json_decref(c->out);
	c->out = NULL;
	c->status = 200;
	c->raw_response = 1;
	return MS_OK;
}

const char *api_today(struct api_ctx *c)
{
	char *buf = arena_alloc(c->arena, 11);
	date_format(date_of_instant(date_now()), buf);
	return buf;
}

static int field_known(const struct jfield *fields, const char *key)
{
	for (const struct jfield *f = fields; f->name; f++)
		if (!strcmp(f->name, key))
			return 1;
	return 0;
}

static enum ms_err decode_one(struct api_ctx *c, const struct jfield *f, json_t *v)
{
	struct ms_error *e = &c->err;

	switch (f->type) {
	case J_STR:
	case J_DATE:
	case J_ENUM: {
		const char *s;
		if (!json_is_string(v))
			return ms_fail(e, MS_EINVAL, "invalid", f->name, "'%s' must be a string",
				       f->name);
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v))
			return ms_fail(e, MS_EINVAL, "invalid", f->name,
				       "'%s' must not contain NUL", f->name);
		if (f->type == J_STR &&
		    text_check(s, f->name, f->max ? (size_t)f->max : MS_MAX_TEXT,
			       (f->flags & J_REQUIRED) != 0, e))
			return e->err;
		if (f->type == J_DATE) {
			int32_t d;
			if (date_parse(s, &d))
				return ms_fail(e, MS_EINVAL, "invalid", f->name,
					       "'%s' must be a date YYYY-MM-DD", f->name);
		}
		if (f->type == J_ENUM) {
			const char *const *x = f->enums;
			while (*x && strcmp(*x, s))
				x++;
			if (!*x)
				return ms_fail(e, MS_EINVAL, "invalid", f->name,
					       "'%s' has an unknown value", f->name);
		}
		*(const char **)f->dst = s;
		return MS_OK;
	}
	case J_INT: {
		json_int_t n;
		if (!json_is_integer(v))
			return ms_fail(e, MS_EINVAL, "invalid", f->name, "'%s' must be an integer",
				       f->name);
		n = json_integer_value(v);
		if (n < f->min || n > f->max)
			return ms_fail(e, MS_EINVAL, "out_of_range", f->name,
				       "'%s' must be between %lld and %lld", f->name,
				       (long long)f->min, (long long)f->max);
		*(int64_t *)f->dst = n;
		return MS_OK;
	}
	case J_NUM:
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return ms_fail(e, MS_EINVAL, "invalid", f->name, "'%s' must be a number",
				       f->name);
		*(double *)f->dst = json_number_value(v);
		return MS_OK;
	case J_BOOL:
		if (!json_is_boolean(v))
			return ms_fail(e, MS_EINVAL, "invalid", f->name,
				       "'%s' must be true or false", f->name);
		*(int *)f->dst = json_is_true(v);
		return MS_OK;
	}
	return MS_EINVAL;
}

enum ms_err api_decode(struct api_ctx *c, const struct jfield *fields)
{
	const char *key;
	json_t *v;

	if (!c->body)
		return ms_fail(&c->err, MS_EINVAL, "bad_json", "",
			       "a JSON object body is required");
	json_object_foreach(c->body, key, v)
	{
		if (!field_known(fields, key))
			return ms_fail(&c->err, MS_EINVAL, "unknown_field", key,
				       "unknown field '%s'", key);
	}
	for (const struct jfield *f = fields; f->name; f++) {
		v = json_object_get(c->body, f->name);
		if (!v || (json_is_null(v) && (f->flags & J_NULLABLE))) {
			if (f->flags & J_REQUIRED)
				return ms_fail(&c->err, MS_EINVAL, "required", f->name,
					       "'%s' is required", f->name);
			continue;
		}
		if (decode_one(c, f, v))
			return c->err.err;
	}
	return MS_OK;
}

enum ms_err api_query_int(struct api_ctx *c, const char *name, int64_t min, int64_t max,
			  int64_t def, int64_t *out)
{
	const char *s = http_query(c->req, name);
	if (!s) {
		*out = def;
		return MS_OK;
	}
	if (parse_int64(s, min, max, out))
		return ms_fail(&c->err, MS_EINVAL, "out_of_range", name,
			       "'%s' must be an integer from %lld to %lld", name, (long long)min,
			       (long long)max);
	return MS_OK;
}

enum ms_err api_query_bool(struct api_ctx *c, const char *name, int *out)
{
	const char *s = http_query(c->req, name);
	*out = -1;
	if (!s)
		return MS_OK;
	if (!strcmp(s, "true"))
		*out = 1;
	else if (!strcmp(s, "false"))
		*out = 0;
	else
		return ms_fail(&c->err, MS_EINVAL, "invalid", name, "'%s' must be true or false",
			       name);
	return MS_OK;
}

enum ms_err api_query_text(struct api_ctx *c, const char *name, size_t max, const char **out)
{
	const char *s = http_query(c->req, name);
	*out = NULL;
	if (!s || !*s)
		return MS_OK;
	if (text_check(s, name, max, 0, &c->err))
		return c->err.err;
	*out = s;
	return MS_OK;
}

enum ms_err api_query_date(struct api_ctx *c, const char *name, const char **out)
{
	const char *s = http_query(c->req, name);
	int32_t d;
	*out = NULL;
	if (!s)
		return MS_OK;
	if (date_parse(s, &d))
		return ms_fail(&c->err, MS_EINVAL, "invalid", name,
			       "'%s' must be a date YYYY-MM-DD", name);
	*out = s;
	return MS_OK;
}

enum ms_err api_page(struct api_ctx *c, struct page *pg)
{
	enum ms_err err;
	if ((err = api_query_int(c, "limit", 1, MS_MAX_LIST_LIMIT, MS_DEFAULT_LIST_LIMIT,
				 &pg->limit)) ||
	    (err = api_query_int(c, "offset", 0, MS_MAX_OFFSET, 0, &pg->offset)) ||
	    (err = api_query_text(c, "sort", 64, &pg->sort)))
		return err;
	return MS_OK;
}
