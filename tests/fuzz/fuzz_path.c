/* fuzz_path.c: libFuzzer target for the static-file path check
 * (src/http/static.c): a path it accepts never climbs out of the web
 * directory or names a hidden file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (http_path_safe(s) && (strstr(s, "/.") || strstr(s, "\\") || s[0] != '/'))
		abort();
	(void)http_content_type(s);
	free(s);
	return 0;
}
