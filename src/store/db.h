/* db.h: the helpers the store_*.c files share: a query builder with bound
 * values, a statement cache, row-to-JSON conversion and error mapping.
 * Private to src/store/. A PostgreSQL backend implements this same header
 * (translating '?' to '$n'); the store_*.c files above it stay unchanged.
 *
 * Row-to-JSON naming rules, applied to column names:
 *   at, *_at      INTEGER unix seconds -> "YYYY-MM-DDTHH:MM:SS+08:00"
 *   active, is_*  INTEGER 0/1          -> true/false
 *   *_json        TEXT JSON            -> the parsed value, key without _json
 *   otherwise by the value's type (integer, real, text, null). */
#ifndef MS_DB_H
#define MS_DB_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "base/err.h"
#include "base/strbuf.h"
#include "store/store.h"

#define QB_MAX_VALUES 64
#define STMT_CACHE_SIZE 128

enum qtype { Q_NULL, Q_INT, Q_TEXT, Q_REAL };

struct qval {
	enum qtype t;
	int64_t i;
	double d;
	const char *s; /* borrowed: must outlive the query */
};

/* SQL text built only from constant fragments, and the values bound to its
 * '?' placeholders in order. */
struct qb {
	struct strbuf sql;
	struct qval v[QB_MAX_VALUES];
	int n;
	int overflow;
};

void qb_init(struct qb *q, const char *sql);
void qb_release(struct qb *q);
void qb_sql(struct qb *q, const char *fragment);
void qb_int(struct qb *q, int64_t v);
void qb_text(struct qb *q, const char *s); /* NULL binds NULL */
void qb_real(struct qb *q, double d);
void qb_null(struct qb *q);
/* Binds v, or NULL when v is INT64_MIN (UNSET, "not given"). */
void qb_opt_int(struct qb *q, int64_t v);
/* A filter that applies only when set: appends the fragment (one `?`) and
 * binds v when v is not NULL (text) or not 0 (int). */
void qb_and_text(struct qb *q, const char *fragment, const char *v);
void qb_and_int(struct qb *q, const char *fragment, int64_t v);
/* Appends " AND <owner_col> IN (users visible to the scope)" or nothing for
 * SCOPE_ALL; owner_col is constant text naming a users.id column. */
void qb_scope_owner(struct qb *q, const struct scope *s, const char *owner_col);
/* Appends " AND <unit_col> IN (the scope's unit subtree)" for SCOPE_SUBTREE,
 * " AND <user_col> = ?" for SCOPE_OWN, nothing for SCOPE_ALL. */
void qb_scope_user(struct qb *q, const struct scope *s, const char *unit_col, const char *user_col);

/* Appends " AND (<col> IN (institutions the scope covers today))"; a
 * manager also sees the institutions nobody covers in their unit's
 * territory (store_customer.c). */
void qb_scope_inst(struct qb *q, const struct scope *s, const char *col);
/* Appends "(SELECT province codes of the unit's territory)", for use after
 * "<col> IN ": the provinces an administrator assigned to the unit (or, when
 * it has none, to the nearest unit above it that has some) and to every
 * unit below it (docs/store.md). Nothing a rep or manager writes changes it. */
void qb_territory(struct qb *q, int64_t unit);

/* One sort choice of a whitelist: the API name and its constant ORDER BY. */
struct sort_key {
	const char *name;
	const char *asc;
	const char *desc;
};
/* Appends " ORDER BY ..." for pg->sort (or keys[0] ascending when NULL) and
 * " LIMIT ? OFFSET ?". An unknown name is MS_EINVAL naming 'sort'. */
enum ms_err qb_order_page(struct qb *q, const struct sort_key *keys, const struct page *pg,
			  struct ms_error *e);

/* The text of a CREATE TABLE with every "CHECK (col IN (lit, ...))" written
 * as "CHECK (col = lit OR ...)", the same constraint (NULL passes both);
 * NULL when there is none (or out of memory). SQLite evaluates a constant
 * IN list of more than two terms by building a temporary index, once per
 * row written: eight of them made an institution insert 30% slower. Free
 * the result. */
char *db_check_lists_rewrite(const char *sql);

struct store {
	sqlite3 *db;
	int in_tx;
	int64_t busy_since_ms; /* when the current wait for a lock began */
	struct {
		char *sql;
		uint64_t hash;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE_SIZE];
};

/* Prepares (or takes from the cache) and binds. Reset and clear bindings
 * with db_done() when finished. NULL on error (logged, e filled). */
sqlite3_stmt *db_prepare(struct store *st, struct qb *q, struct ms_error *e);
void db_done(struct store *st, sqlite3_stmt *s);

/* Runs a statement that returns no rows, and releases q (as
 * db_update_versioned does; a later qb_release(q) does nothing). */
