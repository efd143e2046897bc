/* test_forecast_cli.c: the long-form CSV reader (src/base/csvlong.c) and the
 * "medsales forecast" command (src/cli/cmd_forecast.c): every bad-input case
 * of the contract gives its line number and exit status 2. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csvlong.h"
#include "cli/cli.h"

static int parse(const char *text, struct csvlong *c, struct csvlong_error *e)
{
	return csvlong_parse(text, strlen(text), c, e);
}

static void test_csv_good(void **st)
{
	struct csvlong c;
	struct csvlong_error e;
	const struct csvlong_series *s;

	(void)st;
	assert_int_equal(parse("\"id\",\"t\",\"value\"\r\n\"N1\",1,2.5\r\nB,3,\r\n\"N1\",2,NA\r\n"
			       "\"a,\"\"b\"\"\",7,-1e3\r\n\r\n",
			       &c, &e),
			 0);
	assert_int_equal(c.count, 3);
	s = csvlong_find(&c, "N1");
	assert_non_null(s);
	assert_int_equal(s->n, 2);
	assert_true(s->v[0] == 2.5 && isnan(s->v[1]));
	assert_int_equal(s->line[1], 4);
	s = csvlong_find(&c, "a,\"b\"");
	assert_non_null(s);
	assert_true(s->t[0] == 7 && s->v[0] == -1000);
	assert_null(csvlong_find(&c, "zz"));
	csvlong_free(&c);
	assert_int_equal(parse("id,t,value\n", &c, &e), 0);
	assert_int_equal(c.count, 0);
	csvlong_free(&c);
}

static void expect_error(const char *text, int line, const char *words)
{
	struct csvlong c;
	struct csvlong_error e;

	assert_int_equal(parse(text, &c, &e), -1);
	assert_int_equal(e.line, line);
	if (!strstr(e.msg, words))
		fail_msg("message '%s' lacks '%s'", e.msg, words);
}

static void test_csv_errors(void **st)
{
	(void)st;
	expect_error("", 1, "missing header");
	expect_error("N1,1,2\n", 1, "missing header");
	expect_error("id,t\nA,1\n", 1, "missing header");
	expect_error("id,t,value\nA,1,2\nA,2,abc\n", 3, "not a number");
	expect_error("id,t,value\nA,1,2\nA,x,3\n", 3, "not an integer");
	expect_error("id,t,value\nA,1,2\nA,1,3\n", 3, "duplicate t 1");
	expect_error("id,t,value\nA,1,2\nB,5,1\nA,3,3\nA,2,3\n", 5, "must increase");
	expect_error("id,t,value\nA,1,2,4\n", 2, "fields");
	expect_error("id,t,value\nA,1\n", 2, "fields");
	expect_error("id,t,value\n\"A,1,2\n", 2, "unterminated");
	expect_error("id,t,value\n,1,2\n", 2, "empty id");
	expect_error("id,t,value\nA,1,inf\n", 2, "not a number");
}

/* Runs cmd_forecast with stdout and stderr sent to files; returns the exit
 * status and the start of both outputs. */
