#!/bin/sh
# install-deps.sh: installs what MedSales needs to build, run and test, from
# Debian packages and npm, and does nothing when everything is present.
# Usage: scripts/install-deps.sh [build|test|bench|fuzz]   (default: build)
set -eu
want=${1:-build}
cd "$(dirname "$0")/.."

debs="make gcc pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev
      libsodium-dev libxlsxwriter-dev libcsv-dev ca-certificates"
# Node.js and npm build the web UI. A machine that has them from elsewhere
# (a newer Node with its own npm) keeps them; Debian's come otherwise.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	debs="$debs nodejs npm"
fi
case $want in
test)  debs="$debs libcmocka-dev chromium fonts-noto-cjk curl clang-format libfaketime" ;;
fuzz)  debs="$debs clang libclang-rt-dev" ;;
bench) debs="$debs wrk" ;;
esac

missing=""
for p in $debs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: missing Debian packages:$missing (run as root)" >&2
		exit 1
	fi
	echo "install-deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The web UI: node modules from the lock file, then the Vite build.
if [ -f web/package-lock.json ]; then
	if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.stamp ]; then
		echo "install-deps: npm ci in web/"
		(cd web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
	fi
fi
