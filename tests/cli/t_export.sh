#!/bin/sh
# t_export.sh - msgtrail export failures: RFC 4180 CSV read back with
# Python's csv module; rows, columns, the formula guard, --raw,
# --summary, an empty window, and the verdicts of the sample logs.
. "$(dirname "$0")/lib.sh"

DB=$T_TMP/t.db
IN=$T_TMP/in
mkdir -p "$IN"

# A relay log and an SES bounce written for this test: a bounce with a
# User unknown reply, a relay-denied NOQUEUE reject, an expiry after DNS
# deferrals, a recipient starting with '=' whose reply holds quotes and
# commas, a delivery; and a multi-line remote reply from the provider.
cat >"$IN/relay.log" <<'LOG'
Nov  2 09:15:01 relay1 postfix/pickup[2101]: 4A1B2C3D4E: uid=1001 from=<shop@shop.example.com>
Nov  2 09:15:01 relay1 postfix/cleanup[2102]: 4A1B2C3D4E: message-id=<order-1001@shop.example.com>
Nov  2 09:15:01 relay1 postfix/qmgr[2103]: 4A1B2C3D4E: from=<shop@shop.example.com>, size=2048, nrcpt=1 (queue active)
Nov  2 09:15:03 relay1 postfix/smtp[2104]: 4A1B2C3D4E: to=<alice@example.org>, relay=mx.example.org[192.0.2.10]:25, delay=2.1, delays=0.1/0/1.2/0.8, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XkQ2m1Zz8z9v)
Nov  2 09:15:03 relay1 postfix/qmgr[2103]: 4A1B2C3D4E: removed
Nov  2 10:10:00 relay1 postfix/smtpd[2200]: 7D4E5F6A7B: client=app1[10.0.0.5]
Nov  2 10:10:00 relay1 postfix/cleanup[2102]: 7D4E5F6A7B: message-id=<pw-4004@accounts.example.com>
Nov  2 10:10:00 relay1 postfix/qmgr[2103]: 7D4E5F6A7B: from=<noreply@accounts.example.com>, size=1500, nrcpt=1 (queue active)
Nov  2 10:10:01 relay1 postfix/smtp[2206]: 7D4E5F6A7B: to=<frank@example.com>, relay=mx1.example.com[198.51.100.7]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=5.1.1, status=bounced (host mx1.example.com[198.51.100.7] said: 550 5.1.1 <frank@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))
Nov  2 10:10:01 relay1 postfix/bounce[2207]: 7D4E5F6A7B: sender non-delivery notification: 8E5F6A7B8C
Nov  2 10:10:01 relay1 postfix/qmgr[2103]: 7D4E5F6A7B: removed
Nov  2 10:20:00 relay1 postfix/smtpd[2200]: NOQUEUE: reject: RCPT from unknown[192.0.2.50]: 554 5.7.1 <mallory@example.org>: Relay access denied; from=<spam@bad.example> to=<mallory@example.org> proto=ESMTP helo=<bad.example>
Nov  2 10:30:00 relay1 postfix/smtpd[2200]: C29DAEBFC0: client=app1[10.0.0.5]
Nov  2 10:30:00 relay1 postfix/cleanup[2102]: C29DAEBFC0: message-id=<rem-7007@shop.example.com>
Nov  2 10:30:00 relay1 postfix/qmgr[2103]: C29DAEBFC0: from=<shop@shop.example.com>, size=1800, nrcpt=1 (queue active)
Nov  2 10:30:01 relay1 postfix/smtp[2208]: C29DAEBFC0: to=<judy@unreachable.example>, relay=none, delay=1, delays=0.1/0/0.9/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=unreachable.example type=MX: Host not found, try again)
Nov  2 11:30:01 relay1 postfix/qmgr[2103]: C29DAEBFC0: from=<shop@shop.example.com>, status=expired, returned to sender
Nov  2 11:30:01 relay1 postfix/qmgr[2103]: C29DAEBFC0: removed
Nov  2 12:00:00 relay1 postfix/smtpd[2200]: D3AEBFC0D1: client=app1[10.0.0.5]
Nov  2 12:00:00 relay1 postfix/cleanup[2102]: D3AEBFC0D1: message-id=<odd-1@shop.example.com>
Nov  2 12:00:00 relay1 postfix/qmgr[2103]: D3AEBFC0D1: from=<shop@shop.example.com>, size=900, nrcpt=1 (queue active)
Nov  2 12:00:02 relay1 postfix/smtp[2209]: D3AEBFC0D1: to=<=1+1@example.com>, relay=mx1.example.com[198.51.100.7]:25, delay=2, delays=0.1/0/1/0.9, dsn=5.7.1, status=bounced (host mx1.example.com[198.51.100.7] said: 550-5.7.1 Message "rejected", see policy, and contact us 550 5.7.1 at postmaster@example.com (in reply to end of DATA command))
Nov  2 12:00:02 relay1 postfix/qmgr[2103]: D3AEBFC0D1: removed
LOG
cat >"$IN/ses.json" <<'JSON'
{"notificationType":"Bounce","bounce":{"feedbackId":"0102018f3a1b2c3d-11111111-2222-4333-8444-555555555555-000000","bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"carol@nonexistent.example","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550-5.1.1 The email account that you tried to reach does not exist, \"carol\".\n550-5.1.1 Please try double-checking the recipient's email address, for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser - gsmtp"}],"timestamp":"2026-11-02T09:20:09.000Z","remoteMtaIp":"142.250.27.26","reportingMTA":"dns; a7-12.smtp-out.eu-west-1.amazonses.com"},"mail":{"timestamp":"2026-11-02T09:20:05.000Z","source":"news@shop.example.com","sendingAccountId":"123456789012","messageId":"0102018f3a1b2c3d-b2b2b2b2-0002-4002-8002-000000000002-000000","destination":["carol@nonexistent.example"],"headersTruncated":false,"commonHeaders":{"from":["news@shop.example.com"],"to":["carol@nonexistent.example"],"messageId":"<news-2002@shop.example.com>","subject":"News"}}}
JSON

