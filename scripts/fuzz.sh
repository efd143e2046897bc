#!/bin/sh
# fuzz.sh: builds every tests/fuzz/fuzz_*.c with clang's libFuzzer, ASan and
# UBSan against the sources it needs, and runs each for FUZZ_SECONDS
# (default 30), starting from tests/fuzz/corpus/<name>. A crash stops with
# the reproducing input in build/fuzz-corpus.
set -eu
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-30}
command -v clang >/dev/null || { echo "fuzz: clang is not installed" >&2; exit 1; }
out=build/fuzz-clang
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE \
	-D_POSIX_C_SOURCE=200809L -Isrc -include src/base/banned.h"
# The sources each target needs (the rest of the program stays out).
srcs() {
	case $1 in
	fuzz_parse) echo src/base/parse.c ;;
	fuzz_date) echo src/base/date.c ;;
	fuzz_csvread) echo src/base/csvread.c ;;
	fuzz_csvlong) echo src/base/csvlong.c src/base/parse.c ;;
	fuzz_path) echo src/http/static.c src/http/http.c src/base/arena.c src/base/strbuf.c \
		src/base/log.c src/base/date.c src/base/err.c ;;
	esac
}
for f in tests/fuzz/fuzz_*.c; do
	name=$(basename "$f" .c)
	short=${name#fuzz_}
	# shellcheck disable=SC2046
	clang $flags -o "$out/$name" "$f" $(srcs "$name") \
		$(pkg-config --cflags --libs libmicrohttpd) -lcsv -lm
	mkdir -p "build/fuzz-corpus/$short"
	echo "fuzz: $name for ${secs}s"
	if ! "$out/$name" -max_total_time="$secs" -max_len=4096 \
		-artifact_prefix="build/fuzz-corpus/$short/crash-" "build/fuzz-corpus/$short" \
		"tests/fuzz/corpus/$short" >"$out/$name.log" 2>&1; then
		tail -n 40 "$out/$name.log" >&2
		echo "fuzz: $name failed; the input is in build/fuzz-corpus/$short" >&2
		exit 1
	fi
	tail -n 1 "$out/$name.log"
done
