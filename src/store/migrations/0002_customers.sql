-- 0002_customers: institutions, coverage, departments, contacts, needs, grade
-- history and the settings documents (grading model, completeness fields).

CREATE TABLE settings (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	value_json TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE institutions (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	aliases TEXT NOT NULL DEFAULT '',        -- separated by '|'
	search_text TEXT NOT NULL DEFAULT '',    -- name|aliases, lower-cased, for substring search
	name_key TEXT NOT NULL DEFAULT '',       -- normalised name, for duplicate detection
	province_code TEXT NOT NULL,
	city TEXT NOT NULL DEFAULT '',
	district TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	latitude REAL,
	longitude REAL,
	level TEXT NOT NULL DEFAULT 'UNGRADED' CHECK (level IN ('L3', 'L2', 'L1', 'UNGRADED')),
	class TEXT NOT NULL DEFAULT 'NONE' CHECK (class IN ('A', 'B', 'C', 'NONE')),
	ownership TEXT NOT NULL DEFAULT 'PUBLIC'
		CHECK (ownership IN ('PUBLIC', 'PRIVATE', 'MILITARY', 'ENTERPRISE')),
	type TEXT NOT NULL DEFAULT 'GENERAL' CHECK (type IN ('GENERAL', 'SPECIALTY', 'TCM', 'MCH',
		'CHC', 'THC', 'CLINIC', 'ICL', 'CHECKUP', 'OTHER')),
	beds INTEGER,
	annual_outpatients INTEGER,
	is_teaching INTEGER NOT NULL DEFAULT 0,
	network TEXT NOT NULL DEFAULT '',
	network_role TEXT NOT NULL DEFAULT 'NONE' CHECK (network_role IN ('NONE', 'LEAD', 'MEMBER')),
	segment_code TEXT,
	status TEXT NOT NULL DEFAULT 'prospect' CHECK (status IN ('prospect', 'active', 'dormant')),
	budget_fen INTEGER,                      -- estimated yearly spend in our lines
	installed_units INTEGER NOT NULL DEFAULT 0,
	relationship INTEGER CHECK (relationship BETWEEN 1 AND 5),
	grade TEXT NOT NULL DEFAULT 'C' CHECK (grade IN ('A', 'B', 'C')),
	grade_score INTEGER NOT NULL DEFAULT 0,
	grade_computed TEXT NOT NULL DEFAULT 'C',
	grade_override TEXT CHECK (grade_override IN ('A', 'B', 'C')),
	grade_override_reason TEXT NOT NULL DEFAULT '',
	potential_score INTEGER NOT NULL DEFAULT 0,
	completeness INTEGER NOT NULL DEFAULT 0,
	owner_id INTEGER REFERENCES users (id),  -- the primary rep today (from coverage)
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX institutions_owner ON institutions (owner_id);
CREATE INDEX institutions_province ON institutions (province_code, city);
CREATE INDEX institutions_name ON institutions (name);
CREATE INDEX institutions_name_key ON institutions (name_key, city);
CREATE INDEX institutions_grade ON institutions (grade, grade_score);

-- Who covers an institution, in what role, from when to when.
CREATE TABLE coverage (
	id INTEGER PRIMARY KEY,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL CHECK (role IN ('primary', 'supporting', 'service')),
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	created_at INTEGER NOT NULL
);
CREATE INDEX coverage_user ON coverage (user_id, institution_id);
CREATE INDEX coverage_institution ON coverage (institution_id, valid_from);

CREATE TABLE departments (
	id INTEGER PRIMARY KEY,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	name TEXT NOT NULL,
	category TEXT NOT NULL DEFAULT 'CLINICAL' CHECK (category IN ('CLINICAL', 'MEDTECH', 'ADMIN')),
	function TEXT NOT NULL DEFAULT 'OTHER' CHECK (function IN ('CLINICAL', 'EQUIPMENT',
		'PROCUREMENT', 'LAB', 'IMAGING', 'OR', 'ICU', 'MED_INSURANCE', 'FINANCE', 'AUDIT',
		'PRESIDENT', 'OTHER')),
	beds INTEGER,
	notes TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	UNIQUE (institution_id, name)
);

CREATE TABLE contacts (
	id INTEGER PRIMARY KEY,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	department_id INTEGER REFERENCES departments (id),
	name TEXT NOT NULL,
	gender TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'M', 'F')),
	title TEXT NOT NULL DEFAULT '',          -- 职称
	position TEXT NOT NULL DEFAULT '',       -- 职务
	decision_role TEXT NOT NULL DEFAULT 'USER' CHECK (decision_role IN ('DECISION_MAKER',
		'INFLUENCER', 'USER', 'GATEKEEPER', 'PROCUREMENT', 'FINANCE')),
	influence INTEGER NOT NULL DEFAULT 3 CHECK (influence BETWEEN 1 AND 5),
	stance TEXT NOT NULL DEFAULT 'neutral' CHECK (stance IN ('supporter', 'neutral', 'opponent')),
	kol_tier TEXT NOT NULL DEFAULT 'none' CHECK (kol_tier IN ('national', 'provincial', 'city', 'none')),
	kol_speciality TEXT NOT NULL DEFAULT '',
	kol_posts TEXT NOT NULL DEFAULT '',
	kol_engagements TEXT NOT NULL DEFAULT '',
	mobile TEXT NOT NULL DEFAULT '',
	mobile_key TEXT NOT NULL DEFAULT '',     -- digits only, for duplicate detection
	email TEXT NOT NULL DEFAULT '',
	wechat TEXT NOT NULL DEFAULT '',
	consent_date TEXT,
	is_public_official INTEGER NOT NULL DEFAULT 0,
	is_key INTEGER NOT NULL DEFAULT 0,       -- a key contact (decision role or influence >= 4)
	search_text TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_institution ON contacts (institution_id, name);
CREATE INDEX contacts_department ON contacts (department_id);
CREATE INDEX contacts_mobile ON contacts (mobile_key);

CREATE TABLE needs (
	id INTEGER PRIMARY KEY,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	department_id INTEGER REFERENCES departments (id),
	product_line_code TEXT,
	need TEXT NOT NULL,
	pain_points TEXT NOT NULL DEFAULT '',
	current_solution TEXT NOT NULL DEFAULT '',
	current_age_years INTEGER,
	volume TEXT NOT NULL DEFAULT '',
	budget_fen INTEGER,
	budget_cycle TEXT NOT NULL DEFAULT '',
	decision_by TEXT,                        -- expected decision date
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'addressed', 'closed')),
	search_text TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX needs_institution ON needs (institution_id, status);

CREATE TABLE grade_history (
	id INTEGER PRIMARY KEY,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	grade TEXT NOT NULL,
	score INTEGER NOT NULL,
	source TEXT NOT NULL CHECK (source IN ('computed', 'override', 'override_cleared')),
	reason TEXT NOT NULL DEFAULT '',
	details_json TEXT NOT NULL DEFAULT '',
	user_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX grade_history_institution ON grade_history (institution_id, id);