# csvcheck FILE PYTHON: parse FILE with csv (CRLF checked) and run the code
# with rows bound; the code prints problems, one a line.
csvcheck() {
	python3 - "$1" "$2" >"$T_TMP/py" 2>&1 <<'PY'
import csv, io, sys
data = open(sys.argv[1], 'rb').read()
text = data.decode('utf-8')
# every record ends with CRLF; bare LF only inside quoted fields
rows = list(csv.reader(io.StringIO(text, newline=''), strict=True))
if not text.endswith('\r\n'):
    print('output does not end with CRLF')
exec(sys.argv[2])
PY
	if [ -s "$T_TMP/py" ]; then t_fail "$(cat "$T_TMP/py")"; fi
}

t_case ingest
t_run mt ingest --db "$DB" --year 2026 --tz UTC "$IN/relay.log" "$IN/ses.json"
t_expect_rc 0

t_case export_rows
t_run mt export failures --db "$DB"
t_expect_rc 0
cp "$T_TMP/out" "$T_TMP/rows.csv"
csvcheck "$T_TMP/rows.csv" '
hdr = ["time","recipient","domain","outcome","stage","class","dsn","detail","message_id","provider_id","queue_ids","hint"]
if rows[0] != hdr: print("header", rows[0])
body = rows[1:]
for r in body:
    if len(r) != 12: print("columns", r)
