# t_ingest.sh - ingest: every input form gives the same trace; ingesting
# again (same file, rotated copy, compressed copy, grown file) adds nothing
. "$(dirname "$0")/lib.sh"
LOG="$T_TOP/sample-logs/postfix/relay1.log"
ID='order-1001@shop.example.com'

# trace_norm DB: the trace of $ID as JSON without "raw" (journald records
# are stored as the syslog line built from them)
trace_norm() {
	mt trace --db "$1" --json "$ID" | python3 -c '
import json, sys
t = json.load(sys.stdin)
for m in t["messages"]:
    for e in m["events"]:
        e.pop("raw", None)
print(json.dumps(t, indent=1, sort_keys=True))'
}
ingest() {	# db, then inputs
	db=$1; shift
	mt ingest --db "$db" --year 2026 --tz UTC -q "$@"
}
# same_as_whole DB WHAT: DB holds what a store of the whole log holds (the
# trace of $ID and the number of records); $T_TMP/whole.db is that store
same_as_whole() {
	[ -f "$T_TMP/whole.db" ] || ingest "$T_TMP/whole.db" "$LOG"
	mt trace --db "$1" --json "$ID" >"$T_TMP/part.json"
	mt trace --db "$T_TMP/whole.db" --json "$ID" >"$T_TMP/whole.json"
	t_expect_file "$T_TMP/part.json" "$T_TMP/whole.json"
	a=$(mt stats --db "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
	b=$(mt stats --db "$T_TMP/whole.db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
	[ "$a" = "$b" ] || t_fail "$2: $a records, whole file: $b"
}

t_case plain_reference
ingest "$T_TMP/plain.db" "$LOG"
trace_norm "$T_TMP/plain.db" >"$T_TMP/ref.json"
[ -s "$T_TMP/ref.json" ] && grep -q '"queue_ids"' "$T_TMP/ref.json" || t_fail "no trace from the plain log"
grep -q '4A1B2C3D4E' "$T_TMP/ref.json" || t_fail "trace lacks queue ID 4A1B2C3D4E"

t_case gzip_same_trace
gzip -c "$LOG" >"$T_TMP/relay1.log.2.gz"
ingest "$T_TMP/gz.db" "$T_TMP/relay1.log.2.gz"
trace_norm "$T_TMP/gz.db" >"$T_TMP/gz.json"
t_expect_file "$T_TMP/gz.json" "$T_TMP/ref.json"

t_case zstd_same_trace
zstd -q -c "$LOG" >"$T_TMP/relay1.log.zst"
ingest "$T_TMP/zst.db" "$T_TMP/relay1.log.zst"
trace_norm "$T_TMP/zst.db" >"$T_TMP/zst.json"
t_expect_file "$T_TMP/zst.json" "$T_TMP/ref.json"

t_case stdin_same_trace
mt ingest --db "$T_TMP/stdin.db" --year 2026 --tz UTC -q - <"$LOG"
trace_norm "$T_TMP/stdin.db" >"$T_TMP/stdin.json"
t_expect_file "$T_TMP/stdin.json" "$T_TMP/ref.json"

t_case magic_not_name
# a gzip file named .log and a plain file named .gz are both read right
gzip -c "$LOG" >"$T_TMP/disguised.log"
cp "$LOG" "$T_TMP/plain.gz"
ingest "$T_TMP/dis.db" "$T_TMP/disguised.log"
trace_norm "$T_TMP/dis.db" >"$T_TMP/dis.json"
t_expect_file "$T_TMP/dis.json" "$T_TMP/ref.json"
ingest "$T_TMP/dis2.db" "$T_TMP/plain.gz"
trace_norm "$T_TMP/dis2.db" >"$T_TMP/dis2.json"
t_expect_file "$T_TMP/dis2.json" "$T_TMP/ref.json"

t_case journald_json_same_trace
python3 - "$LOG" >"$T_TMP/journal.json" <<'PY'
import json, sys, calendar, time, re
for line in open(sys.argv[1]):
    m = re.match(r'(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\S+) ([^\[:]+)(?:\[(\d+)\])?: (.*)', line.rstrip('\n'))
    if not m:
        continue
    mon = time.strptime(m.group(1), '%b').tm_mon
    ts = calendar.timegm((2026, mon, int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5))))
    rec = {"__REALTIME_TIMESTAMP": str(ts * 1000000), "_HOSTNAME": m.group(6),
           "SYSLOG_IDENTIFIER": m.group(7), "MESSAGE": m.group(9), "PRIORITY": "6"}
    if m.group(8):
        rec["_PID"] = m.group(8)
    print(json.dumps(rec))
PY
ingest "$T_TMP/jd.db" "$T_TMP/journal.json"
trace_norm "$T_TMP/jd.db" >"$T_TMP/jd.json"
t_expect_file "$T_TMP/jd.json" "$T_TMP/ref.json"

t_case short_iso_same_trace
python3 - "$LOG" >"$T_TMP/short-iso.log" <<'PY'
import sys, time, re
for line in open(sys.argv[1]):
    m = re.match(r'(\w{3}) +(\d+) (\d\d:\d\d:\d\d) (.*)', line.rstrip('\n'))
    if not m:
        continue
    mon = time.strptime(m.group(1), '%b').tm_mon
    print('2026-%02d-%02dT%s+0000 %s' % (mon, int(m.group(2)), m.group(3), m.group(4)))
