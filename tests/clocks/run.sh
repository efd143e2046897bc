#!/bin/sh
# tests/clocks/run.sh: the clock matrix (issue 23). Reruns every unit test,
# and the date-sensitive API case files against a server of their own, with
# libfaketime preloaded after libasan, TZ=UTC and the clock started at fixed
# instants around the business day's edges in Asia/Shanghai (the "@" form:
# the clock starts there and ticks), so that a date bug cannot hide behind
# the hour make test happens to run at.
# Usage: tests/clocks/run.sh WORKDIR (MEDSALES_BIN names the ASan binary,
# build/asan/medsales by default). Env: CLOCKS_API, the clocks (their
# numbers in the list below, comma-separated, "none" for none) the API
# files run under (default 1,4). Prints "ok - ..." / "not ok - ..." and
# "clocks: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
bin=${MEDSALES_BIN:-build/asan/medsales}
dir=${1:-$(mktemp -d /tmp/medsales-clocks.XXXXXX)}
mkdir -p "$dir"
api_clocks=,${CLOCKS_API:-1,4},
pass=0
fail=0
export TZ=UTC
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}"

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }

# The instants (UTC) and what they are in Asia/Shanghai.
clocks() {
	cat <<'EOF'
2026-12-07 16:25:00|00:25 on Dec 8 in Shanghai, just after midnight
2026-12-07 15:55:00|23:55 on Dec 7 in Shanghai, just before midnight
2027-01-31 16:10:00|00:10 on Feb 1 in Shanghai, a new month that UTC has not reached
2027-02-28 15:50:00|23:50 on Feb 28 in Shanghai, the last day of February
2028-02-29 04:00:00|noon on Feb 29 2028 in Shanghai, a leap day
2026-12-31 15:59:00|23:59 on Dec 31 in Shanghai, the last minute of the year
EOF
}

ft=$(dpkg -L libfaketime 2>/dev/null | grep 'libfaketime\.so\.1$' | head -n 1)
asan=$(gcc -print-file-name=libasan.so 2>/dev/null)
if [ -z "$ft" ] || [ ! -f "$ft" ]; then
	bad "libfaketime is not installed (scripts/install-deps.sh test)"
	echo "clocks: $pass passed, $fail failed"
	exit 1
fi

# The date-sensitive API case files: visits, the pipeline (tenders'
# deadlines, projects' tasks), reports and the dashboard.
api_files() {
	for f in tests/api/cases/visits_*.json tests/api/cases/pipeline_*.json \
		tests/api/cases/customers_reports.json tests/api/cases/dashboard.json; do
		[ -f "$f" ] && basename "$f"
	done
}
api_skip=$(for f in tests/api/cases/*.json; do basename "$f"; done | grep -vxF "$(api_files)" |
	paste -sd, -)

free_port() {
	port=$((20000 + ($$ + $1 * 7) % 20000))
	while curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
		port=$((port + 1))
	done
	echo $port
}

n=0
while IFS='|' read -r at what; do
	n=$((n + 1))
	# Is the clock really in force? date(1) under the same preload.
	seen=$(LD_PRELOAD=$ft FAKETIME="@$at" date -u '+%Y-%m-%d %H:%M')
	if [ "$seen" != "$(echo "$at" | cut -c1-16)" ]; then
		bad "clock $n ($at): libfaketime is not in force (date says $seen)"
		continue
	fi
	uf=0
	for t in build/asan/tests/test_*; do
		[ -x "$t" ] || continue
		if ! LD_PRELOAD="$asan $ft" FAKETIME="@$at" "$t" >"$dir/unit.log" 2>&1; then
			uf=$((uf + 1))
			bad "clock $n ($at, $what): $(basename "$t")"
			grep -E '^\[  (FAILED|ERROR) +\]|error|Error' "$dir/unit.log" | head -n 20 |
				sed 's/^/    /'
		fi
	done
	[ $uf = 0 ] && ok "clock $n ($at, $what): every unit test"
	case $api_clocks in *,$n,*) ;; *) continue ;; esac

	# The API files on a server whose clock, and whose demo data, start at
	# that instant; the runner (node) has the same clock.
	db=$dir/clock$n.db
	rm -f "$db" "$db-wal" "$db-shm"
	if ! LD_PRELOAD="$asan $ft" FAKETIME="@$at" "$bin" demo --db "$db" >"$dir/demo$n.log" 2>&1; then
		bad "clock $n ($at): medsales demo"
		tail -n 20 "$dir/demo$n.log" | sed 's/^/    /'
		continue
	fi
	port=$(free_port $n)
	LD_PRELOAD="$asan $ft" FAKETIME="@$at" "$bin" serve --db "$db" --listen "127.0.0.1:$port" \
		--web-dir web/dist --threads 4 >"$dir/server$n.log" 2>&1 &
	pid=$!
	i=0
	until curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health" || [ $i -gt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	LD_PRELOAD=$ft FAKETIME="@$at" MEDSALES_URL=http://127.0.0.1:$port \
		MEDSALES_API_SKIP=$api_skip node tests/api/run.mjs >"$dir/api$n.log" 2>&1
	rc=$?
	line=$(grep -E '^api: [0-9]+ passed, [0-9]+ failed' "$dir/api$n.log" | tail -n 1)
	if [ $rc = 0 ] && [ -n "$line" ]; then
		ok "clock $n ($at, $what): API files $(api_files | paste -sd' ' -) (${line#api: })"
	else
		bad "clock $n ($at, $what): API files (${line:-no result line})"
		grep -E '^not ok' "$dir/api$n.log" | head -n 30 | sed 's/^/    /'
	fi
	kill -TERM $pid 2>/dev/null
	wait $pid
	rc=$?
	if [ $rc != 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
		"$dir/server$n.log"; then
		bad "clock $n ($at): server exit $rc or sanitizer report"
		grep -A 30 -E 'ERROR: |runtime error:' "$dir/server$n.log" | head -n 40 | sed 's/^/    /'
	else
		ok "clock $n ($at): server clean"
	fi
done <<EOF
$(clocks)
EOF

echo "clocks: $pass passed, $fail failed"
[ $fail = 0 ]
