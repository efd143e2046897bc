/* csvlong.c: the long-form time-series CSV reader of csvlong.h, used by
 * "medsales forecast". Line-based: a quoted field cannot span lines.
 * Depends on libc and base/parse.h only. */
#include "base/csvlong.h"
#include "base/parse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFIELDS 3
#define FIELD_MAX 512

static int fail(struct csvlong_error *err, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct csvlong_error *err, int line, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Splits line[0..len) into at most NFIELDS fields of FIELD_MAX bytes.
 * Returns the number of fields, or -1 with err set. */
static int split(const char *p, size_t len, char f[NFIELDS][FIELD_MAX], int lineno,
		 struct csvlong_error *err)
{
	size_t i = 0;
	int nf = 0;

	for (;;) {
		size_t k = 0;

		if (nf == NFIELDS)
			return fail(err, lineno, "expected 3 fields (id,t,value), got more");
		if (i < len && p[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return fail(err, lineno, "unterminated quoted field");
				if (p[i] == '"') {
					if (i + 1 < len && p[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (k + 1 >= FIELD_MAX)
					return fail(err, lineno, "field longer than %d bytes",
						    FIELD_MAX - 1);
				f[nf][k++] = p[i++];
			}
			if (i < len && p[i] != ',')
				return fail(err, lineno, "text after a closing quote");
		} else {
			while (i < len && p[i] != ',') {
				if (p[i] == '"')
					return fail(err, lineno, "quote inside an unquoted field");
				if (k + 1 >= FIELD_MAX)
					return fail(err, lineno, "field longer than %d bytes",
						    FIELD_MAX - 1);
				f[nf][k++] = p[i++];
			}
		}
		f[nf++][k] = '\0';
		if (i >= len)
			return nf;
		i++; /* the comma */
	}
}

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static int lookup(const struct csvlong *c, const char *id)
{
	if (!c->index_cap)
		return -1;
	for (size_t i = hash(id) & (c->index_cap - 1);; i = (i + 1) & (c->index_cap - 1)) {
		int k = c->index[i];

		if (k < 0)
			return -1;
		if (strcmp(c->s[k].id, id) == 0)
			return k;
	}
}

static int reindex(struct csvlong *c, size_t cap)
{
	int *idx = malloc(sizeof(*idx) * cap);

	if (!idx)
		return -1;
	for (size_t i = 0; i < cap; i++)
		idx[i] = -1;
	for (int k = 0; k < c->count; k++) {
		size_t i = hash(c->s[k].id) & (cap - 1);

		while (idx[i] >= 0)
			i = (i + 1) & (cap - 1);
		idx[i] = k;
	}
	free(c->index);
	c->index = idx;
	c->index_cap = cap;
	return 0;
}

/* The series named id, created when new; NULL when out of memory. */
static struct csvlong_series *series(struct csvlong *c, const char *id)
{
	int k = lookup(c, id);
	struct csvlong_series *s;

	if (k >= 0)
		return &c->s[k];
	if (c->count == c->cap) {
		int cap = c->cap ? 2 * c->cap : 16;
		struct csvlong_series *ns = realloc(c->s, sizeof(*ns) * (size_t)cap);

		if (!ns)
			return NULL;
		c->s = ns;
		c->cap = cap;
	}
	s = &c->s[c->count];
	memset(s, 0, sizeof(*s));
	s->id = malloc(strlen(id) + 1);
	if (!s->id)
		return NULL;
	memcpy(s->id, id, strlen(id) + 1);
	c->count++;
	if ((size_t)c->count * 2 > c->index_cap) {
		if (reindex(c, c->index_cap ? 2 * c->index_cap : 64)) {
			free(s->id);
			c->count--;
			return NULL;
		}
	} else {
		size_t i = hash(id) & (c->index_cap - 1);

		while (c->index[i] >= 0)
			i = (i + 1) & (c->index_cap - 1);
		c->index[i] = c->count - 1;
	}
	return s;
}

static int push(struct csvlong_series *s, int64_t t, double v, int line)
{
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 16;
		int64_t *nt = realloc(s->t, sizeof(*nt) * (size_t)cap);
		double *nv;
		int *nl;

		if (!nt)
			return -1;
		s->t = nt;
		nv = realloc(s->v, sizeof(*nv) * (size_t)cap);
		if (!nv)
			return -1;
		s->v = nv;
		nl = realloc(s->line, sizeof(*nl) * (size_t)cap);
		if (!nl)
			return -1;
		s->line = nl;
		s->cap = cap;
	}
	s->t[s->n] = t;
	s->v[s->n] = v;
	s->line[s->n] = line;
	s->n++;
	return 0;
}

static int row(struct csvlong *c, char f[NFIELDS][FIELD_MAX], int nf, int lineno,
	       struct csvlong_error *err)
{
	struct csvlong_series *s;
	int64_t t;
	double v;

	if (nf != NFIELDS)
		return fail(err, lineno, "expected 3 fields (id,t,value), got %d", nf);
	if (!f[0][0])
		return fail(err, lineno, "empty id");
	if (strlen(f[0]) > CSVLONG_MAX_ID)
		return fail(err, lineno, "id longer than %d bytes", CSVLONG_MAX_ID);
	if (parse_int64(f[1], -CSVLONG_MAX_T, CSVLONG_MAX_T, &t))
		return fail(err, lineno, "t '%.40s' is not an integer", f[1]);
	if (!f[2][0] || strcmp(f[2], "NA") == 0)
		v = NAN;
	else if (parse_double(f[2], -HUGE_VAL, HUGE_VAL, &v))
		return fail(err, lineno, "value '%.40s' is not a number", f[2]);
	s = series(c, f[0]);
	if (!s)
		return fail(err, 0, "out of memory");
	if (s->n && t == s->t[s->n - 1])
		return fail(err, lineno, "duplicate t %lld for series '%.80s'", (long long)t,
			    s->id);
	if (s->n && t < s->t[s->n - 1])
		return fail(err, lineno,
			    "t %lld after t %lld: t must increase within series '%.80s'",
			    (long long)t, (long long)s->t[s->n - 1], s->id);
	if (push(s, t, v, lineno))
		return fail(err, 0, "out of memory");
	return 0;
}

int csvlong_parse(const char *text, size_t len, struct csvlong *out, struct csvlong_error *err)
{
	char(*f)[FIELD_MAX] = malloc(sizeof(char[NFIELDS][FIELD_MAX]));
	size_t pos = 0;
	int lineno = 0, rc = 0;

	memset(out, 0, sizeof(*out));
	err->line = 0;
	err->msg[0] = '\0';
	if (!f)
		return fail(err, 0, "out of memory");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* UTF-8 byte order mark */
	while (pos < len && rc == 0) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, l = end - pos;
		int nf;

		lineno++;
		if (l && text[pos + l - 1] == '\r')
			l--;
		if (memchr(text + pos, '\0', l)) {
			rc = fail(err, lineno, "NUL byte in line");
			break;
		}
		if (l == 0 && lineno > 1) {
			pos = end + 1;
			continue; /* blank line */
		}
		nf = split(text + pos, l, f, lineno, err);
		if (nf < 0) {
			rc = -1;
		} else if (lineno == 1) {
			if (nf != NFIELDS || strcmp(f[0], "id") || strcmp(f[1], "t") ||
			    strcmp(f[2], "value"))
				rc = fail(err, 1, "missing header 'id,t,value'");
		} else {
			rc = row(out, f, nf, lineno, err);
		}
		pos = end + 1;
	}
	if (rc == 0 && lineno == 0)
		rc = fail(err, 1, "missing header 'id,t,value'");
	free(f);
	if (rc)
		csvlong_free(out);
	return rc;
}

const struct csvlong_series *csvlong_find(const struct csvlong *c, const char *id)
{
	int k = lookup(c, id);

	return k >= 0 ? &c->s[k] : NULL;
}

void csvlong_free(struct csvlong *c)
{
	for (int k = 0; k < c->count; k++) {
		free(c->s[k].id);
		free(c->s[k].t);
		free(c->s[k].v);
		free(c->s[k].line);
	}
	free(c->s);
	free(c->index);
	memset(c, 0, sizeof(*c));
}
