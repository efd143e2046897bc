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

/* Dynamic optimised theta model (DOTM, Fiorucci, Pellegrini, Louzada,
 * Petropoulos and Koehler 2016, IJF 32(4), section 3): the regression line
 * of the theta method is updated at every time with the data seen so far,
 *   Ybar_t = ((t - 1) Ybar_{t-1} + Y_t) / t,
 *   B_t = ((t - 2) B_{t-1} + 6 (Y_t - Ybar_{t-1}) / t) / (t + 1),
 *   A_t = Ybar_t - (t + 1) B_t / 2   (A_0 = A_1 = Y_1, B_0 = B_1 = 0),
 * so A_t + B_t s is the least-squares line of Y_1..Y_t; one-step forecast
 *   mu_{t+1} = l_t + (1 - 1/theta) ((1 - alpha)^t A_t
 *              + B_t (1 - (1 - alpha)^(t+1)) / alpha),
 *   l_t = alpha Y_t + (1 - alpha) l_{t-1},
 * and j steps ahead B_n (j - 1) more. With A_0 = Y_1 as forecTheta's dotm
 * (whose l_0 starts at Y_1 / 2), a constant c is fitted exactly by
 * l_0 = c / theta. alpha in [0.1, 0.99], theta >= 1 and
 * l_0 minimise the in-sample mean squared one-step error. */
struct dotm_ctx {
	const double *y;
	int n;
	double l0, lscale;
};

struct dotm_fit {
	double alpha, theta, l0, l, a, b, mse;
};

static void dotm_decode(const struct dotm_ctx *c, const double *x, struct dotm_fit *f)
{
	f->alpha = 0.1 + 0.89 / (1 + exp(-x[0]));
	f->theta = 1 + exp(x[1] < 30 ? x[1] : 30);
	f->l0 = c->l0 + c->lscale * x[2];
}

/* Runs the model over y; sets the final states and returns the MSE. */
double forecast_dotm_filter(const double *y, int n, double alpha, double theta, double l0,
			    double *l_out, double *a_out, double *b_out)
{
	double l = l0, a = y[0], b = 0, mean = 0, s = 0, decay = 1, w = 1 - 1 / theta;

	for (int t = 1; t <= n; t++) {
		double mu = l + w * (decay * a + b * (1 - decay * (1 - alpha)) / alpha);
		double e = y[t - 1] - mu, prev = mean;

		s += e * e;
		l = alpha * y[t - 1] + (1 - alpha) * l;
		mean = ((t - 1) * mean + y[t - 1]) / t;
		if (t == 1) {
			b = 0;
		} else {
			b = ((t - 2) * b + 6 * (y[t - 1] - prev) / t) / (t + 1);
		}
		a = mean - (t + 1) * b / 2;
		decay *= 1 - alpha; /* (1 - alpha)^t */
	}
	if (l_out)
		*l_out = l, *a_out = a, *b_out = b;
	return s / n;
}

static double dotm_objective(const double *x, void *ctx)
{
	const struct dotm_ctx *c = ctx;
	struct dotm_fit f;

	dotm_decode(c, x, &f);
	return forecast_dotm_filter(c->y, c->n, f.alpha, f.theta, f.l0, NULL, NULL, NULL);
}

static int dotm_plain(const double *y, int n, int m, int h, double *mean, double *sd)
{
	struct dotm_ctx c = { y, n, y[0] / 2, 0 };
	struct dotm_fit f;
	double x[3] = { 0, 0, 0 }, step[3] = { 1, 1, 1 }, sabs = 0, fbest, decay, sigma2;

	if (n < 4)
		return -1;
	for (int t = 0; t < n; t++)
		sabs += fabs(y[t]);
	c.lscale = 0.05 * sabs / n + 1e-12;
	/* Start as forecTheta's dotm: alpha 0.5, theta 2. */
	forecast_nelder_mead(dotm_objective, &c, 3, x, step, 600, 1e-9, &fbest);
	if (!isfinite(fbest))
		return -1;
	dotm_decode(&c, x, &f);
	f.mse = forecast_dotm_filter(y, n, f.alpha, f.theta, f.l0, &f.l, &f.a, &f.b);
	if (!isfinite(f.mse))
		return -1;
	decay = pow(1 - f.alpha, n);
	sigma2 = f.mse * n / (n > 3 ? n - 3 : 1);
	for (int j = 0; j < h; j++) {
		mean[j] = f.l +
			  (1 - 1 / f.theta) *
				  (decay * f.a + f.b * ((1 - decay * (1 - f.alpha)) / f.alpha + j));
		/* SES's error variance, the line being fixed beyond n. */
		sd[j] = sqrt(sigma2 * (1 + j * f.alpha * f.alpha));
	}
	return 0;
}

int forecast_dotm(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return forecast_seasonal_adjusted(dotm_plain, y, n, m, h, mean, sd);
}
