/* test_forecast_arima.c: the ARIMA member of the forecast engine
 * (src/domain/forecast_arima.c) against values computed by hand: difference
 * operators, the KPSS statistic, admissibility, the CSS estimate of an AR(1)
 * on a simulated series with a fixed seed, forecasts and standard deviations
 * of known models; the order tests, determinism, exact patterns, and the
 * calibration factor of the combination's intervals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/forecast.h"

#define H 12

static void assert_close(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol * (1 + fabs(want))))
		fail_msg("got %.12g, want %.12g", got, want);
}

/* Deterministic standard normal deviates: an LCG and Box-Muller. */
static double uniform(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (((*s >> 8) & 0xffffff) + 0.5) / 16777216.0;
}

static double gauss(unsigned *s)
{
	double u = uniform(s), v = uniform(s);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* y_t = mu + phi (y_{t-1} - mu) + e_t, e ~ N(0, 1), seed fixed. */
static void make_ar1(double *y, int n, double mu, double phi, unsigned seed)
{
	double x = 0;

	for (int t = 0; t < n + 100; t++) {
		x = phi * x + gauss(&seed);
		if (t >= 100)
			y[t - 100] = mu + x;
	}
}

static void test_diff(void **st)
{
	const double y[] = { 1, 4, 9, 16, 25, 36 };
	double w[6];

	(void)st;
	assert_int_equal(forecast_diff(y, 6, 1, w), 5);
	for (int t = 0; t < 5; t++)
		assert_close(w[t], 2 * t + 3, 0);
	/* Twice: the second difference of a square is 2; in place works. */
	assert_int_equal(forecast_diff(w, 5, 1, w), 4);
	for (int t = 0; t < 4; t++)
		assert_close(w[t], 2, 0);
	/* Seasonal difference of lag 4. */
	assert_int_equal(forecast_diff(y, 6, 4, w), 2);
	assert_close(w[0], 25 - 1, 0);
	assert_close(w[1], 36 - 4, 0);
	assert_int_equal(forecast_diff(y, 3, 4, w), 0);
}

static void test_kpss_by_hand(void **st)
{
	const double x[] = { 1, 2, 3, 4, 5 };
	double y[200], noise[200], rw[200], acc = 0;
	unsigned s = 1;

	(void)st;
	/* mean 3, e = -2..2, partial sums -2 -3 -3 -2 0, sum of squares 26;
	 * long-run variance 10/5 = 2 without lags: 26 / 25 / 2. */
	assert_close(forecast_kpss(x, 5, 0), 26.0 / 25 / 2, 1e-14);
	/* One lag: autocovariance sum 4, weight 1/2: (10 + 4) / 5 = 2.8. */
	assert_close(forecast_kpss(x, 5, 1), 26.0 / 25 / 2.8, 1e-14);
	/* White noise is stationary, a random walk needs one difference, a
	 * quadratic trend two. */
	for (int t = 0; t < 200; t++) {
		noise[t] = gauss(&s);
		acc += noise[t];
		rw[t] = acc;
		y[t] = 0.05 * t * t + noise[t];
	}
	assert_true(forecast_kpss(noise, 200, (int)(3 * sqrt(200) / 13)) < 0.463);
	assert_int_equal(forecast_ndiffs(noise, 200), 0);
	assert_int_equal(forecast_ndiffs(rw, 200), 1);
	assert_int_equal(forecast_ndiffs(y, 200), 2);
}

static void test_seasonal_tests(void **st)
{
	const double pat[] = { 10, 3, -4, 8, -2, -15 };
	double y[72], z[72];
	unsigned s = 3;

	(void)st;
	for (int t = 0; t < 72; t++) {
		y[t] = 100 + pat[t % 6] + 0.5 * gauss(&s);
		z[t] = 100 + gauss(&s);
	}
	assert_true(forecast_seasonal_strength(y, 72, 6) > 0.9);
	assert_int_equal(forecast_nsdiffs(y, 72, 6), 1);
	assert_true(forecast_seasonal_strength(z, 72, 6) < 0.64);
	assert_int_equal(forecast_nsdiffs(z, 72, 6), 0);
	/* Too short (fewer than three seasons) or no period: never. */
	assert_int_equal(forecast_nsdiffs(y, 17, 6), 0);
	assert_int_equal(forecast_nsdiffs(y, 72, 1), 0);
}

static void test_admissible(void **st)
{
	const double ar2_ok[] = { 0.5, 0.3 }, ar2_bad[] = { 0.5, 0.6 };
	const double ar2_cplx[] = { 1.2, -0.5 }, ar2_cplx_bad[] = { 1.2, -1.01 };
	double phi = 0.995;

	(void)st;
	assert_int_equal(forecast_arima_admissible(&(double){ 0.5 }, 1, 1), 1);
	assert_int_equal(forecast_arima_admissible(&(double){ -0.9 }, 1, 1), 1);
	assert_int_equal(forecast_arima_admissible(&(double){ 1 }, 1, 1), 0);
	assert_int_equal(forecast_arima_admissible(&(double){ 1.2 }, 1, 1), 0);
	/* AR(2) triangle: phi1 + phi2 < 1, phi2 - phi1 < 1, |phi2| < 1. */
	assert_int_equal(forecast_arima_admissible(ar2_ok, 2, 1), 1);
	assert_int_equal(forecast_arima_admissible(ar2_bad, 2, 1), 0);
	assert_int_equal(forecast_arima_admissible(ar2_cplx, 2, 1), 1);
	assert_int_equal(forecast_arima_admissible(ar2_cplx_bad, 2, 1), 0);
	/* Root 1/0.995 = 1.005: stationary, but within R's 1.01 margin. */
	assert_int_equal(forecast_arima_admissible(&phi, 1, 1), 1);
	assert_int_equal(forecast_arima_admissible(&phi, 1, 1.01), 0);
	assert_int_equal(forecast_arima_admissible(NULL, 0, 1.01), 1);
}

/* The CSS estimate of an AR(1) with the mean fixed at the sample mean is
 * the least-squares slope of x_t on x_{t-1}, x = y - mean: exact. And with
 * 2000 points it recovers the true coefficient. */
static void test_ar1_fit(void **st)
{
	static double y[2000];
	struct forecast_arima a;
	double mu = 0, sxy = 0, sxx = 0;

	(void)st;
	make_ar1(y, 2000, 10, 0.7, 12345);
	for (int t = 0; t < 2000; t++)
		mu += y[t];
	mu /= 2000;
	for (int t = 1; t < 2000; t++) {
		sxy += (y[t] - mu) * (y[t - 1] - mu);
		sxx += (y[t - 1] - mu) * (y[t - 1] - mu);
	}
	assert_int_equal(forecast_arima_fit(y, 2000, 1, 1, 0, 0, 0, 0, 0, 1, &a), 0);
	assert_close(a.mu, mu, 1e-12);
	assert_close(a.phi[0], sxy / sxx, 1e-6);
	assert_true(fabs(a.phi[0] - 0.7) < 0.03);
	assert_true(fabs(a.mu - 10) < 0.2);
	assert_true(fabs(a.sigma2 - 1) < 0.1);
	assert_int_equal(a.nres, 1999);
	/* The automatic search finds a stationary model with a mean. */
	assert_int_equal(forecast_arima_auto(y, 2000, 1, &a), 0);
	assert_int_equal(a.d, 0);
	assert_int_equal(a.D, 0);
	assert_int_equal(a.constant, 1);
	assert_true(a.p + a.q >= 1);
	assert_true(forecast_arima_admissible(a.phi, a.p, 1.01));
}

static void test_predict_by_hand(void **st)
{
	const double y[] = { 10, 12, 11, 13 };
	const double s[] = { 5, 9, 2, 7, 6, 10, 3, 8 };
	struct forecast_arima a;
	double mean[9], sd[9];

	(void)st;
	/* AR(1) with mean 11, phi 0.5, sigma2 4: mean + phi^j (y_n - mean),
	 * variance sigma2 (1 + phi^2 + ... + phi^(2(j-1))). */
	memset(&a, 0, sizeof(a));
	a.p = 1;
	a.m = 1;
	a.constant = 1;
	a.phi[0] = 0.5;
	a.mu = 11;
	a.sigma2 = 4;
	forecast_arima_predict(&a, y, 4, 3, mean, sd);
	assert_close(mean[0], 11 + 0.5 * 2, 1e-14);
	assert_close(mean[1], 11 + 0.25 * 2, 1e-14);
	assert_close(mean[2], 11 + 0.125 * 2, 1e-14);
	assert_close(sd[0], 2, 1e-14);
	assert_close(sd[1], 2 * sqrt(1 + 0.25), 1e-14);
	assert_close(sd[2], 2 * sqrt(1 + 0.25 + 0.0625), 1e-14);
	/* ARIMA(0,1,1), theta 0.5: w = 2 -1 2, CSS errors 2, -2, 3; the
	 * forecast y_n + theta e_n = 14.5 for every step; psi_j = 1 + theta. */
	memset(&a, 0, sizeof(a));
	a.d = 1;
	a.q = 1;
	a.m = 1;
	a.theta[0] = 0.5;
	a.sigma2 = 1;
	forecast_arima_predict(&a, y, 4, 3, mean, sd);
	for (int j = 0; j < 3; j++) {
		assert_close(mean[j], 14.5, 1e-14);
		assert_close(sd[j], sqrt(1 + j * 2.25), 1e-14);
	}
	/* ARIMA(0,0,0)(0,1,0)[4] with drift 0.5: last year plus 0.5 per year;
	 * the error variance grows by one each year. */
	memset(&a, 0, sizeof(a));
	a.D = 1;
	a.m = 4;
	a.constant = 1;
	a.mu = 0.5;
	a.sigma2 = 1;
	forecast_arima_predict(&a, s, 8, 9, mean, sd);
	for (int j = 0; j < 9; j++) {
		assert_close(mean[j], s[4 + j % 4] + 0.5 * (j / 4 + 1), 1e-14);
		assert_close(sd[j], sqrt(j / 4 + 1.0), 1e-14);
	}
	/* ARIMA(1,1,0): w_n+1 = phi w_n; y = 13 + 0.4 * 2, then + 0.16 * 2;
	 * psi_1 = 1 + phi. */
	memset(&a, 0, sizeof(a));
	a.d = 1;
	a.p = 1;
	a.m = 1;
	a.phi[0] = 0.4;
	a.sigma2 = 1;
	forecast_arima_predict(&a, y, 4, 2, mean, sd);
	assert_close(mean[0], 13.8, 1e-14);
	assert_close(mean[1], 13.8 + 0.32, 1e-14);
	assert_close(sd[1], sqrt(1 + 1.4 * 1.4), 1e-14);
}

static void test_name(void **st)
{
	struct forecast_arima a;
	char buf[48];

	(void)st;
	memset(&a, 0, sizeof(a));
	a.p = 1;
	a.d = 1;
	a.q = 1;
	a.Q = 1;
	a.D = 1;
	a.m = 12;
	forecast_arima_name(&a, buf, sizeof(buf));
	assert_string_equal(buf, "ARIMA(1,1,1)(0,1,1)[12]");
	a.P = a.Q = a.D = 0;
	a.constant = 1;
	forecast_arima_name(&a, buf, sizeof(buf));
	assert_string_equal(buf, "ARIMA(1,1,1) with drift");
}

static void test_fit_rejects(void **st)
{
	const double y[] = { 1, 2, 3 };
	double z[40];
	struct forecast_arima a;
	unsigned s = 11;

	(void)st;
	for (int t = 0; t < 40; t++)
		z[t] = 5 * (t % 3) + gauss(&s);
	assert_int_equal(forecast_arima_fit(y, 3, 1, 2, 0, 2, 0, 0, 0, 1, &a), -1);
	/* A constant with two differences, seasonal terms without a period. */
	assert_int_equal(forecast_arima_fit(z, 40, 1, 0, 2, 0, 0, 0, 0, 1, &a), -1);
	assert_int_equal(forecast_arima_fit(z, 40, 1, 0, 0, 0, 1, 0, 0, 0, &a), -1);
	assert_int_equal(forecast_arima_fit(z, 40, 3, 0, 0, 0, 3, 0, 0, 0, &a), -1);
	assert_int_equal(forecast_arima_fit(z, 40, 3, 1, 0, 0, 1, 0, 0, 1, &a), 0);
}

static void test_determinism_and_patterns(void **st)
{
	double y[120], m1[H], s1[H], m2[H], s2[H];
	struct out {
		double mean[H], lo80[H], hi80[H], lo95[H], hi95[H];
	} o;
	struct forecast_result r = { o.mean, o.lo80, o.hi80, o.lo95, o.hi95, 0, "" };
	struct ms_error e = MS_ERROR_INIT;
	const double pat[] = { 12, 7, 9, 15 };
	unsigned s = 99;

	(void)st;
	for (int t = 0; t < 120; t++)
		y[t] = 200 + 0.5 * t + 20 * sin(2 * M_PI * t / 12) + 3 * gauss(&s);
	assert_int_equal(forecast_arima(y, 120, 12, H, m1, s1), 0);
	assert_int_equal(forecast_arima(y, 120, 12, H, m2, s2), 0);
	assert_memory_equal(m1, m2, sizeof(m1));
	assert_memory_equal(s1, s2, sizeof(s1));
	for (int j = 0; j < H; j++) {
		assert_true(isfinite(m1[j]) && s1[j] > 0);
		assert_true(j == 0 || s1[j] >= s1[j - 1] - 1e-12);
	}
	/* A line and a pure seasonal pattern are forecast exactly. */
	for (int t = 0; t < 40; t++)
		y[t] = 250 - 4.5 * t;
	assert_int_equal(forecast_run(y, 40, 1, H, FORECAST_ARIMA, &r, &e), MS_OK);
	assert_int_equal(r.used, FORECAST_ARIMA);
	for (int j = 0; j < H; j++)
		assert_close(o.mean[j], 250 - 4.5 * (40 + j), 1e-9);
	for (int t = 0; t < 40; t++)
		y[t] = pat[t % 4];
	assert_int_equal(forecast_run(y, 40, 4, H, FORECAST_ARIMA, &r, &e), MS_OK);
	assert_int_equal(r.used, FORECAST_ARIMA);
	for (int j = 0; j < H; j++)
		assert_close(o.mean[j], pat[(40 + j) % 4], 1e-9);
}

/* The combination's interval factor is never below 1, is 1 when the series
 * is too short to hold anything out, and grows with a break the models
 * could not foresee. */
static void test_calibration(void **st)
{
	double y[60], noisy[60];
	struct out {
		double mean[H], lo80[H], hi80[H], lo95[H], hi95[H];
	} o;
	struct forecast_result r = { o.mean, o.lo80, o.hi80, o.lo95, o.hi95, 0, "" };
	struct ms_error e = MS_ERROR_INIT;
	unsigned s = 5;

	(void)st;
	for (int t = 0; t < 60; t++) {
		noisy[t] = 50 + gauss(&s);
		y[t] = noisy[t] + (t >= 54 ? 30 : 0);
	}
	assert_close(forecast_ensemble_calibration(noisy, 8, 1, 6), 1, 0);
	assert_true(forecast_ensemble_calibration(noisy, 60, 1, 6) >= 1);
	assert_true(forecast_ensemble_calibration(y, 60, 1, 6) > 10);
	/* auto: the five members, intervals ordered around the mean. */
	assert_int_equal(forecast_run(y, 60, 1, H, FORECAST_AUTO, &r, &e), MS_OK);
	assert_non_null(strstr(r.model, ",theta,arima,dotm,ces)"));
	for (int j = 0; j < H; j++)
		assert_true(o.lo95[j] <= o.lo80[j] && o.lo80[j] <= o.mean[j] &&
			    o.mean[j] <= o.hi80[j] && o.hi80[j] <= o.hi95[j]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_kpss_by_hand),
		cmocka_unit_test(test_seasonal_tests),
		cmocka_unit_test(test_admissible),
		cmocka_unit_test(test_ar1_fit),
		cmocka_unit_test(test_predict_by_hand),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_fit_rejects),
		cmocka_unit_test(test_determinism_and_patterns),
		cmocka_unit_test(test_calibration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
