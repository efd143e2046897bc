/* forecast_metrics.c: forecast accuracy as in the M3 and M4 competitions,
 * sMAPE (Makridakis 1993) and MASE (Hyndman and Koehler 2006). Pure: libc
 * and libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>

double forecast_smape(const double *actual, const double *fc, int h)
{
	double s = 0;
	int k = 0;

	for (int j = 0; j < h; j++) {
		double den = fabs(actual[j]) + fabs(fc[j]);

		if (isnan(actual[j]))
			continue;
		/* 0/0, an exact forecast of zero, counts as no error. */
		s += den > 0 ? 200 * fabs(actual[j] - fc[j]) / den : 0;
		k++;
	}
	return k ? s / k : 0;
}

static double naive_mae(const double *y, int n, int lag)
{
	double s = 0;
	int k = 0;

	for (int t = lag; t < n; t++) {
		if (isnan(y[t]) || isnan(y[t - lag]))
			continue;
		s += fabs(y[t] - y[t - lag]);
		k++;
	}
	return k ? s / k : 0;
}

double forecast_mase(const double *train, int n, int m, const double *actual, const double *fc,
		     int h)
{
	double scale = naive_mae(train, n, n > m ? m : 1), s = 0;
	int k = 0;

	if (!(scale > 0)) {
		for (int t = 0; t < n; t++)
			if (!isnan(train[t]))
				scale += fabs(train[t]), k++;
		scale = k && scale > 0 ? scale / k : 1;
		k = 0;
	}
	for (int j = 0; j < h; j++) {
		if (isnan(actual[j]))
			continue;
		s += fabs(actual[j] - fc[j]);
		k++;
	}
	return k ? s / k / scale : 0;
}
