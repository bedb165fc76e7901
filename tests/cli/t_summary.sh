#!/bin/sh
# t_summary.sh - msgtrail summary: totals of a small log checked exactly,
# --json read back with Python, and the relay totals compared with
# pflogsumm's Grand Totals on the sample Postfix log and on the Postfix
# logs of the shared corpus (read in place, never copied).
. "$(dirname "$0")/lib.sh"

# pfsum FILE: "received delivered deferred bounced rejected" by pflogsumm
pfsum() {
	# multi-instance names (postfix-out/smtp) need --syslog-name
	sn=$(grep -Eo -m1 ' postfix-[^/ ]+/' "$1" | tr -d ' /')
	pflogsumm ${sn:+--syslog-name="$sn"} "$1" 2>/dev/null | awk '
	/^ *[0-9]+[km]? +received$/ { r = $1 }
	/^ *[0-9]+[km]? +delivered$/ { d = $1 }
	/^ *[0-9]+[km]? +deferred/ { df = $1 }
	/^ *[0-9]+[km]? +bounced$/ { b = $1 }
	/^ *[0-9]+[km]? +rejected \(/ { rj = $1 }
	END { print d, df, b, rj }'
}
# mtsum DB: the same four numbers from msgtrail summary --json
mtsum() {
	mt summary --db "$1" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)["relay"]
print(r["delivered"], r["deferred"], r["bounced"], r["rejected"])'
}
# compare NAME FILE: ingest FILE alone, compare with pflogsumm
compare() {
	rm -f "$T_TMP/c.db" "$T_TMP/c.db-wal" "$T_TMP/c.db-shm"
	mt ingest -q --final --db "$T_TMP/c.db" --year 2026 --tz UTC "$2" >/dev/null 2>&1
	m=$(mtsum "$T_TMP/c.db")
	p=$(pfsum "$2")
	[ "$m" = "$p" ] || t_fail "$1: msgtrail [$m] pflogsumm [$p] (delivered deferred bounced rejected)"
}

cat >"$T_TMP/relay.log" <<'LOG'
Nov  2 09:15:01 relay1 postfix/pickup[2101]: 4A1B2C3D4E: uid=1001 from=<shop@shop.example.com>
Nov  2 09:15:01 relay1 postfix/cleanup[2102]: 4A1B2C3D4E: message-id=<order-1001@shop.example.com>
Nov  2 09:15:01 relay1 postfix/qmgr[2103]: 4A1B2C3D4E: from=<shop@shop.example.com>, size=2048, nrcpt=1 (queue active)
Nov  2 09:15:03 relay1 postfix/smtp[2104]: 4A1B2C3D4E: to=<alice@example.org>, relay=email-smtp.eu-west-1.amazonaws.com[52.48.11.22]:587, delay=2.1, delays=0.1/0/1.2/0.8, dsn=2.0.0, status=sent (250 Ok 0102018f3a1b2c3d-a1a1a1a1-0001-4001-8001-000000000001-000000)
Nov  2 09:15:03 relay1 postfix/qmgr[2103]: 4A1B2C3D4E: removed
Nov  2 09:30:00 relay1 postfix/smtpd[2200]: 6C3D4E5F6A: client=app1[10.0.0.5]
Nov  2 09:30:00 relay1 postfix/cleanup[2102]: 6C3D4E5F6A: message-id=<inv-3003@billing.example.com>
Nov  2 09:30:00 relay1 postfix/qmgr[2103]: 6C3D4E5F6A: from=<billing@billing.example.com>, size=4096, nrcpt=1 (queue active)
Nov  2 09:30:30 relay1 postfix/smtp[2204]: 6C3D4E5F6A: to=<erin@example.net>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.net[203.0.113.25]:25: Connection timed out)
Nov  2 09:45:30 relay1 postfix/smtp[2204]: 6C3D4E5F6A: to=<erin@example.net>, relay=none, delay=930, delays=900/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.net[203.0.113.25]:25: Connection timed out)
Nov  2 10:00:00 relay1 postfix/smtp[2205]: 6C3D4E5F6A: to=<erin@example.net>, relay=mx.example.net[203.0.113.25]:25, delay=1800, delays=1799/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XkQ2m1Zz8z9v)
Nov  2 10:00:00 relay1 postfix/qmgr[2103]: 6C3D4E5F6A: removed
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
LOG

