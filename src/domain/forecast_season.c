/* forecast_season.c: seasonality test, classical decomposition and the
 * baselines every method must beat (naive, seasonal naive, Naive 2, mean),
 * following the M3 protocol (Makridakis and Hibon 2000). Pure: libc and
 * libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdlib.h>

double forecast_acf(const double *y, int n, int k)
{
	double mu = 0, num = 0, den = 0;

	if (n < 2 || k < 0 || k >= n)
		return 0;
	for (int t = 0; t < n; t++)
		mu += y[t];
	mu /= n;
	for (int t = 0; t < n; t++)
		den += (y[t] - mu) * (y[t] - mu);
	if (!(den > 0))
		return 0;
	for (int t = k; t < n; t++)
		num += (y[t] - mu) * (y[t - k] - mu);
	return num / den;
}

int forecast_season_test(const double *y, int n, int m)
{
	double s = 1, rm;

	if (m <= 1 || n < 3 * m)
		return 0;
	for (int k = 1; k < m; k++) {
		double r = forecast_acf(y, n, k);
		s += 2 * r * r;
	}
	rm = forecast_acf(y, n, m);
	/* 1.645 = the 95 % normal quantile: a two-sided 90 % test. */
	return fabs(rm) > 1.6448536269514722 * sqrt(s / n);
}

int forecast_decompose(const double *y, int n, int m, int mult, double *idx)
{
	int half = m / 2, cnt[FORECAST_MAX_M];
	double norm = 0;

	if (m < 2 || m > FORECAST_MAX_M || n < 2 * m)
		return -1;
	for (int j = 0; j < m; j++) {
		idx[j] = 0;
		cnt[j] = 0;
	}
	for (int t = half; t + half < n; t++) {
		double tr = 0, d;

		if (m % 2) {
			for (int i = t - half; i <= t + half; i++)
				tr += y[i];
		} else {
			tr = 0.5 * (y[t - half] + y[t + half]);
			for (int i = t - half + 1; i < t + half; i++)
				tr += y[i];
		}
		tr /= m;
		if (mult && !(tr > 0))
			return -1;
		d = mult ? y[t] / tr : y[t] - tr;
		idx[t % m] += d;
		cnt[t % m]++;
	}
	for (int j = 0; j < m; j++) {
		if (!cnt[j])
			return -1;
		idx[j] /= cnt[j];
		norm += idx[j];
	}
	norm /= m;
	if (mult && !(norm > 0))
		return -1;
	for (int j = 0; j < m; j++)
		idx[j] = mult ? idx[j] / norm : idx[j] - norm;
	return 0;
}

static int all_positive(const double *y, int n)
{
	for (int t = 0; t < n; t++)
		if (!(y[t] > 0))
			return 0;
	return 1;
}

int forecast_seasonal_adjusted(forecast_fn fn, const double *y, int n, int m, int h, double *mean,
			       double *sd)
{
	double idx[FORECAST_MAX_M], *adj;
	int mult = all_positive(y, n), rc;

	if (m <= 1 || m > FORECAST_MAX_M || !forecast_season_test(y, n, m) ||
	    forecast_decompose(y, n, m, mult, idx))
		return fn(y, n, 1, h, mean, sd);
	adj = malloc(sizeof(*adj) * (size_t)n);
	if (!adj)
		return -1;
	for (int t = 0; t < n; t++)
		adj[t] = mult ? y[t] / idx[t % m] : y[t] - idx[t % m];
	rc = fn(adj, n, 1, h, mean, sd);
	free(adj);
	if (rc)
		return rc;
	for (int j = 0; j < h; j++) {
		double s = idx[(n + j) % m];

		if (mult) {
			mean[j] *= s;
			sd[j] *= s;
		} else {
			mean[j] += s;
		}
	}
	return 0;
}

/* Root mean square of y[t] - y[t - lag], the one-step error of the naive
 * forecasts (R's rwf and snaive use the same). */
static double lag_rms(const double *y, int n, int lag)
{
	double s = 0;

	for (int t = lag; t < n; t++)
		s += (y[t] - y[t - lag]) * (y[t] - y[t - lag]);
	return n > lag ? sqrt(s / (n - lag)) : 0;
}

int forecast_naive(const double *y, int n, int m, int h, double *mean, double *sd)
{
	double sigma;

	if (n < 1)
		return -1;
	sigma = lag_rms(y, n, 1);
	for (int j = 0; j < h; j++) {
		mean[j] = y[n - 1];
		sd[j] = sigma * sqrt(j + 1.0);
	}
	return 0;
}

int forecast_snaive(const double *y, int n, int m, int h, double *mean, double *sd)
{
	double sigma;

	if (m <= 1 || n < m)
		return forecast_naive(y, n, 1, h, mean, sd);
	sigma = lag_rms(y, n, m);
	for (int j = 0; j < h; j++) {
		mean[j] = y[n - m + j % m];
		sd[j] = sigma * sqrt((double)(j / m + 1));
	}
	return 0;
}

int forecast_naive2(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return forecast_seasonal_adjusted(forecast_naive, y, n, m, h, mean, sd);
}

int forecast_mean(const double *y, int n, int m, int h, double *mean, double *sd)
{
	double mu = 0, s = 0;

	if (n < 1)
		return -1;
	for (int t = 0; t < n; t++)
		mu += y[t];
	mu /= n;
	for (int t = 0; t < n; t++)
		s += (y[t] - mu) * (y[t] - mu);
	s = n > 1 ? sqrt(s / (n - 1) * (1 + 1.0 / n)) : 0;
	for (int j = 0; j < h; j++) {
		mean[j] = mu;
		sd[j] = s;
	}
	return 0;
}
