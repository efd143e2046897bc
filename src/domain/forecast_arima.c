/* forecast_arima.c: seasonal ARIMA(p,d,q)(P,D,Q)m (Box and Jenkins 1970)
 * with the automatic stepwise order selection of Hyndman and Khandakar
 * (2008, "Automatic time series forecasting: the forecast package for R",
 * J. Stat. Software 27(3)), as R's forecast::auto.arima: d by repeated KPSS
 * tests (Kwiatkowski, Phillips, Schmidt and Shin 1992), D by the seasonal
 * strength of a classical decomposition (Wang, Smith and Hyndman 2006),
 * then a stepwise search over p, q, P, Q and the constant by AICc.
 *
 * The search estimates by conditional sum of squares (CSS, Box and
 * Jenkins), as R's auto.arima does with approximation = TRUE; the chosen
 * model is then refitted by exact maximum likelihood (the Kalman filter of
 * the state-space form, as R's "CSS-ML") when its state has at most 16
 * dimensions. The coefficients of each polynomial are mapped from partial
 * autocorrelations tanh(u) by the Durbin-Levinson recursion (Barndorff-
 * Nielsen and Schou 1973, Jones 1980), so every fit is stationary and
 * invertible; the least-squares problems are solved by Levenberg-Marquardt
 * with a forward-difference Jacobian. As in R, a fit with an AR or MA root
 * within 1.01 of the unit circle is not admissible (here checked on each
 * factor). Departures from R, chosen on the M3 validation split
 * (docs/forecast.md): the mean or drift is the sample mean of the
 * differenced series, and seasonal differencing needs three seasons.
 * Pure: libc and libm only, no I/O, no globals that change. */
#include "domain/forecast.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_2PI 1.8378770664093453
#define MAXK (2 * FORECAST_ARIMA_MAX_P + 2 * FORECAST_ARIMA_MAX_SP + 1)
/* Longest expanded polynomial: p + P m (AR) or q + Q m (MA). */
#define MAXLAG (FORECAST_ARIMA_MAX_P + FORECAST_ARIMA_MAX_SP * FORECAST_ARIMA_MAX_M)
/* Differencing (1 - B)^2 (1 - B^m): at most 2 + m lags. */
#define MAXDLAG (2 + FORECAST_ARIMA_MAX_M)
#define MAX_ORDER 5	/* p + q + P + Q, as R's max.order */
#define MAX_MODELS 94	/* models tried by one search, as R's nmodels */
#define KPSS_CRIT 0.463 /* 5 % critical value of the level KPSS test */
#define SEAS_CRIT 0.64	/* seasonal strength threshold of R's nsdiffs */
#define ROOT_MARGIN 1.01
#define ARIMA_MAX_D 2 /* as R's max.d */
#define ML_MAX_R 16   /* exact likelihood for state dimensions up to this */

int forecast_diff(const double *x, int n, int lag, double *out)
{
	if (n <= lag)
		return 0;
	for (int t = 0; t + lag < n; t++)
		out[t] = x[t + lag] - x[t];
	return n - lag;
}

double forecast_kpss(const double *x, int n, int lags)
{
	double mu = 0, s = 0, eta = 0, lrv = 0;

	if (n < 2)
		return 0;
	for (int t = 0; t < n; t++)
		mu += x[t];
	mu /= n;
	for (int t = 0; t < n; t++) {
		s += x[t] - mu;
		eta += s * s;
		lrv += (x[t] - mu) * (x[t] - mu);
	}
	for (int l = 1; l <= lags && l < n; l++) {
		double c = 0;

		for (int t = l; t < n; t++)
			c += (x[t] - mu) * (x[t - l] - mu);
		lrv += 2 * (1 - l / (lags + 1.0)) * c;
	}
	lrv /= n;
	if (!(lrv > 0))
		return 0;
	return eta / ((double)n * n) / lrv;
}

static int constant_series(const double *x, int n)
{
	for (int t = 1; t < n; t++)
		if (x[t] != x[0])
			return 0;
	return 1;
}

int forecast_ndiffs(const double *x, int n)
{
	double *w = malloc(sizeof(*w) * (size_t)(n > 0 ? n : 1));
	int d = 0, len = n;

	if (!w)
		return 0;
	memcpy(w, x, sizeof(*w) * (size_t)n);
	while (d < ARIMA_MAX_D && len > 3 && !constant_series(w, len) &&
	       forecast_kpss(w, len, (int)(3 * sqrt(len) / 13)) > KPSS_CRIT) {
		len = forecast_diff(w, len, 1, w);
		d++;
	}
	free(w);
	return d;
}

