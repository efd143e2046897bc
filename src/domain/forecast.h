/* forecast.h: the statistical forecast engine (issue 5). Pure code: no I/O, no
 * globals that change, libc and libm only; the same input gives the same
 * output bit for bit. docs/forecast.md gives the formulas and references.
 *
 * A series is y[0..n) at equally spaced times, m the seasonal period (1 for
 * none, 12 monthly, 4 quarterly), h the horizon. Missing values are NAN. */
#ifndef MS_FORECAST_H
#define MS_FORECAST_H

#include "base/err.h"

#define FORECAST_MAX_H 10000   /* horizon */
#define FORECAST_MAX_M 400     /* seasonal period */
#define FORECAST_MAX_N 1000000 /* points of one series */
#define FORECAST_ETS_MAX_M 24  /* seasonal ETS states (R's ets has the same cap) */
#define FORECAST_Z80 1.2815515655446004
#define FORECAST_Z95 1.9599639845400540

enum forecast_method {
	FORECAST_AUTO,	   /* ensemble, or SBA for intermittent demand */
	FORECAST_ENSEMBLE, /* mean of ETS, theta, ARIMA, dynamic optimised theta, CES, pooled */
	FORECAST_ETS,	   /* state-space ETS selected by AICc */
	FORECAST_THETA,	   /* classical theta on seasonally adjusted data */
	FORECAST_OTM,	   /* optimised theta */
	FORECAST_DAMPED,   /* ETS(A,Ad,N) on seasonally adjusted data */
	FORECAST_SES,	   /* ETS(A,N,N) on seasonally adjusted data */
	FORECAST_HOLT,	   /* ETS(A,A,N) on seasonally adjusted data */
	FORECAST_NAIVE,
	FORECAST_SNAIVE,
	FORECAST_NAIVE2, /* naive on seasonally adjusted data */
	FORECAST_CROSTON,
	FORECAST_SBA,
	FORECAST_TSB,
	FORECAST_MEAN,	 /* last-resort fallback: the sample mean */
	FORECAST_ARIMA,	 /* seasonal ARIMA, stepwise AICc search (Hyndman-Khandakar) */
	FORECAST_DOTM,	 /* dynamic optimised theta (Fiorucci et al. 2016) */
	FORECAST_CES,	 /* complex exponential smoothing (Svetunkov and Kourentzes) */
	FORECAST_POOLED, /* linear autoregression pooled over every input series */
	FORECAST_METHOD_COUNT
};

const char *forecast_method_name(enum forecast_method method);
/* 0 and *out set when s names a method ("auto", "ets"...), -1 otherwise. */
int forecast_method_parse(const char *s, enum forecast_method *out);

/* Output of forecast_run: five caller-owned arrays of h values each. */
struct forecast_result {
	double *mean, *lo80, *hi80, *lo95, *hi95;
	enum forecast_method used; /* the method actually used after fallbacks */
	char model[48];		   /* e.g. "ETS(M,Ad,M)", for diagnostics */
};

/* Forecasts y[0..n) h steps ahead. Missing values inside the series are
 * interpolated, leading ones dropped, trailing ones carried forward. Every
 * output value is finite: a method that cannot apply falls back (to damped
 * trend, then naive, then the mean) and r->used says so. Fails with
 * MS_EINVAL on bad arguments or when no value is observed. */
enum ms_err forecast_run(const double *y, int n, int m, int h, enum forecast_method method,
			 struct forecast_result *r, struct ms_error *e);

/* The pooled model: one linear autoregression fitted across many series
 * (forecast_pool.c). Fit it once on every series of an input (missing or
 * non-positive values only make windows unusable), then pass it to
 * forecast_run_pooled for each series: the pooled method needs it, and the
 * ensemble takes it as a sixth member. */
#define FORECAST_POOL_MAX_LAGS 64
#define FORECAST_POOL_MAX_H 256	       /* longer horizons: no pooled model */
#define FORECAST_POOL_MAX_WINDOWS 1000 /* the latest windows of each series */
struct forecast_pool {
	int m, h;     /* seasonal period and horizon it was fitted for */
	int lags;     /* L: scaled values regressed on */
	int windows;  /* windows it was fitted on */
	int series;   /* series that gave at least one */
	double *w;    /* L x h coefficients: w[a*h + j], lag a (oldest first), step j */
	double *rmse; /* h: in-sample RMS of the scaled error of each step */
};
/* L = max(2m, h, 2), at most FORECAST_POOL_MAX_LAGS. */
int forecast_pool_lags(int m, int h);
/* Fits on the windows of L values followed by h values, all finite and > 0,
 * of ys[k][0..ns[k]) (the latest FORECAST_POOL_MAX_WINDOWS of each); 0, or
 * -1 (nothing to free) when there are fewer than 10 windows per
 * coefficient, h is above FORECAST_POOL_MAX_H or there is no memory. */
