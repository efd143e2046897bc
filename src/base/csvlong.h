/* csvlong.h: reader of time series in long CSV form, header "id,t,value"
 * (many series in one file, t an increasing integer within each series),
 * with optional double quotes around fields ("" inside quotes is a quote)
 * and CRLF or LF line ends. An empty value or NA is a missing value (NAN).
 * Errors carry the 1-based line number. Depends on libc only. */
#ifndef MS_CSVLONG_H
#define MS_CSVLONG_H

#include <stddef.h>
#include <stdint.h>

#define CSVLONG_MAX_ID 256	      /* bytes of a series id */
#define CSVLONG_MAX_T 1000000000000LL /* |t| */

struct csvlong_series {
	char *id;
	int64_t *t;
	double *v; /* NAN when missing */
	int *line; /* line of each point */
	int n, cap;
};

/* Series in order of first appearance; rows of a series may interleave
 * with other series' rows. */
struct csvlong {
	struct csvlong_series *s;
	int count, cap;
	int *index; /* open addressing: series number or -1 */
	size_t index_cap;
};

struct csvlong_error {
	int line; /* 0 when the error is not about a line (out of memory) */
	char msg[320];
};

/* Parses text[0..len) into out (zeroed first). 0 or -1 with err filled;
 * on failure out holds nothing to free. */
int csvlong_parse(const char *text, size_t len, struct csvlong *out, struct csvlong_error *err);
const struct csvlong_series *csvlong_find(const struct csvlong *c, const char *id);
void csvlong_free(struct csvlong *c);

#endif
