/* fuzz_csvread.c: libFuzzer target for the streaming CSV reader of imports
 * (src/base/csvread.c), fed in two chunks split where the input says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csvread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(void *cls, const struct csvread_row *r)
{
	size_t *total = cls;
	for (int i = 0; i < r->nfields; i++)
		*total += r->lens[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t total = 0, cut = size ? data[0] % (size + 1) : 0;
	struct csvread *r = csvread_new(row, &total);

	if (!r)
		return 0;
	if (csvread_feed(r, (const char *)data, cut) == 0 &&
	    csvread_feed(r, (const char *)data + cut, size - cut) == 0)
		(void)csvread_finish(r);
	csvread_free(r);
	return 0;
}
