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

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned cp;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
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
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}
