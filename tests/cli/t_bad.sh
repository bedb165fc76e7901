# t_bad.sh - the bad-input catalogue (issue 9): one case per kind of bad
# input, each with its exact message and exit status.  In every case the
# process does not crash (status < 128), lines after the bad one are still
# ingested (a message that comes after it traces), and a failed batch
# leaves the store as it was.  Small inputs are in sample-logs/bad/; huge
# ones (a 10 MB line, a 100 MB JSON object) and truncated compressed files
# are made here.
. "$(dirname "$0")/lib.sh"
B=$T_TOP/sample-logs/bad
LOG=$T_TOP/sample-logs/postfix/relay1.log
GEN="python3 $T_TOP/tests/cli/gen_days.py"

# ing DB ARGS...: ingest with --json (the report on stdout) into DB
ing() { db=$1; shift; t_run mt ingest --db "$db" --year 2026 --tz UTC --json "$@"; }
# want TEXT: the exact standard error expected (printf format, no args)
want_err() { printf "$1" >"$T_TMP/want"; t_expect_file "$T_TMP/err" "$T_TMP/want"; }
# no_crash: the last status is an exit, not a signal
no_crash() { [ "$T_RC" -lt 128 ] || t_fail "killed by a signal (status $T_RC)"; }
# report KEY=N...: counts in the ingest --json report (one line, fixed keys)
report() {
	for kv in "$@"; do
		grep -q "\"${kv%%=*}\": ${kv#*=}[,}]" "$T_TMP/out" ||
		    t_fail "report: want ${kv%%=*} ${kv#*=}: $(cat "$T_TMP/out")"
	done
}
# verdict DB ID WANT: the recipients of the trace as "address outcome stage"
# (keys in the documented order of trace --json)
verdict() {
	got=$(mt trace --db "$1" --json "$2" | grep -o '"address": "[^"]*", "outcome": "[^"]*", "stage": "[^"]*"' |
	    sed 's/"address": "\([^"]*\)", "outcome": "\([^"]*\)", "stage": "\([^"]*\)"/\1 \2 \3/' | tr '\n' ' ')
	[ "$got" = "$3 " ] || t_fail "trace $2: got '$got', want '$3'"
}
records() { mt stats --db "$1" --json | sed -n 's/.*"records": \([0-9]*\).*/\1/p'; }

t_case nul_byte
ing "$T_TMP/nul.db" "$B/nul.log"
t_expect_rc 0
want_err "msgtrail: $B/nul.log:3: NUL byte in line, skipped\n"
report lines=10 recognised=9 errors=1 records=9
verdict "$T_TMP/nul.db" nul-before@bad.example "amy@example.org delivered recipient"
verdict "$T_TMP/nul.db" nul-after@bad.example "ben@example.org delivered recipient"

t_case nul_byte_strict_exit_3
ing "$T_TMP/nuls.db" --strict "$B/nul.log"
t_expect_rc 3
want_err "msgtrail: $B/nul.log:3: NUL byte in line, skipped\n"
# --strict still stores the good lines
verdict "$T_TMP/nuls.db" nul-after@bad.example "ben@example.org delivered recipient"

t_case invalid_utf8_json_is_valid
ing "$T_TMP/utf.db" "$B/utf8.log"
t_expect_rc 0
want_err ""
report lines=10 recognised=10 records=10
t_run mt trace --db "$T_TMP/utf.db" --json B1D0000003
t_expect_rc 0
python3 - "$T_TMP/out" <<'PY' || t_fail "trace --json of invalid UTF-8"
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")			# strict: valid UTF-8
t = json.loads(raw)
m = t["messages"][0]
assert m["from"] == "sh\ufffdop@bad.example" or m["from"] == "sh?op@bad.example", m["from"]
r = m["recipients"][0]
assert r["outcome"] == "bounced" and r["dsn"] == "5.1.1", r
assert "\x1b[31munknown\x07" in r["reply"], r["reply"]	# escaped by JSON, not lost
assert r["address"].endswith("d@example.net"), r
PY
verdict "$T_TMP/utf.db" utf8-after@bad.example "cy@example.org delivered recipient"

