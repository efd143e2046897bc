/* test_audit.c: the hash chain of src/domain/audit.c. The expected digest
 * was computed independently (Python hashlib over the documented layout:
 * each text field as "<len>:<text>\n", the integers as decimal lines). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/hash.h"
#include "domain/audit.h"

static struct audit_entry base_entry(void)
{
	struct audit_entry en = {
		1, 1700000000, 2, "admin", "update", "users", 7, "{}", "{\"a\":1}"
	};
	return en;
}

static int setup(void **state)
{
	(void)state;
	return hash_init();
}

static void test_known_digest(void **state)
{
	struct audit_entry en = base_entry();
	char h[HASH_HEX_LEN + 1];
	(void)state;
	audit_hash(AUDIT_GENESIS, &en, h);
	assert_string_equal(h, "c1546d8ffa0ddffb2af33d7e06bbf3e42b28173466553dd5a052b3fd44f4316f");
	assert_int_equal(strlen(AUDIT_GENESIS), HASH_HEX_LEN);
}

static void test_deterministic_and_chained(void **state)
{
	struct audit_entry en = base_entry(), en2 = base_entry();
	char h1[HASH_HEX_LEN + 1], again[HASH_HEX_LEN + 1], h2[HASH_HEX_LEN + 1],
		h2_other[HASH_HEX_LEN + 1], other_prev[HASH_HEX_LEN + 1];
	(void)state;
	audit_hash(AUDIT_GENESIS, &en, h1);
	audit_hash(AUDIT_GENESIS, &en, again);
	assert_string_equal(h1, again);
	/* The second link covers the first: the same entry 2 after a
	 * different entry 1 hashes differently. */
	en2.id = 2;
	audit_hash(h1, &en2, h2);
	en.after = "{\"a\":2}";
	audit_hash(AUDIT_GENESIS, &en, other_prev);
	assert_string_not_equal(other_prev, h1);
	audit_hash(other_prev, &en2, h2_other);
	assert_string_not_equal(h2, h2_other);
	/* And a one-character change of prev changes the hash. */
	memcpy(other_prev, h1, sizeof(other_prev));
	other_prev[63] = other_prev[63] == '0' ? '1' : '0';
	audit_hash(other_prev, &en2, h2_other);
	assert_string_not_equal(h2, h2_other);
}

static void test_every_field_counts(void **state)
{
	char ref[HASH_HEX_LEN + 1], h[HASH_HEX_LEN + 1];
	struct audit_entry en;
	(void)state;
	en = base_entry();
	audit_hash(AUDIT_GENESIS, &en, ref);
#define CHANGED(stmt)                                                                              \
	do {                                                                                       \
		en = base_entry();                                                                 \
		stmt;                                                                              \
		audit_hash(AUDIT_GENESIS, &en, h);                                                 \
		if (!strcmp(h, ref))                                                               \
			fail_msg("changing '%s' left the hash unchanged", #stmt);                  \
	} while (0)
	CHANGED(en.id = 2);
	CHANGED(en.at = 1700000001);
	CHANGED(en.user_id = 3);
	CHANGED(en.entity_id = 8);
	CHANGED(en.username = "admin2");
	CHANGED(en.username = "");
	CHANGED(en.action = "create");
	CHANGED(en.entity = "org_units");
	CHANGED(en.before = "");
	CHANGED(en.before = "{ }");
	CHANGED(en.after = "{\"a\":1} ");
	CHANGED(en.after = "");
	/* Moving text between neighbouring fields changes the hash too (the
	 * length prefixes). */
	CHANGED((en.username = "adminu", en.action = "pdate"));
	CHANGED((en.before = "{}{\"a\":1}", en.after = ""));
	CHANGED((en.user_id = 27, en.entity_id = 0));
#undef CHANGED
}

static void test_null_text_is_empty(void **state)
{
	struct audit_entry a = base_entry(), b = base_entry();
	char ha[HASH_HEX_LEN + 1], hb[HASH_HEX_LEN + 1];
	(void)state;
	a.before = NULL;
	a.username = NULL;
	b.before = "";
	b.username = "";
	audit_hash(AUDIT_GENESIS, &a, ha);
	audit_hash(AUDIT_GENESIS, &b, hb);
	assert_string_equal(ha, hb);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_digest),
		cmocka_unit_test(test_deterministic_and_chained),
		cmocka_unit_test(test_every_field_counts),
		cmocka_unit_test(test_null_text_is_empty),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