got = [r[:11] for r in body]
want = [
 ["2026-11-02T09:20:09Z","carol@nonexistent.example","nonexistent.example","bounced","recipient","unknown-recipient","5.1.1",
  "smtp; 550-5.1.1 The email account that you tried to reach does not exist, \"carol\".\n550-5.1.1 Please try double-checking the recipient\x27s email address, for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser - gsmtp",
  "news-2002@shop.example.com","0102018f3a1b2c3d-b2b2b2b2-0002-4002-8002-000000000002-000000",""],
 ["2026-11-02T10:10:01Z","frank@example.com","example.com","bounced","recipient","unknown-recipient","5.1.1",
  "host mx1.example.com[198.51.100.7] said: 550 5.1.1 <frank@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)",
  "pw-4004@accounts.example.com","","7D4E5F6A7B"],
 ["2026-11-02T10:20:00Z","mallory@example.org","example.org","failed","relay","relay-denied","5.7.1",
  "554 5.7.1 <mallory@example.org>: Relay access denied","","",""],
 ["2026-11-02T11:30:01Z","judy@unreachable.example","unreachable.example","failed","relay","expired","4.4.3",
  "Host or domain name not found. Name service error for name=unreachable.example type=MX: Host not found, try again",
  "rem-7007@shop.example.com","","C29DAEBFC0"],
 ["2026-11-02T12:00:02Z","\x27=1+1@example.com","example.com","bounced","recipient","policy","5.7.1",
  "host mx1.example.com[198.51.100.7] said: 550-5.7.1 Message \"rejected\", see policy, and contact us 550 5.7.1 at postmaster@example.com (in reply to end of DATA command)",
  "odd-1@shop.example.com","","D3AEBFC0D1"],
]
if got != want:
    for g, w in zip(got + [None] * 9, want):
        if g != w: print("got ", g); print("want", w)
    if len(got) != len(want): print("rows", len(got), "want", len(want))
hints = {r[1]: r[11] for r in body}
if not hints.get("frank@example.com", "").startswith("fix the address"): print("hint", hints.get("frank@example.com"))
if "maximal_queue_lifetime" not in hints.get("judy@unreachable.example", ""): print("hint", hints.get("judy@unreachable.example"))
'

t_case export_raw
t_run mt export failures --db "$DB" --raw
t_expect_rc 0
csvcheck "$T_TMP/out" '
r = [x[1] for x in rows[1:]]
if "=1+1@example.com" not in r: print("raw recipient missing", r)
if any(x.startswith("\x27") for x in r): print("guard in raw mode", r)
'

t_case export_output_file
t_run mt export failures --db "$DB" -o "$T_TMP/file.csv"
t_expect_rc 0
t_expect_file "$T_TMP/file.csv" "$T_TMP/rows.csv"

t_case export_summary
t_run mt export failures --db "$DB" --summary
t_expect_rc 0
csvcheck "$T_TMP/out" '
hdr = ["domain","stage","class","outcome","count","first_seen","last_seen","sample_message_id"]
if rows[0] != hdr: print("header", rows[0])
want = [
 ["example.com","recipient","policy","bounced","1","2026-11-02T12:00:02Z","2026-11-02T12:00:02Z","odd-1@shop.example.com"],
 ["example.com","recipient","unknown-recipient","bounced","1","2026-11-02T10:10:01Z","2026-11-02T10:10:01Z","pw-4004@accounts.example.com"],
 ["example.org","relay","relay-denied","failed","1","2026-11-02T10:20:00Z","2026-11-02T10:20:00Z",""],
 ["nonexistent.example","recipient","unknown-recipient","bounced","1","2026-11-02T09:20:09Z","2026-11-02T09:20:09Z","news-2002@shop.example.com"],
 ["unreachable.example","relay","expired","failed","1","2026-11-02T11:30:01Z","2026-11-02T11:30:01Z","rem-7007@shop.example.com"],
]
if rows[1:] != want:
    print("got ", rows[1:]); print("want", want)
'

t_case export_summary_counts
# the same domain/stage/class/outcome twice: one row, count 2, sorted first
sed -e 's/7D4E5F6A7B/7D4E5F6A7C/g' -e 's/pw-4004/pw-4005/' -e 's/10:10:0/13:10:0/' \
    "$IN/relay.log" | grep 7D4E5F6A7C >"$IN/more.log"
t_run mt ingest --db "$DB" --year 2026 --tz UTC "$IN/more.log"
t_expect_rc 0
t_run mt export failures --db "$DB" --summary
t_expect_rc 0
csvcheck "$T_TMP/out" '
if rows[1] != ["example.com","recipient","unknown-recipient","bounced","2","2026-11-02T10:10:01Z","2026-11-02T13:10:01Z","pw-4004@accounts.example.com"]:
    print("first row", rows[1])
if len(rows) != 6: print("rows", len(rows))
'

