-- 0009_unit_provinces: each organisation unit's assigned provinces (its
-- territory), set only by an administrator (PUT /api/v1/org/units/{id}/provinces).
-- A manager's unassigned institutions and white-space market come from it
-- (qb_territory in db.c), never from the institutions the team's reps
-- created, so that creating a record cannot widen anyone's scope (issue 23).
CREATE TABLE unit_provinces (
	unit_id INTEGER NOT NULL REFERENCES org_units (id),
	province_code TEXT NOT NULL,
	PRIMARY KEY (unit_id, province_code)
);

-- An existing database starts with each province-type unit assigned the
-- province of the same code, when there is one; the administrator reviews
-- the rest on the organisation page.
INSERT INTO unit_provinces (unit_id, province_code)
SELECT u.id, r.code FROM org_units u JOIN ref_items r ON r.kind = 'provinces' AND r.code = u.code
WHERE u.type = 'province';
