/*
 * test_q.c - trace: closure, grouping, verdicts, JSON and text output,
 * and mt_q_each_message, over a real store built from inline logs that
 * follow sample-logs/SCENARIOS.md (the ingest path: parser -> keys ->
 * mt_ix_put)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "mt_test.h"
#include "mt_alloc.h"
#include "mt_buf.h"
#include "mt_event.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_q.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"
#include "mt_rules.h"
#include "mt_time.h"

#define PID(h, n) "0102018f3a1b2c3d-" h h h h "-00" n "-40" n "-80" n \
	"-0000000000" n "-000000"
#define SES_SMTP "email-smtp.eu-west-1.amazonaws.com[52.48.11.22]:587"

static const char *const lines[] = {
	/* 1: order mail via SES */
	"2026-11-02T09:14:59.120Z INFO  [mailer-1] submitted Message-ID=<order-1001@shop.example.com> to=alice@example.org via relay1",
	"Nov  2 09:15:01 relay1 postfix/pickup[1201]: 4A1B2C3D4E: uid=1001 from=<orders@shop.example.com>",
	"Nov  2 09:15:01 relay1 postfix/cleanup[1202]: 4A1B2C3D4E: message-id=<order-1001@shop.example.com>",
	"Nov  2 09:15:01 relay1 postfix/qmgr[1203]: 4A1B2C3D4E: from=<orders@shop.example.com>, size=2048, nrcpt=1 (queue active)",
	"Nov  2 09:15:03 relay1 postfix/smtp[1204]: 4A1B2C3D4E: to=<alice@example.org>, relay=" SES_SMTP ", delay=2.1, delays=0.1/0/0.9/1.1, dsn=2.0.0, status=sent (250 Ok " PID("a1", "01") ")",
	"Nov  2 09:15:03 relay1 postfix/qmgr[1203]: 4A1B2C3D4E: removed",
	/* 2: newsletter, three recipients */
	"Nov  2 09:20:00 relay1 postfix/smtpd[1210]: 5B2C3D4E5F: client=app1[10.0.0.5]",
	"Nov  2 09:20:00 relay1 postfix/cleanup[1202]: 5B2C3D4E5F: message-id=<news-2002@shop.example.com>",
	"Nov  2 09:20:00 relay1 postfix/qmgr[1203]: 5B2C3D4E5F: from=<news@shop.example.com>, size=10240, nrcpt=3 (queue active)",
	"Nov  2 09:20:02 relay1 postfix/smtp[1204]: 5B2C3D4E5F: to=<bob@example.net>, relay=" SES_SMTP ", delay=2, delays=0/0/1/1, dsn=2.0.0, status=sent (250 Ok " PID("b2", "02") ")",
	"Nov  2 09:20:02 relay1 postfix/smtp[1204]: 5B2C3D4E5F: to=<Carol@Nonexistent.example>, relay=" SES_SMTP ", delay=2, delays=0/0/1/1, dsn=2.0.0, status=sent (250 Ok " PID("b2", "02") ")",
	"Nov  2 09:20:02 relay1 postfix/smtp[1204]: 5B2C3D4E5F: to=<dave@example.com>, relay=" SES_SMTP ", delay=2, delays=0/0/1/1, dsn=2.0.0, status=sent (250 Ok " PID("b2", "02") ")",
	"Nov  2 09:20:02 relay1 postfix/qmgr[1203]: 5B2C3D4E5F: removed",
	/* 3: deferred, then delivered by the recipient's MX */
	"Nov  2 09:30:00 relay1 postfix/smtpd[1210]: 6C3D4E5F6A: client=app2[10.0.0.6]",
	"Nov  2 09:30:00 relay1 postfix/cleanup[1202]: 6C3D4E5F6A: message-id=<inv-3003@billing.example.com>",
	"Nov  2 09:30:00 relay1 postfix/qmgr[1203]: 6C3D4E5F6A: from=<billing@billing.example.com>, size=4096, nrcpt=1 (queue active)",
	"Nov  2 09:30:31 relay1 postfix/smtp[1205]: 6C3D4E5F6A: to=<erin@example.net>, relay=none, delay=31, delays=0/0/31/0, dsn=4.4.1, status=deferred (connect to mx.example.net[203.0.113.25]:25: Connection timed out)",
	"Nov  2 10:00:02 relay1 postfix/smtp[1206]: 6C3D4E5F6A: to=<erin@example.net>, relay=mx.example.net[203.0.113.25]:25, delay=1802, delays=1800/0/1/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XkQ2m1Zz8z9v)",
	"Nov  2 10:00:02 relay1 postfix/qmgr[1203]: 6C3D4E5F6A: removed",
	/* 4: bounced by the recipient's MX, and the bounce message */
	"Nov  2 09:40:00 relay1 postfix/pickup[1201]: 7D4E5F6A7B: uid=33 from=<noreply@accounts.example.com>",
	"Nov  2 09:40:00 relay1 postfix/cleanup[1202]: 7D4E5F6A7B: message-id=<pw-4004@accounts.example.com>",
	"Nov  2 09:40:00 relay1 postfix/qmgr[1203]: 7D4E5F6A7B: from=<noreply@accounts.example.com>, size=1500, nrcpt=1 (queue active)",
	"Nov  2 09:40:01 relay1 postfix/smtp[1204]: 7D4E5F6A7B: to=<frank@example.com>, relay=mx1.example.com[198.51.100.7]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host mx1.example.com[198.51.100.7] said: 550 5.1.1 <frank@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))",
	"Nov  2 09:40:01 relay1 postfix/cleanup[1202]: 8E5F6A7B8C: message-id=<20261102094001.8E5F6A7B8C@relay1.example.com>",
	"Nov  2 09:40:01 relay1 postfix/bounce[1220]: 7D4E5F6A7B: sender non-delivery notification: 8E5F6A7B8C",
	"Nov  2 09:40:01 relay1 postfix/qmgr[1203]: 8E5F6A7B8C: from=<>, size=3000, nrcpt=1 (queue active)",
	"Nov  2 09:40:01 relay1 postfix/qmgr[1203]: 7D4E5F6A7B: removed",
	"Nov  2 09:40:01 relay1 postfix/local[1221]: 8E5F6A7B8C: to=<noreply@accounts.example.com>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)",
	"Nov  2 09:40:01 relay1 postfix/qmgr[1203]: 8E5F6A7B8C: removed",
	/* 5: content-filter hop, handed to SES */
	"Nov  2 10:10:00 relay1 postfix/smtpd[1230]: 9F6A7B8C9D: client=helpdesk[10.0.0.7]",
	"Nov  2 10:10:00 relay1 postfix/cleanup[1202]: 9F6A7B8C9D: message-id=<ticket-5005@support.example.com>",
	"Nov  2 10:10:00 relay1 postfix/qmgr[1203]: 9F6A7B8C9D: from=<support@support.example.com>, size=3000, nrcpt=1 (queue active)",
	"Nov  2 10:10:01 relay1 postfix/smtpd[1231]: A07B8C9DAE: client=localhost[127.0.0.1]",
	"Nov  2 10:10:01 relay1 postfix/cleanup[1202]: A07B8C9DAE: message-id=<ticket-5005@support.example.com>",
	"Nov  2 10:10:01 relay1 postfix/qmgr[1203]: A07B8C9DAE: from=<support@support.example.com>, size=3200, nrcpt=1 (queue active)",
	"Nov  2 10:10:01 relay1 postfix/smtp[1232]: 9F6A7B8C9D: to=<grace@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as A07B8C9DAE)",
	"Nov  2 10:10:01 relay1 postfix/qmgr[1203]: 9F6A7B8C9D: removed",
	"Nov  2 10:10:03 relay1 postfix/smtp[1204]: A07B8C9DAE: to=<grace@example.org>, relay=" SES_SMTP ", delay=2, delays=0/0/1/1, dsn=2.0.0, status=sent (250 Ok " PID("c5", "05") ")",
	"Nov  2 10:10:03 relay1 postfix/qmgr[1203]: A07B8C9DAE: removed",
	/* 5b: a hop linked by "queued as" alone (no Message-ID lines) */
	"Nov  2 10:12:00 relay1 postfix/smtpd[1230]: E1E1E1E1E1: client=helpdesk[10.0.0.7]",
	"Nov  2 10:12:00 relay1 postfix/qmgr[1203]: E1E1E1E1E1: from=<hop@support.example.com>, size=300, nrcpt=1 (queue active)",
	"Nov  2 10:12:01 relay1 postfix/smtpd[1231]: F2F2F2F2F2: client=localhost[127.0.0.1]",
	"Nov  2 10:12:01 relay1 postfix/qmgr[1203]: F2F2F2F2F2: from=<hop@support.example.com>, size=320, nrcpt=1 (queue active)",
	"Nov  2 10:12:01 relay1 postfix/smtp[1232]: E1E1E1E1E1: to=<hop@example.org>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as F2F2F2F2F2)",
	"Nov  2 10:12:01 relay1 postfix/qmgr[1203]: E1E1E1E1E1: removed",
	"Nov  2 10:12:02 relay1 postfix/smtp[1204]: F2F2F2F2F2: to=<hop@example.org>, relay=mx.example.org[198.51.100.20]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9ZZZZ1)",
	"Nov  2 10:12:02 relay1 postfix/qmgr[1203]: F2F2F2F2F2: removed",
	/* 6: queue-ID reuse */
	"Nov  2 11:00:00 relay1 postfix/smtpd[1210]: B18C9DAEBF: client=app1[10.0.0.5]",
	"Nov  2 11:00:00 relay1 postfix/cleanup[1202]: B18C9DAEBF: message-id=<a-6006@shop.example.com>",
	"Nov  2 11:00:00 relay1 postfix/qmgr[1203]: B18C9DAEBF: from=<shop@shop.example.com>, size=1000, nrcpt=1 (queue active)",
	"Nov  2 11:00:01 relay1 postfix/smtp[1204]: B18C9DAEBF: to=<heidi@example.org>, relay=mx.example.org[198.51.100.20]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7777AAAA)",
	"Nov  2 11:00:01 relay1 postfix/qmgr[1203]: B18C9DAEBF: removed",
	"Nov  2 15:00:00 relay1 postfix/smtpd[1210]: B18C9DAEBF: client=app1[10.0.0.5]",
	"Nov  2 15:00:00 relay1 postfix/cleanup[1202]: B18C9DAEBF: message-id=<b-6007@shop.example.com>",
	"Nov  2 15:00:00 relay1 postfix/qmgr[1203]: B18C9DAEBF: from=<shop@shop.example.com>, size=1100, nrcpt=1 (queue active)",
	"Nov  2 15:00:01 relay1 postfix/smtp[1204]: B18C9DAEBF: to=<ivan@example.org>, relay=mx.example.org[198.51.100.20]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.1, status=bounced (host mx.example.org[198.51.100.20] said: 550 5.7.1 Message rejected as spam (in reply to end of DATA command))",
	"Nov  2 15:00:01 relay1 postfix/qmgr[1203]: B18C9DAEBF: removed",
	/* 7: expired at the relay */
	"Nov  2 12:00:00 relay1 postfix/pickup[1201]: C29DAEBFC0: uid=1001 from=<reminders@shop.example.com>",
	"Nov  2 12:00:00 relay1 postfix/cleanup[1202]: C29DAEBFC0: message-id=<rem-7007@shop.example.com>",
	"Nov  2 12:00:00 relay1 postfix/qmgr[1203]: C29DAEBFC0: from=<reminders@shop.example.com>, size=900, nrcpt=1 (queue active)",
	"Nov  2 12:00:01 relay1 postfix/smtp[1204]: C29DAEBFC0: to=<judy@unreachable.example>, relay=none, delay=1, delays=0/0/1/0, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=unreachable.example type=MX: Host not found, try again)",
	"Nov  7 12:00:05 relay1 postfix/qmgr[1203]: C29DAEBFC0: from=<reminders@shop.example.com>, status=expired, returned to sender",
	"Nov  7 12:00:05 relay1 postfix/qmgr[1203]: C29DAEBFC0: removed",
	/* 8: rejected before queueing */
	"Nov  2 13:00:00 relay1 postfix/smtpd[1240]: NOQUEUE: reject: RCPT from unknown[192.0.2.50]: 554 5.7.1 <mallory@example.org>: Relay access denied; from=<spam@bad.example> to=<mallory@example.org> proto=ESMTP helo=<bad.example>",
	/* 9, 10: application submissions that failed */
	"2026-11-02T11:30:00.000Z ERROR [mailer-1] send failed to=peggy@example.com: MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: noreply@shop.example.com RequestId=5b8c2f1e-1234-4d5e-9f00-aabbccddeeff",
	"2026-11-02T11:45:00.000Z ERROR [mailer-1] send failed to=<trent@example.com>: 454 Throttling failure: Daily message quota exceeded.",
	/* 11: sendmail, deferred, then handed to SES */
	"Nov  2 09:50:00 relay2 sendmail[2201]: 2AB3CDef012345: from=<billing@billing.example.com>, size=4096, class=0, nrcpts=1, msgid=<inv-1111@billing.example.com>, proto=ESMTP, daemon=MTA, relay=app1 [10.0.0.5]",
	"Nov  2 09:50:31 relay2 sendmail[2202]: 2AB3CDef012345: to=<victor@example.net>, delay=00:00:31, xdelay=00:00:30, mailer=relay, pri=120396, relay=email-smtp.eu-west-1.amazonaws.com. [52.48.11.22], dsn=4.0.0, stat=Deferred: Connection timed out with email-smtp.eu-west-1.amazonaws.com.",
	"Nov  2 10:20:02 relay2 sendmail[2203]: 2AB3CDef012345: to=<victor@example.net>, delay=00:30:02, xdelay=00:00:01, mailer=relay, pri=210396, relay=email-smtp.eu-west-1.amazonaws.com. [52.48.11.22], dsn=2.0.0, stat=Sent (Ok " PID("d6", "11") ")",
	/* 12: sendmail, the remote MX refuses, DSN */
	"Nov  2 10:30:00 relay2 sendmail[2210]: 2AB3CDef012399: from=<noreply@accounts.example.com>, size=2000, class=0, nrcpts=1, msgid=<acct-1212@accounts.example.com>, proto=ESMTP, daemon=MTA, relay=app2 [10.0.0.6]",
	"Nov  2 10:30:01 relay2 sendmail[2211]: 2AB3CDef012399: to=<walter@example.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx1.example.com. [198.51.100.7], dsn=5.1.1, stat=User unknown",
	"Nov  2 10:30:01 relay2 sendmail[2211]: 2AB3CDef012399: 2AB3CDef0124AA: DSN: User unknown",
	/* a second message to alice, later, straight to her MX */
	"Nov  2 16:00:00 relay1 postfix/pickup[1201]: D1D2D3D4D5: uid=1001 from=<orders@shop.example.com>",
	"Nov  2 16:00:00 relay1 postfix/cleanup[1202]: D1D2D3D4D5: message-id=<order-1002@shop.example.com>",
	"Nov  2 16:00:00 relay1 postfix/qmgr[1203]: D1D2D3D4D5: from=<orders@shop.example.com>, size=2100, nrcpt=1 (queue active)",
	"Nov  2 16:00:01 relay1 postfix/smtp[1204]: D1D2D3D4D5: to=<ALICE@example.org>, relay=mx.example.org[198.51.100.20]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 8888BBBB)",
	"Nov  2 16:00:01 relay1 postfix/qmgr[1203]: D1D2D3D4D5: removed",
	/* provider JSON (2, 1, 11, 13, 14) */
	"{\"eventType\":\"Delivery\",\"mail\":{\"timestamp\":\"2026-11-02T09:15:03.100Z\",\"source\":\"orders@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-a1a1a1a1-0001-4001-8001-000000000001-000000\",\"destination\":[\"alice@example.org\"],\"commonHeaders\":{\"from\":[\"orders@shop.example.com\"],\"to\":[\"alice@example.org\"],\"messageId\":\"<order-1001@shop.example.com>\",\"subject\":\"Hello\"}},\"delivery\":{\"timestamp\":\"2026-11-02T09:15:04.500Z\",\"processingTimeMillis\":1400,\"recipients\":[\"alice@example.org\"],\"smtpResponse\":\"250 2.0.0 OK  1762074904 d9443c01a7336-29a2f4c1c2bsi123456ad.123 - gsmtp\",\"reportingMTA\":\"a1-2.smtp-out.eu-west-1.amazonses.com\"}}",
	"{\"eventType\":\"Delivery\",\"mail\":{\"timestamp\":\"2026-11-02T09:20:02.000Z\",\"source\":\"news@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-b2b2b2b2-0002-4002-8002-000000000002-000000\",\"destination\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"commonHeaders\":{\"from\":[\"news@shop.example.com\"],\"to\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"messageId\":\"<news-2002@shop.example.com>\",\"subject\":\"Hello\"}},\"delivery\":{\"timestamp\":\"2026-11-02T09:20:05.000Z\",\"processingTimeMillis\":3000,\"recipients\":[\"bob@example.net\"],\"smtpResponse\":\"250 2.0.0 Ok: queued as 4XkQ2m1Zz8zAB\",\"reportingMTA\":\"a1-2.smtp-out.eu-west-1.amazonses.com\"}}",
	"{\"eventType\":\"Bounce\",\"mail\":{\"timestamp\":\"2026-11-02T09:20:02.000Z\",\"source\":\"news@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-b2b2b2b2-0002-4002-8002-000000000002-000000\",\"destination\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"commonHeaders\":{\"from\":[\"news@shop.example.com\"],\"to\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"messageId\":\"<news-2002@shop.example.com>\",\"subject\":\"Hello\"}},\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\",\"timestamp\":\"2026-11-02T09:20:06.000Z\",\"feedbackId\":\"0102018f3a1b2c3d-feedback-1\",\"reportingMTA\":\"dsn; a1-2.smtp-out.eu-west-1.amazonses.com\",\"bouncedRecipients\":[{\"emailAddress\":\"carol@nonexistent.example\",\"action\":\"failed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 <carol@nonexistent.example>: Recipient address rejected: User unknown in virtual mailbox table\"}]}}",
	"{\"eventType\":\"Bounce\",\"mail\":{\"timestamp\":\"2026-11-02T09:20:02.000Z\",\"source\":\"news@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-b2b2b2b2-0002-4002-8002-000000000002-000000\",\"destination\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"commonHeaders\":{\"from\":[\"news@shop.example.com\"],\"to\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"messageId\":\"<news-2002@shop.example.com>\",\"subject\":\"Hello\"}},\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"OnAccountSuppressionList\",\"timestamp\":\"2026-11-02T09:20:03.000Z\",\"feedbackId\":\"0102018f3a1b2c3d-feedback-2\",\"reportingMTA\":\"dns; amazonses.com\",\"bouncedRecipients\":[{\"emailAddress\":\"dave@example.com\",\"action\":\"failed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"Amazon SES did not send the message to this address because it is on the suppression list for your account.\"}]}}",
	"{\"eventType\":\"Complaint\",\"mail\":{\"timestamp\":\"2026-11-02T09:20:02.000Z\",\"source\":\"news@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-b2b2b2b2-0002-4002-8002-000000000002-000000\",\"destination\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"commonHeaders\":{\"from\":[\"news@shop.example.com\"],\"to\":[\"bob@example.net\",\"carol@nonexistent.example\",\"dave@example.com\"],\"messageId\":\"<news-2002@shop.example.com>\",\"subject\":\"Hello\"}},\"complaint\":{\"feedbackId\":\"0102018f3a1b2c3d-feedback-3\",\"complaintSubType\":null,\"complainedRecipients\":[{\"emailAddress\":\"bob@example.net\"}],\"timestamp\":\"2026-11-02T14:02:00.000Z\",\"userAgent\":\"Yahoo!-Mail-Feedback/2.0\",\"complaintFeedbackType\":\"abuse\",\"arrivalDate\":\"2026-11-02T14:01:00.000Z\"}}",
	"{\"eventType\":\"Delivery\",\"mail\":{\"timestamp\":\"2026-11-02T10:20:02.000Z\",\"source\":\"billing@billing.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-d6d6d6d6-0011-4011-8011-000000000011-000000\",\"destination\":[\"victor@example.net\"],\"commonHeaders\":{\"from\":[\"billing@billing.example.com\"],\"to\":[\"victor@example.net\"],\"messageId\":\"<inv-1111@billing.example.com>\",\"subject\":\"Hello\"}},\"delivery\":{\"timestamp\":\"2026-11-02T10:20:04.000Z\",\"processingTimeMillis\":2000,\"recipients\":[\"victor@example.net\"],\"smtpResponse\":\"250 2.0.0 Ok: queued as 4XkQ2m1Zz8zCD\",\"reportingMTA\":\"a1-2.smtp-out.eu-west-1.amazonses.com\"}}",
	"{\"eventType\":\"Reject\",\"mail\":{\"timestamp\":\"2026-11-02T13:10:00.000Z\",\"source\":\"promo@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-e7e7e7e7-0013-4013-8013-000000000013-000000\",\"destination\":[\"xavier@example.org\"],\"commonHeaders\":{\"from\":[\"promo@shop.example.com\"],\"to\":[\"xavier@example.org\"],\"messageId\":\"<promo-1313@shop.example.com>\",\"subject\":\"Hello\"}},\"reject\":{\"reason\":\"Bad content\"}}",
	"{\"eventType\":\"Rendering Failure\",\"mail\":{\"timestamp\":\"2026-11-02T13:20:00.000Z\",\"source\":\"promo@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-f8f8f8f8-0014-4014-8014-000000000014-000000\",\"destination\":[\"yvonne@example.org\"],\"commonHeaders\":{\"from\":[\"promo@shop.example.com\"],\"to\":[\"yvonne@example.org\"],\"messageId\":\"<tpl-1414@shop.example.com>\",\"subject\":\"Hello\"}},\"failure\":{\"errorMessage\":\"Attribute 'name' is not present in the rendering data.\",\"templateName\":\"welcome\"}}",
	"{\"eventType\":\"DeliveryDelay\",\"mail\":{\"timestamp\":\"2026-11-02T13:30:00.000Z\",\"source\":\"promo@shop.example.com\",\"sourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example.com\",\"sendingAccountId\":\"123456789012\",\"messageId\":\"0102018f3a1b2c3d-a9a9a9a9-0015-4015-8015-000000000015-000000\",\"destination\":[\"zoe@example.net\"],\"commonHeaders\":{\"from\":[\"promo@shop.example.com\"],\"to\":[\"zoe@example.net\"],\"messageId\":\"<wk-1515@shop.example.com>\",\"subject\":\"Hello\"}},\"deliveryDelay\":{\"timestamp\":\"2026-11-02T13:45:00.000Z\",\"delayType\":\"TransientCommunicationFailure\",\"expirationTime\":\"2026-11-03T13:30:00.000Z\",\"delayedRecipients\":[{\"emailAddress\":\"zoe@example.net\",\"status\":\"4.4.1\",\"diagnosticCode\":\"smtp; 421 4.4.1 mx.example.net: connection timed out\"}]}}",
};
#define NLINES (sizeof(lines) / sizeof(lines[0]))

