/* test_forecast.c: the forecast engine (src/domain/forecast*.c) against
 * values computed by hand, the likelihood and AICc against known values,
 * parameter constraints, fallbacks, determinism, and exactness on pure
 * linear, seasonal and constant series. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/forecast.h"

#define H 12

static void assert_close(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol * (1 + fabs(want))))
		fail_msg("got %.12g, want %.12g", got, want);
}

/* A fixed pseudo-random sequence (an LCG) for noisy test series. */
static double noise(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return ((*state >> 8) & 0xffff) / 65536.0 - 0.5;
}

static void test_naive_by_hand(void **st)
{
	const double y[] = { 1, 3, 2, 5 };
	double mean[3], sd[3], sigma = sqrt((4 + 1 + 9) / 3.0);

	(void)st;
	assert_int_equal(forecast_naive(y, 4, 1, 3, mean, sd), 0);
	for (int j = 0; j < 3; j++) {
		assert_close(mean[j], 5, 1e-15);
		assert_close(sd[j], sigma * sqrt(j + 1.0), 1e-12);
	}
}

static void test_snaive_by_hand(void **st)
{
	const double y[] = { 1, 2, 3, 4, 2, 3, 4, 5 };
	const double want[] = { 2, 3, 4, 5, 2, 3 };
	double mean[6], sd[6];

	(void)st;
	assert_int_equal(forecast_snaive(y, 8, 4, 6, mean, sd), 0);
	for (int j = 0; j < 6; j++) {
		assert_close(mean[j], want[j], 1e-15);
		/* Seasonal differences are all 1; the second year has twice the variance. */
		assert_close(sd[j], j < 4 ? 1 : sqrt(2), 1e-12);
	}
}

static void test_acf_and_season_test(void **st)
{
	const double y[] = { 1, 2, 3, 4 };
	double line[48], seas[48];

	(void)st;
	/* Deviations -1.5 -0.5 0.5 1.5: lag-1 products 0.75 - 0.25 + 0.75 over 5. */
	assert_close(forecast_acf(y, 4, 1), 0.25, 1e-15);
	for (int t = 0; t < 48; t++) {
		line[t] = 10 + t;
		seas[t] = 10 + (t % 12 == 0 ? 5 : 0) + (t % 12 == 6 ? -3 : 0);
	}
	assert_int_equal(forecast_season_test(line, 48, 12), 0);
	assert_int_equal(forecast_season_test(seas, 48, 12), 1);
	assert_int_equal(forecast_season_test(seas, 30, 12), 0); /* n < 3m */
}

/* The 90 % test: seasonal exactly when |r_m| > 1.645 sqrt((1 + 2 sum r_k^2) / n),
 * checked over series from clearly seasonal to not, including borderline ones. */
static void test_season_test_threshold(void **st)
{
	int border = 0;

	(void)st;
	for (int a = 0; a <= 40; a++) {
		double y[60], s = 1, ratio;
		unsigned seed = 7;

		for (int t = 0; t < 60; t++)
			y[t] = 50 + 0.05 * a * (t % 12 < 6 ? 1 : -1) + noise(&seed);
		for (int k = 1; k < 12; k++)
			s += 2 * forecast_acf(y, 60, k) * forecast_acf(y, 60, k);
		ratio = fabs(forecast_acf(y, 60, 12)) / sqrt(s / 60);
		border += ratio > 1.2 && ratio < 1.6448536269514722;
		assert_int_equal(forecast_season_test(y, 60, 12), ratio > 1.6448536269514722);
	}
	assert_true(border > 0);
}

static void test_decompose_exact(void **st)
{
	const double s[] = { 0.8, 1.2, 0.9, 1.1 }, a[] = { -2, 3, -4, 3 };
	double y[16], idx[4];

	(void)st;
	for (int t = 0; t < 16; t++)
		y[t] = 50 * s[t % 4];
	assert_int_equal(forecast_decompose(y, 16, 4, 1, idx), 0);
	for (int j = 0; j < 4; j++)
		assert_close(idx[j], s[j], 1e-12);
	for (int t = 0; t < 16; t++)
		y[t] = 50 + 0.5 * t + a[t % 4];
	assert_int_equal(forecast_decompose(y, 16, 4, 0, idx), 0);
	for (int j = 0; j < 4; j++)
		assert_close(idx[j], a[j], 1e-12);
	assert_int_equal(forecast_decompose(y, 7, 4, 0, idx), -1);
}

/* ETS(A,N,N) and ETS(M,N,N), alpha 0.5, l0 1, over 2 4 3 5 4 6: levels 1.5
 * 2.75 2.875 3.9375 3.96875 4.984375, errors 1 2.5 0.25 2.125 0.0625
 * 2.03125, SSE 15.9580078125; -2 log L = n (log 2 pi + log(SSE / n) + 1)
 * (+ 2 sum log yhat for M errors); k = 3, AICc = -2 log L + 2k + 24 / 2. */
