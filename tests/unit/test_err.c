/* test_err.c: struct ms_error filling and the error names of src/base/err.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/err.h"

static void test_fail_fills(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(ms_fail(&e, MS_EINVAL, "required", "name", "'%s' is required", "name"),
			 MS_EINVAL);
	assert_int_equal(e.err, MS_EINVAL);
	assert_string_equal(e.code, "required");
	assert_string_equal(e.field, "name");
	assert_string_equal(e.message, "'name' is required");
	ms_error_clear(&e);
	assert_int_equal(e.err, MS_OK);
	assert_string_equal(e.code, "");
	assert_string_equal(e.field, "");
	assert_string_equal(e.message, "");
}

static void test_fail_null(void **state)
{
	(void)state;
	assert_int_equal(ms_fail(NULL, MS_ECONFLICT, "conflict", "version", "x"), MS_ECONFLICT);
}

static void test_fail_null_parts_and_truncation(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	char longtext[400];
	(void)state;
	ms_fail(&e, MS_EFORBIDDEN, NULL, NULL, "%s", "no");
	assert_string_equal(e.code, "");
	assert_string_equal(e.field, "");
	memset(longtext, 'c', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	ms_fail(&e, MS_EINVAL, longtext, longtext, "%s", longtext);
	assert_int_equal(strlen(e.code), sizeof(e.code) - 1);
	assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
	assert_int_equal(strlen(e.message), sizeof(e.message) - 1);
	assert_int_equal(e.code[0], 'c');
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ms_err_name(MS_OK), "ok");
	assert_string_equal(ms_err_name(MS_EINVAL), "invalid");
	assert_string_equal(ms_err_name(MS_EUNAUTH), "unauthenticated");
	assert_string_equal(ms_err_name(MS_EFORBIDDEN), "forbidden");
	assert_string_equal(ms_err_name(MS_ENOTFOUND), "not_found");
	assert_string_equal(ms_err_name(MS_ECONFLICT), "conflict");
	assert_string_equal(ms_err_name(MS_ETOOBIG), "too_large");
	assert_string_equal(ms_err_name(MS_EMEDIATYPE), "unsupported_media_type");
	assert_string_equal(ms_err_name(MS_ETHROTTLED), "throttled");
	assert_string_equal(ms_err_name(MS_EDB), "internal");
	assert_string_equal(ms_err_name(MS_EIO), "internal");
	assert_string_equal(ms_err_name((enum ms_err)99), "internal");
	assert_int_equal(MS_OK, 0);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_fills),
		cmocka_unit_test(test_fail_null),
		cmocka_unit_test(test_fail_null_parts_and_truncation),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
