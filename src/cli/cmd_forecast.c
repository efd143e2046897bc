/* cmd_forecast.c: "medsales forecast", the command-line face of the
 * forecast engine (issue 5). Wiring only: reads long-form CSV files with
 * base/csvlong, forecasts each series with domain/forecast and writes CSV.
 * The contract is in docs/forecast.md; other tools depend on it. */
#include "cli/cli.h"
#include "base/csvlong.h"
#include "base/parse.h"
#include "domain/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_BYTES ((size_t)1 << 30)

static const char usage[] =
	"usage: medsales forecast --input FILE --horizon H [--frequency F]\n"
	"                         [--method METHOD] [--holdout FILE]\n"
	"\n"
	"Forecasts every series of FILE, a CSV with header id,t,value (t an\n"
	"increasing integer within each series; an empty value or NA is missing;\n"
	"FILE - is standard input), H steps ahead, and writes the CSV\n"
	"id,step,forecast,lo80,hi80,lo95,hi95 (80 % and 95 % prediction intervals).\n"
	"\n"
	"  --frequency F  seasonal period: 12 monthly, 4 quarterly, 7 daily with a\n"
	"                 weekly cycle; default 1, no seasonality\n"
	"  --method M     auto (default), ensemble, ets, arima, theta, otm, dotm,\n"
	"                 ces, damped, ses, holt, naive, snaive, naive2, croston,\n"
	"                 sba, tsb, mean, pooled (one model fitted across all the\n"
	"                 series of FILE; auto and ensemble add it as a member)\n"
	"  --holdout FILE actual future values in the same form: prints instead\n"
	"                 id,smape,mase per series and a last row mean,SMAPE,MASE\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 bad usage or bad input.\n";

struct opts {
	const char *input, *holdout;
	int h, m;
	enum forecast_method method;
};

/* "medsales forecast: WHAT 'ARG'" and the usage on standard error. */
static int bad_usage(const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, "medsales forecast: %s '%s'\n%s", what, arg, usage);
	else
		fprintf(stderr, "medsales forecast: %s\n%s", what, usage);
	return 2;
}

/* Returns 0, or the exit status when the command should stop (help: -1). */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int64_t v;

	o->input = o->holdout = NULL;
	o->h = 0;
	o->m = 1;
	o->method = FORECAST_AUTO;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val, *eq;
		char name[32];
		size_t nl;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return -1;
		if (strncmp(a, "--", 2) != 0)
			return bad_usage("unexpected argument", a);
		eq = strchr(a, '=');
		nl = eq ? (size_t)(eq - a) : strlen(a);
		if (nl >= sizeof(name))
			return bad_usage("unknown option", a);
		memcpy(name, a, nl);
		name[nl] = '\0';
		if (eq) {
			val = eq + 1;
		} else {
			if (i + 1 >= argc)
				return bad_usage("missing value of option", a);
			val = argv[++i];
		}
		if (strcmp(name, "--input") == 0) {
			o->input = val;
		} else if (strcmp(name, "--holdout") == 0) {
			o->holdout = val;
		} else if (strcmp(name, "--horizon") == 0) {
			if (parse_int64(val, 1, FORECAST_MAX_H, &v))
				return bad_usage(
					"--horizon must be an integer from 1 to 10000, not", val);
			o->h = (int)v;
		} else if (strcmp(name, "--frequency") == 0) {
			if (parse_int64(val, 1, FORECAST_MAX_M, &v))
				return bad_usage(
					"--frequency must be an integer from 1 to 400, not", val);
			o->m = (int)v;
		} else if (strcmp(name, "--method") == 0) {
			if (forecast_method_parse(val, &o->method))
				return bad_usage("unknown method", val);
		} else {
			return bad_usage("unknown option", name);
		}
	}
	if (!o->input)
		return bad_usage("--input is required", NULL);
	if (!o->h)
		return bad_usage("--horizon is required", NULL);
	return 0;
}

