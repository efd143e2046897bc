#!/bin/sh
# bench/http.sh: requests per second and p99 latency of GET /api/v1/health
# and of an authenticated GET /api/v1/me (wrk on loopback), next to a bare
# libmicrohttpd server answering a constant, in the same run.
# Env: DURATION (default 10s), CONNECTIONS (default 64), THREADS (server, 4).
set -eu
cd "$(dirname "$0")/.."
dur=${DURATION:-10s}
conns=${CONNECTIONS:-64}
threads=${THREADS:-4}
tmp=$(mktemp -d /tmp/medsales-bench.XXXXXX)
trap 'kill $ms_pid $bare_pid 2>/dev/null; rm -rf "$tmp"' EXIT

cc -O2 -o "$tmp/bare_mhd" bench/bare_mhd.c $(pkg-config --cflags --libs libmicrohttpd) -lpthread
./medsales demo --db "$tmp/b.db" >/dev/null 2>&1
./medsales serve --db "$tmp/b.db" --listen 127.0.0.1:18731 --threads "$threads" \
	--web-dir /nonexistent >/dev/null 2>&1 &
ms_pid=$!
"$tmp/bare_mhd" 18732 "$threads" &
bare_pid=$!
sleep 0.5
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d '{"username":"rep.sh1","password":"Demo@2026"}' http://127.0.0.1:18731/api/v1/auth/login |
	sed -nE 's/^Set-Cookie: (ms_session=[0-9a-f]+).*/\1/p')

run() { # label url [header]
	if [ -n "${3:-}" ]; then
		out=$(wrk -t2 -c"$conns" -d"$dur" --latency -H "$3" "$2")
	else
		out=$(wrk -t2 -c"$conns" -d"$dur" --latency "$2")
	fi
	rps=$(echo "$out" | sed -nE 's/^Requests\/sec: +([0-9.]+).*/\1/p')
	p99=$(echo "$out" | sed -nE 's/^ +99% +([0-9.]+[a-z]+).*/\1/p')
	printf '%-28s %12s req/s   p99 %s\n' "$1" "$rps" "$p99" >&2
	echo "$rps"
}

echo "wrk: 2 threads, $conns connections, $dur each; servers with $threads threads" >&2
bare=$(run "bare libmicrohttpd" http://127.0.0.1:18732/)
health=$(run "medsales /api/v1/health" http://127.0.0.1:18731/api/v1/health)
me=$(run "medsales /api/v1/me (auth)" http://127.0.0.1:18731/api/v1/me "Cookie: $cookie")
awk -v b="$bare" -v h="$health" -v m="$me" 'BEGIN {
	printf "ratio health/bare: %.2f (goal >= 0.80)\nratio me/bare:     %.2f\n", h / b, m / b }' >&2
