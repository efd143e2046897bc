/* store.c: opening SQLite, migrations, transactions, online backup and the
 * connection pool. The engine-specific part of the store. */
#include "store/store.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/date.h"
#include "base/log.h"
#include "store/db.h"
#include "store/migrations.h"

#define BUSY_TIMEOUT_MS 5000

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for a lock another connection holds: tries again every
 * millisecond, for BUSY_TIMEOUT_MS in all. SQLite's own busy timeout backs
 * off to 100 ms between tries, so a writer behind a series of short
 * transactions (a batch job) would find the lock free only by chance. */
static int busy_wait(void *arg, int count)
{
	struct store *st = arg;

	if (count == 0)
		st->busy_since_ms = monotonic_ms();
	else if (monotonic_ms() - st->busy_since_ms >= BUSY_TIMEOUT_MS)
		return 0;
	sqlite3_sleep(1);
	return 1;
}

static enum ms_err exec_plain(struct store *st, const char *sql, struct ms_error *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("store: %s: %s", msg ? msg : "error", sql);
		sqlite3_free(msg);
		return ms_fail(e, MS_EDB, "internal", "", "storage error");
	}
	return MS_OK;
}

/* "file:PATH?immutable=1": a closed copy read without locks, -wal or -shm
 * files (a backup is one self-contained file). Free the result. */
static char *immutable_uri(const char *path)
{
	struct strbuf u = STRBUF_INIT;

	strbuf_addstr(&u, "file:");
	for (const char *c = path; *c; c++) {
		if (*c == '%' || *c == '?' || *c == '#')
			strbuf_addf(&u, "%%%02X", (unsigned char)*c);
		else
			strbuf_addch(&u, *c);
	}
	strbuf_addstr(&u, "?immutable=1");
	return strbuf_detach(&u, NULL);
}

