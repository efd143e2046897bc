#!/bin/sh
# bench/pipeline.sh: p50 and p95 of the funnel report through the API
# (issue 6) on a large pipeline: the demo company plus 50 teams of 20 reps,
# 200,000 opportunities and 2,000,000 stage changes over the last two years
# (bench/gen_pipeline.c). Measures GET /api/v1/reports/funnel for the last
# year: the whole company (director), one team by unit_id (director) and the
# same team as its manager (no unit_id: the manager's scope). Goal: p95
# <= 100 ms.
# Env: OPPS (200000), HIST (2000000), TEAMS (50), REPS (20), N (100
# requests per case), PORT (18871), MEDSALES_BIN (./medsales), KEEP_DB (build
# the database at this path and keep it), REUSE_DB (measure on a database
# an earlier run kept, without generating; pass its team line as TEAM, e.g.
# "team BENCH-T01 40 bench.t01.mgr"), CASES (default "company team manager").
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
OPPS=${OPPS:-200000}
HIST=${HIST:-2000000}
TEAMS=${TEAMS:-50}
REPS=${REPS:-20}
N=${N:-100}
REQUESTS=$N
PORT=${PORT:-18871}
tmp=$(mktemp -d /tmp/medsales-bench-pipeline.XXXXXX)
ms_pid=
DB=${REUSE_DB:-${KEEP_DB:-$tmp/p.db}}
[ -n "${REUSE_DB:-}" ] || rm -f "$DB" "$DB-wal" "$DB-shm"
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$BIN" ]; then
	echo "pipeline: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2
	exit 1
fi
. bench/lib.sh
cc -O2 -o "$tmp/gen_pipeline" bench/gen_pipeline.c $(pkg-config --cflags --libs sqlite3)

if [ -n "${REUSE_DB:-}" ]; then
	echo "${TEAM:-team BENCH-T01 40 bench.t01.mgr}" >"$tmp/teams"
else
	t0=$(date +%s.%N)
	"$BIN" demo --db "$DB" >/dev/null 2>&1
	"$tmp/gen_pipeline" "$DB" "$TEAMS" "$REPS" "$OPPS" "$HIST" "$(date +%s)" >"$tmp/teams"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "database: demo + generated data in %.1f s\n", b - a }'
fi
sqlite3 "$DB" "SELECT 'opportunities ' || count(*) FROM opportunities;
	SELECT 'stage_history ' || count(*) FROM stage_history;
	SELECT 'users ' || count(*) FROM users;"
team_line=$(sed -n 1p "$tmp/teams")
team_unit=$(echo "$team_line" | cut -d' ' -f3)
team_mgr=$(echo "$team_line" | cut -d' ' -f4)

bench_serve "$DB"
dir_cookie=$(bench_login director)
mgr_cookie=$(bench_login "$team_mgr")
[ -n "$dir_cookie" ] && [ -n "$mgr_cookie" ] || exit 1

to=$(TZ=Asia/Shanghai date +%Y-%m-%d)
from=$(TZ=Asia/Shanghai date -d '1 year ago' +%Y-%m-%d)
period="from=$from&to=$to"

entered() { # the first stage's entries, from the reply
	echo "1st stage entered $(grep -o '"entered": *[0-9]*' "$tmp/body" | head -n 1 | tr -dc 0-9)"
}
measure() { # label cookie query
	bench_measure "$1" 100 "$2" "/api/v1/reports/funnel?$3" entered
}

echo "GET /api/v1/reports/funnel?$period, $N requests each, goal p95 <= 100 ms"
for c in ${CASES:-company team manager}; do
	case $c in
	company) measure "company, director" "$dir_cookie" "$period" ;;
	team) measure "team $team_unit by unit_id, director" "$dir_cookie" "$period&unit_id=$team_unit" ;;
	manager) measure "team $team_unit, its manager $team_mgr" "$mgr_cookie" "$period" ;;
	esac
done
[ -n "${KEEP_DB:-}" ] && echo "database kept in $KEEP_DB"
exit 0
