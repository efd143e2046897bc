/* fuzz_api_decode.c: libFuzzer target for the JSON bodies of every write
 * route: the input (api_fixture.h: route, role, path parameters, then the
 * body) is parsed as the dispatcher parses a body (jansson, duplicate keys
 * rejected, an object) and handed to the route's handler, which decodes it
 * through api_decode / api_take_version and its field table, checks it and
 * writes, in a transaction rolled back afterwards, on a scratch database.
 * Any 4xx is fine; a 500, or a sanitizer report, is a bug. */
#include <stdint.h>
#include <stdlib.h>

#include "api_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct route *routes[256];
	static int nroutes;

	if (!nroutes) {
		fx_open();
		nroutes = fx_routes(NULL, routes, 256);
	}
	fx_body_input(data, size, routes, (unsigned)nroutes);
	return 0;
}
