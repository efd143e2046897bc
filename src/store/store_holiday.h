/* store_holiday.h: the holiday calendar (migration 0013): each year's public
 * holidays and make-up working days (调休) as the State Council publishes
 * them, edited by the administrator. Reference data: everyone reads it;
 * the tender clock counts every working day with it. */
#ifndef MS_STORE_HOLIDAY_H
#define MS_STORE_HOLIDAY_H

#include "domain/pipeline.h"
#include "store/store.h"

/* Longest holiday name, in bytes. */
#define HOLIDAY_NAME_MAX 100
/* Years the calendar can hold: 2000-2100. */
#define HOLIDAY_YEAR_MIN 2000
#define HOLIDAY_YEAR_MAX 2100

/* The calendar's days from from to to (day numbers), loaded for the
 * domain's working-day counts. Release with store_holiday_release. */
struct holiday_set {
	struct holiday_calendar cal;
	struct holiday *days; /* malloc'd */
	json_t *rows;	      /* owns the names */
};
enum ms_err store_holiday_load(struct store *st, int32_t from, int32_t to, struct holiday_set *hs,
			       struct ms_error *e);
void store_holiday_release(struct holiday_set *hs);
/* How well the calendar knows the years of from..to: "official" (every
 * year entered and final), "provisional" (a year marked provisional) or
 * "missing" (a year not entered: Monday to Friday only). */
const char *store_holiday_coverage(struct store *st, int32_t from, int32_t to);

/* One year: {year, provisional, source, version (0: not entered), days:
 * [{date, kind, name}], years: [every year entered]}. */
enum ms_err store_holiday_year_get(struct store *st, int year, json_t **out, struct ms_error *e);
/* Replaces a year's days ([{date, kind: holiday|workday, name}], dates of
 * that year, or of December before it or January after it for a holiday
 * that straddles the new year), its provisional flag and source; version 0
 * for a year not entered yet, else its version (MS_ECONFLICT when stale).
 * Audited as one entry. */
enum ms_err store_holiday_year_put(struct store *st, const struct scope *who, int year,
				   int64_t version, int provisional, const char *source,
				   json_t *days, struct ms_error *e);

#endif
