#!/bin/sh
# bench/reeval.sh: what changing the effective-visit definition costs a large
# company, and what the other writers feel meanwhile. On bench/visits.sh's
# company (1,000 reps), a rep plans a visit through the API every 0.2 s
# while the director saves a stricter definition and then the old one back
# (each PUT re-evaluates every visit). Prints each PUT's wall time and the
# p50 / p95 / max of the rep's writes during the two PUTs, and how many
# failed. The re-evaluation runs after the settings commit, in batches of
# STORE_VISIT_REEVAL_BATCH visits, each its own short transaction.
# Env: REUSE_DB (a database that bench/visits.sh kept with KEEP_DB; it is
# changed: the rep's planned visits stay), else one is built with VISITS
# (1000000) visits; MEDSALES_BIN (./medsales), PORT (18790).
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
VISITS=${VISITS:-1000000}
PORT=${PORT:-18790}
tmp=$(mktemp -d /tmp/medsales-bench-reeval.XXXXXX)
ms_pid=
writer=
trap '[ -n "$writer" ] && kill "$writer" 2>/dev/null; [ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
if [ ! -x "$BIN" ]; then
	echo "reeval: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2
	exit 1
fi
. bench/lib.sh
DB=${REUSE_DB:-$tmp/v.db}
if [ -z "${REUSE_DB:-}" ]; then
	cc -O2 -o "$tmp/gen_visits" bench/gen_visits.c $(pkg-config --cflags --libs sqlite3)
	"$BIN" demo --db "$DB" >/dev/null 2>&1
	"$tmp/gen_visits" "$DB" 25 20 30 "$VISITS" 2190 "$(date +%s)" >"$DB.lines"
fi
rep=$(sed -n 's/^rep \(.*\)/\1/p' "$DB.lines" | head -n 1)
inst=$(sqlite3 "$DB" "SELECT c.institution_id FROM coverage c JOIN users u ON u.id = c.user_id
	WHERE u.username = '$rep' AND c.valid_to IS NULL LIMIT 1")
sqlite3 "$DB" "SELECT 'visits ' || count(*) FROM visits WHERE status <> 'cancelled'"
bench_serve "$DB"

# login USER: "cookie csrf" of a new session.
login() {
	curl -s -D "$tmp/h" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" "$URL/api/v1/auth/login" >"$tmp/b"
	printf '%s %s\n' "$(sed -nE 's/^[Ss]et-[Cc]ookie: (ms_session=[0-9a-f]+).*/\1/p' "$tmp/h")" \
		"$(sed -nE 's/.*"csrf_token":"([0-9a-f]+)".*/\1/p' "$tmp/b")"
}
set -- $(login "$rep")
rep_cookie=$1 rep_csrf=$2
set -- $(login director)
dir_cookie=$1 dir_csrf=$2
day=$(TZ=Asia/Shanghai date -d tomorrow +%Y-%m-%d)

# The rep's writes: "seconds status" per line, until killed.
(
	while :; do
		curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H "Cookie: $rep_cookie" \
			-H "X-CSRF-Token: $rep_csrf" -H 'Content-Type: application/json' \
			-d "{\"institution_id\":$inst,\"visit_date\":\"$day\",\"type\":\"in_person\"}" "$URL/api/v1/visits"
		sleep 0.2
	done >"$tmp/writes"
) &
writer=$!
sleep 1

# put VALUE VERSION: the new version; prints the wall time.
put() {
	t0=$(date +%s.%N)
	curl -s -o "$tmp/put" -H "Cookie: $dir_cookie" -H "X-CSRF-Token: $dir_csrf" \
		-H 'Content-Type: application/json' -X PUT \
		-d "{\"value\":$1,\"version\":$2}" "$URL/api/v1/settings/effective-visit"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v what="$3" 'BEGIN { printf "PUT effective-visit (%s): %.1f s\n", what, b - a }'
	sed -nE 's/.*"version":([0-9]+).*/\1/p' "$tmp/put"
}
curl -s -H "Cookie: $dir_cookie" "$URL/api/v1/settings/effective-visit" >"$tmp/def"
old=$(sed -E 's/^\{"value":(.*),"version":[0-9]+\}$/\1/' "$tmp/def")
v=$(sed -nE 's/.*"version":([0-9]+)\}$/\1/p' "$tmp/def")
strict=$(printf '%s' "$old" | sed -E 's/"min_minutes":[0-9]+/"min_minutes":480/')
: >"$tmp/mark"
start=$(wc -l <"$tmp/writes")
put "$strict" "$v" "min_minutes 480" >"$tmp/p1"
head -n 1 "$tmp/p1"
v=$(tail -n 1 "$tmp/p1")
put "$old" "$v" "back" | head -n 1
end=$(wc -l <"$tmp/writes")
sleep 0.5
kill "$writer" 2>/dev/null || true
writer=
sed -n "$((start + 1)),${end}p" "$tmp/writes" | sort -n | awk '
	{ t[NR] = $1 * 1000; if ($2 != 201) bad++ }
	END {
		if (!NR) { print "no write during the PUTs"; exit }
		i50 = int(NR * 0.50 + 0.5); if (i50 < 1) i50 = 1
		i95 = int(NR * 0.95 + 0.5); if (i95 < 1) i95 = 1
		printf "rep plans a visit during them: %d writes, p50 %.1f ms, p95 %.1f ms, max %.1f ms, %d not 201\n",
			NR, t[i50], t[i95], t[NR], bad
	}'
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
