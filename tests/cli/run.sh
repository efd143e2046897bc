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

db=$dir/a.db
expect "no command is a usage error" 2 "usage: medsales" -- "$bin"
expect "unknown command" 2 "is not a command" -- "$bin" frobnicate
expect "help lists commands" 0 "serve" -- "$bin" --help
expect "version" 0 "medsales [0-9]" -- "$bin" version
for c in serve init migrate demo user backup audit forecast; do
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
expect "backup" 0 "backed up" -- "$bin" backup --db "$db" "$dir/b.db"
expect "backup refuses to overwrite" 1 "exists" -- "$bin" backup --db "$db" "$dir/b.db"
expect "backup has the same users" 0 "test.cli" -- "$bin" user list --db "$dir/b.db"
expect "audit verify" 0 "intact" -- "$bin" audit verify --db "$db"
expect "missing database" 1 "no database" -- "$bin" audit verify --db "$dir/none.db"
expect "not a database" 1 "" -- sh -c "echo junk > '$dir/junk.db'; '$bin' audit verify --db '$dir/junk.db'"

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
