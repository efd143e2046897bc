# bench/lib.sh: what the API benchmarks share, sourced after BIN and tmp are
# set: starting the server, logging in and the latency measure.
# bench_visits_db DB: the demo company plus bench/gen_visits.c's visit
#   history (VISITS, TEAMS, REPS, INST, DAYS: see bench/visits.sh) at DB;
#   gen_visits' lines (managers, a rep) in DB.lines.
# bench_serve DB [serve args...]: starts `medsales serve` on a free port from
#   ${PORT:-18700} and waits for /health; sets URL and ms_pid (stop it in the
#   caller's EXIT trap).
# bench_login USER: prints the session cookie ("ms_session=...").
# bench_measure LABEL GOAL_MS COOKIE PATH [NOTE_FN]: one request to check
#   the status (its body in $tmp/body; NOTE_FN, if given, prints a note from
#   it), then ${REQUESTS:-100} timed ones; prints p50, p95, max, the goal, the body
#   size and the server's CPU time per request (on a shared machine latency
#   depends on the load, CPU time per request does not).

bench_serve() {
	db=$1
	shift
	port=${PORT:-18700}
	while curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
		port=$((port + 1))
	done
	URL=http://127.0.0.1:$port
	"$BIN" serve --db "$db" --listen "127.0.0.1:$port" --web-dir /nonexistent "$@" \
		>"$tmp/serve.log" 2>&1 &
	ms_pid=$!
	i=0
	until curl -sf -o /dev/null "$URL/api/v1/health"; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "bench: the server did not start" >&2
			cat "$tmp/serve.log" >&2
			exit 1
		fi
		sleep 0.1
	done
}

bench_login() {
	c=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" "$URL/api/v1/auth/login" |
		sed -nE 's/^[Ss]et-[Cc]ookie: (ms_session=[0-9a-f]+).*/\1/p')
	if [ -z "$c" ]; then
		echo "bench: cannot log in as $1" >&2
		exit 1
	fi
	echo "$c"
}

bench_cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$ms_pid/stat"
}

bench_measure() {
	n=${REQUESTS:-100}
	status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $3" "$URL$4")
	if [ "$status" != 200 ]; then
		echo "bench: $1: HTTP $status $(head -c 300 "$tmp/body")" >&2
		exit 1
	fi
	size=$(wc -c <"$tmp/body")
	note=
	[ -z "${5:-}" ] || note=$("$5")
	: >"$tmp/times"
	cpu0=$(bench_cpu_ticks)
	j=0
	while [ $j -lt "$n" ]; do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $3" "$URL$4" >>"$tmp/times"
		j=$((j + 1))
	done
	cpu1=$(bench_cpu_ticks)
	sort -n "$tmp/times" | awk -v label="$1" -v n="$n" -v goal="$2" -v size="$size" \
		-v cpu="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v note="$note" '
		{ t[NR] = $1 * 1000 }
		END {
			i50 = int(n * 0.50 + 0.5); if (i50 < 1) i50 = 1
			i95 = int(n * 0.95 + 0.5); if (i95 < 1) i95 = 1
			printf "%-46s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  goal %d ms %s  (%d bytes; server CPU %.1f ms/request%s)\n",
				label, t[i50], t[i95], t[NR], goal, (t[i95] <= goal ? "ok" : "MISSED"), size,
				cpu * 1000 / hz / n, note == "" ? "" : "; " note
		}'
}

bench_visits_db() {
	# shellcheck disable=SC2046
	cc -O2 -o "$tmp/gen_visits" bench/gen_visits.c $(pkg-config --cflags --libs sqlite3)
	t0=$(date +%s.%N)
	"$BIN" demo --db "$1" >/dev/null 2>&1
	"$tmp/gen_visits" "$1" "${TEAMS:-25}" "${REPS:-20}" "${INST:-30}" "${VISITS:-5000000}" \
		"${DAYS:-2190}" "$(date +%s)" >"$1.lines"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "database: demo + generated data in %.1f s\n", b - a }'
}
