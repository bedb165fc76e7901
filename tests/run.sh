#!/bin/sh
# run.sh - run every unit test program and CLI test script, add up their
# "N passed, N failed, N skipped" lines, and end with the total.
# Environment: MSGTRAIL (program), TESTBIN (unit test programs), VALGRIND,
# MT_TEST_JOBS (tests run at once, default 1; results print in order).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export TZ=UTC LC_ALL=C
export MT_CORPUS=${MT_CORPUS:-$top/../shared/corpus}
# under valgrind every run is ~30x slower: CLI tests shrink their bulk inputs
[ -n "${VALGRIND:-}" ] && export MT_TEST_LIGHT=1
[ -d "$MT_CORPUS" ] || echo "note: corpus $MT_CORPUS not found: corpus tests are skipped"
jobs=${MT_TEST_JOBS:-1}
pass=0 fail=0 skip=0 broken=""
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# the tests, in order: "unit NAME PATH" or "cli NAME PATH"
list="$logs/list"
: >"$list"
for t in "$TESTBIN"/test_*; do
	[ -x "$t" ] && echo "unit $(basename "$t") $t" >>"$list"
done
for t in tests/cli/t_*.sh; do
	[ -f "$t" ] && echo "cli $(basename "$t" .sh) $t" >>"$list"
done

# run_group K: every jobs-th test starting at K; output and status per test
run_group() {
	i=0
	while read -r kind n path; do
		if [ $((i % jobs)) = "$1" ]; then
			# stdin is the list: tests get /dev/null instead
			if [ "$kind" = unit ]; then
				${VALGRIND:-} "$path" >"$logs/$n.log" 2>&1 </dev/null
			else
				sh "$path" >"$logs/$n.log" 2>&1 </dev/null
			fi
			echo $? >"$logs/$n.rc"
		fi
		i=$((i + 1))
	done <"$list"
}

tally() {	# name status log
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$3" | tail -1)
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

k=0
while [ $k -lt "$jobs" ]; do
	run_group $k &
	k=$((k + 1))
done
wait
while read -r kind n path; do
	echo "== $n"
	cat "$logs/$n.log"
	tally "$n" "$(cat "$logs/$n.rc" 2>/dev/null || echo 255)" "$logs/$n.log"
done <"$list"
[ -z "$broken" ] || echo "broken:$broken"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