static struct mt_rules *rules;
static struct mt_parser_cfg pcfg;
static struct mt_ix *ix;
static char dbdir[] = "/tmp/test_q.XXXXXX";
static char dbpath[sizeof(dbdir) + 16];
static size_t nstored;

/*
 * put_line - parse one line and store it under its keys, as the ingest
 * command does; the format (> 0), 0 not recognised, -1 store error
 */
static int
put_line(struct mt_ix *x, struct mt_parser *p, const char *line,
    unsigned long lineno)
{
	uint64_t keys[64];
	size_t nk;
	int fmt;

	fmt = mt_parser_push(p, MT_FMT_AUTO, line, strlen(line), lineno);
	if (fmt <= 0)
		return fmt;
	nk = mt_parser_keys(p, keys, sizeof(keys) / sizeof(keys[0]));
	if (mt_ix_put(x, mt_parser_record_time(p), (unsigned)fmt,
	    mt_parser_record(p).p, mt_parser_record(p).n, keys, nk) < 0)
		return -1;
	return fmt;
}

/* store_build - ingest every line as the ingest command does */
static int
store_build(void)
{
	struct mt_parser *p;
	size_t i;
	int fmt;

	if (mkdtemp(dbdir) == NULL)
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/q.db", dbdir);
	if (mt_ix_open(dbpath, MT_IX_CREATE, &ix) < 0)
		return -1;
	rules = mt_rules_new();
	if (mt_rules_add_defaults(rules) < 0)
		return -1;
	pcfg.year = 2026;
	pcfg.rules = rules;
	p = mt_parser_new(&pcfg);
	mt_parser_set_input(p, "inline", 1794096000);	/* 2026-11-08 */
	for (i = 0; i < NLINES; i++) {
		fmt = put_line(ix, p, lines[i], (unsigned long)i + 1);
		if (fmt < 0)
			return -1;
		if (fmt == 0) {
			printf("  line %zu not recognised\n", i + 1);
			continue;
		}
		nstored++;
	}
	mt_parser_free(p);
	return mt_ix_commit(ix, NULL);
}