t_case invalid_utf8_text_masked
t_run mt trace --db "$T_TMP/utf.db" B1D0000003
t_expect_rc 0
# no control character (C0, DEL, C1) and no byte that is not UTF-8 reaches the terminal
python3 - "$T_TMP/out" <<'PY' || t_fail "text trace leaks control characters or invalid UTF-8"
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8")	# raises on invalid UTF-8
bad = [c for c in s if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
assert not bad, bad
assert "<sh?op@bad.example>" in s and "user ?[31munknown? ??2J ??? (in reply" in s, s
PY

t_case crlf_mix
ing "$T_TMP/crlf.db" "$B/crlf.log"
t_expect_rc 0
want_err ""
report lines=11 recognised=10 unrecognised=1 records=10
# every line end is stripped: the stored lines carry no CR
for id in crlf-1@bad.example crlf-2@bad.example; do
	mt trace --db "$T_TMP/crlf.db" --json "$id" | python3 -c '
import json, sys
m = json.load(sys.stdin)["messages"]
assert len(m) == 1 and len(m[0]["events"]) == 5, m
assert not any("\r" in e["raw"] for e in m[0]["events"]), m' || t_fail "trace $id"
done
verdict "$T_TMP/crlf.db" crlf-2@bad.example "eve@example.org delivered recipient"
# a lone CR does not end a line: that line is one unrecognised line
t_run mt ingest --db "$T_TMP/crlf2.db" --year 2026 -v "$B/crlf.log"
t_expect_grep "$T_TMP/err" "^msgtrail: $B/crlf.log:6: unrecognised line\$"
t_run mt trace --db "$T_TMP/crlf.db" B1D00000FE
t_expect_rc 1

t_case line_10mb
{ head -n 4 "$LOG"; python3 -c 'import sys; sys.stdout.write("Nov  2 09:15:02 relay1 postfix/smtp[2301]: 4A1B2C3D4E: to=<" + "x" * (10 << 20) + "@example.org>, status=sent\n")'; tail -n +5 "$LOG"; } >"$T_TMP/long.log"
ing "$T_TMP/long.db" "$T_TMP/long.log"
t_expect_rc 0
no_crash
want_err "msgtrail: $T_TMP/long.log:5: line longer than 16384 bytes, skipped\n"
n=$(wc -l <"$LOG")
report lines=$((n + 1)) errors=1
mt ingest --db "$T_TMP/ref.db" --year 2026 --tz UTC -q "$LOG"
mt trace --db "$T_TMP/ref.db" --json order-1001@shop.example.com >"$T_TMP/ref.json"
mt trace --db "$T_TMP/long.db" --json order-1001@shop.example.com >"$T_TMP/long.json"
t_expect_file "$T_TMP/long.json" "$T_TMP/ref.json"
[ "$(records "$T_TMP/long.db")" = "$(records "$T_TMP/ref.db")" ] || t_fail "records differ from the clean log"

t_case line_at_the_limit
# 16384 bytes is kept (and read as an unknown Postfix line), 16385 is not
python3 -c '
p = "Nov  2 09:15:01 relay1 postfix/qmgr[1002]: 4A1B2C3D4E: removed "
for n in (16384, 16385):
    print(p + "y" * (n - len(p)))' >"$T_TMP/lim.log"
ing "$T_TMP/lim.db" "$T_TMP/lim.log"
t_expect_rc 0
want_err "msgtrail: $T_TMP/lim.log:2: line longer than 16384 bytes, skipped\n"
report lines=2 errors=1

t_case line_cut_mid_field
# the file ends inside line 13: held back as a line still being written
# (a fresh copy: the checkout may be older than ten minutes)
cp "$B/cut.log" "$T_TMP/cut.log"
ing "$T_TMP/cut.db" "$T_TMP/cut.log"
t_expect_rc 0
want_err "msgtrail: $T_TMP/cut.log:13: last line has no newline yet, held back until it is complete (--final stores it as it is)\n"
report lines=12 recognised=11 unrecognised=1 records=11 held=1
# untouched for ten minutes: its writer has gone, the tail is stored
touch -d '11 minutes ago' "$T_TMP/cut.log"
ing "$T_TMP/cut.db" "$T_TMP/cut.log"
t_expect_rc 0
want_err ""
report lines=1 recognised=0 unrecognised=1 records=0 held=0
touch -d '9 minutes ago' "$T_TMP/cut.log"
ing "$T_TMP/cutq.db" "$T_TMP/cut.log"
report lines=12 held=1
# a reply cut by syslog at 1024 bytes still decides the verdict
verdict "$T_TMP/cut.db" cut-1@bad.example "fay@example.com bounced recipient"
verdict "$T_TMP/cut.db" cut-3@bad.example "hal@example.com delivered recipient"
# --final: the file is complete, its cut last line is read as it is
t_run mt ingest --db "$T_TMP/cutv.db" --year 2026 --final -v "$B/cut.log"
t_expect_rc 0
printf '%s\n' "msgtrail: $B/cut.log:6: unrecognised line" "msgtrail: $B/cut.log:13: unrecognised line" >"$T_TMP/want"
t_expect_file "$T_TMP/err" "$T_TMP/want"
grep -q '13 lines, 11 recognised, 2 unrecognised, 0 errors, 11 records stored' "$T_TMP/out" || t_fail "--final report: $(cat "$T_TMP/out")"
t_run mt ingest --db "$T_TMP/cutf.db" --follow --final "$B/cut.log"
t_expect_rc 2
want_err "msgtrail ingest: --follow and --final cannot be used together\n(try 'msgtrail ingest --help')\n"

# truncated DB NAME COMP: a compressed log cut in half stores the records
# before the cut, exactly those of the plain lines before the line named
# in the message
$GEN 2026-11-01 -n 2000 >"$T_TMP/gen.log"
truncated() {
	case $2 in
	gzip) gzip -c "$T_TMP/gen.log" >"$T_TMP/full.$2" ;;
	zstd) zstd -q -c "$T_TMP/gen.log" >"$T_TMP/full.$2" ;;
	esac
	size=$(wc -c <"$T_TMP/full.$2")
	head -c $((size / 2)) "$T_TMP/full.$2" >"$T_TMP/cut.$2"
	ing "$1" "$T_TMP/cut.$2"
	t_expect_rc 0
	no_crash
	line=$(sed -n "s|^msgtrail: $T_TMP/cut.$2:\([0-9]*\): truncated $2 stream\$|\1|p" "$T_TMP/err")
	[ -n "$line" ] && [ "$(wc -l <"$T_TMP/err")" = 1 ] || { t_fail "stderr: $(cat "$T_TMP/err")"; return; }
	report lines=$((line - 1)) errors=1
	head -n $((line - 1)) "$T_TMP/gen.log" >"$T_TMP/prefix.log"
	mt ingest --db "$1.ref" -q "$T_TMP/prefix.log"
	[ "$(records "$1")" = "$(records "$1.ref")" ] || t_fail "records $(records "$1"), want $(records "$1.ref")"
	mt trace --db "$1" --json m-20261101-7@gen.example >"$T_TMP/a.json"
	mt trace --db "$1.ref" --json m-20261101-7@gen.example >"$T_TMP/b.json"
	t_expect_file "$T_TMP/a.json" "$T_TMP/b.json"
	grep -q '"delivered"' "$T_TMP/a.json" || t_fail "m-20261101-7 not delivered"
	ing "$1" --strict "$T_TMP/cut.$2"
	t_expect_rc 3
	report records=0 errors=1
}
t_case truncated_gzip
truncated "$T_TMP/tgz.db" gzip
t_case truncated_zstd
truncated "$T_TMP/tzst.db" zstd

