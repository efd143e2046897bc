#!/bin/sh
# tests/cli/run.sh: the medsales subcommands as a person or a script uses
# them. Usage: tests/cli/run.sh WORKDIR (MEDSALES_BIN names the binary).
# Prints "ok - name" / "not ok - name" and "cli: N passed, N failed".
set -u
bin=${MEDSALES_BIN:-./medsales}
dir=${1:-$(mktemp -d)}
mkdir -p "$dir"
rm -f "$dir"/*.db*
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ -f "$dir/out" ] && sed 's/^/    /' "$dir/out" | head -n 20; }

# expect NAME STATUS PATTERN -- command...: the exit status and a pattern
# that the combined output must contain ("" for any).
expect() {
	name=$1 want=$2 pat=$3
	shift 4
	"$@" >"$dir/out" 2>&1 </dev/null
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$name (exit $got, wanted $want)"
	elif [ -n "$pat" ] && ! grep -qE "$pat" "$dir/out"; then
		bad "$name (output lacks /$pat/)"
	else
		ok "$name"
	fi
}

# Waits up to 10 s for a server on 127.0.0.1:$1 to answer its health check.
wait_health() {
	i=0
	until curl -sf -o /dev/null "http://127.0.0.1:$1/api/v1/health" || [ $i -gt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

db=$dir/a.db
expect "no command is a usage error" 2 "usage: medsales" -- "$bin"
expect "unknown command" 2 "is not a command" -- "$bin" frobnicate
expect "help lists commands" 0 "serve" -- "$bin" --help
expect "version" 0 "medsales [0-9]" -- "$bin" version
for c in serve init migrate demo user backup restore audit forecast; do
	expect "$c --help" 0 "usage: medsales $c" -- "$bin" $c --help
done
expect "unknown option" 2 "unknown option" -- "$bin" serve --frob
expect "init without a password" 2 "password" -- env MEDSALES_ADMIN_PASSWORD= "$bin" init --db "$db"
expect "init refuses a weak password" 2 "weak|at least|mix" -- \
	env MEDSALES_ADMIN_PASSWORD=short "$bin" init --db "$db"
expect "init" 0 "administrator 'admin'" -- \
	env MEDSALES_ADMIN_PASSWORD='Admin#2026x' "$bin" init --db "$db"
expect "init again changes nothing" 0 "nothing to do" -- \
	env MEDSALES_ADMIN_PASSWORD='Admin#2026x' "$bin" init --db "$db"
expect "demo on an initialised database" 0 "demo company" -- "$bin" demo --db "$db"
expect "demo twice is refused" 1 "already has the demo company" -- "$bin" demo --db "$db"
expect "user list" 0 "rep.sh1 +rep +active" -- "$bin" user list --db "$db"
expect "user add" 0 "added user 'test.cli'" -- env MEDSALES_PASSWORD='Cli#pass2026' \
	"$bin" user add --db "$db" --username test.cli --name 测试用户 --role rep --unit SH-D1
expect "user add duplicate" 1 "taken" -- env MEDSALES_PASSWORD='Cli#pass2026' \
	"$bin" user add --db "$db" --username test.cli --name 测试用户 --role rep --unit SH-D1
expect "user add bad role" 2 "no role" -- env MEDSALES_PASSWORD='Cli#pass2026' \
	"$bin" user add --db "$db" --username test.cli2 --name x --role king --unit SH-D1
expect "user add bad unit" 2 "no unit" -- env MEDSALES_PASSWORD='Cli#pass2026' \
	"$bin" user add --db "$db" --username test.cli2 --name x --role rep --unit NOPE
expect "user disable" 0 "disabled" -- "$bin" user disable test.cli --db "$db"
expect "disabled shows in list" 0 "test.cli +rep +disabled" -- "$bin" user list --db "$db"
expect "user passwd" 0 "password of 'test.cli' set" -- env MEDSALES_PASSWORD='New#pass2026' \
	"$bin" user passwd test.cli --db "$db"
expect "user passwd unknown user" 1 "no user" -- env MEDSALES_PASSWORD='New#pass2026' \
	"$bin" user passwd nobody --db "$db"
expect "migrate is idempotent" 0 "0 migrations applied" -- "$bin" migrate --db "$db"
# Migration 0011: the feed address of an account disabled before its
# sessions' end took the address along is retired; others stay. Later
# migrations exist, so its SQL is run on a copy holding such addresses.
if command -v sqlite3 >/dev/null; then
	"$bin" backup --db "$db" "$dir/m.db" >/dev/null
	sqlite3 "$dir/m.db" "INSERT INTO calendar_tokens (user_id, token_hash, created_at)
		SELECT id, 'legacy', 1 FROM users WHERE username = 'test.cli';
		INSERT INTO calendar_tokens (user_id, token_hash, created_at)
		SELECT id, 'kept', 1 FROM users WHERE username = 'rep.sh1';"
	expect "migration 0011 applies" 0 "" -- sqlite3 "$dir/m.db" ".read src/store/migrations/0011_calendar_token_revoke.sql"
	expect "migration 0011 retires only a disabled account's feed address" 0 "^kept$" -- \
		sqlite3 "$dir/m.db" "SELECT group_concat(token_hash) FROM calendar_tokens WHERE token_hash IN ('legacy', 'kept')"
fi
expect "backup" 0 "backed up" -- "$bin" backup --db "$db" "$dir/b.db"
expect "backup refuses to overwrite" 1 "exists" -- "$bin" backup --db "$db" "$dir/b.db"
expect "backup has the same users" 0 "test.cli" -- "$bin" user list --db "$dir/b.db"
# Restore (README, "Backup and restore"): the backup replaces the database, the
# database before it is kept, and a bad source is refused.
expect "a user added after the backup" 0 "added user 'after.backup'" -- env MEDSALES_PASSWORD='Cli#pass2026' \
	"$bin" user add --db "$db" --username after.backup --name 备份之后 --role rep --unit SH-D1
expect "restore" 0 "restored .* audit entries intact" -- "$bin" restore --db "$db" "$dir/b.db"
expect "restore brings the backup's users back" 1 "" -- sh -c "'$bin' user list --db '$db' | grep -q after.backup"
expect "restore keeps the database before it" 0 "after.backup" -- sh -c "'$bin' user list --db \"\$(ls '$db'.before-restore-* | head -n 1)\""
expect "restore leaves no files beside the backup" 1 "" -- sh -c "ls '$dir/b.db'-* 2>/dev/null | grep ."
expect "restore into a new file" 0 "restored" -- "$bin" restore --db "$dir/fresh.db" "$dir/b.db"
expect "restore into a new file keeps no copy" 1 "" -- sh -c "ls '$dir/fresh.db'.before-restore-* 2>/dev/null | grep ."
expect "restore refuses the database itself" 1 "database itself" -- "$bin" restore --db "$db" "$db"
expect "restore refuses a missing file" 1 "cannot read" -- "$bin" restore --db "$db" "$dir/none.db"
expect "restore refuses junk" 1 "SQLite|damaged|cannot" -- sh -c "echo junk > '$dir/junk2.db'; '$bin' restore --db '$db' '$dir/junk2.db'"
expect "restore refuses another SQLite database" 1 "not a MedSales database" -- \
	sh -c "sqlite3 '$dir/other.db' 'CREATE TABLE t (x)'; '$bin' restore --db '$db' '$dir/other.db'"
expect "restore refuses a newer schema" 1 "newer than this program" -- sh -c "cp '$dir/b.db' '$dir/future.db' &&
	sqlite3 '$dir/future.db' \"INSERT INTO schema_version VALUES (999, 'future', 0)\" &&
	'$bin' restore --db '$db' '$dir/future.db'"
expect "restore refuses a broken audit chain" 1 "audit log .* is broken at entry 2" -- sh -c "cp '$dir/b.db' '$dir/forged.db' &&
	sqlite3 '$dir/forged.db' \"DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'x' WHERE id = 2\" &&
	'$bin' restore --db '$db' '$dir/forged.db'"
expect "after the refusals the database is the restored one" 0 "intact" -- "$bin" audit verify --db "$db"
expect "audit verify" 0 "intact" -- "$bin" audit verify --db "$db"
expect "missing database" 1 "no database" -- "$bin" audit verify --db "$dir/none.db"
expect "not a database" 1 "" -- sh -c "echo junk > '$dir/junk.db'; '$bin' audit verify --db '$dir/junk.db'"

# Import and export of the customer master (docs/import.md).
printf 'name,province_code,city,level,class,type,beds\n命令行医院甲,SH,上海,三级,甲,综合医院,800\n命令行医院乙,SH,上海,L9,A,GENERAL,lots\n' >"$dir/bad.csv"
printf 'name,province_code,city,level,owner_username\n命令行医院甲,SH,上海,L3,rep.sh1\n"命令行医院,乙",SH,上海,二级,\n' >"$dir/good.csv"
printf 'name,province_code,city,colour\nx,SH,上海,red\n' >"$dir/head.csv"
expect "import --help" 0 "usage: medsales import" -- "$bin" import --help
expect "export --help" 0 "usage: medsales export" -- "$bin" export --help
expect "import without a file" 2 "usage: medsales import" -- "$bin" import institutions --db "$db"
expect "import dry run with bad rows" 1 "row 2, column 'level': unknown value 'L9'" -- \
	"$bin" import institutions "$dir/bad.csv" --dry-run --db "$db"
expect "import reports every bad column" 1 "row 2, column 'beds'" -- \
	"$bin" import institutions "$dir/bad.csv" --dry-run --db "$db"
expect "import --strict with a bad row writes nothing" 1 "1 valid, 1 invalid, 0 duplicates, 0 imported" -- \
	"$bin" import institutions "$dir/bad.csv" --strict --db "$db"
expect "import an unknown column" 2 "unknown column 'colour'" -- \
	"$bin" import institutions "$dir/head.csv" --db "$db"
expect "import a missing file" 2 "cannot open" -- "$bin" import institutions "$dir/none.csv" --db "$db"
# A GBK file (Excel's "CSV" on a Chinese Windows): converted, and said so.
printf 'name,province_code,city\n\311\317\272\243GBK\322\275\324\272,SH,\311\317\272\243\n' >"$dir/gbk.csv"
expect "import a GBK file: converted and said" 0 "the file was GB18030 text, converted to UTF-8" -- \
	"$bin" import institutions "$dir/gbk.csv" --dry-run --db "$db"
expect "import ok" 0 "2 rows, 2 valid, 0 invalid, 0 duplicates, 2 imported" -- \
	"$bin" import institutions "$dir/good.csv" --db "$db"
expect "import again: all duplicates" 1 "2 duplicates" -- "$bin" import institutions "$dir/good.csv" --db "$db"
# Issue 11: a contact row meets the API's rules: no consent date after today.
tomorrow=$(TZ=Asia/Shanghai date -d '+1 day' +%F)
printf 'institution_name,institution_city,name,consent_date\n命令行医院甲,上海,明天同意,%s\n' "$tomorrow" >"$dir/consent.csv"
expect "import contacts refuses a consent date after today" 1 \
	"row 1, column 'consent_date': the consent date cannot be after today" -- \
	"$bin" import contacts "$dir/consent.csv" --db "$db"
# Products from CSV (issue 11): an administrator's catalogue.
printf 'product_line_code,name,spec,registration_no,registration_expiry,device_class,list_price_yuan,active\nIMAGING,命令行CT,64排,国械注准20263060001,2030-06-30,三类,3500000.50,true\nIMAGING,命令行DR,,,,II,,\nNOPE,命令行X,,,,IV,abc,\n' >"$dir/products.csv"
expect "import products: the bad row named by its columns" 1 "row 3, column 'product_line_code': no product line 'NOPE'" -- \
	"$bin" import products "$dir/products.csv" --dry-run --db "$db"
expect "import products: 2 imported, 1 invalid" 1 "3 rows, 2 valid, 1 invalid, 0 duplicates, 2 imported" -- \
	"$bin" import products "$dir/products.csv" --db "$db"
expect "import products again: duplicates" 1 "2 duplicates" -- "$bin" import products "$dir/products.csv" --dry-run --db "$db"
expect "import products as a manager is refused" 1 "only an administrator imports products" -- \
	"$bin" import products "$dir/products.csv" --as mgr.sh --db "$db"
expect "the imported product's price is fen" 0 "350000050" -- \
	sqlite3 "$db" "SELECT list_price_fen || ' ' || device_class FROM products WHERE name = '命令行CT'"
expect "export csv to a file" 0 "exported 2 institutions" -- \
	"$bin" export institutions --q 命令行医院 --out "$dir/out.csv" --db "$db"
expect "the export starts with a BOM" 0 "ef bb bf" -- sh -c "head -c 3 '$dir/out.csv' | od -An -tx1"
expect "the export holds the rows" 0 '"命令行医院,乙",,SH,上海' -- cat "$dir/out.csv"
expect "the export re-imports as all duplicates" 1 "2 rows, 0 valid, 0 invalid, 2 duplicates, 0 imported \\(dry run\\)" -- \
	"$bin" import institutions "$dir/out.csv" --dry-run --db "$db"
expect "export as a rep sees only theirs" 0 "命令行医院甲" -- \
	"$bin" export institutions --q 命令行医院 --as rep.sh1 --db "$db"
expect "export as another rep sees none of them" 0 "^0$" -- \
	sh -c "'$bin' export institutions --q 命令行医院 --as rep.bj1 --db '$db' | grep -c 命令行医院; true"
expect "export xlsx" 0 "exported" -- \
	"$bin" export institutions --format xlsx --out "$dir/out.xlsx" --db "$db"
expect "the xlsx is a zip" 0 "50 4b 03 04" -- sh -c "head -c 4 '$dir/out.xlsx' | od -An -tx1"
# Text that XML forbids (U+FFFE, a control character), written before
# input refused it: the sheet holds U+FFFD instead, and stays readable.
if command -v sqlite3 >/dev/null && command -v unzip >/dev/null; then
	"$bin" backup --db "$db" "$dir/x.db" >/dev/null
	sqlite3 "$dir/x.db" "UPDATE institutions SET name = name || char(65534) || char(1) WHERE name = '命令行医院甲'"
	"$bin" export institutions --q 命令行医院 --format xlsx --out "$dir/x.xlsx" --db "$dir/x.db" >/dev/null 2>&1
	expect "xlsx: no U+FFFE or control character in the sheet" 0 "^0$" -- \
		sh -c "unzip -p '$dir/x.xlsx' xl/worksheets/sheet1.xml | grep -c \"\$(printf '\\357\\277\\276\\|\\001')\"; true"
	expect "xlsx: U+FFFD in their place" 0 "命令行医院甲$(printf '\357\277\275\357\277\275')" -- \
		sh -c "unzip -p '$dir/x.xlsx' xl/worksheets/sheet1.xml"
fi
expect "export xlsx needs --out" 2 "needs --out" -- "$bin" export contacts --format xlsx --db "$db"
expect "export a bad filter" 2 "unknown value" -- "$bin" export institutions --level L9 --db "$db"

# A visit re-evaluation that a stop left half-done (store_visit.h) is
# finished when the server starts: one visit's flag is made wrong and the
# re-evaluation marked as pending, as a crash between two batches leaves them.
if command -v sqlite3 >/dev/null && command -v curl >/dev/null; then
	"$bin" backup --db "$db" "$dir/r.db" >/dev/null
	vid=$(sqlite3 "$dir/r.db" "SELECT min(id) FROM visits WHERE status = 'completed'")
	was=$(sqlite3 "$dir/r.db" "SELECT is_effective FROM visits WHERE id = $vid")
	sqlite3 "$dir/r.db" "UPDATE visits SET is_effective = 1 - is_effective WHERE id = $vid;
		INSERT INTO visit_reeval (id, after_id, started_at) VALUES (1, 0, 0);"
	port=$((18900 + $$ % 500))
	"$bin" serve --db "$dir/r.db" --listen "127.0.0.1:$port" --web-dir /nonexistent \
		>"$dir/serve.log" 2>&1 &
	spid=$!
	wait_health "$port"
	kill "$spid"
	wait "$spid" 2>/dev/null
	expect "serve finishes a half-done visit re-evaluation" 0 \
		"finished the re-evaluation of [0-9]+ visits" -- cat "$dir/serve.log"
	expect "the visit's flag is right again" 0 "^$was\$" -- \
		sqlite3 "$dir/r.db" "SELECT is_effective FROM visits WHERE id = $vid"
	expect "nothing is left pending" 0 "^0\$" -- \
		sqlite3 "$dir/r.db" "SELECT count(*) FROM visit_reeval"
fi

# The web directory's files are served, but no link is followed: not a
# linked file and not a linked folder on the way (static.c).
if command -v curl >/dev/null; then
	web=$dir/web
	rm -rf "$web" "$dir/outside"
	mkdir -p "$web/assets" "$dir/outside"
	echo '<!doctype html>app' >"$web/index.html"
	echo 'inside' >"$web/assets/in.txt"
	echo 'SECRET-OUTSIDE' >"$dir/outside/secret.txt"
	ln -s "$dir/outside" "$web/linked"
	ln -s "$dir/outside/secret.txt" "$web/assets/link.txt"
	port=$((19400 + $$ % 500))
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-dir "$web" >"$dir/web.log" 2>&1 &
	spid=$!
	wait_health "$port"
	expect "a file of the web directory is served" 0 "^inside$" -- \
		curl -sf "http://127.0.0.1:$port/assets/in.txt"
	expect "a symlinked folder in the web directory is not followed" 0 "^404$" -- \
		curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/linked/secret.txt"
	expect "a symlinked file in the web directory is not followed" 0 "^404$" -- \
		curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/assets/link.txt"
	# The web root is resolved once, at the start: a link put in its place
	# later is not followed.
	mv "$web" "$dir/web.real"
	ln -s "$dir/outside" "$web"
	expect "a link swapped in for the web directory after the start is not followed" 0 \
		"^404$" -- curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/secret.txt"
	kill "$spid"
	wait "$spid" 2>/dev/null
	# A web directory given as a link is resolved when the server starts.
	rm "$web"
	ln -s "$dir/web.real" "$web"
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-dir "$web" >"$dir/web.log" 2>&1 &
	spid=$!
	wait_health "$port"
	expect "a web directory given as a link is served" 0 "^inside$" -- \
		curl -sf "http://127.0.0.1:$port/assets/in.txt"
	kill "$spid"
	wait "$spid" 2>/dev/null
	rm -rf "$web" "$dir/web.real"
fi

# --trusted-proxy and --allowed-hosts (issue 23 points 6 and 8).
expect "serve --help shows --trusted-proxy" 0 "\\[--trusted-proxy ADDR" -- "$bin" serve --help
expect "serve --help shows --allowed-hosts" 0 "\\[--allowed-hosts NAME" -- "$bin" serve --help
expect "serve refuses a --trusted-proxy that is not an address" 2 "'--trusted-proxy' must be" -- \
	"$bin" serve --db "$db" --trusted-proxy proxy.example
expect "serve refuses an empty --trusted-proxy entry" 2 "'--trusted-proxy' must be" -- \
	"$bin" serve --db "$db" --trusted-proxy "10.0.0.1,,10.0.0.2"
expect "serve refuses a bad --allowed-hosts name" 2 "'--allowed-hosts' must be" -- \
	"$bin" serve --db "$db" --allowed-hosts "crm.example/x"
expect "serve refuses --allowed-hosts without a value" 2 "usage: medsales serve" -- \
	"$bin" serve --db "$db" --allowed-hosts
if command -v curl >/dev/null; then
	port=$((19900 + $$ % 90))
	"$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-dir /nonexistent \
		--trusted-proxy "10.0.0.1, ::1" --allowed-hosts "crm.example,[2001:db8::1]" \
		>"$dir/hosts.log" 2>&1 &
	spid=$!
	wait_health "$port"
	expect "an allowed host is served" 0 "^200$" -- curl -s -o /dev/null -w '%{http_code}' \
		-H "Host: CRM.example:443" "http://127.0.0.1:$port/api/v1/health"
	expect "an allowed IPv6 host is served" 0 "^200$" -- curl -s -o /dev/null -w '%{http_code}' \
		-H "Host: [2001:db8::1]" "http://127.0.0.1:$port/api/v1/health"
	expect "the listen address is served" 0 "^200$" -- curl -s -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$port/api/v1/health"
	expect "another host is 421" 0 '^421 .*"code":"host"' -- sh -c \
		"curl -s -w '%{http_code} ' -o '$dir/h.json' -H 'Host: evil.example' http://127.0.0.1:$port/api/v1/health; cat '$dir/h.json'"
	kill "$spid"
	wait "$spid" 2>/dev/null
fi

# Tampering with the log (past its append-only triggers) is detected.
if command -v sqlite3 >/dev/null; then
	sqlite3 "$db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after_json = '{}' WHERE id = 5;"
	expect "audit verify finds a changed entry" 1 "broken at entry 5" -- \
		"$bin" audit verify --db "$db"
	sqlite3 "$dir/b.db" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 7;"
	expect "audit verify finds a removed entry" 1 "broken at entry 8" -- \
		"$bin" audit verify --db "$dir/b.db"
	expect "the audit log refuses updates" 19 "append-only" -- \
		sqlite3 "$dir/b.db" "UPDATE audit_log SET action = 'x' WHERE id = 1;"
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
