/* db.c: query builder, statement cache, row-to-JSON and error mapping for
 * the SQLite store. The only file besides store.c that calls sqlite3_*
 * directly; store_*.c go through db.h. */
#include "store/db.h"

#include <string.h>

#include "base/date.h"
#include "base/limits.h"
#include "base/log.h"

void qb_init(struct qb *q, const char *sql)
{
	strbuf_init(&q->sql, 0);
	q->n = 0;
	q->overflow = 0;
	if (sql)
		strbuf_addstr(&q->sql, sql);
}

void qb_release(struct qb *q)
{
	strbuf_release(&q->sql);
	q->n = 0;
}

void qb_sql(struct qb *q, const char *fragment)
{
	strbuf_addstr(&q->sql, fragment);
}

static struct qval *next(struct qb *q)
{
	if (q->n >= QB_MAX_VALUES) {
		q->overflow = 1;
		return NULL;
	}
	return &q->v[q->n++];
}

void qb_int(struct qb *q, int64_t v)
{
	struct qval *x = next(q);
	if (x) {
		x->t = Q_INT;
		x->i = v;
	}
}

void qb_text(struct qb *q, const char *s)
{
	struct qval *x = next(q);
	if (x) {
		x->t = s ? Q_TEXT : Q_NULL;
		x->s = s;
	}
}

void qb_opt_int(struct qb *q, int64_t v)
{
	if (v == INT64_MIN)
		qb_null(q);
	else
		qb_int(q, v);
}

void qb_and_text(struct qb *q, const char *fragment, const char *v)
{
	if (v) {
		qb_sql(q, fragment);
		qb_text(q, v);
	}
}

void qb_and_int(struct qb *q, const char *fragment, int64_t v)
{
	if (v) {
		qb_sql(q, fragment);
		qb_int(q, v);
	}
}

void qb_real(struct qb *q, double d)
{
	struct qval *x = next(q);
	if (x) {
		x->t = Q_REAL;
		x->d = d;
	}
}

void qb_null(struct qb *q)
{
	struct qval *x = next(q);
	if (x)
		x->t = Q_NULL;
}

/* The units at or below ?, in the tree as it stands today. */
#define SUBTREE_SQL                                                                                \
	"(WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT v.unit_id FROM org_unit_versions v "    \
	"JOIN sub ON v.parent_id = sub.id WHERE v.valid_from <= ? AND (v.valid_to IS NULL OR "     \
	"v.valid_to > ?)) SELECT id FROM sub)"

static void bind_subtree(struct qb *q, int64_t unit)
{
	static _Thread_local char today[11];
	date_format(date_of_instant(date_now()), today);
	qb_int(q, unit);
	qb_text(q, today);
	qb_text(q, today);
}

/* The territory of unit ?: the provinces assigned to it or, when it has
 * none of its own, to the nearest unit above it that has some; and those
 * assigned to every unit below it (a manager oversees the territories of
 * the units they manage). The tree as it stands today, as for the subtree.
 * Binds: unit, today, today, unit, today, today. */
#define TERRITORY_SQL                                                                              \
	"(WITH RECURSIVE tsub(id) AS (SELECT ? UNION SELECT v.unit_id FROM org_unit_versions v "   \
	"JOIN tsub ON v.parent_id = tsub.id WHERE v.valid_from <= ? AND (v.valid_to IS NULL OR "   \
	"v.valid_to > ?)), tup(id, depth) AS (SELECT ?, 0 UNION ALL SELECT v.parent_id, "          \
	"tup.depth + 1 FROM org_unit_versions v JOIN tup ON v.unit_id = tup.id WHERE "             \
	"v.parent_id IS NOT NULL AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > "   \
	"?) AND tup.depth < 32) SELECT tp.province_code FROM unit_provinces tp WHERE tp.unit_id "  \
	"IN (SELECT id FROM tsub) UNION SELECT tp.province_code FROM unit_provinces tp WHERE "     \
	"tp.unit_id = (SELECT tup.id FROM tup WHERE EXISTS (SELECT 1 FROM unit_provinces ty "      \
	"WHERE ty.unit_id = tup.id) ORDER BY tup.depth LIMIT 1))"

void qb_territory(struct qb *q, int64_t unit)
{
	qb_sql(q, TERRITORY_SQL);
	bind_subtree(q, unit);
	bind_subtree(q, unit);
}

void qb_scope_owner(struct qb *q, const struct scope *s, const char *owner_col)
{
	switch (s->kind) {
	case SCOPE_ALL: return;
	case SCOPE_OWN:
		qb_sql(q, " AND ");
		qb_sql(q, owner_col);
		qb_sql(q, " = ?");
		qb_int(q, s->user_id);
		return;
	case SCOPE_SUBTREE:
		qb_sql(q, " AND ");
		qb_sql(q, owner_col);
		qb_sql(q, " IN (SELECT id FROM users WHERE unit_id IN " SUBTREE_SQL ")");
		bind_subtree(q, s->unit_id);
		return;
	}
}

