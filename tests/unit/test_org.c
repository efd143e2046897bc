/* test_org.c: organisation tree and reference-data rules of
 * src/domain/org.c: unit types, codes, parent levels, cycle detection, ref
 * kinds and priorities. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/limits.h"
#include "domain/org.h"

static void test_unit_types(void **state)
{
	static const char *const names[] = { "company", "region", "province", "district", "team" };
	(void)state;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(unit_type_parse(names[i]), UNIT_COMPANY + i);
		assert_string_equal(unit_type_name((enum unit_type)(UNIT_COMPANY + i)), names[i]);
	}
	assert_int_equal(unit_type_parse("Region"), UNIT_NONE);
	assert_int_equal(unit_type_parse(""), UNIT_NONE);
	assert_int_equal(unit_type_parse(NULL), UNIT_NONE);
	assert_string_equal(unit_type_name(UNIT_NONE), "");
	assert_string_equal(unit_type_name((enum unit_type)42), "");
}

static void test_codes(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	char c64[65], c65[66];
	(void)state;
	memset(c64, 'A', 64);
	c64[64] = '\0';
	memset(c65, 'A', 65);
	c65[65] = '\0';
	assert_int_equal(org_check_code("EAST", &e), MS_OK);
	assert_int_equal(org_check_code("SH-D1", &e), MS_OK);
	assert_int_equal(org_check_code("ivd_reagent_2", &e), MS_OK);
	assert_int_equal(org_check_code("X", &e), MS_OK);
	assert_int_equal(org_check_code(c64, &e), MS_OK);
	assert_int_equal(org_check_code(c65, &e), MS_EINVAL);
	assert_string_equal(e.code, "too_long");
	assert_string_equal(e.field, "code");
	assert_int_equal(org_check_code("", &e), MS_EINVAL);
	assert_string_equal(e.code, "required");
	assert_int_equal(org_check_code(NULL, &e), MS_EINVAL);
	assert_string_equal(e.code, "required");
	static const char *const bad[] = { "A B", "A.B", "上海", "A/B", "A'B", "A;B", "a\nb" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ms_error_clear(&e);
		assert_int_equal(org_check_code(bad[i], &e), MS_EINVAL);
		assert_string_equal(e.code, "invalid");
		assert_string_equal(e.field, "code");
	}
}

static void test_parent(void **state)
{
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	assert_int_equal(org_check_parent(UNIT_COMPANY, 0, UNIT_NONE, &e), MS_OK);
	assert_int_equal(org_check_parent(UNIT_REGION, 1, UNIT_COMPANY, &e), MS_OK);
	assert_int_equal(org_check_parent(UNIT_PROVINCE, 1, UNIT_REGION, &e), MS_OK);
	assert_int_equal(org_check_parent(UNIT_DISTRICT, 1, UNIT_PROVINCE, &e), MS_OK);
	assert_int_equal(org_check_parent(UNIT_TEAM, 1, UNIT_DISTRICT, &e), MS_OK);
	/* Skipping levels is allowed: a team straight under the company. */
	assert_int_equal(org_check_parent(UNIT_TEAM, 1, UNIT_COMPANY, &e), MS_OK);
	assert_int_equal(org_check_parent(UNIT_PROVINCE, 1, UNIT_COMPANY, &e), MS_OK);

	assert_int_equal(org_check_parent(UNIT_COMPANY, 1, UNIT_REGION, &e), MS_EINVAL);
	assert_string_equal(e.code, "invalid");
	assert_string_equal(e.field, "parent_id");
	assert_int_equal(org_check_parent(UNIT_COMPANY, 1, UNIT_COMPANY, &e), MS_EINVAL);
	ms_error_clear(&e);
	assert_int_equal(org_check_parent(UNIT_REGION, 0, UNIT_NONE, &e), MS_EINVAL);
	assert_string_equal(e.code, "required");
	assert_string_equal(e.field, "parent_id");
	ms_error_clear(&e);
	assert_int_equal(org_check_parent(UNIT_REGION, 1, UNIT_REGION, &e), MS_EINVAL);
	assert_string_equal(e.code, "invalid");
	assert_string_equal(e.message, "a 'region' cannot be placed under a 'region'");
	assert_int_equal(org_check_parent(UNIT_REGION, 1, UNIT_TEAM, &e), MS_EINVAL);
	assert_string_equal(e.message, "a 'region' cannot be placed under a 'team'");
	assert_int_equal(org_check_parent(UNIT_TEAM, 1, UNIT_TEAM, &e), MS_EINVAL);
	assert_int_equal(org_check_parent(UNIT_PROVINCE, 1, UNIT_DISTRICT, &e), MS_EINVAL);
}