double forecast_seasonal_strength(const double *x, int n, int m)
{
	double idx[FORECAST_MAX_M], *tr, sr = 0, srr = 0, r = 0, rr = 0, vr, vsr, half_sum;
	int half = m / 2, cnt = 0;

	if (m < 2 || m > FORECAST_MAX_M || n < 2 * m)
		return 0;
	tr = malloc(sizeof(*tr) * (size_t)n);
	if (!tr)
		return 0;
	/* Centred moving average (2 x m when m is even), seasonal means of the
	 * detrended values, normalised to sum 0. */
	for (int j = 0; j < m; j++)
		idx[j] = 0;
	{
		int c[FORECAST_MAX_M] = { 0 };
		double norm = 0;

		for (int t = half; t + half < n; t++) {
			double s = 0;

			if (m % 2) {
				for (int i = t - half; i <= t + half; i++)
					s += x[i];
			} else {
				s = 0.5 * (x[t - half] + x[t + half]);
				for (int i = t - half + 1; i < t + half; i++)
					s += x[i];
			}
			tr[t] = s / m;
			idx[t % m] += x[t] - tr[t];
			c[t % m]++;
		}
		for (int j = 0; j < m; j++) {
			idx[j] = c[j] ? idx[j] / c[j] : 0;
			norm += idx[j];
		}
		for (int j = 0; j < m; j++)
			idx[j] -= norm / m;
	}
	for (int t = half; t + half < n; t++) {
		double dt = x[t] - tr[t], rem = dt - idx[t % m];

		r += rem;
		rr += rem * rem;
		sr += dt;
		srr += dt * dt;
		cnt++;
	}
	free(tr);
	if (cnt < 2)
		return 0;
	vr = rr - r * r / cnt;
	half_sum = sr * sr / cnt;
	vsr = srr - half_sum;
	if (!(vsr > 0))
		return 0;
	return vr / vsr < 1 ? 1 - vr / vsr : 0;
}

int forecast_nsdiffs(const double *x, int n, int m)
{
	if (m < 2 || m > FORECAST_ARIMA_MAX_M || n < 3 * m)
		return 0;
	return forecast_seasonal_strength(x, n, m) > SEAS_CRIT;
}

int forecast_arima_admissible(const double *c, int p, double r)
{
	double a[MAXLAG + 1], b[MAXLAG + 1], rp = 1;

	if (p > MAXLAG)
		return 0;
	for (int i = 0; i < p; i++) {
		rp *= r;
		a[i] = c[i] * rp;
	}
	/* Step-down (inverse Durbin-Levinson): the partial autocorrelations
	 * of a stationary polynomial are all inside (-1, 1). */
	for (int k = p; k >= 1; k--) {
		double kap = a[k - 1], den;

		if (!(fabs(kap) < 1))
			return 0;
		den = 1 - kap * kap;
		for (int i = 0; i < k - 1; i++)
			b[i] = (a[i] + kap * a[k - 2 - i]) / den;
		memcpy(a, b, sizeof(double) * (size_t)(k - 1));
	}
	return 1;
}

/* Partial autocorrelations tanh(u[0..k)) to the coefficients c of a
 * stationary 1 - c1 z - ... - ck z^k (Durbin-Levinson). */
static void pacf_to_coef(const double *u, int k, double *c)
{
	double tmp[MAXK];

	for (int j = 0; j < k; j++) {
		double kap = tanh(u[j]);

		for (int i = 0; i < j; i++)
			tmp[i] = c[i] - kap * c[j - 1 - i];
		memcpy(c, tmp, sizeof(double) * (size_t)j);
		c[j] = kap;
	}
}

/* The inverse: coefficients to u = atanh(partial autocorrelations). */
static void coef_to_pacf(const double *c, int k, double *u)
{
	double a[MAXK], b[MAXK];

	memcpy(a, c, sizeof(double) * (size_t)k);
	for (int j = k; j >= 1; j--) {
		double kap = a[j - 1], den;

		kap = kap > 0.9999997 ? 0.9999997 : kap < -0.9999997 ? -0.9999997 : kap;
		u[j - 1] = atanh(kap);
		den = 1 - kap * kap;
		for (int i = 0; i < j - 1; i++)
			b[i] = (a[i] + kap * a[j - 2 - i]) / den;
		memcpy(a, b, sizeof(double) * (size_t)(j - 1));
	}
}

/* One model over the differenced series w[0..nw). */
struct model {
	int p, q, P, Q, m, constant;
	const double *w;
	int nw, ncond;
	int ml; /* exact likelihood (Kalman filter) instead of CSS */
	/* Structural lags of the expanded AR and MA polynomials. */
	int nar, nma, arlag[MAXLAG], malag[MAXLAG];
	double ar[MAXLAG + 1], ma[MAXLAG + 1]; /* dense, index = lag */
	double phi[FORECAST_ARIMA_MAX_P], theta[FORECAST_ARIMA_MAX_P];
	double sphi[FORECAST_ARIMA_MAX_SP], stheta[FORECAST_ARIMA_MAX_SP], mu;
};

static int npar(const struct model *md)
{
	return md->p + md->q + md->P + md->Q + md->constant;
}

/* Expands phi(B) Phi(B^m) and theta(B) Theta(B^m) into md->ar, md->ma:
 * ar[i] such that the AR part is 1 - sum ar[i] B^i, ma[i] for 1 + sum. */
