# t_follow.sh - ingest --follow: appended lines are traceable within
# seconds, a line written in two halves is one record, rotation by rename
# and by copytruncate loses and repeats nothing, SIGTERM/SIGINT stop with
# exit 0 and everything committed; a later one-shot ingest adds nothing.
# Also: the progress line appears only on a terminal.
. "$(dirname "$0")/lib.sh"
F="$T_TMP/mail.log"
DB="$T_TMP/follow.db"
PID=""
trap '[ -n "$PID" ] && kill -9 $PID 2>/dev/null; rm -rf "$T_TMP"' EXIT

# msg N: the five Postfix lines of message N (queue ID Q<N>, Message-ID
# <follow-N@test.example>), one minute apart per message
msg() {
	q=$(printf 'F%05dA' "$1") m=$(printf '%02d' $(($1 % 60))) h=$(printf '%02d' $((10 + $1 / 60)))
	echo "Nov  3 $h:$m:01 relay1 postfix/pickup[1888]: $q: uid=1001 from=<app@test.example>"
	echo "Nov  3 $h:$m:01 relay1 postfix/cleanup[2290]: $q: message-id=<follow-$1@test.example>"
	echo "Nov  3 $h:$m:02 relay1 postfix/qmgr[1002]: $q: from=<app@test.example>, size=$((1000 + $1)), nrcpt=1 (queue active)"
	echo "Nov  3 $h:$m:03 relay1 postfix/smtp[2301]: $q: to=<user$1@dest.example>, relay=mx.dest.example[192.0.2.25]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as R$1X)"
	echo "Nov  3 $h:$m:03 relay1 postfix/qmgr[1002]: $q: removed"
}
msgs() { for n in $(seq "$1" "$2"); do msg "$n"; done; }

# found ID: trace finds a message for ID
found() { mt trace --db "$DB" --json "$1" >/dev/null 2>&1; }
# wait_found ID SECONDS: poll until found, at most SECONDS
wait_found() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		found "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
# stop_follow SIGNAL: signal the follower, wait at most 10 s; sets T_RC
stop_follow() {
	kill -"$1" $PID
	i=0
	while kill -0 $PID 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 $PID 2>/dev/null; then
		kill -9 $PID; wait $PID; T_RC=timeout
	else
		wait $PID; T_RC=$?
	fi
	PID=""
}
records() { mt stats --db "$1" --json | sed -n 's/.*"records": \([0-9]*\),.*/\1/p'; }
# check_msgs N...: the trace of each message N is one message of five
# distinct events, with its queue ID, its recipient delivered, and the raw
# sent line exactly as written (one python3 run: it is slow to start)
check_msgs() {
	for n in "$@"; do
		mt trace --db "$DB" --json "follow-$n@test.example" >"$T_TMP/t$n.json" 2>&1 ||
			t_fail "follow-$n: trace failed: $(head -c 300 "$T_TMP/t$n.json")"
		msg "$n" | sed -n 4p >"$T_TMP/want$n"
	done
	python3 - "$T_TMP" "$@" >"$T_TMP/py.out" 2>&1 <<'EOF' || t_fail "$(cat "$T_TMP/py.out")"
import json, sys
d, bad = sys.argv[1], []
for n in sys.argv[2:]:
    err = []
    try:
        t = json.load(open("%s/t%s.json" % (d, n)))
    except ValueError:
        bad.append("follow-%s: no JSON" % n)
        continue
    want = open("%s/want%s" % (d, n)).read().rstrip("\n")
    if len(t["messages"]) != 1:
        err.append("%d messages" % len(t["messages"]))
    else:
        m = t["messages"][0]
        ev = [(e["time"], e["type"], e["raw"]) for e in m["events"]]
        if len(ev) != 5 or len(set(ev)) != 5:
            err.append("events %r" % [e[1] for e in ev])
        if m["ids"]["queue_ids"] != ["F%05dA" % int(n)]:
            err.append("queue_ids %r" % m["ids"]["queue_ids"])
        sent = [e["raw"] for e in m["events"] if e["type"] == "sent"]
        if sent != [want]:
            err.append("sent %r" % sent)
        r = [(x["address"], x["outcome"]) for x in m["recipients"]]
        if r != [("user%s@dest.example" % n, "delivered")]:
            err.append("recipients %r" % r)
    if err:
        bad.append("follow-%s: %s" % (n, "; ".join(err)))
print("\n  ".join(bad))
sys.exit(1 if bad else 0)
EOF
}

