/* test_parse.c: the range-checked parsers of src/base/parse.c: integers,
 * doubles, money in fen and UTF-8 validation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/parse.h"

static void test_int64_ok(void **state)
{
	int64_t v = 0;
	(void)state;
	assert_int_equal(parse_int64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int64("-17", -20, 0, &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(parse_int64("9223372036854775807", 0, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN, 0, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int64("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	/* Bounds are inclusive. */
	assert_int_equal(parse_int64("200", 1, 200, &v), 0);
	assert_int_equal(parse_int64("1", 1, 200, &v), 0);
}

static void test_int64_bad(void **state)
{
	static const char *const bad[] = { "",
					   "-",
					   "+5",
					   " 5",
					   "5 ",
					   "\t5",
					   "5x",
					   "0x10",
					   "1e3",
					   "1.0",
					   "abc",
					   "--5",
					   "5-",
					   "9223372036854775808",
					   "-9223372036854775809" };
	int64_t v = 1234;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_int64(bad[i], INT64_MIN, INT64_MAX, &v) == 0)
			fail_msg("parse_int64 accepted '%s'", bad[i]);
		assert_int_equal(v, 1234); /* untouched on failure */
	}
	assert_int_equal(parse_int64(NULL, 0, 1, &v), -1);
	assert_int_equal(parse_int64("201", 1, 200, &v), -1);
	assert_int_equal(parse_int64("0", 1, 200, &v), -1);
	assert_int_equal(parse_int64("-1", 0, 10000000, &v), -1);
	assert_int_equal(v, 1234);
}

/* strtoll skips every isspace() character, but the parser only refuses a
 * leading ' ' and '\t': "\n5" and "\r5" slip through as 5. */
static void test_int64_leading_whitespace(void **state)
{
	static const char *const bad[] = { "\n5", "\r5", "\v5", "\f5" };
	int64_t v = 1234;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_int64(bad[i], 0, 100, &v) == 0)
			fail_msg("parse_int64 accepted leading whitespace (case %zu) as %lld", i,
				 (long long)v);
	}
}

static void test_double(void **state)
{
	double d = -1;
	(void)state;
	assert_int_equal(parse_double("1.5", 0, 10, &d), 0);
	assert_float_equal(d, 1.5, 1e-12);
	assert_int_equal(parse_double("-0.25", -1, 0, &d), 0);
	assert_float_equal(d, -0.25, 1e-12);
	assert_int_equal(parse_double("1e2", 0, 1000, &d), 0);
	assert_float_equal(d, 100.0, 1e-12);
	d = 7;
	assert_int_equal(parse_double("", 0, 1, &d), -1);
	assert_int_equal(parse_double(" 1", 0, 10, &d), -1);
	assert_int_equal(parse_double("1 ", 0, 10, &d), -1);
	assert_int_equal(parse_double("nan", -1e300, 1e300, &d), -1);
	assert_int_equal(parse_double("inf", -1e300, 1e308, &d), -1);
	assert_int_equal(parse_double("1e999", -1e300, 1e308, &d), -1);
	assert_int_equal(parse_double("10.5", 0, 10, &d), -1);
	assert_int_equal(parse_double("abc", 0, 10, &d), -1);
	assert_int_equal(parse_double(NULL, 0, 10, &d), -1);
	assert_float_equal(d, 7, 0);
}

static void test_money_ok(void **state)
{
	static const struct {
		const char *s;
		int64_t fen;
	} ok[] = {
		{ "12", 1200 },
		{ "12.3", 1230 },
		{ "12.34", 1234 },
		{ "-5.00", -500 },
		{ "0", 0 },
		{ "0.01", 1 },
		{ "-0.5", -50 },
		{ "0.10", 10 },
		{ "007.5", 750 },
		{ "-0", 0 },
		{ "1000000", 100000000 },
		{ "92233720368547749", INT64_C(9223372036854774900) },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v = -999;
		if (parse_money_fen(ok[i].s, &v))
			fail_msg("parse_money_fen refused '%s'", ok[i].s);
		if (v != ok[i].fen)
			fail_msg("parse_money_fen('%s') = %lld, want %lld", ok[i].s, (long long)v,
				 (long long)ok[i].fen);
	}
}

