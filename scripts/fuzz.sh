#!/bin/sh
# fuzz.sh: builds every tests/fuzz/fuzz_*.c with clang's libFuzzer, ASan and
# UBSan against the program's library (built by the Makefile with clang into
# build/fuzz-clang), and runs each for FUZZ_SECONDS (default 30), niced,
# starting from tests/fuzz/corpus/<name> and keeping new inputs in
# build/fuzz-corpus/<name>. FUZZ_TARGETS="query settings" runs only those.
# A crash stops its target with the reproducing input in
# build/fuzz-corpus/<name>/crash-*, and the others go on. It ends with one
# line per target, "fuzz_x: N executions, N crashes (N s)", and exits 1
# when any target crashed.
set -eu
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-30}
command -v clang >/dev/null || { echo "fuzz: clang is not installed" >&2; exit 1; }
out=build/fuzz-clang
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
pkgs="libmicrohttpd sqlite3 jansson libsodium xlsxwriter"
mkdir -p "$out"
# The library, instrumented for coverage (make rebuilds only what changed).
make --no-print-directory -j2 CC=clang BUILD="$out" \
	OPT="-g -O1 -fsanitize=fuzzer-no-link $san" "$out/libmedsales.a"
# shellcheck disable=SC2086
flags="-g -O1 -fsanitize=fuzzer $san -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-Isrc -include src/base/banned.h $(pkg-config --cflags $pkgs)"
# shellcheck disable=SC2086
libs="$out/libmedsales.a $(pkg-config --libs $pkgs) -lcsv -lpthread -lm"
summary=$out/summary
: >"$summary"
crashed=0
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	short=${name#fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $short "*) ;; *) continue ;; esac
	fi
	# shellcheck disable=SC2086
	clang $flags -o "$out/$name" "$f" $libs
	mkdir -p "build/fuzz-corpus/$short"
	before=$(find "build/fuzz-corpus/$short" -name 'crash-*' | wc -l)
	echo "fuzz: $name for ${secs}s"
	t0=$(date +%s)
	rc=0
	nice "$out/$name" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="build/fuzz-corpus/$short/crash-" "build/fuzz-corpus/$short" \
		"tests/fuzz/corpus/$short" >"$out/$name.log" 2>&1 || rc=$?
	t1=$(date +%s)
	execs=$(sed -nE 's/^stat::number_of_executed_units: ([0-9]+)/\1/p' "$out/$name.log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -nE 's/^Done ([0-9]+) runs.*/\1/p' "$out/$name.log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -nE 's/^#([0-9]+)\t.*/\1/p' "$out/$name.log" | tail -n 1)
	crashes=$(($(find "build/fuzz-corpus/$short" -name 'crash-*' | wc -l) - before))
	if [ $rc != 0 ]; then
		[ $crashes -gt 0 ] || crashes=1
		tail -n 40 "$out/$name.log" >&2
		echo "fuzz: $name failed; the input is in build/fuzz-corpus/$short" >&2
		crashed=1
	fi
	echo "$name: ${execs:-0} executions, $crashes crashes ($((t1 - t0)) s)" >>"$summary"
	tail -n 1 "$summary"
done
echo "fuzz: summary"
cat "$summary"
[ $crashed = 0 ]