# the reference: every line of the test in one file, ingested once
msgs 1 14 >"$T_TMP/ref.log"
mt ingest --db "$T_TMP/ref.db" --year 2026 --tz UTC "$T_TMP/ref.log" >"$T_TMP/ref.out" 2>&1
REF=$(records "$T_TMP/ref.db")
sed 's/^[^:]*: //; s/, [0-9.]* s$//' "$T_TMP/ref.out" >"$T_TMP/ref.report"
msgs 1 13 >"$T_TMP/ref13.log"
mt ingest --db "$T_TMP/ref13.db" --year 2026 --tz UTC "$T_TMP/ref13.log" >"$T_TMP/ref13.out" 2>&1
REF13=$(records "$T_TMP/ref13.db")
sed 's/^[^:]*: //; s/, [0-9.]* s$//' "$T_TMP/ref13.out" >"$T_TMP/ref13.report"

t_case follow_existing_lines
msgs 1 3 >"$F"
"$MSGTRAIL" ingest --follow --db "$DB" --year 2026 --tz UTC "$F" >"$T_TMP/follow.out" 2>"$T_TMP/follow.err" &
PID=$!
wait_found follow-3@test.example 5 || t_fail "follow-3 not traceable after 5 s"

t_case appended_lines_within_3s
msgs 4 5 >>"$F"
wait_found follow-5@test.example 3 || t_fail "appended follow-5 not traceable within 3 s"

t_case line_in_two_halves
msg 6 | sed -n 1,3p >>"$F"
line=$(msg 6 | sed -n 4p)
printf '%s' "$(printf '%s' "$line" | cut -c1-70)" >>"$F"
sleep 1.5	# the follower commits what it has meanwhile
printf '%s\n' "$(printf '%s' "$line" | cut -c71-)" >>"$F"
msg 6 | sed -n 5p >>"$F"
wait_found follow-6@test.example 3 || t_fail "follow-6 not traceable within 3 s"
sleep 1.2	# the last lines may be committed a second later
check_msgs 6

t_case rotate_by_rename
mv "$F" "$F.1"
msg 7 >>"$F.1"		# the writer has not reopened yet
: >"$F"
sleep 0.5
msg 8 >>"$F"
wait_found follow-8@test.example 3 || t_fail "follow-8 (new file) not traceable within 3 s"
found follow-7@test.example || t_fail "follow-7 (old file after the rename) not traceable"

t_case rotate_by_copytruncate
mv "$F.1" "$F.2"
cp "$F" "$F.1"
: >"$F"
sleep 0.6		# the follower sees a shorter file
msgs 9 10 >>"$F"
wait_found follow-10@test.example 3 || t_fail "follow-10 not traceable within 3 s after copytruncate"

t_case copytruncate_then_longer_write
mv "$F.2" "$F.3"; mv "$F.1" "$F.2"
cp "$F" "$F.1"
: >"$F"
msgs 11 13 >>"$F"	# at once: longer than what was read before
wait_found follow-13@test.example 3 || t_fail "follow-13 not traceable within 3 s after copytruncate"

t_case sigterm_exit_0
sleep 1.2
stop_follow TERM
t_expect_rc 0
[ -s "$T_TMP/follow.err" ] && t_fail "stderr: $(head -c 300 "$T_TMP/follow.err")"
sed 's/^[^:]*: //; s/, [0-9.]* s$//' "$T_TMP/follow.out" >"$T_TMP/follow.report"
t_expect_file "$T_TMP/follow.report" "$T_TMP/ref13.report"

t_case every_message_once
check_msgs $(seq 1 13)
got=$(records "$DB")
[ "$got" = "$REF13" ] || t_fail "store holds $got records, a one-shot ingest of the same lines $REF13"

t_case oneshot_after_follow_adds_nothing
t_run mt ingest --db "$DB" --year 2026 --tz UTC --json "$F" "$F.1" "$F.2" "$F.3"
t_expect_rc 0
t_expect_grep "$T_TMP/out" '"records": 0,'
[ "$(records "$DB")" = "$REF13" ] || t_fail "records changed: $(records "$DB")"

