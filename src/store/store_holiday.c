/* store_holiday.c: the holiday calendar: loading it for the tender clock,
 * and the administrator's reading and editing of a year. */
#include <string.h>

#include "base/date.h"
#include "store/db.h"
#include "store/store_holiday.h"

enum ms_err store_holiday_load(struct store *st, int32_t from, int32_t to, struct holiday_set *hs,
			       struct ms_error *e)
{
	char a[11], b[11];
	json_t *row;
	size_t i, n;
	struct qb q;
	enum ms_err err;

	memset(hs, 0, sizeof(*hs));
	date_format(from, a);
	date_format(to, b);
	qb_init(&q, "SELECT date, kind, name FROM holiday WHERE date >= ? AND date <= ? ORDER BY "
		    "date");
	qb_text(&q, a);
	qb_text(&q, b);
	err = db_rows(st, &q, &hs->rows, e);
	qb_release(&q);
	if (err)
		return err;
	n = json_array_size(hs->rows);
	if (n && !(hs->days = calloc(n, sizeof(*hs->days)))) {
		json_decref(hs->rows);
		hs->rows = NULL;
		return ms_fail(e, MS_EDB, "internal", "", "out of memory");
	}
	json_array_foreach(hs->rows, i, row)
	{
		int32_t d = 0;
		date_parse(json_string_value(json_object_get(row, "date")), &d);
		hs->days[i].day = d;
		hs->days[i].kind =
			!strcmp(json_string_value(json_object_get(row, "kind")), "workday")
				? HOLIDAY_WORK
				: HOLIDAY_OFF;
		hs->days[i].name = json_string_value(json_object_get(row, "name"));
	}
	hs->cal.days = hs->days;
	hs->cal.n = n;
	return MS_OK;
}

void store_holiday_release(struct holiday_set *hs)
{
	free(hs->days);
	json_decref(hs->rows);
	memset(hs, 0, sizeof(*hs));
}

const char *store_holiday_coverage(struct store *st, int32_t from, int32_t to)
{
	int y0, y1, m, d;
	int64_t years = 0, provisional = 0;
	struct qb q;

	date_to_ymd(from, &y0, &m, &d);
	date_to_ymd(to, &y1, &m, &d);
	if (y1 < y0)
		y1 = y0;
	qb_init(&q, "SELECT count(*) FROM holiday_years WHERE year >= ? AND year <= ?");
	qb_int(&q, y0);
	qb_int(&q, y1);
	if (db_int(st, &q, &years, NULL))
		years = 0;
	qb_release(&q);
	if (years < (int64_t)(y1 - y0 + 1))
		return "missing";
	qb_init(&q, "SELECT count(*) FROM holiday_years WHERE year >= ? AND year <= ? AND "
		    "provisional = 1");
	qb_int(&q, y0);
	qb_int(&q, y1);
	if (db_int(st, &q, &provisional, NULL))
		provisional = 0;
	qb_release(&q);
	return provisional ? "provisional" : "official";
}

enum ms_err store_holiday_year_get(struct store *st, int year, json_t **out, struct ms_error *e)
{
	json_t *head = NULL, *days = NULL, *years = NULL, *list;
	size_t i;
	json_t *r;
	struct qb q;
	enum ms_err err;

	qb_init(&q, "SELECT year, provisional, source, version FROM holiday_years WHERE year = ?");
	qb_int(&q, year);
	err = db_row(st, &q, &head, NULL);
	qb_release(&q);
	if (err)
		head = json_pack("{s:i, s:b, s:s, s:i}", "year", year, "provisional", 0, "source",
				 "", "version", 0);
	else
		json_object_set_new(
			head, "provisional",
			json_boolean(json_integer_value(json_object_get(head, "provisional"))));
	qb_init(&q, "SELECT date, kind, name FROM holiday WHERE year = ? ORDER BY date");
	qb_int(&q, year);
	err = db_rows(st, &q, &days, e);
	qb_release(&q);
	if (!err) {
		qb_init(&q, "SELECT year FROM holiday_years ORDER BY year");
		err = db_rows(st, &q, &years, e);
		qb_release(&q);
	}
	if (err) {
		json_decref(head);
		json_decref(days);
		return err;
	}
	list = json_array();
	json_array_foreach(years, i, r) json_array_append(list, json_object_get(r, "year"));
	json_decref(years);
	json_object_set_new(head, "days", days);
	json_object_set_new(head, "years", list);
	*out = head;
	return MS_OK;
}

/* Checks one day of the year's list; fills its date. */
static enum ms_err check_day(json_t *d, size_t i, int year, int32_t *day, struct ms_error *e)
{
	const char *date = json_string_value(json_object_get(d, "date"));
	const char *kind = json_string_value(json_object_get(d, "kind"));
	const char *name = json_string_value(json_object_get(d, "name"));
	int y, m, dd;