static void test_ets_likelihood_by_hand(void **st)
{
	const double y[] = { 2, 4, 3, 5, 4, 6 };
	struct forecast_ets f;
	double mean[3], sd[3];

	(void)st;
	memset(&f, 0, sizeof(f));
	f.error = FORECAST_ETS_A;
	f.m = 1;
	f.alpha = 0.5;
	f.l0 = 1;
	assert_close(forecast_ets_filter(&f, y, 6), 22.89647014580173, 1e-12);
	assert_close(f.sse, 15.9580078125, 1e-15);
	assert_close(f.l, 4.984375, 1e-15);
	assert_close(f.loglik, -22.89647014580173 / 2, 1e-12);
	assert_int_equal(f.k, 3);
	assert_close(f.aicc, 40.89647014580173, 1e-12);
	assert_close(f.sigma2, 15.9580078125 / 3, 1e-15);
	forecast_ets_predict(&f, 3, mean, sd);
	for (int j = 0; j < 3; j++) {
		assert_close(mean[j], 4.984375, 1e-15);
		/* c_j = alpha: var = sigma2 (1 + (j - 1) alpha^2). */
		assert_close(sd[j], sqrt(15.9580078125 / 3 * (1 + 0.25 * j)), 1e-12);
	}
	f.error = FORECAST_ETS_M;
	assert_close(forecast_ets_filter(&f, y, 6), 25.870173379603163, 1e-12);
	assert_close(f.sse, 4.594558516743577, 1e-12);
	assert_close(f.aicc, 43.87017337960316, 1e-12);
}

/* ETS(A,A,N) alpha 0.5 beta 0.1, l0 = b0 = 1 over 2 4: the first error is
 * 0; then q = 3, e = 1, l = 3.5, b = 1 + 0.2 (3.5 - 2 - 1) = 1.1. */
static void test_ets_trend_and_season_by_hand(void **st)
{
	const double y[] = { 2, 4 }, ys[] = { 12, 8 };
	struct forecast_ets f;
	double mean[2], sd[2];

	(void)st;
	memset(&f, 0, sizeof(f));
	f.error = FORECAST_ETS_A;
	f.trend = FORECAST_ETS_A;
	f.m = 1;
	f.alpha = 0.5;
	f.beta = 0.1;
	f.l0 = f.b0 = 1;
	forecast_ets_filter(&f, y, 2);
	assert_close(f.l, 3.5, 1e-15);
	assert_close(f.b, 1.1, 1e-15);
	forecast_ets_predict(&f, 2, mean, sd);
	assert_close(mean[0], 4.6, 1e-15);
	assert_close(mean[1], 5.7, 1e-15);
	/* Damped, phi 0.9: forecasts l + (phi + phi^2) b. */
	f.trend = FORECAST_ETS_AD;
	f.phi = 0.9;
	forecast_ets_filter(&f, y, 2);
	forecast_ets_predict(&f, 2, mean, sd);
	assert_close(mean[1] - mean[0], 0.81 * f.b, 1e-12);

	/* ETS(A,N,A), m 2, alpha 0.5, gamma 0.2, l0 10, s0 = (1, -1) over 12 8:
	 * yhat 11, l 10.5, s0' 1.2; yhat 9.5, l 9.75, s1' -1.3. */
	memset(&f, 0, sizeof(f));
	f.error = FORECAST_ETS_A;
	f.season = FORECAST_ETS_A;
	f.m = 2;
	f.alpha = 0.5;
	f.gamma = 0.2;
	f.l0 = 10;
	f.s0[0] = 1;
	f.s0[1] = -1;
	forecast_ets_filter(&f, ys, 2);
	assert_close(f.sse, 1 + 2.25, 1e-15);
	forecast_ets_predict(&f, 2, mean, sd);
	assert_close(mean[0], 10.95, 1e-14);
	assert_close(mean[1], 8.45, 1e-14);
	assert_int_equal(forecast_ets_nparams(FORECAST_ETS_AD, FORECAST_ETS_A, 12), 18);
	assert_int_equal(forecast_ets_nparams(FORECAST_ETS_N, FORECAST_ETS_N, 1), 3);
}

static double rosenbrock(const double *x, void *ctx)
{
	(void)ctx;
	return 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]);
}

static void test_nelder_mead(void **st)
{
	double x[2] = { -1.2, 1 }, step[2] = { 0.5, 0.5 }, f;

	(void)st;
	forecast_nelder_mead(rosenbrock, NULL, 2, x, step, 5000, 1e-14, &f);
	assert_close(x[0], 1, 1e-4);
	assert_close(x[1], 1, 1e-4);
	assert_true(f < 1e-8);
}

