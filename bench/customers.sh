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

# Two floors, for context: what SQL alone costs, without any of the
# import's checks. First the same rows put into the real institutions table
# (its indexes; no validation, coverage, grade history or audit) by one
# INSERT ... SELECT. Then every write the import makes (institution, primary
# coverage, first grade history entry, the two audit entries with their
# snapshots) by set-based SQL: still no validation, no duplicate look-ups,
# and random hashes instead of the SHA-256 chain.
"$BIN" demo --db "$tmp/idx.db" >/dev/null 2>&1
sqlite3 "$tmp/idx.db" ".import --csv '$tmp/inst.csv' raw"
cp "$tmp/idx.db" "$tmp/all.db"
inst_insert="INSERT INTO institutions (name, aliases, search_text, name_key, province_code,
	city, district, address, level, class, type, beds, annual_outpatients, is_teaching, status,
	budget_fen, installed_units, relationship, owner_id, created_by, created_at, updated_at)
	SELECT name, aliases, lower(name), name || '|' || city, province_code, city, district,
	address, level, class, type, nullif(beds, ''), nullif(annual_outpatients, ''),
	is_teaching = 'true', status, CAST(nullif(budget_yuan, '') AS REAL) * 100, installed_units,
	nullif(relationship, ''), (SELECT id FROM users WHERE username = owner_username), 1, 1, 1
	FROM raw ORDER BY rowid;"
timed "$tmp/t.idx" sqlite3 "$tmp/idx.db" "BEGIN; $inst_insert COMMIT;"
timed "$tmp/t.all" sqlite3 "$tmp/all.db" "BEGIN;
CREATE TEMP TABLE base AS SELECT coalesce(max(id), 0) AS id0 FROM institutions;
$inst_insert
CREATE TEMP TABLE ids AS SELECT i.* FROM institutions i, base WHERE i.id > base.id0;
INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, before_json,
	after_json, prev_hash, hash) SELECT 1, 0, 'system', 'create', 'institutions', id, '',
	json_object('name', name, 'aliases', aliases, 'province_code', province_code, 'city', city,
	'district', district, 'address', address, 'latitude', latitude, 'longitude', longitude,
	'level', level, 'class', class, 'ownership', ownership, 'type', type, 'beds', beds,
	'annual_outpatients', annual_outpatients, 'is_teaching', json(iif(is_teaching, 'true',
	'false')), 'network', network, 'network_role', network_role, 'segment_code', segment_code,
	'status', status, 'budget_fen', budget_fen, 'installed_units', installed_units,
	'relationship', relationship, 'grade_override', NULL, 'grade_override_reason', '',
	'version', 1, 'id', id), hex(randomblob(32)), hex(randomblob(32)) FROM ids ORDER BY id;
INSERT INTO coverage (institution_id, user_id, role, valid_from, created_at)
	SELECT id, owner_id, 'primary', date('now'), 1 FROM ids WHERE owner_id IS NOT NULL;
INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, before_json,
	after_json, prev_hash, hash) SELECT 1, 0, 'system', 'create', 'coverage', c.id, '',
	json_object('institution_id', c.institution_id, 'user_id', c.user_id, 'role', c.role,
	'valid_from', c.valid_from, 'valid_to', NULL, 'id', c.id), hex(randomblob(32)),
	hex(randomblob(32)) FROM coverage c, base WHERE c.institution_id > base.id0 ORDER BY c.id;
INSERT INTO grade_history (institution_id, grade, score, source, details_json, user_id,
	created_at) SELECT id, 'C', 40, 'computed', json_object('grade', 'C', 'influence',
	json_object('hub', 10, 'kol', 0, 'network', 5, 'score', 40, 'teaching', 0), 'potential',
	json_object('beds', 20, 'budget', 10, 'installed', 5, 'level', 30, 'score', 60), 'score',
	40, 'willingness', json_object('history', 0, 'opponents', 0, 'relationship', 20, 'score',
	30, 'supporters', 10)), 0, 1 FROM ids ORDER BY id;
COMMIT;"
read -r xw xu xs <"$tmp/t.idx"
read -r aw au as <"$tmp/t.all"
awk -v n="$N" -v iw="$iw" -v rw="$rw" -v xw="$xw" -v aw="$aw" \
	-v xc="$(echo "$xu $xs" | awk '{ print $1 + $2 }')" \
	-v ac="$(echo "$au $as" | awk '{ print $1 + $2 }')" 'BEGIN {
	printf "floor, the rows alone into the indexed table:  %6.2f s wall %9.0f rows/s   %6.2f s CPU   %.1fx .import\n", xw, n / xw, xc, xw / rw
	printf "floor, all the import'"'"'s writes by SQL alone:    %6.2f s wall %9.0f rows/s   %6.2f s CPU   %.1fx .import\n", aw, n / aw, ac, aw / rw
	printf "medsales import against that floor: %.1fx the wall time\n", iw / aw }'

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
