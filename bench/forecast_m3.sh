#!/bin/sh
# bench/forecast_m3.sh: accuracy and speed of "medsales forecast" on the M3
# competition data (issue 5). For each period group and method, forecasts the
# training parts and scores them against the held-out parts with --holdout;
# prints sMAPE, MASE, seconds and the empirical coverage of the 80 % and
# 95 % prediction intervals next to the published M3 figures.
#
# Environment: MEDSALES_M3 (data directory, default ../shared/data/m3 from the
# repository root), MEDSALES_BIN (default ./medsales), FORECAST_GROUPS,
# FORECAST_METHODS, FORECAST_COVERAGE=0 to skip the coverage (a second run
# of each method, without --holdout), and FORECAST_VALIDATE=1 to hold out the
# last h points of each training part instead (a validation split that never
# sees the test data, the one used for tuning), with FORECAST_ORIGINS=K
# (validation only) at K origins: the h points ending 0, 1, ..., K-1 points
# before the end of each training part; each row gives the means over the
# origins and then each origin's sMAPE.
set -eu
cd "$(dirname "$0")/.."
M3=${MEDSALES_M3:-../shared/data/m3}
BIN=${MEDSALES_BIN:-./medsales}
GROUPS_=${FORECAST_GROUPS:-"MONTHLY QUARTERLY YEARLY OTHER"}
METHODS=${FORECAST_METHODS:-"naive2 snaive ses damped theta otm dotm ces ets arima pooled ensemble auto"}
COVERAGE=${FORECAST_COVERAGE:-1}
VALIDATE=${FORECAST_VALIDATE:-0}
ORIGINS=${FORECAST_ORIGINS:-1}
[ "$VALIDATE" = 1 ] || ORIGINS=1

for f in series.csv train.csv test.csv; do
	if [ ! -r "$M3/$f" ]; then
		echo "forecast_m3: $M3/$f not found (set MEDSALES_M3)" >&2
		exit 1
	fi
done
if [ ! -x "$BIN" ]; then
	echo "forecast_m3: $BIN not found (make medsales, or set MEDSALES_BIN)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Published accuracy (data README): group, method, sMAPE, MASE ("-": not given).
published() {
	case $1 in
	MONTHLY) cat <<'T'
  M3 Naive2                      16.89  1.037
  M3 damped trend                14.58  0.908
  M3 comb S-H-D                  14.47  0.896
  M3 ForecastPro                 13.90  0.848
  M3 Theta                       13.89  0.858
  R ets                          14.14  0.865
  R auto.arima                   15.02  0.868
  R thetaf                       13.86  0.864
  R mean(ets,arima,theta)        13.53  0.828
  R snaive                       17.23  1.146
  goal (issue 5) for auto       <=13.60 <=0.840  < 30 s
T
	;;
	QUARTERLY) cat <<'T'
  M3 Naive2                       9.95      -
  M3 damped trend                 9.36      -
  M3 comb S-H-D                   9.22      -
  M3 ForecastPro                  9.82      -
  M3 Theta                        8.96      -
  goal (issue 5) for auto        <=8.90      -
T
	;;
	YEARLY) cat <<'T'
  M3 Naive2                      17.88      -
  M3 damped trend                17.36      -
  M3 comb S-H-D                  17.07      -
  M3 ForecastPro                 17.27      -
  M3 Theta                       16.97      -
  goal (issue 5) for auto       <=16.90      -
T
	;;
	esac
}

now() {
	date +%s.%N
}

