/* arena.c: the region allocator of arena.h. Blocks grow geometrically; a
 * large request gets a block of its own. Depends on libc only. */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

#define ARENA_FIRST_BLOCK 4096
#define ALIGN (sizeof(max_align_t))

static void die_oom(size_t n)
{
	fprintf(stderr, "fatal: arena: out of memory allocating %zu bytes\n", n);
	abort();
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need, size;
	struct arena_block *b;

	if (n > MS_ARENA_MAX_BYTES)
		die_oom(n);
	need = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (need == 0)
		need = ALIGN;
	b = a->head;
	if (b && b->size - b->used >= need) {
		void *p = (char *)b->data + b->used;
		b->used += need;
		memset(p, 0, n);
		return p;
	}
	size = b ? b->size * 2 : ARENA_FIRST_BLOCK;
	if (size > 1024 * 1024)
		size = 1024 * 1024;
	if (size < need)
		size = need;
	if (a->total + size > MS_ARENA_MAX_BYTES)
		die_oom(n);
	b = malloc(sizeof(*b) + size);
	if (!b)
		die_oom(n);
	a->total += size;
	b->size = size;
	b->used = need;
	/* A block bigger than the current head goes second, so the head's
	 * free space is not wasted by one large allocation. */
	if (a->head && size == need) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	memset(b->data, 0, n);
	return b->data;
}

void *arena_array(struct arena *a, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		die_oom(SIZE_MAX);
	return arena_alloc(a, n * sz);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