static void expand(struct model *md)
{
	int m = md->m;

	memset(md->ar, 0, sizeof(md->ar));
	memset(md->ma, 0, sizeof(md->ma));
	for (int i = 0; i <= md->p; i++) {
		double a = i ? -md->phi[i - 1] : 1;

		for (int k = 0; k <= md->P; k++) {
			double b = k ? -md->sphi[k - 1] : 1;

			if (i || k)
				md->ar[i + k * m] -= a * b;
		}
	}
	for (int i = 0; i <= md->q; i++) {
		double a = i ? md->theta[i - 1] : 1;

		for (int k = 0; k <= md->Q; k++) {
			double b = k ? md->stheta[k - 1] : 1;

			if (i || k)
				md->ma[i + k * m] += a * b;
		}
	}
}

static void set_lags(struct model *md)
{
	int seen[MAXLAG + 1];

	md->nar = md->nma = 0;
	memset(seen, 0, sizeof(seen));
	for (int k = 0; k <= md->P; k++)
		for (int i = 0; i <= md->p; i++)
			if ((i || k) && !seen[i + k * md->m]++)
				md->arlag[md->nar++] = i + k * md->m;
	memset(seen, 0, sizeof(seen));
	for (int k = 0; k <= md->Q; k++)
		for (int i = 0; i <= md->q; i++)
			if ((i || k) && !seen[i + k * md->m]++)
				md->malag[md->nma++] = i + k * md->m;
}

/* Parameter vector u to the model's coefficients. */
static void decode(struct model *md, const double *u)
{
	int i = 0;

	pacf_to_coef(u + i, md->p, md->phi);
	i += md->p;
	pacf_to_coef(u + i, md->q, md->theta);
	for (int j = 0; j < md->q; j++)
		md->theta[j] = -md->theta[j];
	i += md->q;
	pacf_to_coef(u + i, md->P, md->sphi);
	i += md->P;
	pacf_to_coef(u + i, md->Q, md->stheta);
	for (int j = 0; j < md->Q; j++)
		md->stheta[j] = -md->stheta[j];
	i += md->Q;
	expand(md);
}

/* CSS residuals e[0..nw) (zero before ncond); returns their sum of squares
 * from ncond on, HUGE_VAL when not finite. */
/* Exact Gaussian likelihood of the ARMA model of w - mu by the Kalman
 * filter of the state-space form of Harvey (1989, section 3.4) (as R's
 * arima): state dimension r = max(p', q' + 1) of the expanded orders, the
 * stationary initial covariance by the doubling algorithm for
 * P = T P T' + R R'. Fills e[t] = v_t / sqrt(F_t) scaled by the geometric
 * mean of sqrt(F_t), so that sum e^2 = sigma2 * n * det^(1/n): minimising it
 * maximises the likelihood with sigma concentrated out. Returns the sum,
 * HUGE_VAL when not finite. */
static double kalman_residuals(const struct model *md, double *e)
{
	double phi[ML_MAX_R], rv[ML_MAX_R], p0[ML_MAX_R][ML_MAX_R], a[ML_MAX_R],
		pm[ML_MAX_R][ML_MAX_R], tp[ML_MAX_R][ML_MAX_R], a2[ML_MAX_R][ML_MAX_R],
		ta[ML_MAX_R][ML_MAX_R], slogf = 0, sse = 0, scale;
	int pp = md->p + md->P * md->m, qq = md->q + md->Q * md->m;
	int r = pp > qq + 1 ? pp : qq + 1, steady = 0;

	for (int i = 0; i < r; i++) {
		phi[i] = i < pp ? md->ar[i + 1] : 0;
		rv[i] = i == 0 ? 1 : i <= qq ? md->ma[i] : 0;
	}
	/* Doubling: P = sum_k A_k R R' A_k', A_{k+1} = A_k^2, A_0 = T. */
	for (int i = 0; i < r; i++)
		for (int j = 0; j < r; j++) {
			p0[i][j] = rv[i] * rv[j];
			ta[i][j] = (j == 0 ? phi[i] : 0) + (j == i + 1 ? 1 : 0);
		}
	for (int it = 0; it < 60; it++) {
		double amax = 0;

		/* P += A P A' */
		for (int i = 0; i < r; i++)
			for (int j = 0; j < r; j++) {
				double s = 0;

				for (int k = 0; k < r; k++)
					s += ta[i][k] * p0[k][j];
				tp[i][j] = s;
			}
		for (int i = 0; i < r; i++)
			for (int j = 0; j <= i; j++) {
				double s = 0;

				for (int k = 0; k < r; k++)
					s += tp[i][k] * ta[j][k];
				pm[i][j] = pm[j][i] = s;
			}
		for (int i = 0; i < r; i++)
			for (int j = 0; j < r; j++) {
				p0[i][j] += pm[i][j];
				if (!isfinite(p0[i][j]))
					return HUGE_VAL;
			}
		for (int i = 0; i < r; i++)
			for (int j = 0; j < r; j++) {
				double s = 0;

				for (int k = 0; k < r; k++)
					s += ta[i][k] * ta[k][j];
				a2[i][j] = s;
				amax = fabs(s) > amax ? fabs(s) : amax;
			}
		memcpy(ta, a2, sizeof(ta));
		if (amax < 1e-10)
			break;
	}
	for (int i = 0; i < r; i++)
		a[i] = 0;
	for (int t = 0; t < md->nw; t++) {
		double f = p0[0][0], v = md->w[t] - md->mu, k[ML_MAX_R], a0;

		if (!(f > 0))
			return HUGE_VAL;
		v -= a[0];
		for (int i = 0; i < r; i++)
			k[i] = p0[i][0] / f;
		/* Update, then predict with the companion T. */
		for (int i = 0; i < r; i++)
			a[i] += k[i] * v;
		a0 = a[0];
		for (int i = 0; i < r; i++)
			a[i] = phi[i] * a0 + (i + 1 < r ? a[i + 1] : 0);
		e[t] = v / sqrt(f);
		slogf += log(f);
		if (!steady) {
			for (int i = 0; i < r; i++)
				for (int j = 0; j < r; j++)
					pm[i][j] = p0[i][j] - k[i] * p0[0][j];
			/* T P: row i = phi_i P[0] + P[i + 1]. */
			for (int i = 0; i < r; i++)
				for (int j = 0; j < r; j++)
					tp[i][j] =
						phi[i] * pm[0][j] + (i + 1 < r ? pm[i + 1][j] : 0);
			for (int i = 0; i < r; i++)
				for (int j = 0; j < r; j++)
					p0[i][j] = tp[i][0] * phi[j] +
						   (j + 1 < r ? tp[i][j + 1] : 0) + rv[i] * rv[j];
			/* Converged to the innovations form: F = 1 from now on. */
			steady = fabs(p0[0][0] - 1) < 1e-12;
		}
	}
	scale = exp(0.5 * slogf / md->nw);
	for (int t = 0; t < md->nw; t++) {
		e[t] *= scale;
		sse += e[t] * e[t];
	}
	return isfinite(sse) ? sse : HUGE_VAL;
}

