# t_hosts.sh - several relays in one store: events keep their host, queue
# IDs are per host (the same queue ID on two hosts is two messages), and a
# relay-to-relay hop ("queued as" on the receiving host) is one message:
# found by the host relay= names, by the receiving smtpd's client=, and
# by Message-ID when a queue ID was reused and the clocks disagree.
. "$(dirname "$0")/lib.sh"
DB="$T_TMP/hosts.db"

# relaya: hop-1 (no Message-ID header) to relayb by name; an unrelated
# message that got the queue ID relayb gave hop-1; order-7 to relayb;
# and the second leg of hop-3, received from relayb
cat >"$T_TMP/relaya.log" <<'EOF'
Nov  3 10:00:00 relaya postfix/smtpd[3001]: 1A2B3C4D5E: client=app1.example.net[10.0.0.5]
Nov  3 10:00:00 relaya postfix/qmgr[3002]: 1A2B3C4D5E: from=<app@shop.example.com>, size=1500, nrcpt=1 (queue active)
Nov  3 10:00:01 relaya postfix/smtp[3003]: 1A2B3C4D5E: to=<alice@example.org>, relay=relayb.example.net[10.0.0.12]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7B2C3D4E5F)
Nov  3 10:00:01 relaya postfix/qmgr[3002]: 1A2B3C4D5E: removed
Nov  3 10:05:00 relaya postfix/pickup[3004]: 7B2C3D4E5F: uid=1001 from=<billing@shop.example.com>
Nov  3 10:05:00 relaya postfix/cleanup[3005]: 7B2C3D4E5F: message-id=<inv-2@shop.example.com>
Nov  3 10:05:00 relaya postfix/qmgr[3002]: 7B2C3D4E5F: from=<billing@shop.example.com>, size=2200, nrcpt=1 (queue active)
Nov  3 10:05:02 relaya postfix/smtp[3003]: 7B2C3D4E5F: to=<bob@example.net>, relay=mx.example.net[203.0.113.25]:25, delay=2, delays=0.1/0/1/0.9, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.25] said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))
Nov  3 10:05:02 relaya postfix/qmgr[3002]: 7B2C3D4E5F: removed
Nov  3 11:00:00 relaya postfix/smtpd[3001]: 2C3D4E5F6A: client=app1.example.net[10.0.0.5]
Nov  3 11:00:00 relaya postfix/cleanup[3005]: 2C3D4E5F6A: message-id=<order-7@shop.example.com>
Nov  3 11:00:00 relaya postfix/qmgr[3002]: 2C3D4E5F6A: from=<orders@shop.example.com>, size=3100, nrcpt=1 (queue active)
Nov  3 11:00:05 relaya postfix/smtp[3003]: 2C3D4E5F6A: to=<carol@example.com>, relay=RelayB[10.0.0.12]:25, delay=5, delays=0.1/0/0.4/4.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 8C3D4E5F6A)
Nov  3 11:00:05 relaya postfix/qmgr[3002]: 2C3D4E5F6A: removed
Nov  3 12:00:01 relaya postfix/smtpd[3001]: 3D4E5F6A7B: client=relayb.example.net[10.0.0.12]
Nov  3 12:00:01 relaya postfix/qmgr[3002]: 3D4E5F6A7B: from=<alerts@monitor.example.net>, size=800, nrcpt=1 (queue active)
Nov  3 12:00:02 relaya postfix/local[3007]: 3D4E5F6A7B: to=<ops@relaya.example.net>, relay=local, delay=1, delays=0.1/0/0/0.9, dsn=2.0.0, status=sent (delivered to mailbox)
Nov  3 12:00:02 relaya postfix/qmgr[3002]: 3D4E5F6A7B: removed
EOF

