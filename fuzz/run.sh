#!/bin/sh
# run.sh - run every libFuzzer harness for FUZZ_SECONDS, seeded from
# sample-logs/ and the shared corpus (read, never copied).  A crash input is
# kept in fuzz/crashes/ (add it under tests/ as a regression case).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
secs=${FUZZ_SECONDS:-20}
corpus=${MT_CORPUS:-$top/../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz/crashes
fail=0 pass=0
seed() {	# dir, then files to copy into it
	d=$1; shift
	mkdir -p "$d"
	for f in "$@"; do	# no leading dot: the globs below skip those
		[ -f "$f" ] && cp "$f" "$d/s$(echo "$f" | tr './' '__')"
	done
}
seed "$work/parser" $(find sample-logs -name '*.log' 2>/dev/null) \
    $(find "$corpus" -type f ! -name '*.json' ! -name '*.md' 2>/dev/null | head -200)
seed "$work/json" $(find sample-logs -name '*.json' 2>/dev/null) \
    $(find "$corpus" -name '*.json' 2>/dev/null)
seed "$work/rules" $(find sample-logs -name '*.rules' 2>/dev/null)
seed "$work/time" /dev/null
# split big seeds: libFuzzer wants small inputs
for d in "$work"/*; do
	for f in "$d"/*; do
		[ -f "$f" ] || continue
		if [ "$(wc -c <"$f")" -gt 4096 ]; then
			split -l 20 "$f" "$f.part." && rm -f "$f"
		fi
	done
done
for bin in build-fuzz/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	n=$(basename "$bin" | sed 's/^fuzz_//')
	dir="$work/$n"; mkdir -p "$dir"
	echo "== fuzz_$n: ${secs}s"
	if "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 \
	    -artifact_prefix=fuzz/crashes/"$n"- "$dir" >"$work/log" 2>&1; then
		tail -1 "$work/log"; pass=$((pass + 1))
	else
		# the report itself (the tail is only the shadow legend), and
		# the input, so a CI log alone is enough to reproduce it
		sed -n '/^==[0-9]*==ERROR\|runtime error\|^==[0-9]*== ERROR/,/^SUMMARY/p' \
		    "$work/log" | head -60
		tail -3 "$work/log"
		for c in $(sed -n "s/.*Test unit written to //p" "$work/log"); do
			echo "crash input $c (base64):"; base64 "$c"
		done
		fail=$((fail + 1))
		echo "FAIL fuzz_$n (crash input in fuzz/crashes/)"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