/* Reads a whole file ("-": standard input) into a malloc'd buffer. */
static int slurp(const char *path, char **buf, size_t *len)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b = NULL;

	if (!fp) {
		fprintf(stderr, "medsales forecast: cannot open '%s'\n", path);
		return 1;
	}
	for (;;) {
		size_t got;

		if (!b || n == cap) {
			char *nb;

			if (b)
				cap *= 2;
			nb = cap <= MAX_FILE_BYTES ? realloc(b, cap) : NULL;
			if (!nb) {
				fprintf(stderr, "medsales forecast: '%s' is too large\n", path);
				free(b);
				if (fp != stdin)
					fclose(fp);
				return 1;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "medsales forecast: cannot read '%s'\n", path);
		free(b);
		if (fp != stdin)
			fclose(fp);
		return 1;
	}
	if (fp != stdin)
		fclose(fp);
	*buf = b;
	*len = n;
	return 0;
}

static int load(const char *path, struct csvlong *c)
{
	struct csvlong_error err;
	char *buf;
	size_t len;
	int rc = slurp(path, &buf, &len);

	if (rc)
		return rc;
	rc = csvlong_parse(buf, len, c, &err);
	free(buf);
	if (rc == 0)
		return 0;
	if (err.line)
		fprintf(stderr, "medsales forecast: line %d: %s (%s)\n", err.line, err.msg, path);
	else
		fprintf(stderr, "medsales forecast: %s: %s\n", path, err.msg);
	return err.line ? 2 : 1;
}

