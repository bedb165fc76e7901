#!/usr/bin/env python3
"""gen_days.py - deterministic Postfix logs for the retention and crash tests.

usage: gen_days.py DAY [DAY...] [-n MESSAGES_PER_DAY] [--tag TAG]

Writes RFC 3339 syslog lines to stdout: for each day (YYYY-MM-DD) and each
message i, a complete lifecycle with queue ID derived from (day, i),
Message-ID <TAG-DAY-i@gen.example>, recipient user-TAG-DAY-i@dest.example,
spread over the day.  Only the standard library; same input, same output.
"""
import argparse
import hashlib

ap = argparse.ArgumentParser()
ap.add_argument("days", nargs="+")
ap.add_argument("-n", type=int, default=50)
ap.add_argument("--tag", default="m")
a = ap.parse_args()

for day in a.days:
    d = day.replace("-", "")
    for i in range(a.n):
        qid = hashlib.sha1(("%s-%s-%d" % (a.tag, d, i)).encode()).hexdigest()[:10].upper()
        secs = (i * 86000) // max(a.n, 1)
        hh, mm, ss = secs // 3600, (secs // 60) % 60, secs % 60
        t = lambda k: "%sT%02d:%02d:%02d.%06dZ" % (day, hh, mm, min(ss + k, 59), i % 1000000)
        mid = "%s-%s-%d@gen.example" % (a.tag, d, i)
        rcpt = "user-%s-%s-%d@dest.example" % (a.tag, d, i)
        h = "relay1"
        print("%s %s postfix/smtpd[100]: %s: client=app1.example[10.0.0.5]" % (t(0), h, qid))
        print("%s %s postfix/cleanup[101]: %s: message-id=<%s>" % (t(0), h, qid, mid))
        print("%s %s postfix/qmgr[102]: %s: from=<sender@gen.example>, size=%d, nrcpt=1 (queue active)" % (t(0), h, qid, 1000 + i))
        print("%s %s postfix/smtp[103]: %s: to=<%s>, relay=mx.dest.example[192.0.2.10]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as R%s)" % (t(1), h, qid, rcpt, qid))
        print("%s %s postfix/qmgr[102]: %s: removed" % (t(1), h, qid))
