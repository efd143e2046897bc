/* fuzz_csvlong.c: libFuzzer target for the forecast CLI's input, the
 * long-form CSV "id,t,value" (src/base/csvlong.c; cmd_forecast.c reads its
 * files with nothing else). What it accepts holds: every series found by
 * its id, ids within CSVLONG_MAX_ID, t strictly increasing within a series
 * and within CSVLONG_MAX_T, and a line for every point. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csvlong.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvlong c;
	struct csvlong_error err;

	if (csvlong_parse((const char *)data, size, &c, &err) != 0) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	for (int k = 0; k < c.count; k++) {
		const struct csvlong_series *s = &c.s[k];
		if (!s->id || strlen(s->id) > CSVLONG_MAX_ID || csvlong_find(&c, s->id) != s ||
		    s->n < 1)
			abort();
		for (int i = 0; i < s->n; i++) {
			if (s->t[i] > CSVLONG_MAX_T || s->t[i] < -CSVLONG_MAX_T || s->line[i] < 1 ||
			    (i && s->t[i] <= s->t[i - 1]) || isinf(s->v[i]))
				abort();
		}
	}
	csvlong_free(&c);
	return 0;
}
