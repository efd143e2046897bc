-- 0003_customer_indexes: indexes for the institution list at scale
-- (bench/customers.sh, 100,000 institutions).
-- The list filtered by province and level and sorted by grade score: the
-- count and the page read this index alone, in order, with no sort.
CREATE INDEX institutions_province_level ON institutions (province_code, level, grade_score);
-- The name search (search_text LIKE '%...%') cannot use a B-tree; a
-- covering index makes its count scan this narrow index instead of the table.
CREATE INDEX institutions_search ON institutions (search_text);
-- A manager's visibility of uncovered institutions (qb_scope_inst): the
-- team's provinces and the uncovered institutions in them, from this index
-- alone.
CREATE INDEX institutions_owner_province ON institutions (owner_id, province_code);
