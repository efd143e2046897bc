#!/bin/sh
# bench/visits.sh: p50 and p95 through the API of a rep's month calendar and
# of a 500-rep team's coverage report for a month (issue 4), on the demo
# company plus 1,000 reps with 5,000,000 visits over six years
# (bench/gen_visits.c): two provinces of 25 teams of 20 reps, 30
# institutions a rep. Goals: calendar p95 <= 50 ms; team coverage p95 <=
# 200 ms.
# Env: VISITS (5000000), TEAMS (25 a province), REPS (20 a team), INST (30),
# DAYS (2190), N (150 requests per case), PORT (18790), MEDSALES_BIN
# (./medsales), KEEP_DB (build the database at this path and keep it),
# REUSE_DB (measure on a database an earlier run kept).
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
VISITS=${VISITS:-5000000}
TEAMS=${TEAMS:-25}
REPS=${REPS:-20}
INST=${INST:-30}
DAYS=${DAYS:-2190}
N=${N:-150}
REQUESTS=$N
PORT=${PORT:-18790}
tmp=$(mktemp -d /tmp/medsales-bench-visits.XXXXXX)
ms_pid=
DB=${REUSE_DB:-${KEEP_DB:-$tmp/v.db}}
[ -n "${REUSE_DB:-}" ] || rm -f "$DB" "$DB-wal" "$DB-shm"
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$BIN" ]; then
	echo "visits: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2
	exit 1
fi
. bench/lib.sh
[ -n "${REUSE_DB:-}" ] || bench_visits_db "$DB"
sqlite3 "$DB" "SELECT 'visits ' || count(*) FROM visits;
	SELECT 'reps ' || count(*) FROM users WHERE role = 'rep';"
mgr=$(sed -n 's/^manager \([^ ]*\) .*/\1/p' "$DB.lines" | head -n 1)
rep=$(sed -n 's/^rep \(.*\)/\1/p' "$DB.lines" | head -n 1)

bench_serve "$DB"
rep_cookie=$(bench_login "$rep")
mgr_cookie=$(bench_login "$mgr")
[ -n "$rep_cookie" ] && [ -n "$mgr_cookie" ] || exit 1
month=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-15) -1 month" +%Y-%m)

echo "$N requests each; month $month; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bench_measure "rep's month calendar ($rep)" 50 "$rep_cookie" "/api/v1/calendar?month=$month"
bench_measure "team coverage report, month ($mgr, 500 reps)" 200 "$mgr_cookie" \
	"/api/v1/reports/visit-coverage?month=$month"
bench_measure "team calendar, month ($mgr)" 200 "$mgr_cookie" "/api/v1/calendar?month=$month"
[ -n "${KEEP_DB:-}" ] && echo "database kept in $KEEP_DB"
exit 0