[ "$VALIDATE" = 1 ] && echo "VALIDATION split: last h points of each training part held out, $ORIGINS origin(s)"
printf '%-10s %-26s %7s %7s %8s %7s %6s %6s\n' group method sMAPE MASE seconds series cov80 cov95
for g in $GROUPS_; do
	# id -> frequency, n, h for the group (series.csv fields are quoted).
	awk -F, -v g="\"$g\"" 'NR > 1 && $2 == g { gsub(/"/, "", $1); print $1, $4, $5, $6 }' \
		"$M3/series.csv" >"$tmp/ids"
	[ -s "$tmp/ids" ] || continue
	freq=$(awk 'NR == 1 { print $2 }' "$tmp/ids")
	h=$(awk 'NR == 1 { print $4 }' "$tmp/ids")
	count=$(wc -l <"$tmp/ids")
	# Origin o (validation only) holds out the h points that end o points
	# before the training part's end.
	o=0
	while [ "$o" -lt "$ORIGINS" ]; do
		awk -F, -v v="$VALIDATE" -v o="$o" -v tr="$tmp/train$o.csv" -v te="$tmp/test$o.csv" '
			FNR == NR { split($0, a, " "); n[a[1]] = a[3]; h[a[1]] = a[4]; next }
			FNR == 1 { if (FILENAME ~ /train/) { print > tr; print > te }; next }
			{ id = $1; gsub(/"/, "", id) }
			!(id in n) { next }
			v != 1 { print > (FILENAME ~ /test/ ? te : tr); next }
			FILENAME ~ /train/ && $2 + 0 <= n[id] - h[id] - o { print > tr; next }
			FILENAME ~ /train/ && $2 + 0 <= n[id] - o { print > te }
		' "$tmp/ids" "$M3/train.csv" "$M3/test.csv"
		o=$((o + 1))
	done
	for meth in $METHODS; do
		: >"$tmp/rows"
		o=0
		while [ "$o" -lt "$ORIGINS" ]; do
			t0=$(now)
			"$BIN" forecast --input "$tmp/train$o.csv" --holdout "$tmp/test$o.csv" \
				--horizon "$h" --frequency "$freq" --method "$meth" >"$tmp/out"
			t1=$(now)
			cov="- -"
			if [ "$COVERAGE" = 1 ]; then
				"$BIN" forecast --input "$tmp/train$o.csv" --horizon "$h" \
					--frequency "$freq" --method "$meth" >"$tmp/fc"
				# Share of actual values inside the intervals: step j of
				# a series is t = (its last training t) + j.
				cov=$(awk -F, '
					FNR == 1 { f++; next }
					{ id = $1; gsub(/"/, "", id) }
					f == 1 { if ($2 + 0 > last[id]) last[id] = $2 + 0; next }
					f == 2 { act[id, $2 - last[id]] = $3; next }
					(id, $2) in act && act[id, $2] != "" && act[id, $2] != "NA" {
						a = act[id, $2] + 0; n++
						c80 += a >= $4 && a <= $5; c95 += a >= $6 && a <= $7
					}
					END { if (n) printf "%.4f %.4f", 100 * c80 / n, 100 * c95 / n
					      else printf "- -" }
				' "$tmp/train$o.csv" "$tmp/test$o.csv" "$tmp/fc")
			fi
			tail -n 1 "$tmp/out" | awk -F, -v s="$(awk -v a="$t0" -v b="$t1" \
				'BEGIN { print b - a }')" -v cov="$cov" '{ print $2, $3, s, cov }' \
				>>"$tmp/rows"
			o=$((o + 1))
		done
		# One row: the means over the origins (and each origin's sMAPE).
		awk -v g="$g" -v m="medsales $meth" -v c="$count" -v k="$ORIGINS" '
			{ sm += $1; ms += $2; sec += $3; each = each sprintf(" %6.2f", $1)
			  if ($4 == "-") nocov = 1; else { c80 += $4; c95 += $5 } }
			END {
				printf "%-10s %-26s %7.2f %7.3f %8.2f %7d ", g, m, sm / k, ms / k, sec / k, c
				if (nocov) printf "     -      -"
				else printf "%6.1f %6.1f", c80 / k, c95 / k
				if (k > 1) printf "   origins:%s", each
				printf "\n"
			}' "$tmp/rows"
	done
	[ "$VALIDATE" = 1 ] || published "$g" | sed "s/^/$(printf '%-9s' "$g")/"
done