static void make_series(double *y, int n, int m, double trend, double amp, double sigma)
{
	unsigned s = 42;

	for (int t = 0; t < n; t++)
		y[t] = 100 + trend * t + amp * sin(2 * M_PI * t / (m > 1 ? m : 7)) +
		       sigma * noise(&s);
}

/* Fitted parameters lie in the usual region, and the likelihood at the
 * optimum is no worse than at nearby points. */
static void test_ets_fit_constraints_and_optimum(void **st)
{
	double y[72];

	(void)st;
	make_series(y, 72, 12, 0.8, 10, 6);
	for (int e = FORECAST_ETS_A; e <= FORECAST_ETS_M; e++) {
		for (int tr = 0; tr < 4; tr++) {
			for (int se = 0; se < 3; se++) {
				struct forecast_ets f, g;
				double best;

				if (tr == FORECAST_ETS_M)
					continue;
				if (forecast_ets_fit(y, 72, 12, e, tr, se, &f)) {
					assert_true(e == FORECAST_ETS_A && se == FORECAST_ETS_M);
					continue;
				}
				assert_true(f.alpha >= 1e-4 && f.alpha <= 0.9999);
				if (tr != FORECAST_ETS_N)
					assert_true(f.beta >= 1e-4 && f.beta <= f.alpha);
				if (se != FORECAST_ETS_N)
					assert_true(f.gamma >= 1e-4 && f.gamma <= 1 - f.alpha);
				if (tr == FORECAST_ETS_AD)
					assert_true(f.phi >= 0.8 && f.phi <= 0.98);
				best = -2 * f.loglik;
				for (int d = -1; d <= 1; d += 2) {
					g = f;
					g.alpha = f.alpha * (1 + 0.05 * d);
					if (g.alpha < 0.9999 && g.alpha > g.beta &&
					    g.alpha < 1 - g.gamma)
						assert_true(forecast_ets_filter(&g, y, 72) >=
							    best - 1e-6);
					g = f;
					g.l0 = f.l0 + d * 0.5;
					assert_true(forecast_ets_filter(&g, y, 72) >= best - 1e-6);
				}
			}
		}
	}
}

static void test_ets_auto_picks_seasonal(void **st)
{
	double y[72], mean[H], sd[H];
	struct forecast_ets f;
	char name[24];

	(void)st;
	make_series(y, 72, 12, 0.5, 20, 2);
	assert_int_equal(forecast_ets_auto(y, 72, 12, &f), 0);
	assert_true(f.season != FORECAST_ETS_N);
	forecast_ets_name(&f, name, sizeof(name));
	assert_int_equal(strncmp(name, "ETS(", 4), 0);
	forecast_ets_predict(&f, H, mean, sd);
	for (int j = 0; j < H; j++) {
		assert_close(mean[j], 100 + 0.5 * (72 + j) + 20 * sin(2 * M_PI * (72 + j) / 12),
			     0.05);
		assert_true(sd[j] > 0 && (j == 0 || sd[j] >= sd[j - 1] - 1e-12));
	}
}

/* A straight line: SES fits with alpha at its bound, and theta adds half
 * the slope per step: mean_j ~ y_n + (b / 2)(j + 1 / alpha). */
static void test_theta_half_trend(void **st)
{
	double y[30], mean[4], sd[4];

	(void)st;
	for (int t = 0; t < 30; t++)
		y[t] = 2 + 3 * (t + 1);
	assert_int_equal(forecast_theta(y, 30, 1, 4, mean, sd), 0);
	for (int j = 0; j < 4; j++)
		assert_close(mean[j], y[29] + 1.5 * (j + 1), 1e-3);
}

/* DOTM by hand: y = 2, 4, alpha 0.5, theta 2, l_0 = 1. mu_1 = 1 + 0.5 * 2 = 2
 * (A_0 = y_1), e_1 = 0, l_1 = 1.5, line A_1 = 2, B_1 = 0; mu_2 = 1.5 +
 * 0.5 * (0.5 * 2) = 2, e_2 = 2, l_2 = 2.75, B_2 = (6 (4 - 2) / 2) / 3 = 2,
 * A_2 = 3 - 1.5 * 2 = 0: MSE 2. theta = 1 is SES: errors 1 and 2.5. */
