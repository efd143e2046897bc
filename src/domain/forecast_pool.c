/* forecast_pool.c: a pooled (global) linear autoregression, one model fitted
 * across every series of an input at once (Montero-Manso and Hyndman 2021,
 * "Principles and algorithms for forecasting groups of time series:
 * locality and globality", Int. J. Forecasting 37(4)). Each window of L
 * consecutive values is divided by its mean, and the h values that follow
 * it, divided by the same mean, are regressed by least squares on the L
 * scaled values: one direct model per step. (No separate intercept: the
 * scaled values always sum to L, so their combination holds one.) The scaling
 * makes the model level-free, so a thousand short series lend each other
 * the shape of their trends and seasons. Positive data only. Pure: libc and
 * libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int forecast_pool_lags(int m, int h)
{
	int l = 2 * m > h ? 2 * m : h;

	if (l < 2)
		l = 2;
	return l < FORECAST_POOL_MAX_LAGS ? l : FORECAST_POOL_MAX_LAGS;
}

/* The window y[0..l) when every value is finite and > 0: its mean into
 * *scale and 1, else 0. */
static int window_scale(const double *y, int l, double *scale)
{
	double s = 0;

	for (int a = 0; a < l; a++) {
		if (!(y[a] > 0) || !isfinite(y[a]))
			return 0;
		s += y[a];
	}
	*scale = s / l;
	return isfinite(*scale) && *scale > 0;
}

/* Regressors of a window: its l values divided by scale. */
static void regressors(const double *y, int l, double scale, double *x)
{
	for (int a = 0; a < l; a++)
		x[a] = y[a] / scale;
}

/* The window y[e-l..e) and its h targets y[e..e+h) usable (finite,
 * positive): the window's mean into *scale and 1, else 0. */
static int usable(const double *y, int e, int l, int h, double *scale)
{
	if (!window_scale(y + e - l, l, scale))
		return 0;
	for (int j = 0; j < h; j++)
		if (!(y[e + j] > 0) || !isfinite(y[e + j]))
			return 0;
	return 1;
}

/* The first window end of a series of n points: its latest
 * FORECAST_POOL_MAX_WINDOWS windows only, which bounds the work on a long
 * series to what is recent. */
static int first_end(int n, int l, int h)
{
	int e = n - h - FORECAST_POOL_MAX_WINDOWS + 1;

	return e > l ? e : l;
}

/* Solves the symmetric positive definite a[p*p] x = b[p*h] in place by
 * Cholesky (lower factor in a); b receives x. -1 when a pivot is not
 * positive relative to the diagonal. */
static int cholesky_solve(double *a, double *b, int p, int h)
{
	for (int i = 0; i < p; i++) {
		for (int j = 0; j <= i; j++) {
			double s = a[i * p + j];

			for (int k = 0; k < j; k++)
				s -= a[i * p + k] * a[j * p + k];
			if (i == j) {
				if (!(s > 1e-12 * fabs(a[i * p + i])) || !(s > 0))
					return -1;
				a[i * p + i] = sqrt(s);
			} else {
				a[i * p + j] = s / a[j * p + j];
			}
		}
	}
	for (int c = 0; c < h; c++) {
		for (int i = 0; i < p; i++) {
			double s = b[i * h + c];

			for (int k = 0; k < i; k++)
				s -= a[i * p + k] * b[k * h + c];
			b[i * h + c] = s / a[i * p + i];
		}
		for (int i = p - 1; i >= 0; i--) {
			double s = b[i * h + c];

			for (int k = i + 1; k < p; k++)
				s -= a[k * p + i] * b[k * h + c];
			b[i * h + c] = s / a[i * p + i];
		}
	}
	return 0;
}

void forecast_pool_free(struct forecast_pool *p)
{
	free(p->w);
	p->w = NULL;
	p->rmse = NULL;
}

int forecast_pool_fit(const double *const *ys, const int *ns, int count, int m, int h,
		      struct forecast_pool *out)
{
	int l = forecast_pool_lags(m, h), windows = 0, series = 0;
	double *xtx, *xty, *x, *w, *sse, scale;

