-- A visit may name the opportunity it works on (issue 11: the plan dialog
-- links one); NULL for none. Set when the visit is planned.
ALTER TABLE visits ADD COLUMN opportunity_id INTEGER REFERENCES opportunities (id);
CREATE INDEX visits_opportunity ON visits (opportunity_id) WHERE opportunity_id IS NOT NULL;
