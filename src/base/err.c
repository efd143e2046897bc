/* err.c: filling struct ms_error. Depends on libc only. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t n, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

enum ms_err ms_fail(struct ms_error *e, enum ms_err err, const char *code, const char *field,
		    const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return err;
	e->err = err;
	e->max = 0;
	copy(e->code, sizeof(e->code), code);
	copy(e->field, sizeof(e->field), field);
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return err;
}

void ms_error_clear(struct ms_error *e)
{
	e->err = MS_OK;
	e->max = 0;
	e->code[0] = e->field[0] = e->message[0] = '\0';
}

const char *ms_err_name(enum ms_err err)
{
	switch (err) {
	case MS_OK: return "ok";
	case MS_EINVAL: return "invalid";
	case MS_EUNAUTH: return "unauthenticated";
	case MS_EFORBIDDEN: return "forbidden";
	case MS_ENOTFOUND: return "not_found";
	case MS_ECONFLICT: return "conflict";
	case MS_ETOOBIG: return "too_large";
	case MS_EMEDIATYPE: return "unsupported_media_type";
	case MS_ETHROTTLED: return "throttled";
	case MS_EDB: return "internal";
	case MS_EIO: return "internal";
	}
	return "internal";
}
