/* store_user.c: user accounts, sessions and the login throttle in SQL. */
#include "store/store_user.h"

#include <string.h>

#include "base/date.h"
#include "store/db.h"
#include "store/store_visit.h"

#define USER_COLUMNS                                                                               \
	"SELECT u.id, u.username, u.display_name, u.role, u.unit_id, v.name_zh AS unit_name_zh, "  \
	"v.name_en AS unit_name_en, u.email, u.phone, u.locale, u.active, u.created_at, "          \
	"u.version FROM users u LEFT JOIN org_unit_versions v ON v.unit_id = u.unit_id AND "       \
	"v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?) WHERE 1 = 1"

static void user_select(struct qb *q, const char *select, char *today)
{
	db_today(today);
	qb_init(q, select);
	qb_text(q, today);
	qb_text(q, today);
}

static enum ms_err unit_history_move(struct store *st, int64_t user_id, int64_t unit_id,
				     struct ms_error *e)
{
	char today[11];
	struct qb q;
	enum ms_err err;

	db_today(today);
	/* A change made on the day the previous one started replaces it. */
	qb_init(&q, "DELETE FROM user_unit_history WHERE user_id = ? AND valid_from = ?");
	qb_int(&q, user_id);
	qb_text(&q, today);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "UPDATE user_unit_history SET valid_to = ? WHERE user_id = ? AND valid_to IS "
		    "NULL");
	qb_text(&q, today);
	qb_int(&q, user_id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q,
		"INSERT INTO user_unit_history (user_id, unit_id, valid_from) VALUES (?, ?, ?)");
	qb_int(&q, user_id);
	qb_int(&q, unit_id);
	qb_text(&q, today);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_user_create(struct store *st, const struct scope *who,
			      const struct user_fields *f, int64_t *id, struct ms_error *e)
{
	int64_t now = date_now();
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT INTO users (username, display_name, role, unit_id, email, phone, "
		    "locale, password_hash, active, created_at, updated_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
	qb_text(&q, f->username);
	qb_text(&q, f->display_name);
	qb_text(&q, f->role);
	qb_int(&q, f->unit_id);
	qb_text(&q, f->email ? f->email : "");
	qb_text(&q, f->phone ? f->phone : "");
	qb_text(&q, f->locale ? f->locale : "zh-CN");
	qb_text(&q, f->password_hash);
	qb_int(&q, now);
	qb_int(&q, now);
	err = db_insert_audited(st, who, "users", &q, id, e);
	qb_release(&q);
	if (err == MS_ECONFLICT)
		return ms_fail(e, MS_ECONFLICT, "duplicate", "username", "username '%s' is taken",
			       f->username);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "unit_id", "no such unit");
	if (err)
		return err;
	return unit_history_move(st, *id, f->unit_id, e);
}

enum ms_err store_user_id(struct store *st, const char *username, int64_t *id, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "SELECT id FROM users WHERE username = ?");
	qb_text(&q, username);
	err = db_int(st, &q, id, e);
	qb_release(&q);
	return err;
}

enum ms_err store_user_get(struct store *st, const struct scope *s, int64_t id, json_t **out,
			   struct ms_error *e)
{
	char today[11];
	struct qb q;
	enum ms_err err;

	user_select(&q, USER_COLUMNS, today);
	qb_sql(&q, " AND u.id = ?");
	qb_int(&q, id);
	/* Everyone may read their own account. */
	if (s->user_id != id)
		qb_scope_user(&q, s, "u.unit_id", "u.id");
	err = db_row(st, &q, out, e);
	qb_release(&q);
	return err;
}

static void user_filters(struct qb *q, const struct scope *s, const void *fv, struct strbuf *like,
			 int rows)
{
	const struct user_filter *f = fv;
	static _Thread_local char today[11];

	/* The row query joins the unit's name as of today. */
	if (rows) {
		db_today(today);
		qb_text(q, today);
		qb_text(q, today);
	}
	qb_scope_user(q, s, "u.unit_id", "u.id");
	qb_and_text(q, " AND u.role = ?", f->role);
	qb_and_int(q, " AND u.unit_id = ?", f->unit_id);
	if (f->active >= 0) {
		qb_sql(q, " AND u.active = ?");
		qb_int(q, f->active);
	}
	if (f->q && *f->q) {
		const char *pat = db_like_pattern(like, f->q);
		qb_sql(q,
		       " AND (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')");
		qb_text(q, pat);
		qb_text(q, pat);
	}
}

static const struct sort_key user_sort[] = {
	{ "username", "u.username", "u.username DESC" },
	{ "display_name", "u.display_name, u.id", "u.display_name DESC, u.id" },
	{ "role", "u.role, u.username", "u.role DESC, u.username" },
	{ "created_at", "u.created_at, u.id", "u.created_at DESC, u.id DESC" },
	{ NULL, NULL, NULL }
};

