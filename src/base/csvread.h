/* csvread.h: a streaming CSV reader over libcsv (RFC 4180: comma-separated,
 * double quotes around fields that hold commas, quotes or line ends, ""
 * inside quotes is a quote; CRLF or LF line ends). Feed it chunks of any
 * size; it calls a function for every row, with the row's fields and the
 * line the row starts on. A UTF-8 byte-order mark at the very start is
 * dropped. Fields longer than CSVREAD_MAX_FIELD bytes and rows of more than
 * CSVREAD_MAX_COLUMNS fields stop the reading with an error naming the line.
 * Blank lines are skipped. Depends on libc and libcsv only. */
#ifndef MS_CSVREAD_H
#define MS_CSVREAD_H

#include <stddef.h>

#define CSVREAD_MAX_FIELD 20000 /* bytes of one field */
#define CSVREAD_MAX_COLUMNS 64	/* fields of one row */

/* One row. fields[i] is NUL-terminated (it may hold NUL bytes of its own:
 * lens[i] is the true length); both arrays live until the callback
 * returns. index is 0 for the first row (a header), 1 for the next... */
struct csvread_row {
	int line;
	int index;
	int nfields;
	const char *const *fields;
	const size_t *lens;
};

/* Returns 0 to go on, non-zero to stop the reading (csvread_feed then
 * returns -1 with the error "stopped"). */
typedef int (*csvread_row_fn)(void *cls, const struct csvread_row *row);

struct csvread;

/* NULL when out of memory. */
struct csvread *csvread_new(csvread_row_fn fn, void *cls);
/* 0, or -1 after an error (csvread_error tells which); further feeds
 * return -1 too. */
int csvread_feed(struct csvread *r, const char *buf, size_t len);
/* Ends the input: delivers a last row without a line end. 0 or -1. */
int csvread_finish(struct csvread *r);
/* The error's message (lower case, no final period) and its line, or NULL. */
const char *csvread_error(const struct csvread *r, int *line);
/* 1 when the row function stopped the reading. */
int csvread_stopped(const struct csvread *r);
/* Bytes consumed so far (for progress). */
size_t csvread_offset(const struct csvread *r);
void csvread_free(struct csvread *r);

#endif