/* trace - run one trace with a window */
static struct mt_trace *
trace(const char *id, const char *since, const char *until)
{
	struct mt_q_opts o;
	struct mt_trace *t = NULL;
	struct mt_q *q;

	memset(&o, 0, sizeof(o));
	if (since != NULL && mt_time_arg(since, &o.since) < 0)
		return NULL;
	if (until != NULL && mt_time_arg(until, &o.until) < 0)
		return NULL;
	q = mt_q_new(ix, &pcfg, &o);
	if (q == NULL || mt_q_trace(q, id, &t) < 0)
		t = NULL;
	mt_q_free(q);
	return t;
}

/* rcpt - the verdict of address in m, or NULL */
static const struct mt_q_rcpt *
rcpt(const struct mt_q_msg *m, const char *address)
{
	size_t i;

	for (i = 0; m && i < m->nrcpts; i++)
		if (strcmp(m->rcpts[i].address, address) == 0)
			return &m->rcpts[i];
	return NULL;
}

/* ids - queue IDs joined with ',' */
static const char *
ids(char *const *v, size_t n)
{
	static char buf[512];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strncat(buf, ",", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, v[i], sizeof(buf) - strlen(buf) - 1);
	}
	return buf;
}

/* verdict - "outcome stage dsn class" of one recipient */
static const char *
verdict(const struct mt_q_msg *m, const char *address)
{
	static char buf[256];
	const struct mt_q_rcpt *r = rcpt(m, address);

	if (r == NULL)
		return "(no such recipient)";
	snprintf(buf, sizeof(buf), "%s %s %s %s",
	    mt_outcome_to_text(r->outcome), mt_stage_to_text(r->stage),
	    r->dsn ? r->dsn : "-", r->cls && *r->cls ? r->cls : "-");
	return buf;
}