void qb_scope_user(struct qb *q, const struct scope *s, const char *unit_col, const char *user_col)
{
	switch (s->kind) {
	case SCOPE_ALL: return;
	case SCOPE_OWN:
		qb_sql(q, " AND ");
		qb_sql(q, user_col);
		qb_sql(q, " = ?");
		qb_int(q, s->user_id);
		return;
	case SCOPE_SUBTREE:
		qb_sql(q, " AND ");
		qb_sql(q, unit_col);
		qb_sql(q, " IN " SUBTREE_SQL);
		bind_subtree(q, s->unit_id);
		return;
	}
}

enum ms_err qb_order_page(struct qb *q, const struct sort_key *keys, const struct page *pg,
			  struct ms_error *e)
{
	const char *name = pg->sort;
	int desc = 0;
	const struct sort_key *k = keys;

	if (name && *name) {
		if (*name == '-') {
			desc = 1;
			name++;
		}
		for (k = keys; k->name && strcmp(k->name, name); k++)
			;
		if (!k->name)
			return ms_fail(e, MS_EINVAL, "invalid", "sort", "cannot sort by '%s'",
				       name);
	}
	qb_sql(q, " ORDER BY ");
	qb_sql(q, desc ? k->desc : k->asc);
	qb_sql(q, " LIMIT ? OFFSET ?");
	qb_int(q, pg->limit);
	qb_int(q, pg->offset);
	return MS_OK;
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

enum ms_err db_error(struct store *st, int rc, struct ms_error *e)
{
	const char *msg = sqlite3_errmsg(st->db);
	int ext = sqlite3_extended_errcode(st->db);

	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
			return ms_fail(e, MS_ECONFLICT, "duplicate", "",
				       "a record with the same key exists");
		if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			return ms_fail(e, MS_EINVAL, "invalid", "",
				       "a referenced record does not exist");
		log_warn("store: constraint: %s", msg);
		return ms_fail(e, MS_EINVAL, "invalid", "", "a value breaks a rule of the data");
	}
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		log_warn("store: busy: %s", msg);
		return ms_fail(e, MS_EDB, "internal", "", "the database is busy");
	}
	log_error("store: sqlite error %d: %s", ext, msg);
	return ms_fail(e, MS_EDB, "internal", "", "storage error");
}

sqlite3_stmt *db_prepare(struct store *st, struct qb *q, struct ms_error *e)
{
	const char *sql = strbuf_str(&q->sql);
	size_t len = q->sql.len;
	uint64_t h;
	unsigned slot;
	sqlite3_stmt *s = NULL;
	int rc;

	if (q->sql.failed || q->overflow) {
		ms_fail(e, MS_EDB, "internal", "", "query too large");
		log_error("store: query builder overflow");
		return NULL;
	}
	h = fnv1a(sql, len);
	slot = (unsigned)(h % STMT_CACHE_SIZE);
	if (st->cache[slot].stmt && st->cache[slot].hash == h &&
	    !strcmp(st->cache[slot].sql, sql)) {
		s = st->cache[slot].stmt;
	} else {
		rc = sqlite3_prepare_v3(st->db, sql, (int)len + 1, SQLITE_PREPARE_PERSISTENT, &s,
					NULL);
		if (rc != SQLITE_OK) {
			log_error("store: prepare failed: %s: %s", sqlite3_errmsg(st->db), sql);
			ms_fail(e, MS_EDB, "internal", "", "storage error");
			return NULL;
		}
		/* A slot whose statement is being stepped (an outer query) is
		 * not evicted: the new statement then lives uncached and
		 * db_done() finalizes it. */
		if (!st->cache[slot].stmt || !sqlite3_stmt_busy(st->cache[slot].stmt)) {
			if (st->cache[slot].stmt) {
				sqlite3_finalize(st->cache[slot].stmt);
				sqlite3_free(st->cache[slot].sql);
			}
			st->cache[slot].stmt = s;
			st->cache[slot].hash = h;
			st->cache[slot].sql = sqlite3_mprintf("%s", sql);
		}
	}
	/* A value forgotten (or bound twice) would shift every later one or
	 * leave a '?' NULL: refuse to run the statement at all. */
	if (sqlite3_bind_parameter_count(s) != q->n) {
		log_error("store: %d values bound to %d parameters: %s", q->n,
			  sqlite3_bind_parameter_count(s), sql);
		ms_fail(e, MS_EDB, "internal", "", "storage error");
		db_done(st, s);
		return NULL;
	}
	for (int i = 0; i < q->n; i++) {
		const struct qval *v = &q->v[i];
		switch (v->t) {
		case Q_NULL: rc = sqlite3_bind_null(s, i + 1); break;
		case Q_INT: rc = sqlite3_bind_int64(s, i + 1, v->i); break;
		case Q_REAL: rc = sqlite3_bind_double(s, i + 1, v->d); break;
		case Q_TEXT: rc = sqlite3_bind_text(s, i + 1, v->s, -1, SQLITE_STATIC); break;
		default: rc = SQLITE_MISUSE;
		}
		if (rc != SQLITE_OK) {
			db_error(st, rc, e);
			db_done(st, s);
			return NULL;
		}
	}
	return s;
}

