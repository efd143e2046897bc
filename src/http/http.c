/* http.c: the libmicrohttpd server of http.h: connection state, the checks
 * made from the headers alone (URL and header size, Host, the API's
 * choice of a body's cap), body accumulation with its caps, the client
 * address and scheme behind a trusted proxy, routing between the API and
 * static files, and the security headers. Only this directory includes
 * microhttpd.h. */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/strbuf.h"

#define STATIC_CACHE 8
#define MAX_LIST 32	  /* entries of --trusted-proxy or --allowed-hosts */
#define MAX_HOST_NAME 256 /* a Host name, brackets included */

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	pthread_mutex_t mu;
	struct {
		const char *body;
		struct MHD_Response *r;
	} cache[STATIC_CACHE];
	atomic_int large_bodies; /* admitted large bodies in flight */
	char proxies[MAX_LIST][INET6_ADDRSTRLEN];
	int nproxies;
	char hosts[MAX_LIST + 4][MAX_HOST_NAME];
	int nhosts;
	char web_root[PATH_MAX]; /* cfg.web_dir resolved at the start; "" when none */
};

/* One request in flight. */
struct conn_state {
	struct arena arena;
	struct strbuf body;
	int too_large;
	int answered; /* a response was queued from the headers alone */
	int large;    /* an admitted large body, counted in large_bodies */
	int fd;	      /* the large body's unlinked temporary file, or -1 */
	size_t fd_len;
	int fd_failed;
	size_t cap; /* of the in-memory body */
	char client_addr[64];
	int https;
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

/* Early answers: constant JSON bodies, as the API's errors. */
static void set_json(struct http_response *resp, int status, const char *json)
{
	resp->status = status;
	resp->content_type = "application/json; charset=utf-8";
	resp->body = strdup(json);
	resp->body_len = resp->body ? strlen(json) : 0;
}

/* An address in its canonical text form (inet_ntop of inet_pton), or -1. */
static int canon_addr(const char *in, size_t n, char out[INET6_ADDRSTRLEN])
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char bin[sizeof(struct in6_addr)];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, in, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) ? 0 : -1;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) ? 0 : -1;
	return -1;
}

static int is_proxy(const struct http_server *srv, const char *addr)
{
	for (int i = 0; i < srv->nproxies; i++)
		if (!strcmp(srv->proxies[i], addr))
			return 1;
	return 0;
}

/* The peer's address; when the peer is a trusted proxy, the right-most
 * address of X-Forwarded-For that is not itself a trusted proxy (the
 * left-most entries are the client's own claims, and prove nothing). *https
 * is 1 when the peer is a trusted proxy that says X-Forwarded-Proto: https;
 * from any other peer the header is the client's claim, and is ignored. */
static void client_address(const struct http_server *srv, struct MHD_Connection *c, char out[64],
			   int *https)
{
	const union MHD_ConnectionInfo *ci;
	const char *xff, *end, *proto;
	char addr[INET6_ADDRSTRLEN];

	out[0] = '\0';
	*https = 0;
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, 64);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, 64);
	}
	if (!srv->nproxies || !is_proxy(srv, out))
		return;
	proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	*https = proto && !strcmp(proto, "https");
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff)
		return;
	end = xff + strlen(xff);
	while (end > xff) {
		const char *start = end;
		while (start > xff && start[-1] != ',')
			start--;
		const char *a = start, *z = end;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if (canon_addr(a, (size_t)(z - a), addr))
			return; /* not an address: the peer's stays */
		memcpy(out, addr, strlen(addr) + 1);
		if (!is_proxy(srv, addr))
			return;
		end = start > xff ? start - 1 : xff;
	}
}

/* Host is "name", "name:port", "[v6]" or "[v6]:port"; the name (lower
 * case, without one final dot) must be an allowed one. */
