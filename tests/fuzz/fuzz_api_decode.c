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
	static const char *const no_args[] = { NULL };
	struct arena a;
	const char *params, *rest;
	size_t rest_len;
	unsigned route, role;
	json_error_t jerr;
	json_t *body;

	if (!nroutes) {
		fx_open();
		nroutes = fx_routes(NULL, routes, 256);
	}
	arena_init(&a);
	if (!fx_split(data, size, &a, &route, &role, &params, &rest, &rest_len))
		goto out;
	body = json_loadb(rest, rest_len, JSON_REJECT_DUPLICATES, &jerr);
	if (body && json_is_object(body))
		fx_call(routes[route % (unsigned)nroutes], role, params, no_args, body);
	json_decref(body);
out:
	arena_release(&a);
	return 0;
}
