#!/bin/sh
# bench/customers.sh: the customer master at scale (issue 3). Generates
# BENCH_INSTITUTIONS institutions (default 100000) and BENCH_CONTACTS
# contacts (default 1000000) with bench/gen_customers.c; imports the
# institutions with `medsales import` (full validation, audit entries,
# grading) and the same CSV with `sqlite3 .import` into a plain table, in the
# same run; loads the contacts with plain SQL (sqlite3 .import into a scratch
# table, then INSERT ... SELECT: no validation, no audit); then serves the
# database and measures through the API, as a manager and as the director,
# p50/p95 of a filtered, sorted list page and of a name search
# (BENCH_REQUESTS requests each, default 200).
set -eu
cd "$(dirname "$0")/.."
BIN=${MEDSALES_BIN:-./medsales}
N=${BENCH_INSTITUTIONS:-100000}
M=${BENCH_CONTACTS:-1000000}
REQUESTS=${BENCH_REQUESTS:-200}
tmp=$(mktemp -d /tmp/medsales-cust.XXXXXX)
ms_pid=
trap '[ -n "$ms_pid" ] && kill "$ms_pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

cc -O2 -o "$tmp/gen" bench/gen_customers.c
"$BIN" demo --db "$tmp/b.db" >/dev/null 2>&1
# Reps cover their own province (the unit code starts with it: SH-D1).
owners=$(sqlite3 "$tmp/b.db" "SELECT group_concat(substr(o.code, 1, instr(o.code, '-') - 1) ||
	':' || u.username) FROM users u JOIN org_units o ON o.id = u.unit_id
	WHERE u.role = 'rep' AND u.active = 1 AND instr(o.code, '-') > 0")
"$tmp/gen" "$tmp/inst.csv" "$tmp/contacts.csv" "$N" "$M" "$owners"
echo "customers: $N institutions, $M contacts ($(du -h "$tmp/inst.csv" | cut -f1) and $(du -h "$tmp/contacts.csv" | cut -f1) of CSV)"

# CPU seconds (user + sys) next to the wall clock, when /usr/bin/time is
# there: on a shared machine the wall clock also measures the neighbours.
timed() { # out-file command...
	out=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S' -o "$out" "$@"
	else
		t0=$(now)
		"$@"
		echo "$(secs "$t0" "$(now)") 0 0" >"$out"
	fi
}
timed "$tmp/t.import" "$BIN" import institutions "$tmp/inst.csv" --db "$tmp/b.db" \
	>"$tmp/import.log" 2>&1 || {
	tail -n 5 "$tmp/import.log" >&2
	exit 1
}
timed "$tmp/t.raw" sqlite3 "$tmp/raw.db" ".import --csv '$tmp/inst.csv' raw"
sed 's/^/  /' "$tmp/import.log" | head -n 2
read -r iw iu is <"$tmp/t.import"
read -r rw ru rs <"$tmp/t.raw"
awk -v n="$N" -v iw="$iw" -v ic="$(echo "$iu $is" | awk '{ print $1 + $2 }')" \
	-v rw="$rw" -v rc="$(echo "$ru $rs" | awk '{ print $1 + $2 }')" 'BEGIN {
	printf "import, medsales import (validated, audited): %7.2f s wall %9.0f rows/s   %6.2f s CPU\n", iw, n / iw, ic
	printf "import, sqlite3 .import (plain table):        %7.2f s wall %9.0f rows/s   %6.2f s CPU\n", rw, n / rw, rc
	printf "ratio: %.1fx the raw wall time, %s the raw CPU time (goal <= 3x)\n", iw / rw,
		(rc > 0 ? sprintf("%.1fx", ic / rc) : "n/a") }'

# A second baseline for context: the same rows put into the real
# institutions table (its indexes, no validation, no coverage, no audit) by
# one INSERT ... SELECT.
"$BIN" demo --db "$tmp/idx.db" >/dev/null 2>&1
sqlite3 "$tmp/idx.db" ".import --csv '$tmp/inst.csv' raw"
timed "$tmp/t.idx" sqlite3 "$tmp/idx.db" "BEGIN; INSERT INTO institutions (name, aliases,
	search_text, name_key, province_code, city, district, address, level, class, type, beds,
	annual_outpatients, is_teaching, status, budget_fen, installed_units, relationship,
	created_by, created_at, updated_at) SELECT name, aliases, lower(name), name || '|' || city,
	province_code, city, district, address, level, class, type, nullif(beds, ''),
	nullif(annual_outpatients, ''), is_teaching = 'true', status,
	CAST(nullif(budget_yuan, '') AS REAL) * 100, installed_units, nullif(relationship, ''), 1, 1,
	1 FROM raw; COMMIT;"
read -r xw xu xs <"$tmp/t.idx"
awk -v n="$N" -v iw="$iw" -v xw="$xw" -v xc="$(echo "$xu $xs" | awk '{ print $1 + $2 }')" 'BEGIN {
	printf "import, INSERT..SELECT into the indexed table: %6.2f s wall %9.0f rows/s   %6.2f s CPU\n", xw, n / xw, xc
	printf "ratio to that: %.1fx the wall time (context only; the goal is against .import)\n", iw / xw }'

# Contacts by plain SQL, joined to their institution by name and city.
t0=$(now)
sqlite3 "$tmp/b.db" <<SQL
.import --csv '$tmp/contacts.csv' bench_contacts
INSERT INTO contacts (institution_id, name, gender, title, position, decision_role, influence,
	stance, mobile, mobile_key, is_key, search_text, created_by, created_at, updated_at)
SELECT i.id, t.name, t.gender, t.title, t.position, t.decision_role, CAST(t.influence AS INTEGER),
	t.stance, t.mobile, t.mobile,
	t.decision_role IN ('DECISION_MAKER', 'INFLUENCER', 'GATEKEEPER') OR CAST(t.influence AS INTEGER) >= 4,
	lower(t.name || '|' || t.title || '|' || t.position || '|'), 0,
	CAST(strftime('%s', t.created_at) AS INTEGER) - 28800, CAST(strftime('%s', 'now') AS INTEGER)
FROM bench_contacts t JOIN institutions i ON i.name = t.institution_name AND i.city = t.institution_city;
DROP TABLE bench_contacts;
SQL
t1=$(now)
echo "contacts loaded by SQL: $(sqlite3 "$tmp/b.db" 'SELECT count(*) FROM contacts') in $(secs "$t0" "$t1") s"

. bench/lib.sh
PORT=18650
bench_serve "$tmp/b.db" --threads 4
mgr_cookie=$(bench_login mgr.sh)
dir_cookie=$(bench_login director)
[ -n "$mgr_cookie" ] && [ -n "$dir_cookie" ] || exit 1
matches() { # the list's total, from the reply
	echo "$(sed -nE 's/.*"total":([0-9]+).*/\1/p' "$tmp/body") matches"
}
list='/api/v1/institutions?province_code=SH&level=L3&sort=-grade_score&limit=50'
search='/api/v1/institutions?q=%E5%8D%8F%E5%92%8C&limit=50' # q=协和
echo "through the API, $REQUESTS requests each (goal: p95 <= 50 ms)"
bench_measure "list, mgr.sh" 50 "$mgr_cookie" "$list" matches
bench_measure "search 协和, mgr.sh" 50 "$mgr_cookie" "$search" matches
bench_measure "list, director" 50 "$dir_cookie" "$list" matches
bench_measure "search 协和, director" 50 "$dir_cookie" "$search" matches
