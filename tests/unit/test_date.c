/* test_date.c: calendar dates and instants of src/base/date.c: parsing,
 * formatting, leap days, the year limits, weekdays and the business time
 * zone (UTC+8). Expected day numbers were computed independently (Python's
 * datetime). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/date.h"

static void test_from_to_ymd(void **state)
{
	static const struct {
		int y, m, d;
		int32_t days;
		int wd;
	} k[] = {
		{ 1970, 1, 1, 0, 4 },	    { 1969, 12, 31, -1, 3 },   { 2000, 3, 1, 11017, 3 },
		{ 2026, 11, 26, 20783, 4 }, { 1900, 1, 1, -25567, 1 }, { 2200, 12, 31, 84370, 3 },
		{ 2024, 2, 29, 19782, 4 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		int y, m, d;
		assert_int_equal(date_from_ymd(k[i].y, k[i].m, k[i].d), k[i].days);
		date_to_ymd(k[i].days, &y, &m, &d);
		assert_int_equal(y, k[i].y);
		assert_int_equal(m, k[i].m);
		assert_int_equal(d, k[i].d);
		assert_int_equal(date_weekday(k[i].days), k[i].wd);
	}
}

/* Every day from 1900-01-01 to 2200-12-31: consecutive numbers, text round
 * trip, weekday cycling. */
static void test_every_day(void **state)
{
	int32_t first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2200, 12, 31);
	int y = 1900, m = 1, d = 1, wd = 1;
	(void)state;
	for (int32_t n = first; n <= last; n++) {
		char buf[11], want[16];
		int32_t back = 0;
		int yy, mm, dd;
		date_to_ymd(n, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %d: got %d-%d-%d, want %d-%d-%d", n, yy, mm, dd, y, m, d);
		date_format(n, buf);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		assert_string_equal(buf, want);
		assert_int_equal(date_parse(buf, &back), 0);
		assert_int_equal(back, n);
		assert_int_equal(date_weekday(n), wd);
		wd = wd % 7 + 1;
		if (++d > date_days_in_month(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(y, 2201);
}

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2023, 2), 28);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2026, 4), 30);
	assert_int_equal(date_days_in_month(2026, 12), 31);
	assert_int_equal(date_days_in_month(2026, 1), 31);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",	      "2026-1-01",   "2026-01-1",   "26-01-01",
		"2026/01/01", "2026-01-01x", " 2026-01-01", "2026-01-01 ",
		"2026-13-01", "2026-00-10",  "2026-01-00",  "2026-01-32",
		"2026-04-31", "2023-02-29",  "1900-02-29",  "2100-02-29",
		"1899-12-31", "2201-01-01",  "0000-01-01",  "9999-12-31",
		"2026-02-3a", "2026-0a-01",  "+026-01-01",  "2026-01-01T00:00:00",
	};
	int32_t d = 777;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (date_parse(bad[i], &d) == 0)
			fail_msg("date_parse accepted '%s'", bad[i]);
	}
	assert_int_equal(date_parse(NULL, &d), -1);
	assert_int_equal(d, 777);
}

