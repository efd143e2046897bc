/* test_role.c: roles and the scope each gives (src/domain/role.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/role.h"

static void test_parse_name(void **state)
{
	static const char *const names[] = { "rep", "manager", "director", "compliance", "admin" };
	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(role_parse(names[i]), ROLE_REP + i);
		assert_string_equal(role_name((enum role)(ROLE_REP + i)), names[i]);
	}
	assert_int_equal(role_parse(NULL), ROLE_NONE);
	assert_int_equal(role_parse(""), ROLE_NONE);
	assert_int_equal(role_parse("Admin"), ROLE_NONE);
	assert_int_equal(role_parse("admin "), ROLE_NONE);
	assert_int_equal(role_parse("root"), ROLE_NONE);
	assert_string_equal(role_name(ROLE_NONE), "");
	assert_string_equal(role_name((enum role)99), "");
	assert_string_equal(role_name((enum role) - 1), "");
}

static void test_bits(void **state)
{
	(void)state;
	assert_int_equal(ROLE_BIT(ROLE_REP), 2);
	assert_int_equal(ROLE_BIT(ROLE_ADMIN), 32);
	assert_int_equal(ROLES_ALL, 0x3e);
	assert_false(ROLES_ALL & ROLE_BIT(ROLE_NONE));
}

static void test_scope_for(void **state)
{
	struct scope s;
	(void)state;
	memset(&s, 0x55, sizeof(s));
	scope_for(&s, ROLE_REP, 7, 12);
	assert_int_equal(s.kind, SCOPE_OWN);
	assert_int_equal(s.role, ROLE_REP);
	assert_int_equal(s.user_id, 7);
	assert_int_equal(s.unit_id, 12);
	assert_int_equal(s.read_only, 0);
	assert_string_equal(s.username, "");

	scope_for(&s, ROLE_MANAGER, 3, 7);
	assert_int_equal(s.kind, SCOPE_SUBTREE);
	assert_int_equal(s.unit_id, 7);
	assert_int_equal(s.read_only, 0);

	scope_for(&s, ROLE_DIRECTOR, 4, 1);
	assert_int_equal(s.kind, SCOPE_ALL);
	assert_int_equal(s.read_only, 0);

	scope_for(&s, ROLE_COMPLIANCE, 5, 1);
	assert_int_equal(s.kind, SCOPE_ALL);
	assert_int_equal(s.read_only, 1);

	scope_for(&s, ROLE_ADMIN, 1, 1);
	assert_int_equal(s.kind, SCOPE_ALL);
	assert_int_equal(s.read_only, 0);

	/* An unknown role sees no more than a rep. */
	scope_for(&s, ROLE_NONE, 9, 1);
	assert_int_equal(s.kind, SCOPE_OWN);
}

static void test_scope_system(void **state)
{
	struct scope s;
	(void)state;
	scope_system(&s);
	assert_int_equal(s.kind, SCOPE_ALL);
	assert_int_equal(s.role, ROLE_ADMIN);
	assert_int_equal(s.user_id, 0);
	assert_string_equal(s.username, "system");
	assert_int_equal(s.read_only, 0);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_name),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_scope_for),
		cmocka_unit_test(test_scope_system),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