static void test_dotm_by_hand(void **st)
{
	static const double y2[] = { 2, 4 }, y4[] = { 1, 3, 2, 5 };
	double l, a, b, y[40], mean[H], sd[H];
	unsigned s = 3;

	(void)st;
	assert_close(forecast_dotm_filter(y2, 2, 0.5, 2, 1, &l, &a, &b), 2, 1e-12);
	assert_close(l, 2.75, 1e-12);
	assert_close(a, 0, 1e-12);
	assert_close(b, 2, 1e-12);
	assert_close(forecast_dotm_filter(y2, 2, 0.5, 1, 1, NULL, NULL, NULL), 3.625, 1e-12);
	/* The recursive line is least squares: 1 3 2 5 gives 0 + 1.1 t. */
	forecast_dotm_filter(y4, 4, 0.3, 3, 1, &l, &a, &b);
	assert_close(a, 0, 1e-12);
	assert_close(b, 1.1, 1e-12);
	/* Properties: a constant c is fitted exactly (l_0 = c / theta), the
	 * forecast of a noisy line follows the slope; sd grows. */
	for (int t = 0; t < 40; t++)
		y[t] = 7;
	assert_close(forecast_dotm_filter(y, 40, 0.4, 2.5, 7 / 2.5, NULL, NULL, NULL), 0, 1e-12);
	for (int t = 0; t < 40; t++)
		y[t] = 100 + 2 * t + noise(&s);
	assert_int_equal(forecast_dotm(y, 40, 1, H, mean, sd), 0);
	for (int j = 0; j < H; j++) {
		assert_close(mean[j], 100 + 2 * (40 + j), 0.02);
		assert_true(j == 0 || sd[j] >= sd[j - 1]);
	}
}

/* CES by hand: a0 + i a1 = 1.3 + 1i, l_0 = 10, c_0 = 5, y = 10, 12:
 * e_1 = 0, l_1 = 10, c_1 = 10 - 0.3 * 5 = 8.5; e_2 = 2, l_2 = 10 + 0.3 * 2 =
 * 10.6, c_2 = 10 - 0.3 * 8.5 + 2.3 * 2 = 12.05; MSE 2. Stability: D has
 * eigenvalues 0.7 and -0.3 at (1.3, 1), -0.5 and -1.5 at (2.5, 1). */
static void test_ces_by_hand(void **st)
{
	static const double y2[] = { 10, 12 };
	double l, c, y[48], mean[H], sd[H];
	unsigned s = 5;

	(void)st;
	assert_close(forecast_ces_filter(y2, 2, 1.3, 1, 10, 5, &l, &c), 2, 1e-12);
	assert_close(l, 10.6, 1e-12);
	assert_close(c, 12.05, 1e-12);
	assert_true(forecast_ces_stable(1.3, 1));
	assert_false(forecast_ces_stable(2.5, 1));
	assert_false(forecast_ces_stable(0, 0));
	/* A noisy level: flat-ish forecasts near it, widening intervals. */
	for (int t = 0; t < 48; t++)
		y[t] = 50 + noise(&s);
	assert_int_equal(forecast_ces(y, 48, 1, H, mean, sd), 0);
	for (int j = 0; j < H; j++) {
		assert_close(mean[j], 50, 0.02);
		assert_true(sd[j] > 0);
		assert_true(j == 0 || sd[j] >= sd[j - 1] * (1 - 1e-12));
	}
	assert_int_equal(forecast_ces(y2, 2, 1, H, mean, sd), -1); /* too short */
}

/* 0 3 0 0 6 0: first demand 3 after an interval 2; at t = 4 the size
 * becomes 3.3 and the interval 2 + 0.1 (3 - 2) = 2.1. */
static void test_intermittent_by_hand(void **st)
{
	const double y[] = { 0, 3, 0, 0, 6, 0 }, neg[] = { 0, -1, 2 };
	double mean[2], sd[2], c = 3.3 / 2.1;

	(void)st;
	assert_int_equal(forecast_croston(y, 6, 1, 2, mean, sd), 0);
	assert_close(mean[0], c, 1e-14);
	assert_close(mean[1], c, 1e-14);
	/* One-step errors -1.5 -1.5 4.5 -c after the first demand. */
	assert_close(sd[0], sqrt((2.25 + 2.25 + 20.25 + c * c) / 4), 1e-12);
	assert_int_equal(forecast_sba(y, 6, 1, 2, mean, sd), 0);
	assert_close(mean[0], 0.95 * c, 1e-14);
	/* TSB: probability 0.5, then 0.45, 0.405, 0.4645, 0.41805; size 3.3. */
	assert_int_equal(forecast_tsb(y, 6, 1, 2, mean, sd), 0);
	assert_close(mean[0], 0.41805 * 3.3, 1e-12);
	assert_int_equal(forecast_croston(neg, 3, 1, 2, mean, sd), -1);
	assert_int_equal(forecast_is_intermittent(y, 6), 1);
	assert_int_equal(forecast_is_intermittent(neg, 3), 0);
	assert_int_equal(forecast_is_intermittent((const double[]){ 1, 2, 3 }, 3), 0);
}

