/* http.h: the HTTP server, over libmicrohttpd. It refuses a request whose
 * URL, headers or Host are out of bounds before reading its body, lets the
 * API admit or refuse a large body (an upload) from its headers alone,
 * reads bodies (in memory up to the cap the API chose from the headers:
 * MS_MAX_ANON_BODY_BYTES or MS_MAX_BODY_BYTES; an admitted upload up to
 * MS_MAX_UPLOAD_BYTES into an unlinked temporary file), hands requests
 * under the API prefix to one handler function, serves the web UI's files
 * for the rest, and adds the security headers to every response. Only
 * src/http/ includes microhttpd.h. */
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
	const char *body; /* NUL-terminated; "" when none or in body_fd */
	size_t body_len;
	int body_fd;	    /* an admitted large body: a file at offset 0, else -1 */
	int body_too_large; /* the body passed its cap and was dropped */
	int body_failed;    /* the large body could not be stored (disk full) */
	size_t body_cap;    /* the cap the body was read under; 0: MS_MAX_BODY_BYTES */
	/* The peer's address, or the client's from X-Forwarded-For when the
	 * peer is a trusted proxy. */
	char client_addr[64];
	/* 1 when the client's scheme is https: the peer is a trusted proxy and
	 * says so (X-Forwarded-Proto: https); from any other peer the header
	 * is ignored. */
	int https;
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

/* What an API request may send as its body: up to MS_MAX_ANON_BODY_BYTES
 * in memory (a request without a session), MS_MAX_BODY_BYTES in memory, or
 * an upload up to MS_MAX_UPLOAD_BYTES into a temporary file. */
enum http_body { HTTP_BODY_ANON, HTTP_BODY_SMALL, HTTP_BODY_LARGE };
/* Called once per API request, before any of its body is read, with the
 * method, path, headers and client address (body "", body_fd -1). It
 * returns the kind of body to accept; or it sets resp (a status) to answer
 * at once, and the body is never read. Without it every body is small. */
typedef enum http_body (*http_admit_fn)(void *ctx, struct http_request *req,
					struct http_response *resp);

struct http_config {
	const char *listen; /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
	/* The built web UI; NULL serves no files. Resolved (realpath) once by
	 * http_start: a link swapped in for it later is not followed. */
	const char *web_dir;
	int threads;
	const char *api_prefix; /* "/api/" */
	http_handler_fn api;
	http_admit_fn admit; /* NULL: every body is small */
	void *api_ctx;
	/* Comma lists, or NULL. trusted_proxies: peer addresses whose
	 * X-Forwarded-For names the client. allowed_hosts: Host names accepted
	 * besides the listen address, localhost, 127.0.0.1 and [::1]. */
	const char *trusted_proxies;
	const char *allowed_hosts;
};

struct http_server;

enum ms_err http_start(const struct http_config *cfg, struct http_server **out, struct ms_error *e);
void http_stop(struct http_server *s);

/* Checks a --trusted-proxy list (IP addresses) or an --allowed-hosts list
 * (host names or IP addresses); MS_EINVAL naming field when one is bad. */
enum ms_err http_check_proxies(const char *list, const char *field, struct ms_error *e);
enum ms_err http_check_hosts(const char *list, const char *field, struct ms_error *e);

/* Parses "host:port" into a form http_start accepts; exposed for tests. */
int http_parse_listen(const char *listen, char *host, size_t host_len, uint16_t *port, int *v6);

/* Internal to src/http: static files. web_root is the web directory's
 * resolved path (realpath), made once when the server starts. */
void http_serve_static(const char *web_root, struct http_request *req, struct http_response *resp,
		       int *fd_out, uint64_t *size_out);
const char *http_content_type(const char *path);
/* 1 when a decoded URL path is safe to map under the web directory. */
int http_path_safe(const char *path);

#endif