static void test_money_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"-",
		".",
		".5",
		"-.5",
		"12.",
		"1.234",
		"1.2.3",
		"+5",
		" 5",
		"5 ",
		"1,000",
		"1e3",
		"abc",
		"--1",
		"¥5",
		"5元",
		"0x10",
		"1 000",
		"12.3a",
		"99999999999999999999",
		"92233720368547760",
	};
	int64_t v = 4242;
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_money_fen(bad[i], &v) == 0)
			fail_msg("parse_money_fen accepted '%s' as %lld", bad[i], (long long)v);
		assert_int_equal(v, 4242);
	}
	assert_int_equal(parse_money_fen(NULL, &v), -1);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid("", 0), 1);
	assert_int_equal(utf8_valid("hello", 5), 1);
	assert_int_equal(utf8_valid("上海", 6), 1);
	assert_int_equal(utf8_valid("\xc3\xa9", 2), 1);		/* é */
	assert_int_equal(utf8_valid("\xf0\x9f\x98\x80", 4), 1); /* U+1F600 */
	assert_int_equal(utf8_valid("\xf4\x8f\xbf\xbf", 4), 1); /* U+10FFFF */
	assert_int_equal(utf8_valid("\xef\xbf\xbf", 3), 1);	/* U+FFFF */
	assert_int_equal(utf8_valid("\xed\x9f\xbf", 3), 1);	/* U+D7FF */
	/* n bounds the check: the byte after n is not read. */
	assert_int_equal(utf8_valid("ab\xff", 2), 1);

	assert_int_equal(utf8_valid("a\0b", 3), 0); /* NUL */
	assert_int_equal(utf8_valid("\x80", 1), 0); /* lone continuation */
	assert_int_equal(utf8_valid("\xff", 1), 0);
	assert_int_equal(utf8_valid("\xfe", 1), 0);
	assert_int_equal(utf8_valid("\xc0\x80", 2), 0);		/* overlong NUL */
	assert_int_equal(utf8_valid("\xc1\xbf", 2), 0);		/* overlong */
	assert_int_equal(utf8_valid("\xe0\x80\xaf", 3), 0);	/* overlong '/' */
	assert_int_equal(utf8_valid("\xf0\x8f\xbf\xbf", 4), 0); /* overlong */
	assert_int_equal(utf8_valid("\xed\xa0\x80", 3), 0);	/* surrogate D800 */
	assert_int_equal(utf8_valid("\xed\xbf\xbf", 3), 0);	/* surrogate DFFF */
	assert_int_equal(utf8_valid("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
	assert_int_equal(utf8_valid("\xf5\x80\x80\x80", 4), 0);
	assert_int_equal(utf8_valid("\xf8\x88\x80\x80\x80", 5), 0); /* 5-byte form */
	assert_int_equal(utf8_valid("\xe4\xb8", 2), 0);		    /* truncated */
	assert_int_equal(utf8_valid("上海", 5), 0);		    /* cut mid-char */
	assert_int_equal(utf8_valid("\xe4\x41\xad", 3), 0);	    /* bad continuation */
}

static void test_utf8_noncharacter(void **state)
{
	static const unsigned yes[] = { 0xFDD0,	 0xFDE7,  0xFDEF,  0xFFFE,   0xFFFF,  0x1FFFE,
					0x1FFFF, 0x2FFFE, 0xEFFFF, 0x10FFFE, 0x10FFFF };
	static const unsigned no[] = { 0x41,   0xFDCF,	0xFDF0,	 0xFFFD,  0xFFFC,
				       0xE000, 0x1FFFD, 0x1FFEF, 0x20000, 0xFEFF };
	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!utf8_noncharacter(yes[i]))
			fail_msg("U+%04X is a noncharacter", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (utf8_noncharacter(no[i]))
			fail_msg("U+%04X is not a noncharacter", no[i]);
}

/* The bytes are Python's chr(cp).encode(). */
static void test_utf8_text_fault(void **state)
{
	static const struct {
		const char *s;
		enum utf8_fault want;
	} cases[] = {
		{ "", UTF8_OK },
		{ "上海 协和", UTF8_OK },
		{ "a\tb\nc\rd", UTF8_OK },	 /* XML 1.0 allows tab, LF, CR */
		{ "\x7f", UTF8_OK },		 /* DEL: an XML Char */
		{ "\xc2\x85", UTF8_OK },	 /* U+0085: an XML Char */
		{ "\xef\xbf\xbd", UTF8_OK },	 /* U+FFFD */
		{ "\xef\xb7\x8f", UTF8_OK },	 /* U+FDCF */
		{ "\xef\xb7\xb0", UTF8_OK },	 /* U+FDF0 */
		{ "\xf0\x9f\xbf\xbd", UTF8_OK }, /* U+1FFFD */
		{ "\xee\x80\x80", UTF8_OK },	 /* U+E000 */
		{ "a\x01", UTF8_CONTROL },
		{ "\x1b[31m", UTF8_CONTROL },
		{ "\x0b", UTF8_CONTROL }, /* vertical tab */
		{ "\x0c", UTF8_CONTROL }, /* form feed */
		{ "\x1f", UTF8_CONTROL },
		{ "a\xef\xbf\xbe", UTF8_NONCHARACTER },	   /* U+FFFE */
		{ "\xef\xbf\xbf", UTF8_NONCHARACTER },	   /* U+FFFF */
		{ "\xef\xb7\x90", UTF8_NONCHARACTER },	   /* U+FDD0 */
		{ "\xef\xb7\xaf", UTF8_NONCHARACTER },	   /* U+FDEF */
		{ "\xf0\x9f\xbf\xbe", UTF8_NONCHARACTER }, /* U+1FFFE */
		{ "\xf0\x9f\xbf\xbf", UTF8_NONCHARACTER }, /* U+1FFFF */
		{ "\xf0\xaf\xbf\xbe", UTF8_NONCHARACTER }, /* U+2FFFE */
		{ "\xf4\x8f\xbf\xbe", UTF8_NONCHARACTER }, /* U+10FFFE */
		{ "\xf4\x8f\xbf\xbf", UTF8_NONCHARACTER }, /* U+10FFFF */
		{ "a\xff", UTF8_MALFORMED },
		{ "\xed\xa0\x80", UTF8_MALFORMED }, /* surrogate */
		{ "\xc0\x80", UTF8_MALFORMED },	    /* overlong NUL */
		{ "\xe4\xb8", UTF8_MALFORMED },	    /* truncated */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum utf8_fault got = utf8_text_fault(cases[i].s, strlen(cases[i].s));
		if (got != cases[i].want)
			fail_msg("case %zu: fault %d, want %d", i, (int)got, (int)cases[i].want);
	}
	assert_int_equal(utf8_text_fault("a\0b", 3), UTF8_MALFORMED); /* NUL */
	/* n bounds the check. */
	assert_int_equal(utf8_text_fault("ab\x01", 2), UTF8_OK);
	assert_int_equal(utf8_text_fault("ab\xef\xbf\xbe", 2), UTF8_OK);
}

static void test_utf8_scrub(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "上海 a\tb\nc\rd", "上海 a\tb\nc\rd" },
		{ "a\xef\xbf\xbe", "a\xef\xbf\xbd" },	/* U+FFFE */
		{ "\xef\xbf\xbfz", "\xef\xbf\xbdz" },	/* U+FFFF */
		{ "\xef\xb7\x90", "\xef\xbf\xbd" },	/* U+FDD0 */
		{ "\xf4\x8f\xbf\xbf", "\xef\xbf\xbd" }, /* U+10FFFF */
		{ "a\x01"
		  "b",
		  "a\xef\xbf\xbd"
		  "b" },						    /* control */
		{ "\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd" },		    /* a byte each */
		{ "\xe4\xb8", "\xef\xbf\xbd\xef\xbf\xbd" },		    /* truncated */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },		    /* U+1F600 */
	};
	char out[64];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = utf8_scrub(cases[i].in, strlen(cases[i].in), out);
		assert_string_equal(out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
		assert_int_equal(utf8_text_fault(out, n), UTF8_OK);
	}
	/* NUL inside: replaced, as the worst case of 3 bytes a byte. */
	assert_int_equal(utf8_scrub("a\0b", 3, out), 5);
	assert_memory_equal(out,
			    "a\xef\xbf\xbd"
			    "b",
			    6);
}

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(""), 0);
	assert_int_equal(utf8_length("abc"), 3);
	assert_int_equal(utf8_length("上海abc"), 5);
	assert_int_equal(utf8_length("a\xf0\x9f\x98\x80z"), 3);
}

/* An argument runs only the tests whose names match it ("test_throttle*"). */
int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int64_ok),
		cmocka_unit_test(test_int64_bad),
		cmocka_unit_test(test_int64_leading_whitespace),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_money_ok),
		cmocka_unit_test(test_money_bad),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_noncharacter),
		cmocka_unit_test(test_utf8_text_fault),
		cmocka_unit_test(test_utf8_scrub),
		cmocka_unit_test(test_utf8_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