t_case sigint_with_half_line_pending
msg 14 | sed -n 1,3p >>"$F"
line=$(msg 14 | sed -n 4p)
printf '%s' "$(printf '%s' "$line" | cut -c1-50)" >>"$F"
"$MSGTRAIL" ingest --follow --db "$DB" --year 2026 --tz UTC -q "$F" >"$T_TMP/follow.out" 2>"$T_TMP/follow.err" &
PID=$!
wait_found follow-14@test.example 5 || t_fail "follow-14 not traceable after 5 s"
sleep 1.2
stop_follow INT
t_expect_rc 0
[ -s "$T_TMP/follow.err" ] && t_fail "stderr: $(head -c 300 "$T_TMP/follow.err")"
# the half line was not stored; finished later, a one-shot run stores it whole
printf '%s\n' "$(printf '%s' "$line" | cut -c51-)" >>"$F"
msg 14 | sed -n 5p >>"$F"
t_run mt ingest --db "$DB" --year 2026 --tz UTC --json "$F"
t_expect_grep "$T_TMP/out" '"lines": 2,'
check_msgs 14
[ "$(records "$DB")" = "$REF" ] || t_fail "store holds $(records "$DB") records, want $REF"

t_case follow_usage
t_run mt ingest --follow --db "$DB" "$F" "$F.1"
t_expect_rc 2
t_run mt ingest --follow --db "$DB" -
t_expect_rc 2

t_case follow_missing_file
t_run mt ingest --follow --db "$DB" "$T_TMP/nonexistent.log"
t_expect_rc 4
t_expect_grep "$T_TMP/err" "nonexistent.log: No such file or directory"

# progress: a big input read in two parts with a pause, so that the
# progress line is due at the second 16384-line check whatever the speed
python3 "$T_TOP/tests/cli/gen_days.py" 2026-11-01 2026-11-02 2026-11-03 -n 4000 >"$T_TMP/big.log"
head -n 20000 "$T_TMP/big.log" >"$T_TMP/part1"
tail -n +20001 "$T_TMP/big.log" >"$T_TMP/part2"
big() { cat "$T_TMP/part1"; sleep 0.6; cat "$T_TMP/part2"; }

t_case no_progress_when_stderr_not_a_tty
big | mt ingest --db "$T_TMP/p1.db" - >"$T_TMP/out" 2>"$T_TMP/err"
[ -s "$T_TMP/err" ] && t_fail "stderr not empty: $(head -c 200 "$T_TMP/err" | od -c | head -3)"
t_expect_grep "$T_TMP/out" "^(stdin): $(wc -l <"$T_TMP/big.log") lines"

t_case progress_on_a_terminal
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	export T_TMP MSGTRAIL
	script -qec '{ cat "$T_TMP/part1"; sleep 0.6; cat "$T_TMP/part2"; } | "$MSGTRAIL" ingest --db "$T_TMP/p2.db" - 2>&1' /dev/null </dev/null >"$T_TMP/tty.out"
	t_expect_grep "$T_TMP/tty.out" '(stdin): [0-9.]* MB, [0-9]* lines, [0-9]* lines/s'
	# erased before the report: the last progress line ends with a clear
	tr '\r' '\n' <"$T_TMP/tty.out" | grep -a 'lines stored\|records stored' | grep -q "^$(printf '\033')\[K(stdin): $(wc -l <"$T_TMP/big.log") lines" ||
		t_fail "report not on a cleared line: $(tr '\r' '\n' <"$T_TMP/tty.out" | tail -2 | od -c | head -4)"
	script -qec '{ cat "$T_TMP/part1"; sleep 0.6; cat "$T_TMP/part2"; } | "$MSGTRAIL" ingest --quiet --db "$T_TMP/p3.db" - 2>&1' /dev/null </dev/null >"$T_TMP/tty.out"
	[ -s "$T_TMP/tty.out" ] && t_fail "--quiet on a terminal printed: $(head -c 200 "$T_TMP/tty.out" | od -c | head -3)"
else
	t_skip "util-linux script not available"
fi

t_done
