/* export.h: exports of the institution and contact lists, with the list's
 * filters and the caller's visibility, as CSV (UTF-8 with a BOM, so that
 * Excel reads Chinese) or XLSX. The columns are the import columns of
 * docs/import.md, so that an export re-imports, followed by read-only
 * computed ones (id, grade...); the needs file has no import and exports
 * its list's columns. At most MS_EXPORT_MAX_ROWS rows. */
#ifndef MS_EXPORT_H
#define MS_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "store/store_customer.h"

enum export_format { EXPORT_CSV, EXPORT_XLSX };

/* "csv" or "xlsx" (NULL: csv); -1 for anything else. */
int export_format_parse(const char *s);
const char *export_content_type(enum export_format fmt);

/* What to export: institutions (inst, sort), contacts (contact) or the
 * needs file (need). */
struct export_query {
	int contacts; /* 0: institutions */
	int needs;    /* 1: the needs file (contacts is 0) */
	const struct inst_filter *inst;
	const char *sort;
	const struct contact_filter *contact;
	const struct need_filter *need;
};

/* Writes the rows the scope sees, as CSV to csv or as an XLSX file at
 * xlsx_path; *rows gets how many. Runs inside the caller's transaction. */
enum ms_err export_write(struct store *st, const struct scope *s, const struct export_query *q,
			 enum export_format fmt, FILE *csv, const char *xlsx_path, int64_t *rows,
			 struct ms_error *e);
/* The same into a malloc'd buffer (XLSX through a temporary file under
 * /tmp, removed before returning). */
enum ms_err export_memory(struct store *st, const struct scope *s, const struct export_query *q,
			  enum export_format fmt, char **body, size_t *len, int64_t *rows,
			  struct ms_error *e);

#endif
