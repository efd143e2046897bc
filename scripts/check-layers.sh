#!/bin/sh
# check-layers.sh: the layer rule of docs/architecture.md, read from the
# #include lines: base <- domain <- store; base <- http; all <- api <- cli.
# Only src/store includes sqlite3.h (or libpq-fe.h); only src/http
# includes microhttpd.h. Prints one line per violation; exit 1 if any.
cd "$(dirname "$0")/.."
bad=0
check() { # dir, forbidden include pattern, reason
	hits=$(grep -nE "^#include [<\"]($2)" $1/*.c $1/*.h 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "$hits" | sed "s/^/layer: $3: /"
		bad=1
	fi
}
check src/base 'domain/|store/|http/|api/|cli/|sqlite3.h|microhttpd.h|jansson.h' "base depends on nothing of ours"
check src/domain 'store/|http/|api/|cli/|sqlite3.h|microhttpd.h|libpq-fe.h' "domain is pure"
check src/store 'http/|api/|cli/|microhttpd.h' "store knows no HTTP"
check src/http 'domain/|store/|api/|cli/|sqlite3.h|libpq-fe.h' "http knows no business"
check src/api 'cli/|sqlite3.h|microhttpd.h|libpq-fe.h|store/db.h' "api goes through store.h and http.h"
check src/cli 'sqlite3.h|microhttpd.h|libpq-fe.h|store/db.h' "cli is wiring"
# Pure domain code does no I/O.
io=$(grep -nE '\b(fopen|fprintf|printf|puts|open|read|write|socket|time)\(' src/domain/*.c 2>/dev/null | grep -v '^\s*/\*')
if [ -n "$io" ]; then
	echo "$io" | sed 's/^/layer: domain does I\/O: /'
	bad=1
fi
exit $bad
