-- Login throttle counters are forgotten a window after their last check,
-- oldest first, in each take's transaction (store_throttle_forget): the
-- index finds the old ones without reading the whole table.
CREATE INDEX login_throttle_last ON login_throttle (window_start);
