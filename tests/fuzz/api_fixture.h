/* api_fixture.h: what fuzz_query, fuzz_api_decode and fuzz_auth share: a scratch
 * database (migrated, one unit and one admin; or FUZZ_DB, an existing
 * database such as a demo one, whose changes are rolled back), and one call
 * of a route's handler as the dispatcher of src/api/api.c makes it: the
 * role check of the route table, the path parameters through its matcher,
 * the query parameters and the JSON body, inside a transaction that is
 * always rolled back, so that every input meets the same database. An input
 * is: a byte choosing the route, a byte choosing the role, the path
 * parameters up to a line end ("12", "visit-rules", "kind/3"), then the
 * query string or the body. A handler's answer may be any 4xx; a 500 (a
 * storage or system error) aborts. A handler that opens its own
 * transactions (R_SELFTX: login, the own password) runs outside one, and
 * its only writes, the throttle's counters, are forgotten afterwards (the
 * admin's password hash is "-", so no login succeeds and no password
 * changes). FUZZ_VERBOSE=1 prints each call's
 * outcome (to check what the seeds reach). */
#ifndef MS_API_FIXTURE_H
#define MS_API_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "base/strbuf.h"
#include "store/store_org.h"
#include "store/store_user.h"

static struct store *fx_st;
static int64_t fx_admin, fx_unit;
static char fx_path[64];

static void fx_cleanup(void)
{
	store_close(fx_st);
	if (fx_path[0]) {
		char p[80];
		unlink(fx_path);
		snprintf(p, sizeof(p), "%s-wal", fx_path);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", fx_path);
		unlink(p);
	}
}

static void fx_die(const char *what, const struct ms_error *e)
{
	fprintf(stderr, "fixture: %s: %s\n", what, e->message);
	exit(1);
}

static void fx_open(void)
{
	struct ms_error e = MS_ERROR_INIT;
	const char *db = getenv("FUZZ_DB");
	struct scope sys;
	int applied, fd;

	if (fx_st)
		return;
	if (!db) {
		snprintf(fx_path, sizeof(fx_path), "/tmp/medsales-fuzz.XXXXXX");
		fd = mkstemp(fx_path);
		if (fd < 0) {
			perror("mkstemp");
			exit(1);
		}
		close(fd);
		db = fx_path;
	}
	atexit(fx_cleanup);
	if (store_open(db, &fx_st, &e) || store_migrate(fx_st, &applied, &e))
		fx_die("open", &e);
	scope_system(&sys);
	if (store_org_id(fx_st, "HQ", &fx_unit, NULL) != MS_OK) {
		struct unit_fields uf = { 0 };
		struct user_fields f = { 0 };
		uf.code = "HQ";
		uf.type = "company";
		uf.name_zh = "公司总部";
		uf.name_en = "Head Office";
		uf.valid_from = "2000-01-01";
		f.username = "admin";
		f.display_name = "Admin";
		f.role = "admin";
		f.password_hash = "-"; /* nobody logs in */
		if (store_begin(fx_st, 1) || store_org_create(fx_st, &sys, &uf, &fx_unit, &e))
			fx_die("unit", &e);
		f.unit_id = fx_unit;
		if (store_user_create(fx_st, &sys, &f, &fx_admin, &e) || store_commit(fx_st))
			fx_die("user", &e);
	} else if (store_user_id(fx_st, "admin", &fx_admin, &e)) {
		fx_die("admin", &e);
	}
}

/* The routes a fuzz target calls: of method (NULL: any but GET) and not
 * managing their own transactions (R_SELFTX: logins, passwords, settings,
 * imports; fuzz_auth, fuzz_settings and fuzz_import_row take their input),
 * without a store (health) or with a raw body (inline: fuzz_auth picks its
 * routes by path). */
static inline int fx_routes(const char *method, const struct route **out, int max)
{
	int n = 0;
	for (const struct route *r = api_routes; r->method && n < max; r++) {
		if (r->flags & (R_SELFTX | R_NOSTORE | R_RAWBODY))
			continue;
		if (method ? strcmp(r->method, method) != 0 : !strcmp(r->method, "GET"))
			continue;
		out[n++] = r;
	}
	return n;
}

/* The path of r with its {...} segments replaced by the '/'-separated
 * parts of params (missing ones are "1"), into the arena. */