static enum ms_err open_db(const char *path, int readonly, struct store **out, struct ms_error *e)
{
	struct store *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if (!st)
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	if (readonly) {
		char *uri = immutable_uri(path);
		rc = uri ? sqlite3_open_v2(uri, &st->db,
					   SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
						   SQLITE_OPEN_NOMUTEX,
					   NULL)
			 : SQLITE_NOMEM;
		free(uri);
	} else {
		rc = sqlite3_open_v2(
			path, &st->db,
			SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	}
	if (rc != SQLITE_OK) {
		ms_fail(e, MS_EIO, "internal", "db", "cannot open database '%s': %s", path,
			st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		free(st);
		return MS_EIO;
	}
	sqlite3_busy_handler(st->db, busy_wait, st);
	sqlite3_extended_result_codes(st->db, 1);
	if (exec_plain(st,
		       readonly ? "PRAGMA query_only = ON; PRAGMA foreign_keys = ON; "
				  "SELECT count(*) FROM sqlite_schema;"
				: "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
				  "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;",
		       e)) {
		store_close(st);
		return ms_fail(e, MS_EIO, "internal", "db",
			       "cannot use '%s' as a database (is it an SQLite file?)", path);
	}
	*out = st;
	return MS_OK;
}

enum ms_err store_open(const char *path, struct store **out, struct ms_error *e)
{
	return open_db(path, 0, out, e);
}

enum ms_err store_open_readonly(const char *path, struct store **out, struct ms_error *e)
{
	return open_db(path, 1, out, e);
}

enum ms_err store_quick_check(struct store *st, struct ms_error *e)
{
	sqlite3_stmt *s;
	char first[200] = "";
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
		return ms_fail(e, MS_EDB, "internal", "db", "cannot check the database");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(s, 0);
		if (!first[0] && msg)
			snprintf(first, sizeof(first), "%s", msg);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return ms_fail(e, MS_EDB, "invalid", "db", "the database cannot be read: %s",
			       sqlite3_errstr(rc));
	if (strcmp(first, "ok"))
		return ms_fail(e, MS_EINVAL, "invalid", "db", "the database is damaged: %s", first);
	return MS_OK;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		sqlite3_free(st->cache[i].sql);
	}
	sqlite3_close(st->db);
	free(st);
}

int store_latest_version(void)
{
	return migrations_count ? migrations[migrations_count - 1].version : 0;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM schema_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* ---- CHECK constraints without IN lists (db.h) ---- */

static const char *skip_ws(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

static int word_at(const char *p, const char *w)
{
	size_t n = strlen(w);
	return !strncasecmp(p, w, n) && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/* One literal: 'text' ('' inside) or an optionally signed integer; the
 * end, or NULL. */
static const char *literal_end(const char *p)
{
	if (*p == '\'') {
		for (p++; *p; p++)
			if (*p == '\'' && *++p != '\'')
				return p;
		return NULL;
	}
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* At "CHECK": the rewritten constraint appended to out and the end of the
 * original one, or NULL when it is not of the form "CHECK (col IN (...))". */
static const char *check_list(const char *p, struct strbuf *out)
{
	const char *col, *col_end, *lit[64], *lit_end[64];
	int n = 0;

	p = skip_ws(p + 5);
	if (*p++ != '(')
		return NULL;
	col = p = skip_ws(p);
	if (!isalpha((unsigned char)*p) && *p != '_')
		return NULL;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	col_end = p;
	p = skip_ws(p);
	if (!word_at(p, "IN"))
		return NULL;
	p = skip_ws(p + 2);
	if (*p++ != '(')
		return NULL;
	for (;;) {
		p = skip_ws(p);
		if (n == 64 || !(lit_end[n] = literal_end(p)))
			return NULL;
		lit[n++] = p;
		p = skip_ws(lit_end[n - 1]);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != ')')
			return NULL;
		break;
	}
	p = skip_ws(p);
	if (*p++ != ')')
		return NULL;
	strbuf_addstr(out, "CHECK (");
	for (int i = 0; i < n; i++)
		strbuf_addf(out, "%s%.*s = %.*s", i ? " OR " : "", (int)(col_end - col), col,
			    (int)(lit_end[i] - lit[i]), lit[i]);
	strbuf_addch(out, ')');
	return p;
}

char *db_check_lists_rewrite(const char *sql)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = sql, *from = sql;
	int changed = 0;

	/* Literals and comments are copied whole: a 'CHECK' or an apostrophe
	 * inside one is never read. */
	while (*p) {
		const char *end;
		if (*p == '\'') {
			end = literal_end(p);
			p = end ? end : p + strlen(p);
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
			continue;
		}
		if ((p == sql || (!isalnum((unsigned char)p[-1]) && p[-1] != '_')) &&
		    word_at(p, "CHECK")) {
			size_t mark = out.len;
			strbuf_add(&out, from, (size_t)(p - from));
			if ((end = check_list(p, &out))) {
				changed = 1;
				p = from = end;
				continue;
			}
			strbuf_truncate(&out, mark);
		}
		p++;
	}
	strbuf_addstr(&out, from);
	if (!changed || out.failed) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}

/* Rewrites the stored CREATE TABLE of every table with an IN-list CHECK
 * (SQLite's documented way of changing a CHECK constraint: edit the schema
 * table, in a transaction, and make every connection reload it). The
 * constraints are the same, so no row needs checking again. */
static enum ms_err checks_without_lists(struct store *st, struct ms_error *e)
{
	sqlite3_stmt *s, *u = NULL;
	int n = 0, rc;
	enum ms_err err;

	if ((err = store_begin(st, 1)))
		return ms_fail(e, err, "internal", "", "cannot begin");
	if (sqlite3_prepare_v2(
		    st->db,
		    "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE "
		    "'%CHECK%'",
		    -1, &s, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char *sql = db_check_lists_rewrite((const char *)sqlite3_column_text(s, 1));
		if (!sql)
			continue;
		if (!n++ && (exec_plain(st, "PRAGMA writable_schema = ON", NULL) ||
			     sqlite3_prepare_v2(st->db,
						"UPDATE sqlite_schema SET sql = ? WHERE type = "
						"'table' AND name = ?",
						-1, &u, NULL) != SQLITE_OK)) {
			free(sql);
			sqlite3_finalize(s);
			goto fail;
		}
		sqlite3_bind_text(u, 1, sql, -1, free);
		sqlite3_bind_text(u, 2, (const char *)sqlite3_column_text(s, 0), -1,
				  SQLITE_TRANSIENT);
		rc = sqlite3_step(u);
		sqlite3_reset(u);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(s);
			goto fail;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(u);
	u = NULL;
	if (!n) {
		store_rollback(st);
		return MS_OK;
	}
	/* Reload the schema here; a table made and dropped moves the schema
	 * cookie, so that every other connection reloads it too. */
	if (exec_plain(st, "PRAGMA writable_schema = RESET", NULL) ||
	    exec_plain(st, "CREATE TABLE ms_schema_reload (x); DROP TABLE ms_schema_reload",
		       NULL) ||
	    store_commit(st))
		goto fail;
	log_info("store: %d tables' CHECK constraints written without IN lists", n);
	return MS_OK;
fail:
	sqlite3_finalize(u);
	store_rollback(st);
	(void)exec_plain(st, "PRAGMA writable_schema = RESET", NULL);
	return ms_fail(e, MS_EDB, "internal", "", "cannot rewrite the CHECK constraints");
}

enum ms_err store_migrate(struct store *st, int *applied, struct ms_error *e)
{
	int current;
	enum ms_err err;

	*applied = 0;
	err = exec_plain(st,
			 "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
			 "name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
			 e);
	if (err)
		return err;
	current = store_schema_version(st);
	if (current > store_latest_version())
		return ms_fail(e, MS_EINVAL, "invalid", "db",
			       "the database has schema %d, newer than this program's %d", current,
			       store_latest_version());
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		struct qb q;

		if (m->version <= current)
			continue;
		if ((err = store_begin(st, 1)))
			return ms_fail(e, err, "internal", "", "cannot begin migration");
		if ((err = exec_plain(st, m->sql, e))) {
			store_rollback(st);
			return ms_fail(e, err, "internal", "", "migration %s failed", m->name);
		}
		qb_init(&q,
			"INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
		qb_int(&q, m->version);
		qb_text(&q, m->name);
		qb_int(&q, date_now());
		err = db_exec(st, &q, e);
		qb_release(&q);
		if (err || (err = store_commit(st))) {
			store_rollback(st);
			return err;
		}
		log_info("store: applied migration %s", m->name);
		(*applied)++;
	}
	return checks_without_lists(st, e);
}

enum ms_err store_begin(struct store *st, int write)
{
	if (st->in_tx)
		return ms_fail(NULL, MS_EDB, "", "", "nested transaction");
	if (exec_plain(st, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL))
		return MS_EDB;
	st->in_tx = 1;
	return MS_OK;
}

enum ms_err store_commit(struct store *st)
{
	if (!st->in_tx)
		return MS_EDB;
	if (exec_plain(st, "COMMIT", NULL)) {
		store_rollback(st);
		return MS_EDB;
	}
	st->in_tx = 0;
	return MS_OK;
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)exec_plain(st, "ROLLBACK", NULL);
	st->in_tx = 0;
}

enum ms_err store_backup(struct store *st, const char *dest, struct ms_error *e)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc;

	rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		ms_fail(e, MS_EIO, "internal", "file", "cannot create '%s': %s", dest,
			to ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close(to);
		return MS_EIO;
	}
	b = sqlite3_backup_init(to, "main", st->db, "main");
	if (!b) {
		ms_fail(e, MS_EIO, "internal", "file", "cannot back up to '%s': %s", dest,
			sqlite3_errmsg(to));
		sqlite3_close(to);
		return MS_EIO;
	}
	/* Copy in steps, yielding between them, so that a busy server's writers
	 * are not starved; a write during the copy restarts it. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		ms_fail(e, MS_EIO, "internal", "file", "backup to '%s' failed: %s", dest,
			sqlite3_errstr(rc));
		sqlite3_close(to);
		return MS_EIO;
	}
	sqlite3_close(to);
	return MS_OK;
}

enum ms_err store_restore(struct store *st, const char *src, struct ms_error *e)
{
	sqlite3 *from = NULL;
	sqlite3_backup *b;
	int rc;

	if (st->in_tx)
		return ms_fail(e, MS_EDB, "internal", "", "restore inside a transaction");
	{
		char *uri = immutable_uri(src);
		rc = uri ? sqlite3_open_v2(uri, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL)
			 : SQLITE_NOMEM;
		free(uri);
	}
	if (rc != SQLITE_OK) {
		ms_fail(e, MS_EIO, "internal", "file", "cannot open '%s': %s", src,
			from ? sqlite3_errmsg(from) : "out of memory");
		sqlite3_close(from);
		return MS_EIO;
	}
	b = sqlite3_backup_init(st->db, "main", from, "main");
	if (!b) {
		ms_fail(e, MS_EIO, "internal", "file", "cannot restore from '%s': %s", src,
			sqlite3_errmsg(st->db));
		sqlite3_close(from);
		return MS_EIO;
	}
	/* One step: the destination is replaced in a single write transaction,
	 * so a reader sees the old database or the new one, never a mixture. */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	sqlite3_close(from);
	if (rc != SQLITE_DONE)
		return ms_fail(e, MS_EIO, "internal", "file", "restore from '%s' failed: %s", src,
			       sqlite3_errstr(rc));
	/* The schema may differ from what the statement cache was prepared on. */
	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		sqlite3_free(st->cache[i].sql);
		st->cache[i].stmt = NULL;
		st->cache[i].sql = NULL;
	}
	return MS_OK;
}

struct store_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store **free_list;
	int nfree, size;
	struct store **all;
};

enum ms_err store_pool_open(const char *path, int size, struct store_pool **out, struct ms_error *e)
{
	struct store_pool *p = calloc(1, sizeof(*p));
	enum ms_err err;

	*out = NULL;
	if (!p || !(p->free_list = calloc((size_t)size, sizeof(*p->free_list))) ||
	    !(p->all = calloc((size_t)size, sizeof(*p->all)))) {
		if (p)
			free(p->free_list);
		free(p);
		return ms_fail(e, MS_EIO, "internal", "", "out of memory");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (int i = 0; i < size; i++) {
		if ((err = store_open(path, &p->all[i], e))) {
			p->size = i;
			store_pool_close(p);
			return err;
		}
		p->free_list[p->nfree++] = p->all[i];
		p->size = i + 1;
	}
	*out = p;
	return MS_OK;
}

struct store *store_pool_get(struct store_pool *p)
{
	struct store *st;
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	st = p->free_list[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return st;
}

void store_pool_put(struct store_pool *p, struct store *st)
{
	if (st->in_tx)
		store_rollback(st);
	pthread_mutex_lock(&p->mu);
	p->free_list[p->nfree++] = st;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void store_pool_close(struct store_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		store_close(p->all[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->free_list);
	free(p->all);
	free(p);
}

json_t *store_list_result(json_t *items, int64_t total, const struct page *pg)
{
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
			 "limit", (json_int_t)pg->limit, "offset", (json_int_t)pg->offset);
}
