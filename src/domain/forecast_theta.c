/* forecast_theta.c: the theta method (Assimakopoulos and Nikolopoulos 2000)
 * in the SES-with-drift form of Hyndman and Billah (2003), as R's thetaf,
 * and an optimised theta that chooses the theta line by in-sample error
 * (after Fiorucci et al. 2016). Both on seasonally adjusted data. Pure:
 * libc and libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdlib.h>

/* Least squares y = a + b t over t = 1..n. */
static void trend_line(const double *y, int n, double *a, double *b)
{
	double tm = (n + 1) / 2.0, ym = 0, sxy = 0, sxx = 0;

	for (int t = 0; t < n; t++)
		ym += y[t];
	ym /= n;
	for (int t = 0; t < n; t++) {
		sxy += (t + 1 - tm) * (y[t] - ym);
		sxx += (t + 1 - tm) * (t + 1 - tm);
	}
	*b = sxx > 0 ? sxy / sxx : 0;
	*a = ym - *b * tm;
}

static int theta_plain(const double *y, int n, int m, int h, double *mean, double *sd)
{
	struct forecast_ets f;
	double a, b, alpha, w;

	if (n < 3 || forecast_ets_fit(y, n, 1, FORECAST_ETS_A, FORECAST_ETS_N, FORECAST_ETS_N, &f))
		return -1;
	forecast_ets_predict(&f, h, mean, sd);
	trend_line(y, n, &a, &b);
	alpha = f.alpha > 1e-10 ? f.alpha : 1e-10;
	w = (1 - pow(1 - alpha, n)) / alpha;
	for (int j = 0; j < h; j++)
		mean[j] += b / 2 * (j + w);
	return 0;
}

int forecast_theta(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return forecast_seasonal_adjusted(theta_plain, y, n, m, h, mean, sd);
}

/* In-sample mean squared one-step error of the theta-weighted forecast
 * (1 - 1/theta) L_t + (1/theta) SES_t(Z). */
static double otm_mse(const double *y, const double *z, int n, double th, double a, double b,
		      const struct forecast_ets *f)
{
	double l = f->l0, s = 0;

	for (int t = 0; t < n; t++) {
		double fit = (1 - 1 / th) * (a + b * (t + 1)) + l / th;

		s += (y[t] - fit) * (y[t] - fit);
		l += f->alpha * (z[t] - l);
	}
	return s / n;
}

static int otm_plain(const double *y, int n, int m, int h, double *mean, double *sd)
{
	double a, b, best = HUGE_VAL, *z;
	int found = 0;

	if (n < 4)
		return -1;
	z = malloc(sizeof(*z) * (size_t)n);
	if (!z)
		return -1;
	trend_line(y, n, &a, &b);
	/* theta in 1, 1.25, ..., 4: 1 is SES, 2 the classical method. */
	for (int i = 0; i <= 12; i++) {
		double th = 1 + 0.25 * i, mse;
		struct forecast_ets f;

		for (int t = 0; t < n; t++)
			z[t] = th * y[t] + (1 - th) * (a + b * (t + 1));
		if (forecast_ets_fit(z, n, 1, FORECAST_ETS_A, FORECAST_ETS_N, FORECAST_ETS_N, &f))
			continue;
		mse = otm_mse(y, z, n, th, a, b, &f);
		if (!(mse < best))
			continue;
		best = mse;
		found = 1;
		forecast_ets_predict(&f, h, mean, sd);
		for (int j = 0; j < h; j++) {
			mean[j] = (1 - 1 / th) * (a + b * (n + j + 1)) + mean[j] / th;
			sd[j] /= th;
		}
	}
	free(z);
	return found ? 0 : -1;
}

int forecast_otm(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return forecast_seasonal_adjusted(otm_plain, y, n, m, h, mean, sd);
}
