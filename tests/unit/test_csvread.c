/* test_csvread.c: the streaming CSV reader of src/base/csvread.c: fields,
 * quoting (RFC 4180), line numbers of rows, the byte-order mark, blank
 * lines, caps, malformed input and feeding in pieces of any size. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csvread.h"

/* Rows flattened to "line:index:f1|f2|...;" for comparison. */
struct rec {
	char out[4096];
	size_t len;
	int stop_at; /* stop at this row index, -1 never */
};

static void add(struct rec *r, const char *s)
{
	size_t n = strlen(s);
	if (r->len + n + 1 > sizeof(r->out))
		n = sizeof(r->out) - r->len - 1; /* long fields are cut */
	memcpy(r->out + r->len, s, n);
	r->len += n;
	r->out[r->len] = '\0';
}

static int record(void *cls, const struct csvread_row *row)
{
	struct rec *r = cls;
	char head[32];
	snprintf(head, sizeof(head), "%d:%d:", row->line, row->index);
	add(r, head);
	for (int i = 0; i < row->nfields; i++) {
		if (i)
			add(r, "|");
		add(r, row->fields[i]);
	}
	add(r, ";");
	return row->index == r->stop_at;
}

/* Feeds text in pieces of step bytes (0: all at once); returns the
 * reader's result and leaves the rows in r. */
static int run(const char *text, size_t len, size_t step, struct rec *r, char *err, int *line)
{
	struct csvread *c = csvread_new(record, r);
	int rc = 0;
	const char *msg;

	assert_non_null(c);
	r->len = 0;
	r->out[0] = '\0';
	for (size_t off = 0; off < len && !rc;) {
		size_t n = step && len - off > step ? step : len - off;
		rc = csvread_feed(c, text + off, n);
		off += n;
	}
	if (!rc)
		rc = csvread_finish(c);
	msg = csvread_error(c, line);
	if (err)
		snprintf(err, 160, "%s", msg ? msg : "");
	csvread_free(c);
	return rc;
}

static void expect_rows(const char *text, const char *want)
{
	size_t steps[] = { 0, 1, 2, 3, 7 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct rec r = { .stop_at = -1 };
		int line = 0;
		assert_int_equal(run(text, strlen(text), steps[i], &r, NULL, &line), 0);
		assert_string_equal(r.out, want);
	}
}

static void test_plain(void **state)
{
	(void)state;
	expect_rows("a,b,c\n1,2,3\n", "1:0:a|b|c;2:1:1|2|3;");
	/* CRLF, no final line end, empty fields */
	expect_rows("a,b\r\n,x\r\ny,", "1:0:a|b;2:1:|x;3:2:y|;");
	/* blank lines are skipped but counted */
	expect_rows("a\n\n\nb\n", "1:0:a;4:1:b;");
}

static void test_quotes(void **state)
{
	(void)state;
	expect_rows("\"a,b\",\"say \"\"hi\"\"\"\n", "1:0:a,b|say \"hi\";");
	/* a field over three lines: the row starts on line 2, the next on 5 */
	expect_rows("h\n\"one\ntwo\nthree\",x\nnext\n", "1:0:h;2:1:one\ntwo\nthree|x;5:2:next;");
	expect_rows("\"医院\",北京\n", "1:0:医院|北京;");
}

static void test_bom(void **state)
{
	(void)state;
	expect_rows("\xEF\xBB\xBFname,city\nx,y\n", "1:0:name|city;2:1:x|y;");
	/* only at the very start, and a partial one is text */
	expect_rows("a\n\xEF\xBB\xBF\n", "1:0:a;2:1:\xEF\xBB\xBF;");
	expect_rows("\xEF\xBBx\n", "1:0:\xEF\xBBx;");
}

static void test_malformed(void **state)
{
	struct rec r = { .stop_at = -1 };
	char err[160];
	int line = 0;
	(void)state;
	assert_int_equal(run("a\n\"open,b\n", 9, 0, &r, err, &line), -1);
	assert_int_equal(line, 2);
	assert_non_null(strstr(err, "malformed"));
	assert_int_equal(run("a\nb,\"x\"y\n", 9, 0, &r, err, &line), -1);
	assert_int_equal(line, 2);
	assert_string_equal(r.out, "1:0:a;");
}

static void test_caps(void **state)
{
	struct rec r = { .stop_at = -1 };
	char err[160], *big;
	int line = 0;
	size_t n = CSVREAD_MAX_FIELD + 1;
	(void)state;

	big = malloc(n + 16);
	assert_non_null(big);
	memcpy(big, "h\nok\n", 5);
	memset(big + 5, 'x', n);
	big[5 + n] = '\n';
	assert_int_equal(run(big, n + 6, 4096, &r, err, &line), -1);
	assert_int_equal(line, 3);
	assert_non_null(strstr(err, "longer than"));
	/* exactly the cap is fine */
	assert_int_equal(run(big, n + 5, 0, &r, err, &line), -1);
	big[4 + n] = '\n';
	assert_int_equal(run(big, n + 5, 0, &r, err, &line), 0);
	free(big);

	{
		char row[4 * CSVREAD_MAX_COLUMNS + 8];
		size_t k = 0;
		for (int i = 0; i <= CSVREAD_MAX_COLUMNS; i++)
			k += (size_t)snprintf(row + k, sizeof(row) - k, "%sx", i ? "," : "");
		row[k++] = '\n';
		assert_int_equal(run(row, k, 0, &r, err, &line), -1);
		assert_non_null(strstr(err, "more than"));
		assert_int_equal(line, 1);
	}
}

static void test_stop_and_nul(void **state)
{
	struct rec r = { .stop_at = 1 };
	char err[160];
	int line = 0;
	(void)state;
	assert_int_equal(run("a\nb\nc\n", 6, 0, &r, err, &line), -1);
	assert_string_equal(err, "stopped");
	assert_string_equal(r.out, "1:0:a;2:1:b;");
	/* a NUL byte inside a field keeps its true length */
	r.stop_at = -1;
	assert_int_equal(run("a\0b,c\n", 6, 0, &r, err, &line), 0);
	assert_string_equal(r.out, "1:0:a|c;");
}

static int lens_row(void *cls, const struct csvread_row *row)
{
	size_t *out = cls;
	out[0] = row->lens[0];
	out[1] = strlen(row->fields[0]);
	return 0;
}

static void test_lens(void **state)
{
	size_t got[2] = { 0, 0 };
	struct csvread *c = csvread_new(lens_row, got);
	(void)state;
	assert_int_equal(csvread_feed(c, "a\0b\n", 4), 0);
	assert_int_equal(csvread_finish(c), 0);
	assert_int_equal(got[0], 3);
	assert_int_equal(got[1], 1);
	assert_int_equal(csvread_offset(c), 4);
	csvread_free(c);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain), cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_bom),   cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_caps),  cmocka_unit_test(test_stop_and_nul),
		cmocka_unit_test(test_lens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