static int run(const char *input, const char *holdout, const char *const *args, char *out,
	       size_t outlen, char *err, size_t errlen)
{
	char in_path[] = "/tmp/test_forecast_inXXXXXX", ho_path[] = "/tmp/test_forecast_hoXXXXXX";
	char out_path[] = "/tmp/test_forecast_outXXXXXX",
	     err_path[] = "/tmp/test_forecast_errXXXXXX";
	char *argv[16];
	int argc = 0, fi = mkstemp(in_path), fh = mkstemp(ho_path), fo = mkstemp(out_path),
	    fe = mkstemp(err_path), so, se, rc;
	FILE *fp;
	size_t n;

	assert_true(fi >= 0 && fh >= 0 && fo >= 0 && fe >= 0);
	assert_int_equal(write(fi, input, strlen(input)), (ssize_t)strlen(input));
	if (holdout)
		assert_int_equal(write(fh, holdout, strlen(holdout)), (ssize_t)strlen(holdout));
	close(fi);
	close(fh);
	argv[argc++] = (char *)"forecast";
	argv[argc++] = (char *)"--input";
	argv[argc++] = in_path;
	if (holdout) {
		argv[argc++] = (char *)"--holdout";
		argv[argc++] = ho_path;
	}
	for (int i = 0; args[i]; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = cmd_forecast(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	close(fo);
	close(fe);
	fp = fopen(out_path, "r");
	n = fread(out, 1, outlen - 1, fp);
	out[n] = '\0';
	fclose(fp);
	fp = fopen(err_path, "r");
	n = fread(err, 1, errlen - 1, fp);
	err[n] = '\0';
	fclose(fp);
	unlink(in_path);
	unlink(ho_path);
	unlink(out_path);
	unlink(err_path);
	return rc;
}

static const char series[] = "\"id\",\"t\",\"value\"\n"
			     "\"A\",1,10\n\"A\",2,12\n\"A\",3,11\n\"A\",4,13\n\"A\",5,12\n"
			     "B,1,5\nB,2,5\nB,3,5\n";

static void test_cli_forecast(void **st)
{
	static const char *const args[] = { "--horizon", "2", "--method", "naive", NULL };
	char out[4096], err[1024];

	(void)st;
	assert_int_equal(run(series, NULL, args, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* Naive: 12, sigma^2 = (4 + 1 + 4 + 1) / 4, so 12 -+ 1.28155 * 1.58114
	 * = 9.973689 and 14.026311 at step 1, times sqrt(2) at step 2. */
	assert_string_equal(out, "id,step,forecast,lo80,hi80,lo95,hi95\n"
				 "A,1,12,9.973689057,14.02631094,8.901024838,15.09897516\n"
				 "A,2,12,9.134363583,14.86563642,7.617387297,16.3826127\n"
				 "B,1,5,5,5,5,5\n"
				 "B,2,5,5,5,5,5\n");
}

static void test_cli_holdout(void **st)
{
	static const char *const args[] = { "--horizon=2", "--method=naive", NULL };
	char out[4096], err[1024];

	(void)st;
	assert_int_equal(run(series, "id,t,value\nA,6,14\nA,7,12\nB,4,5\n", args, out, sizeof(out),
			     err, sizeof(err)),
			 0);
	/* A: sMAPE (200 * 2 / 26 + 0) / 2, MASE 1 / 1.5 (in-sample MAE 6 / 4). */
	assert_string_equal(out, "id,smape,mase\nA,7.692308,0.666667\nB,0.000000,0.000000\n"
				 "mean,3.846154,0.333333\n");
	/* A series whose actual values are all missing is not scored. */
	assert_int_equal(run(series, "id,t,value\nA,6,14\nA,7,12\nB,4,NA\n", args, out, sizeof(out),
			     err, sizeof(err)),
			 0);
	assert_string_equal(out, "id,smape,mase\nA,7.692308,0.666667\nmean,7.692308,0.666667\n");
	assert_int_equal(
		run(series, "id,t,value\nA,9,14\n", args, out, sizeof(out), err, sizeof(err)), 2);
	assert_non_null(strstr(err, "line 2: t 9 of series 'A' is not within the horizon"));
	assert_int_equal(
		run(series, "id,t,value\nC,6,14\n", args, out, sizeof(out), err, sizeof(err)), 2);
	assert_non_null(strstr(err, "line 2: series 'C' is not in the input"));
}

/* --method pooled fits one model on all the series of the file: six series
 * of y_t = 0.5 y_{t-2} + 0.6 y_{t-1} teach it the recurrence, which then
 * continues each of them exactly; a series too short for a window of its
 * own is still forecast by the pooled model, and auto adds it as a member. */
static void test_cli_pooled(void **st)
{
	static const char *const pooled[] = { "--horizon", "2", "--method", "pooled", NULL };
	static const char *const autom[] = { "--horizon", "2", NULL };
	char in[8192], out[8192], err[1024], key[32];
	double y[6][17];
	size_t len = 0;

	(void)st;
	len += (size_t)snprintf(in + len, sizeof(in) - len, "id,t,value\n");
	for (int k = 0; k < 6; k++) {
		y[k][0] = 1 + k;
		y[k][1] = 10.0 / (k + 1);
		for (int t = 2; t < 17; t++)
			y[k][t] = 0.5 * y[k][t - 2] + 0.6 * y[k][t - 1];
		for (int t = 0; t < (k == 5 ? 3 : 15); t++)
			len += (size_t)snprintf(in + len, sizeof(in) - len, "P%d,%d,%.17g\n", k,
						t + 1, y[k][t]);
	}
	assert_int_equal(run(in, NULL, pooled, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	for (int k = 0; k < 6; k++) {
		int n = k == 5 ? 3 : 15;

		for (int j = 1; j <= 2; j++) {
			const char *line;

			snprintf(key, sizeof(key), "\nP%d,%d,", k, j);
			line = strstr(out, key);
			assert_non_null(line);
			assert_true(fabs(strtod(line + strlen(key), NULL) - y[k][n + j - 1]) <
				    1e-6 * y[k][n + j - 1]);
		}
	}
	assert_int_equal(run(in, NULL, autom, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_non_null(strstr(out, "\nP5,2,"));
}

static void expect_cli(const char *input, const char *const *args, int status, const char *msg)
{
	char out[4096], err[2048];

	assert_int_equal(run(input, NULL, args, out, sizeof(out), err, sizeof(err)), status);
	if (!strstr(err, msg))
		fail_msg("stderr '%s' lacks '%s'", err, msg);
}

static void test_cli_bad_input(void **st)
{
	static const char *const h2[] = { "--horizon", "2", NULL };
	static const char *const h0[] = { "--horizon", "0", NULL };
	static const char *const hx[] = { "--horizon", "x", NULL };
	static const char *const none[] = { NULL };
	static const char *const meth[] = { "--horizon", "2", "--method", "prophet", NULL };
	static const char *const freq[] = { "--horizon", "2", "--frequency", "0", NULL };

	(void)st;
	expect_cli("A,1,2\n", h2, 2, "medsales forecast: line 1: missing header");
	expect_cli("id,t,value\nA,1,2\nA,2,x\n", h2, 2, "medsales forecast: line 3: value 'x'");
	expect_cli("id,t,value\nA,1,2\nA,1,3\n", h2, 2, "medsales forecast: line 3: duplicate t");
	expect_cli("id,t,value\nA,2,2\nA,1,3\n", h2, 2, "medsales forecast: line 3: t 1 after t 2");
	expect_cli("id,t,value\nA,1,NA\nA,2,\n", h2, 2,
		   "medsales forecast: line 2: series 'A': series has no observed value");
	expect_cli(series, h0, 2, "--horizon must be an integer");
	expect_cli(series, hx, 2, "--horizon must be an integer");
	expect_cli(series, none, 2, "--horizon is required");
	expect_cli(series, meth, 2, "unknown method 'prophet'");
	expect_cli(series, freq, 2, "--frequency must be an integer");
}

static void test_cli_help(void **st)
{
	char *argv[] = { (char *)"forecast", (char *)"--help", NULL };
	char *noinput[] = { (char *)"forecast", (char *)"--horizon", (char *)"3", NULL };

	(void)st;
	assert_int_equal(cmd_forecast(2, argv), 0);
	assert_int_equal(cmd_forecast(3, noinput), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_good),      cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_cli_forecast),  cmocka_unit_test(test_cli_holdout),
		cmocka_unit_test(test_cli_bad_input), cmocka_unit_test(test_cli_help),
		cmocka_unit_test(test_cli_pooled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
