/* forecast_intermittent.c: Croston (1972), its bias-corrected SBA variant
 * (Syntetos and Boylan 2005) and TSB (Teunter, Syntetos and Babai 2011) for
 * intermittent demand, with smoothing constant 0.1 and R's initialisation
 * (first demand, first interval). Pure: libc and libm only, no I/O. */
#include "domain/forecast.h"

#include <math.h>

enum variant { CROSTON, SBA, TSB };

int forecast_is_intermittent(const double *y, int n)
{
	int k = 0;

	for (int t = 0; t < n; t++) {
		if (y[t] < 0)
			return 0;
		k += y[t] != 0;
	}
	return n > 0 && (k == 0 || (double)n / k >= 1.32);
}

/* Runs the chosen variant; sd is the root mean square of the in-sample
 * one-step errors after the first demand, flat over the horizon since the
 * forecast is a demand rate per period. */
static int intermittent(const double *y, int n, int h, enum variant v, double *mean, double *sd)
{
	const double a = FORECAST_CROSTON_ALPHA;
	double z = 0, p = 0, d = 0, f = 0, sse = 0;
	int first = -1, last = -1, cnt = 0;

	for (int t = 0; t < n; t++) {
		if (y[t] < 0)
			return -1;
		if (y[t] > 0 && first < 0)
			first = t;
	}
	if (first >= 0) {
		z = y[first];
		p = first + 1;
		d = 1 / p;
		last = first;
		for (int t = first + 1; t < n; t++) {
			double fc = v == TSB ? d * z : (v == SBA ? 1 - a / 2 : 1) * z / p;

			sse += (y[t] - fc) * (y[t] - fc);
			cnt++;
			if (v == TSB) {
				d += a * ((y[t] > 0) - d);
				if (y[t] > 0)
					z += a * (y[t] - z);
			} else if (y[t] > 0) {
				z += a * (y[t] - z);
				p += a * (t - last - p);
				last = t;
			}
		}
		f = v == TSB ? d * z : (v == SBA ? 1 - a / 2 : 1) * z / p;
	}
	for (int j = 0; j < h; j++) {
		mean[j] = f;
		sd[j] = cnt ? sqrt(sse / cnt) : 0;
	}
	return 0;
}

int forecast_croston(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return intermittent(y, n, h, CROSTON, mean, sd);
}

int forecast_sba(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return intermittent(y, n, h, SBA, mean, sd);
}

int forecast_tsb(const double *y, int n, int m, int h, double *mean, double *sd)
{
	return intermittent(y, n, h, TSB, mean, sd);
}
