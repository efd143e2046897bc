/* fuzz_parse.c: libFuzzer target for the number, money and UTF-8 parsers of
 * src/base/parse.c, which read query parameters, JSON text and CSV cells. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int64_t i;
	double d;
	enum utf8_fault f;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)parse_int64(s, INT64_MIN, INT64_MAX, &i);
	(void)parse_int64(s, -5, 5, &i);
	(void)parse_double(s, -1e9, 1e9, &d);
	/* UBSan reports any overflow in the money arithmetic. */
	(void)parse_money_fen(s, &i);
	if (utf8_valid(s, size))
		(void)utf8_length(s);
	/* It agrees with utf8_valid: malformed text is never OK, valid text
	 * never malformed. */
	f = utf8_text_fault(s, size);
	if ((f == UTF8_MALFORMED && utf8_valid(s, size)) || (f == UTF8_OK && !utf8_valid(s, size)))
		abort();
	/* The scrubbed copy is always fit text. */
	{
		char *out = malloc(3 * size + 1);
		if (out && utf8_text_fault(out, utf8_scrub(s, size, out)) != UTF8_OK)
			abort();
		free(out);
	}
	free(s);
	return 0;
}