/* one - trace expecting exactly one message */
static const struct mt_q_msg *
one(struct mt_trace **tp, const char *id)
{
	*tp = trace(id, NULL, NULL);
	if (*tp == NULL) {
		MT_FAILF("trace %s failed", id);
		return NULL;
	}
	MT_EXPECTF(mt_trace_count(*tp) == 1, "trace %s: %zu messages", id,
	    mt_trace_count(*tp));
	return mt_q_trace_msg(*tp, 0);
}

MT_TEST(test_store)
{
	MT_EXPECTF(ix != NULL && nstored == NLINES,
	    "%zu of %zu lines stored", nstored, NLINES);
}

MT_TEST(test_delivered_via_ses)
{
	struct mt_trace *t;
	const struct mt_q_msg *m = one(&t, "<Order-1001@shop.example.com>");
	const struct mt_q_rcpt *r = rcpt(m, "alice@example.org");

	if (m == NULL || r == NULL) {
		MT_FAILF("no message or no alice");
		mt_trace_free(t);
		return;
	}
	MT_EXPECT_STR(m->message_id, "order-1001@shop.example.com");
	MT_EXPECT_STR(ids(m->queue_ids, m->nqueue_ids), "4A1B2C3D4E");
	MT_EXPECT_STR(ids(m->provider_ids, m->nprovider_ids), PID("a1", "01"));
	MT_EXPECT_STR(m->from, "orders@shop.example.com");
	MT_EXPECT_INT(m->nrcpts, 1);
	MT_EXPECT_STR(verdict(m, "alice@example.org"),
	    "delivered recipient 2.0.0 -");
	MT_EXPECT_STR(r->reply, "250 2.0.0 OK  1762074904 "
	    "d9443c01a7336-29a2f4c1c2bsi123456ad.123 - gsmtp");
	/* application, relay and provider records in time order */
	MT_EXPECT_INT(m->events[0].src, MT_SRC_APP);
	MT_EXPECT_INT(m->events[m->nevents - 1].src, MT_SRC_SES);
	MT_EXPECT_INT(m->events[m->nevents - 1].type, MT_EV_DELIVERY);
	mt_trace_free(t);

	/* the same message from the queue ID and the provider ID */
	m = one(&t, "4a1b2c3d4e");
	MT_EXPECT_STR(m ? m->message_id : NULL, "order-1001@shop.example.com");
	mt_trace_free(t);
	m = one(&t, PID("a1", "01"));
	MT_EXPECT_STR(m ? m->message_id : NULL, "order-1001@shop.example.com");
	MT_EXPECT_STR(m ? ids(m->queue_ids, m->nqueue_ids) : NULL,
	    "4A1B2C3D4E");
	mt_trace_free(t);
}

MT_TEST(test_three_outcomes)
{
	struct mt_trace *t;
	const struct mt_q_msg *m = one(&t, "news-2002@shop.example.com");

	MT_EXPECT_INT(m ? m->nrcpts : 0, 3);
	if (m != NULL && m->nrcpts == 3) {
		MT_EXPECT_STR(m->rcpts[0].address, "bob@example.net");
		MT_EXPECT_STR(m->rcpts[1].address, "carol@nonexistent.example");
		MT_EXPECT_STR(m->rcpts[2].address, "dave@example.com");
	}
	MT_EXPECT_STR(verdict(m, "bob@example.net"),
	    "complained recipient - complaint");
	MT_EXPECT_STR(verdict(m, "carol@nonexistent.example"),
	    "bounced recipient 5.1.1 unknown-recipient");
	MT_EXPECT_STR(rcpt(m, "carol@nonexistent.example") ?
	    rcpt(m, "carol@nonexistent.example")->reply : NULL,
	    "smtp; 550 5.1.1 <carol@nonexistent.example>: Recipient address "
	    "rejected: User unknown in virtual mailbox table");
	MT_EXPECT_STR(verdict(m, "dave@example.com"),
	    "dropped provider 5.1.1 suppressed");
	MT_EXPECT_STR(m ? ids(m->queue_ids, m->nqueue_ids) : NULL,
	    "5B2C3D4E5F");
	mt_trace_free(t);
}