int forecast_pool_fit(const double *const *ys, const int *ns, int count, int m, int h,
		      struct forecast_pool *out);
void forecast_pool_free(struct forecast_pool *p);
/* forecast_run with a pool (NULL: none; then the pooled method falls back). */
enum ms_err forecast_run_pooled(const double *y, int n, int m, int h, enum forecast_method method,
				const struct forecast_pool *pool, struct forecast_result *r,
				struct ms_error *e);
/* The pooled forecast of y from its last L values (all > 0), h <= pool->h;
 * sd the in-sample RMS error of each step times the window's mean. */
int forecast_pooled(const struct forecast_pool *pool, const double *y, int n, int h, double *mean,
		    double *sd);

/* --- Building blocks, exported for the tests and the later sales issue. ---
 * Each method fills mean[0..h) and sd[0..h), the standard deviation of the
 * j-step forecast error under a normal approximation, from a series without
 * missing values, and returns 0, or -1 when it cannot apply (too few points,
 * values out of its domain); the caller then falls back. */

int forecast_naive(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_snaive(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_naive2(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_mean(const double *y, int n, int m, int h, double *mean, double *sd);

/* Seasonality: the 90 % test on the autocorrelation at lag m used by the M3
 * Theta and Naive 2 protocols; 1 when seasonal. Needs n >= 3m. */
int forecast_season_test(const double *y, int n, int m);
/* Autocorrelation of y at lag k. */
double forecast_acf(const double *y, int n, int k);
/* Classical decomposition (centred moving average): fills idx[0..m), the
 * seasonal index of times t with t % m == j, normalised to mean 1
 * (multiplicative) or 0 (additive). Returns -1 when n < 2m. */
int forecast_decompose(const double *y, int n, int m, int mult, double *idx);

/* Runs a non-seasonal method on seasonally adjusted data: when m > 1 and the
 * test says seasonal, y is divided by (or, when not all positive, reduced
 * by) its classical seasonal indices and the forecasts are reseasonalised. */
typedef int (*forecast_fn)(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_seasonal_adjusted(forecast_fn fn, const double *y, int n, int m, int h, double *mean,
			       double *sd);

/* Exponential smoothing state-space models (Hyndman et al. 2008). */
enum { FORECAST_ETS_N, FORECAST_ETS_A, FORECAST_ETS_M, FORECAST_ETS_AD };

struct forecast_ets {
	int error;  /* A or M */
	int trend;  /* N, A or AD */
	int season; /* N, A or M */
	int m;	    /* seasonal period, 1 when season is N */
	double alpha, beta, gamma, phi;
	/* Initial states: level, trend, and s0[j] the season of times t with
	 * t % m == j before the sample. */
	double l0, b0, s0[FORECAST_ETS_MAX_M];
	/* Set by forecast_ets_filter: final states, fit statistics. */
	double l, b, s[FORECAST_ETS_MAX_M];
	double sse;    /* sum of squared (relative, for M errors) errors */
	double loglik; /* Gaussian log-likelihood, sigma concentrated out */
	double aicc;
	double sigma2; /* sse / (n - k) */
	int k;	       /* parameters: smoothing, initial states and sigma */
	int n;
};

/* Number of free parameters of the model (used by AICc). */
int forecast_ets_nparams(int trend, int season, int m);
/* Runs the model over y with its parameters and initial states; sets the
 * final states and the statistics. Returns -2 log-likelihood, or HUGE_VAL
 * when a multiplicative model meets a non-positive fitted value. */
double forecast_ets_filter(struct forecast_ets *f, const double *y, int n);
/* Heuristic initial states (decomposition of the first years, regression
 * of the first seasonally adjusted values), as R's ets does to start. */
void forecast_ets_init_states(struct forecast_ets *f, const double *y, int n);
/* Fits smoothing parameters and initial level and trend (and seasons when
 * m <= 4) by maximum likelihood (Nelder-Mead in a bounded
 * reparameterisation). -1 when the model does not apply: too few points,
 * A error with M season, multiplicative with non-positive data. */
int forecast_ets_fit(const double *y, int n, int m, int error, int trend, int season,
		     struct forecast_ets *out);
/* Fits every admissible model and keeps the one of least AICc. */
int forecast_ets_auto(const double *y, int n, int m, struct forecast_ets *best);
void forecast_ets_predict(const struct forecast_ets *f, int h, double *mean, double *sd);
/* Writes "ETS(M,Ad,M)" into buf. */
void forecast_ets_name(const struct forecast_ets *f, char *buf, int len);

int forecast_ets(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_damped(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_ses(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_holt(const double *y, int n, int m, int h, double *mean, double *sd);

/* Theta: classical (theta lines 0 and 2, as SES with drift, Hyndman and
 * Billah 2003) and optimised over theta (Fiorucci et al. 2016). */
int forecast_theta(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_otm(const double *y, int n, int m, int h, double *mean, double *sd);
/* Dynamic optimised theta model (Fiorucci et al. 2016): the theta line's
 * regression updated at every time, alpha, theta and the initial level
 * fitted by in-sample one-step MSE; on seasonally adjusted data. */
int forecast_dotm(const double *y, int n, int m, int h, double *mean, double *sd);
/* Runs DOTM over y[0..n): returns the mean squared one-step error and, when
 * l is not NULL, the final level and line (intercept a, slope b at t = n,
 * the line being a + b t over t = 1..n). */
double forecast_dotm_filter(const double *y, int n, double alpha, double theta, double l0,
			    double *l, double *a, double *b);

/* Complex exponential smoothing (Svetunkov, Kourentzes and Ord 2022),
 * non-seasonal, on seasonally adjusted data; parameters a0 + i a1 and the
 * initial level and information potential by in-sample one-step MSE. */
int forecast_ces(const double *y, int n, int m, int h, double *mean, double *sd);
/* 1 when (a0, a1) lies in CES's stability region. */
int forecast_ces_stable(double a0, double a1);
/* Runs CES over y[0..n): the mean squared one-step error; the final level
 * and information potential into *l and *c when l is not NULL. */
double forecast_ces_filter(const double *y, int n, double a0, double a1, double l0, double c0,
			   double *l, double *c);

/* Intermittent demand, smoothing constant 0.1. */
#define FORECAST_CROSTON_ALPHA 0.1
int forecast_croston(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_sba(const double *y, int n, int m, int h, double *mean, double *sd);
int forecast_tsb(const double *y, int n, int m, int h, double *mean, double *sd);
/* Average inter-demand interval n / (non-zero values); intermittent when
 * >= 1.32 (Syntetos and Boylan 2005) and no value is negative. */
int forecast_is_intermittent(const double *y, int n);

/* Seasonal ARIMA(p,d,q)(P,D,Q)m (Box and Jenkins; the automatic stepwise
 * procedure of Hyndman and Khandakar 2008, as R's forecast::auto.arima):
 * phi(B) Phi(B^m) (1 - B)^d (1 - B^m)^D (y_t - c(t)) = theta(B) Theta(B^m) e_t,
 * c a mean (d + D = 0) or a drift (d + D = 1). The search fits by conditional
 * sum of squares, the chosen model is refitted by exact likelihood (Kalman
 * filter) when its state is small; Levenberg-Marquardt in the partial-
 * autocorrelation parameterisation, so every fit is stationary and
 * invertible. */
#define FORECAST_ARIMA_MAX_P 5
#define FORECAST_ARIMA_MAX_SP 2
#define FORECAST_ARIMA_MAX_M 24 /* longer periods: non-seasonal models only */

struct forecast_arima {
	int p, d, q, P, D, Q, m;
	int constant; /* 1: mean (d + D = 0) or drift (d + D = 1) */
	double phi[FORECAST_ARIMA_MAX_P], theta[FORECAST_ARIMA_MAX_P];
	double sphi[FORECAST_ARIMA_MAX_SP], stheta[FORECAST_ARIMA_MAX_SP];
	double mu;     /* mean of the differenced series when constant */
	double sse;    /* conditional sum of squares */
	double sigma2; /* sse / residuals used */
	double aicc;   /* CSS: n_w log sigma2 over the differenced length n_w, as every
			* model of a search; the model forecast_arima_auto returns has
			* the exact likelihood's when it was refitted */
	int nres;      /* residuals used (differenced length minus p + P m) */
	int k;	       /* parameters: coefficients, constant, sigma */
};

/* out[0..n-lag) = x[t + lag] - x[t]; returns n - lag (0 when n <= lag). */
int forecast_diff(const double *x, int n, int lag, double *out);
/* KPSS level-stationarity statistic (Kwiatkowski et al. 1992) with a
 * Bartlett long-run variance of the given lags (as urca's ur.kpss "mu"). */
double forecast_kpss(const double *x, int n, int lags);
/* Number of differences (0..2) for stationarity: KPSS at 5 %, critical value
 * 0.463, lags trunc(3 sqrt(n) / 13), as R's ndiffs. */
int forecast_ndiffs(const double *x, int n);
/* Seasonal strength max(0, 1 - var(R) / var(S + R)) of an additive classical
 * decomposition (Wang, Smith and Hyndman 2006); 0 when n < 2m. */
double forecast_seasonal_strength(const double *x, int n, int m);
/* Seasonal differences (0 or 1): strength > 0.64, as R's nsdiffs "seas";
 * 0 when m > 24 or fewer than three seasons. */
int forecast_nsdiffs(const double *x, int n, int m);
/* 1 when 1 - c[0] z - ... - c[p-1] z^p has every root of modulus > r
 * (r >= 1: stationary for an AR polynomial; for an MA polynomial
 * 1 + th z + ... pass c = -th). Schur-Cohn step-down recursion. */
int forecast_arima_admissible(const double *c, int p, double r);
/* Fits the given orders by CSS; -1 when too few points or no admissible fit. */
int forecast_arima_fit(const double *y, int n, int m, int p, int d, int q, int P, int D, int Q,
		       int constant, struct forecast_arima *out);
/* D, then d by the tests above, the stepwise search by AICc (CSS), and the
 * exact-likelihood refit of the chosen model. */
int forecast_arima_auto(const double *y, int n, int m, struct forecast_arima *best);
/* Point forecasts and the j-step standard deviations sigma sqrt(sum psi^2);
 * y, n the series the model was fitted to. */
void forecast_arima_predict(const struct forecast_arima *a, const double *y, int n, int h,
			    double *mean, double *sd);
/* Writes "ARIMA(1,1,1)(0,1,1)[12] with drift" into buf. */
void forecast_arima_name(const struct forecast_arima *a, char *buf, int len);
int forecast_arima(const double *y, int n, int m, int h, double *mean, double *sd);

/* r's five arrays from means and standard deviations (normal quantiles). */
void forecast_fill_intervals(const double *mean, const double *sd, int h,
			     struct forecast_result *r);

/* Combination: fills the five result arrays with the mean of ETS, theta,
 * ARIMA, DOTM, CES and, with a pool, the pooled model over the members that
 * succeed (ETS alone
 * when it fits the history exactly; each member clipped at zero first when
 * no value is negative), and intervals from the members' mixture variance
 * times forecast_ensemble_calibration; -1 when no member succeeds. */
int forecast_ensemble(const double *y, int n, int m, int h, const struct forecast_pool *pool,
		      struct forecast_result *r);
/* Variance factor k2 >= 1 of the combination's intervals: the mean squared
 * standardised error of the combination (without the pooled member, which
 * has seen those points) refitted without the last
 * min(h, n/2) points, on those points; 1 when that is below 1 or the series
 * is too short (fewer than 6 points left). */
double forecast_ensemble_calibration(const double *y, int n, int m, int h);

/* Accuracy. Missing actual values (NAN) are skipped. sMAPE in percent;
 * MASE scaled by the in-sample MAE of the seasonal naive forecast (lag m,
 * or 1 when n <= m; when that is zero, by the mean absolute value, then 1). */
double forecast_smape(const double *actual, const double *fc, int h);
double forecast_mase(const double *train, int n, int m, const double *actual, const double *fc,
		     int h);

/* Nelder-Mead minimisation of f over R^d (d <= FORECAST_NM_MAXDIM), started
 * at x with initial steps step[]; restarts from the best point until a
 * restart no longer improves. Deterministic. Returns the evaluations used;
 * x holds the best point and *fbest its value. */
#define FORECAST_NM_MAXDIM 20
typedef double (*forecast_objective)(const double *x, void *ctx);
int forecast_nelder_mead(forecast_objective f, void *ctx, int d, double *x, const double *step,
			 int maxeval, double tol, double *fbest);

#endif