t_case summary_json
t_run mt ingest --db "$T_TMP/t.db" --year 2026 --tz UTC "$T_TMP/relay.log"
t_expect_rc 0
t_run mt summary --db "$T_TMP/t.db" --json
t_expect_rc 0
python3 - "$T_TMP/out" >"$T_TMP/py" 2>&1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
def eq(name, got, want):
    if got != want: print(name, got, "want", want)
eq("relay", s["relay"], {"received": 4, "delivered": 2, "deferred": 2,
   "deferrals": 3, "bounced": 1, "rejected": 1, "expired": 1})
eq("first", s["first"], "2026-11-02T09:15:01Z")
eq("last", s["last"], "2026-11-02T11:30:01Z")
r = s["recipients"]
eq("relay stage", r["by_stage"]["relay"]["failed"], 2)
eq("provider pending", r["by_stage"]["provider"]["pending"], 1)
eq("recipient delivered", r["by_stage"]["recipient"]["delivered"], 1)
eq("recipient bounced", r["by_stage"]["recipient"]["bounced"], 1)
eq("total", sum(r["total"].values()), 5)
eq("deferred_once", r["deferred_once"], 2)
eq("still_deferred", r["still_deferred"], 0)
eq("domains", s["top_domains"], [{"domain": "example.com", "count": 1},
   {"domain": "example.org", "count": 1},
   {"domain": "unreachable.example", "count": 1}])
eq("classes", [c["class"] for c in s["top_classes"]],
   ["expired", "relay-denied", "unknown-recipient"])
eq("relays", s["top_relays"], [{"relay": "email-smtp.eu-west-1.amazonaws.com", "count": 1},
   {"relay": "mx.example.net", "count": 1}])
PY
[ -s "$T_TMP/py" ] && t_fail "$(cat "$T_TMP/py")"

t_case summary_text
t_run mt summary --db "$T_TMP/t.db"
t_expect_rc 0
t_expect_grep "$T_TMP/out" '^ *2  delivered  '
t_expect_grep "$T_TMP/out" '^ *2  deferred   queue IDs deferred at least once (3 deferrals)'
t_expect_grep "$T_TMP/out" '^ *1  rejected   '
t_expect_grep "$T_TMP/out" '^Top failing recipient domains'

t_case summary_window
t_run mt summary --db "$T_TMP/t.db" --json --since "2026-11-02T10:05:00Z" --until "2026-11-02T10:25:00Z"
t_expect_rc 0
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["relay"]
w = {"received": 1, "delivered": 0, "deferred": 0, "deferrals": 0, "bounced": 1, "rejected": 1, "expired": 0}
if r != w: print(r, "want", w)' "$T_TMP/out" >"$T_TMP/py" 2>&1
[ -s "$T_TMP/py" ] && t_fail "$(cat "$T_TMP/py")"

t_case summary_vs_pflogsumm
if ! command -v pflogsumm >/dev/null 2>&1; then
	t_skip "pflogsumm is not installed (Debian package pflogsumm)"
else
	compare inline "$T_TMP/relay.log"
	if [ -f "$T_TOP/sample-logs/postfix/relay1.log" ]; then
		compare relay1.log "$T_TOP/sample-logs/postfix/relay1.log"
	else
		echo "  note: sample-logs/postfix/relay1.log not present"
	fi
fi

t_case summary_vs_pflogsumm_corpus
if ! command -v pflogsumm >/dev/null 2>&1; then
	t_skip "pflogsumm is not installed"
elif [ ! -d "$MT_CORPUS/lightmeter-controlcenter" ]; then
	t_skip "corpus $MT_CORPUS not found"
else
	for f in "$MT_CORPUS"/lightmeter-controlcenter/logs_sample/mail.log \
	    "$MT_CORPUS"/lightmeter-controlcenter/logs_sample/mail.log.1 \
	    "$MT_CORPUS"/mail-log-parse/log \
	    "$MT_CORPUS"/lightmeter-controlcenter/individual_files/*.log; do
		[ -f "$f" ] || continue
		# pflogsumm reads only "Mmm dd hh:mm:ss" stamps: skip others
		head -1 "$f" | grep -Eq '^[A-Z][a-z]{2} [ 0-9][0-9] ' || continue
		compare "${f#$MT_CORPUS/}" "$f"
	done
fi

t_done
