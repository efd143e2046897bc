/* parse.c: range-checked parsers of parse.h. Depends on libc only. */
#include "base/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_money_fen(const char *s, int64_t *fen)
{
	int neg = 0, decimals = -1;
	int64_t v = 0;
	const char *p = s;

	if (!s || !*s)
		return -1;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!*p || *p == '.')
		return -1;
	for (; *p; p++) {
		if (*p == '.') {
			if (decimals >= 0)
				return -1;
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		if (decimals >= 0 && ++decimals > 2)
			return -1;
		if (v > (INT64_MAX / 100 - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (decimals == 0)
		return -1; /* "12." */
	if (decimals < 0)
		decimals = 0;
	while (decimals++ < 2)
		v *= 10;
	*fen = neg ? -v : v;
	return 0;
}

/* Decodes the code point at s[*i] (below n), moving *i past it: 0, or -1
 * for a malformed, overlong, surrogate or out-of-range form, or NUL. */
static int utf8_next(const unsigned char *s, size_t n, size_t *i, unsigned *out)
{
	unsigned c = s[*i], cp;
	size_t len;

	if (c == 0)
		return -1;
	if (c < 0x80) {
		*out = c;
		(*i)++;
		return 0;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3;
		cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4;
		cp = c & 0x07;
	} else {
		return -1;
	}
	if (n - *i < len)
		return -1;
	for (size_t k = 1; k < len; k++) {
		if ((s[*i + k] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[*i + k] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*i += len;
	*out = cp;
	return 0;
}

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	unsigned cp;

	while (i < n)
		if (utf8_next(s, n, &i, &cp))
			return 0;
	return 1;
}

int utf8_noncharacter(unsigned cp)
{
	return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

enum utf8_fault utf8_text_fault(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	unsigned cp;

	while (i < n) {
		if (utf8_next(s, n, &i, &cp))
			return UTF8_MALFORMED;
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return UTF8_CONTROL;
		if (utf8_noncharacter(cp))
			return UTF8_NONCHARACTER;
	}
	return UTF8_OK;
}

size_t utf8_scrub(const char *str, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0;

	while (i < n) {
		size_t at = i;
		unsigned cp;
		if (utf8_next(s, n, &i, &cp)) {
			i = at + 1; /* one replacement a byte */
		} else if ((cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') &&
			   !utf8_noncharacter(cp)) {
			memcpy(out + o, s + at, i - at);
			o += i - at;
			continue;
		}
		memcpy(out + o, "\xEF\xBF\xBD", 3);
		o += 3;
	}
	out[o] = '\0';
	return o;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
