/* fuzz_csvlong.c: libFuzzer target for the forecast CLI's long-form CSV
 * reader (src/base/csvlong.c). */
#include <stdint.h>
#include <stdlib.h>

#include "base/csvlong.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvlong c;
	struct csvlong_error err;

	if (csvlong_parse((const char *)data, size, &c, &err) == 0)
		csvlong_free(&c);
	return 0;
}
