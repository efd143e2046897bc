-- 0004_visits: visits (planned and done), the contacts met, coaching
-- comments and scores, follow-up tasks and the per-user calendar feed
-- secret (R3, R8, R10). Settings documents ("effective_visit", "visit_rules",
-- "seven_steps", "needs_templates") live in the settings table of 0002.

-- One row per visit, from plan to record: status planned -> checked_in ->
-- checked_out -> completed, or cancelled (a dropped plan). A visit logged
-- without a plan starts at checked_in (was_planned = 0).
CREATE TABLE visits (
	id INTEGER PRIMARY KEY,
	owner_id INTEGER NOT NULL REFERENCES users (id),        -- the rep
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	department_id INTEGER REFERENCES departments (id),
	type TEXT NOT NULL CHECK (type IN ('in_person', 'phone', 'online', 'dept_meeting',
		'academic', 'joint')),
	status TEXT NOT NULL CHECK (status IN ('planned', 'checked_in', 'checked_out',
		'completed', 'cancelled')),
	visit_date TEXT NOT NULL,                 -- planned date, then the check-in's date
	planned_start_at INTEGER,
	was_planned INTEGER NOT NULL DEFAULT 0,
	objective TEXT NOT NULL DEFAULT '',
	co_visitor_id INTEGER REFERENCES users (id),            -- the manager of a joint visit
	check_in_at INTEGER,
	check_in_lat REAL,
	check_in_lon REAL,
	check_in_accuracy_m REAL,
	check_out_at INTEGER,
	check_out_lat REAL,
	check_out_lon REAL,
	distance_m REAL,                          -- check-in to the institution
	location_status TEXT NOT NULL DEFAULT 'none' CHECK (location_status IN ('none',
		'verified', 'unverified', 'suspicious')),
	location_reason TEXT NOT NULL DEFAULT '',
	location_note TEXT NOT NULL DEFAULT '',   -- the rep's explanation
	steps_json TEXT NOT NULL DEFAULT '{}',    -- {"plan":{"done":true,"note":""},...}
	needs_json TEXT NOT NULL DEFAULT '',      -- {"product_line_code","answers":{...}}
	products_json TEXT NOT NULL DEFAULT '[]', -- product line codes discussed
	outcome TEXT NOT NULL DEFAULT '',
	next_step TEXT NOT NULL DEFAULT '',
	next_step_date TEXT,
	logged_at INTEGER,                        -- when the record was completed
	is_effective INTEGER NOT NULL DEFAULT 0,
	reasons_json TEXT NOT NULL DEFAULT '[]',  -- failed effective-visit criteria
	warnings_json TEXT NOT NULL DEFAULT '[]', -- warning signs of the rep's day
	cancel_reason TEXT NOT NULL DEFAULT '',
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
-- Calendars and reports read a rep's visits by date; the report's columns
-- are in the index so that it never touches the table.
CREATE INDEX visits_owner_date ON visits (owner_id, visit_date, status, institution_id,
	is_effective, was_planned);
CREATE INDEX visits_institution ON visits (institution_id, visit_date);
CREATE INDEX visits_date ON visits (visit_date, id);   -- everyone's visits by date (director)
CREATE INDEX visits_co_visitor ON visits (co_visitor_id, visit_date);

-- The contacts met. owner_id and visit_date are copied from the visit when
-- it is completed (NULL before), so that the coverage report counts visits
-- per key contact from one index range per rep.
CREATE TABLE visit_contacts (
	visit_id INTEGER NOT NULL REFERENCES visits (id),
	contact_id INTEGER NOT NULL REFERENCES contacts (id),
	owner_id INTEGER,
	visit_date TEXT,
	PRIMARY KEY (visit_id, contact_id)
);
CREATE INDEX visit_contacts_contact ON visit_contacts (contact_id, visit_date);
CREATE INDEX visit_contacts_done ON visit_contacts (owner_id, visit_date, contact_id)
	WHERE owner_id IS NOT NULL;
-- The coverage report reads, for hundreds of reps, their coverage in force,
-- each institution's grade and its key contacts: all from covering indexes,
-- without touching the (wide) rows.
CREATE INDEX contacts_key ON contacts (institution_id, is_key);
CREATE INDEX coverage_user_period ON coverage (user_id, valid_from, valid_to, institution_id);
CREATE INDEX institutions_id_grade ON institutions (id, grade);

-- Coaching: a manager's comment on a visit and, for a joint visit, scores
-- 1-5 per step of the seven-step method.
CREATE TABLE visit_comments (
	id INTEGER PRIMARY KEY,
	visit_id INTEGER NOT NULL REFERENCES visits (id),
	author_id INTEGER NOT NULL REFERENCES users (id),
	rep_id INTEGER NOT NULL REFERENCES users (id),
	comment TEXT NOT NULL DEFAULT '',
	scores_json TEXT NOT NULL DEFAULT '',     -- {"plan":4,...} or '' for none
	score_avg REAL,                           -- mean of the scores, NULL for none
	created_at INTEGER NOT NULL
);
CREATE INDEX visit_comments_visit ON visit_comments (visit_id, id);
CREATE INDEX visit_comments_rep ON visit_comments (rep_id, created_at);

CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	owner_id INTEGER NOT NULL REFERENCES users (id),
	due_date TEXT NOT NULL,
	title TEXT NOT NULL,
	visit_id INTEGER REFERENCES visits (id),
	institution_id INTEGER REFERENCES institutions (id),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
	done_at INTEGER,
	created_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_owner ON tasks (owner_id, status, due_date);
CREATE INDEX tasks_visit ON tasks (visit_id);

-- The secret address of a user's iCalendar feed: only its SHA-256.
CREATE TABLE calendar_tokens (
	user_id INTEGER PRIMARY KEY REFERENCES users (id),
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