MT_TEST(test_relay_outcomes)
{
	static const struct {
		const char *id, *rcpt, *want, *qids;
	} tab[] = {
		{ "inv-3003@billing.example.com", "erin@example.net",
		  "delivered recipient 2.0.0 -", "6C3D4E5F6A" },
		{ "pw-4004@accounts.example.com", "frank@example.com",
		  "bounced recipient 5.1.1 unknown-recipient", "7D4E5F6A7B" },
		{ "ticket-5005@support.example.com", "grace@example.org",
		  "pending provider 2.0.0 -", "9F6A7B8C9D,A07B8C9DAE" },
		{ "A07B8C9DAE", "grace@example.org",
		  "pending provider 2.0.0 -", "9F6A7B8C9D,A07B8C9DAE" },
		{ "e1e1e1e1e1", "hop@example.org",
		  "delivered recipient 2.0.0 -", "E1E1E1E1E1,F2F2F2F2F2" },
		{ "F2F2F2F2F2", "hop@example.org",
		  "delivered recipient 2.0.0 -", "E1E1E1E1E1,F2F2F2F2F2" },
		{ "rem-7007@shop.example.com", "judy@unreachable.example",
		  "failed relay 4.4.3 expired", "C29DAEBFC0" },
		{ "mallory@example.org", "mallory@example.org",
		  "failed relay 5.7.1 relay-denied", "" },
		{ "peggy@example.com", "peggy@example.com",
		  "failed application - unverified-sender", "" },
		{ "5B8C2F1E-1234-4d5e-9f00-aabbccddeeff", "peggy@example.com",
		  "failed application - unverified-sender", "" },
		{ "trent@example.com", "trent@example.com",
		  "failed application - quota", "" },
		{ "inv-1111@billing.example.com", "victor@example.net",
		  "delivered recipient 2.0.0 -", "2AB3CDef012345" },
		{ "acct-1212@accounts.example.com", "walter@example.com",
		  "bounced recipient 5.1.1 unknown-recipient",
		  "2AB3CDef012399" },
		{ PID("e7", "13"), "xavier@example.org",
		  "dropped provider - virus", "" },
		{ PID("f8", "14"), "yvonne@example.org",
		  "dropped provider - rendering", "" },
		{ "zoe@example.net", "zoe@example.net",
		  "deferred recipient 4.4.1 connection", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct mt_trace *t = trace(tab[i].id, NULL, NULL);
		const struct mt_q_msg *m = t ? mt_q_trace_msg(t, 0) : NULL;
		const char *got = verdict(m, tab[i].rcpt);

		MT_EXPECTF(mt_trace_count(t) == 1, "%s: %zu messages",
		    tab[i].id, mt_trace_count(t));
		MT_EXPECTF(strcmp(got, tab[i].want) == 0,
		    "%s: got \"%s\", want \"%s\"", tab[i].id, got,
		    tab[i].want);
		got = m ? ids(m->queue_ids, m->nqueue_ids) : "";
		MT_EXPECTF(strcmp(got, tab[i].qids) == 0,
		    "%s: queue IDs \"%s\", want \"%s\"", tab[i].id, got,
		    tab[i].qids);
		mt_trace_free(t);
	}
}

MT_TEST(test_queue_id_reuse)
{
	struct mt_trace *t = trace("B18C9DAEBF", NULL, NULL);
	const struct mt_q_msg *a, *b;

	MT_EXPECT_INT(mt_trace_count(t), 2);
	if (mt_trace_count(t) == 2) {
		/* newest first */
		b = mt_q_trace_msg(t, 0);
		a = mt_q_trace_msg(t, 1);
		MT_EXPECT_STR(b->message_id, "b-6007@shop.example.com");
		MT_EXPECT_STR(verdict(b, "ivan@example.org"),
		    "bounced recipient 5.7.1 spam");
		MT_EXPECT_INT(b->nrcpts, 1);
		MT_EXPECT_STR(a->message_id, "a-6006@shop.example.com");
		MT_EXPECT_STR(verdict(a, "heidi@example.org"),
		    "delivered recipient 2.0.0 -");
		MT_EXPECT_INT(a->nrcpts, 1);
		MT_EXPECT_INT(a->nevents, 5);
		MT_EXPECT_INT(b->nevents, 5);
	}
	mt_trace_free(t);

	/* --until / --since pick one instance */
	t = trace("B18C9DAEBF", NULL, "2026-11-02T12:00:00Z");
	MT_EXPECT_INT(mt_trace_count(t), 1);
	if (mt_trace_count(t) == 1)
		MT_EXPECT_STR(mt_q_trace_msg(t, 0)->message_id,
		    "a-6006@shop.example.com");
	mt_trace_free(t);
	t = trace("B18C9DAEBF", "2026-11-02T14:00:00Z", NULL);
	MT_EXPECT_INT(mt_trace_count(t), 1);
	if (mt_trace_count(t) == 1)
		MT_EXPECT_STR(mt_q_trace_msg(t, 0)->message_id,
		    "b-6007@shop.example.com");
	mt_trace_free(t);
}

MT_TEST(test_by_recipient)
{
	struct mt_trace *t = trace("Alice@Example.org", NULL, NULL);

	MT_EXPECT_INT(mt_trace_count(t), 2);
	if (mt_trace_count(t) == 2) {
		MT_EXPECT_STR(mt_q_trace_msg(t, 0)->message_id,
		    "order-1002@shop.example.com");
		MT_EXPECT_STR(mt_q_trace_msg(t, 1)->message_id,
		    "order-1001@shop.example.com");
		MT_EXPECT_STR(verdict(mt_q_trace_msg(t, 0),
		    "alice@example.org"), "delivered recipient 2.0.0 -");
	}
	mt_trace_free(t);
	t = trace("alice@example.org", "2026-11-02", "2026-11-02T12:00:00Z");
	MT_EXPECT_INT(mt_trace_count(t), 1);
	mt_trace_free(t);
	t = trace("alice@example.org", "2026-11-03", NULL);
	MT_EXPECT_INT(mt_trace_count(t), 0);
	mt_trace_free(t);
	t = trace("nobody@nowhere.example", NULL, NULL);
	MT_EXPECT(t != NULL);
	MT_EXPECT_INT(mt_trace_count(t), 0);
	mt_trace_free(t);
}

MT_TEST(test_bounce_notice_is_its_own_message)
{
	struct mt_trace *t;
	const struct mt_q_msg *m = one(&t, "pw-4004@accounts.example.com");

	/* the notice's queue ID is not part of the original */
	MT_EXPECT_STR(m ? ids(m->queue_ids, m->nqueue_ids) : NULL,
	    "7D4E5F6A7B");
	MT_EXPECT_INT(m ? m->nrcpts : 0, 1);
	mt_trace_free(t);
}

/* jget - string member of an object, NULL when absent or null */
static const char *
jget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));	/* borrowed */
}

