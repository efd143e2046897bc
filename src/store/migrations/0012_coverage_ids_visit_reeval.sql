-- 0012_coverage_ids_visit_reeval.sql (issue 11).
--
-- 1. A coverage ended on or before its first day never covered a day and
-- is now withdrawn (deleted, audited) instead of kept as a row from a day
-- to the same day (docs/customers.md). Its id must never come back for
-- another coverage, or the audit log would tell two rows' stories under
-- one id: the table gets AUTOINCREMENT ids (SQLite would otherwise reuse
-- the largest id after a delete). Same columns, rows and indexes.
CREATE TABLE coverage_new (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	institution_id INTEGER NOT NULL REFERENCES institutions (id),
	user_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL CHECK (role IN ('primary', 'supporting', 'service')),
	valid_from TEXT NOT NULL,
	valid_to TEXT,
	created_at INTEGER NOT NULL
);
INSERT INTO coverage_new (id, institution_id, user_id, role, valid_from, valid_to, created_at)
	SELECT id, institution_id, user_id, role, valid_from, valid_to, created_at FROM coverage;
DROP TABLE coverage;
ALTER TABLE coverage_new RENAME TO coverage;
CREATE INDEX coverage_user ON coverage (user_id, institution_id);
CREATE INDEX coverage_institution ON coverage (institution_id, valid_from);
CREATE INDEX coverage_user_period ON coverage (user_id, valid_from, valid_to, institution_id);
-- Rows from a day to the same day left before are kept: a migration writes
-- no unaudited change to business records.

-- 2. Visits are now evaluated on every change (creation, edit, check-in,
-- check-out, completion), not only at completion, so that a plan or a
-- visit in progress lists the reasons it does not count yet. Those written
-- before kept "reasons": [] (or the demo's lone "not_completed") until a
-- settings save re-evaluated them: this marks one re-evaluation of every
-- visit, which `medsales serve` runs at its next start (0008); a new
-- database has no visits and nothing to do.
INSERT INTO visit_reeval (id, after_id, started_at)
	SELECT 1, 0, 0 WHERE EXISTS (SELECT 1 FROM visits)
	ON CONFLICT (id) DO NOTHING;