void db_done(struct store *st, sqlite3_stmt *s)
{
	const char *sql;
	unsigned slot;

	if (!s)
		return;
	sql = sqlite3_sql(s);
	slot = (unsigned)(fnv1a(sql, strlen(sql)) % STMT_CACHE_SIZE);
	if (st->cache[slot].stmt != s) {
		sqlite3_finalize(s);
		return;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

json_t *db_row_json(sqlite3_stmt *s)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(s);

	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s, i);
		int type = sqlite3_column_type(s, i);
		json_t *v;

		if (type == SQLITE_NULL) {
			v = json_null();
		} else if ((ends_with(name, "_at") || !strcmp(name, "at")) &&
			   type == SQLITE_INTEGER) {
			char buf[32];
			date_format_instant(sqlite3_column_int64(s, i), buf);
			v = json_string(buf);
		} else if ((!strcmp(name, "active") || !strncmp(name, "is_", 3) ||
			    !strncmp(name, "has_", 4)) &&
			   type == SQLITE_INTEGER) {
			v = json_boolean(sqlite3_column_int64(s, i) != 0);
		} else if (ends_with(name, "_json") && type == SQLITE_TEXT) {
			const char *txt = (const char *)sqlite3_column_text(s, i);
			char key[128];
			size_t kl = strlen(name) - 5;
			v = *txt ? json_loads(txt, JSON_DECODE_ANY, NULL) : json_null();
			if (!v)
				v = json_null();
			if (kl >= sizeof(key))
				kl = sizeof(key) - 1;
			memcpy(key, name, kl);
			key[kl] = '\0';
			json_object_set_new(o, key, v);
			continue;
		} else if (type == SQLITE_INTEGER) {
			v = json_integer(sqlite3_column_int64(s, i));
		} else if (type == SQLITE_FLOAT) {
			v = json_real(sqlite3_column_double(s, i));
		} else {
			const char *txt = (const char *)sqlite3_column_text(s, i);
			v = json_stringn(txt ? txt : "", (size_t)sqlite3_column_bytes(s, i));
			if (!v)
				v = json_string("");
		}
		json_object_set_new(o, name, v);
	}
	return o;
}

enum ms_err db_exec(struct store *st, struct qb *q, struct ms_error *e)
{
	sqlite3_stmt *s = db_prepare(st, q, e);
	enum ms_err err = MS_OK;
	int rc;

	if (!s) {
		qb_release(q);
		return e ? e->err : MS_EDB;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		err = db_error(st, rc, e);
	db_done(st, s);
	qb_release(q);
	return err;
}

enum ms_err db_rows(struct store *st, struct qb *q, json_t **out, struct ms_error *e)
{
	sqlite3_stmt *s = db_prepare(st, q, e);
	json_t *arr;
	int rc;

	*out = NULL;
	if (!s)
		return e ? e->err : MS_EDB;
	arr = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(arr, db_row_json(s));
	if (rc != SQLITE_DONE) {
		enum ms_err err = db_error(st, rc, e);
		db_done(st, s);
		json_decref(arr);
		return err;
	}
	db_done(st, s);
	*out = arr;
	return MS_OK;
}

enum ms_err db_row(struct store *st, struct qb *q, json_t **out, struct ms_error *e)
{
	sqlite3_stmt *s = db_prepare(st, q, e);
	int rc;

	*out = NULL;
	if (!s)
		return e ? e->err : MS_EDB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = db_row_json(s);
		db_done(st, s);
		return MS_OK;
	}
	db_done(st, s);
	if (rc == SQLITE_DONE)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such record");
	return db_error(st, rc, e);
}

enum ms_err db_int(struct store *st, struct qb *q, int64_t *out, struct ms_error *e)
{
	sqlite3_stmt *s = db_prepare(st, q, e);
	int rc;

	if (!s)
		return e ? e->err : MS_EDB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		db_done(st, s);
		return MS_OK;
	}
	db_done(st, s);
	if (rc == SQLITE_DONE)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such record");
	return db_error(st, rc, e);
}

enum ms_err db_row_by_id(struct store *st, const char *sql, int64_t id, json_t **out,
			 struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, sql);
	qb_int(&q, id);
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

int64_t db_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int64_t db_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