static void test_metrics_by_hand(void **st)
{
	const double act[] = { 100, 200 }, fc[] = { 110, 180 }, train[] = { 1, 2, 4, 7 };
	const double a2[] = { 8, 10 }, f2[] = { 9, 9 }, zero[] = { 0, 0 };

	(void)st;
	assert_close(forecast_smape(act, fc, 2), (2000.0 / 210 + 4000.0 / 380) / 2, 1e-14);
	assert_close(forecast_smape(zero, zero, 2), 0, 0);
	/* In-sample naive MAE (1 + 2 + 3) / 3 = 2; forecast MAE 1. */
	assert_close(forecast_mase(train, 4, 1, a2, f2, 2), 0.5, 1e-15);
	/* Seasonal scale, lag 2: |4 - 1|, |7 - 2|: 4. */
	assert_close(forecast_mase(train, 4, 2, a2, f2, 2), 0.25, 1e-15);
	assert_close(forecast_smape((const double[]){ NAN, 100 }, (const double[]){ 5, 100 }, 2), 0,
		     0);
}

struct out {
	double mean[H], lo80[H], hi80[H], lo95[H], hi95[H];
	struct forecast_result r;
};

static struct forecast_result *res(struct out *o)
{
	o->r.mean = o->mean;
	o->r.lo80 = o->lo80;
	o->r.hi80 = o->hi80;
	o->r.lo95 = o->lo95;
	o->r.hi95 = o->hi95;
	return &o->r;
}

static void assert_sane(const struct out *o, int h)
{
	for (int j = 0; j < h; j++) {
		assert_true(isfinite(o->mean[j]) && isfinite(o->lo95[j]) && isfinite(o->hi95[j]));
		assert_true(o->lo95[j] <= o->lo80[j] + 1e-9 && o->lo80[j] <= o->mean[j] + 1e-9);
		assert_true(o->mean[j] <= o->hi80[j] + 1e-9 && o->hi80[j] <= o->hi95[j] + 1e-9);
	}
}

static void test_run_missing_values(void **st)
{
	const double y[] = { NAN, 1, NAN, 3, 4 }, tail[] = { 1, 2, 5, NAN };
	struct out o;
	struct ms_error e = MS_ERROR_INIT;

	(void)st;
	/* Leading gap dropped, inner one interpolated: 1 2 3 4, naive 4, sigma 1. */
	assert_int_equal(forecast_run(y, 5, 1, 2, FORECAST_NAIVE, res(&o), &e), MS_OK);
	assert_close(o.mean[0], 4, 1e-15);
	assert_close(o.hi80[0], 4 + FORECAST_Z80, 1e-12);
	assert_close(o.hi95[1], 4 + FORECAST_Z95 * sqrt(2), 1e-12);
	assert_int_equal(forecast_run(tail, 4, 1, 1, FORECAST_NAIVE, res(&o), &e), MS_OK);
	assert_close(o.mean[0], 5, 1e-15);
}

static void test_run_errors(void **st)
{
	const double none[] = { NAN, NAN }, inf[] = { 1, INFINITY }, y[] = { 1, 2 };
	struct out o;
	struct ms_error e = MS_ERROR_INIT;

	(void)st;
	assert_int_equal(forecast_run(none, 2, 1, 3, FORECAST_AUTO, res(&o), &e), MS_EINVAL);
	assert_string_equal(e.message, "series has no observed value");
	assert_int_equal(forecast_run(y, 0, 1, 3, FORECAST_AUTO, res(&o), &e), MS_EINVAL);
	assert_int_equal(forecast_run(inf, 2, 1, 3, FORECAST_AUTO, res(&o), &e), MS_EINVAL);
	assert_int_equal(forecast_run(y, 2, 1, 0, FORECAST_AUTO, res(&o), &e), MS_EINVAL);
	assert_int_equal(forecast_run(y, 2, 0, 3, FORECAST_AUTO, res(&o), &e), MS_EINVAL);
	assert_int_equal(forecast_run(y, 2, 1, 3, FORECAST_METHOD_COUNT, res(&o), &e), MS_EINVAL);
}

/* Every method on awkward series: short, with zeros, negative, a jump,
 * intermittent. Never NaN; fallbacks reported. */
