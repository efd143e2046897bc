#!/bin/sh
# bench/lists.sh: lists and search at scale (issue 21). On the demo company
# plus bench/gen_lists.c's customer master (INST institutions, default
# 100000, in CITIES cities, 300, Zipf-sized, skewed names; CONTACTS
# contacts, 1000000; REPS reps, 50, each the primary rep of INST / REPS
# institutions by region), measures through the API, each case for DURATION
# (5) at 1 and at 16 connections (a closed loop, bench/lists_load.mjs):
#   city list   director  GET /institutions?city=杭州市&sort=name&limit=50
#   search      director  GET /institutions?q=协和&sort=name&limit=50
#   contacts    director  GET /contacts?institution_id=N (one institution)
#   city, rep   a rep     GET /institutions?city=杭州市&sort=name&limit=50
# and prints req/s, p50, p95 and the server's CPU time per request (utime +
# stime from /proc/PID/stat over the run, divided by the requests: on a
# shared machine latency depends on the load, CPU time per request does
# not). Goals: p95 <= 10 ms at 1 connection, <= 50 ms at 16; CPU <= 2 ms.
# Env: INST, CITIES, CONTACTS, REPS, DURATION, PORT (18760), MEDSALES_BIN
# (./medsales), KEEP_DB (build the database at this path and keep it),
# REUSE_DB (measure on a database an earlier run kept; the server applies
# any newer migration to it first).
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
INST=${INST:-100000}
CITIES=${CITIES:-300}
CONTACTS=${CONTACTS:-1000000}
REPS=${REPS:-50}
SECONDS_EACH=${DURATION:-5}
PORT=${PORT:-18760}
tmp=$(mktemp -d /tmp/medsales-bench-lists.XXXXXX)
ms_pid=
DB=${REUSE_DB:-${KEEP_DB:-$tmp/l.db}}
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$BIN" ]; then
	echo "lists: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2
	exit 1
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "${REUSE_DB:-}" ]; then
	rm -f "$DB" "$DB-wal" "$DB-shm"
	# shellcheck disable=SC2046
	cc -O2 -o "$tmp/gen_lists" bench/gen_lists.c $(pkg-config --cflags --libs sqlite3) -lm
	t0=$(date +%s.%N)
	"$BIN" demo --db "$DB" >/dev/null 2>&1
	"$tmp/gen_lists" "$DB" "$INST" "$CITIES" "$CONTACTS" "$REPS" "$(date +%s)" >"$DB.lines"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "database: demo + generated data in %.1f s\n", b - a }'
fi
# The rep with the most institutions in 杭州市.
rep=$(sqlite3 "$DB" "SELECT u.username FROM institutions i JOIN users u ON u.id = i.owner_id
	WHERE i.city = '杭州市' AND u.username LIKE 'benchl.r%' GROUP BY u.id ORDER BY count(*) DESC LIMIT 1")
inst=$(sed -n 's/^institution //p' "$DB.lines")
echo "data: $(sqlite3 "$DB" "SELECT (SELECT count(*) FROM institutions) || ' institutions in ' ||
	(SELECT count(DISTINCT city) FROM institutions) || ' cities, ' ||
	(SELECT count(*) FROM contacts) || ' contacts; 杭州市: ' ||
	(SELECT count(*) FROM institutions WHERE city = '杭州市') || ' institutions, ' ||
	(SELECT count(*) FROM institutions WHERE city = '杭州市' AND owner_id =
	 (SELECT id FROM users WHERE username = '$rep')) || ' of them $rep''s (who has ' ||
	(SELECT count(*) FROM institutions WHERE owner_id =
	 (SELECT id FROM users WHERE username = '$rep')) || ')'")"

# A kept database from an older binary: its new migrations (index builds)
# first, timed, so that the server starts at once.
t0=$(date +%s.%N)
"$BIN" migrate --db "$DB" >/dev/null
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "migrate: %.1f s\n", b - a }'
. bench/lib.sh
bench_serve "$DB"
echo "schema version $(sqlite3 "$DB" 'SELECT max(version) FROM schema_version')"
dir_cookie=$(bench_login director)
rep_cookie=$(bench_login "$rep")
hz=$(getconf CLK_TCK)

city='%E6%9D%AD%E5%B7%9E%E5%B8%82' # 杭州市
run() {                             # label cookie path
	status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $2" "$URL$3")
	if [ "$status" != 200 ]; then
		echo "lists: $1: HTTP $status $(head -c 300 "$tmp/body")" >&2
		exit 1
	fi
	total=$(sed -nE 's/.*"total":([0-9]+).*/\1/p' "$tmp/body")
	for c in 1 16; do
		cpu0=$(bench_cpu_ticks)
		out=$(node bench/lists_load.mjs "$URL" "$2" "$3" "$c" "$SECONDS_EACH")
		cpu1=$(bench_cpu_ticks)
		echo "$out" | awk -v label="$1" -v c="$c" -v cpu="$((cpu1 - cpu0))" -v hz="$hz" \
			-v total="$total" -v goal="$([ "$c" = 1 ] && echo 10 || echo 50)" '{
			printf "%-13s %2d conn %8.1f req/s  p50 %7.2f ms  p95 %7.2f ms (goal %d: %s)  CPU %6.2f ms/request  (%d errors; total %s)\n",
				label, c, $3, $4, $5, goal, ($5 <= goal ? "ok" : "MISSED"),
				($1 > 0 ? cpu * 1000 / hz / $1 : 0), $2, total }'
	done
}
run "city list" "$dir_cookie" "/api/v1/institutions?city=$city&sort=name&limit=50"
run "search 协和" "$dir_cookie" "/api/v1/institutions?q=%E5%8D%8F%E5%92%8C&sort=name&limit=50"
run "contacts" "$dir_cookie" "/api/v1/contacts?institution_id=$inst"
run "city, rep" "$rep_cookie" "/api/v1/institutions?city=$city&sort=name&limit=50"