# relayb (its clock 10 s ahead): hop-1's second leg; an unrelated message
# with hop-1's relaya queue ID; 8C3D4E5F6A used by news-8 just before
# order-7 arrived with the same queue ID; hop-3 sent to relaya by address
# while relayb's own 3D4E5F6A7B is another message
cat >"$T_TMP/relayb.log" <<'EOF'
Nov  3 10:00:01 relayb postfix/smtpd[4001]: 7B2C3D4E5F: client=relaya.example.net[10.0.0.11]
Nov  3 10:00:01 relayb postfix/qmgr[4002]: 7B2C3D4E5F: from=<app@shop.example.com>, size=1700, nrcpt=1 (queue active)
Nov  3 10:00:03 relayb postfix/smtp[4003]: 7B2C3D4E5F: to=<alice@example.org>, relay=mx.example.org[198.51.100.20]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XkQ2m1Zz8z9v)
Nov  3 10:00:03 relayb postfix/qmgr[4002]: 7B2C3D4E5F: removed
Nov  3 10:02:00 relayb postfix/pickup[4004]: 1A2B3C4D5E: uid=0 from=<root@relayb.example.net>
Nov  3 10:02:00 relayb postfix/cleanup[4005]: 1A2B3C4D5E: message-id=<cron-3@relayb.example.net>
Nov  3 10:02:00 relayb postfix/qmgr[4002]: 1A2B3C4D5E: from=<root@relayb.example.net>, size=900, nrcpt=1 (queue active)
Nov  3 10:02:30 relayb postfix/smtp[4003]: 1A2B3C4D5E: to=<ops@example.org>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.org[198.51.100.20]:25: Connection timed out)
Nov  3 11:00:05 relayb postfix/smtpd[4001]: 8C3D4E5F6A: client=app2.example.net[10.0.0.6]
Nov  3 11:00:05 relayb postfix/cleanup[4005]: 8C3D4E5F6A: message-id=<news-8@shop.example.com>
Nov  3 11:00:05 relayb postfix/qmgr[4002]: 8C3D4E5F6A: from=<news@shop.example.com>, size=5000, nrcpt=1 (queue active)
Nov  3 11:00:06 relayb postfix/smtp[4003]: 8C3D4E5F6A: to=<dave@example.com>, relay=mx.example.com[192.0.2.30]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ABC123)
Nov  3 11:00:06 relayb postfix/qmgr[4002]: 8C3D4E5F6A: removed
Nov  3 11:00:14 relayb postfix/smtpd[4001]: 8C3D4E5F6A: client=relaya.example.net[10.0.0.11]
Nov  3 11:00:14 relayb postfix/cleanup[4005]: 8C3D4E5F6A: message-id=<order-7@shop.example.com>
Nov  3 11:00:15 relayb postfix/qmgr[4002]: 8C3D4E5F6A: from=<orders@shop.example.com>, size=3300, nrcpt=1 (queue active)
Nov  3 11:00:16 relayb postfix/smtp[4003]: 8C3D4E5F6A: to=<carol@example.com>, relay=mx.example.com[192.0.2.30]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as DEF456)
Nov  3 11:00:16 relayb postfix/qmgr[4002]: 8C3D4E5F6A: removed
Nov  3 11:59:55 relayb postfix/pickup[4004]: 3D4E5F6A7B: uid=0 from=<root@relayb.example.net>
Nov  3 11:59:55 relayb postfix/qmgr[4002]: 3D4E5F6A7B: from=<root@relayb.example.net>, size=700, nrcpt=1 (queue active)
Nov  3 11:59:56 relayb postfix/smtp[4003]: 3D4E5F6A7B: to=<backup@example.org>, relay=mx.example.org[198.51.100.20]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F9F9F9F)
Nov  3 11:59:56 relayb postfix/qmgr[4002]: 3D4E5F6A7B: removed
Nov  3 12:00:10 relayb postfix/smtpd[4001]: 4E5F6A7B8C: client=monitor.example.net[10.0.0.7]
Nov  3 12:00:10 relayb postfix/qmgr[4002]: 4E5F6A7B8C: from=<alerts@monitor.example.net>, size=780, nrcpt=1 (queue active)
Nov  3 12:00:11 relayb postfix/smtp[4003]: 4E5F6A7B8C: to=<ops@relaya.example.net>, relay=10.0.0.11[10.0.0.11]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 3D4E5F6A7B)
Nov  3 12:00:11 relayb postfix/qmgr[4002]: 4E5F6A7B8C: removed
EOF

t_case ingest_two_hosts
t_run mt ingest --db "$DB" --year 2026 --tz UTC "$T_TMP/relaya.log" "$T_TMP/relayb.log"
t_expect_rc 0
t_expect_grep "$T_TMP/out" '^total: 44 lines, 44 recognised, 0 unrecognised, 0 errors, 44 records stored'