t_case json_wrong_types
ing "$T_TMP/wt.db" "$B/ses-wrong-type.ndjson"
t_expect_rc 0
want_err "msgtrail: $B/ses-wrong-type.ndjson:2: SES: \"delivery.recipients\" is not an array\nmsgtrail: $B/ses-wrong-type.ndjson:3: SES: \"mail.destination\" is not an array\n"
report lines=4 recognised=2 errors=2 records=2
verdict "$T_TMP/wt.db" ida@example.org "ida@example.org delivered recipient"
t_run mt trace --db "$T_TMP/wt.db" jo@example.org
t_expect_rc 1

t_case json_missing_mail
ing "$T_TMP/nm.db" "$B/ses-no-mail.ndjson"
t_expect_rc 0
want_err "msgtrail: $B/ses-no-mail.ndjson:2: SES: no \"mail\" object\n"
report lines=3 recognised=2 errors=1 records=2
verdict "$T_TMP/nm.db" kim@example.org "kim@example.org delivered recipient"

t_case json_unknown_event_type
ing "$T_TMP/uk.db" "$B/ses-unknown-type.ndjson"
t_expect_rc 0
want_err "msgtrail: $B/ses-unknown-type.ndjson:2: SES: unknown event type \"Teleport\"\n"
report lines=3 recognised=2 errors=1 records=2
verdict "$T_TMP/uk.db" lee@example.org "lee@example.org delivered recipient"

