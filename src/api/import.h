/* import.h: the CSV import of the customer master (institutions,
 * departments, contacts), shared by POST /api/v1/import/{kind} and
 * `medsales import`. One import is one transaction: every row is checked
 * (fields, references, duplicates against the database and within the
 * file), valid rows are written, and the report lists every bad row. A dry
 * run writes nothing; strict mode writes nothing when any row is bad.
 * docs/import.md is the reference. */
#ifndef MS_IMPORT_H
#define MS_IMPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/customer_import.h"
#include "store/store.h"

#define IMPORT_MAX_ERRORS 1000 /* entries in a report's "errors" */

struct import_opts {
	enum import_kind kind;
	int dry_run;
	int strict;
};

struct import;

/* Opens the transaction (a read transaction for a dry run) on st, which
 * must have none open, and returns the importer. who is the importer's
 * scope: it bounds what rows may refer to, and is the audit's actor. */
enum ms_err import_new(struct store *st, const struct scope *who, const struct import_opts *o,
		       struct import **out, struct ms_error *e);
/* Feeds CSV bytes (UTF-8, an optional BOM, a header row first). An unknown
 * or missing header column, or malformed CSV, is MS_EINVAL with e naming
 * the column (field) or the line (message); a storage failure MS_EDB. After
 * an error the importer only accepts import_free. */
enum ms_err import_feed(struct import *im, const char *buf, size_t len, struct ms_error *e);
/* Ends the input, commits (or rolls back for a dry run, or in strict mode
 * when a row was bad) and gives the report (owned by the caller):
 * {"kind","dry_run","strict","rows","valid","invalid","duplicates",
 *  "imported","errors":[{"row","column","code","message"}],
 *  "errors_truncated"?: true}. */
enum ms_err import_finish(struct import *im, json_t **report, struct ms_error *e);
/* Data rows read so far. */
int64_t import_rows(const struct import *im);
/* Rolls back anything still open and frees the importer. */
void import_free(struct import *im);

/* new, feed, finish and free over one buffer, or over a file read from its
 * current offset to its end in IMPORT_CHUNK pieces (an upload's temporary
 * file: the whole body is never in memory). */
#define IMPORT_CHUNK (64 * 1024)
enum ms_err import_run_fd(struct store *st, const struct scope *who, const struct import_opts *o,
			  int fd, json_t **report, struct ms_error *e);
enum ms_err import_run(struct store *st, const struct scope *who, const struct import_opts *o,
		       const char *buf, size_t len, json_t **report, struct ms_error *e);

#endif