enum ms_err db_exec(struct store *st, struct qb *q, struct ms_error *e);
/* The rows as a JSON array (never NULL on MS_OK). */
enum ms_err db_rows(struct store *st, struct qb *q, json_t **out, struct ms_error *e);
/* The first row as an object, or MS_ENOTFOUND. */
enum ms_err db_row(struct store *st, struct qb *q, json_t **out, struct ms_error *e);
/* The first column of the first row as an integer, or MS_ENOTFOUND. */
enum ms_err db_int(struct store *st, struct qb *q, int64_t *out, struct ms_error *e);
/* Convenience: one constant statement with one integer parameter. */
enum ms_err db_row_by_id(struct store *st, const char *sql, int64_t id, json_t **out,
			 struct ms_error *e);
int64_t db_last_id(struct store *st);
/* After an "UPDATE ... WHERE id = ? AND version = ?" (with the scope) that
 * changed nothing: MS_ECONFLICT when exists_sql (one "?" for the id) finds
 * the record, else MS_ENOTFOUND. */
enum ms_err db_stale_or_missing(struct store *st, const char *exists_sql, int64_t id,
				struct ms_error *e);
int64_t db_changes(struct store *st);

json_t *db_row_json(sqlite3_stmt *s);
/* Maps an SQLite result code to an error; constraint failures become
 * MS_ECONFLICT ("duplicate") or MS_EINVAL, others MS_EDB with the text logged. */
enum ms_err db_error(struct store *st, int rc, struct ms_error *e);

/* Appends a list query's conditions (and, when rows is set, first binds
 * any value the row query's select list needs). f is the list's filter. */
typedef void (*db_filter_fn)(struct qb *q, const struct scope *s, const void *f,
			     struct strbuf *like, int rows);
/* A paged list: counts with count_sql, reads a page with rows_sql, both
 * constant text ending in a WHERE clause that filters completes, ordered
 * by the whitelist keys; *out gets {"items","total","limit","offset"}. */
enum ms_err db_list(struct store *st, const char *count_sql, const char *rows_sql,
		    db_filter_fn filters, const struct scope *s, const void *f,
		    const struct sort_key *keys, const struct page *pg, json_t **out,
		    struct ms_error *e);

/* The owner of a new or moved record: a rep owns what they create, so
 * their wanted owner is ignored; a manager may name an active user of their
 * subtree (else MS_EINVAL naming owner_id); INT64_MIN means the caller. */
enum ms_err db_resolve_owner(struct store *st, const struct scope *who, int64_t wanted,
			     int64_t *owner, struct ms_error *e);

/* Calls fn for every row of a list, page by page (MS_EXPORT_PAGE rows),
 * in the order sort names; stops with MS_EIO when fn returns non-zero. */
enum ms_err db_each(struct store *st, const char *count_sql, const char *rows_sql,
		    db_filter_fn filters, const struct scope *s, const void *f,
		    const struct sort_key *keys, const char *sort,
		    int (*fn)(void *cls, json_t *row), void *cls, struct ms_error *e);

/* Today's business date, "YYYY-MM-DD", into buf (11 bytes). */
void db_today(char *buf);
/* A LIKE pattern "%text%", ASCII lower-cased, with % _ and \ escaped, for
 * "LIKE ? ESCAPE '\'" against a column kept lower-cased (db_lower_ascii):
 * case-insensitive on every engine. The caller releases sb. */
const char *db_like_pattern(struct strbuf *sb, const char *text);

void db_lower_ascii(char *s);

/* Text of an sqlite3 column copied into a caller buffer (truncated). */
void db_copy_text(sqlite3_stmt *s, int col, char *buf, size_t n);

/* The audit log. store_audit_append writes one entry in the current
 * transaction; entity must be a table name store_audit.c knows. */
enum ms_err store_audit_append(struct store *st, const struct scope *who, const char *action,
			       const char *entity, int64_t entity_id, json_t *before, json_t *after,
			       struct ms_error *e);
/* The row's audit snapshot (sensitive columns left out) into *out, NULL
 * when there is no such row. A row that cannot be read (or an entity this
 * file does not know) is MS_EDB: the write it was for must fail rather than
 * log an empty snapshot. */
enum ms_err store_audit_snapshot(struct store *st, const char *entity, int64_t id, json_t **out,
				 struct ms_error *e);

/* Runs a write on one row of entity with the audit entry around it: the
 * snapshot before, the statement, the snapshot after, the entry. The
 * statement must touch that row (MS_ENOTFOUND if it changes nothing). */
enum ms_err db_exec_audited(struct store *st, const struct scope *who, const char *action,
			    const char *entity, int64_t id, struct qb *q, struct ms_error *e);
/* An audited "UPDATE <table> ... WHERE id = ? AND version = ?" begun in q:
 * binds id and version, runs it and releases q. A missing row answers
 * MS_ENOTFOUND, a stale version MS_ECONFLICT "conflict" on "version"; a
 * UNIQUE violation MS_ECONFLICT "duplicate" on dup_field with dup_message
 * when dup_message is given. table is constant text. */
enum ms_err db_update_versioned(struct store *st, const struct scope *who, const char *table,
				int64_t id, int64_t version, struct qb *q, const char *dup_field,
				const char *dup_message, struct ms_error *e);
/* The same for an INSERT of one row; *id gets the new row's id. */
enum ms_err db_insert_audited(struct store *st, const struct scope *who, const char *entity,
			      struct qb *q, int64_t *id, struct ms_error *e);

#endif
