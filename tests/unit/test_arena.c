/* test_arena.c: the region allocator of src/base/arena.c: zeroed and aligned
 * memory, large blocks, string helpers, release and reuse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"

static void test_alloc_zeroed_aligned(void **state)
{
	struct arena a = ARENA_INIT;
	(void)state;
	for (size_t n = 1; n < 200; n += 7) {
		unsigned char *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % sizeof(max_align_t), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAB, n); /* ASan: the whole range is ours */
	}
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

static void test_alloc_distinct(void **state)
{
	struct arena a;
	char *p, *q, *z1, *z2;
	(void)state;
	arena_init(&a);
	p = arena_alloc(&a, 16);
	q = arena_alloc(&a, 16);
	assert_true(q >= p + 16 || p >= q + 16);
	z1 = arena_alloc(&a, 0);
	z2 = arena_alloc(&a, 0);
	assert_non_null(z1);
	assert_ptr_not_equal(z1, z2);
	arena_release(&a);
}

static void test_large_blocks(void **state)
{
	struct arena a = ARENA_INIT;
	char *small, *big, *after;
	(void)state;
	small = arena_alloc(&a, 10);
	memset(small, 'x', 10);
	big = arena_alloc(&a, 3 * 1024 * 1024); /* past the 1 MiB block size */
	memset(big, 'y', 3 * 1024 * 1024);
	assert_int_equal(big[0], 'y');
	assert_int_equal(big[3 * 1024 * 1024 - 1], 'y');
	/* The head block's free space is still used after a large request. */
	after = arena_alloc(&a, 10);
	assert_ptr_equal(after, small + sizeof(max_align_t));
	assert_int_equal(small[9], 'x');
	assert_true(a.total >= 3u * 1024 * 1024 + 4096);
	/* Many middle-size allocations, all writable and zeroed. */
	for (int i = 0; i < 300; i++) {
		char *p = arena_alloc(&a, 5000 + (size_t)i);
		assert_int_equal(p[0], 0);
		assert_int_equal(p[4999 + i], 0);
		memset(p, i & 0xff, 5000 + (size_t)i);
	}
	arena_release(&a);
	/* Usable again after release. */
	small = arena_alloc(&a, 8);
	assert_non_null(small);
	arena_release(&a);
}

static void test_array(void **state)
{
	struct arena a = ARENA_INIT;
	int64_t *v;
	(void)state;
	v = arena_array(&a, 100, sizeof(*v));
	for (int i = 0; i < 100; i++) {
		assert_int_equal(v[i], 0);
		v[i] = i;
	}
	assert_int_equal(v[99], 99);
	assert_non_null(arena_array(&a, 0, 8));
	assert_non_null(arena_array(&a, 8, 0));
	arena_release(&a);
}

static void test_strings(void **state)
{
	struct arena a = ARENA_INIT;
	char *s;
	(void)state;
	s = arena_strdup(&a, "上海 Shanghai");
	assert_string_equal(s, "上海 Shanghai");
	s = arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	assert_int_equal(strlen(s), 3);
	s = arena_strdup(&a, "");
	assert_string_equal(s, "");
	s = arena_printf(&a, "u:%s/%d/%05.1f", "rep.sh1", -42, 3.14159);
	assert_string_equal(s, "u:rep.sh1/-42/003.1");
	s = arena_printf(&a, "%s", "");
	assert_string_equal(s, "");
	{
		/* Longer than the first block. */
		char big[6000];
		memset(big, 'z', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		s = arena_printf(&a, "[%s]", big);
		assert_int_equal(strlen(s), 6001);
		assert_int_equal(s[0], '[');
		assert_int_equal(s[6000], ']');
	}
	arena_release(&a);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_zeroed_aligned),
		cmocka_unit_test(test_alloc_distinct),
		cmocka_unit_test(test_large_blocks),
		cmocka_unit_test(test_array),
		cmocka_unit_test(test_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