static void test_run_never_nan(void **st)
{
	static const double s1[] = { 5 }, s2[] = { 5, 7 },
			    s3[] = { 0, 0, 0, 4, 0, 0, 0, 0, 0, 1, 0, 2 },
			    s4[] = { -3, 2, -1, 4, 0, 5, -2, 6, 1, 7, -1, 8, 2, 9, 0, 10 },
			    s5[] = { 1e-3, 1e6, 2e-3, 3e6, 1, 2, 1e-3, 4e6, 2e-3, 1e6, 5, 2 };
	static const double *const ser[] = { s1, s2, s3, s4, s5 };
	static const int len[] = { 1, 2, 12, 16, 12 };
	struct out o;
	struct ms_error e = MS_ERROR_INIT;

	(void)st;
	for (int i = 0; i < 5; i++) {
		for (int m = 1; m <= 4; m += 3) {
			for (int me = 0; me < FORECAST_METHOD_COUNT; me++) {
				assert_int_equal(
					forecast_run(ser[i], len[i], m, H, me, res(&o), &e), MS_OK);
				assert_sane(&o, H);
				assert_true(o.r.used < FORECAST_METHOD_COUNT);
			}
		}
	}
	/* One point: the naive forecast with a zero-width interval. */
	assert_int_equal(forecast_run(s1, 1, 1, 2, FORECAST_ETS, res(&o), &e), MS_OK);
	assert_close(o.mean[1], 5, 0);
	assert_close(o.hi95[1], 5, 0);
	/* Intermittent demand goes to SBA under auto, bounds stay at zero or more. */
	assert_int_equal(forecast_run(s3, 12, 1, H, FORECAST_AUTO, res(&o), &e), MS_OK);
	assert_int_equal(o.r.used, FORECAST_SBA);
	for (int j = 0; j < H; j++)
		assert_true(o.lo95[j] >= 0);
	/* Too short for ETS: falls back, and says so. */
	assert_int_equal(forecast_run(s2, 2, 1, H, FORECAST_ETS, res(&o), &e), MS_OK);
	assert_int_not_equal(o.r.used, FORECAST_ETS);
}

static void test_determinism(void **st)
{
	double y[96];
	struct out a, b;
	struct ms_error e = MS_ERROR_INIT;

	(void)st;
	make_series(y, 96, 12, 0.3, 15, 8);
	for (int me = 0; me < FORECAST_METHOD_COUNT; me++) {
		assert_int_equal(forecast_run(y, 96, 12, H, me, res(&a), &e), MS_OK);
		assert_int_equal(forecast_run(y, 96, 12, H, me, res(&b), &e), MS_OK);
		assert_memory_equal(a.mean, b.mean, sizeof(a.mean));
		assert_memory_equal(a.lo95, b.lo95, sizeof(a.lo95));
		assert_memory_equal(a.hi80, b.hi80, sizeof(a.hi80));
		assert_string_equal(a.r.model, b.r.model);
	}
}

/* Property: forecasts of a pure linear trend, a pure seasonal pattern and a
 * constant are exact, for every method that can represent them. */
static void test_exact_patterns(void **st)
{
	static const enum forecast_method lin[] = { FORECAST_AUTO, FORECAST_ENSEMBLE, FORECAST_ETS,
						    FORECAST_HOLT };
	static const enum forecast_method sea[] = {
		FORECAST_AUTO,	FORECAST_ENSEMBLE, FORECAST_ETS, FORECAST_SNAIVE, FORECAST_NAIVE2,
		FORECAST_THETA, FORECAST_DAMPED,   FORECAST_SES, FORECAST_OTM,	  FORECAST_DOTM,
	};
	const double pat[] = { 12, 7, 9, 15 };
	double y[40];
	struct out o;
	struct ms_error e = MS_ERROR_INIT;

	(void)st;
	for (int t = 0; t < 40; t++)
		y[t] = 250 - 4.5 * t;
	for (size_t i = 0; i < sizeof(lin) / sizeof(lin[0]); i++) {
		assert_int_equal(forecast_run(y, 40, 1, H, lin[i], res(&o), &e), MS_OK);
		for (int j = 0; j < H; j++)
			assert_close(o.mean[j], 250 - 4.5 * (40 + j), 1e-6);
	}
	for (int t = 0; t < 40; t++)
		y[t] = pat[t % 4];
	for (size_t i = 0; i < sizeof(sea) / sizeof(sea[0]); i++) {
		assert_int_equal(forecast_run(y, 40, 4, H, sea[i], res(&o), &e), MS_OK);
		for (int j = 0; j < H; j++)
			assert_close(o.mean[j], pat[(40 + j) % 4], 1e-6);
	}
	for (int t = 0; t < 40; t++)
		y[t] = 42.5;
	for (int me = 0; me < FORECAST_METHOD_COUNT; me++) {
		assert_int_equal(forecast_run(y, 40, 4, H, me, res(&o), &e), MS_OK);
		for (int j = 0; j < H; j++) {
			assert_close(o.mean[j], 42.5, 0);
			assert_close(o.lo95[j], 42.5, 0);
			assert_close(o.hi95[j], 42.5, 0);
		}
	}
}

/* y_t = 0.5 y_{t-2} + 0.6 y_{t-1}: homogeneous, so the scaled windows obey it
 * too, and with m = 1, h = 2 (L = 2) least squares finds by hand
 * step 1: (0.5, 0.6); step 2: y_{t+1} = 0.6 y_t + 0.5 y_{t-1}
 * = 0.3 y_{t-2} + 0.86 y_{t-1}. */
