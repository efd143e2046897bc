-- 0001_foundation: organisation, users, sessions, login throttle, reference
-- data and the audit log. Instants are INTEGER unix seconds (UTC), calendar
-- dates TEXT 'YYYY-MM-DD', booleans INTEGER 0/1, money INTEGER fen.

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE org_units (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL CHECK (type IN ('company', 'region', 'province', 'district', 'team')),
	created_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

-- The tree is effective-dated: each row says what a unit was called and where
-- it hung from valid_from (inclusive) to valid_to (exclusive, NULL = open).
CREATE TABLE org_unit_versions (
	id INTEGER PRIMARY KEY,
	unit_id INTEGER NOT NULL REFERENCES org_units (id),
	parent_id INTEGER REFERENCES org_units (id),
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	UNIQUE (unit_id, valid_from)
);
CREATE INDEX org_unit_versions_parent ON org_unit_versions (parent_id, valid_from);

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'director', 'compliance', 'admin')),
	unit_id INTEGER NOT NULL REFERENCES org_units (id),
	email TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	locale TEXT NOT NULL DEFAULT 'zh-CN',
	password_hash TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_unit ON users (unit_id);

-- Which unit a user belonged to when, for reports "as of" a date.
CREATE TABLE user_unit_history (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id),
	unit_id INTEGER NOT NULL REFERENCES org_units (id),
	valid_from TEXT NOT NULL,
	valid_to TEXT
);
CREATE INDEX user_unit_history_user ON user_unit_history (user_id, valid_from);

-- A session is known by the SHA-256 of its cookie token, never the token.
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES users (id),
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	fails INTEGER NOT NULL,
	window_start INTEGER NOT NULL,
	locked_until INTEGER NOT NULL
);

CREATE TABLE ref_items (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('product_lines', 'segments', 'regions', 'provinces')),
	code TEXT NOT NULL,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	priority INTEGER NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 9),
	parent_code TEXT,
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (kind, code)
);

-- Append-only: every write of the system, chained by SHA-256 (src/domain/audit.c).
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	username TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	before_json TEXT NOT NULL DEFAULT '',
	after_json TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user ON audit_log (user_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
