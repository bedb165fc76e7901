# t_prune.sh - retention: default cutoff, straddling messages, secure
# deletion, size stability, concurrent trace, dry run
. "$(dirname "$0")/lib.sh"
GEN="python3 $T_TOP/tests/cli/gen_days.py"
export MSGTRAIL_NOW=2026-11-23T10:00:00Z
DB="$T_TMP/p.db"
ingest() { db=$1; shift; mt ingest --db "$db" -q "$@"; }
found() { mt trace --db "$1" --json "$2" >/dev/null 2>&1; }

t_case default_cutoff_two_months
$GEN 2026-09-20 2026-09-22 2026-09-23 2026-09-24 2026-11-02 -n 10 >"$T_TMP/days.log"
ingest "$DB" "$T_TMP/days.log"
t_run mt prune --db "$DB"
t_expect_rc 0
# one summary line, nothing else
[ "$(wc -l <"$T_TMP/out")" = 1 ] || t_fail "want one summary line: $(cat "$T_TMP/out")"
t_expect_grep "$T_TMP/out" "^pruned 125 records .* before 2026-09-23T10:00:00Z in "
[ -s "$T_TMP/err" ] && t_fail "prune wrote to stderr: $(cat "$T_TMP/err")"
found "$DB" m-20260920-0@gen.example && t_fail "2026-09-20 still there"
found "$DB" m-20260922-9@gen.example && t_fail "2026-09-22 still there"
# 2026-09-23: message i is at i*8600 s: 0..4 before 10:00, 5..9 after
found "$DB" m-20260923-1@gen.example && t_fail "2026-09-23 01:xx still there"
found "$DB" m-20260923-5@gen.example || t_fail "2026-09-23 12:xx was pruned"
found "$DB" m-20260924-0@gen.example || t_fail "2026-09-24 was pruned"
found "$DB" m-20261102-3@gen.example || t_fail "2026-11-02 was pruned"

t_case keep_and_before
DB2="$T_TMP/k.db"
ingest "$DB2" "$T_TMP/days.log"
t_run mt prune --db "$DB2" --keep 60d
t_expect_rc 0
# 60 days before 2026-11-23T10:00Z is 2026-09-24T10:00Z
t_expect_grep "$T_TMP/out" "before 2026-09-24T10:00:00Z"
found "$DB2" m-20260924-9@gen.example || t_fail "2026-09-24 late message pruned"
found "$DB2" m-20260924-0@gen.example && t_fail "2026-09-24 early message kept"
t_run mt prune --db "$DB2" --before 2026-11-01
t_expect_rc 0
found "$DB2" m-20260924-9@gen.example && t_fail "--before 2026-11-01 kept September"
found "$DB2" m-20261102-0@gen.example || t_fail "--before pruned November"

t_case stats_of_a_store_pruned_empty
t_run mt stats --db "$DB2" --json
t_expect_grep "$T_TMP/out" '"first": "2026-11-02T[0-9:.]*Z", "last": "2026-11-02T[0-9:.]*Z"}$'
mt prune --db "$DB2" --before 2026-11-20 >/dev/null
t_run mt stats --db "$DB2" --json
t_expect_rc 0
t_expect_grep "$T_TMP/out" '^{"records": 0, .*"first": null, "last": null}$'
t_run mt stats --db "$DB2"
t_expect_grep "$T_TMP/out" '^first:      -$'
t_expect_grep "$T_TMP/out" '^last:       -$'

t_case dry_run_changes_nothing
DB3="$T_TMP/d.db"
ingest "$DB3" "$T_TMP/days.log"
cp "$DB3" "$T_TMP/d.before"
t_run mt prune --db "$DB3" --dry-run
t_expect_rc 0
t_expect_grep "$T_TMP/out" "^would prune 125 records"
found "$DB3" m-20260920-0@gen.example || t_fail "dry run deleted"

t_case straddling_message_keeps_new_events
DB4="$T_TMP/s.db"
cat >"$T_TMP/straddle.log" <<'LOG'
2026-09-22T23:59:00Z relay1 postfix/smtpd[1]: 1A2B3C4D5E: client=app1.example[10.0.0.5]
2026-09-22T23:59:00Z relay1 postfix/cleanup[2]: 1A2B3C4D5E: message-id=<straddle-1@gen.example>
2026-09-22T23:59:01Z relay1 postfix/qmgr[3]: 1A2B3C4D5E: from=<sender@gen.example>, size=900, nrcpt=1 (queue active)
2026-09-22T23:59:31Z relay1 postfix/smtp[4]: 1A2B3C4D5E: to=<late@dest.example>, relay=mx.dest.example[192.0.2.10]:25, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.dest.example[192.0.2.10]:25: Connection timed out)
2026-09-24T08:00:00Z relay1 postfix/smtp[4]: 1A2B3C4D5E: to=<late@dest.example>, relay=mx.dest.example[192.0.2.10]:25, delay=115200, delays=115000/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9Z9Z9Z)
2026-09-24T08:00:00Z relay1 postfix/qmgr[3]: 1A2B3C4D5E: removed
LOG
ingest "$DB4" "$T_TMP/straddle.log"
t_run mt prune --db "$DB4" --before 2026-09-23
t_expect_rc 0
t_run mt trace --db "$DB4" --json 1A2B3C4D5E
t_expect_rc 0
python3 - "$T_TMP/out" <<'PY' || t_fail "straddling trace wrong: $(cat "$T_TMP/out")"
import json, sys
t = json.load(open(sys.argv[1]))
assert len(t["messages"]) == 1
ev = t["messages"][0]["events"]
assert [e["type"] for e in ev] == ["sent", "removed"], [e["type"] for e in ev]
assert all(e["time"] >= "2026-09-23" for e in ev)
r = t["messages"][0]["recipients"]
assert r[0]["address"] == "late@dest.example" and r[0]["outcome"] == "delivered", r
PY
found "$DB4" straddle-1@gen.example && t_fail "pruned Message-ID still found"

