-- 0014_deals_and_source_costs: the funnel counts deals, not stage entries,
-- and the lead report weighs won value against what a source cost (issue 11).
--
-- stage_history.prev_entered_on: the day of the same deal's previous entry
-- into the same stage (NULL for its first). The first entry of a deal into a
-- stage within a period [from, to] is the one with no previous entry on or
-- after from; the others are re-entries. Re-entries are few, so a partial
-- index finds those of a period, and the company-wide funnel subtracts them
-- from the daily entry sums of funnel_daily (migration 0006).
ALTER TABLE stage_history ADD COLUMN prev_entered_on TEXT;
UPDATE stage_history SET prev_entered_on = (SELECT p.entered_on FROM stage_history p WHERE
	p.opportunity_id = stage_history.opportunity_id AND p.stage_code = stage_history.stage_code
	AND p.id < stage_history.id ORDER BY p.id DESC LIMIT 1);
-- stage_history.advanced: the deal left this entry for a later stage that is
-- not a lost one (1), for another (0), or is still in it (NULL), judged with
-- the stages as they were when it left, so that adding or reordering stages
-- later does not rewrite the past.
ALTER TABLE stage_history ADD COLUMN advanced INTEGER;
UPDATE stage_history SET advanced = (next_position > position AND next_position NOT IN
	(SELECT position FROM pipeline_stages WHERE is_lost = 1)) WHERE next_position IS NOT NULL;
CREATE INDEX stage_history_reentry ON stage_history (prev_entered_on, stage_code)
	WHERE prev_entered_on IS NOT NULL;

-- What a lead source cost: a congress, an exhibition, a campaign, recorded by
-- a manager on the day it was spent. owner_id is who recorded it, and the
-- scope follows it like a lead's owner.
CREATE TABLE lead_source_costs (
	id INTEGER PRIMARY KEY,
	source TEXT NOT NULL CHECK (source IN ('academic_meeting', 'exhibition', 'inbound',
		'tender_notice', 'referral', 'colleague', 'other')),
	source_detail TEXT NOT NULL DEFAULT '',
	spent_on TEXT NOT NULL,
	cost_fen INTEGER NOT NULL CHECK (cost_fen >= 0),
	notes TEXT NOT NULL DEFAULT '',
	owner_id INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX lead_source_costs_spent ON lead_source_costs (spent_on, source);
