/* test_hash.c: SHA-256, random tokens and constant-time comparison of
 * src/base/hash.c (FIPS 180-2 test vectors). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/hash.h"

static int setup(void **state)
{
	(void)state;
	return hash_init();
}

static void test_sha256_vectors(void **state)
{
	char out[HASH_HEX_LEN + 1];
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	(void)state;
	hash_sha256_hex("", 0, out);
	assert_string_equal(out,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256_hex("abc", 3, out);
	assert_string_equal(out,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_sha256_hex(msg, strlen(msg), out);
	assert_string_equal(out,
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* n bounds the input: "abcd" hashed as 3 bytes is "abc". */
	hash_sha256_hex("abcd", 3, out);
	assert_string_equal(out,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(strlen(out), HASH_HEX_LEN);
}

static void test_tokens(void **state)
{
	char a[TOKEN_HEX_LEN + 1], b[TOKEN_HEX_LEN + 1];
	(void)state;
	hash_random_token(a);
	hash_random_token(b);
	assert_int_equal(strlen(a), TOKEN_HEX_LEN);
	assert_int_equal(strlen(b), TOKEN_HEX_LEN);
	assert_string_not_equal(a, b);
	for (int i = 0; i < TOKEN_HEX_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
}

static void test_equal(void **state)
{
	(void)state;
	assert_int_equal(hash_equal("abcdef", "abcdef", 6), 1);
	assert_int_equal(hash_equal("abcdef", "abcdeg", 6), 0);
	assert_int_equal(hash_equal("xbcdef", "abcdef", 6), 0);
	assert_int_equal(hash_equal("abcdef", "abcdXX", 4), 1); /* only n bytes */
	assert_int_equal(hash_equal("", "", 0), 1);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_equal),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
