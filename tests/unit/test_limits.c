/* test_limits.c: the caps of src/base/limits.h agree with docs/api.md and
 * with each other. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/limits.h"
#include "base/password.h"

static void test_documented_values(void **state)
{
	(void)state;
	assert_int_equal(MS_MAX_BODY_BYTES, 1048576);	     /* "body over 1 MiB" */
	assert_int_equal(MS_MAX_LIST_LIMIT, 200);	     /* "limit (1-200" */
	assert_int_equal(MS_DEFAULT_LIST_LIMIT, 50);	     /* "default 50" */
	assert_int_equal(MS_SESSION_IDLE_SECONDS, 8 * 3600); /* "8 hours without a request" */
	assert_int_equal(MS_SESSION_MAX_SECONDS, 7 * 86400); /* "after 7 days in any case" */
	assert_int_equal(MS_THROTTLE_PAIR_FAILS, 5);
	assert_int_equal(MS_THROTTLE_PAIR_DELAY_SECONDS, 30);
	assert_int_equal(MS_THROTTLE_PAIR_MAX_DELAY_SECONDS, 300);
	assert_int_equal(MS_THROTTLE_ACCOUNT_FAILS, 20);
	assert_int_equal(MS_THROTTLE_ACCOUNT_DELAY_SECONDS, 5);
	assert_int_equal(MS_THROTTLE_WINDOW_SECONDS, 900);
	assert_int_equal(MS_MAX_REASON_BYTES, 1000);	 /* "reason ... ≤ 1000 bytes" */
	assert_int_equal(MS_MAX_LABEL_BYTES, 200);	 /* "both names 1-200 bytes" */
	assert_int_equal(MS_MAX_SETTING_CODE_BYTES, 32); /* "codes of 1-32 of a-z" */
	assert_int_equal(MS_MAX_PLACE_BYTES, 100);	 /* import.md: city "up to 100 bytes" */
	assert_int_equal(MS_MAX_EMAIL_BYTES, 254);	 /* import.md: "up to 254 bytes" */
	/* 1e12 yuan in fen, the API's and the import's bound on budget_fen */
	assert_true(MS_MAX_MONEY_FEN == 100000000000000LL);
	assert_int_equal(MS_MAX_ANON_BODY_BYTES, 16384); /* "at 16 KiB without one" */
	assert_int_equal(MS_THROTTLE_SWEEP_KEYS, 64);	 /* "deletes up to 64 such counters" */
	assert_int_equal(MS_THROTTLE_MAX_KEYS, 100000);	 /* "more than 100,000 counters" */
}

static void test_consistent(void **state)
{
	(void)state;
	assert_true(MS_DEFAULT_LIST_LIMIT >= 1 && MS_DEFAULT_LIST_LIMIT <= MS_MAX_LIST_LIMIT);
	assert_true(MS_MIN_PASSWORD >= 8 && MS_MIN_PASSWORD <= MS_MAX_PASSWORD);
	assert_true(MS_MAX_USERNAME >= 3);
	assert_true(MS_MAX_CODE > 0 && MS_MAX_NAME > 0 && MS_MAX_TEXT >= MS_MAX_NAME);
	assert_true(MS_MAX_UPLOAD_BYTES >= MS_MAX_BODY_BYTES);
	/* Login's body (username and password, JSON-escaped) fits without a
	 * session; a sweep forgets more counters than a take adds (two). */
	assert_true(MS_MAX_ANON_BODY_BYTES >= 6 * (MS_MAX_USERNAME + MS_MAX_PASSWORD) + 64);
	assert_true(MS_MAX_ANON_BODY_BYTES < MS_MAX_BODY_BYTES);
	assert_true(MS_THROTTLE_SWEEP_KEYS > 2 && MS_THROTTLE_MAX_KEYS > MS_THROTTLE_SWEEP_KEYS);
	assert_true(MS_ARENA_MAX_BYTES > MS_MAX_UPLOAD_BYTES);
	assert_true(MS_SESSION_IDLE_SECONDS < MS_SESSION_MAX_SECONDS);
	assert_true(MS_THROTTLE_PAIR_FAILS < MS_THROTTLE_ACCOUNT_FAILS);
	/* A correct password never waits long: the longest delay is short of
	 * the window, so a slow key is never forgotten while it is slow. */
	assert_true(MS_THROTTLE_PAIR_MAX_DELAY_SECONDS < MS_THROTTLE_WINDOW_SECONDS);
	assert_true(MS_MAX_HEADER_BYTES < 64 * 1024); /* under libmicrohttpd's buffer */
	assert_true(MS_MAX_URL_BYTES >= 1024);
	assert_true(MS_MAX_OFFSET > 0);
	assert_true(PASSWORD_HASH_MAX >= 97); /* libsodium's crypto_pwhash_STRBYTES is 128 */
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_values),
		cmocka_unit_test(test_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