static double residuals(const struct model *md, double *e)
{
	const double *w = md->w;
	double sse = 0;

	if (md->ml)
		return kalman_residuals(md, e);

	for (int t = 0; t < md->ncond && t < md->nw; t++)
		e[t] = 0;
	for (int t = md->ncond; t < md->nw; t++) {
		double v = w[t] - md->mu;

		for (int i = 0; i < md->nar; i++) {
			int l = md->arlag[i];

			v -= md->ar[l] * (w[t - l] - md->mu);
		}
		for (int i = 0; i < md->nma; i++) {
			int l = md->malag[i];

			if (t - l >= 0)
				v -= md->ma[l] * e[t - l];
		}
		e[t] = v;
		sse += v * v;
	}
	return isfinite(sse) ? sse : HUGE_VAL;
}

/* Solves the k x k symmetric positive definite system a x = b in place
 * (Cholesky); -1 when not positive definite. */
static int cholesky_solve(double *a, int k, double *b)
{
	for (int j = 0; j < k; j++) {
		double s = a[j * k + j];

		for (int i = 0; i < j; i++)
			s -= a[j * k + i] * a[j * k + i];
		if (!(s > 0))
			return -1;
		a[j * k + j] = sqrt(s);
		for (int r = j + 1; r < k; r++) {
			double v = a[r * k + j];

			for (int i = 0; i < j; i++)
				v -= a[r * k + i] * a[j * k + i];
			a[r * k + j] = v / a[j * k + j];
		}
	}
	for (int j = 0; j < k; j++) {
		for (int i = 0; i < j; i++)
			b[j] -= a[j * k + i] * b[i];
		b[j] /= a[j * k + j];
	}
	for (int j = k - 1; j >= 0; j--) {
		for (int i = j + 1; i < k; i++)
			b[j] -= a[i * k + j] * b[i];
		b[j] /= a[j * k + j];
	}
	return 0;
}

#define U_MAX 8.0 /* |tanh(8)| = 1 - 2.3e-7 */

static double clampu(double v)
{
	return v > U_MAX ? U_MAX : v < -U_MAX ? -U_MAX : v;
}