	memset(out, 0, sizeof(*out));
	if (h < 1 || h > FORECAST_POOL_MAX_H || m < 1 || count < 1)
		return -1;
	xtx = calloc((size_t)l * l + (size_t)l + (size_t)l * h, sizeof(double));
	w = malloc(sizeof(double) * ((size_t)l * h + (size_t)h));
	if (!xtx || !w) {
		free(xtx);
		free(w);
		return -1;
	}
	x = xtx + (size_t)l * l;
	xty = x + l;
	sse = w + (size_t)l * h;
	for (int k = 0; k < count; k++) {
		int used = 0;

		for (int e = first_end(ns[k], l, h); e + h <= ns[k]; e++) {
			if (!usable(ys[k], e, l, h, &scale))
				continue;
			regressors(ys[k] + e - l, l, scale, x);
			for (int a = 0; a < l; a++) {
				for (int b = 0; b <= a; b++)
					xtx[a * l + b] += x[a] * x[b];
				for (int j = 0; j < h; j++)
					xty[a * h + j] += x[a] * ys[k][e + j] / scale;
			}
			windows++;
			used = 1;
		}
		series += used;
	}
	/* Ten windows per coefficient at least, else no pooled model. */
	if (windows < 10 * l) {
		free(xtx);
		free(w);
		return -1;
	}
	for (int a = 0; a < l; a++)
		for (int b = a + 1; b < l; b++)
			xtx[a * l + b] = xtx[b * l + a];
	memcpy(w, xty, sizeof(double) * (size_t)l * h);
	{
		/* Least squares; a tiny ridge only when the windows are collinear
		 * (for example every series an exact geometric curve). */
		double *a = malloc(sizeof(double) * (size_t)l * l), tr = 0;
		int rc;

		if (!a) {
			free(xtx);
			free(w);
			return -1;
		}
		memcpy(a, xtx, sizeof(double) * (size_t)l * l);
		rc = cholesky_solve(a, w, l, h);
		if (rc) {
			for (int i = 0; i < l; i++)
				tr += xtx[i * l + i];
			memcpy(a, xtx, sizeof(double) * (size_t)l * l);
			for (int i = 0; i < l; i++)
				a[i * l + i] += 1e-8 * tr / l;
			memcpy(w, xty, sizeof(double) * (size_t)l * h);
			rc = cholesky_solve(a, w, l, h);
		}
		free(a);
		if (rc) {
			free(xtx);
			free(w);
			return -1;
		}
	}
	/* The scaled in-sample error of each step, a second pass. */
	memset(sse, 0, sizeof(double) * (size_t)h);
	for (int k = 0; k < count; k++)
		for (int e = first_end(ns[k], l, h); e + h <= ns[k]; e++) {
			if (!usable(ys[k], e, l, h, &scale))
				continue;
			regressors(ys[k] + e - l, l, scale, x);
			for (int j = 0; j < h; j++) {
				double f = 0, d;

				for (int a = 0; a < l; a++)
					f += x[a] * w[a * h + j];
				d = ys[k][e + j] / scale - f;
				sse[j] += d * d;
			}
		}
	for (int j = 0; j < h; j++)
		sse[j] = sqrt(sse[j] / (windows > l ? windows - l : 1));
	free(xtx);
	out->m = m;
	out->h = h;
	out->lags = l;
	out->windows = windows;
	out->series = series;
	out->w = w;
	out->rmse = sse;
	return 0;
}

int forecast_pooled(const struct forecast_pool *pool, const double *y, int n, int h, double *mean,
		    double *sd)
{
	double x[FORECAST_POOL_MAX_LAGS], scale;
	int l;

	if (!pool || !pool->w || h > pool->h || n < pool->lags)
		return -1;
	l = pool->lags;
	if (!window_scale(y + n - l, l, &scale))
		return -1;
	regressors(y + n - l, l, scale, x);
	for (int j = 0; j < h; j++) {
		double f = 0;

		for (int a = 0; a < l; a++)
			f += x[a] * pool->w[a * pool->h + j];
		mean[j] = f * scale;
		sd[j] = pool->rmse[j] * scale;
	}
	return 0;
}
