-- 0011_calendar_token_revoke.sql: a calendar feed address now ends with the
-- sessions of its user (a password change, an admin reset, disabling the
-- account: store_user.c). Addresses of accounts disabled before that rule
-- are retired here, so that enabling such an account does not revive one.
DELETE FROM calendar_tokens WHERE user_id IN (SELECT id FROM users WHERE active = 0);