/* Levenberg-Marquardt on the CSS residuals; u in, out; returns the SSE. */
static double lm_fit(struct model *md, double *u, int k, double *work)
{
	double *e = work, *e2 = work + md->nw, *jac = work + 2 * (size_t)md->nw;
	double sse, lambda = 1e-3;
	int ncoef = md->p + md->q + md->P + md->Q;

	decode(md, u);
	sse = residuals(md, e);
	if (k == 0 || !isfinite(sse))
		return sse;
	for (int it = 0; it < 60; it++) {
		double a[MAXK * MAXK], g[MAXK], un[MAXK], snew = HUGE_VAL;
		int accepted = 0;

		for (int i = 0; i < k; i++) {
			double save = u[i], hstep = 1e-6 * (1 + fabs(u[i]));
			double *col = jac + (size_t)i * md->nw;

			u[i] = save + hstep;
			decode(md, u);
			residuals(md, col);
			for (int t = md->ncond; t < md->nw; t++)
				col[t] = (col[t] - e[t]) / hstep;
			u[i] = save;
		}
		for (int i = 0; i < k; i++) {
			const double *ci = jac + (size_t)i * md->nw;

			g[i] = 0;
			for (int t = md->ncond; t < md->nw; t++)
				g[i] += ci[t] * e[t];
			for (int j = 0; j <= i; j++) {
				const double *cj = jac + (size_t)j * md->nw;
				double s = 0;

				for (int t = md->ncond; t < md->nw; t++)
					s += ci[t] * cj[t];
				a[i * k + j] = a[j * k + i] = s;
			}
		}
		for (int tries = 0; tries < 12 && !accepted; tries++) {
			double m2[MAXK * MAXK], step[MAXK];

			memcpy(m2, a, sizeof(double) * (size_t)(k * k));
			for (int i = 0; i < k; i++) {
				m2[i * k + i] += lambda * a[i * k + i] + 1e-12 * (1 + a[i * k + i]);
				step[i] = -g[i];
			}
			if (cholesky_solve(m2, k, step) == 0) {
				for (int i = 0; i < k; i++)
					un[i] = i < ncoef ? clampu(u[i] + step[i]) : u[i] + step[i];
				decode(md, un);
				snew = residuals(md, e2);
				if (snew < sse) {
					accepted = 1;
					break;
				}
			}
			lambda *= 10;
		}
		if (!accepted)
			break;
		memcpy(u, un, sizeof(double) * (size_t)k);
		memcpy(e, e2, sizeof(double) * (size_t)md->nw);
		lambda = lambda / 100 > 1e-10 ? lambda / 100 : 1e-10;
		if (sse - snew <= 1e-9 * sse) {
			sse = snew;
			break;
		}
		sse = snew;
	}
	decode(md, u);
	return sse;
}

/* Expanded differencing polynomial (1 - B)^d (1 - B^m)^D as 1 - sum del[i]
 * B^i; returns its degree. */
static int diff_poly(int d, int D, int m, double *del)
{
	double c[MAXDLAG + 1] = { 1 };
	int deg = 0;

	for (int i = 0; i < d; i++) {
		for (int j = deg + 1; j >= 1; j--)
			c[j] -= c[j - 1];
		deg++;
	}
	for (int i = 0; i < D; i++) {
		for (int j = deg + m; j >= m; j--)
			c[j] -= c[j - m];
		deg += m;
	}
	for (int i = 1; i <= deg; i++)
		del[i] = -c[i];
	return deg;
}

/* The differenced series; returns its length. */
static int difference(const double *y, int n, int d, int D, int m, double *w)
{
	int len = n;

	memcpy(w, y, sizeof(*w) * (size_t)n);
	for (int i = 0; i < D; i++)
		len = forecast_diff(w, len, m, w);
	for (int i = 0; i < d; i++)
		len = forecast_diff(w, len, 1, w);
	return len;
}

static void to_result(const struct model *md, int m, int d, int D, double sse, int nw,
		      struct forecast_arima *out)
{
	int k = npar(md) + 1;

	memset(out, 0, sizeof(*out));
	out->p = md->p;
	out->q = md->q;
	out->P = md->P;
	out->Q = md->Q;
	out->d = d;
	out->D = D;
	out->m = m;
	out->constant = md->constant;
	memcpy(out->phi, md->phi, sizeof(out->phi));
	memcpy(out->theta, md->theta, sizeof(out->theta));
	memcpy(out->sphi, md->sphi, sizeof(out->sphi));
	memcpy(out->stheta, md->stheta, sizeof(out->stheta));
	out->mu = md->mu;
	out->sse = sse;
	out->nres = nw - md->ncond;
	out->sigma2 = sse / out->nres;
	out->k = k;
	/* As R's auto.arima with approximation: every model is compared with
	 * the same effective length, the differenced one. An exact fit would
	 * give log(0): the variance is floored relative to the data, so that
	 * exact models tie and the penalty prefers the simplest. */
	{
		double msq = 0, s2;

		for (int t = 0; t < nw; t++)
			msq += md->w[t] * md->w[t];
		s2 = out->sigma2 > 1e-18 * msq / nw ? out->sigma2 : 1e-18 * msq / nw + DBL_MIN;
		out->aicc = nw - k - 1 > 0 ? nw * (LOG_2PI + log(s2) + 1) + 2.0 * k +
						     2.0 * k * (k + 1) / (nw - k - 1)
					   : HUGE_VAL;
	}
}

/* Fits one model to the differenced series w[0..nw); work has room for
 * (2 + MAXK) nw doubles. */
