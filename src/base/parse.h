/* parse.h: range-checked parsing of numbers, dates, money and UTF-8 from
 * outside input (OpenBSD's strtonum idea). Each returns 0 on success and -1
 * on anything else (empty, trailing junk, out of range); *out is untouched on
 * failure. Depends on libc only. */
#ifndef MS_PARSE_H
#define MS_PARSE_H

#include <stddef.h>
#include <stdint.h>

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
int parse_double(const char *s, double min, double max, double *out);

/* "12", "12.3", "12.34", "-5.00" yuan -> fen. At most two decimals. */
int parse_money_fen(const char *s, int64_t *fen);

/* 1 when s[0..n) is valid UTF-8 without NUL bytes and overlong forms. */
int utf8_valid(const char *s, size_t n);
/* Number of code points of a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
