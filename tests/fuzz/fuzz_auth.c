/* fuzz_auth.c: libFuzzer target for the JSON bodies of the routes that check
 * a password: POST /api/v1/auth/login and POST /api/v1/me/password. They
 * manage their own transactions (the throttle is taken before the slow hash),
 * so they run outside one, on the scratch database of api_fixture.h, whose
 * admin can never log in: a body reaches the decode, the throttle and the
 * password check (a hash for an unknown user), and the throttle's counters
 * are forgotten after each input. Not for FUZZ_DB: on a demo database a
 * right password would log in or change it for good. Any 4xx is fine; a
 * 500, or a sanitizer report, is a bug. */
#include <stdint.h>
#include <stdlib.h>

#include "api_fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct route *routes[2];

	if (!routes[0]) {
		fx_open();
		for (const struct route *r = api_routes; r->method; r++) {
			if (!strcmp(r->method, "POST") && !strcmp(r->pattern, "/api/v1/auth/login"))
				routes[0] = r;
			if (!strcmp(r->method, "POST") &&
			    !strcmp(r->pattern, "/api/v1/me/password"))
				routes[1] = r;
		}
		if (!routes[0] || !routes[1])
			abort();
	}
	fx_body_input(data, size, routes, 2);
	return 0;
}
