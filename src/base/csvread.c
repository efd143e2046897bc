/* csvread.c: the streaming CSV reader of csvread.h. libcsv does the
 * quoting; this file adds the byte-order mark, line numbers (input is fed
 * to libcsv one line at a time), and the caps. Depends on libc and libcsv. */
#include "base/csvread.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csvread {
	struct csv_parser p;
	csvread_row_fn fn;
	void *cls;
	int line;      /* the line being fed, 1-based */
	int row_nl;    /* line ends inside the fields of the row so far */
	int index;     /* rows delivered */
	int bom_state; /* bytes of the BOM matched so far; 3 = past the start */
	int failed, stopped;
	int err_line;
	char err[160];
	size_t offset;
	int nfields;
	char *fields[CSVREAD_MAX_COLUMNS];
	size_t lens[CSVREAD_MAX_COLUMNS];
};

static void fail(struct csvread *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct csvread *r, int line, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = 1;
	r->err_line = line;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

static void clear_row(struct csvread *r)
{
	for (int i = 0; i < r->nfields; i++) {
		free(r->fields[i]);
		r->fields[i] = NULL;
	}
	r->nfields = 0;
	r->row_nl = 0;
}

static void on_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;
	char *copy;

	if (r->failed)
		return;
	if (len > CSVREAD_MAX_FIELD) {
		fail(r, r->line, "a field is longer than %d bytes", CSVREAD_MAX_FIELD);
		return;
	}
	if (r->nfields >= CSVREAD_MAX_COLUMNS) {
		fail(r, r->line, "a row has more than %d fields", CSVREAD_MAX_COLUMNS);
		return;
	}
	copy = malloc(len + 1);
	if (!copy) {
		fail(r, r->line, "out of memory");
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (copy[i] == '\n')
			r->row_nl++;
	r->fields[r->nfields] = copy;
	r->lens[r->nfields] = len;
	r->nfields++;
}

static void on_row(int c, void *data)
{
	struct csvread *r = data;
	struct csvread_row row;

	(void)c;
	if (r->failed) {
		clear_row(r);
		return;
	}
	row.line = r->line - r->row_nl;
	row.index = r->index++;
	row.nfields = r->nfields;
	row.fields = (const char *const *)r->fields;
	row.lens = r->lens;
	if (r->fn(r->cls, &row)) {
		r->stopped = 1;
		fail(r, row.line, "stopped");
	}
	clear_row(r);
}

struct csvread *csvread_new(csvread_row_fn fn, void *cls)
{
	struct csvread *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		free(r);
		return NULL;
	}
	r->fn = fn;
	r->cls = cls;
	r->line = 1;
	return r;
}

/* Feeds buf[0..len), which holds at most one line end, at its end. */
static int feed_piece(struct csvread *r, const char *buf, size_t len)
{
	if (csv_parse(&r->p, buf, len, on_field, on_row, r) != len && !r->failed)
		fail(r, r->line, "malformed CSV: %s", csv_strerror(csv_error(&r->p)));
	r->offset += len;
	return r->failed ? -1 : 0;
}

int csvread_feed(struct csvread *r, const char *buf, size_t len)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };

	if (r->failed)
		return -1;
	/* The BOM may arrive split across feeds. */
	while (r->bom_state < 3 && len) {
		if ((unsigned char)*buf != bom[r->bom_state]) {
			int matched = r->bom_state;
			r->bom_state = 3;
			if (matched && feed_piece(r, (const char *)bom, (size_t)matched))
				return -1;
			break;
		}
		r->bom_state++;
		r->offset++;
		buf++;
		len--;
	}
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) + 1 : len;
		if (feed_piece(r, buf, n))
			return -1;
		if (nl)
			r->line++;
		buf += n;
		len -= n;
	}
	return 0;
}

int csvread_finish(struct csvread *r)
{
	if (r->failed)
		return -1;
	if (r->bom_state > 0 && r->bom_state < 3) {
		int matched = r->bom_state;
		r->bom_state = 3;
		if (feed_piece(r, "\xEF\xBB", (size_t)matched))
			return -1;
	}
	/* A last row without a line end is delivered here. */
	if (csv_fini(&r->p, on_field, on_row, r) && !r->failed)
		fail(r, r->line, "malformed CSV: %s", csv_strerror(csv_error(&r->p)));
	return r->failed ? -1 : 0;
}

const char *csvread_error(const struct csvread *r, int *line)
{
	if (!r->failed)
		return NULL;
	if (line)
		*line = r->err_line;
	return r->err;
}

int csvread_stopped(const struct csvread *r)
{
	return r->stopped;
}

size_t csvread_offset(const struct csvread *r)
{
	return r->offset;
}

void csvread_free(struct csvread *r)
{
	if (!r)
		return;
	clear_row(r);
	csv_free(&r->p);
	free(r);
}