static void recurrence(double *y, int n, double y0, double y1)
{
	y[0] = y0;
	y[1] = y1;
	for (int t = 2; t < n; t++)
		y[t] = 0.5 * y[t - 2] + 0.6 * y[t - 1];
}

static void test_pool_by_hand(void **st)
{
	double buf[6][15], *ys[6], y[15], mean[2], sd[2];
	int ns[6];
	struct forecast_pool p, q;

	(void)st;
	assert_int_equal(forecast_pool_lags(1, 2), 2);
	assert_int_equal(forecast_pool_lags(4, 8), 8);
	assert_int_equal(forecast_pool_lags(12, 18), 24);
	assert_int_equal(forecast_pool_lags(1, 6), 6);
	assert_int_equal(forecast_pool_lags(52, 13), FORECAST_POOL_MAX_LAGS);
	for (int k = 0; k < 6; k++) {
		recurrence(buf[k], 15, 1 + k, 10.0 / (k + 1));
		ys[k] = buf[k];
		ns[k] = 15;
	}
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 6, 1, 2, &p), 0);
	assert_int_equal(p.lags, 2);
	assert_int_equal(p.windows, 6 * 12); /* e = 2..13 in each */
	assert_int_equal(p.series, 6);
	assert_close(p.w[0 * 2 + 0], 0.5, 1e-9);
	assert_close(p.w[1 * 2 + 0], 0.6, 1e-9);
	assert_close(p.w[0 * 2 + 1], 0.3, 1e-9);
	assert_close(p.w[1 * 2 + 1], 0.86, 1e-9);
	assert_true(p.rmse[0] < 1e-9 && p.rmse[1] < 1e-9);
	/* A series it has not seen, at any level: its exact continuation. */
	recurrence(y, 15, 300, 7);
	assert_int_equal(forecast_pooled(&p, y, 13, 2, mean, sd), 0);
	assert_close(mean[0], y[13], 1e-7 * y[13]);
	assert_close(mean[1], y[14], 1e-7 * y[14]);
	assert_true(sd[1] < 1e-6 * y[14]);
	/* Needs the last L values positive, and a horizon it was fitted for. */
	assert_int_equal(forecast_pooled(&p, y, 1, 2, mean, sd), -1);
	assert_int_equal(forecast_pooled(&p, y, 13, 3, mean, sd), -1);
	assert_int_equal(forecast_pooled(NULL, y, 13, 2, mean, sd), -1);
	y[12] = 0;
	assert_int_equal(forecast_pooled(&p, y, 13, 2, mean, sd), -1);
	/* Deterministic: the same input, the same bytes. */
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 6, 1, 2, &q), 0);
	assert_memory_equal(p.w, q.w, sizeof(double) * 4);
	forecast_pool_free(&q);
	forecast_pool_free(&p);
	assert_null(p.w);
}

static void test_pool_windows_and_refusals(void **st)
{
	double buf[6][15], *ys[6];
	int ns[6];
	struct forecast_pool p;

	(void)st;
	for (int k = 0; k < 6; k++) {
		recurrence(buf[k], 15, 2 + k, 1);
		ys[k] = buf[k];
		ns[k] = 15;
	}
	/* A zero, a missing value and a negative one each spoil the windows
	 * (L = 2 values and h = 2 targets) that contain them: 12 - 4 each. */
	buf[0][7] = 0;
	buf[1][7] = NAN;
	buf[2][7] = -1;
	/* A series shorter than L + h gives none. */
	ns[5] = 3;
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 6, 1, 2, &p), 0);
	assert_int_equal(p.windows, 3 * 8 + 2 * 12);
	assert_int_equal(p.series, 5);
	assert_close(p.w[1 * 2 + 0], 0.6, 1e-9);
	forecast_pool_free(&p);
	/* Fewer than 10 windows per coefficient (here 20): no pool. */
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 1, 1, 2, &p), -1);
	assert_null(p.w);
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 6, 1, 0, &p), -1);
	assert_int_equal(
		forecast_pool_fit((const double *const *)ys, ns, 6, 1, FORECAST_POOL_MAX_H + 1, &p),
		-1);
	/* A long series gives its latest FORECAST_POOL_MAX_WINDOWS windows. */
	{
		double *lng = malloc(sizeof(double) * 3000);
		const double *one[1] = { lng };
		int n1 = 3000;

		assert_non_null(lng);
		for (int t = 0; t < 3000; t++)
			lng[t] = 10 + sin(t * 0.7) + 0.5 * cos(t * 1.9);
		assert_int_equal(forecast_pool_fit(one, &n1, 1, 1, 2, &p), 0);
		assert_int_equal(p.windows, FORECAST_POOL_MAX_WINDOWS);
		forecast_pool_free(&p);
		free(lng);
	}
	/* Every series the same geometric curve: the windows are collinear,
	 * and the small ridge still gives the curve's continuation. */
	for (int k = 0; k < 6; k++)
		for (int t = 0; t < 15; t++)
			buf[k][t] = (k + 1) * 100 * pow(1.05, t);
	ns[5] = 15;
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 6, 1, 2, &p), 0);
	{
		double mean[2], sd[2];

		assert_int_equal(forecast_pooled(&p, buf[2], 13, 2, mean, sd), 0);
		assert_close(mean[0], buf[2][13], 1e-6 * buf[2][13]);
		assert_close(mean[1], buf[2][14], 1e-6 * buf[2][14]);
	}
	forecast_pool_free(&p);
}

