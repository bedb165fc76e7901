#!/bin/sh
# run.sh - make bench: generate the workloads, measure, print one table
#
# Environment (set by make bench):
#   MSGTRAIL   the msgtrail binary
#   GEN        the mt_bench_gen binary
#   BENCH_MB   megabytes of syslog in the 1x workload (default 200)
#   BENCH_SEED generator seed (default 1)
#   BENCH_OUT  work directory (default bench/out, git-ignored)
#
# Generates a 1x and a 4x workload under $BENCH_OUT, then runs
# bench/measure.py on them: zstd -3 -T1 and grep -F as references,
# msgtrail ingest, trace (1,000 identifiers), export failures and prune of
# the oldest day.  Prints the table and writes $BENCH_OUT/bench.json.  A
# failing msgtrail command is reported and marked "error"; the rest runs.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export LC_ALL=C TZ=UTC

BENCH_MB=${BENCH_MB:-200}
BENCH_SEED=${BENCH_SEED:-1}
BENCH_OUT=${BENCH_OUT:-$top/bench/out}
MSGTRAIL=${MSGTRAIL:-$top/msgtrail}
GEN=${GEN:-$top/build/mt_bench_gen}

case $BENCH_MB in
''|*[!0-9]*|0) echo "run.sh: BENCH_MB must be a positive integer" >&2; exit 2;;
esac
for tool in python3 zstd grep; do
	command -v "$tool" >/dev/null 2>&1 ||
	    { echo "run.sh: $tool not found" >&2; exit 2; }
done
[ -x "$GEN" ] || { echo "run.sh: no generator at $GEN (make $GEN)" >&2; exit 2; }
[ -x "$MSGTRAIL" ] || echo "run.sh: warning: no msgtrail at $MSGTRAIL;" \
    "its figures will read error" >&2

mkdir -p "$BENCH_OUT" || exit 2
mb4=$((BENCH_MB * 4))
for w in "1x:$BENCH_MB" "4x:$mb4"; do
	name=${w%%:*} mb=${w#*:}
	dir=$BENCH_OUT/$name
	stamp=$dir/.generated
	# Regenerate only when the size, seed or generator changed.
	want="$mb $BENCH_SEED $(cksum < "$GEN")"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	    [ -s "$dir/maillog" ]; then
		echo "bench: $name workload ($mb MB) is up to date"
		continue
	fi
	rm -rf "$dir"
	echo "bench: generating $name workload ($mb MB of syslog)"
	"$GEN" -s "$BENCH_SEED" -m "$mb" --start 2026-10-01 "$dir" || exit 1
	echo "$want" > "$stamp"
done

exec python3 "$top/bench/measure.py" --msgtrail "$MSGTRAIL" \
    --out "$BENCH_OUT" --start 2026-10-01 --seed "$BENCH_SEED" \
    --mb "$BENCH_MB"