static int host_allowed(const struct http_server *srv, const char *host)
{
	char name[MAX_HOST_NAME];
	const char *rest;
	size_t n;

	if (!host)
		return 0;
	if (host[0] == '[') {
		rest = strchr(host, ']');
		if (!rest)
			return 0;
		rest++;
	} else {
		rest = strchr(host, ':');
		if (!rest)
			rest = host + strlen(host);
	}
	n = (size_t)(rest - host);
	if (*rest &&
	    (*rest != ':' || !rest[1] || strspn(rest + 1, "0123456789") != strlen(rest + 1)))
		return 0;
	if (n > 1 && host[n - 1] == '.')
		n--;
	if (n == 0 || n >= sizeof(name))
		return 0;
	for (size_t i = 0; i < n; i++)
		name[i] =
			(host[i] >= 'A' && host[i] <= 'Z') ? (char)(host[i] - 'A' + 'a') : host[i];
	name[n] = '\0';
	for (int i = 0; i < srv->nhosts; i++)
		if (!strcmp(srv->hosts[i], name))
			return 1;
	return 0;
}

static enum MHD_Result add_len(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	size_t *n = cls;
	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
	return MHD_YES;
}

static size_t values_len(struct MHD_Connection *c, enum MHD_ValueKind kind)
{
	size_t n = 0;
	MHD_get_connection_values(c, kind, add_len, &n);
	return n;
}

/* An unlinked file under $TMPDIR (or /tmp), readable only by us. */
static int temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/medsales-upload-XXXXXX", dir) >= (int)sizeof(path))
		return -1;
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static void fill_request(struct conn_state *cs, struct MHD_Connection *c, const char *url,
			 const char *method, struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	req->arena = &cs->arena;
	req->method = method;
	req->path = url;
	req->body = "";
	req->body_fd = -1;
	req->conn = c;
	memcpy(req->client_addr, cs->client_addr, sizeof(req->client_addr));
	req->https = cs->https;
	req->body_cap = cs->cap;
}

/* The first call, with the headers only: everything that can be refused
 * before a byte of the body is read is refused here. Returns 1 when resp
 * holds the answer. */
static int admit(struct http_server *srv, struct conn_state *cs, struct MHD_Connection *c,
		 const char *url, const char *method, int is_api, struct http_response *resp)
{
	struct http_request req;
	enum http_body kind = HTTP_BODY_SMALL;
	const char *cl =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	size_t cap;

	/* Our own caps sit below libmicrohttpd's (its read buffer), so that
	 * these answers carry the security headers (docs/architecture.md). */
	if (strlen(url) + values_len(c, MHD_GET_ARGUMENT_KIND) > MS_MAX_URL_BYTES) {
		set_json(resp, 414,
			 "{\"error\":{\"code\":\"too_large\",\"field\":\"url\","
			 "\"message\":\"the URL is too long\"}}");
		return 1;
	}
	if (values_len(c, MHD_HEADER_KIND) > MS_MAX_HEADER_BYTES) {
		set_json(resp, 431,
			 "{\"error\":{\"code\":\"too_large\",\"field\":\"headers\","
			 "\"message\":\"the request headers are too large\"}}");
		return 1;
	}
	/* DNS rebinding: a page of another site whose name now points here
	 * still sends its own name as Host. */
	if (!host_allowed(srv, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"))) {
		set_json(resp, 421,
			 "{\"error\":{\"code\":\"host\",\"field\":\"Host\","
			 "\"message\":\"this server does not answer to that host name\"}}");
		return 1;
	}
	if (is_api && srv->cfg.admit) {
		fill_request(cs, c, url, method, &req);
		kind = srv->cfg.admit(srv->cfg.api_ctx, &req, resp);
		if (resp->status)
			return 1;
	}
	if (kind == HTTP_BODY_LARGE) {
		if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > MS_MAX_UPLOAD_BYTES)) {
			set_json(resp, 413,
				 "{\"error\":{\"code\":\"too_large\",\"field\":\"\","
				 "\"message\":\"the upload is larger than 64 MiB\"}}");
			return 1;
		}
		if (atomic_fetch_add(&srv->large_bodies, 1) >= MS_MAX_LARGE_BODIES) {
			atomic_fetch_sub(&srv->large_bodies, 1);
			set_json(resp, 503,
				 "{\"error\":{\"code\":\"busy\",\"field\":\"\","
				 "\"message\":\"too many uploads at once; try again shortly\"}}");
			http_response_header(resp, "Retry-After", "5");
			return 1;
		}
		cs->large = 1;
		cs->fd = temp_file();
		if (cs->fd < 0) {
			log_warn("http: cannot create a temporary file: %s", strerror(errno));
			set_json(resp, 503,
				 "{\"error\":{\"code\":\"busy\",\"field\":\"\","
				 "\"message\":\"cannot store the upload; try again shortly\"}}");
			http_response_header(resp, "Retry-After", "5");
			return 1;
		}
		return 0;
	}
	cap = kind == HTTP_BODY_ANON ? MS_MAX_ANON_BODY_BYTES : MS_MAX_BODY_BYTES;
	cs->cap = cap;
	strbuf_init(&cs->body, cap);
	if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > cap))
		cs->too_large = 1;
	return 0;
}