t_case json_deep_nesting
ing "$T_TMP/deep.db" "$B/ses-deep.ndjson"
t_expect_rc 0
want_err "msgtrail: $B/ses-deep.ndjson:2: JSON nested deeper than 64 levels, skipped\n"
report lines=3 recognised=2 errors=1 records=2
verdict "$T_TMP/deep.db" max@example.org "max@example.org delivered recipient"

t_case json_100mb_object_streamed
# written to a pipe as it is made: the object is never on disk, and the
# reader must not hold it whole either
python3 - "$MSGTRAIL" "$T_TOP/sample-logs/ses/events.ndjson" "$T_TMP/big.db" >"$T_TMP/out" <<'PY' || t_fail "$(cat "$T_TMP/out")"
import json, resource, subprocess, sys, threading
prog, ses, db = sys.argv[1:4]
lines = open(ses).read().splitlines()
p = subprocess.Popen([prog, "ingest", "--db", db, "--json", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
got = {}
def rd(k, f): got[k] = f.read()
ts = [threading.Thread(target=rd, args=a) for a in (("out", p.stdout), ("err", p.stderr))]
for t in ts: t.start()
w = p.stdin
w.write((lines[0] + "\n").encode())
w.write(b'{"eventType": "Send", "mail": {"messageId": "huge", "headers": [')
pad = b'{"name": "X-Pad", "value": "' + b"a" * 1000 + b'"},'
for i in range(100 * 1024 * 1024 // len(pad) + 1):
    w.write(pad)
w.write(b'{"name": "X-End", "value": ""}]}, "send": {}}\n')
w.write(("\n".join(lines[1:]) + "\n").encode())
w.close()
rc = p.wait()
for t in ts: t.join()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss	# KiB
r = json.loads(got["out"])
assert rc == 0, (rc, got)
assert got["err"] == b"msgtrail: (stdin):2: JSON object larger than 4194304 bytes, skipped\n", got["err"]
assert r["bytes"] > 100 * 1024 * 1024 and r["errors"] == 1 and r["records"] == len(lines), r
assert peak < 40 * 1024, "peak RSS %d KiB" % peak
PY
verdict "$T_TMP/big.db" zoe@example.net "zoe@example.net deferred recipient"

t_case file_does_not_exist
ing "$T_TMP/ne.db" "$T_TMP/no-such.log" "$B/nul.log"
t_expect_rc 4
want_err "msgtrail: $T_TMP/no-such.log: No such file or directory\nmsgtrail: $B/nul.log:3: NUL byte in line, skipped\n"
# the other input is read all the same
verdict "$T_TMP/ne.db" nul-after@bad.example "ben@example.org delivered recipient"

t_case directory_with_no_files
mkdir -p "$T_TMP/empty/sub"
t_run mt ingest --db "$T_TMP/ed.db" "$T_TMP/empty"
t_expect_rc 0
want_err "msgtrail: $T_TMP/empty: no files in directory\n"
printf 'total: 0 lines, 0 recognised, 0 unrecognised, 0 errors, 0 records stored, ' >"$T_TMP/want"
head -c "$(wc -c <"$T_TMP/want")" "$T_TMP/out" >"$T_TMP/got"
t_expect_file "$T_TMP/got" "$T_TMP/want"

t_case directory_holding_the_store
# a directory argument that holds the store: the store is not read as a log
mkdir -p "$T_TMP/logs"
cp "$B/nul.log" "$T_TMP/logs/"
ing "$T_TMP/logs/s.db" "$T_TMP/logs"
ing "$T_TMP/logs/s.db" "$T_TMP/logs"
t_expect_rc 0
want_err ""
report files=1 lines=0

# as_nobody CMD...: run as an unprivileged user when we are root (root
# reads and writes whatever the permission bits say)
NOBODY=""
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		NOBODY="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
		chmod 755 "$T_TMP"
		# nobody must reach the program, the inputs and our directory
		$NOBODY sh -c 'test -x "$1" && test -r "$2" && test -x "$3"' sh \
		    "$MSGTRAIL" "$B/nul.log" "$T_TMP" 2>/dev/null || NOBODY=""
	fi
fi
can_drop() { [ "$(id -u)" != 0 ] || [ -n "$NOBODY" ]; }

t_case unreadable_file
if ! can_drop; then
	t_skip "running as root and cannot run as nobody (setpriv): root can read any file"
else
	mkdir -m 777 "$T_TMP/u"
	cp "$B/nul.log" "$T_TMP/u/ok.log"
	printf 'secret\n' >"$T_TMP/u/locked.log"
	chmod 644 "$T_TMP/u/ok.log"; chmod 000 "$T_TMP/u/locked.log"
	t_run $NOBODY "$MSGTRAIL" ingest --db "$T_TMP/u/s.db" --year 2026 --json "$T_TMP/u/locked.log" "$T_TMP/u/ok.log"
	t_expect_rc 4
	want_err "msgtrail: $T_TMP/u/locked.log: Permission denied\nmsgtrail: $T_TMP/u/ok.log:3: NUL byte in line, skipped\n"
	verdict "$T_TMP/u/s.db" nul-after@bad.example "ben@example.org delivered recipient"
fi

t_case store_not_sqlite
python3 -c 'import sys; sys.stdout.write("Nov  2 09:15:01 not a database\n" * 200)' >"$T_TMP/notdb.db"
cp "$T_TMP/notdb.db" "$T_TMP/notdb.orig"
ing "$T_TMP/notdb.db" "$LOG"
t_expect_rc 4
want_err "msgtrail: $T_TMP/notdb.db: not a msgtrail store (file is not a database)\n"
t_run mt trace --db "$T_TMP/notdb.db" order-1001@shop.example.com
t_expect_rc 4
want_err "msgtrail: $T_TMP/notdb.db: not a msgtrail store (file is not a database)\n"
t_expect_file "$T_TMP/notdb.db" "$T_TMP/notdb.orig"

t_case store_future_schema
mt ingest --db "$T_TMP/fut.db" --year 2026 -q "$LOG"
sqlite3 "$T_TMP/fut.db" "UPDATE meta SET value = 99 WHERE key = 'schema_version'"
for cmd in "ingest --year 2026 $B/nul.log" "trace order-1001@shop.example.com" "prune" "stats" "summary"; do
	t_run mt $cmd --db "$T_TMP/fut.db"
	t_expect_rc 4
	want_err "msgtrail: $T_TMP/fut.db: store schema version 99 is newer than this msgtrail supports (2)\n"
done
[ "$(sqlite3 "$T_TMP/fut.db" 'SELECT count(*) FROM blocks')" -gt 0 ] || t_fail "blocks lost"

t_case store_old_schema
mt ingest --db "$T_TMP/old.db" --year 2026 -q "$LOG"
sqlite3 "$T_TMP/old.db" "UPDATE meta SET value = 1 WHERE key = 'schema_version'"
t_run mt trace --db "$T_TMP/old.db" order-1001@shop.example.com
t_expect_rc 4
want_err "msgtrail: $T_TMP/old.db: store schema version 1 is older than this msgtrail supports (2) and cannot be upgraded; ingest into a new store\n"

t_case store_read_only
if ! can_drop; then
	t_skip "running as root and cannot run as nobody (setpriv): root can write a read-only store"
else
	mkdir "$T_TMP/ro"
	mt ingest --db "$T_TMP/ro/s.db" --year 2026 -q "$LOG"
	mt trace --db "$T_TMP/ro/s.db" --json order-1001@shop.example.com >"$T_TMP/ro.json"
	chmod 444 "$T_TMP/ro/s.db"; chmod 555 "$T_TMP/ro"
	t_run $NOBODY "$MSGTRAIL" ingest --db "$T_TMP/ro/s.db" --year 2026 "$B/nul.log"
	t_expect_rc 4
	want_err "msgtrail: $T_TMP/ro/s.db: store is read-only (cannot write to it)\n"
	t_run $NOBODY "$MSGTRAIL" trace --db "$T_TMP/ro/s.db" --json order-1001@shop.example.com
	t_expect_rc 0
	t_expect_file "$T_TMP/out" "$T_TMP/ro.json"
	t_run $NOBODY "$MSGTRAIL" prune --db "$T_TMP/ro/s.db"
	t_expect_rc 4
	want_err "msgtrail: $T_TMP/ro/s.db: store is read-only (cannot write to it)\n"
	chmod 755 "$T_TMP/ro"
fi

t_case full_disk
# ulimit -f caps the size of any file the process writes (512-byte blocks
# in sh): the first ingest fits, the second does not
$GEN 2026-11-02 -n 3000 >"$T_TMP/day.log"
mt ingest --db "$T_TMP/full.db" --year 2026 -q "$LOG"
t_run sh -c "ulimit -f 1000; MSGTRAIL_BATCH_BYTES=200000 exec \"$MSGTRAIL\" ingest --db \"$T_TMP/full.db\" --json \"$T_TMP/day.log\""
t_expect_rc 4
no_crash
want_err "msgtrail: $T_TMP/full.db: COMMIT: disk I/O error (File too large)\n"
# the store opens, what was committed traces, and the report counts only it
t_run mt stats --db "$T_TMP/full.db" --json
t_expect_rc 0
verdict "$T_TMP/full.db" order-1001@shop.example.com "alice@example.org pending provider"
# the last committed batch ends on a line boundary recorded with it: the
# lines before it give exactly the records in the store
got=$(records "$T_TMP/full.db")
at=$(sqlite3 "$T_TMP/full.db" "SELECT line FROM files WHERE name = '$T_TMP/day.log'")
head -n "$at" "$T_TMP/day.log" >"$T_TMP/day-prefix.log"
mt ingest --db "$T_TMP/full-ref.db" --year 2026 -q "$LOG" "$T_TMP/day-prefix.log"
want=$(records "$T_TMP/full-ref.db")
[ "$got" = "$want" ] || t_fail "store holds $got records, the committed lines give $want"
[ "$at" -gt 0 ] && [ "$at" -lt "$(wc -l <"$T_TMP/day.log")" ] || t_fail "committed line $at: no batch was committed before the failure"
# a run without the limit completes the file, nothing twice
mt ingest --db "$T_TMP/full.db" --year 2026 -q "$T_TMP/day.log" || t_fail "re-run failed"
mt ingest --db "$T_TMP/full-all.db" --year 2026 -q "$LOG" "$T_TMP/day.log"
[ "$(records "$T_TMP/full.db")" = "$(records "$T_TMP/full-all.db")" ] || t_fail "after the re-run: $(records "$T_TMP/full.db") records, want $(records "$T_TMP/full-all.db")"

t_case bad_since_date
for cmd in trace summary "export failures"; do
	t_run mt $cmd --db "$T_TMP/nul.db" --since 2026-02-30 $( [ "$cmd" = trace ] && echo x)
	t_expect_rc 2
	c=${cmd% failures}
	want_err "msgtrail $c: --since: bad time '2026-02-30' (want YYYY-MM-DD or an RFC 3339 time such as 2026-11-02T09:15:00Z)\n(try 'msgtrail $c --help')\n"
done

t_case unknown_option
# getopt's line names the command; a "CMD: bad option" line after it, if
# any, says nothing more and is not part of the contract
unknown_opt() {
	sed '/^msgtrail [a-z]*: bad option$/d' "$T_TMP/err" >"$T_TMP/err2"
	printf "$1" >"$T_TMP/want"
	t_expect_file "$T_TMP/err2" "$T_TMP/want"
}
t_run mt ingest --db "$T_TMP/nul.db" --frobnicate "$B/nul.log"
t_expect_rc 2
unknown_opt "msgtrail ingest: unrecognized option '--frobnicate'\n(try 'msgtrail ingest --help')\n"
t_run mt export failures --db "$T_TMP/nul.db" -x
t_expect_rc 2
unknown_opt "msgtrail export: invalid option -- 'x'\n(try 'msgtrail export --help')\n"

t_case strict_turns_input_errors_into_3
ing "$T_TMP/st.db" --strict "$B/ses-deep.ndjson" "$B/crlf.log"
t_expect_rc 3
want_err "msgtrail: $B/ses-deep.ndjson:2: JSON nested deeper than 64 levels, skipped\n"
report files=2 errors=1
# unrecognised lines are not errors (--final: cut.log's cut last line is
# read, and not recognised)
ing "$T_TMP/st2.db" --strict --final "$B/crlf.log" "$B/cut.log"
t_expect_rc 0
# a last line held back unfinished is not stored: --strict says so
cp "$B/cut.log" "$T_TMP/cut3.log"
ing "$T_TMP/st3.db" --strict "$B/crlf.log" "$T_TMP/cut3.log"
t_expect_rc 3
want_err "msgtrail: $T_TMP/cut3.log:13: last line has no newline yet, held back until it is complete (--final stores it as it is)\n"
report files=2 errors=0 held=1

t_done