enum ms_err store_user_list(struct store *st, const struct scope *s, const struct user_filter *f,
			    const struct page *pg, json_t **out, struct ms_error *e)
{
	return db_list(st, "SELECT count(*) FROM users u WHERE 1 = 1", USER_COLUMNS, user_filters,
		       s, f, user_sort, pg, out, e);
}

/* Ends the user's sessions but keep_session (0: all) and revokes the
 * secret address of their calendar feed (audited), which is a credential
 * as lasting as a session: a password change, a reset or a disabling ends
 * both. */
static enum ms_err end_sessions(struct store *st, const struct scope *who, int64_t id,
				int64_t keep_session, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	int revoked;

	qb_init(&q, "DELETE FROM sessions WHERE user_id = ? AND id <> ?");
	qb_int(&q, id);
	qb_int(&q, keep_session);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err ? err : store_calendar_token_revoke(st, who, id, &revoked, e);
}

enum ms_err store_user_update(struct store *st, const struct scope *who, int64_t id,
			      int64_t version, const struct user_fields *f, struct ms_error *e)
{
	int64_t old_unit = 0;
	struct qb q;
	enum ms_err err;

	if (f->unit_id) {
		qb_init(&q, "SELECT unit_id FROM users WHERE id = ?");
		qb_int(&q, id);
		err = db_int(st, &q, &old_unit, e);
		qb_release(&q);
		if (err)
			return err;
	}
	qb_init(&q, "UPDATE users SET display_name = COALESCE(?, display_name), "
		    "role = COALESCE(?, role), email = COALESCE(?, email), "
		    "phone = COALESCE(?, phone), locale = COALESCE(?, locale), "
		    "unit_id = CASE WHEN ? = 0 THEN unit_id ELSE ? END, "
		    "active = CASE WHEN ? < 0 THEN active ELSE ? END, "
		    "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?");
	qb_text(&q, f->display_name);
	qb_text(&q, f->role);
	qb_text(&q, f->email);
	qb_text(&q, f->phone);
	qb_text(&q, f->locale);
	qb_int(&q, f->unit_id);
	qb_int(&q, f->unit_id);
	qb_int(&q, f->active);
	qb_int(&q, f->active);
	qb_int(&q, date_now());
	qb_int(&q, id);
	qb_int(&q, version);
	qb_scope_user(&q, who, "unit_id", "id");
	err = db_exec_audited(st, who, "update", "users", id, &q, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return db_stale_or_missing(st, "SELECT id FROM users WHERE id = ?", id, e);
	if (err == MS_EINVAL)
		return ms_fail(e, MS_EINVAL, "invalid", "unit_id", "no such unit");
	if (err)
		return err;
	/* A disabled account is logged out everywhere, its calendar feed
	 * too, so that enabling it again revives neither. */
	if (f->active == 0 && (err = end_sessions(st, who, id, 0, e)))
		return err;
	if (f->unit_id && f->unit_id != old_unit)
		return unit_history_move(st, id, f->unit_id, e);
	return MS_OK;
}

enum ms_err store_user_set_password(struct store *st, const struct scope *who, int64_t id,
				    const char *hash, int64_t keep_session, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "UPDATE users SET password_hash = ?, updated_at = ?, version = version + 1 "
		    "WHERE id = ?");
	qb_text(&q, hash);
	qb_int(&q, date_now());
	qb_int(&q, id);
	qb_scope_user(&q, who, "unit_id", "id");
	err = db_exec_audited(st, who, "password", "users", id, &q, e);
	qb_release(&q);
	return err ? err : end_sessions(st, who, id, keep_session, e);
}

enum ms_err store_user_auth(struct store *st, const char *username, struct user_auth *out,
			    struct ms_error *e)
{
	sqlite3_stmt *s;
	struct qb q;
	int rc;

	qb_init(&q, "SELECT id, unit_id, role, active, username, password_hash FROM users WHERE "
		    "username = ?");
	qb_text(&q, username);
	s = db_prepare(st, &q, e);
	qb_release(&q);
	if (!s)
		return MS_EDB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char role[16];
		out->id = sqlite3_column_int64(s, 0);
		out->unit_id = sqlite3_column_int64(s, 1);
		db_copy_text(s, 2, role, sizeof(role));
		out->role = role_parse(role);
		out->active = sqlite3_column_int(s, 3);
		db_copy_text(s, 4, out->username, sizeof(out->username));
		db_copy_text(s, 5, out->password_hash, sizeof(out->password_hash));
	}
	db_done(st, s);
	if (rc == SQLITE_ROW)
		return MS_OK;
	if (rc == SQLITE_DONE)
		return ms_fail(e, MS_ENOTFOUND, "not_found", "", "no such user");
	return db_error(st, rc, e);
}

enum ms_err store_session_create(struct store *st, const struct scope *who, const char *token_hash,
				 const char *csrf, const char *addr, int64_t now, int64_t *id,
				 struct ms_error *e)
{
	struct qb q;
	enum ms_err err;

