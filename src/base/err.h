/* err.h: the error codes every fallible function returns (0 is success, as
 * in SQLite and curl) and the caller-owned error detail (git's strbuf *err).
 * One place, src/api/api.c, maps a code to an HTTP status and JSON body. */
#ifndef MS_ERR_H
#define MS_ERR_H

#include <stdint.h>

enum ms_err {
	MS_OK = 0,
	MS_EINVAL,     /* bad input: 400, or 422 where the JSON was well formed */
	MS_EUNAUTH,    /* not logged in or wrong credentials: 401 */
	MS_EFORBIDDEN, /* logged in but not allowed: 403 */
	MS_ENOTFOUND,  /* no such record, or not visible to the caller: 404 */
	MS_ECONFLICT,  /* stale version or duplicate key: 409 */
	MS_ETOOBIG,    /* body or upload over its cap: 413 */
	MS_EMEDIATYPE, /* a body of a type the route does not take: 415 */
	MS_ETHROTTLED, /* too many failed attempts: 429 */
	MS_EDB,	       /* storage failure: 500, text logged, not sent */
	MS_EIO,	       /* file or system failure */
};

/* The detail of an error. code is the stable, machine-readable word the web
 * UI translates ("invalid", "required", "too_long"...); field names the input
 * field at fault, or is empty; message is English text in git's style: lower
 * case, subject in quotes, no final period. */
struct ms_error {
	enum ms_err err;
	char code[32];
	char field[64];
	char message[256];
	int64_t max; /* the limit a too_long value passed (bytes), else 0 */
};

#define MS_ERROR_INIT                                                                              \
	{                                                                                          \
		MS_OK, "", "", "", 0                                                               \
	}

/* Fills e (when not NULL) and returns err, so that callers can write
 * `return ms_fail(e, MS_EINVAL, "required", "name", "'name' is required");`. */
enum ms_err ms_fail(struct ms_error *e, enum ms_err err, const char *code, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

void ms_error_clear(struct ms_error *e);
const char *ms_err_name(enum ms_err err);

#endif
