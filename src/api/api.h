/* api.h: the request context every handler gets, the route table's shape,
 * and the helpers handlers share (decoding a JSON body against a field list,
 * query parameters, paging, results). One handler = decode and validate,
 * call the domain, call the store, set the result. The dispatcher in api.c
 * does authentication, roles, CSRF, the transaction and the error body. */
#ifndef MS_API_H
#define MS_API_H

#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "domain/role.h"
#include "http/http.h"
#include "store/store.h"
#include "store/store_user.h"

struct app {
	struct store_pool *pool;
	int secure_cookie; /* add "Secure" to the session cookie (behind TLS) */
};

struct api_ctx {
	struct app *app;
	struct http_request *req;
	struct arena *arena;
	struct store *st;
	struct session_info session; /* valid when authed */
	int authed;
	struct scope scope;
	json_t *body;	    /* the parsed request body (an object) or NULL */
	const char *param;  /* the {id} or {kind} segment of the path */
	const char *param2; /* a second one, as in /ref/{kind}/{id} */
	int64_t id;	    /* the last numeric path segment */
	unsigned route_flags;
	struct ms_error err;
	/* The result: status and JSON body (stolen), or 204 with none. */
	int status;
	json_t *out;
	const char *static_json; /* a constant JSON body instead of out */
	struct http_response *resp;
	int raw_response;    /* set by api_file: c->resp holds a file */
	int64_t retry_after; /* seconds, for the Retry-After of a 429 */
};

typedef enum ms_err (*api_handler_fn)(struct api_ctx *c);

enum route_flags {
	R_AUTH = 1,    /* needs a session */
	R_SELFTX = 2,  /* the handler manages its own transactions */
	R_NOSTORE = 4, /* needs no database at all (health) */
	R_RAWBODY = 8, /* the body is not JSON (CSV uploads): in c->req->body_fd */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/users/{id}": {id} is numeric, {kind} text */
	api_handler_fn fn;
	unsigned flags;
	unsigned roles; /* ROLE_BIT mask; 0 = anyone (with R_AUTH: any role) */
};

extern const struct route api_routes[];
/* 1 when path matches a route's pattern; sets c->param, c->param2 and c->id
 * from its {...} segments (the fuzz targets call it too). */
int api_route_match(const char *pattern, const char *path, struct api_ctx *c);

/* The http_handler_fn for everything under /api/. */
void api_handle(void *app, struct http_request *req, struct http_response *resp);
/* The http_admit_fn: a route with R_RAWBODY takes a large body, once the
 * session, the CSRF token and Origin, and the role are checked (401/403 at
 * once otherwise); every other route a small one. */
enum http_body api_admit(void *app, struct http_request *req, struct http_response *resp);

/* Body decoding. Each field writes to dst only when present and valid, so
 * the caller sets defaults first: NULL strings, 0 ints, -1 bools. */
enum jtype { J_STR, J_INT, J_BOOL, J_DATE, J_ENUM, J_NUM };
#define J_REQUIRED 1u
#define J_NULLABLE 2u /* null accepted and treated as absent */
struct jfield {
	const char *name;
	enum jtype type;
	unsigned flags;
	int64_t min, max;	  /* J_INT range; J_STR max bytes in max */
	const char *const *enums; /* J_ENUM: NULL-terminated allowed values */
	void *dst;		  /* const char ** | int64_t * | int * | double * */
};
/* Rejects a missing or non-object body, unknown fields, wrong types,
 * out-of-range values and bad text, naming the field. */
enum ms_err api_decode(struct api_ctx *c, const struct jfield *fields);

#define JF_END                                                                                     \
	{                                                                                          \
		NULL, 0, 0, 0, 0, NULL, NULL                                                       \
	}

/* Query parameters: an integer in [min, max] or def when absent. */
enum ms_err api_query_int(struct api_ctx *c, const char *name, int64_t min, int64_t max,
			  int64_t def, int64_t *out);
/* "true"/"false" -> 1/0, absent -> -1. */
enum ms_err api_query_bool(struct api_ctx *c, const char *name, int *out);
/* Text up to max bytes, NULL when absent. */
enum ms_err api_query_text(struct api_ctx *c, const char *name, size_t max, const char **out);
enum ms_err api_query_date(struct api_ctx *c, const char *name, const char **out);
/* limit, offset and sort. */
enum ms_err api_page(struct api_ctx *c, struct page *pg);

/* Takes "version" (required, >= 1) out of a PATCH body so that the rest
 * decodes as the record's fields. */
enum ms_err api_take_version(struct api_ctx *c, int64_t *version);

/* For R_SELFTX handlers, which do slow work (password hashing) before
 * taking the write lock: api_begin opens a write transaction; api_end
 * commits it when err is MS_OK, else rolls back, and returns the outcome. */
enum ms_err api_begin(struct api_ctx *c);
enum ms_err api_end(struct api_ctx *c, enum ms_err err);

/* Sets the result; steals v. */
enum ms_err api_ok(struct api_ctx *c, int status, json_t *v);
/* Sets a file as the result (an export): status 200, body (malloc'd; the
 * server frees it, also on error), its content type (a constant) and
 * "Content-Disposition: attachment" naming filename (ASCII). The
 * dispatcher then writes no JSON. Call it last. */