t_case secure_deletion
DB5="$T_TMP/sec.db"
$GEN 2026-09-01 -n 40 --tag secret >"$T_TMP/old.log"
$GEN 2026-11-10 -n 40 --tag kept >"$T_TMP/new.log"
ingest "$DB5" "$T_TMP/old.log" "$T_TMP/new.log"
# pieces of the compressed blocks that prune must erase
python3 - "$DB5" "$T_TMP/pieces" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
cut = 1790208000 * 1000000          # 2026-09-24T00:00:00Z
with open(sys.argv[2], "wb") as out:
    for (data,) in c.execute("select data from blocks where tmax < ?", (cut,)):
        for off in range(0, max(len(data) - 48, 1), max(len(data) // 4, 1)):
            piece = data[off:off + 48]
            if len(piece) == 48:
                out.write(piece.hex().encode() + b"\n")
PY
[ -s "$T_TMP/pieces" ] || t_fail "no blocks for the old day before prune"
mt prune --db "$DB5" -q || t_fail "prune failed"
for f in "$DB5" "$DB5-wal"; do
	[ -f "$f" ] || continue
	if LC_ALL=C grep -a -q -e 'secret-2026' -e 'user-secret' "$f"; then t_fail "$f holds pruned text in the clear"; fi
	python3 - "$f" "$T_TMP/pieces" <<'PY' || t_fail "$f still holds bytes of pruned blocks"
import sys
data = open(sys.argv[1], "rb").read()
left = [p for p in open(sys.argv[2]) if bytes.fromhex(p.strip()) in data]
sys.exit(1 if left else 0)
PY
done
# the store itself no longer knows the pruned IDs (keys and blocks both gone)
found "$DB5" secret-20260901-7@gen.example && t_fail "pruned ID still traceable"
python3 - "$DB5" <<'PY' || t_fail "blocks of pruned day remain"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("select count(*) from blocks where tmax < ?", (1758000000 * 1000000,)).fetchone()[0]
assert n == 0, n
PY
found "$DB5" kept-20261110-7@gen.example || t_fail "kept ID lost"

t_case size_stable_over_cycles
DB6="$T_TMP/cyc.db"
sizes=""
i=0
ncyc=$(t_scale 24 12)
while [ $i -lt $ncyc ]; do
	day=$(python3 -c "import datetime; print(datetime.date(2026,10,1)+datetime.timedelta(days=$i))")
	$GEN "$day" -n $(t_scale 200 60) --tag c >"$T_TMP/c.log"
	ingest "$DB6" "$T_TMP/c.log"
	MSGTRAIL_NOW="${day}T23:59:59Z" mt prune --db "$DB6" --keep 3d -q
	sz=$(( $(stat -c %s "$DB6") + $(stat -c %s "$DB6-wal" 2>/dev/null || echo 0) ))
	sizes="$sizes $sz"
	i=$((i + 1))
done
python3 - $sizes <<'PY' || t_fail "store grows over ingest+prune cycles:$sizes"
import sys
s = [int(x) for x in sys.argv[1:]]
w = len(s) // 3                     # after the first days: steady state
steady = s[w:]
assert max(steady) <= 1.25 * min(steady), (min(steady), max(steady))
assert s[-1] <= 1.25 * s[w], (s[w], s[-1])
PY

t_case concurrent_trace_during_prune
DB7="$T_TMP/conc.db"
$GEN 2026-09-01 2026-09-02 2026-09-03 2026-09-04 2026-11-10 -n $(t_scale 3000 300) >"$T_TMP/big.log"
ingest "$DB7" "$T_TMP/big.log"
mt prune --db "$DB7" -q &
pid=$!
bad=0 n=0
while kill -0 $pid 2>/dev/null || [ $n -lt 5 ]; do
	mt trace --db "$DB7" --json kept-20261110-5@gen.example >/dev/null 2>"$T_TMP/cerr"
	rc=$?
	[ $rc -le 1 ] || { bad=$((bad + 1)); cat "$T_TMP/cerr"; }
	mt trace --db "$DB7" --json m-20261110-17@gen.example >/dev/null 2>>"$T_TMP/cerr" || { bad=$((bad + 1)); cat "$T_TMP/cerr"; }
	n=$((n + 1))
done
wait $pid || t_fail "prune failed while traces ran"
[ $bad = 0 ] || t_fail "$bad of $n traces failed during prune"

t_done
