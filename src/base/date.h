/* date.h: calendar dates and instants. A calendar date is an int32 count of
 * days since 1970-01-01 (proleptic Gregorian); an instant is int64 seconds
 * since the epoch, UTC. Text forms are ISO 8601: "2026-11-26" for dates and
 * "2026-11-26T19:14:30+08:00" for instants shown in the business time zone,
 * Asia/Shanghai (UTC+8, no daylight saving since 1991). Pure: the clock is
 * read only by date_now(), which callers pass down. */
#ifndef MS_DATE_H
#define MS_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_TZ_OFFSET_SECONDS (8 * 3600)
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2200

/* "YYYY-MM-DD" with a real day of month; -1 on anything else. */
int date_parse(const char *s, int32_t *days);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void date_format(int32_t days, char *buf);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday (ISO). */
int date_weekday(int32_t days);
int date_days_in_month(int y, int m);

/* Instants. date_parse_instant accepts "YYYY-MM-DDTHH:MM:SS" followed by
 * "Z", "+HH:MM" or "-HH:MM", or nothing (then Asia/Shanghai). */
int date_parse_instant(const char *s, int64_t *unix_seconds);
/* Writes "YYYY-MM-DDTHH:MM:SS+08:00" into buf (at least 26 bytes). */
void date_format_instant(int64_t unix_seconds, char *buf);
/* The business-calendar date of an instant. */
int32_t date_of_instant(int64_t unix_seconds);

int64_t date_now(void);

#endif