PY
ingest "$T_TMP/iso.db" "$T_TMP/short-iso.log"
trace_norm "$T_TMP/iso.db" >"$T_TMP/iso.json"
t_expect_file "$T_TMP/iso.json" "$T_TMP/ref.json"

t_case ingest_twice_is_idempotent
DB="$T_TMP/twice.db"
ingest "$DB" "$LOG"
mt trace --db "$DB" --json "$ID" >"$T_TMP/once.json"
mt stats --db "$DB" --json >"$T_TMP/stats1.json"
t_run mt ingest --db "$DB" --year 2026 --tz UTC --json "$LOG"
t_expect_rc 0
t_expect_grep "$T_TMP/out" '"records": 0'
mt trace --db "$DB" --json "$ID" >"$T_TMP/twice.json"
t_expect_file "$T_TMP/twice.json" "$T_TMP/once.json"

t_case rotated_copies_add_nothing
cp "$LOG" "$T_TMP/mail.log.1"
gzip -c "$LOG" >"$T_TMP/mail.log.2.gz"
t_run mt ingest --db "$DB" --year 2026 --tz UTC --json "$T_TMP/mail.log.1" "$T_TMP/mail.log.2.gz"
t_expect_rc 0
t_expect_grep "$T_TMP/out" '"records": 0'
mt trace --db "$DB" --json "$ID" >"$T_TMP/rot.json"
t_expect_file "$T_TMP/rot.json" "$T_TMP/once.json"

t_case grown_file_read_from_offset
DB="$T_TMP/grow.db"
head -n 20 "$LOG" >"$T_TMP/grow.log"
ingest "$DB" "$T_TMP/grow.log"
cp "$LOG" "$T_TMP/grow.log"
ingest "$DB" "$T_TMP/grow.log"
same_as_whole "$DB" "grown file"

t_case report_counts
t_run mt ingest --db "$T_TMP/count.db" --year 2026 --tz UTC --json "$LOG"
t_expect_rc 0
python3 - "$T_TMP/out" "$LOG" <<'PY' || t_fail "ingest --json counts wrong: $(cat "$T_TMP/out")"
import json, sys
r = json.load(open(sys.argv[1]))
n = sum(1 for _ in open(sys.argv[2]))
assert r["lines"] == n, (r["lines"], n)
assert r["recognised"] + r["unrecognised"] + r["errors"] == n, r
assert r["records"] > 0 and r["records"] <= r["recognised"], r
PY

t_case directory_argument
mkdir -p "$T_TMP/dir"
cp "$LOG" "$T_TMP/dir/mail.log"
ingest "$T_TMP/dir.db" "$T_TMP/dir"
trace_norm "$T_TMP/dir.db" >"$T_TMP/dirt.json"
t_expect_file "$T_TMP/dirt.json" "$T_TMP/ref.json"

t_case unfinished_last_line_read_whole_next_run
# cron reads the log while syslog is writing line 13: the first run holds
# the half line back, the next run reads it whole; the store then equals
# one of the whole file (no half-line records)
DB="$T_TMP/half.db"
head -n 12 "$LOG" >"$T_TMP/half.log"
sed -n 13p "$LOG" | head -c 30 >>"$T_TMP/half.log"
t_run mt ingest --db "$DB" --year 2026 --tz UTC "$T_TMP/half.log"
t_expect_rc 0
printf 'msgtrail: %s:13: last line has no newline yet, held back until it is complete (--final stores it as it is)\n' "$T_TMP/half.log" >"$T_TMP/want"
t_expect_file "$T_TMP/err" "$T_TMP/want"
grep -q '^[^ ]*: 12 lines, 12 recognised, 0 unrecognised' "$T_TMP/out" || t_fail "first run: $(cat "$T_TMP/out")"
cp "$LOG" "$T_TMP/half.log"
t_run mt ingest --db "$DB" --year 2026 --tz UTC "$T_TMP/half.log"
t_expect_rc 0
n=$(wc -l <"$LOG")
grep -q "^[^ ]*: $((n - 12)) lines, $((n - 12)) recognised, 0 unrecognised" "$T_TMP/out" || t_fail "second run: $(cat "$T_TMP/out")"
same_as_whole "$DB" "after the line was finished"

t_case unfinished_last_line_of_complete_inputs
# compressed files and standard input are complete: their last line is read
head -n 12 "$LOG" >"$T_TMP/end.log"
sed -n 13p "$LOG" | tr -d '\n' >>"$T_TMP/end.log"
gzip -c "$T_TMP/end.log" >"$T_TMP/end.log.1.gz"
for src in gz stdin final; do
	case $src in
	gz)	t_run mt ingest --db "$T_TMP/end-$src.db" --year 2026 --tz UTC "$T_TMP/end.log.1.gz" ;;
	stdin)	t_run mt ingest --db "$T_TMP/end-$src.db" --year 2026 --tz UTC - <"$T_TMP/end.log" ;;
	final)	t_run mt ingest --db "$T_TMP/end-$src.db" --year 2026 --tz UTC --final "$T_TMP/end.log" ;;
	esac
	t_expect_rc 0
	[ -s "$T_TMP/err" ] && t_fail "$src: $(cat "$T_TMP/err")"
	grep -q ': 13 lines, 13 recognised, 0 unrecognised' "$T_TMP/out" || t_fail "$src: $(cat "$T_TMP/out")"
done

t_done