static int fit_diffed(const double *w, int nw, int m, int p, int q, int P, int Q, int constant,
		      int d, int D, double *work, struct forecast_arima *out)
{
	struct model md;
	double u[MAXK] = { 0 }, sse, mean = 0, ar[FORECAST_ARIMA_MAX_SP], ma[FORECAST_ARIMA_MAX_P];
	int k;

	memset(&md, 0, sizeof(md));
	md.p = p;
	md.q = q;
	md.P = P;
	md.Q = Q;
	md.m = P || Q ? m : 1;
	md.constant = constant;
	md.w = w;
	md.nw = nw;
	md.ncond = p + P * md.m;
	k = npar(&md);
	if (nw - md.ncond < k + 3 || nw - k - 2 <= 0)
		return -1;
	for (int t = 0; t < nw; t++)
		mean += w[t];
	mean /= nw;
	/* The mean (or drift) is the sample mean of the differenced series:
	 * estimating it with the coefficients lets it wander when an AR root
	 * nears 1, and a drift error grows linearly over the horizon. */
	md.mu = constant ? mean : 0;
	set_lags(&md);
	sse = lm_fit(&md, u, k - constant, work);
	if (!isfinite(sse))
		return -1;
	/* Roots within 1.01 of the unit circle: not admissible (R's check,
	 * here on each factor: on the expanded polynomial it would bound a
	 * seasonal coefficient by 1.01^-m, 0.89 for m = 12). */
	for (int i = 0; i < FORECAST_ARIMA_MAX_P; i++)
		ma[i] = -md.theta[i];
	for (int i = 0; i < FORECAST_ARIMA_MAX_SP; i++)
		ar[i] = -md.stheta[i];
	if (!forecast_arima_admissible(md.phi, p, ROOT_MARGIN) ||
	    !forecast_arima_admissible(ma, q, ROOT_MARGIN) ||
	    !forecast_arima_admissible(md.sphi, P, ROOT_MARGIN) ||
	    !forecast_arima_admissible(ar, Q, ROOT_MARGIN))
		return -1;
	to_result(&md, m, d, D, sse, nw, out);
	return isfinite(out->aicc) ? 0 : -1;
}

/* Refits a CSS model by exact maximum likelihood from the CSS estimates
 * (R's default method "CSS-ML"), when the state is small enough; keeps the
 * CSS fit when the refit fails or is not admissible. sigma2 and the
 * residuals stay conditional (the forecasts use them). */
static int refine_ml(const double *w, int nw, double *work, struct forecast_arima *a)
{
	struct model md;
	double u[MAXK] = { 0 }, neg[FORECAST_ARIMA_MAX_P], sneg[FORECAST_ARIMA_MAX_SP], sse, obj;
	int m = a->P || a->Q ? a->m : 1, pp = a->p + a->P * m, qq = a->q + a->Q * m, k = 0;

	if ((pp > qq + 1 ? pp : qq + 1) > ML_MAX_R)
		return -1;
	memset(&md, 0, sizeof(md));
	md.p = a->p;
	md.q = a->q;
	md.P = a->P;
	md.Q = a->Q;
	md.m = m;
	md.constant = a->constant;
	md.mu = a->mu;
	md.w = w;
	md.nw = nw;
	md.ml = 1;
	for (int i = 0; i < a->q; i++)
		neg[i] = -a->theta[i];
	for (int i = 0; i < a->Q; i++)
		sneg[i] = -a->stheta[i];
	coef_to_pacf(a->phi, a->p, u + k);
	k += a->p;
	coef_to_pacf(neg, a->q, u + k);
	k += a->q;
	coef_to_pacf(a->sphi, a->P, u + k);
	k += a->P;
	coef_to_pacf(sneg, a->Q, u + k);
	k += a->Q;
	set_lags(&md);
	obj = lm_fit(&md, u, k, work);
	if (!isfinite(obj) || !(obj > 0))
		return -1;
	for (int i = 0; i < a->q; i++)
		neg[i] = -md.theta[i];
	for (int i = 0; i < a->Q; i++)
		sneg[i] = -md.stheta[i];
	if (!forecast_arima_admissible(md.phi, a->p, ROOT_MARGIN) ||
	    !forecast_arima_admissible(neg, a->q, ROOT_MARGIN) ||
	    !forecast_arima_admissible(md.sphi, a->P, ROOT_MARGIN) ||
	    !forecast_arima_admissible(sneg, a->Q, ROOT_MARGIN))
		return -1;
	md.ml = 0;
	md.ncond = a->p + a->P * m;
	sse = residuals(&md, work);
	if (!isfinite(sse) || !(sse > 0))
		return -1;
	memcpy(a->phi, md.phi, sizeof(a->phi));
	memcpy(a->theta, md.theta, sizeof(a->theta));
	memcpy(a->sphi, md.sphi, sizeof(a->sphi));
	memcpy(a->stheta, md.stheta, sizeof(a->stheta));
	a->sse = sse;
	a->sigma2 = sse / a->nres;
	/* obj / nw = sigma2_ML det^(1/nw): -2 log L with sigma concentrated. */
	a->aicc = nw * (LOG_2PI + log(obj / nw) + 1) + 2.0 * a->k +
		  2.0 * a->k * (a->k + 1) / (nw - a->k - 1);
	return 0;
}

