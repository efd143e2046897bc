/* date.c: civil-date arithmetic (Howard Hinnant's days_from_civil) and ISO
 * 8601 text. Depends on libc only; date_now() is the one clock read. */
#include "base/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

int date_days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7 + 3) % 7);
	return w + 1;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_ymd(const char *s, int *y, int *m, int *d)
{
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, m) || s[7] != '-' ||
	    digits(s + 8, 2, d))
		return -1;
	if (*y < DATE_MIN_YEAR || *y > DATE_MAX_YEAR || *m < 1 || *m > 12 || *d < 1 ||
	    *d > date_days_in_month(*y, *m))
		return -1;
	return 0;
}

int date_parse(const char *s, int32_t *days)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || parse_ymd(s, &y, &m, &d))
		return -1;
	*days = date_from_ymd(y, m, d);
	return 0;
}

void date_format(int32_t days, char *buf)
{
	char tmp[48];
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y % 10000, m, d);
	memcpy(buf, tmp, 10);
	buf[10] = '\0';
}

int date_parse_instant(const char *s, int64_t *out)
{
	int y, mo, d, hh, mi, ss, oh, om;
	int64_t offset = DATE_TZ_OFFSET_SECONDS;
	size_t n;

	if (!s)
		return -1;
	n = strlen(s);
	if (n < 19 || parse_ymd(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 59)
		return -1;
	s += 19;
	n -= 19;
	if (n && *s == '.') { /* fractional seconds are dropped */
		s++;
		n--;
		if (!n || *s < '0' || *s > '9')
			return -1;
		while (n && *s >= '0' && *s <= '9') {
			s++;
			n--;
		}
	}
	if (n == 1 && *s == 'Z') {
		offset = 0;
	} else if (n == 6 && (*s == '+' || *s == '-') && !digits(s + 1, 2, &oh) && s[3] == ':' &&
		   !digits(s + 4, 2, &om) && oh <= 14 && om <= 59) {
		offset = (int64_t)(oh * 3600 + om * 60) * (*s == '-' ? -1 : 1);
	} else if (n != 0) {
		return -1;
	}
	*out = (int64_t)date_from_ymd(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - offset;
	return 0;
}

int32_t date_of_instant(int64_t t)
{
	int64_t local = t + DATE_TZ_OFFSET_SECONDS;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	return (int32_t)days;
}

void date_format_instant(int64_t t, char *buf)
{
	int32_t days = date_of_instant(t);
	int64_t sec = t + DATE_TZ_OFFSET_SECONDS - (int64_t)days * 86400;
	char tmp[80];
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y % 10000, m, d,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
	memcpy(buf, tmp, 25);
	buf[25] = '\0';
}

int64_t date_now(void)
{
	return (int64_t)time(NULL);
}
