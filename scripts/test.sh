#!/bin/sh
# test.sh: the second half of `make test`. Runs every suite against the
# ASan+UBSan build and ends with the line "N passed, N failed".
#   layers, format     static checks of the tree
#   unit               build/asan/tests/test_* (cmocka)
#   clocks             tests/clocks/run.sh: unit tests and date-sensitive API
#                      files again under fixed clocks (libfaketime)
#   fuzz               tests/fuzz targets replayed on their seed corpus
#   cli                tests/cli/run.sh: the medsales subcommands
#   api                tests/api/run.mjs against a server on a fresh demo db
#   apifuzz            tests/api/fuzz.mjs: mutated API requests, own server
#   crash              tests/crash/run.mjs: SIGKILL under a write load, 50 times
#   matrix             tests/api/matrix.mjs: the authorization matrix, own server
#   e2e, i18n          tests/e2e/*.mjs: headless chromium against another one
# A sanitizer report in any server log fails the run.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
bin=$root/build/asan/medsales
tmp=$(mktemp -d /tmp/medsales-test.XXXXXX)
pass=0
fail=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TZ=UTC

count() { # suite, passed, failed
	pass=$((pass + $2))
	fail=$((fail + $3))
	printf '%-8s %s passed, %s failed\n' "$1:" "$2" "$3"
}

# Reads the runner's own "name: N passed, N failed" line from a log.
tally() { # suite, log, exit status
	line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$2" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$1: no result line (exit $3); log follows" >&2
		tail -n 40 "$2" >&2
		count "$1" 0 1
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	[ "$f" = 0 ] || grep -E '^not ok' "$2" >&2
	count "$1" "$p" "$f"
}

free_port() {
	port=$(( 20000 + ($$ + $1) % 20000 ))
	while curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
		port=$((port + 1))
	done
	echo $port
}