t_case export_window
t_run mt export failures --db "$DB" --since "2026-11-02T10:15:00Z" --until "2026-11-02T11:59:00Z"
t_expect_rc 0
csvcheck "$T_TMP/out" '
if [r[1] for r in rows[1:]] != ["mallory@example.org", "judy@unreachable.example"]: print("window rows", rows[1:])
'

t_case export_empty_window
t_run mt export failures --db "$DB" --since 2025-01-01 --until 2025-01-02
t_expect_rc 0
printf 'time,recipient,domain,outcome,stage,class,dsn,detail,message_id,provider_id,queue_ids,hint\r\n' >"$T_TMP/hdr"
t_expect_file "$T_TMP/out" "$T_TMP/hdr"
t_run mt export failures --db "$DB" --since 2025-01-01 --until 2025-01-02 --summary
t_expect_rc 0
printf 'domain,stage,class,outcome,count,first_seen,last_seen,sample_message_id\r\n' >"$T_TMP/hdr"
t_expect_file "$T_TMP/out" "$T_TMP/hdr"

# The sample logs: verdicts from sample-logs/SCENARIOS.md.
t_case export_sample_logs
if [ ! -f "$T_TOP/sample-logs/postfix/relay1.log" ]; then
	t_skip "sample-logs/postfix/relay1.log not present"
else
	t_run mt ingest --db "$T_TMP/s.db" --year 2026 --tz UTC "$T_TOP/sample-logs"
	t_run mt export failures --db "$T_TMP/s.db"
	t_expect_rc 0
	csvcheck "$T_TMP/out" '
v = {r[1]: (r[3], r[4], r[5]) for r in rows[1:]}
want = {
 "carol@nonexistent.example": ("bounced", "recipient", "unknown-recipient"),
 "dave@example.com": ("dropped", "provider", "suppressed"),
 "frank@example.com": ("bounced", "recipient", "unknown-recipient"),
 "judy@unreachable.example": ("failed", "relay", "expired"),
 "peggy@example.com": ("failed", "application", "unverified-sender"),
 "trent@example.com": ("failed", "application", "quota"),
 "xavier@example.org": ("dropped", "provider", "virus"),
 "yvonne@example.org": ("dropped", "provider", "rendering"),
 "zoe@example.net": ("deferred", "recipient", "connection"),
}
for k, w in sorted(want.items()):
    if k in v and v[k] != w: print(k, v[k], "want", w)
for k in ("alice@example.org", "bob@example.net", "erin@example.net", "grace@example.org", "victor@example.net"):
    if k in v: print("not a failure:", k, v[k])
'
fi

# A write error stops the export early, with blocks still being parsed
# ahead on the worker threads: reported, exit 4, nothing leaked (ASan).
t_case export_write_error_stops_cleanly
python3 "$T_TOP/tests/cli/gen_days.py" 2026-11-01 2026-11-02 2026-11-03 2026-11-04 2026-11-05 2026-11-06 2026-11-07 2026-11-08 -n 300 |
    sed 's/dsn=2\.0\.0, status=sent (250 2\.0\.0 Ok: queued as R[0-9A-F]*)/dsn=5.1.1, status=bounced (host mx.dest.example[192.0.2.10] said: 550 5.1.1 no such user (in reply to RCPT TO command))/' >"$T_TMP/b.log"
t_run mt ingest --db "$T_TMP/b.db" --year 2026 --tz UTC "$T_TMP/b.log"
t_expect_rc 0
t_run mt export failures --db "$T_TMP/b.db"
t_expect_rc 0
[ "$(grep -c ',bounced,' "$T_TMP/out")" = 2400 ] || t_fail "want 2400 bounced rows: $(grep -c ',bounced,' "$T_TMP/out")"
if [ -w /dev/full ]; then
	t_run mt export failures --db "$T_TMP/b.db" -o /dev/full
	t_expect_rc 4
	want_once() { [ "$(grep -c 'No space left on device' "$T_TMP/err")" = 1 ] || t_fail "want one write error: $(cat "$T_TMP/err")"; }
	want_once
	mt export failures --db "$T_TMP/b.db" >/dev/full 2>"$T_TMP/err"
	T_RC=$?
	t_expect_rc 4
	want_once
fi

t_done
