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
/* 1 for a Unicode noncharacter: U+FDD0..U+FDEF and the last two code
 * points of every plane (U+FFFE, U+FFFF, U+1FFFE ... U+10FFFF). */
int utf8_noncharacter(unsigned cp);
/* What makes s[0..n) unfit as text that people read and that goes into an
 * XML document (XLSX): the first fault found, UTF8_OK when none. A
 * control character is a C0 one other than tab, LF and CR (XML 1.0 does
 * not allow them); noncharacters are refused too (XML 1.0 forbids U+FFFE
 * and U+FFFF, and none of them is meant for interchange). */
enum utf8_fault { UTF8_OK = 0, UTF8_MALFORMED, UTF8_CONTROL, UTF8_NONCHARACTER };
enum utf8_fault utf8_text_fault(const char *s, size_t n);
/* Copies s[0..n) to out with every fault of utf8_text_fault replaced by
 * U+FFFD: each byte of a malformed form (NUL included), each control
 * character, each noncharacter. out holds at least 3 * n + 1 bytes; it is
 * NUL-terminated and the length written is returned. */
size_t utf8_scrub(const char *s, size_t n, char *out);
/* Number of code points of a valid UTF-8 string. */
size_t utf8_length(const char *s);

#endif
