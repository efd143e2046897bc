/* fuzz_query.c: libFuzzer target for the query strings of every GET route:
 * the input (api_fixture.h: route, role, path parameters, then a query
 * string "a=1&b=%41") is split and percent-decoded as libmicrohttpd does,
 * and the route's handler reads it through api_query_int/_bool/_text/_date,
 * api_page and the list filters, on a scratch database. Any 4xx is fine; a
 * 500 or a sanitizer report is a bug. */
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct route *routes[256];
	static int nroutes;
	const char *args[2 * MAX_ARGS + 1];
	struct arena a;
	const char *params, *rest;
	size_t rest_len;
	unsigned route, role;
	char *q, *pair, *save = NULL;
	int n = 0;

	if (!nroutes) {
		fx_open();
		nroutes = fx_routes("GET", routes, 256);
	}
	arena_init(&a);
	if (!fx_split(data, size, &a, &route, &role, &params, &rest, &rest_len))
		goto out;
	/* The query as libmicrohttpd splits it: '&' between pairs, the first
	 * '=' between key and value, then %XX decoding of each. */
	q = arena_strndup(&a, rest, rest_len);
	for (pair = strtok_r(q, "&", &save); pair && n < MAX_ARGS;
	     pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (eq)
			*eq++ = '\0';
		MHD_http_unescape(pair);
		if (eq)
			MHD_http_unescape(eq);
		args[2 * n] = pair;
		args[2 * n + 1] = eq;
		n++;
	}
	args[2 * n] = NULL;
	fx_call(routes[route % (unsigned)nroutes], role, params, args, NULL);
out:
	arena_release(&a);
	return 0;
}
