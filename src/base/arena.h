/* arena.h: a region allocator. Everything a request allocates lives in the
 * request's arena and dies with it (nginx r->pool, h2o req->pool): callers
 * never free() what an arena gave them.
 *
 * Allocation never returns NULL: on exhaustion of memory or of the arena's
 * cap (MS_ARENA_MAX_BYTES) the process aborts, as git's xmalloc does. */
#ifndef MS_ARENA_H
#define MS_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t total; /* bytes obtained from malloc, for the cap */
};

#define ARENA_INIT                                                                                 \
	{                                                                                          \
		NULL, 0                                                                            \
	}

void arena_init(struct arena *a);
/* Frees every block; the arena can be used again afterwards. */
void arena_release(struct arena *a);

/* Zeroed memory, aligned for any type. */
void *arena_alloc(struct arena *a, size_t n);
/* n elements of size sz, with overflow checked. */
void *arena_array(struct arena *a, size_t n, size_t sz);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
