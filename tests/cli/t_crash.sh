# t_crash.sh - kill -9 during ingest and during prune: the store opens,
# traces what was committed, and a re-run completes without duplicates
. "$(dirname "$0")/lib.sh"
GEN="python3 $T_TOP/tests/cli/gen_days.py"
export MSGTRAIL_NOW=2026-11-23T10:00:00Z
days=""
for d in 01 02 03 04 05 06 07 08 09 10 11 12; do days="$days 2026-09-$d"; done
$GEN $days 2026-11-01 2026-11-02 -n $(t_scale 3000 200) >"$T_TMP/big.log"
# commit every 2 MB so that kills land between commits too
export MSGTRAIL_BATCH_BYTES=2000000
records() { mt stats --db "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])'; }

# the reference: one uninterrupted ingest
mt ingest --db "$T_TMP/ref.db" -q "$T_TMP/big.log"
REF=$(records "$T_TMP/ref.db")
mt trace --db "$T_TMP/ref.db" --json m-20261102-77@gen.example >"$T_TMP/ref-trace.json"

for delay in $(t_scale "0.05 0.15 0.3 0.6" "0.2 1.0"); do
	t_case "kill9_ingest_after_${delay}s"
	DB="$T_TMP/k$delay.db"
	"$MSGTRAIL" ingest --db "$DB" -q "$T_TMP/big.log" &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	# the store opens and answers
	t_run mt stats --db "$DB" --json
	if [ "$T_RC" != 0 ]; then
		# killed before the store was even created is fine; anything else is not
		[ -f "$DB" ] && t_fail "store unusable after kill -9: $(cat "$T_TMP/err")"
	fi
	if [ -f "$DB" ]; then
		t_run mt trace --db "$DB" --json m-20260901-0@gen.example
		[ "$T_RC" -le 1 ] || t_fail "trace after kill -9: exit $T_RC: $(cat "$T_TMP/err")"
	fi
	# a re-run completes the file, without duplicates
	mt ingest --db "$DB" -q "$T_TMP/big.log" || t_fail "re-run failed"
	got=$(records "$DB")
	[ "$got" = "$REF" ] || t_fail "after kill at ${delay}s and re-run: $got records, want $REF"
	mt trace --db "$DB" --json m-20261102-77@gen.example >"$T_TMP/t.json"
	t_expect_file "$T_TMP/t.json" "$T_TMP/ref-trace.json"
done

# prune reference
cp "$T_TMP/ref.db" "$T_TMP/pref.db"
mt prune --db "$T_TMP/pref.db" -q
PREF=$(records "$T_TMP/pref.db")
for delay in $(t_scale "0.02 0.1 0.3" "0.5"); do
	t_case "kill9_prune_after_${delay}s"
	DB="$T_TMP/p$delay.db"
	cp "$T_TMP/ref.db" "$DB"
	"$MSGTRAIL" prune --db "$DB" -q &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	t_run mt stats --db "$DB" --json
	t_expect_rc 0
	# every un-pruned record is intact
	mt trace --db "$DB" --json m-20261102-77@gen.example >"$T_TMP/t.json"
	t_expect_file "$T_TMP/t.json" "$T_TMP/ref-trace.json"
	mt prune --db "$DB" -q || t_fail "second prune failed"
	got=$(records "$DB")
	[ "$got" = "$PREF" ] || t_fail "after kill at ${delay}s and re-run: $got records, want $PREF"
done

t_done
