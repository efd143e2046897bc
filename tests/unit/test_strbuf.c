/* test_strbuf.c: the growable buffer of src/base/strbuf.c: appends, the cap
 * and its sticky error, reset, detach and release. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"

static void test_empty(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_string_equal(strbuf_str(&sb), "");
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.failed, 0);
	strbuf_release(&sb);
	assert_string_equal(strbuf_str(&sb), "");
}

static void test_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	strbuf_addstr(&sb, "ab");
	strbuf_addch(&sb, 'c');
	strbuf_add(&sb, "defXYZ", 3);
	strbuf_addf(&sb, "-%d-%s-%04x", 42, "中", 255);
	assert_string_equal(strbuf_str(&sb), "abcdef-42-中-00ff");
	assert_int_equal(sb.len, strlen("abcdef-42-中-00ff"));
	assert_int_equal(sb.failed, 0);
	/* Embedded NUL bytes are kept and counted. */
	strbuf_add(&sb, "\0x", 2);
	assert_int_equal(sb.len, strlen("abcdef-42-中-00ff") + 2);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_int_equal(sb.buf[sb.len - 1], 'x');
	strbuf_release(&sb);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
}

static void test_growth(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	for (int i = 0; i < 10000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	assert_int_equal(sb.len, 20000);
	assert_true(sb.alloc > sb.len);
	assert_int_equal(sb.buf[19998], '9');
	assert_int_equal(sb.buf[20000], '\0');
	strbuf_release(&sb);
}

static void test_cap_sticky(void **state)
{
	struct strbuf sb;
	(void)state;
	strbuf_init(&sb, 5);
	strbuf_addstr(&sb, "hello"); /* exactly the cap: fits */
	assert_int_equal(sb.failed, 0);
	assert_string_equal(strbuf_str(&sb), "hello");
	strbuf_addch(&sb, '!');
	assert_int_equal(sb.failed, 1);
	assert_string_equal(strbuf_str(&sb), "hello");
	/* Sticky: even a fitting append is refused now. */
	strbuf_reset(&sb);
	assert_int_equal(sb.failed, 0);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_addf(&sb, "%s", "123456");
	assert_int_equal(sb.failed, 1);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_add(&sb, "a", 1);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
	assert_int_equal(sb.cap, 5);
}

static void test_truncate(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	strbuf_addstr(&sb, "abcdef");
	strbuf_truncate(&sb, 3);
	assert_string_equal(strbuf_str(&sb), "abc");
	assert_int_equal(sb.len, 3);
	strbuf_truncate(&sb, 10); /* longer than the contents: unchanged */
	assert_string_equal(strbuf_str(&sb), "abc");
	strbuf_addch(&sb, 'x');
	assert_string_equal(strbuf_str(&sb), "abcx");
	strbuf_release(&sb);
}

static void test_reset_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *p;
	(void)state;
	strbuf_addstr(&sb, "keep me");
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(strbuf_str(&sb), "");
	strbuf_addstr(&sb, "mine");
	p = strbuf_detach(&sb, &len);
	assert_string_equal(p, "mine");
	assert_int_equal(len, 4);
	assert_null(sb.buf);
	assert_int_equal(sb.len, 0);
	free(p);
	/* Detaching an empty buffer gives an empty malloc'd string. */
	p = strbuf_detach(&sb, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	p = strbuf_detach(&sb, NULL);
	free(p);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),	   cmocka_unit_test(test_appends),
		cmocka_unit_test(test_truncate),   cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap_sticky), cmocka_unit_test(test_reset_detach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
