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
PORT=${PORT:-18790}
URL=http://127.0.0.1:$PORT
tmp=$(mktemp -d /tmp/medsales-bench-visits.XXXXXX)
ms_pid=
DB=${REUSE_DB:-${KEEP_DB:-$tmp/v.db}}
[ -n "${REUSE_DB:-}" ] || rm -f "$DB" "$DB-wal" "$DB-shm"
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$BIN" ]; then
	echo "visits: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2
	exit 1
fi
if [ -z "${REUSE_DB:-}" ]; then
	cc -O2 -o "$tmp/gen_visits" bench/gen_visits.c $(pkg-config --cflags --libs sqlite3)
	t0=$(date +%s.%N)
	"$BIN" demo --db "$DB" >/dev/null 2>&1
	"$tmp/gen_visits" "$DB" "$TEAMS" "$REPS" "$INST" "$VISITS" "$DAYS" "$(date +%s)" \
		>"$DB.lines"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "database: demo + generated data in %.1f s\n", b - a }'
fi
sqlite3 "$DB" "SELECT 'visits ' || count(*) FROM visits;
	SELECT 'reps ' || count(*) FROM users WHERE role = 'rep';"
mgr=$(sed -n 's/^manager \([^ ]*\) .*/\1/p' "$DB.lines" | head -n 1)
rep=$(sed -n 's/^rep \(.*\)/\1/p' "$DB.lines" | head -n 1)

"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web-dir /nonexistent \
	>"$tmp/serve.log" 2>&1 &
ms_pid=$!
i=0
until curl -s -o /dev/null "$URL/api/v1/health"; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "visits: the server did not start" >&2
		cat "$tmp/serve.log" >&2
		exit 1
	fi
	sleep 0.1
done

login() { # username -> cookie
	curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" "$URL/api/v1/auth/login" |
		sed -nE 's/^[Ss]et-[Cc]ookie: (ms_session=[0-9a-f]+).*/\1/p'
}
rep_cookie=$(login "$rep")
mgr_cookie=$(login "$mgr")
if [ -z "$rep_cookie" ] || [ -z "$mgr_cookie" ]; then
	echo "visits: cannot log in" >&2
	exit 1
fi
month=$(TZ=Asia/Shanghai date -d "$(TZ=Asia/Shanghai date +%Y-%m-15) -1 month" +%Y-%m)

# The server's CPU time (user + system) in clock ticks: on a shared machine
# the latency depends on the load, the CPU time per request does not.
hz=$(getconf CLK_TCK)
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$ms_pid/stat"
}

measure() { # label goal_ms cookie path
	status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $3" "$URL$4")
	if [ "$status" != 200 ]; then
		echo "visits: $1: HTTP $status $(head -c 300 "$tmp/body")" >&2
		exit 1
	fi
	size=$(wc -c <"$tmp/body")
	: >"$tmp/times"
	cpu0=$(cpu_ticks)
	j=0
	while [ $j -lt "$N" ]; do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $3" "$URL$4" >>"$tmp/times"
		j=$((j + 1))
	done
	cpu1=$(cpu_ticks)
	sort -n "$tmp/times" | awk -v label="$1" -v n="$N" -v goal="$2" -v size="$size" \
		-v cpu="$((cpu1 - cpu0))" -v hz="$hz" '
		{ t[NR] = $1 * 1000 }
		END {
			i50 = int(n * 0.50 + 0.5); if (i50 < 1) i50 = 1
			i95 = int(n * 0.95 + 0.5); if (i95 < 1) i95 = 1
			printf "%-46s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  goal %d ms %s  (%d bytes; server CPU %.1f ms/request)\n",
				label, t[i50], t[i95], t[NR], goal, (t[i95] <= goal ? "ok" : "MISSED"), size,
				cpu * 1000 / hz / n
		}'
}

echo "$N requests each; month $month; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure "rep's month calendar ($rep)" 50 "$rep_cookie" "/api/v1/calendar?month=$month"
measure "team coverage report, month ($mgr, 500 reps)" 200 "$mgr_cookie" \
	"/api/v1/reports/visit-coverage?month=$month"
measure "team calendar, month ($mgr)" 200 "$mgr_cookie" "/api/v1/calendar?month=$month"
[ -n "${KEEP_DB:-}" ] && echo "database kept in $KEEP_DB"
exit 0
