-- 0016_list_indexes: the indexes that answer the institution and contact
-- lists by an index range, in the order asked (issue 21; the plans are
-- checked by tests/unit/test_store_plans.c, bench/lists.sh measures them).
-- A filter on a selective column with the default sort (name): the page is
-- the first 50 entries of the range, the count the range itself.
CREATE INDEX institutions_city_name ON institutions (city, name);
CREATE INDEX institutions_province_name ON institutions (province_code, name);
CREATE INDEX institutions_segment_name ON institutions (segment_code, name);
-- The owner's list (owner_id filter) by name; institutions_owner (owner_id)
-- is a prefix of it.
CREATE INDEX institutions_owner_name ON institutions (owner_id, name);
DROP INDEX institutions_owner;
-- The sort by city: province, city, name; institutions_province
-- (province_code, city) is a prefix of it.
CREATE INDEX institutions_province_city_name ON institutions (province_code, city, name);
DROP INDEX institutions_province;
-- Every other sort of the whole list, read in order and stopped at the page.
CREATE INDEX institutions_grade_score ON institutions (grade_score);
CREATE INDEX institutions_completeness ON institutions (completeness);
CREATE INDEX institutions_beds ON institutions (beds);
CREATE INDEX institutions_created ON institutions (created_at);
CREATE INDEX institutions_updated ON institutions (updated_at);
-- Contacts: every sort of the whole list, and one institution's contacts
-- by influence (the institution page's default).
CREATE INDEX contacts_name ON contacts (name);
CREATE INDEX contacts_influence ON contacts (influence);
CREATE INDEX contacts_created ON contacts (created_at);
CREATE INDEX contacts_institution_influence ON contacts (institution_id, influence);