static void put_id(FILE *out, const char *id)
{
	if (!strpbrk(id, ",\"\r\n") && id[0] != ' ' && id[strlen(id) - 1] != ' ') {
		fputs(id, out);
		return;
	}
	fputc('"', out);
	for (const char *p = id; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/* Numbers print with %.10g; + 0.0 turns a negative zero into zero. */
static void put_num(FILE *out, double v)
{
	fprintf(out, ",%.10g", v + 0.0);
}

/* Dense values from the first to the last t; gaps become missing. */
static double *dense(const struct csvlong_series *s, int *n, const char *path)
{
	int64_t span = s->t[s->n - 1] - s->t[0] + 1;
	double *y;

	if (span > FORECAST_MAX_N) {
		fprintf(stderr,
			"medsales forecast: line %d: series '%s' spans more than %d periods (%s)\n",
			s->line[s->n - 1], s->id, FORECAST_MAX_N, path);
		return NULL;
	}
	y = malloc(sizeof(*y) * (size_t)span);
	if (!y) {
		fprintf(stderr, "medsales forecast: out of memory\n");
		return NULL;
	}
	for (int64_t i = 0; i < span; i++)
		y[i] = NAN;
	for (int i = 0; i < s->n; i++)
		y[s->t[i] - s->t[0]] = s->v[i];
	*n = (int)span;
	return y;
}

/* The holdout's actual values of series s into act[0..h), NAN elsewhere. */
static int actuals(const struct csvlong_series *s, const struct csvlong_series *hs, int h,
		   double *act, const char *path)
{
	int64_t last = s->t[s->n - 1];

	for (int j = 0; j < h; j++)
		act[j] = NAN;
	for (int i = 0; i < hs->n; i++) {
		int64_t step = hs->t[i] - last;

		if (step < 1 || step > h) {
			fprintf(stderr,
				"medsales forecast: line %d: t %lld of series '%s' is not within "
				"the "
				"horizon %lld..%lld (%s)\n",
				hs->line[i], (long long)hs->t[i], hs->id, (long long)last + 1,
				(long long)last + h, path);
			return 2;
		}
		act[step - 1] = hs->v[i];
	}
	return 0;
}

/* 1 when some actual value is not missing: only those series are scored. */
static int observed(const double *act, int h)
{
	for (int j = 0; j < h; j++)
		if (!isnan(act[j]))
			return 1;
	return 0;
}

static int run(const struct opts *o, const struct csvlong *in, const struct csvlong *ho, FILE *out)
{
	double *buf = malloc(sizeof(double) * (size_t)o->h * 6), smape_sum = 0, mase_sum = 0;
	double **ys = calloc((size_t)in->count + 1, sizeof(*ys));
	int *ns = calloc((size_t)in->count + 1, sizeof(*ns));
	struct forecast_result r;
	struct forecast_pool pool;
	const struct forecast_pool *pp = NULL;
	int rc = 0, scored = 0;

	if (!buf || !ys || !ns) {
		fprintf(stderr, "medsales forecast: out of memory\n");
		free(buf);
		free(ys);
		free(ns);
		return 1;
	}
	for (int k = 0; k < in->count; k++)
		if (!(ys[k] = dense(&in->s[k], &ns[k], o->input))) {
			rc = 2;
			goto done;
		}
	/* The pooled model learns from every input series at once. */
	if ((o->method == FORECAST_AUTO || o->method == FORECAST_ENSEMBLE ||
	     o->method == FORECAST_POOLED) &&
	    forecast_pool_fit((const double *const *)ys, ns, in->count, o->m, o->h, &pool) == 0)
		pp = &pool;
	r.mean = buf;
	r.lo80 = buf + o->h;
	r.hi80 = buf + 2 * o->h;
	r.lo95 = buf + 3 * o->h;
	r.hi95 = buf + 4 * o->h;
	if (ho) {
		for (int k = 0; k < ho->count; k++) {
			if (!csvlong_find(in, ho->s[k].id)) {
				fprintf(stderr,
					"medsales forecast: line %d: series '%s' is not in the "
					"input "
					"(%s)\n",
					ho->s[k].line[0], ho->s[k].id, o->holdout);
				rc = 2;
				goto done;
			}
		}
		fputs("id,smape,mase\n", out);
	} else {
		fputs("id,step,forecast,lo80,hi80,lo95,hi95\n", out);
	}
	for (int k = 0; k < in->count && rc == 0; k++) {
		const struct csvlong_series *s = &in->s[k], *hs = NULL;
		struct ms_error e = MS_ERROR_INIT;
		double *y = ys[k];
		int n = ns[k];

		if (ho && !(hs = csvlong_find(ho, s->id)))
			continue;
		if (forecast_run_pooled(y, n, o->m, o->h, o->method, pp, &r, &e) != MS_OK) {
			fprintf(stderr, "medsales forecast: line %d: series '%s': %s (%s)\n",
				s->line[0], s->id, e.message, o->input);
			rc = e.err == MS_EINVAL ? 2 : 1;
		} else if (hs) {
			double *act = buf + 5 * o->h, sm, ms;

			rc = actuals(s, hs, o->h, act, o->holdout);
			if (rc == 0 && observed(act, o->h)) {
				sm = forecast_smape(act, r.mean, o->h);
				ms = forecast_mase(y, n, o->m, act, r.mean, o->h);
				smape_sum += sm;
				mase_sum += ms;
				scored++;
				put_id(out, s->id);
				fprintf(out, ",%.6f,%.6f\n", sm, ms);
			}
		} else {
			for (int j = 0; j < o->h; j++) {
				put_id(out, s->id);
				fprintf(out, ",%d", j + 1);
				put_num(out, r.mean[j]);
				put_num(out, r.lo80[j]);
				put_num(out, r.hi80[j]);
				put_num(out, r.lo95[j]);
				put_num(out, r.hi95[j]);
				fputc('\n', out);
			}
		}
	}
	if (rc == 0 && ho)
		fprintf(out, "mean,%.6f,%.6f\n", scored ? smape_sum / scored : 0.0,
			scored ? mase_sum / scored : 0.0);
done:
	if (pp)
		forecast_pool_free(&pool);
	for (int k = 0; k < in->count; k++)
		free(ys[k]);
	free(ys);
	free(ns);
	free(buf);
	return rc;
}

int cmd_forecast(int argc, char **argv)
{
	struct opts o;
	struct csvlong in, ho;
	int rc = parse_args(argc, argv, &o);

	if (rc < 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (rc)
		return rc;
	rc = load(o.input, &in);
	if (rc)
		return rc;
	if (o.holdout) {
		rc = load(o.holdout, &ho);
		if (rc) {
			csvlong_free(&in);
			return rc;
		}
	}
	rc = run(&o, &in, o.holdout ? &ho : NULL, stdout);
	csvlong_free(&in);
	if (o.holdout)
		csvlong_free(&ho);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "medsales forecast: cannot write the output\n");
		return 1;
	}
	return rc;
}