# trace_check ID WANT: the messages of `trace --json ID`, each as
# "mid|queue IDs|host:qid of every event|recipient=outcome...", newest
# first, must be exactly WANT (one message per line); and every event's
# host is the host of its raw line
trace_check() {
	t_run mt trace --db "$DB" --json "$1"
	t_expect_rc 0
	python3 - "$T_TMP/out" >"$T_TMP/got" 2>&1 <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
for m in t["messages"]:
    hq = []
    for e in m["events"]:
        if e["raw"].split()[3] != e["host"]:
            print("host %r of %r" % (e["host"], e["raw"]))
        hq.append("%s:%s" % (e["host"], e["raw"].split()[5].rstrip(":")))
    print("%s|%s|%s|%s" % (m["ids"]["message_id"], ",".join(m["ids"]["queue_ids"]),
        " ".join(hq), " ".join("%s=%s" % (r["address"], r["outcome"]) for r in m["recipients"])))
EOF
	printf '%s\n' "$2" >"$T_TMP/want"
	t_expect_file "$T_TMP/got" "$T_TMP/want"
}

HOP1='None|1A2B3C4D5E,7B2C3D4E5F|relaya:1A2B3C4D5E relaya:1A2B3C4D5E relaya:1A2B3C4D5E relaya:1A2B3C4D5E relayb:7B2C3D4E5F relayb:7B2C3D4E5F relayb:7B2C3D4E5F relayb:7B2C3D4E5F|alice@example.org=delivered'
CRON3='cron-3@relayb.example.net|1A2B3C4D5E|relayb:1A2B3C4D5E relayb:1A2B3C4D5E relayb:1A2B3C4D5E relayb:1A2B3C4D5E|ops@example.org=deferred'
INV2='inv-2@shop.example.com|7B2C3D4E5F|relaya:7B2C3D4E5F relaya:7B2C3D4E5F relaya:7B2C3D4E5F relaya:7B2C3D4E5F relaya:7B2C3D4E5F|bob@example.net=bounced'
ORDER7='order-7@shop.example.com|2C3D4E5F6A,8C3D4E5F6A|relaya:2C3D4E5F6A relaya:2C3D4E5F6A relaya:2C3D4E5F6A relaya:2C3D4E5F6A relaya:2C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A|carol@example.com=delivered'
NEWS8='news-8@shop.example.com|8C3D4E5F6A|relayb:8C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A relayb:8C3D4E5F6A|dave@example.com=delivered'
HOP3='None|3D4E5F6A7B,4E5F6A7B8C|relaya:3D4E5F6A7B relaya:3D4E5F6A7B relaya:3D4E5F6A7B relaya:3D4E5F6A7B relayb:4E5F6A7B8C relayb:4E5F6A7B8C relayb:4E5F6A7B8C relayb:4E5F6A7B8C|ops@relaya.example.net=delivered'
BACKUP='None|3D4E5F6A7B|relayb:3D4E5F6A7B relayb:3D4E5F6A7B relayb:3D4E5F6A7B relayb:3D4E5F6A7B|backup@example.org=delivered'

t_case hop_by_relay_name_not_the_same_host
# relaya also had a 7B2C3D4E5F: a hop goes to the host relay= names
trace_check alice@example.org "$HOP1"

t_case same_queue_id_on_two_hosts_is_two_messages
trace_check 1A2B3C4D5E "$CRON3
$HOP1"
trace_check 7B2C3D4E5F "$INV2
$HOP1"

t_case unrelated_messages_stay_alone
trace_check inv-2@shop.example.com "$INV2"
trace_check ops@example.org "$CRON3"

t_case hop_by_message_id_despite_clock_skew
# relayb's news-8 held 8C3D4E5F6A nearer in time than order-7 did
trace_check order-7@shop.example.com "$ORDER7"
trace_check news-8@shop.example.com "$NEWS8"
trace_check 8C3D4E5F6A "$ORDER7
$NEWS8"

t_case hop_by_client_when_relay_is_an_address
# relayb sent to 10.0.0.11: relaya's smtpd saw client=relayb...; relayb's
# own 3D4E5F6A7B is another message.  (relayb's clock is ahead, so the
# receiving leg comes first in time.)
trace_check ops@relaya.example.net "$HOP3"
trace_check 3D4E5F6A7B "$HOP3
$BACKUP"

t_case host_in_text_trace
t_run mt trace --db "$DB" order-7@shop.example.com
t_expect_rc 0
t_expect_grep "$T_TMP/out" 'relaya'
t_expect_grep "$T_TMP/out" 'relayb'

t_done
