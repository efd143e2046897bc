#!/bin/sh
# bench/audit.sh: the compliance officer's audit log at scale. Appends
# BENCH_AUDIT entries (default 1000000) to a demo database by plain SQL
# (spread over the last 365 days, a tenth of them logins, the rest creates and
# updates of the demo's record types by its users; the hash chain is not
# made, the list does not read it), then measures through the API, as
# `compliance`, p50/p95 of a page of 50 entries: unfiltered, one record's
# history, one user's, one action's, a date range in the past and today,
# one record type (BENCH_REQUESTS requests each, default 50; goal: p95 <=
# 200 ms, a page a person waits for).
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
N=${BENCH_AUDIT:-1000000}
REQUESTS=${BENCH_REQUESTS:-50}
tmp=$(mktemp -d /tmp/medsales-audit.XXXXXX)
ms_pid=
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$BIN" demo --db "$tmp/a.db" >/dev/null 2>&1
t0=$(date +%s.%N)
sqlite3 "$tmp/a.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, before_json,
	after_json, prev_hash, hash)
SELECT CAST(strftime('%s', 'now') AS INTEGER) - 365 * 86400 + i * (365 * 86400 / $N),
	u.id, u.username,
	CASE WHEN i % 10 = 0 THEN 'login' WHEN i % 3 = 0 THEN 'update' ELSE 'create' END,
	CASE WHEN i % 10 = 0 THEN 'sessions' WHEN i % 4 = 0 THEN 'institutions'
		WHEN i % 4 = 1 THEN 'contacts' WHEN i % 4 = 2 THEN 'visits' ELSE 'opportunities' END,
	i / 7, '', '{"name":"bench ' || i || '","status":"active","version":1}',
	hex(randomblob(32)), hex(randomblob(32))
FROM n JOIN users u ON u.id = 1 + i % (SELECT count(*) FROM users);
SQL
t1=$(date +%s.%N)
total=$(sqlite3 "$tmp/a.db" 'SELECT count(*) FROM audit_log')
echo "audit log: $total entries ($N appended by SQL in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"

. bench/lib.sh
PORT=18760
bench_serve "$tmp/a.db" --threads 4
cookie=$(bench_login compliance)
uid=$(sqlite3 "$tmp/a.db" "SELECT id FROM users WHERE username = 'rep.sh1'")
old_from=$(date -d '-200 days' +%Y-%m-%d)
old_to=$(date -d '-193 days' +%Y-%m-%d)
today=$(TZ=Asia/Shanghai date +%Y-%m-%d)
matches() { echo "$(sed -nE 's/.*"total":([0-9]+).*/\1/p' "$tmp/body") matches"; }
echo "through the API, $REQUESTS requests each, 50 entries a page (goal: p95 <= 200 ms)"
bench_measure "newest page" 200 "$cookie" "/api/v1/audit?limit=50" matches
bench_measure "one record's history" 200 "$cookie" "/api/v1/audit?entity=institutions&entity_id=4242&limit=50" matches
bench_measure "one user (rep.sh1)" 200 "$cookie" "/api/v1/audit?user_id=$uid&limit=50" matches
bench_measure "one action (login)" 200 "$cookie" "/api/v1/audit?action=login&limit=50" matches
bench_measure "a week 200 days ago" 200 "$cookie" "/api/v1/audit?from=$old_from&to=$old_to&limit=50" matches
bench_measure "today" 200 "$cookie" "/api/v1/audit?from=$today&to=$today&limit=50" matches
bench_measure "one record type (visits)" 200 "$cookie" "/api/v1/audit?entity=visits&limit=50" matches
bench_measure "one record type, page 100" 200 "$cookie" "/api/v1/audit?entity=visits&limit=50&offset=5000" matches
