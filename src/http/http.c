/* http.c: the libmicrohttpd server of http.h: connection state, body
 * accumulation with its cap, routing between the API and static files, and
 * the security headers. Only this directory includes microhttpd.h. */
#include "http/http.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/strbuf.h"

#define STATIC_CACHE 8

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	pthread_mutex_t mu;
	struct {
		const char *body;
		struct MHD_Response *r;
	} cache[STATIC_CACHE];
};

/* One request in flight. */
struct conn_state {
	struct arena arena;
	struct strbuf body;
	int too_large;
};

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
			  "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
			  "object-src 'none'; base-uri 'none'; form-action 'self'; "
			  "frame-ancestors 'none'";

const char *http_header(const struct http_request *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name) : NULL;
}

const char *http_query(const struct http_request *r, const char *name)
{
	if (r->conn)
		return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
	for (const char *const *a = r->args; a && a[0]; a += 2)
		if (!strcmp(a[0], name))
			return a[1];
	return NULL;
}

const char *http_cookie(const struct http_request *r, const char *name)
{
	return r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name) : NULL;
}

struct each_ctx {
	void (*fn)(void *cls, const char *key, const char *value);
	void *cls;
};

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	struct each_ctx *c = cls;
	(void)kind;
	c->fn(c->cls, key, value ? value : "");
	return MHD_YES;
}

void http_query_each(const struct http_request *r,
		     void (*fn)(void *cls, const char *key, const char *value), void *cls)
{
	struct each_ctx c = { fn, cls };
	if (!r->conn) {
		for (const char *const *a = r->args; a && a[0]; a += 2)
			fn(cls, a[0], a[1] ? a[1] : "");
		return;
	}
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, each_arg, &c);
}

void http_response_header(struct http_response *resp, const char *name, const char *value)
{
	if (resp->nheaders >= HTTP_MAX_HEADERS)
		return;
	resp->headers[resp->nheaders][0] = name;
	resp->headers[resp->nheaders][1] = value;
	resp->nheaders++;
}

static void set_text(struct http_response *resp, int status, const char *text)
{
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	resp->body = strdup(text);
	resp->body_len = resp->body ? strlen(text) : 0;
}

static void add_headers(struct MHD_Response *r, const struct http_response *resp, int is_api)
{
	if (resp->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type);
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy",
				"geolocation=(self), camera=(), microphone=(), payment=()");
	if (is_api)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i][0], resp->headers[i][1]);
}

/* The cached response for a static body (MHD reference-counts responses,
 * so one may be queued on many connections at once). */
static struct MHD_Response *static_response(struct http_server *srv,
					    const struct http_response *resp, int is_api)
{
	struct MHD_Response *r = NULL;
	int i;

	pthread_mutex_lock(&srv->mu);
	for (i = 0; i < STATIC_CACHE && srv->cache[i].body; i++)
		if (srv->cache[i].body == resp->static_body) {
			r = srv->cache[i].r;
			break;
		}
	if (!r) {
		r = MHD_create_response_from_buffer(strlen(resp->static_body),
						    (void *)resp->static_body,
						    MHD_RESPMEM_PERSISTENT);
		if (r) {
			add_headers(r, resp, is_api);
			if (i < STATIC_CACHE) {
				srv->cache[i].body = resp->static_body;
				srv->cache[i].r = r;
			} else {
				pthread_mutex_unlock(&srv->mu);
				return r; /* uncached: the caller destroys it */
			}
		}
	}
	pthread_mutex_unlock(&srv->mu);
	return r;
}