MT_TEST(test_json)
{
	struct mt_trace *t = trace("ticket-5005@support.example.com", NULL,
	    NULL);
	json_t *root, *m, *ids_o, *r, *e, *ev, *qa;
	json_error_t err;
	char *buf = NULL, *p;
	size_t len = 0, i, keys = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char *keyorder[] = { "time", "stage", "source", "host", "type",
	    "recipient", "dsn", "detail", "raw" };
	void *it;

	MT_EXPECT(mt_trace_print_json(t, fp) == 0);
	fclose(fp);
	MT_EXPECT(len > 0 && buf[len - 1] == '\n');
	p = strchr(buf, '\n');
	MT_EXPECT(p == buf + len - 1);		/* exactly one line */
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		MT_FAILF("json: %s", err.text);
		goto out;
	}
	MT_EXPECT_STR(jget(root, "query"), "ticket-5005@support.example.com");
	m = json_array_get(json_object_get(root, "messages"), 0);
	MT_EXPECT_INT(json_array_size(json_object_get(root, "messages")), 1);
	ids_o = json_object_get(m, "ids");
	MT_EXPECT_STR(jget(ids_o, "message_id"),
	    "ticket-5005@support.example.com");
	qa = json_object_get(ids_o, "queue_ids");
	MT_EXPECT_INT(json_array_size(qa), 2);
	MT_EXPECT_STR(json_string_value(json_array_get(qa, 0)), "9F6A7B8C9D");
	MT_EXPECT_STR(json_string_value(json_array_get(qa, 1)), "A07B8C9DAE");
	MT_EXPECT_STR(json_string_value(json_array_get(
	    json_object_get(ids_o, "provider_ids"), 0)), PID("c5", "05"));
	MT_EXPECT_STR(jget(m, "from"), "support@support.example.com");
	r = json_array_get(json_object_get(m, "recipients"), 0);
	MT_EXPECT_STR(jget(r, "address"), "grace@example.org");
	MT_EXPECT_STR(jget(r, "outcome"), "pending");
	MT_EXPECT_STR(jget(r, "stage"), "provider");
	MT_EXPECT_STR(jget(r, "dsn"), "2.0.0");
	MT_EXPECT_STR(jget(r, "reply"), "250 Ok " PID("c5", "05"));
	MT_EXPECT(json_is_null(json_object_get(r, "class")));
	MT_EXPECT(json_is_string(json_object_get(r, "hint")));
	e = json_object_get(m, "events");
	MT_EXPECT_INT(json_array_size(e), 10);
	ev = json_array_get(e, 0);
	MT_EXPECT_STR(jget(ev, "time"), "2026-11-02T10:10:00Z");
	MT_EXPECT_STR(jget(ev, "stage"), "relay");
	MT_EXPECT_STR(jget(ev, "source"), "postfix");
	MT_EXPECT_STR(jget(ev, "host"), "relay1");
	MT_EXPECT_STR(jget(ev, "type"), "received");
	MT_EXPECT(json_is_null(json_object_get(ev, "recipient")));
	MT_EXPECT_STR(jget(ev, "detail"), "client=helpdesk[10.0.0.7]");
	MT_EXPECT_STR(jget(ev, "raw"), "Nov  2 10:10:00 relay1 postfix/smtpd[1230]: 9F6A7B8C9D: client=helpdesk[10.0.0.7]");
	/* key order is the contract's */
	for (it = json_object_iter(ev), i = 0; it && i < 9;
	    it = json_object_iter_next(ev, it), i++)
		if (strcmp(json_object_iter_key(it), keyorder[i]) == 0)
			keys++;
	MT_EXPECT_INT(keys, 9);
	ev = json_array_get(e, 6);	/* the hop */
	MT_EXPECT_STR(jget(ev, "type"), "sent");
	MT_EXPECT_STR(jget(ev, "recipient"), "grace@example.org");
	MT_EXPECT_STR(jget(ev, "detail"), "250 2.0.0 Ok: queued as A07B8C9DAE");
	ev = json_array_get(e, 2);
	MT_EXPECT_STR(jget(ev, "detail"), "from=<support@support.example.com> size=3000 nrcpt=1");
	ev = json_array_get(e, 1);
	MT_EXPECT_STR(jget(ev, "detail"), "message-id=<ticket-5005@support.example.com>");
	json_decref(root);

	/* an empty trace is still one object */
	mt_trace_free(t);
	free(buf);
	buf = NULL;
	t = trace("nobody@nowhere.example", NULL, NULL);
	fp = open_memstream(&buf, &len);
	MT_EXPECT(mt_trace_print_json(t, fp) == 0);
	fclose(fp);
	MT_EXPECT_STR(buf, "{\"query\": \"nobody@nowhere.example\", \"messages\": []}\n");
out:
	free(buf);
	mt_trace_free(t);
}

