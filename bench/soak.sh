#!/bin/sh
# bench/soak.sh: the soak of issue 23. CLIENTS (256) clients at once drive a
# realistic mix of reads, searches and writes (bench/soak.mjs: the month
# calendar, visits, the dashboard, name and date searches, visits created,
# checked in and out; managers read the team coverage report) for MINUTES
# (10) on the visit data set of bench/visits.sh (the demo company plus
# 1,000 reps and VISITS = 5,000,000 visits over six years). It prints, every
# minute, the requests and errors, p95 per request kind and the server's
# RSS; at the end the totals and the goals: 0 errors, RSS flat within 10 %
# (from the second minute on), RSS <= 100 MB (the peak, VmHWM).
# Env: CLIENTS, MINUTES, THINK_MS (1000: the mean pause of a client between
# requests; 256 clients then offer about 250 requests a second), USERS (64 logins shared by the clients), VISITS, TEAMS, REPS,
# INST, DAYS (as bench/visits.sh), PORT (18795), MEDSALES_BIN (./medsales),
# SERVE_ARGS (extra `medsales serve` options), KEEP_DB (build the database
# at this path and keep it), REUSE_DB (soak on a database an earlier run
# kept; its writes stay in it).
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
PORT=${PORT:-18795}
export CLIENTS=${CLIENTS:-256} MINUTES=${MINUTES:-10}
[ -x "$BIN" ] || { echo "soak: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2; exit 1; }
. bench/lib.sh
tmp=$(mktemp -d /tmp/medsales-soak.XXXXXX)
ms_pid=
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
if [ -n "${REUSE_DB:-}" ]; then
	DB=$REUSE_DB
else
	DB=${KEEP_DB:-$tmp/s.db}
	rm -f "$DB" "$DB-wal" "$DB-shm"
	bench_visits_db "$DB"
fi
sqlite3 "$DB" "SELECT 'visits ' || count(*) FROM visits;
	SELECT 'reps ' || count(*) FROM users WHERE role = 'rep';"
sqlite3 "$DB" "SELECT username FROM users WHERE role = 'rep' AND username LIKE 'benchv.%'
	ORDER BY id % 97, id" >"$tmp/reps"
sqlite3 "$DB" "SELECT username FROM users WHERE role = 'manager' AND username LIKE 'benchv.%'
	ORDER BY id" >"$tmp/managers"
# shellcheck disable=SC2086
bench_serve "$DB" ${SERVE_ARGS:-}
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); server pid $ms_pid"
node bench/soak.mjs "$URL" "$ms_pid" "$tmp/reps" "$tmp/managers"
if grep -qiE 'error|warn' "$tmp/serve.log"; then
	echo "server log (errors and warnings):"
	grep -iE 'error|warn' "$tmp/serve.log" | sort | uniq -c | sort -rn | head -n 10
fi
[ -n "${KEEP_DB:-}" ] && echo "database kept in $KEEP_DB"
exit 0