static double *alloc_work(int n)
{
	return malloc(sizeof(double) * (size_t)(n > 0 ? n : 1) * (3 + MAXK));
}

int forecast_arima_fit(const double *y, int n, int m, int p, int d, int q, int P, int D, int Q,
		       int constant, struct forecast_arima *out)
{
	double *w, *work;
	int nw, rc;

	if (p < 0 || q < 0 || P < 0 || Q < 0 || d < 0 || D < 0 || p > FORECAST_ARIMA_MAX_P ||
	    q > FORECAST_ARIMA_MAX_P || P > FORECAST_ARIMA_MAX_SP || Q > FORECAST_ARIMA_MAX_SP ||
	    d > 2 || D > 1 || n < 3)
		return -1;
	if ((P || Q || D) && (m < 2 || m > FORECAST_ARIMA_MAX_M))
		return -1;
	if (constant && d + D > 1)
		return -1;
	w = alloc_work(n);
	if (!w)
		return -1;
	work = w + n;
	nw = difference(y, n, d, D, m, w);
	rc = nw > 0 ? fit_diffed(w, nw, m, p, q, P, Q, constant, d, D, work, out) : -1;
	free(w);
	return rc;
}

struct search {
	const double *w;
	int nw, m, d, D, seasonal, tried;
	double *work;
	unsigned char seen[FORECAST_ARIMA_MAX_P + 1][FORECAST_ARIMA_MAX_P + 1]
			  [FORECAST_ARIMA_MAX_SP + 1][FORECAST_ARIMA_MAX_SP + 1][2];
	struct forecast_arima best;
	int found;
};

/* Fits a candidate once; 1 when it became the best. */
static int try_model(struct search *s, int p, int q, int P, int Q, int c)
{
	struct forecast_arima a;

	if (p < 0 || q < 0 || P < 0 || Q < 0 || p > FORECAST_ARIMA_MAX_P ||
	    q > FORECAST_ARIMA_MAX_P || P > FORECAST_ARIMA_MAX_SP || Q > FORECAST_ARIMA_MAX_SP ||
	    p + q + P + Q > MAX_ORDER || (!s->seasonal && (P || Q)) || (c && s->d + s->D > 1))
		return 0;
	if (s->seen[p][q][P][Q][c] || s->tried >= MAX_MODELS)
		return 0;
	s->seen[p][q][P][Q][c] = 1;
	s->tried++;
	if (fit_diffed(s->w, s->nw, s->m, p, q, P, Q, c, s->d, s->D, s->work, &a))
		return 0;
	if (s->found && !(a.aicc < s->best.aicc - 1e-9 * fabs(s->best.aicc)))
		return 0;
	s->best = a;
	s->found = 1;
	return 1;
}

int forecast_arima_auto(const double *y, int n, int m, struct forecast_arima *best)
{
	/* The neighbours of the stepwise search, in R's order. */
	static const int moves[][5] = {
		{ 0, 0, -1, 0, 0 },  { 0, 0, 0, -1, 0 }, { 0, 0, 1, 0, 0 },  { 0, 0, 0, 1, 0 },
		{ 0, 0, -1, -1, 0 }, { 0, 0, 1, 1, 0 },	 { 0, 0, -1, 1, 0 }, { 0, 0, 1, -1, 0 },
		{ -1, 0, 0, 0, 0 },  { 0, -1, 0, 0, 0 }, { 1, 0, 0, 0, 0 },  { 0, 1, 0, 0, 0 },
		{ -1, -1, 0, 0, 0 }, { 1, 1, 0, 0, 0 },	 { -1, 1, 0, 0, 0 }, { 1, -1, 0, 0, 0 },
		{ 0, 0, 0, 0, 1 },
	};
	struct search *s;
	double *w;
	int seasonal = m >= 2 && m <= FORECAST_ARIMA_MAX_M, D, d, c, rc;

	if (n < 3)
		return -1;
	s = calloc(1, sizeof(*s));
	w = alloc_work(n);
	if (!s || !w) {
		free(s);
		free(w);
		return -1;
	}
	D = seasonal ? forecast_nsdiffs(y, n, m) : 0;
	s->nw = difference(y, n, 0, D, m, w);
	d = forecast_ndiffs(w, s->nw);
	s->nw = difference(y, n, d, D, m, w);
	s->w = w;
	s->work = w + n;
	s->m = m;
	s->d = d;
	s->D = D;
	/* Seasonal AR and MA terms need a few seasons after differencing. */
	s->seasonal = seasonal && s->nw >= 2 * m + 4;
	c = d + D <= 1;
	if (s->nw < 3 || constant_series(w, s->nw)) {
		/* Nothing left to model: the differenced series is constant. */
		rc = fit_diffed(w, s->nw, m, 0, 0, 0, 0, c, d, D, s->work, best);
		free(w);
		free(s);
		return rc;
	}
	try_model(s, 2, 2, s->seasonal, s->seasonal, c);
	try_model(s, 0, 0, 0, 0, c);
	try_model(s, 1, 0, s->seasonal, 0, c);
	try_model(s, 0, 1, 0, s->seasonal, c);
	if (c)
		try_model(s, 0, 0, 0, 0, 0);
	for (int moved = s->found; moved;) {
		struct forecast_arima cur = s->best;

		moved = 0;
		for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]) && !moved; i++)
			moved = try_model(s, cur.p + moves[i][0], cur.q + moves[i][1],
					  cur.P + moves[i][2], cur.Q + moves[i][3],
					  moves[i][4] ? !cur.constant : cur.constant);
	}
	rc = s->found ? 0 : -1;
	if (s->found) {
		struct forecast_arima a = s->best;

		if (refine_ml(w, s->nw, s->work, &a) == 0)
			s->best = a;
	}
	if (s->found)
		*best = s->best;
	free(w);
	free(s);
	return rc;
}

