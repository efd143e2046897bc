/* forecast.c: the engine's entry point. Cleans the series (missing values),
 * handles constant series, dispatches to a method, falls back when a method
 * cannot apply and turns standard deviations into 80 % and 95 % normal
 * intervals. Pure: libc and libm only, no I/O, no globals that change. */
#include "domain/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[FORECAST_METHOD_COUNT] = {
	"auto",	  "ensemble", "ets", "theta", "otm",  "damped", "ses",	"holt", "naive",  "snaive",
	"naive2", "croston",  "sba", "tsb",   "mean", "arima",	"dotm", "ces",	"pooled",
};

static const forecast_fn methods[FORECAST_METHOD_COUNT] = {
	NULL,
	NULL,
	forecast_ets,
	forecast_theta,
	forecast_otm,
	forecast_damped,
	forecast_ses,
	forecast_holt,
	forecast_naive,
	forecast_snaive,
	forecast_naive2,
	forecast_croston,
	forecast_sba,
	forecast_tsb,
	forecast_mean,
	forecast_arima,
	forecast_dotm,
	forecast_ces,
	NULL,
};

const char *forecast_method_name(enum forecast_method method)
{
	return (unsigned)method < FORECAST_METHOD_COUNT ? names[method] : "?";
}

int forecast_method_parse(const char *s, enum forecast_method *out)
{
	for (int i = 0; i < FORECAST_METHOD_COUNT; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum forecast_method)i;
			return 0;
		}
	}
	return -1;
}

void forecast_fill_intervals(const double *mean, const double *sd, int h, struct forecast_result *r)
{
	for (int j = 0; j < h; j++) {
		r->mean[j] = mean[j];
		r->lo80[j] = mean[j] - FORECAST_Z80 * sd[j];
		r->hi80[j] = mean[j] + FORECAST_Z80 * sd[j];
		r->lo95[j] = mean[j] - FORECAST_Z95 * sd[j];
		r->hi95[j] = mean[j] + FORECAST_Z95 * sd[j];
	}
}

static int all_finite(const double *v, int h)
{
	for (int j = 0; j < h; j++)
		if (!isfinite(v[j]))
			return 0;
	return 1;
}

static int result_finite(const struct forecast_result *r, int h)
{
	return all_finite(r->mean, h) && all_finite(r->lo80, h) && all_finite(r->hi80, h) &&
	       all_finite(r->lo95, h) && all_finite(r->hi95, h);
}

/* Copies the observed part of y into x: leading missing values dropped,
 * inner gaps interpolated linearly, trailing ones carried forward. Returns
 * the length, 0 when nothing is observed. */
static int clean(const double *y, int n, double *x)
{
	int first = 0, len, prev = -1;

	while (first < n && isnan(y[first]))
		first++;
	len = n - first;
	for (int t = 0; t < len; t++) {
		x[t] = y[first + t];
		if (isnan(x[t]))
			continue;
		for (int g = prev + 1; g < t; g++)
			x[g] = x[prev] + (x[t] - x[prev]) * (g - prev) / (t - prev);
		prev = t;
	}
	for (int g = prev + 1; g < len; g++)
		x[g] = x[prev];
	return len;
}

/* One method into r; 0 or -1. */
static int apply(enum forecast_method method, const double *x, int n, int m, int h,
		 const struct forecast_pool *pool, double *sd, struct forecast_result *r)
{
	if (method == FORECAST_ENSEMBLE)
		return forecast_ensemble(x, n, m, h, pool, r);
	if (method == FORECAST_POOLED ? forecast_pooled(pool, x, n, h, r->mean, sd)
				      : methods[method](x, n, m, h, r->mean, sd))
		return -1;
	forecast_fill_intervals(r->mean, sd, h, r);
	return 0;
}

enum ms_err forecast_run(const double *y, int n, int m, int h, enum forecast_method method,
			 struct forecast_result *r, struct ms_error *e)
{
	return forecast_run_pooled(y, n, m, h, method, NULL, r, e);
}

enum ms_err forecast_run_pooled(const double *y, int n, int m, int h, enum forecast_method method,
				const struct forecast_pool *pool, struct forecast_result *r,
				struct ms_error *e)
{
	static const enum forecast_method fallbacks[] = { FORECAST_DAMPED, FORECAST_NAIVE,
							  FORECAST_MEAN };
	double *x, *sd, lo = HUGE_VAL, hi = -HUGE_VAL;
	int len, ok = -1;

	if (h < 1 || h > FORECAST_MAX_H)
		return ms_fail(e, MS_EINVAL, "invalid", "horizon", "horizon must be 1 to %d",
			       FORECAST_MAX_H);
	if (m < 1 || m > FORECAST_MAX_M)
		return ms_fail(e, MS_EINVAL, "invalid", "frequency", "frequency must be 1 to %d",
			       FORECAST_MAX_M);
	if (n < 0 || n > FORECAST_MAX_N)
		return ms_fail(e, MS_EINVAL, "too_long", "series",
			       "series must have at most %d points", FORECAST_MAX_N);
	if ((unsigned)method >= FORECAST_METHOD_COUNT)
		return ms_fail(e, MS_EINVAL, "invalid", "method", "unknown method");
	for (int t = 0; t < n; t++)
		if (isinf(y[t]))
			return ms_fail(e, MS_EINVAL, "invalid", "value", "value is not finite");
	x = malloc(sizeof(*x) * (size_t)(n > 0 ? n : 1));
	sd = malloc(sizeof(*sd) * (size_t)h);
	if (!x || !sd) {
		free(x);
		free(sd);
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	}
	len = clean(y, n, x);
	if (len == 0) {
		free(x);
		free(sd);
		return ms_fail(e, MS_EINVAL, "required", "value", "series has no observed value");
	}
	for (int t = 0; t < len; t++) {
		lo = x[t] < lo ? x[t] : lo;
		hi = x[t] > hi ? x[t] : hi;
	}
	if (method == FORECAST_AUTO)
		method = forecast_is_intermittent(x, len) ? FORECAST_SBA : FORECAST_ENSEMBLE;
	r->used = method;
	snprintf(r->model, sizeof(r->model), "%s", names[method]);
	if (lo == hi) {
		/* A constant series: every method forecasts it exactly. */
		for (int j = 0; j < h; j++)
			sd[j] = 0, r->mean[j] = lo;
		forecast_fill_intervals(r->mean, sd, h, r);
		ok = 0;
	} else {
		ok = apply(method, x, len, m, h, pool, sd, r);
		if (ok == 0 && !result_finite(r, h))
			ok = -1;
		for (int i = 0; ok && i < 3; i++) {
			if (fallbacks[i] == method)
				continue;
			r->used = fallbacks[i];
			snprintf(r->model, sizeof(r->model), "%s", names[fallbacks[i]]);
			ok = apply(fallbacks[i], x, len, m, h, pool, sd, r);
			if (ok == 0 && !result_finite(r, h))
				ok = -1;
		}
	}
	if (ok == 0 && lo >= 0) {
		/* Demand is never negative: neither are its bounds. */
		for (int j = 0; j < h; j++) {
			r->mean[j] = r->mean[j] < 0 ? 0 : r->mean[j];
			r->lo80[j] = r->lo80[j] < 0 ? 0 : r->lo80[j];
			r->lo95[j] = r->lo95[j] < 0 ? 0 : r->lo95[j];
		}
	}
	free(x);
	free(sd);
	if (ok)
		return ms_fail(e, MS_EINVAL, "invalid", "series",
			       "no method could forecast the series");
	return MS_OK;
}
