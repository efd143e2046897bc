/* http.h: the HTTP server, over libmicrohttpd. It reads requests (body capped
 * at MS_MAX_BODY_BYTES), hands those under the API prefix to one handler
 * function, serves the web UI's files from a directory for the rest, and
 * adds the security headers to every response. Only src/http/ includes
 * microhttpd.h. */
#ifndef MS_HTTP_H
#define MS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

#define HTTP_MAX_HEADERS 8

struct http_request {
	struct arena *arena; /* lives until the response is sent */
	const char *method;
	const char *path; /* percent-decoded, without the query string */
	const char *body; /* NUL-terminated; "" when none */
	size_t body_len;
	int body_too_large; /* the body passed its cap and was dropped */
	char client_addr[64];
	void *conn; /* private to src/http */
	/* Without a connection (conn NULL: the fuzz targets), the query
	 * parameters: key, value, key, value, ..., NULL; no headers or cookies. */
	const char *const *args;
};

/* A request header, query parameter or cookie value, or NULL. */
const char *http_header(const struct http_request *r, const char *name);
const char *http_query(const struct http_request *r, const char *name);
const char *http_cookie(const struct http_request *r, const char *name);
/* Calls fn for every query parameter; for rejecting unknown ones. */
void http_query_each(const struct http_request *r,
		     void (*fn)(void *cls, const char *key, const char *value), void *cls);

struct http_response {
	int status;
	const char *content_type;
	char *body; /* malloc'd; the server frees it */
	size_t body_len;
	/* Instead of body: a constant string with static storage. Such a
	 * response (status, type, standard headers, no extra headers) is built
	 * once and reused, which keeps health checks cheap. */
	const char *static_body;
	const char *headers[HTTP_MAX_HEADERS][2];
	int nheaders;
};

/* Adds a header; name and value must live until the response is sent (an
 * arena string or a constant). Past HTTP_MAX_HEADERS it is dropped. */
void http_response_header(struct http_response *resp, const char *name, const char *value);

typedef void (*http_handler_fn)(void *ctx, struct http_request *req, struct http_response *resp);

struct http_config {
	const char *listen;  /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
	const char *web_dir; /* the built web UI; NULL serves no files */
	int threads;
	const char *api_prefix;	   /* "/api/" */
	const char *upload_prefix; /* paths whose body may reach MS_MAX_UPLOAD_BYTES */
	http_handler_fn api;
	void *api_ctx;
};

struct http_server;

enum ms_err http_start(const struct http_config *cfg, struct http_server **out, struct ms_error *e);
void http_stop(struct http_server *s);

/* Parses "host:port" into a form http_start accepts; exposed for tests. */
int http_parse_listen(const char *listen, char *host, size_t host_len, uint16_t *port, int *v6);

/* Internal to src/http: static files. */
void http_serve_static(const char *web_dir, struct http_request *req, struct http_response *resp,
		       int *fd_out, uint64_t *size_out);
const char *http_content_type(const char *path);
/* 1 when a decoded URL path is safe to map under the web directory. */
int http_path_safe(const char *path);

#endif
