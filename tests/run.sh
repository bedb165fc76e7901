#!/bin/sh
# run.sh - run every unit test program and CLI test script, add up their
# "N passed, N failed, N skipped" lines, and end with the total.
# Environment: MSGTRAIL (program), TESTBIN (unit test programs), VALGRIND.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export TZ=UTC LC_ALL=C
export MT_CORPUS=${MT_CORPUS:-$top/../shared/corpus}
# under valgrind every run is ~30x slower: CLI tests shrink their bulk inputs
[ -n "${VALGRIND:-}" ] && export MT_TEST_LIGHT=1
[ -d "$MT_CORPUS" ] || echo "note: corpus $MT_CORPUS not found: corpus tests are skipped"
pass=0 fail=0 skip=0 broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tally() {	# name status
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		fail=$((fail + 1)); broken="$broken $1"
		echo "FAIL $1: no result line (exit $2)"
		return
	fi
	set -- $1 $2 $line
	pass=$((pass + $3)); fail=$((fail + $5))
	case "$line" in *skipped*) skip=$((skip + $7));; esac
	[ "$2" = 0 ] || case "$line" in *" 0 failed"*) fail=$((fail + 1)); broken="$broken $1";; esac
}

for t in "$TESTBIN"/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	echo "== $n"
	${VALGRIND:-} "$t" >"$log" 2>&1; rc=$?
	cat "$log"
	tally "$n" "$rc"
done
for t in tests/cli/t_*.sh; do
	[ -f "$t" ] || continue
	n=$(basename "$t" .sh)
	echo "== $n"
	sh "$t" >"$log" 2>&1; rc=$?
	cat "$log"
	tally "$n" "$rc"
done
[ -z "$broken" ] || echo "broken:$broken"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