# Starts a server on a fresh copy of the demo database (made once, by the
# sanitizer build, and closed: one file); sets srv_pid and srv_url.
start_server() { # name
	db=$tmp/$1.db
	if [ ! -f "$tmp/demo.db" ]; then
		"$bin" demo --db "$tmp/demo.db" >"$tmp/demo.log" 2>&1 || {
			cat "$tmp/demo.log" >&2
			rm -f "$tmp/demo.db"
			return 1
		}
	fi
	cp "$tmp/demo.db" "$db" || return 1
	port=$(free_port ${#1})
	# shellcheck disable=SC2086 # srv_args: extra words, split on purpose
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-dir web/dist --threads 4 \
		${srv_args:-} >"$tmp/$1-server.log" 2>&1 &
	srv_pid=$!
	srv_url=http://127.0.0.1:$port
	i=0
	while ! curl -sf -o /dev/null "$srv_url/api/v1/health"; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "server $1 did not start" >&2
			cat "$tmp/$1-server.log" >&2
			return 1
		fi
		sleep 0.1
	done
}

stop_server() { # name
	kill -TERM "$srv_pid" 2>/dev/null
	wait "$srv_pid"
	rc=$?
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$tmp/$1-server.log" ||
		[ $rc -ne 0 ]; then
		echo "$1 server: sanitizer report or bad exit ($rc):" >&2
		grep -A 30 -E 'ERROR: |runtime error:' "$tmp/$1-server.log" | head -n 60 >&2
		count "$1-srv" 0 1
	else
		count "$1-srv" 1 0
	fi
}

# Static checks.
if scripts/check-layers.sh >"$tmp/layers.log" 2>&1; then count layers 1 0; else
	cat "$tmp/layers.log" >&2; count layers 0 1; fi
if ! command -v clang-format >/dev/null; then
	echo "format: clang-format missing" >&2; count format 0 1
elif scripts/check-format.sh >"$tmp/format.log" 2>&1; then count format 1 0; else
	cat "$tmp/format.log" >&2; count format 0 1; fi

# Unit tests: cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
up=0
uf=0
for t in build/asan/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$tmp/unit.log" 2>&1
	rc=$?
	p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$tmp/unit.log" | tail -n 1)
	f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' "$tmp/unit.log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	if [ "$f" != 0 ]; then
		echo "unit: $(basename "$t") failed:" >&2
		grep -vE '^\[ +(OK|RUN) +\]' "$tmp/unit.log" | tail -n 40 >&2
	fi
	up=$((up + p))
	uf=$((uf + f))
done
count unit $up $uf

# The clock matrix (issue 23): the unit tests and the date-sensitive API
# files again, with libfaketime, at the edges of the Shanghai business day.
MEDSALES_BIN=$bin tests/clocks/run.sh "$tmp/clocks" >"$tmp/clocks.log" 2>&1
tally clocks "$tmp/clocks.log" $?

# The fuzz targets on their seed corpus (make fuzz explores further).
fp=0
ff=0
for t in build/asan/fuzz/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if "$t" tests/fuzz/corpus/"${name#fuzz_}"/* >"$tmp/fuzz.log" 2>&1; then
		fp=$((fp + 1))
	else
		echo "fuzz: $name failed on its corpus:" >&2
		tail -n 30 "$tmp/fuzz.log" >&2
		ff=$((ff + 1))
	fi
done
count fuzz $fp $ff

# The command line.
if [ -x tests/cli/run.sh ]; then
	MEDSALES_BIN=$bin tests/cli/run.sh "$tmp/cli" >"$tmp/cli.log" 2>&1
	tally cli "$tmp/cli.log" $?
fi

# The HTTP API.
if start_server api; then
	MEDSALES_URL=$srv_url node tests/api/run.mjs >"$tmp/api.log" 2>&1
	tally api "$tmp/api.log" $?
	stop_server api
else
	count api 0 1
fi
# Crash consistency (issue 23): a server of its own killed with SIGKILL
# under a write load, 50 times (CRASH_KILLS); acknowledged writes survive.
if [ -f "$tmp/demo.db" ] && cp "$tmp/demo.db" "$tmp/crash.db"; then
	MEDSALES_BIN=$bin node tests/crash/run.mjs "$tmp/crash.db" "$(free_port 5)" \
		>"$tmp/crash.log" 2>&1
	st=$?
	grep -E '^crash: [0-9]+ kills' "$tmp/crash.log"
	tally crash "$tmp/crash.log" $st
else
	count crash 0 1
fi
# The HTTP layer's defences and the login throttle (issue 23), on a server of
# its own that trusts 127.0.0.1 as a proxy, so that X-Forwarded-For stands for
# other clients.
srv_args="--trusted-proxy 127.0.0.1 --allowed-hosts medsales.example"
if start_server hardening; then
	MEDSALES_URL=$srv_url node tests/api/hardening.mjs >"$tmp/hardening.log" 2>&1
	tally hardening "$tmp/hardening.log" $?
	stop_server hardening
else
	count hardening 0 1
fi
srv_args=
# The API fuzz, on a server of its own: the API cases leave throttle counts
# behind (zz_throttle_address.json).
if start_server apifuzz; then
	MEDSALES_URL=$srv_url node tests/api/fuzz.mjs 3000 >"$tmp/apifuzz.log" 2>&1
	tally apifuzz "$tmp/apifuzz.log" $?
	stop_server apifuzz
else
	count apifuzz 0 1
fi

# The authorization matrix (issue 23), on a server of its own (it logs every
# demo role in; the API cases lock 127.0.0.1 out at their end).
if start_server matrix; then
	MEDSALES_URL=$srv_url node tests/api/matrix.mjs >"$tmp/matrix.log" 2>&1
	st=$?
	grep -E '^(matrix:|LEAK|UNCOVERED)' "$tmp/matrix.log"
	tally matrix "$tmp/matrix.log" $st
	stop_server matrix
else
	count matrix 0 1
fi

# The browser.
if [ -f tests/e2e/run.mjs ]; then
	if start_server e2e; then
		MEDSALES_URL=$srv_url node tests/e2e/run.mjs >"$tmp/e2e.log" 2>&1
		tally e2e "$tmp/e2e.log" $?
		stop_server e2e
	else
		count e2e 0 1
	fi
fi
if [ -f tests/e2e/i18n-check.mjs ]; then
	node tests/e2e/i18n-check.mjs >"$tmp/i18n.log" 2>&1
	tally i18n "$tmp/i18n.log" $?
fi

if [ $fail -eq 0 ]; then
	rm -rf "$tmp"
else
	echo "logs kept in $tmp" >&2
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