static void write_all(struct conn_state *cs, const char *p, size_t n)
{
	if (cs->fd_len + n > MS_MAX_UPLOAD_BYTES) {
		cs->too_large = 1;
		return;
	}
	cs->fd_len += n;
	while (n > 0) {
		ssize_t w = write(cs->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			cs->fd_failed = 1;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn_state *cs = *con_cls;
	struct http_request req;
	struct http_response resp;
	int fd = -1, is_api;
	uint64_t size = 0;
	enum MHD_Result ret;

	(void)version;
	is_api = !strncmp(url, srv->cfg.api_prefix, strlen(srv->cfg.api_prefix)) ||
		 !strcmp(url, "/api");
	memset(&resp, 0, sizeof(resp));
	if (!cs) {
		cs = calloc(1, sizeof(*cs));
		if (!cs)
			return MHD_NO;
		cs->fd = -1;
		arena_init(&cs->arena);
		*con_cls = cs;
		client_address(srv, c, cs->client_addr, &cs->https);
		if (admit(srv, cs, c, url, method, is_api, &resp)) {
			/* Answered from the headers: the body is never stored. */
			cs->answered = 1;
			ret = send_response(srv, c, &resp, -1, 0, 1);
			free(resp.body);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_size) {
		/* Past the cap the rest is read and dropped, so that the client
		 * gets a clean 413 rather than a reset connection. */
		if (cs->answered || cs->too_large || cs->fd_failed)
			;
		else if (cs->fd >= 0)
			write_all(cs, upload, *upload_size);
		else {
			strbuf_add(&cs->body, upload, *upload_size);
			if (cs->body.failed)
				cs->too_large = 1;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->answered)
		return MHD_YES;

	fill_request(cs, c, url, method, &req);
	req.body_too_large = cs->too_large;
	if (cs->fd >= 0) {
		req.body_len = cs->too_large ? 0 : cs->fd_len;
		req.body_fd = cs->fd;
		req.body_failed = cs->fd_failed || lseek(cs->fd, 0, SEEK_SET) != 0;
	} else if (!cs->too_large) {
		req.body = strbuf_str(&cs->body);
		req.body_len = cs->body.len;
	}
	if (is_api)
		srv->cfg.api(srv->cfg.api_ctx, &req, &resp);
	else if (srv->web_root[0])
		http_serve_static(srv->web_root, &req, &resp, &fd, &size);
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
	struct http_server *srv = cls;
	struct conn_state *cs = *con_cls;
	(void)c;
	(void)toe;
	if (!cs)
		return;
	if (cs->fd >= 0)
		close(cs->fd);
	if (cs->large)
		atomic_fetch_sub(&srv->large_bodies, 1);
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

/* Calls fn on each entry of a comma list (spaces around entries ignored);
 * stops at the first nonzero return. Empty entries are errors. */
static int each_entry(const char *list, int (*fn)(void *cls, const char *s, size_t n), void *cls)
{
	const char *p = list;

	for (;;) {
		const char *end = strchr(p, ',');
		const char *a = p, *z = end ? end : p + strlen(p);
		while (a < z && *a == ' ')
			a++;
		while (z > a && z[-1] == ' ')
			z--;
		if (a == z)
			return -1;
		if (fn(cls, a, (size_t)(z - a)))
			return -1;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int add_proxy(void *cls, const char *s, size_t n)
{
	struct http_server *srv = cls;
	char addr[INET6_ADDRSTRLEN];

	if (canon_addr(s, n, addr))
		return -1;
	if (srv) {
		if (srv->nproxies >= MAX_LIST)
			return -1;
		memcpy(srv->proxies[srv->nproxies++], addr, sizeof(addr));
	}
	return 0;
}

/* A host name's canonical form: lower case, no final dot; an IPv6 address
 * in brackets. -1 when it is neither a DNS name nor an address. */
static int canon_host(const char *s, size_t n, char out[MAX_HOST_NAME])
{
	char addr[INET6_ADDRSTRLEN];

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (memchr(s, ':', n)) {
		if (canon_addr(s, n, addr) || !strchr(addr, ':'))
			return -1;
		snprintf(out, MAX_HOST_NAME, "[%s]", addr);
		return 0;
	}
	if (n > 1 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-'))
			return -1;
		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	return 0;
}

static int add_host(void *cls, const char *s, size_t n)
{
	struct http_server *srv = cls;
	char name[MAX_HOST_NAME];

	if (canon_host(s, n, name))
		return -1;
	if (srv) {
		if (srv->nhosts >= MAX_LIST + 4)
			return -1;
		memcpy(srv->hosts[srv->nhosts++], name, sizeof(name));
	}
	return 0;
}

static int list_count(const char *list)
{
	int n = 1;
	for (const char *p = list; *p; p++)
		n += *p == ',';
	return n;
}

enum ms_err http_check_proxies(const char *list, const char *field, struct ms_error *e)
{
	if (list && (list_count(list) > MAX_LIST || each_entry(list, add_proxy, NULL)))
		return ms_fail(e, MS_EINVAL, "invalid", field,
			       "'%s' must be up to %d IP addresses separated by commas", field,
			       MAX_LIST);
	return MS_OK;
}

enum ms_err http_check_hosts(const char *list, const char *field, struct ms_error *e)
{
	if (list && (list_count(list) > MAX_LIST || each_entry(list, add_host, NULL)))
		return ms_fail(e, MS_EINVAL, "invalid", field,
			       "'%s' must be up to %d host names or IP addresses separated by "
			       "commas",
			       field, MAX_LIST);
	return MS_OK;
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
	if (http_check_proxies(cfg->trusted_proxies, "trusted-proxy", e) ||
	    http_check_hosts(cfg->allowed_hosts, "allowed-hosts", e)) {
		free(srv);
		return e->err;
	}
	if (cfg->trusted_proxies)
		each_entry(cfg->trusted_proxies, add_proxy, srv);
	/* The web root once, not on every request; a directory that is not
	 * there serves nothing (the CLI warns). */
	if (cfg->web_dir && !realpath(cfg->web_dir, srv->web_root))
		srv->web_root[0] = '\0';
	/* The loopback names always (a rebinding page cannot send them), the
	 * listen address, and the configured names. */
	add_host(srv, "localhost", 9);
	add_host(srv, "127.0.0.1", 9);
	add_host(srv, "[::1]", 5);
	add_host(srv, host, strlen(host));
	if (cfg->allowed_hosts)
		each_entry(cfg->allowed_hosts, add_host, srv);
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