static void test_would_cycle(void **state)
{
	/* 1 (root) <- 2 <- 3 <- 4, and 1 <- 5. */
	const struct org_edge t[] = { { 1, 0 }, { 2, 1 }, { 3, 2 }, { 4, 3 }, { 5, 1 } };
	const size_t n = sizeof(t) / sizeof(t[0]);
	(void)state;
	assert_int_equal(org_would_cycle(t, n, 2, 4), 1); /* under its grandchild */
	assert_int_equal(org_would_cycle(t, n, 2, 3), 1); /* under its child */
	assert_int_equal(org_would_cycle(t, n, 3, 3), 1); /* under itself */
	assert_int_equal(org_would_cycle(t, n, 1, 5), 1); /* the root under a child */
	assert_int_equal(org_would_cycle(t, n, 4, 2), 0); /* up the tree */
	assert_int_equal(org_would_cycle(t, n, 3, 5), 0); /* sideways */
	assert_int_equal(org_would_cycle(t, n, 5, 4), 0);
	assert_int_equal(org_would_cycle(t, n, 4, 1), 0);
	assert_int_equal(org_would_cycle(t, n, 4, 99), 0); /* unknown parent: no cycle */
	assert_int_equal(org_would_cycle(t, 0, 4, 1), 0);
	assert_int_equal(org_would_cycle(NULL, 0, 4, 4), 1);
	{
		/* A corrupt tree with a loop 7 <-> 8 not involving the unit:
		 * the walk is bounded and answers "cycle" rather than hanging. */
		const struct org_edge bad[] = { { 1, 0 }, { 7, 8 }, { 8, 7 }, { 9, 1 } };
		assert_int_equal(org_would_cycle(bad, 4, 9, 7), 1);
		assert_int_equal(org_would_cycle(bad, 4, 7, 9), 0);
	}
}

static void test_ref(void **state)
{
	static const char *const kinds[] = { "product_lines", "segments", "regions", "provinces" };
	struct ms_error e = MS_ERROR_INIT;
	(void)state;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ref_kind_parse(kinds[i]), REF_PRODUCT_LINES + i);
		assert_string_equal(ref_kind_name((enum ref_kind)(REF_PRODUCT_LINES + i)),
				    kinds[i]);
	}
	assert_int_equal(ref_kind_parse("product_line"), REF_NONE);
	assert_int_equal(ref_kind_parse("users"), REF_NONE);
	assert_int_equal(ref_kind_parse(NULL), REF_NONE);
	assert_string_equal(ref_kind_name(REF_NONE), "");
	for (int p = 1; p <= 9; p++)
		assert_int_equal(ref_check_priority(p, &e), MS_OK);
	assert_int_equal(ref_check_priority(0, &e), MS_EINVAL);
	assert_string_equal(e.code, "out_of_range");
	assert_string_equal(e.field, "priority");
	assert_int_equal(ref_check_priority(10, &e), MS_EINVAL);
	assert_int_equal(ref_check_priority(-1, &e), MS_EINVAL);
	assert_int_equal(ref_check_priority(INT64_MAX, &e), MS_EINVAL);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_types), cmocka_unit_test(test_codes),
		cmocka_unit_test(test_parent),	   cmocka_unit_test(test_would_cycle),
		cmocka_unit_test(test_ref),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