MT_TEST(test_text)
{
	struct mt_trace *t = trace("news-2002@shop.example.com", NULL, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	MT_EXPECT(mt_trace_print_text(t, fp, 0) == 0);
	fclose(fp);
	MT_EXPECT(strstr(buf, "Message-ID:   <news-2002@shop.example.com>\n") != NULL);
	MT_EXPECT(strstr(buf, "Queue IDs:    5B2C3D4E5F\n") != NULL);
	MT_EXPECT(strstr(buf, "  verdict  carol@nonexistent.example  bounced    at recipient  unknown-recipient  fix ") != NULL);
	MT_EXPECT(strstr(buf, "  verdict  dave@example.com           dropped    at provider   suppressed         remove ") != NULL);
	MT_EXPECT(strstr(buf, "  2026-11-02T09:20:00Z  relay      received    relay1  -                          -      client=app1[10.0.0.5]\n") != NULL);
	MT_EXPECT(strchr(buf, '\033') == NULL);
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	MT_EXPECT(mt_trace_print_text(t, fp, 1) == 0);
	fclose(fp);
	MT_EXPECT(strstr(buf, "\033[31mbounced\033[0m    at recipient") != NULL);
	free(buf);
	mt_trace_free(t);
}

struct each {
	int	 n;
	char	 seq[512];
	int	 reuse;
	int	 failed;
};

/* each_cb - count messages, check the order */
static int
each_cb(void *arg, const struct mt_q_msg *m)
{
	struct each *e = arg;
	size_t i;

	e->n++;
	if (m->message_id != NULL && strlen(e->seq) + strlen(m->message_id) +
	    2 < sizeof(e->seq)) {
		strcat(e->seq, m->message_id);
		strcat(e->seq, " ");
	}
	for (i = 0; i < m->nqueue_ids; i++)
		if (strcmp(m->queue_ids[i], "B18C9DAEBF") == 0)
			e->reuse++;
	for (i = 0; i < m->nrcpts; i++)
		if (m->rcpts[i].outcome == MT_OUT_FAILED)
			e->failed++;
	return 0;
}

MT_TEST(test_each_message)
{
	struct mt_q_opts o;
	struct each e;
	struct mt_q *q;

	memset(&o, 0, sizeof(o));
	memset(&e, 0, sizeof(e));
	q = mt_q_new(ix, &pcfg, &o);
	MT_EXPECT(mt_q_each_message(q, each_cb, &e) == 0);
	mt_q_free(q);
	/* 1 2 3 4 4-notice 5 5b 6a 6b 7 8 9 10 11 12 13x 13y 14 alice-2 */
	MT_EXPECT_INT(e.n, 19);
	/* oldest first as they close: the settled ones when the next day's
	 * block comes, then those still pending or deferred at the end */
	MT_EXPECT_STR(e.seq, "order-1001@shop.example.com "
	    "news-2002@shop.example.com inv-3003@billing.example.com "
	    "pw-4004@accounts.example.com "
	    "20261102094001.8E5F6A7B8C@relay1.example.com "
	    "inv-1111@billing.example.com acct-1212@accounts.example.com "
	    "a-6006@shop.example.com promo-1313@shop.example.com "
	    "tpl-1414@shop.example.com b-6007@shop.example.com "
	    "order-1002@shop.example.com ticket-5005@support.example.com "
	    "rem-7007@shop.example.com wk-1515@shop.example.com ");
	MT_EXPECT_INT(e.reuse, 2);
	MT_EXPECT_INT(e.failed, 4);	/* judy, mallory, peggy, trent */

	/* a window: only messages with an event after 14:30 */
	memset(&e, 0, sizeof(e));
	if (mt_time_arg("2026-11-02T14:30:00Z", &o.since) < 0)
		MT_FAILF("time");
	q = mt_q_new(ix, &pcfg, &o);
	MT_EXPECT(mt_q_each_message(q, each_cb, &e) == 0);
	mt_q_free(q);
	/* 6b, the second mail to alice, 7 (expired on Nov 7) */
	MT_EXPECT_INT(e.n, 3);
	MT_EXPECT_STR(e.seq, "b-6007@shop.example.com "
	    "order-1002@shop.example.com rem-7007@shop.example.com ");
	MT_EXPECT_INT(e.reuse, 1);
}

/*
 * test_each_message_workers - the messages of a whole-window read are the
 * same, in the same order, whether the blocks are parsed on the caller's
 * thread or on one to four workers
 */
MT_TEST(test_each_message_workers)
{
	static const int workers[] = { -1, 1, 2, 4 };
	struct mt_q_opts o;
	struct each e, ref;
	struct mt_q *q;
	size_t i;

	memset(&ref, 0, sizeof(ref));
	for (i = 0; i < sizeof(workers) / sizeof(workers[0]); i++) {
		memset(&o, 0, sizeof(o));
		memset(&e, 0, sizeof(e));
		o.workers = workers[i];
		q = mt_q_new(ix, &pcfg, &o);
		MT_EXPECT(mt_q_each_message(q, each_cb, &e) == 0);
		mt_q_free(q);
		if (i == 0) {
			ref = e;
			MT_EXPECT_INT(ref.n, 19);
			continue;
		}
		MT_EXPECTF(e.n == ref.n, "workers %d: %zu messages, serial %zu",
		    workers[i], (size_t)e.n, (size_t)ref.n);
		MT_EXPECT_STR(e.seq, ref.seq);
		MT_EXPECT_INT(e.failed, ref.failed);
		MT_EXPECT_INT(e.reuse, ref.reuse);
	}
}

/* days_cb - append "message-id:outcome " of each message */
static int
days_cb(void *arg, const struct mt_q_msg *m)
{
	struct mt_buf *b = arg;

	if (mt_buf_printf(b, "%s:%s ", m->message_id ? m->message_id : "-",
	    m->nrcpts ? mt_outcome_to_text(m->rcpts[0].outcome) : "-") != 0)
		return -1;
	return 0;
}

/*
 * test_each_message_many_blocks - 60 days, a block each, messages that
 * cross midnight: workers hand the blocks back in order, so the messages
 * (and their verdicts) match a serial read exactly
 */
MT_TEST(test_each_message_many_blocks)
{
	static const int workers[] = { -1, 2, 4 };
	struct mt_ix *dix = NULL;
	struct mt_parser *p;
	struct mt_buf got[3];
	struct mt_q_opts o;
	struct mt_q *q;
	char db[sizeof(dbdir) + 16], line[512];
	size_t i;
	int d, k, fmt;

	snprintf(db, sizeof(db), "%s/days.db", dbdir);
	if (mt_ix_open(db, MT_IX_CREATE, &dix) < 0) {
		MT_FAILF("open %s", db);
		return;
	}
	p = mt_parser_new(&pcfg);
	mt_parser_set_input(p, "days", 1794096000);
	for (d = 0; d < 60; d++) {
		/* queued at 23:59 on day d, settled after midnight */
		static const char *const mon[] = { "Jul", "Aug", "Sep" };

		for (k = 0; k < 3; k++) {
			int dd = k < 2 ? d : d + 1;
			const char *m = mon[dd / 30];

			if (k == 0)
				snprintf(line, sizeof(line), "%s %2d 23:59:58 "
				    "relay1 postfix/cleanup[1]: D%04dAAAAA: "
				    "message-id=<day-%d@example.com>", m,
				    dd % 30 + 1, d, d);
			else if (k == 1)
				snprintf(line, sizeof(line), "%s %2d 23:59:59 "
				    "relay1 postfix/qmgr[2]: D%04dAAAAA: "
				    "from=<s@example.com>, size=1, nrcpt=1 "
				    "(queue active)", m, dd % 30 + 1, d);
			else
				snprintf(line, sizeof(line), "%s %2d 00:00:01 "
				    "relay1 postfix/smtp[3]: D%04dAAAAA: "
				    "to=<r%d@example.org>, relay=mx.example.org"
				    "[192.0.2.1]:25, delay=3, delays=0/0/1/2, "
				    "dsn=%s, status=%s (%s)", m, dd % 30 + 1,
				    d, d, d % 3 ? "2.0.0" : "5.1.1",
				    d % 3 ? "sent" : "bounced",
				    d % 3 ? "250 ok" : "550 5.1.1 no such user");
			fmt = put_line(dix, p, line, 0);
			MT_EXPECTF(fmt > 0, "not stored (%d): %s", fmt, line);
		}
	}
	mt_parser_free(p);
	MT_EXPECT(mt_ix_commit(dix, NULL) == 0);
	for (i = 0; i < 3; i++) {
		mt_buf_init(&got[i], 0);
		memset(&o, 0, sizeof(o));
		o.workers = workers[i];
		q = mt_q_new(dix, &pcfg, &o);
		MT_EXPECT(mt_q_each_message(q, days_cb, &got[i]) == 0);
		mt_q_free(q);
	}
	MT_EXPECT(strncmp(got[0].data, "day-0@example.com:bounced "
	    "day-1@example.com:delivered day-2@example.com:delivered "
	    "day-3@example.com:bounced ", 100) == 0);
	MT_EXPECTF(strstr(got[0].data, "day-59@example.com:delivered ") != NULL, "%s", got[0].data);
	MT_EXPECT_STR(got[1].data, got[0].data);
	MT_EXPECT_STR(got[2].data, got[0].data);
	for (i = 0; i < 3; i++)
		mt_buf_free(&got[i]);
	mt_ix_close(dix);
}

/* lines_store - a store of the given syslog lines; NULL on error */
static struct mt_ix *
lines_store(const char *name, const char *const *text, size_t n)
{
	struct mt_ix *lix = NULL;
	struct mt_parser *p;
	char db[sizeof(dbdir) + 32];
	size_t i;

	snprintf(db, sizeof(db), "%s/%s", dbdir, name);
	if (mt_ix_open(db, MT_IX_CREATE, &lix) < 0)
		return NULL;
	p = mt_parser_new(&pcfg);
	mt_parser_set_input(p, name, 1794096000);
	for (i = 0; i < n; i++)
		MT_EXPECTF(put_line(lix, p, text[i], (unsigned long)i + 1) > 0,
		    "%s: line %zu not stored", name, i + 1);
	mt_parser_free(p);
	if (mt_ix_commit(lix, NULL) < 0) {
		mt_ix_close(lix);
		return NULL;
	}
	return lix;
}

/* msg_with_qid - the message of t that has queue ID qid, or NULL */
static const struct mt_q_msg *
msg_with_qid(const struct mt_trace *t, const char *qid)
{
	size_t i, j;

	for (i = 0; i < mt_trace_count(t); i++) {
		const struct mt_q_msg *m = mt_q_trace_msg(t, i);

		for (j = 0; j < m->nqueue_ids; j++)
			if (strcmp(m->queue_ids[j], qid) == 0)
				return m;
	}
	return NULL;
}

/*
 * test_closure_reach - an identifier is looked up around the events that
 * named it: a recipient trace spanning weeks shows each message as a trace
 * of that message does, even when an application reused its Message-ID
 * twelve days later for another mail
 */
MT_TEST(test_closure_reach)
{
	static const char *const reach[] = {
	    "Nov  1 10:00:00 relay1 postfix/cleanup[1]: AAAAAAAAA1: message-id=<dup@app.example>",
	    "Nov  1 10:00:00 relay1 postfix/qmgr[2]: AAAAAAAAA1: from=<s@app.example>, size=1, nrcpt=1 (queue active)",
	    "Nov  1 10:00:01 relay1 postfix/smtp[3]: AAAAAAAAA1: to=<r@dest.example>, relay=mx.dest.example[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 ok)",
	    "Nov 11 10:00:00 relay1 postfix/cleanup[1]: BBBBBBBBB1: message-id=<b@app.example>",
	    "Nov 11 10:00:00 relay1 postfix/qmgr[2]: BBBBBBBBB1: from=<s@app.example>, size=1, nrcpt=1 (queue active)",
	    "Nov 11 10:00:01 relay1 postfix/smtp[3]: BBBBBBBBB1: to=<r@dest.example>, relay=mx.dest.example[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 ok)",
	    "Nov 13 10:00:00 relay1 postfix/cleanup[1]: CCCCCCCCC1: message-id=<dup@app.example>",
	    "Nov 13 10:00:00 relay1 postfix/qmgr[2]: CCCCCCCCC1: from=<s@app.example>, size=1, nrcpt=1 (queue active)",
	    "Nov 13 10:00:01 relay1 postfix/smtp[3]: CCCCCCCCC1: to=<other@dest.example>, relay=mx.dest.example[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 ok)",
	};
	struct mt_ix *lix = lines_store("reach.db", reach,
	    sizeof(reach) / sizeof(reach[0]));
	struct mt_trace *tr = NULL, *ta = NULL;
	const struct mt_q_msg *m, *a;
	struct mt_q_opts o;
	struct mt_q *q;

	if (lix == NULL) {
		MT_FAILF("store");
		return;
	}
	memset(&o, 0, sizeof(o));
	q = mt_q_new(lix, &pcfg, &o);
	MT_EXPECT(mt_q_trace(q, "r@dest.example", &tr) == 0);
	MT_EXPECT(mt_q_trace(q, "AAAAAAAAA1", &ta) == 0);
	mt_q_free(q);
	if (tr == NULL || ta == NULL) {
		mt_trace_free(tr);
		mt_trace_free(ta);
		mt_ix_close(lix);
		return;
	}
	MT_EXPECT_INT(mt_trace_count(tr), 2);
	MT_EXPECT_INT(mt_trace_count(ta), 1);
	m = msg_with_qid(tr, "AAAAAAAAA1");
	a = mt_trace_count(ta) ? mt_q_trace_msg(ta, 0) : NULL;
	MT_EXPECT(m != NULL && a != NULL);
	if (m != NULL && a != NULL) {
		MT_EXPECT_STR(ids(m->queue_ids, m->nqueue_ids), "AAAAAAAAA1");
		MT_EXPECT_STR(ids(a->queue_ids, a->nqueue_ids), "AAAAAAAAA1");
		MT_EXPECT_INT(m->nrcpts, 1);
		MT_EXPECT_INT(m->nevents, a->nevents);
	}
	MT_EXPECT(msg_with_qid(tr, "BBBBBBBBB1") != NULL);
	MT_EXPECT(msg_with_qid(tr, "CCCCCCCCC1") == NULL);
	mt_trace_free(tr);
	mt_trace_free(ta);
	mt_ix_close(lix);
}

/* corpus_store - a store of one corpus file (text lines); NULL on error */
static struct mt_ix *
corpus_store(const char *path, const char *db, char ***qids, size_t *nq)
{
	struct mt_ix *cix = NULL;
	struct mt_parser *p;
	struct mt_event ev;
	uint64_t keys[64];
	char line[16384];
	size_t nk, i;
	FILE *fp;
	int fmt;

	*qids = NULL;
	*nq = 0;
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if (mt_ix_open(db, MT_IX_CREATE, &cix) < 0) {
		fclose(fp);
		return NULL;
	}
	p = mt_parser_new(&pcfg);
	mt_parser_set_input(p, path, 1794096000);
	mt_msg_set_verbosity(0);
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct mt_span rec;

		line[strcspn(line, "\n")] = '\0';
		fmt = mt_parser_push(p, MT_FMT_AUTO, line, strlen(line), 0);
		if (fmt <= 0)
			continue;
		nk = 0;
		while (mt_parser_next(p, &ev) == 1) {
			nk += mt_event_keys(&ev, keys + nk,
			    sizeof(keys) / sizeof(keys[0]) - nk);
			if (ev.qid.n == 0 || ev.qid.n > 20)
				continue;
			for (i = 0; i < *nq; i++)
				if (strlen((*qids)[i]) == ev.qid.n &&
				    memcmp((*qids)[i], ev.qid.p, ev.qid.n) == 0)
					break;
			if (i == *nq) {
				*qids = mt_reallocarray(*qids, *nq + 1, sizeof(**qids));
				(*qids)[(*nq)++] = mt_strndup(ev.qid.p, ev.qid.n);
			}
		}
		rec = mt_parser_record(p);
		if (mt_ix_put(cix, mt_parser_record_time(p), (unsigned)fmt,
		    rec.p, rec.n, keys, nk) < 0)
			break;
	}
	mt_msg_set_verbosity(1);
	mt_parser_free(p);
	fclose(fp);
	if (mt_ix_commit(cix, NULL) < 0) {
		mt_ix_close(cix);
		return NULL;
	}
	return cix;
}