static void test_parse_edges(void **state)
{
	int32_t d;
	(void)state;
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(d, 19782);
	assert_int_equal(date_parse("2000-02-29", &d), 0);
	assert_int_equal(d, date_from_ymd(2000, 2, 29));
	assert_int_equal(date_parse("1900-01-01", &d), 0);
	assert_int_equal(d, -25567);
	assert_int_equal(date_parse("2200-12-31", &d), 0);
	assert_int_equal(d, 84370);
	assert_int_equal(date_parse("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
}

static void test_instant_parse(void **state)
{
	int64_t t = 5;
	(void)state;
	assert_int_equal(date_parse_instant("1970-01-01T08:00:00+08:00", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(date_parse_instant("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(date_parse_instant("1970-01-01T08:00:00", &t), 0); /* Shanghai */
	assert_int_equal(t, 0);
	assert_int_equal(date_parse_instant("1970-01-01 08:00:01", &t), 0);
	assert_int_equal(t, 1);
	assert_int_equal(date_parse_instant("2026-11-26T19:14:30+08:00", &t), 0);
	assert_int_equal(t, 1795691670);
	assert_int_equal(date_parse_instant("2026-11-26T11:14:30Z", &t), 0);
	assert_int_equal(t, 1795691670);
	assert_int_equal(date_parse_instant("2026-11-26T06:14:30-05:00", &t), 0);
	assert_int_equal(t, 1795691670);
	assert_int_equal(date_parse_instant("2026-11-26T11:14:30.999Z", &t), 0);
	assert_int_equal(t, 1795691670);
	assert_int_equal(date_parse_instant("2026-11-26T16:44:30+05:30", &t), 0);
	assert_int_equal(t, 1795691670);
	/* Before the epoch. */
	assert_int_equal(date_parse_instant("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
}

static void test_instant_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"2026-11-26",
		"2026-11-26T24:00:00Z",
		"2026-11-26T23:60:00Z",
		"2026-11-26T23:59:60Z",
		"2026-11-26T1:00:00Z",
		"2026-11-26X10:00:00Z",
		"2026-11-26T10:00:00+15:00",
		"2026-11-26T10:00:00+08:60",
		"2026-11-26T10:00:00+0800",
		"2026-11-26T10:00:00+08:00x",
		"2026-11-26T10:00:00z",
		"2026-11-26T10:00:00.Z",
		"2026-11-26T10:00:00 ",
		"2026-02-30T10:00:00Z",
		"1899-12-31T23:59:59Z",
	};
	int64_t t = 99;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (date_parse_instant(bad[i], &t) == 0)
			fail_msg("date_parse_instant accepted '%s'", bad[i]);
	}
	assert_int_equal(date_parse_instant(NULL, &t), -1);
	assert_int_equal(t, 99);
}

static void test_instant_format(void **state)
{
	char buf[26];
	int64_t back;
	(void)state;
	date_format_instant(0, buf);
	assert_string_equal(buf, "1970-01-01T08:00:00+08:00");
	date_format_instant(1795691670, buf);
	assert_string_equal(buf, "2026-11-26T19:14:30+08:00");
	date_format_instant(-28801, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59+08:00");
	date_format_instant(-1, buf);
	assert_string_equal(buf, "1970-01-01T07:59:59+08:00");
	/* 2024-02-29T23:59:59+08:00 and the second after it. */
	assert_int_equal(date_parse_instant("2024-02-29T23:59:59+08:00", &back), 0);
	date_format_instant(back + 1, buf);
	assert_string_equal(buf, "2024-03-01T00:00:00+08:00");
	for (int64_t t = -100000; t < 5000000000LL; t += 86399 * 37 + 13) {
		date_format_instant(t, buf);
		assert_int_equal(strlen(buf), 25);
		assert_int_equal(date_parse_instant(buf, &back), 0);
		assert_true(back == t);
	}
}

static void test_date_of_instant(void **state)
{
	(void)state;
	/* 16:00 UTC is midnight in Shanghai. */
	assert_int_equal(date_of_instant(0), 0);
	assert_int_equal(date_of_instant(57599), 0);
	assert_int_equal(date_of_instant(57600), 1);
	assert_int_equal(date_of_instant(-28800), 0);
	assert_int_equal(date_of_instant(-28801), -1);
	assert_int_equal(date_of_instant(-28800 - 86400), -1);
	assert_int_equal(date_of_instant(-28801 - 86400), -2);
	assert_int_equal(date_of_instant(1795691670), 20783);
	assert_true(date_now() > 1700000000);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_to_ymd),	  cmocka_unit_test(test_every_day),
		cmocka_unit_test(test_days_in_month),	  cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_edges),	  cmocka_unit_test(test_instant_parse),
		cmocka_unit_test(test_instant_parse_bad), cmocka_unit_test(test_instant_format),
		cmocka_unit_test(test_date_of_instant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
