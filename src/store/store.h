/* store.h: the storage interface. Only src/store/ speaks SQL; everything else
 * calls these functions and never learns which engine runs (SQLite now,
 * PostgreSQL later: see docs/store.md). Every function that reads or writes
 * business records takes the caller's struct scope and sees only what the
 * scope allows; a record outside it is MS_ENOTFOUND.
 *
 * Results are jansson values owned by the caller (json_decref them). A
 * struct store is one connection: use it from one thread at a time. */
#ifndef MS_STORE_H
#define MS_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "domain/role.h"

struct store;
struct store_pool;

/* Opens or creates the database at path (WAL, foreign keys, busy timeout).
 * It does not migrate. */
enum ms_err store_open(const char *path, struct store **out, struct ms_error *e);
/* Opens a closed copy of a database for reading only (a backup to look
 * at), without locking it or creating files beside it. */
enum ms_err store_open_readonly(const char *path, struct store **out, struct ms_error *e);
void store_close(struct store *st);
/* The engine's own consistency check: MS_EINVAL naming the first problem. */
enum ms_err store_quick_check(struct store *st, struct ms_error *e);

/* Applies every migration newer than the schema; *applied gets how many. */
enum ms_err store_migrate(struct store *st, int *applied, struct ms_error *e);
int store_schema_version(struct store *st);
int store_latest_version(void);

/* Transactions. A write transaction takes the write lock at once, so that it
 * never fails half-way for lock upgrade. Nested calls are an error. */
enum ms_err store_begin(struct store *st, int write);
enum ms_err store_commit(struct store *st);
void store_rollback(struct store *st);

/* Copies the live database to dest with the online backup API; safe while
 * the server writes. */
enum ms_err store_backup(struct store *st, const char *dest, struct ms_error *e);
/* Replaces the whole database with the copy at src (a backup), in one write
 * transaction: other connections see the old database or the new one. The
 * caller has checked src (store_open_readonly, store_quick_check, the
 * schema version, the audit chain). */
enum ms_err store_restore(struct store *st, const char *src, struct ms_error *e);

/* A fixed set of connections shared by the server's threads. */
enum ms_err store_pool_open(const char *path, int size, struct store_pool **out,
			    struct ms_error *e);
struct store *store_pool_get(struct store_pool *p);
void store_pool_put(struct store_pool *p, struct store *st);
void store_pool_close(struct store_pool *p);

/* Paging and sorting of list queries, validated by the caller against
 * MS_MAX_LIST_LIMIT; sort is a name the query's whitelist knows ("-x" for
 * descending) or NULL for the default order. */
struct page {
	int64_t limit, offset;
	const char *sort;
};

/* Wraps items in {"items","total","limit","offset"}; steals items. */
json_t *store_list_result(json_t *items, int64_t total, const struct page *pg);

#endif