static const char *fx_path_of(struct arena *a, const struct route *r, const char *params)
{
	struct strbuf sb;
	const char *p = r->pattern, *q = params;
	char *out;

	strbuf_init(&sb, 4096);
	while (*p) {
		if (*p == '{') {
			const char *end = strchr(q, '/');
			size_t n = end ? (size_t)(end - q) : strlen(q);
			strbuf_add(&sb, n ? q : "1", n ? n : 1);
			q += n + (end != NULL);
			p = strchr(p, '}');
			if (!p)
				break;
			p++;
			continue;
		}
		strbuf_add(&sb, p++, 1);
	}
	out = arena_strndup(a, strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return out;
}

static const enum role fx_roles[] = { ROLE_ADMIN, ROLE_REP, ROLE_MANAGER, ROLE_DIRECTOR,
				      ROLE_COMPLIANCE };

/* Runs r's handler once; aborts on a 500. */
static void fx_call(const struct route *r, unsigned role_byte, const char *params,
		    const char *const *args, json_t *body)
{
	static struct app app;
	struct arena arena;
	struct http_request req;
	struct http_response resp;
	struct api_ctx c;
	enum role role = fx_roles[role_byte % (sizeof(fx_roles) / sizeof(fx_roles[0]))];
	enum ms_err err;

	if (r->roles && !(r->roles & ROLE_BIT(role)))
		return; /* the dispatcher answers 403 first */
	arena_init(&arena);
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	memset(&c, 0, sizeof(c));
	req.arena = &arena;
	req.method = r->method;
	req.path = fx_path_of(&arena, r, params);
	req.body = "";
	req.args = args;
	c.app = &app;
	c.req = &req;
	c.resp = &resp;
	c.arena = &arena;
	c.st = fx_st;
	c.body = body;
	c.route_flags = r->flags;
	if (!api_route_match(r->pattern, req.path, &c))
		goto out; /* the router answers 404 */
	c.authed = 1;
	scope_for(&c.scope, role, fx_admin, fx_unit);
	c.scope.username = "admin";
	c.session.user_id = fx_admin;
	c.session.unit_id = fx_unit;
	c.session.role = role;
	snprintf(c.session.username, sizeof(c.session.username), "admin");
	if (!(r->flags & R_SELFTX) && store_begin(fx_st, strcmp(r->method, "GET") != 0))
		abort();
	err = r->fn(&c);
	store_rollback(fx_st);
	if ((r->flags & R_SELFTX) &&
	    store_throttle_forget(fx_st, INT64_MAX, INT64_MAX, INT64_MAX, &c.err))
		abort();
	if (getenv("FUZZ_VERBOSE")) /* what each seed reaches */
		fprintf(stderr, "%s %s as %s: %d %s %s\n", r->method, req.path, role_name(role),
			err, c.err.code, c.err.field);
	if (err == MS_EDB || err == MS_EIO) {
		fprintf(stderr, "%s %s: a 500: %s %s: %s\n", r->method, req.path, c.err.code,
			c.err.field, c.err.message);
		abort();
	}
out:
	json_decref(c.out);
	free(resp.body);
	arena_release(&arena);
}

/* Splits an input into route byte, role byte, path parameters and the
 * rest; 0 when it is too short. */
static int fx_split(const uint8_t *data, size_t size, struct arena *a, unsigned *route,
		    unsigned *role, const char **params, const char **rest, size_t *rest_len)
{
	const uint8_t *nl;
	if (size < 2)
		return 0;
	*route = data[0];
	*role = data[1];
	data += 2;
	size -= 2;
	nl = memchr(data, '\n', size);
	if (!nl)
		nl = data + size;
	*params = arena_strndup(a, (const char *)data, (size_t)(nl - data));
	if (strlen(*params) != (size_t)(nl - data))
		return 0; /* a NUL byte: no such path reaches the router */
	*rest = (const char *)(nl < data + size ? nl + 1 : nl);
	*rest_len = size - (size_t)((const uint8_t *)*rest - data);
	return 1;
}

/* One input of a body target: split (fx_split), the rest parsed as the
 * dispatcher parses a body (jansson, duplicate keys rejected, an object)
 * and handed to routes[route byte % n] (inline: fuzz_query has no body). */
static inline void fx_body_input(const uint8_t *data, size_t size,
				 const struct route *const *routes, unsigned n)
{
	static const char *const no_args[] = { NULL };
	struct arena a;
	const char *params, *rest;
	size_t rest_len;
	unsigned route, role;
	json_error_t jerr;
	json_t *body;

	arena_init(&a);
	if (fx_split(data, size, &a, &route, &role, &params, &rest, &rest_len)) {
		body = json_loadb(rest, rest_len, JSON_REJECT_DUPLICATES, &jerr);
		if (body && json_is_object(body))
			fx_call(routes[route % n], role, params, no_args, body);
		json_decref(body);
	}
	arena_release(&a);
}

#endif
