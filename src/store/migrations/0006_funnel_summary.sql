-- 0006_funnel_summary: the funnel's entries per day, stage and product line,
-- kept by triggers on stage_history, so that the company-wide funnel of a
-- year reads thousands of rows instead of millions (bench/pipeline.sh).
-- Cuts by owner, team or customer still read stage_history itself.

CREATE TABLE funnel_daily (
	entered_on TEXT NOT NULL,
	stage_code TEXT NOT NULL,
	product_line_code TEXT NOT NULL,
	entered INTEGER NOT NULL DEFAULT 0,
	entered_fen INTEGER NOT NULL DEFAULT 0,
	advanced INTEGER NOT NULL DEFAULT 0,     -- went on to a later stage, not a lost one
	left_stage INTEGER NOT NULL DEFAULT 0,
	seconds_sum INTEGER NOT NULL DEFAULT 0,  -- time spent by those that left
	PRIMARY KEY (entered_on, stage_code, product_line_code)
);

INSERT INTO funnel_daily (entered_on, stage_code, product_line_code, entered, entered_fen,
	advanced, left_stage, seconds_sum)
SELECT h.entered_on, h.stage_code, COALESCE(h.product_line_code, ''), count(*),
	sum(h.amount_fen),
	COALESCE(sum(h.next_position > h.position AND h.next_position NOT IN (SELECT position FROM
		pipeline_stages WHERE is_lost = 1)), 0),
	sum(h.left_at IS NOT NULL), COALESCE(sum(h.left_at - h.entered_at), 0)
FROM stage_history h GROUP BY h.entered_on, h.stage_code, COALESCE(h.product_line_code, '');

CREATE TRIGGER stage_history_funnel_insert AFTER INSERT ON stage_history
BEGIN
	INSERT INTO funnel_daily (entered_on, stage_code, product_line_code) VALUES
		(NEW.entered_on, NEW.stage_code, COALESCE(NEW.product_line_code, ''))
		ON CONFLICT (entered_on, stage_code, product_line_code) DO NOTHING;
	UPDATE funnel_daily SET entered = entered + 1, entered_fen = entered_fen + NEW.amount_fen,
		advanced = advanced + COALESCE(NEW.next_position > NEW.position AND NEW.next_position NOT IN
			(SELECT position FROM pipeline_stages WHERE is_lost = 1), 0),
		left_stage = left_stage + (NEW.left_at IS NOT NULL),
		seconds_sum = seconds_sum + COALESCE(NEW.left_at - NEW.entered_at, 0)
	WHERE entered_on = NEW.entered_on AND stage_code = NEW.stage_code AND
		product_line_code = COALESCE(NEW.product_line_code, '');
END;

CREATE TRIGGER stage_history_funnel_delete AFTER DELETE ON stage_history
BEGIN
	UPDATE funnel_daily SET entered = entered - 1, entered_fen = entered_fen - OLD.amount_fen,
		advanced = advanced - COALESCE(OLD.next_position > OLD.position AND OLD.next_position NOT IN
			(SELECT position FROM pipeline_stages WHERE is_lost = 1), 0),
		left_stage = left_stage - (OLD.left_at IS NOT NULL),
		seconds_sum = seconds_sum - COALESCE(OLD.left_at - OLD.entered_at, 0)
	WHERE entered_on = OLD.entered_on AND stage_code = OLD.stage_code AND
		product_line_code = COALESCE(OLD.product_line_code, '');
END;

CREATE TRIGGER stage_history_funnel_update AFTER UPDATE ON stage_history
BEGIN
	UPDATE funnel_daily SET entered = entered - 1, entered_fen = entered_fen - OLD.amount_fen,
		advanced = advanced - COALESCE(OLD.next_position > OLD.position AND OLD.next_position NOT IN
			(SELECT position FROM pipeline_stages WHERE is_lost = 1), 0),
		left_stage = left_stage - (OLD.left_at IS NOT NULL),
		seconds_sum = seconds_sum - COALESCE(OLD.left_at - OLD.entered_at, 0)
	WHERE entered_on = OLD.entered_on AND stage_code = OLD.stage_code AND
		product_line_code = COALESCE(OLD.product_line_code, '');
	INSERT INTO funnel_daily (entered_on, stage_code, product_line_code) VALUES
		(NEW.entered_on, NEW.stage_code, COALESCE(NEW.product_line_code, ''))
		ON CONFLICT (entered_on, stage_code, product_line_code) DO NOTHING;
	UPDATE funnel_daily SET entered = entered + 1, entered_fen = entered_fen + NEW.amount_fen,
		advanced = advanced + COALESCE(NEW.next_position > NEW.position AND NEW.next_position NOT IN
			(SELECT position FROM pipeline_stages WHERE is_lost = 1), 0),
		left_stage = left_stage + (NEW.left_at IS NOT NULL),
		seconds_sum = seconds_sum + COALESCE(NEW.left_at - NEW.entered_at, 0)
	WHERE entered_on = NEW.entered_on AND stage_code = NEW.stage_code AND
		product_line_code = COALESCE(NEW.product_line_code, '');
END;

-- Stalled deals: open stages whose last activity is older than a date.
CREATE INDEX opportunities_stalled ON opportunities (stage_code, last_activity_at);