void forecast_arima_predict(const struct forecast_arima *a, const double *y, int n, int h,
			    double *mean, double *sd)
{
	struct model md;
	double del[MAXDLAG + 1] = { 0 }, *w, *e, *yy, *full, *psi, var = 0;
	int nw, deg, nfull, m = a->P || a->Q ? a->m : 1;

	w = malloc(sizeof(double) * ((size_t)(n + h) * 3 + (size_t)(h + 1) + MAXLAG + MAXDLAG + 2));
	if (!w) {
		for (int j = 0; j < h; j++)
			mean[j] = sd[j] = NAN;
		return;
	}
	e = w + n + h;
	yy = e + n + h;
	psi = yy + n + h;
	full = psi + h + 1;
	memset(&md, 0, sizeof(md));
	md.p = a->p;
	md.q = a->q;
	md.P = a->P;
	md.Q = a->Q;
	md.m = m;
	md.constant = a->constant;
	memcpy(md.phi, a->phi, sizeof(md.phi));
	memcpy(md.theta, a->theta, sizeof(md.theta));
	memcpy(md.sphi, a->sphi, sizeof(md.sphi));
	memcpy(md.stheta, a->stheta, sizeof(md.stheta));
	md.mu = a->mu;
	expand(&md);
	set_lags(&md);
	nw = difference(y, n, a->d, a->D, a->m, w);
	md.w = w;
	md.nw = nw;
	md.ncond = a->p + a->P * m;
	residuals(&md, e);
	/* ARMA forecasts of the differenced series, future errors zero. */
	for (int j = 0; j < h; j++) {
		int t = nw + j;
		double v = md.mu;

		for (int i = 0; i < md.nar; i++) {
			int l = md.arlag[i];

			if (t - l >= 0)
				v += md.ar[l] * (w[t - l] - md.mu);
		}
		for (int i = 0; i < md.nma; i++) {
			int l = md.malag[i];

			if (t - l < nw && t - l >= 0)
				v += md.ma[l] * e[t - l];
		}
		w[t] = v;
	}
	/* Undifference: y_t = w_t + sum del[i] y_{t-i}. */
	deg = diff_poly(a->d, a->D, a->m, del);
	memcpy(yy, y, sizeof(double) * (size_t)n);
	for (int j = 0; j < h; j++) {
		double v = w[nw + j];

		for (int i = 1; i <= deg; i++)
			v += del[i] * yy[n + j - i];
		yy[n + j] = v;
		mean[j] = v;
	}
	/* psi weights of theta*(B) / (phi*(B) (1 - B)^d (1 - B^m)^D). */
	nfull = md.p + md.P * m + deg;
	for (int i = 0; i <= nfull; i++)
		full[i] = 0;
	for (int i = 0; i <= md.p + md.P * m; i++) {
		double ai = i ? -md.ar[i] : 1;

		for (int k = 0; k <= deg; k++)
			full[i + k] += ai * (k ? -del[k] : 1);
	}
	for (int j = 0; j < h; j++) {
		double v = j <= md.q + md.Q * m ? (j ? md.ma[j] : 1) : 0;

		for (int i = 1; i <= nfull && i <= j; i++)
			v -= full[i] * psi[j - i];
		psi[j] = v;
		var += v * v;
		sd[j] = sqrt(a->sigma2 * var);
	}
	free(w);
}

void forecast_arima_name(const struct forecast_arima *a, char *buf, int len)
{
	const char *c = !a->constant ? "" : a->d + a->D ? " with drift" : " with mean";

	if (a->P || a->Q || a->D)
		snprintf(buf, (size_t)len, "ARIMA(%d,%d,%d)(%d,%d,%d)[%d]%s", a->p, a->d, a->q,
			 a->P, a->D, a->Q, a->m, c);
	else
		snprintf(buf, (size_t)len, "ARIMA(%d,%d,%d)%s", a->p, a->d, a->q, c);
}

int forecast_arima(const double *y, int n, int m, int h, double *mean, double *sd)
{
	struct forecast_arima a;

	if (forecast_arima_auto(y, n, m, &a))
		return -1;
	forecast_arima_predict(&a, y, n, h, mean, sd);
	return 0;
}
