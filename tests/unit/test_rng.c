/* test_rng.c: the deterministic generator of src/base/rng.c. The first
 * outputs for seed 0 are splitmix64's published reference values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "base/rng.h"

static void test_reference_values(void **state)
{
	struct rng r;
	(void)state;
	rng_seed(&r, 0);
	assert_true(rng_next(&r) == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(rng_next(&r) == UINT64_C(0x6e789e6aa1b965f4));
	assert_true(rng_next(&r) == UINT64_C(0x06c45d188009454f));
}

static void test_deterministic(void **state)
{
	struct rng a, b, c;
	int differ = 0;
	(void)state;
	rng_seed(&a, 20261126);
	rng_seed(&b, 20261126);
	rng_seed(&c, 20261127);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rng_next(&a), y = rng_next(&b), z = rng_next(&c);
		assert_true(x == y);
		differ += x != z;
	}
	assert_true(differ > 990);
	/* The derived draws are deterministic too. */
	rng_seed(&a, 7);
	rng_seed(&b, 7);
	for (int i = 0; i < 100; i++) {
		assert_true(rng_range(&a, -5, 5) == rng_range(&b, -5, 5));
		assert_true(rng_unit(&a) == rng_unit(&b));
		assert_true(rng_normal(&a) == rng_normal(&b));
	}
}

static void test_range(void **state)
{
	struct rng r;
	int seen[11] = { 0 };
	(void)state;
	rng_seed(&r, 1);
	for (int i = 0; i < 11000; i++) {
		int64_t v = rng_range(&r, -5, 5);
		assert_true(v >= -5 && v <= 5);
		seen[v + 5]++;
	}
	for (int i = 0; i < 11; i++)
		assert_true(seen[i] > 800 && seen[i] < 1200);
	assert_int_equal(rng_range(&r, 3, 3), 3);
	assert_int_equal(rng_range(&r, 9, 2), 9); /* hi < lo gives lo */
	for (int i = 0; i < 1000; i++) {
		int64_t v = rng_range(&r, INT64_MAX - 1, INT64_MAX);
		assert_true(v == INT64_MAX - 1 || v == INT64_MAX);
	}
}

static void test_unit_normal_weighted(void **state)
{
	struct rng r;
	double sum = 0, sq = 0;
	int counts[3] = { 0 };
	const double w[3] = { 1.0, 0.0, 3.0 };
	const double only_middle[3] = { 0.0, 2.0, 0.0 };
	const int n = 20000;
	(void)state;
	rng_seed(&r, 42);
	for (int i = 0; i < n; i++) {
		double u = rng_unit(&r);
		assert_true(u >= 0.0 && u < 1.0);
	}
	for (int i = 0; i < n; i++) {
		double z = rng_normal(&r);
		assert_true(isfinite(z));
		sum += z;
		sq += z * z;
	}
	assert_true(fabs(sum / n) < 0.05);
	assert_true(fabs(sq / n - 1.0) < 0.05);
	for (int i = 0; i < n; i++)
		counts[rng_weighted(&r, w, 3)]++;
	assert_int_equal(counts[1], 0);
	assert_true(counts[2] > 2.7 * counts[0] && counts[2] < 3.3 * counts[0]);
	for (int i = 0; i < 100; i++)
		assert_int_equal(rng_weighted(&r, only_middle, 3), 1);
}

/* rng_range(lo, hi) computes hi - lo in int64_t: for a span past INT64_MAX
 * (here the whole int64 range, which the code means to handle with its
 * "span ? ... : rng_next" branch) that is signed overflow, undefined
 * behaviour that UBSan aborts on. Kept last: under SAN=1 it stops the
 * binary. */
static void test_range_full_span(void **state)
{
	struct rng r;
	int neg = 0, pos = 0;
	(void)state;
	rng_seed(&r, 3);
	for (int i = 0; i < 1000; i++) {
		int64_t v = rng_range(&r, INT64_MIN, INT64_MAX);
		neg += v < 0;
		pos += v >= 0;
	}
	assert_true(neg > 400 && pos > 400);
	for (int i = 0; i < 1000; i++) {
		int64_t v = rng_range(&r, -10, INT64_MAX);
		assert_true(v >= -10);
	}
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_values),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_unit_normal_weighted),
		cmocka_unit_test(test_range_full_span),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
