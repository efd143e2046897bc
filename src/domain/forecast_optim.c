/* forecast_optim.c: Nelder-Mead simplex minimisation (Nelder and Mead 1965,
 * with the standard coefficients 1, 2, 0.5, 0.5 of Lagarias et al. 1998),
 * restarted from the best point to escape premature collapse. Pure and
 * deterministic: no randomness, no I/O, fixed-size storage. */
#include "domain/forecast.h"

#include <math.h>
#include <string.h>

struct simplex {
	int d;
	double x[FORECAST_NM_MAXDIM + 1][FORECAST_NM_MAXDIM];
	double f[FORECAST_NM_MAXDIM + 1];
};

static double eval(forecast_objective f, void *ctx, const double *x, int *nev)
{
	double v = f(x, ctx);

	(*nev)++;
	return isnan(v) ? HUGE_VAL : v;
}

/* Insertion sort by value; ties keep their order, so the run is stable. */
static void order(struct simplex *s)
{
	for (int i = 1; i <= s->d; i++) {
		double fv = s->f[i], xv[FORECAST_NM_MAXDIM];
		int j = i - 1;

		memcpy(xv, s->x[i], sizeof(xv));
		while (j >= 0 && s->f[j] > fv) {
			s->f[j + 1] = s->f[j];
			memcpy(s->x[j + 1], s->x[j], sizeof(xv));
			j--;
		}
		s->f[j + 1] = fv;
		memcpy(s->x[j + 1], xv, sizeof(xv));
	}
}

/* One run from x; returns the evaluations used. */
static int run(forecast_objective f, void *ctx, int d, double *x, const double *step, int maxeval,
	       double tol, double *fbest)
{
	struct simplex s;
	double c[FORECAST_NM_MAXDIM], xr[FORECAST_NM_MAXDIM], xe[FORECAST_NM_MAXDIM];
	int nev = 0;

	s.d = d;
	for (int i = 0; i <= d; i++) {
		memcpy(s.x[i], x, sizeof(double) * (size_t)d);
		if (i > 0)
			s.x[i][i - 1] += step[i - 1];
		s.f[i] = eval(f, ctx, s.x[i], &nev);
	}
	while (nev < maxeval) {
		double fr;

		order(&s);
		if (fabs(s.f[d] - s.f[0]) <= tol * (fabs(s.f[0]) + tol))
			break;
		for (int j = 0; j < d; j++) {
			c[j] = 0;
			for (int i = 0; i < d; i++)
				c[j] += s.x[i][j];
			c[j] /= d;
			xr[j] = 2 * c[j] - s.x[d][j];
		}
		fr = eval(f, ctx, xr, &nev);
		if (fr < s.f[0]) {
			double fe;

			for (int j = 0; j < d; j++)
				xe[j] = 3 * c[j] - 2 * s.x[d][j];
			fe = eval(f, ctx, xe, &nev);
			if (fe < fr) {
				memcpy(s.x[d], xe, sizeof(double) * (size_t)d);
				s.f[d] = fe;
			} else {
				memcpy(s.x[d], xr, sizeof(double) * (size_t)d);
				s.f[d] = fr;
			}
			continue;
		}
		if (fr < s.f[d - 1]) {
			memcpy(s.x[d], xr, sizeof(double) * (size_t)d);
			s.f[d] = fr;
			continue;
		}
		/* Contraction, outside when the reflection improved on the worst. */
		{
			double fc;
			int outside = fr < s.f[d];

			for (int j = 0; j < d; j++)
				xe[j] = outside ? c[j] + 0.5 * (xr[j] - c[j])
						: c[j] + 0.5 * (s.x[d][j] - c[j]);
			fc = eval(f, ctx, xe, &nev);
			if (fc < (outside ? fr : s.f[d])) {
				memcpy(s.x[d], xe, sizeof(double) * (size_t)d);
				s.f[d] = fc;
				continue;
			}
		}
		/* Shrink towards the best vertex. */
		for (int i = 1; i <= d; i++) {
			for (int j = 0; j < d; j++)
				s.x[i][j] = s.x[0][j] + 0.5 * (s.x[i][j] - s.x[0][j]);
			s.f[i] = eval(f, ctx, s.x[i], &nev);
		}
	}
	order(&s);
	memcpy(x, s.x[0], sizeof(double) * (size_t)d);
	*fbest = s.f[0];
	return nev;
}

int forecast_nelder_mead(forecast_objective f, void *ctx, int d, double *x, const double *step,
			 int maxeval, double tol, double *fbest)
{
	double st[FORECAST_NM_MAXDIM], fprev;
	int used = 0;

	if (d < 1 || d > FORECAST_NM_MAXDIM) {
		*fbest = HUGE_VAL;
		return 0;
	}
	memcpy(st, step, sizeof(double) * (size_t)d);
	used += run(f, ctx, d, x, st, maxeval, tol, fbest);
	/* Restarts with smaller simplices while they still help. */
	for (int r = 0; r < 3 && used < maxeval; r++) {
		fprev = *fbest;
		for (int j = 0; j < d; j++)
			st[j] *= 0.5;
		used += run(f, ctx, d, x, st, maxeval - used, tol, fbest);
		if (!(*fbest < fprev - tol * (fabs(fprev) + tol)))
			break;
	}
	return used;
}
