# lib.sh - helpers for CLI tests (sourced).  Each test script runs cases
# with t_case/t_expect*, and ends with t_done, which prints
# "N passed, N failed, N skipped" for tests/run.sh.
# MSGTRAIL is the program under test; VALGRIND may wrap it.
set -u
export TZ=UTC LC_ALL=C
T_PASS=0 T_FAIL=0 T_SKIP=0 T_NAME="" T_CUR=0
T_TOP=$(cd "$(dirname "$0")/../.." && pwd)
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mt-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
MT_CORPUS=${MT_CORPUS:-$T_TOP/../shared/corpus}
# T_LIGHT=1 (set by tests/run.sh under valgrind): bulk inputs are smaller
T_LIGHT=${MT_TEST_LIGHT:-0}
# t_scale FULL LIGHT: the size to use
t_scale() { if [ "$T_LIGHT" = 1 ]; then echo "$2"; else echo "$1"; fi; }

mt() { ${VALGRIND:-} "$MSGTRAIL" "$@"; }

t_case() { t_end; T_NAME=$1; T_CUR=0; }
t_end() {
	[ -n "$T_NAME" ] || return 0
	if [ "$T_CUR" = skip ]; then T_SKIP=$((T_SKIP + 1)); echo "skip $T_NAME"
	elif [ "$T_CUR" = 0 ]; then T_PASS=$((T_PASS + 1)); echo "ok   $T_NAME"
	else T_FAIL=$((T_FAIL + 1)); echo "FAIL $T_NAME"; fi
	T_NAME=""
}
t_fail() { echo "  $*"; T_CUR=1; }
t_skip() { echo "  skipped: $*"; T_CUR=skip; }
# t_run CMD...: run, keep stdout/stderr/status in $T_TMP/{out,err} and $T_RC
t_run() { "$@" >"$T_TMP/out" 2>"$T_TMP/err"; T_RC=$?; }
t_expect_rc() { [ "$T_RC" = "$1" ] || t_fail "exit status $T_RC, want $1 (stderr: $(head -c 400 "$T_TMP/err"))"; }
# t_expect_file got want: exact comparison with a diff on failure
t_expect_file() {
	if ! cmp -s "$1" "$2"; then t_fail "$1 differs from $2:"; diff -u "$2" "$1" | head -40 | sed 's/^/    /'; fi
}
t_expect_grep() { grep -q -- "$2" "$1" || t_fail "$1 lacks: $2"; }
t_expect_nogrep() { ! grep -q -- "$2" "$1" || t_fail "$1 has: $2"; }
t_done() { t_end; echo "$T_PASS passed, $T_FAIL failed, $T_SKIP skipped"; [ "$T_FAIL" = 0 ]; }