	qb_init(&q, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
		    "last_seen_at, addr) VALUES (?, ?, ?, ?, ?, ?)");
	qb_text(&q, token_hash);
	qb_int(&q, who->user_id);
	qb_text(&q, csrf);
	qb_int(&q, now);
	qb_int(&q, now);
	qb_text(&q, addr);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	*id = db_last_id(st);
	return store_audit_append(st, who, "login", "sessions", *id, NULL, NULL, e);
}

enum ms_err store_session_lookup(struct store *st, const char *token_hash, struct session_info *out,
				 struct ms_error *e)
{
	sqlite3_stmt *s;
	struct qb q;
	int rc;

	qb_init(&q, "SELECT s.id, s.user_id, u.unit_id, s.created_at, s.last_seen_at, u.role, "
		    "u.username, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id "
		    "WHERE s.token_hash = ? AND u.active = 1");
	qb_text(&q, token_hash);
	s = db_prepare(st, &q, e);
	qb_release(&q);
	if (!s)
		return MS_EDB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		char role[16];
		out->id = sqlite3_column_int64(s, 0);
		out->user_id = sqlite3_column_int64(s, 1);
		out->unit_id = sqlite3_column_int64(s, 2);
		out->created_at = sqlite3_column_int64(s, 3);
		out->last_seen_at = sqlite3_column_int64(s, 4);
		db_copy_text(s, 5, role, sizeof(role));
		out->role = role_parse(role);
		db_copy_text(s, 6, out->username, sizeof(out->username));
		db_copy_text(s, 7, out->csrf, sizeof(out->csrf));
	}
	db_done(st, s);
	if (rc == SQLITE_ROW)
		return MS_OK;
	if (rc == SQLITE_DONE)
		return ms_fail(e, MS_EUNAUTH, "unauthenticated", "", "no such session");
	return db_error(st, rc, e);
}

enum ms_err store_session_touch(struct store *st, int64_t id, int64_t now, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
	qb_int(&q, now);
	qb_int(&q, id);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_session_end(struct store *st, const struct scope *who, int64_t id,
			      struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "DELETE FROM sessions WHERE id = ? AND user_id = ?");
	qb_int(&q, id);
	qb_int(&q, who->user_id);
	err = db_exec_audited(st, who, "logout", "sessions", id, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
				struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?");
	qb_int(&q, idle_before);
	qb_int(&q, created_before);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_throttle_get(struct store *st, const char *key, struct throttle *t,
			       struct ms_error *e)
{
	json_t *row = NULL;
	struct qb q;
	enum ms_err err;

	memset(t, 0, sizeof(*t));
	qb_init(&q, "SELECT fails, window_start, locked_until FROM login_throttle WHERE key = ?");
	qb_text(&q, key);
	err = db_row(st, &q, &row, e);
	qb_release(&q);
	if (err == MS_ENOTFOUND)
		return MS_OK;
	if (err)
		return err;
	t->fails = json_integer_value(json_object_get(row, "fails"));
	t->window_start = json_integer_value(json_object_get(row, "window_start"));
	t->locked_until = json_integer_value(json_object_get(row, "locked_until"));
	json_decref(row);
	return MS_OK;
}

enum ms_err store_throttle_put(struct store *st, const char *key, const struct throttle *t,
			       struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "INSERT INTO login_throttle (key, fails, window_start, locked_until) VALUES "
		    "(?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET fails = excluded.fails, "
		    "window_start = excluded.window_start, locked_until = excluded.locked_until");
	qb_text(&q, key);
	qb_int(&q, t->fails);
	qb_int(&q, t->window_start);
	qb_int(&q, t->locked_until);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_throttle_clear(struct store *st, const char *key, struct ms_error *e)
{
	struct qb q;
	enum ms_err err;
	qb_init(&q, "DELETE FROM login_throttle WHERE key = ?");
	qb_text(&q, key);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}

enum ms_err store_throttle_forget(struct store *st, int64_t before, int64_t sweep, int64_t max_keys,
				  struct ms_error *e)
{
	struct qb q;
	int64_t n = 0;
	enum ms_err err;

	qb_init(&q, "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle "
		    "WHERE window_start <= ? ORDER BY window_start LIMIT ?)");
	qb_int(&q, before);
	qb_int(&q, sweep);
	err = db_exec(st, &q, e);
	qb_release(&q);
	if (err)
		return err;
	qb_init(&q, "SELECT count(*) FROM login_throttle");
	err = db_int(st, &q, &n, e);
	qb_release(&q);
	if (err || n <= max_keys)
		return err;
	qb_init(&q, "DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle "
		    "ORDER BY window_start, key LIMIT ?)");
	qb_int(&q, n - max_keys);
	err = db_exec(st, &q, e);
	qb_release(&q);
	return err;
}
