/* forecast_combine.c: the combination of ETS (selected by AICc), theta and
 * damped trend, the recipe that beat every single method in M3 and M4
 * (Makridakis et al. 2020; Hyndman 2020). Point forecasts and interval
 * bounds are combined step by step. Pure: libc and libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MEMBERS 3

static double median3(const double *v, int k)
{
	double a = v[0], b = k > 1 ? v[1] : v[0], c = k > 2 ? v[2] : 0;

	if (k == 1)
		return a;
	if (k == 2)
		return (a + b) / 2;
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	return c < a ? a : (c > b ? b : c);
}

static int finite_all(const double *v, int h)
{
	for (int j = 0; j < h; j++)
		if (!isfinite(v[j]))
			return 0;
	return 1;
}

/* The in-sample fit is exact to 1e-8: nothing to combine with. */
static int exact_fit(const struct forecast_ets *f, const double *y, int n)
{
	double sabs = 0;

	for (int t = 0; t < n; t++)
		sabs += fabs(y[t]);
	if (f->error == FORECAST_ETS_M)
		return sqrt(f->sse / n) <= 1e-8;
	return sqrt(f->sse / n) <= 1e-8 * sabs / n;
}

int forecast_ensemble(const double *y, int n, int m, int h, struct forecast_result *r)
{
	double *buf = malloc(sizeof(double) * (size_t)h * 2 * MEMBERS), *mean[MEMBERS], *sd[MEMBERS];
	struct forecast_ets f;
	char ets_name[24] = "-";
	int ok[MEMBERS] = {0, 0, 0}, k = 0;

	if (!buf)
		return -1;
	for (int i = 0; i < MEMBERS; i++) {
		mean[i] = buf + (size_t)h * 2 * i;
		sd[i] = mean[i] + h;
	}
	if (forecast_ets_auto(y, n, m, &f) == 0) {
		forecast_ets_predict(&f, h, mean[0], sd[0]);
		forecast_ets_name(&f, ets_name, sizeof(ets_name));
		ok[0] = finite_all(mean[0], h) && finite_all(sd[0], h);
		if (ok[0] && exact_fit(&f, y, n)) {
			forecast_fill_intervals(mean[0], sd[0], h, r);
			snprintf(r->model, sizeof(r->model), "%s", ets_name);
			free(buf);
			return 0;
		}
	}
	ok[1] = forecast_theta(y, n, m, h, mean[1], sd[1]) == 0;
	ok[2] = forecast_damped(y, n, m, h, mean[2], sd[2]) == 0;
	for (int i = 1; i < MEMBERS; i++)
		ok[i] = ok[i] && finite_all(mean[i], h) && finite_all(sd[i], h);
	for (int i = 0; i < MEMBERS; i++)
		k += ok[i];
	if (!k) {
		free(buf);
		return -1;
	}
	for (int j = 0; j < h; j++) {
		double v[5][MEMBERS];
		int c = 0;

		for (int i = 0; i < MEMBERS; i++) {
			if (!ok[i])
				continue;
			v[0][c] = mean[i][j];
			v[1][c] = mean[i][j] - FORECAST_Z80 * sd[i][j];
			v[2][c] = mean[i][j] + FORECAST_Z80 * sd[i][j];
			v[3][c] = mean[i][j] - FORECAST_Z95 * sd[i][j];
			v[4][c] = mean[i][j] + FORECAST_Z95 * sd[i][j];
			c++;
		}
		r->mean[j] = median3(v[0], c);
		r->lo80[j] = median3(v[1], c);
		r->hi80[j] = median3(v[2], c);
		r->lo95[j] = median3(v[3], c);
		r->hi95[j] = median3(v[4], c);
	}
	snprintf(r->model, sizeof(r->model), "median(%s%s%s)", ok[0] ? ets_name : "",
		 ok[1] ? ",theta" : "", ok[2] ? ",damped" : "");
	free(buf);
	return 0;
}