enum ms_err api_file(struct api_ctx *c, const char *content_type, char *body, size_t len,
		     const char *filename);
/* Today's business date into a 11-byte buffer in the arena. */
const char *api_today(struct api_ctx *c);

/* Handlers, by resource (api_<resource>.c). */
enum ms_err api_health(struct api_ctx *c);
enum ms_err api_auth_login(struct api_ctx *c);
enum ms_err api_auth_logout(struct api_ctx *c);
enum ms_err api_me_get(struct api_ctx *c);
enum ms_err api_me_patch(struct api_ctx *c);
enum ms_err api_me_password(struct api_ctx *c);
enum ms_err api_user_list(struct api_ctx *c);
enum ms_err api_user_create(struct api_ctx *c);
enum ms_err api_user_get(struct api_ctx *c);
enum ms_err api_user_patch(struct api_ctx *c);
enum ms_err api_user_password(struct api_ctx *c);
enum ms_err api_user_calendar_token_revoke(struct api_ctx *c);
enum ms_err api_org_list(struct api_ctx *c);
enum ms_err api_org_create(struct api_ctx *c);
enum ms_err api_org_patch(struct api_ctx *c);
enum ms_err api_org_provinces(struct api_ctx *c);
enum ms_err api_ref_list(struct api_ctx *c);
enum ms_err api_ref_create(struct api_ctx *c);
enum ms_err api_ref_patch(struct api_ctx *c);
enum ms_err api_audit_list(struct api_ctx *c);
enum ms_err api_audit_verify(struct api_ctx *c);
enum ms_err api_inst_list(struct api_ctx *c);
enum ms_err api_inst_create(struct api_ctx *c);
enum ms_err api_inst_get(struct api_ctx *c);
enum ms_err api_inst_patch(struct api_ctx *c);
enum ms_err api_inst_grade_override(struct api_ctx *c);
enum ms_err api_inst_grades(struct api_ctx *c);
enum ms_err api_coverage_list(struct api_ctx *c);
enum ms_err api_coverage_add(struct api_ctx *c);
enum ms_err api_coverage_end(struct api_ctx *c);
enum ms_err api_coverage_reassign(struct api_ctx *c);
enum ms_err api_settings_get(struct api_ctx *c);
enum ms_err api_settings_put(struct api_ctx *c);
enum ms_err api_report_completeness(struct api_ctx *c);
enum ms_err api_report_white_space(struct api_ctx *c);
enum ms_err api_dept_list(struct api_ctx *c);
enum ms_err api_dept_create(struct api_ctx *c);
enum ms_err api_dept_patch(struct api_ctx *c);
enum ms_err api_contact_list(struct api_ctx *c);
enum ms_err api_contact_create(struct api_ctx *c);
enum ms_err api_contact_get(struct api_ctx *c);
enum ms_err api_contact_patch(struct api_ctx *c);
enum ms_err api_need_list(struct api_ctx *c);
enum ms_err api_need_create(struct api_ctx *c);
enum ms_err api_need_get(struct api_ctx *c);
enum ms_err api_need_patch(struct api_ctx *c);
enum ms_err api_import(struct api_ctx *c);
enum ms_err api_inst_export(struct api_ctx *c);
enum ms_err api_contact_export(struct api_ctx *c);
enum ms_err api_visit_list(struct api_ctx *c);
enum ms_err api_visit_create(struct api_ctx *c);
enum ms_err api_visit_plan(struct api_ctx *c);
enum ms_err api_visit_get(struct api_ctx *c);
enum ms_err api_visit_patch(struct api_ctx *c);
enum ms_err api_visit_check_in(struct api_ctx *c);
enum ms_err api_visit_check_out(struct api_ctx *c);
enum ms_err api_visit_complete(struct api_ctx *c);
enum ms_err api_visit_cancel(struct api_ctx *c);
enum ms_err api_visit_comment(struct api_ctx *c);
enum ms_err api_visit_proposals(struct api_ctx *c);
enum ms_err api_visit_calendar(struct api_ctx *c);
enum ms_err api_visit_coaching(struct api_ctx *c);
enum ms_err api_visit_coverage(struct api_ctx *c);
enum ms_err api_task_list(struct api_ctx *c);
enum ms_err api_task_complete(struct api_ctx *c);
enum ms_err api_task_reopen(struct api_ctx *c);
enum ms_err api_calendar_token_get(struct api_ctx *c);
enum ms_err api_calendar_token_renew(struct api_ctx *c);
enum ms_err api_calendar_token_revoke(struct api_ctx *c);
enum ms_err api_calendar_feed(struct api_ctx *c);
/* Shared by the list and export handlers of institutions. */
struct inst_filter;
enum ms_err api_inst_filter(struct api_ctx *c, struct inst_filter *f);
struct contact_filter;
enum ms_err api_contact_filter(struct api_ctx *c, struct contact_filter *f);
struct need_filter;
enum ms_err api_need_filter(struct api_ctx *c, struct need_filter *f);
enum ms_err api_need_export(struct api_ctx *c);

#endif
