#!/bin/sh
# build-web.sh: builds the web UI (web/) into web/dist with Vite, only when
# web/dist is missing or older than a source (web/src, web/public,
# web/index.html, web/package*.json, web/vite.config.*). Installs the node
# modules from the lock file first when web/node_modules is missing.
# Quiet on success; on failure prints the tool's output and exits non-zero.
set -eu
cd "$(dirname "$0")/../web"

log=$(mktemp "${TMPDIR:-/tmp}/build-web.XXXXXX")
trap 'rm -f "$log"' EXIT INT TERM

if [ ! -d node_modules ]; then
	if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
		cat "$log" >&2
		echo "build-web: npm ci failed" >&2
		exit 1
	fi
	touch node_modules/.stamp
fi

stamp=dist/index.html
if [ -f "$stamp" ]; then
	newer=$(find src public index.html package.json package-lock.json vite.config.* \
		-newer "$stamp" -print 2>/dev/null | head -n 1)
	[ -z "$newer" ] && exit 0
fi

if ! npm run build >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-web: vite build failed" >&2
	exit 1
fi
# Precompressed copies for clients that accept gzip (src/http/static.c
# serves file.gz in place of file): phones on hospital networks load the
# app several times faster.
find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \) \
	-exec gzip -9 -k -f {} \;
# the stamp must be newer than every source even if the clock is coarse
touch "$stamp"
