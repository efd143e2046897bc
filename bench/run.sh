#!/bin/sh
# bench/run.sh: every benchmark, each printing its own figures (make bench).
cd "$(dirname "$0")/.."
for b in bench/http.sh bench/forecast_m3.sh bench/customers.sh bench/visits.sh bench/reeval.sh bench/pipeline.sh bench/audit.sh bench/lists.sh; do
	[ -f "$b" ] || continue
	echo "== $b"
	sh "$b"
done