void db_copy_text(sqlite3_stmt *s, int col, char *buf, size_t n)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	size_t len = t ? strlen(t) : 0;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(buf, t, len);
	buf[len] = '\0';
}

void db_today(char *buf)
{
	date_format(date_of_instant(date_now()), buf);
}

const char *db_like_pattern(struct strbuf *sb, const char *text)
{
	strbuf_reset(sb);
	strbuf_addch(sb, '%');
	for (const char *p = text; *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		if (c == '%' || c == '_' || c == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, c);
	}
	strbuf_addch(sb, '%');
	return strbuf_str(sb);
}

enum ms_err db_stale_or_missing(struct store *st, const char *exists_sql, int64_t id,
				struct ms_error *e)
{
	json_t *row = NULL;
	enum ms_err err = db_row_by_id(st, exists_sql, id, &row, e);
	if (err == MS_OK) {
		json_decref(row);
		return ms_fail(e, MS_ECONFLICT, "conflict", "version",
			       "the record was changed by someone else; reload it");
	}
	return err; /* MS_ENOTFOUND "no such record", or the database error */
}

enum ms_err db_update_versioned(struct store *st, const struct scope *who, const char *table,
				int64_t id, int64_t version, struct qb *q, const char *dup_field,
				const char *dup_message, struct ms_error *e)
{
	char exists[128];
	enum ms_err err;

	qb_int(q, id);
	qb_int(q, version);
	err = db_exec_audited(st, who, "update", table, id, q, e);
	qb_release(q);
	if (err == MS_ECONFLICT && dup_message)
		return ms_fail(e, MS_ECONFLICT, "duplicate", dup_field, "%s", dup_message);
	if (err == MS_ENOTFOUND) {
		snprintf(exists, sizeof(exists), "SELECT id FROM %s WHERE id = ?", table);
		return db_stale_or_missing(st, exists, id, e);
	}
	return err;
}

void db_lower_ascii(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

enum ms_err db_list(struct store *st, const char *count_sql, const char *rows_sql,
		    db_filter_fn filters, const struct scope *s, const void *f,
		    const struct sort_key *keys, const struct page *pg, json_t **out,
		    struct ms_error *e)
{
	struct strbuf like = STRBUF_INIT;
	json_t *items = NULL;
	int64_t total = 0;
	struct qb q;
	enum ms_err err;

	qb_init(&q, count_sql);
	filters(&q, s, f, &like, 0);
	err = db_int(st, &q, &total, e);
	qb_release(&q);
	if (!err) {
		qb_init(&q, rows_sql);
		filters(&q, s, f, &like, 1);
		if (!(err = qb_order_page(&q, keys, pg, e)))
			err = db_rows(st, &q, &items, e);
		qb_release(&q);
	}
	strbuf_release(&like);
	if (err)
		return err;
	*out = store_list_result(items, total, pg);
	return MS_OK;
}

enum ms_err db_resolve_owner(struct store *st, const struct scope *who, int64_t wanted,
			     int64_t *owner, struct ms_error *e)
{
	int64_t one;
	struct qb q;
	enum ms_err err;

	if (who->kind == SCOPE_OWN || wanted == INT64_MIN || wanted == who->user_id) {
		*owner = who->user_id;
		return MS_OK;
	}
	qb_init(&q, "SELECT 1 FROM users u WHERE u.id = ? AND u.active = 1");
	qb_int(&q, wanted);
	qb_scope_user(&q, who, "u.unit_id", "u.id");
	err = db_int(st, &q, &one, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return ms_fail(e, MS_EINVAL, "invalid", "owner_id",
			       "user %lld is not an active user you manage", (long long)wanted);
	if (err)
		return err;
	*owner = wanted;
	return MS_OK;
}

enum ms_err db_each(struct store *st, const char *count_sql, const char *rows_sql,
		    db_filter_fn filters, const struct scope *s, const void *f,
		    const struct sort_key *keys, const char *sort,
		    int (*fn)(void *cls, json_t *row), void *cls, struct ms_error *e)
{
	struct page pg = { MS_EXPORT_PAGE, 0, sort };
	enum ms_err err;

	/* Pages by offset inside the caller's transaction: a consistent
	 * snapshot, without holding one statement open across callbacks. */
	for (;;) {
		json_t *page = NULL, *items, *row;
		size_t i, n;
		if ((err = db_list(st, count_sql, rows_sql, filters, s, f, keys, &pg, &page, e)))
			return err;
		items = json_object_get(page, "items");
		n = json_array_size(items);
		json_array_foreach(items, i, row)
		{
			if (fn(cls, row)) {
				json_decref(page);
				return ms_fail(e, MS_EIO, "internal", "", "export failed");
			}
		}
		json_decref(page);
		if (n < (size_t)pg.limit)
			return MS_OK;
		pg.offset += pg.limit;
	}
}
