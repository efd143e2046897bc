/* forecast_ces.c: complex exponential smoothing (CES, Svetunkov and
 * Kourentzes; Svetunkov, Kourentzes and Ord 2022, Naval Research Logistics
 * 69(8)), the non-seasonal model on seasonally adjusted data. With the
 * complex smoothing parameter a0 + i a1, level l and information potential c,
 *   y_t = l_{t-1} + e_t,
 *   l_t = l_{t-1} - (1 - a1) c_{t-1} + (a0 - a1) e_t,
 *   c_t = l_{t-1} + (1 - a0) c_{t-1} + (a0 + a1) e_t.
 * a0, a1, l_0 and c_0 minimise the in-sample mean squared one-step error
 * (the Gaussian likelihood) within the stability region: both eigenvalues
 * of the discount matrix D = F - g w' inside the unit circle. Pure: libc and
 * libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdlib.h>

struct ces_ctx {
	const double *y;
	int n;
	double l0, c0, scale;
};

/* D = [[1 - a0 + a1, a1 - 1], [1 - a0 - a1, 1 - a0]]: 1 when both
 * eigenvalues are inside the unit circle (Jury: |det| < 1,
 * |trace| < 1 + det). */
int forecast_ces_stable(double a0, double a1)
{
	double tr = 2 - 2 * a0 + a1, det = (1 - a0 + a1) * (1 - a0) - (a1 - 1) * (1 - a0 - a1);

	return fabs(det) < 1 && fabs(tr) < 1 + det;
}

double forecast_ces_filter(const double *y, int n, double a0, double a1, double l0, double c0,
			   double *l_out, double *c_out)
{
	double l = l0, c = c0, s = 0;

	for (int t = 0; t < n; t++) {
		double e = y[t] - l, lp = l;

		s += e * e;
		l = lp - (1 - a1) * c + (a0 - a1) * e;
		c = lp + (1 - a0) * c + (a0 + a1) * e;
	}
	if (l_out)
		*l_out = l, *c_out = c;
	return s / n;
}

static double ces_objective(const double *x, void *ctx)
{
	const struct ces_ctx *c = ctx;

	if (!forecast_ces_stable(x[0], x[1]))
		return HUGE_VAL;
	return forecast_ces_filter(c->y, c->n, x[0], x[1], c->l0 + c->scale * x[2],
				   c->c0 + c->scale * x[3], NULL, NULL);
}

static int ces_plain(const double *y, int n, int m, int h, double *mean, double *sd)
{
	struct ces_ctx c = { y, n, 0, 0, 0 };
	/* Start at a0 + i a1 = 1.3 + 1i (R smooth's ces). */
	double x[4] = { 1.3, 1, 0, 0 }, step[4] = { 0.1, 0.1, 1, 1 }, sabs = 0, fbest, l, cc,
	       sigma2, v = 0, p[2], q[2];
	int k = n < 10 ? n : 10;

	if (n < 6)
		return -1;
	for (int t = 0; t < n; t++)
		sabs += fabs(y[t]);
	for (int t = 0; t < k; t++)
		c.l0 += y[t];
	c.l0 /= k;
	c.c0 = c.l0 / 1.1;
	c.scale = 0.05 * sabs / n + 1e-12;
	forecast_nelder_mead(ces_objective, &c, 4, x, step, 800, 1e-9, &fbest);
	if (!isfinite(fbest))
		return -1;
	forecast_ces_filter(y, n, x[0], x[1], c.l0 + c.scale * x[2], c.c0 + c.scale * x[3], &l,
			    &cc);
	sigma2 = fbest * n / (n > 4 ? n - 4 : 1);
	/* State (l, c) forward by F = [[1, a1 - 1], [1, 1 - a0]]; the j-step
	 * error variance sigma2 (1 + sum_{i<j} (w' F^{i-1} g)^2) with p = F^{i-1} g. */
	p[0] = x[0] - x[1];
	p[1] = x[0] + x[1];
	for (int j = 0; j < h; j++) {
		double nl = l + (x[1] - 1) * cc, nc = l + (1 - x[0]) * cc;

		mean[j] = l;
		sd[j] = sqrt(sigma2 * (1 + v));
		v += p[0] * p[0];
		q[0] = p[0] + (x[1] - 1) * p[1];
		q[1] = p[0] + (1 - x[0]) * p[1];
		p[0] = q[0], p[1] = q[1];
		l = nl, cc = nc;
	}
	return 0;
}

int forecast_ces(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return forecast_seasonal_adjusted(ces_plain, y, n, m, h, mean, sd);
}