MT_TEST(test_corpus)
{
	static const char *const files[] = {
		"lightmeter-controlcenter/individual_files/14_reuse_of_queueid.log",
		"lightmeter-controlcenter/logs_sample/mail.log",
		"modoboa/mail.log",
		"parse-syslog-mail/logs/postfix-plain.log",
		"parse-syslog-mail/logs/sendmail-plain.log",
		"pmg-log-tracker/test_input_mixed",
	};
	const char *dir = MT_CORPUS();
	char path[1024], db[sizeof(dbdir) + 32];
	char **qids;
	size_t f, i, j, k, nq, traced = 0;

	if (dir == NULL)
		MT_SKIP("corpus not found");
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct mt_ix *cix;
		struct mt_q_opts o;

		snprintf(path, sizeof(path), "%s/%s", dir, files[f]);
		snprintf(db, sizeof(db), "%s/c%zu.db", dbdir, f);
		if ((cix = corpus_store(path, db, &qids, &nq)) == NULL) {
			printf("  %s: not readable, skipped\n", files[f]);
			continue;
		}
		memset(&o, 0, sizeof(o));
		/* every queue ID traces to a message that lists it, and every
		 * recipient gets a verdict */
		for (i = 0; i < nq; i++) {
			struct mt_q *q = mt_q_new(cix, &pcfg, &o);
			struct mt_trace *t = NULL;
			int found = 0;

			MT_EXPECTF(mt_q_trace(q, qids[i], &t) == 0,
			    "%s: trace %s", files[f], qids[i]);
			for (j = 0; j < mt_trace_count(t); j++) {
				const struct mt_q_msg *m = mt_q_trace_msg(t, j);

				for (k = 0; k < m->nqueue_ids; k++)
					if (strcmp(m->queue_ids[k], qids[i]) == 0)
						found = 1;
				for (k = 0; k < m->nrcpts; k++)
					MT_EXPECTF(m->rcpts[k].outcome !=
					    MT_OUT_NONE && m->rcpts[k].stage !=
					    MT_STAGE_NONE, "%s: %s: %s no verdict",
					    files[f], qids[i], m->rcpts[k].address);
			}
			MT_EXPECTF(found, "%s: %s not in its trace", files[f],
			    qids[i]);
			if (f == 0 && strcmp(qids[i], "BABABABABA") == 0) {
				/* reused, each time behind a content filter */
				MT_EXPECT_INT(mt_trace_count(t), 2);
				for (j = 0; j < mt_trace_count(t); j++)
					MT_EXPECT_INT(mt_q_trace_msg(t, j)->
					    nqueue_ids, 2);
			}
			traced++;
			mt_trace_free(t);
			mt_q_free(q);
			free(qids[i]);
		}
		free(qids);
		mt_ix_close(cix);
	}
	printf("  %zu corpus queue IDs traced\n", traced);
	MT_EXPECT(traced > 100);
}

MT_TEST(test_outcome_words)
{
	enum mt_outcome o;
	int i;

	for (i = 1; i < MT_OUT__COUNT; i++) {
		MT_EXPECT(mt_outcome_from_text(
		    mt_outcome_to_text((enum mt_outcome)i), &o) == 0);
		MT_EXPECT_INT(o, i);
	}
	MT_EXPECT(mt_outcome_from_text("lost", &o) < 0);
	MT_EXPECT_STR(mt_outcome_to_text(MT_OUT_COMPLAINED), "complained");
}

int
main(void)
{
	char cmd[sizeof(dbdir) + 16];

	setenv("TZ", "UTC", 1);
	tzset();
	mt_msg_init("test_q");
	if (store_build() < 0)
		printf("  store could not be built\n");
	MT_RUN(test_store);
	MT_RUN(test_delivered_via_ses);
	MT_RUN(test_three_outcomes);
	MT_RUN(test_relay_outcomes);
	MT_RUN(test_queue_id_reuse);
	MT_RUN(test_by_recipient);
	MT_RUN(test_bounce_notice_is_its_own_message);
	MT_RUN(test_json);
	MT_RUN(test_text);
	MT_RUN(test_each_message);
	MT_RUN(test_each_message_workers);
	MT_RUN(test_each_message_many_blocks);
	MT_RUN(test_closure_reach);
	MT_RUN(test_corpus);
	MT_RUN(test_outcome_words);
	mt_ix_close(ix);
	mt_rules_free(rules);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dbdir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", dbdir);
	return MT_DONE();
}