/* The pooled method needs a pool (else it falls back and says so); the
 * ensemble takes it as a sixth member. */
static void test_pool_in_run(void **st)
{
	double buf[40][48], *ys[40];
	int ns[40];
	struct forecast_pool p;
	struct out a, b;
	struct ms_error e = MS_ERROR_INIT;

	(void)st;
	for (int k = 0; k < 40; k++) {
		make_series(buf[k], 48, 4, 0.2 + 0.01 * k, 50 + k, 3 + k % 5);
		ys[k] = buf[k];
		ns[k] = 48;
	}
	assert_int_equal(forecast_pool_fit((const double *const *)ys, ns, 40, 4, H, &p), 0);
	assert_int_equal(p.lags, H > 8 ? H : 8);
	assert_int_equal(forecast_run_pooled(buf[3], 48, 4, H, FORECAST_POOLED, &p, res(&a), &e),
			 MS_OK);
	assert_int_equal(a.r.used, FORECAST_POOLED);
	assert_sane(&a, H);
	assert_int_equal(forecast_run_pooled(buf[3], 48, 4, H, FORECAST_POOLED, NULL, res(&b), &e),
			 MS_OK);
	assert_int_not_equal(b.r.used, FORECAST_POOLED);
	assert_int_equal(forecast_run_pooled(buf[3], 48, 4, H, FORECAST_ENSEMBLE, &p, res(&a), &e),
			 MS_OK);
	assert_non_null(strstr(a.r.model, ",pooled)"));
	assert_sane(&a, H);
	assert_int_equal(forecast_run(buf[3], 48, 4, H, FORECAST_ENSEMBLE, res(&b), &e), MS_OK);
	assert_null(strstr(b.r.model, "pooled"));
	/* The sixth member moves the mean: the other five are the same. */
	assert_true(memcmp(a.mean, b.mean, sizeof(a.mean)) != 0);
	forecast_pool_free(&p);
}

static void test_method_names(void **st)
{
	enum forecast_method me;

	(void)st;
	for (int i = 0; i < FORECAST_METHOD_COUNT; i++) {
		assert_int_equal(forecast_method_parse(forecast_method_name(i), &me), 0);
		assert_int_equal(me, i);
	}
	assert_int_equal(forecast_method_parse("arima", &me), 0);
	assert_int_equal(me, FORECAST_ARIMA);
	assert_int_equal(forecast_method_parse("dotm", &me), 0);
	assert_int_equal(me, FORECAST_DOTM);
	assert_int_equal(forecast_method_parse("ces", &me), 0);
	assert_int_equal(me, FORECAST_CES);
	assert_int_equal(forecast_method_parse("pooled", &me), 0);
	assert_int_equal(me, FORECAST_POOLED);
	assert_int_equal(forecast_method_parse("sarima", &me), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_naive_by_hand),
		cmocka_unit_test(test_snaive_by_hand),
		cmocka_unit_test(test_acf_and_season_test),
		cmocka_unit_test(test_season_test_threshold),
		cmocka_unit_test(test_decompose_exact),
		cmocka_unit_test(test_ets_likelihood_by_hand),
		cmocka_unit_test(test_ets_trend_and_season_by_hand),
		cmocka_unit_test(test_nelder_mead),
		cmocka_unit_test(test_ets_fit_constraints_and_optimum),
		cmocka_unit_test(test_ets_auto_picks_seasonal),
		cmocka_unit_test(test_theta_half_trend),
		cmocka_unit_test(test_dotm_by_hand),
		cmocka_unit_test(test_ces_by_hand),
		cmocka_unit_test(test_intermittent_by_hand),
		cmocka_unit_test(test_metrics_by_hand),
		cmocka_unit_test(test_run_missing_values),
		cmocka_unit_test(test_run_errors),
		cmocka_unit_test(test_run_never_nan),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_exact_patterns),
		cmocka_unit_test(test_pool_by_hand),
		cmocka_unit_test(test_pool_windows_and_refusals),
		cmocka_unit_test(test_pool_in_run),
		cmocka_unit_test(test_method_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
