/* forecast_combine.c: the combination forecast, the mean of ETS (selected
 * by AICc), theta, ARIMA (selected by the stepwise AICc search), dynamic
 * optimised theta, complex exponential smoothing and, when the input has
 * enough series to fit it, the pooled linear autoregression: combinations
 * beat every single method in M3 and M4 (Makridakis et al. 2020; DOTM and
 * CES as in Petropoulos and Svetunkov's SCUM, 2020; a model pooled across
 * series as in Montero-Manso and Hyndman 2021). The members and
 * the design of the intervals were chosen on the M3 validation split
 * (docs/forecast.md).
 *
 * Intervals: the members' normal predictive distributions are pooled as an
 * equally weighted mixture, whose variance is the mean member variance plus
 * the variance of the member means (the disagreement between models); then
 * they are widened by the series' own out-of-sample errors: the whole
 * combination is refitted without the last hh = min(h, n/2) points, and
 * when its errors there are larger than the mixture predicted (mean squared
 * standardised error k2 > 1), every variance is multiplied by k2 (that
 * refit leaves the pooled member out: it was fitted on those points). Never
 * narrowed: one origin is too noisy to trust a factor below 1. Pure: libc
 * and libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMBERS 6
#define CAL_MIN_N 6 /* points left to fit when holding out hh */

static int finite_all(const double *v, int h)
{
	for (int j = 0; j < h; j++)
		if (!isfinite(v[j]))
			return 0;
	return 1;
}

/* The ETS fit reproduces the history to 1e-8: nothing to combine with. */
static int exact_fit(const struct forecast_ets *f, const double *y, int n)
{
	double sabs = 0;

	for (int t = 0; t < n; t++)
		sabs += fabs(y[t]);
	if (f->error == FORECAST_ETS_M)
		return sqrt(f->sse / n) <= 1e-8;
	return sqrt(f->sse / n) <= 1e-8 * sabs / n;
}

static int nonnegative(const double *y, int n)
{
	for (int t = 0; t < n; t++)
		if (y[t] < 0)
			return 0;
	return 1;
}

/* The combination's mean[0..h) and mixture variance var[0..h); the model
 * name into name (may be NULL). Returns the members that succeeded (0: none)
 * or -1 when ETS fits exactly (then mean and var are ETS's alone). */
static int combine(const double *y, int n, int m, int h, const struct forecast_pool *pool,
		   double *mean, double *var, char *name, int len)
{
	static const forecast_fn others[MEMBERS - 1] = { NULL, forecast_theta, forecast_arima,
							 forecast_dotm, forecast_ces };
	static const char *const names[MEMBERS] = { "",	     ",theta", ",arima",
						    ",dotm", ",ces",   ",pooled" };
	double *buf = malloc(sizeof(double) * (size_t)h * 2 * MEMBERS), *mu[MEMBERS], *sd[MEMBERS];
	struct forecast_ets f;
	char ets_name[24] = "";
	int ok[MEMBERS] = { 0 }, k = 0, clip = nonnegative(y, n);

	if (!buf)
		return 0;
	for (int i = 0; i < MEMBERS; i++) {
		mu[i] = buf + (size_t)h * 2 * i;
		sd[i] = mu[i] + h;
	}
	if (forecast_ets_auto(y, n, m, &f) == 0) {
		forecast_ets_predict(&f, h, mu[0], sd[0]);
		forecast_ets_name(&f, ets_name, sizeof(ets_name));
		ok[0] = finite_all(mu[0], h) && finite_all(sd[0], h);
		if (ok[0] && exact_fit(&f, y, n)) {
			for (int j = 0; j < h; j++) {
				mean[j] = mu[0][j];
				var[j] = sd[0][j] * sd[0][j];
			}
			if (name)
				snprintf(name, (size_t)len, "%s", ets_name);
			free(buf);
			return -1;
		}
	}
	for (int i = 1; i < MEMBERS - 1; i++)
		ok[i] = others[i](y, n, m, h, mu[i], sd[i]) == 0 && finite_all(mu[i], h) &&
			finite_all(sd[i], h);
	ok[MEMBERS - 1] = pool &&
			  forecast_pooled(pool, y, n, h, mu[MEMBERS - 1], sd[MEMBERS - 1]) == 0 &&
			  finite_all(mu[MEMBERS - 1], h) && finite_all(sd[MEMBERS - 1], h);
	for (int i = 0; i < MEMBERS; i++)
		k += ok[i];
	for (int j = 0; k && j < h; j++) {
		double s = 0, v = 0, d = 0;
		int own = 0;

		/* Each member clipped at zero first when the data never go below:
		 * one member's negative forecast does not drag the others down. */
		for (int i = 0; i < MEMBERS; i++)
			if (ok[i] && clip && mu[i][j] < 0)
				mu[i][j] = 0;
		for (int i = 0; i < MEMBERS; i++)
			if (ok[i])
				s += mu[i][j];
		s /= k;
		/* The pooled member's error is the whole input's, not this series'
		 * own: it adds its disagreement, not its variance, unless alone. */
		for (int i = 0; i < MEMBERS; i++)
			if (ok[i])
				d += (mu[i][j] - s) * (mu[i][j] - s);
		for (int i = 0; i < MEMBERS; i++)
			if (ok[i] && (i < MEMBERS - 1 || k == 1)) {
				v += sd[i][j] * sd[i][j];
				own++;
			}
		mean[j] = s;
		var[j] = v / own + d / k;
	}
	if (k && name) {
		snprintf(name, (size_t)len, "mean(%s", ok[0] ? ets_name : "-");
		for (int i = 1; i < MEMBERS; i++)
			if (ok[i])
				snprintf(name + strlen(name), (size_t)len - strlen(name), "%s",
					 names[i]);
		snprintf(name + strlen(name), (size_t)len - strlen(name), ")");
	}
	free(buf);
	return k;
}

double forecast_ensemble_calibration(const double *y, int n, int m, int h)
{
	int hh = h < n / 2 ? h : n / 2, got = 0;
	double *mean, *var, z2 = 0;

	if (hh < 1 || n - hh < CAL_MIN_N)
		return 1;
	mean = malloc(sizeof(double) * (size_t)hh * 2);
	if (!mean)
		return 1;
	var = mean + hh;
	if (combine(y, n - hh, m, hh, NULL, mean, var, NULL, 0) > 0) {
		for (int j = 0; j < hh; j++) {
			double e = y[n - hh + j] - mean[j];

			if (var[j] > 0 && isfinite(var[j])) {
				z2 += e * e / var[j];
				got++;
			}
		}
	}
	free(mean);
	if (!got || !isfinite(z2))
		return 1;
	z2 /= got;
	return z2 > 1 ? z2 : 1;
}

int forecast_ensemble(const double *y, int n, int m, int h, const struct forecast_pool *pool,
		      struct forecast_result *r)
{
	double *mean = malloc(sizeof(double) * (size_t)h * 2), *sd, k2 = 1;
	int k;

	if (!mean)
		return -1;
	sd = mean + h;
	k = combine(y, n, m, h, pool, mean, sd, r->model, (int)sizeof(r->model));
	if (k == 0) {
		free(mean);
		return -1;
	}
	if (k > 0)
		k2 = forecast_ensemble_calibration(y, n, m, h);
	for (int j = 0; j < h; j++)
		sd[j] = sqrt(sd[j] * k2);
	forecast_fill_intervals(mean, sd, h, r);
	free(mean);
	return 0;
}
