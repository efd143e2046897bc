#!/bin/sh
# check-format.sh: the C sources are formatted by the committed .clang-format
# (`make format` fixes them). Prints the files that differ; exit 1 if any.
cd "$(dirname "$0")/.."
bad=0
for f in src/*/*.c src/*/*.h tests/unit/*.c bench/*.c; do
	[ -f "$f" ] || continue
	if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "format: $f differs from .clang-format (run make format)"
		bad=1
	fi
done
exit $bad
