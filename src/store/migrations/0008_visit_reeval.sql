-- 0008_visit_reeval.sql: a re-evaluation of every visit still to finish.
-- When the effective-visit definition or the seven steps change, the row
-- is written with the settings, and the visits are then re-evaluated in
-- batches of short transactions in id order (store_visit_reeval_step), so
-- that other writers never wait for the whole table; after_id is the last
-- visit done. The row is deleted when the last batch is done. A server
-- that stopped half-way finishes the work when it starts again.
CREATE TABLE visit_reeval (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  after_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL
);
