/* strbuf.h: a growable byte buffer with a sticky error (git's strbuf, SQLite's
 * sqlite3_str). Appends never fail visibly: on a failure, or past the buffer's
 * cap, the buffer stops growing and sb->failed is set; check it once at the
 * end. buf is always NUL-terminated.
 *
 * Ownership: a strbuf owns malloc'd memory; strbuf_release frees it and
 * leaves an empty buffer. strbuf_detach hands the memory to the caller. */
#ifndef MS_STRBUF_H
#define MS_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, alloc;
	size_t cap; /* 0: no cap */
	int failed;
};

#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, 0, 0                                                                   \
	}

void strbuf_init(struct strbuf *sb, size_t cap);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_reset(struct strbuf *sb);
/* Cuts the contents back to their first len bytes (len <= sb->len). */
void strbuf_truncate(struct strbuf *sb, size_t len);

void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* The contents, never NULL (an empty buffer gives ""). */
const char *strbuf_str(const struct strbuf *sb);

#endif