	if (!json_is_object(d) || json_object_size(d) != 3 || !date || !kind || !name)
		return ms_fail(e, MS_EINVAL, "invalid", "days", "day %zu: want {date, kind, name}",
			       i + 1);
	if (date_parse(date, day))
		return ms_fail(e, MS_EINVAL, "invalid", "days", "day %zu: 'date' is not a date",
			       i + 1);
	date_to_ymd(*day, &y, &m, &dd);
	if (!(y == year || (y == year - 1 && m == 12) || (y == year + 1 && m == 1)))
		return ms_fail(e, MS_EINVAL, "invalid", "days",
			       "day %zu: %s is not in %d (nor the December before or the "
			       "January after it)",
			       i + 1, date, year);
	if (strcmp(kind, "holiday") && strcmp(kind, "workday"))
		return ms_fail(e, MS_EINVAL, "invalid", "days",
			       "day %zu: 'kind' is holiday or workday", i + 1);
	if (!*name || strlen(name) > HOLIDAY_NAME_MAX)
		return ms_fail(e, MS_EINVAL, "invalid", "days", "day %zu: 'name' is 1 to %d bytes",
			       i + 1, HOLIDAY_NAME_MAX);
	if (!strcmp(kind, "workday") && date_weekday(*day) <= 5)
		return ms_fail(e, MS_EINVAL, "invalid", "days",
			       "day %zu: %s is a weekday; a make-up working day is a Saturday "
			       "or Sunday",
			       i + 1, date);
	return MS_OK;
}

enum ms_err store_holiday_year_put(struct store *st, const struct scope *who, int year,
				   int64_t version, int provisional, const char *source,
				   json_t *days, struct ms_error *e)
{
	json_t *before = NULL, *after = NULL, *d;
	int64_t cur = 0;
	size_t i;
	struct qb q;
	enum ms_err err;

	if (!json_is_array(days) || json_array_size(days) > 366)
		return ms_fail(e, MS_EINVAL, "invalid", "days",
			       "'days' must be an array of at most 366 days");
	json_array_foreach(days, i, d)
	{
		int32_t day;
		if ((err = check_day(d, i, year, &day, e)))
			return err;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(json_string_value(
					    json_object_get(json_array_get(days, k), "date")),
				    json_string_value(json_object_get(d, "date"))))
				return ms_fail(e, MS_EINVAL, "duplicate", "days",
					       "day %zu: %s is listed twice", i + 1,
					       json_string_value(json_object_get(d, "date")));
	}
	qb_init(&q, "SELECT version FROM holiday_years WHERE year = ?");
	qb_int(&q, year);
	if (db_int(st, &q, &cur, NULL))
		cur = 0;
	qb_release(&q);
	if (cur != version)
		return ms_fail(e, MS_ECONFLICT, "conflict", "version",
			       "the calendar of %d was changed meanwhile (version %lld)", year,
			       (long long)cur);
	if ((err = store_holiday_year_get(st, year, &before, e)))
		return err;
	if (cur)
		qb_init(&q, "UPDATE holiday_years SET provisional = ?, source = ?, updated_at = ?, "
			    "version = version + 1 WHERE year = ?");
	else
		qb_init(&q, "INSERT INTO holiday_years (provisional, source, updated_at, year) "
			    "VALUES (?, ?, ?, ?)");
	qb_int(&q, provisional ? 1 : 0);
	qb_text(&q, source ? source : "");
	qb_int(&q, date_now());
	qb_int(&q, year);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (!err) {
		qb_init(&q, "DELETE FROM holiday WHERE year = ?");
		qb_int(&q, year);
		err = db_exec(st, &q, e);
		qb_release(&q);
	}
	json_array_foreach(days, i, d)
	{
		if (err)
			break;
		qb_init(&q, "INSERT INTO holiday (date, year, kind, name) VALUES (?, ?, ?, ?)");
		qb_text(&q, json_string_value(json_object_get(d, "date")));
		qb_int(&q, year);
		qb_text(&q, json_string_value(json_object_get(d, "kind")));
		qb_text(&q, json_string_value(json_object_get(d, "name")));
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err == MS_ECONFLICT || err == MS_EINVAL)
			err = ms_fail(e, MS_EINVAL, "duplicate", "days",
				      "day %zu: %s belongs to another year's calendar", i + 1,
				      json_string_value(json_object_get(d, "date")));
	}
	if (!err)
		err = store_holiday_year_get(st, year, &after, e);
	if (!err) {
		json_object_del(before, "years");
		json_object_del(after, "years");
		err = store_audit_append(st, who, cur ? "update" : "create", "holiday_years", year,
					 before, after, e);
	}
	json_decref(before);
	json_decref(after);
	return err;
}
