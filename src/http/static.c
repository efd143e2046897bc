/* static.c: serving the built web UI from a directory. Paths are checked
 * segment by segment (no "..", no hidden files, no backslashes), files are
 * opened under the web root resolved once at the start, without following
 * links, and any other path without an extension gets index.html so that
 * the single-page app's routes work on reload. */
#include "http/http.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
};

const char *http_content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

int http_path_safe(const char *path)
{
	const char *p = path;

	if (!p || *p != '/')
		return 0;
	while (*p) {
		const char *seg;
		size_t n;
		p++; /* the slash */
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 0 && *p) /* "//" */
			return 0;
		if (n && seg[0] == '.') /* ".", "..", ".git", ".env" */
			return 0;
		for (size_t i = 0; i < n; i++)
			if (seg[i] == '\\' || (unsigned char)seg[i] < 0x20)
				return 0;
	}
	return 1;
}

/* root is the web directory's resolved path (http_start), so a path under
 * it that resolves to itself crosses no link. */
static int open_file(const char *root, const char *rel, const char *suffix, int *fd, uint64_t *size)
{
	char full[PATH_MAX], real[PATH_MAX];
	struct stat stt;
	int n = snprintf(full, sizeof(full), "%s%s%s", root, rel, suffix);

	if (n < 0 || (size_t)n >= sizeof(full))
		return -1;
	/* No link is followed: not the file (O_NOFOLLOW) and not a folder on
	 * the way, so the resolved path must be the path asked for. */
	if (!realpath(full, real) || strcmp(real, full))
		return -1;
	*fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return -1;
	if (fstat(*fd, &stt) || !S_ISREG(stt.st_mode)) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	*size = (uint64_t)stt.st_size;
	return 0;
}

static void text(struct http_response *resp, int status, const char *msg)
{
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	resp->body = strdup(msg);
	resp->body_len = resp->body ? strlen(msg) : 0;
}

void http_serve_static(const char *web_root, struct http_request *req, struct http_response *resp,
		       int *fd_out, uint64_t *size_out)
{
	const char *path = req->path;
	const char *last, *accept;
	int fd = -1, gz = -1;
	uint64_t gz_size = 0;

	*fd_out = -1;
	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD")) {
		http_response_header(resp, "Allow", "GET, HEAD");
		text(resp, 405, "method not allowed\n");
		return;
	}
	if (!http_path_safe(path)) {
		text(resp, 404, "not found\n");
		return;
	}
	if (!strcmp(path, "/"))
		path = "/index.html";
	if (open_file(web_root, path, "", &fd, size_out)) {
		/* The app's own routes (/admin/users) have no extension. */
		last = strrchr(path, '/');
		if (strchr(last, '.') || open_file(web_root, "/index.html", "", &fd, size_out)) {
			text(resp, 404, "not found\n");
			return;
		}
		path = "/index.html";
	}
	/* A precompressed copy, when the client takes gzip. */
	accept = http_header(req, "Accept-Encoding");
	if (accept && strstr(accept, "gzip") &&
	    open_file(web_root, path, ".gz", &gz, &gz_size) == 0) {
		close(fd);
		fd = gz;
		*size_out = gz_size;
		http_response_header(resp, "Content-Encoding", "gzip");
	}
	http_response_header(resp, "Vary", "Accept-Encoding");
	resp->status = 200;
	resp->content_type = http_content_type(path);
	http_response_header(resp, "Cache-Control",
			     !strncmp(path, "/assets/", 8) ? "public, max-age=31536000, immutable"
							   : "no-cache");
	*fd_out = fd;
}
