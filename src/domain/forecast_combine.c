/* forecast_combine.c: the combination forecast, the mean of ETS (selected
 * by AICc), theta, damped trend and optimised theta: combinations beat every
 * single method in M3 and M4 (Makridakis et al. 2020). Points and interval
 * bounds are averaged step by step. Pure: libc and libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMBERS 4

static int finite_all(const double *v, int h)
{
	for (int j = 0; j < h; j++)
		if (!isfinite(v[j]))
			return 0;
	return 1;
}

/* The ETS fit reproduces the history to 1e-8: nothing to combine with. */
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
	static const forecast_fn others[MEMBERS] = { NULL, forecast_theta, forecast_damped,
						     forecast_otm };
	static const char *const names[MEMBERS] = { "", ",theta", ",damped", ",otm" };
	double *buf = malloc(sizeof(double) * (size_t)h * 2 * MEMBERS), *mean[MEMBERS],
	       *sd[MEMBERS];
	struct forecast_ets f;
	char ets_name[24] = "";
	int ok[MEMBERS] = { 0 }, k = 0;

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
	for (int i = 1; i < MEMBERS; i++)
		ok[i] = others[i](y, n, m, h, mean[i], sd[i]) == 0 && finite_all(mean[i], h) &&
			finite_all(sd[i], h);
	for (int i = 0; i < MEMBERS; i++)
		k += ok[i];
	if (!k) {
		free(buf);
		return -1;
	}
	for (int j = 0; j < h; j++) {
		r->mean[j] = r->lo80[j] = r->hi80[j] = r->lo95[j] = r->hi95[j] = 0;
		for (int i = 0; i < MEMBERS; i++) {
			if (!ok[i])
				continue;
			r->mean[j] += mean[i][j] / k;
			r->lo80[j] += (mean[i][j] - FORECAST_Z80 * sd[i][j]) / k;
			r->hi80[j] += (mean[i][j] + FORECAST_Z80 * sd[i][j]) / k;
			r->lo95[j] += (mean[i][j] - FORECAST_Z95 * sd[i][j]) / k;
			r->hi95[j] += (mean[i][j] + FORECAST_Z95 * sd[i][j]) / k;
		}
	}
	snprintf(r->model, sizeof(r->model), "mean(%s", ok[0] ? ets_name : "-");
	for (int i = 1; i < MEMBERS; i++)
		if (ok[i])
			snprintf(r->model + strlen(r->model), sizeof(r->model) - strlen(r->model),
				 "%s", names[i]);
	snprintf(r->model + strlen(r->model), sizeof(r->model) - strlen(r->model), ")");
	free(buf);
	return 0;
}