static enum MHD_Result send_response(struct http_server *srv, struct MHD_Connection *c,
				     struct http_response *resp, int fd, uint64_t size, int is_api)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (resp->static_body && fd < 0 && resp->nheaders == 0 && !resp->body) {
		int cached;
		r = static_response(srv, resp, is_api);
		if (!r)
			return MHD_NO;
		ret = MHD_queue_response(c, (unsigned)resp->status, r);
		pthread_mutex_lock(&srv->mu);
		cached = 0;
		for (int i = 0; i < STATIC_CACHE; i++)
			cached |= srv->cache[i].r == r;
		pthread_mutex_unlock(&srv->mu);
		if (!cached)
			MHD_destroy_response(r);
		return ret;
	}
	if (fd >= 0) {
		r = MHD_create_response_from_fd(size, fd);
	} else {
		r = MHD_create_response_from_buffer(resp->body_len, resp->body ? resp->body : "",
						    resp->body ? MHD_RESPMEM_MUST_FREE
							       : MHD_RESPMEM_PERSISTENT);
		resp->body = NULL;
	}
	if (!r)
		return MHD_NO;
	add_headers(r, resp, is_api);
	ret = MHD_queue_response(c, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn_state *cs = *con_cls;
	struct http_request req;
	struct http_response resp;
	const union MHD_ConnectionInfo *ci;
	int fd = -1, is_api;
	uint64_t size = 0;
	enum MHD_Result ret;

	(void)version;
	if (!cs) {
		const char *cl;
		cs = calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		/* Uploads (CSV imports) may be larger than a JSON body. */
		size_t cap = srv->cfg.upload_prefix && !strncmp(url, srv->cfg.upload_prefix,
								strlen(srv->cfg.upload_prefix))
				     ? MS_MAX_UPLOAD_BYTES
				     : MS_MAX_BODY_BYTES;
		arena_init(&cs->arena);
		strbuf_init(&cs->body, cap);
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > cap))
			cs->too_large = 1;
		*con_cls = cs;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Past the cap the rest is read and dropped, so that the client
		 * gets a clean 413 rather than a reset connection. */
		if (!cs->too_large) {
			strbuf_add(&cs->body, upload, *upload_size);
			if (cs->body.failed)
				cs->too_large = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.arena = &cs->arena;
	req.method = method;
	req.path = url;
	req.body = cs->too_large ? "" : strbuf_str(&cs->body);
	req.body_len = cs->too_large ? 0 : cs->body.len;
	req.body_too_large = cs->too_large;
	req.conn = c;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
				  req.client_addr, sizeof(req.client_addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  req.client_addr, sizeof(req.client_addr));
	}

	is_api = !strncmp(url, srv->cfg.api_prefix, strlen(srv->cfg.api_prefix)) ||
		 !strcmp(url, "/api");
	if (strlen(url) > MS_MAX_URL_BYTES)
		set_text(&resp, 414, "URI too long\n");
	else if (is_api)
		srv->cfg.api(srv->cfg.api_ctx, &req, &resp);
	else if (srv->cfg.web_dir)
		http_serve_static(srv->cfg.web_dir, &req, &resp, &fd, &size);
	else
		set_text(&resp, 404, "not found\n");
	if (!resp.status)
		set_text(&resp, 500, "internal error\n");
	ret = send_response(srv, c, &resp, fd, size, is_api);
	free(resp.body);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (!cs)
		return;
	arena_release(&cs->arena);
	strbuf_release(&cs->body);
	free(cs);
	*con_cls = NULL;
}

int http_parse_listen(const char *listen, char *host, size_t host_len, uint16_t *port, int *v6)
{
	const char *colon;
	size_t hl;
	char *end;
	unsigned long p;

	*v6 = 0;
	if (!listen || !*listen)
		return -1;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':')
			return -1;
		hl = (size_t)(close - listen - 1);
		if (hl == 0 || hl >= host_len)
			return -1;
		memcpy(host, listen + 1, hl);
		host[hl] = '\0';
		colon = close + 1;
		*v6 = 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return -1;
		hl = (size_t)(colon - listen);
		if (hl >= host_len)
			return -1;
		memcpy(host, listen, hl);
		host[hl] = '\0';
		if (!hl) {
			if (host_len < 8)
				return -1;
			memcpy(host, "0.0.0.0", 8);
		}
	}
	p = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || p == 0 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}

enum ms_err http_start(const struct http_config *cfg, struct http_server **out, struct ms_error *e)
{
	struct http_server *srv;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	char host[64];
	uint16_t port;
	int v6;
	unsigned flags =
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_TURBO;

	*out = NULL;
	if (http_parse_listen(cfg->listen, host, sizeof(host), &port, &v6))
		return ms_fail(e, MS_EINVAL, "invalid", "listen",
			       "cannot parse listen address '%s' (want host:port)", cfg->listen);
	if (v6) {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		if (inet_pton(AF_INET6, host, &sin6.sin6_addr) != 1)
			return ms_fail(e, MS_EINVAL, "invalid", "listen", "bad IPv6 address '%s'",
				       host);
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			return ms_fail(e, MS_EINVAL, "invalid", "listen", "bad IPv4 address '%s'",
				       host);
		sa = (const struct sockaddr *)&sin;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	srv->cfg = *cfg;
	pthread_mutex_init(&srv->mu, NULL);
	srv->d = MHD_start_daemon(
		flags, port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(cfg->threads > 0 ? cfg->threads : 2), MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)(64 * 1024), MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	if (!srv->d) {
		free(srv);
		return ms_fail(e, MS_EIO, "internal", "listen", "cannot listen on %s", cfg->listen);
	}
	*out = srv;
	return MS_OK;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	for (int i = 0; i < STATIC_CACHE; i++)
		if (s->cache[i].r)
			MHD_destroy_response(s->cache[i].r);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
