/* test_password.c: argon2id hashing of src/base/password.c. One hash and its
 * verifications only: argon2 is slow by design. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/hash.h"
#include "base/password.h"

static void test_hash_verify(void **state)
{
	char h[PASSWORD_HASH_MAX];
	(void)state;
	assert_int_equal(hash_init(), 0);
	memset(h, 'x', sizeof(h));
	assert_int_equal(password_hash("Demo@2026-中文", h), 0);
	assert_non_null(memchr(h, '\0', sizeof(h)));
	assert_int_equal(strncmp(h, "$argon2id$v=19$m=", 17), 0);
	assert_int_equal(password_verify(h, "Demo@2026-中文"), 1);
	assert_int_equal(password_verify(h, "Demo@2026-中"), 0);
	assert_int_equal(password_verify(h, "demo@2026-中文"), 0);
	assert_int_equal(password_verify(h, ""), 0);
	/* A stored value that is no hash at all never verifies. */
	assert_int_equal(password_verify("", "Demo@2026"), 0);
	assert_int_equal(password_verify("$argon2id$garbage", "Demo@2026"), 0);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
