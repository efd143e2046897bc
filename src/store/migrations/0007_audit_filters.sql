-- 0007_audit_filters.sql: the audit log by time and by action. A
-- compliance officer's date range or action (GET /api/v1/audit?from&to,
-- ?action=) reads these indexes instead of every entry; the log only grows,
-- and each index grows at the end of its key, so keeping them is cheap.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action);
