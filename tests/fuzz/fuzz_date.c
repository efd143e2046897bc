/* fuzz_date.c: libFuzzer target for ISO 8601 dates and instants
 * (src/base/date.c): a parsed date must format back to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[32];
	int32_t days;
	int64_t t;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (date_parse(s, &days) == 0) {
		date_format(days, out);
		if (strcmp(out, s))
			abort();
	}
	if (date_parse_instant(s, &t) == 0)
		date_format_instant(t, out);
	free(s);
	return 0;
}
