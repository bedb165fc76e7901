/*
 * test_sm.c - unit tests of the sendmail parser (mt_sm): one row per line
 * shape with exact fields, the to= fan-out, lines that are not ours, and
 * the recognition rate over the sendmail lines of the shared corpus
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mt_msg.h"
#include "mt_parser_ops.h"
#include "mt_sl.h"
#include "mt_test.h"

#define EVMAX 16

struct sm_run {
	int	 r;
	size_t	 n;
	struct mt_event ev[EVMAX];
};

static struct mt_parser_ctx ctx = { NULL, "test", 1, 0, 0 };
static void *st;
static struct mt_time_ctx tc;

/* run - push one syslog line through mt_sl and mt_sm, collect events */
static void
run(const char *line, struct sm_run *out)
{
	struct mt_sl env;
	struct mt_event ev;

	memset(out, 0, sizeof(*out));
	if (mt_sl_parse(&tc, line, strlen(line), &env) != 0) {
		out->r = -100;
		return;
	}
	out->r = mt_sm_ops.push(st, &env, line, strlen(line));
	while (mt_sm_ops.next(st, &ev) == 1)
		if (out->n < EVMAX)
			out->ev[out->n++] = ev;
}

MT_TEST(test_shapes)
{
	static const struct {
		const char *line;
		int	 nev;
		const char *type, *qid, *qid2, *rcpt, *sender, *msgid, *prov;
		const char *relay, *client, *dsn, *status, *reply;
		int	 code;
	} rows[] = {
		{ "Nov  2 10:00:01 relay2 sm-mta[4242]: 2AB3CDef012345: "
		    "from=<billing@billing.example.com>, size=5120, class=0, "
		    "nrcpts=1, msgid=<inv-1111@billing.example.com>, "
		    "bodytype=8BITMIME, proto=ESMTP, daemon=MTA, "
		    "relay=app2.example.com [10.0.0.6]",
		    1, "queued", "2AB3CDef012345", NULL, NULL,
		    "billing@billing.example.com", "inv-1111@billing.example.com",
		    NULL, NULL, "app2.example.com [10.0.0.6]", NULL, NULL, NULL, 0 },
		{ "Nov  2 10:00:03 relay2 sm-mta[4243]: 2AB3CDef012345: "
		    "to=<victor@example.net>, delay=00:00:02, xdelay=00:00:01, "
		    "mailer=esmtp, pri=125120, "
		    "relay=email-smtp.eu-west-1.amazonaws.com. [52.48.11.22], "
		    "dsn=4.0.0, stat=Deferred: Connection timed out with "
		    "email-smtp.eu-west-1.amazonaws.com.",
		    1, "deferred", "2AB3CDef012345", NULL, "victor@example.net",
		    NULL, NULL, NULL,
		    "email-smtp.eu-west-1.amazonaws.com. [52.48.11.22]", NULL,
		    "4.0.0", "Deferred", "Deferred: Connection timed out with "
		    "email-smtp.eu-west-1.amazonaws.com.", 0 },
		{ "Nov  2 10:30:05 relay2 sm-mta[4300]: 2AB3CDef012345: "
		    "to=<victor@example.net>, delay=00:30:04, xdelay=00:00:01, "
		    "mailer=esmtp, pri=215120, "
		    "relay=email-smtp.eu-west-1.amazonaws.com. [52.48.11.22], "
		    "dsn=2.0.0, stat=Sent (Ok 0102018f3a1b2c3d-d6d6d6d6-0011-"
		    "4011-8011-000000000011-000000)",
		    1, "sent", "2AB3CDef012345", NULL, "victor@example.net", NULL,
		    NULL, "0102018f3a1b2c3d-d6d6d6d6-0011-4011-8011-000000000011-000000",
		    "email-smtp.eu-west-1.amazonaws.com. [52.48.11.22]", NULL,
		    "2.0.0", "Sent", "Sent (Ok 0102018f3a1b2c3d-d6d6d6d6-0011-4011-"
		    "8011-000000000011-000000)", 0 },
		{ "Nov  2 10:30:05 relay2 sendmail[4300]: xA1BcD2E003456: "
		    "to=<a@example.net>, delay=00:00:01, mailer=esmtp, pri=1, "
		    "relay=smtp.example.net. [192.0.2.9], dsn=2.0.0, "
		    "stat=Sent (Ok <0100018c2f1a2b3c-5d6e7f80-91a2-4b3c-8d4e-"
		    "5f6a7b8c9d0e-000000>)",
		    1, "sent", "xA1BcD2E003456", NULL, "a@example.net", NULL, NULL,
		    "0100018c2f1a2b3c-5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e-000000",
		    "smtp.example.net. [192.0.2.9]", NULL, "2.0.0", "Sent", NULL, 0 },
		{ "Nov  2 10:30:05 relay2 sendmail[4300]: xA1BcD2E003456: "
		    "to=b@example.org, delay=00:00:01, mailer=relay, pri=1, "
		    "relay=hub.example.org. [10.1.1.1], dsn=2.0.0, "
		    "stat=Sent (xA1BcD2F009999 Message accepted for delivery)",
		    1, "sent", "xA1BcD2E003456", "xA1BcD2F009999", "b@example.org",
		    NULL, NULL, NULL, "hub.example.org. [10.1.1.1]", NULL, "2.0.0",
		    "Sent", "Sent (xA1BcD2F009999 Message accepted for delivery)", 0 },
		{ "Nov  2 10:30:05 relay2 sendmail[4300]: xA1BcD2E003456: "
		    "to=<c@example.org>, delay=00:00:01, mailer=relay, pri=1, "
		    "relay=hub.example.org. [10.1.1.1], dsn=2.0.0, "
		    "stat=Sent (<xA1BcD2F009998> Message accepted for delivery)",
		    1, "sent", "xA1BcD2E003456", "xA1BcD2F009998", "c@example.org",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "Nov  2 10:30:05 relay2 sendmail[4300]: xA1BcD2E003456: "
		    "to=<d@example.org>, delay=00:00:01, mailer=esmtp, pri=1, "
		    "relay=mx.example.org. [10.1.1.2], dsn=2.0.0, "
		    "stat=Sent (Ok: queued as 4XkQ2m1Zz8z9v)",
		    1, "sent", "xA1BcD2E003456", "4XkQ2m1Zz8z9v", "d@example.org",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0 },
		{ "Nov  2 11:00:02 relay2 sm-mta[4400]: 2AB3CDef012399: "
		    "to=<walter@example.com>, delay=00:00:02, xdelay=00:00:02, "
		    "mailer=esmtp, pri=121234, relay=mx.example.com. [198.51.100.9], "
		    "dsn=5.1.1, stat=User unknown",
		    1, "bounced", "2AB3CDef012399", NULL, "walter@example.com", NULL,
		    NULL, NULL, "mx.example.com. [198.51.100.9]", NULL, "5.1.1",
		    "User unknown", "User unknown", 0 },
		{ "Nov  2 11:00:02 relay2 sm-mta[4400]: 2AB3CDef012399: "
		    "to=<w@example.com>, delay=00:00:02, mailer=esmtp, pri=1, "
		    "relay=mx.example.com, dsn=5.1.2, stat=Host unknown (Name "
		    "server: mx.example.com: host not found)",
		    1, "bounced", "2AB3CDef012399", NULL, "w@example.com", NULL, NULL,
		    NULL, "mx.example.com", NULL, "5.1.2", "Host unknown",
		    "Host unknown (Name server: mx.example.com: host not found)", 0 },
		{ "Apr  2 00:15:25 mta001 sendmail[12566]: u31FFPtp032300: "
		    "to=<deferred1@example.com>, delay=00:00:15, xdelay=00:00:15, "
		    "mailer=esmtp, pri=34527, relay=[93.184.216.34] [93.184.216.34], "
		    "dsn=4.3.5, stat=Deferred: 451 4.3.5 Server configuration problem",
		    1, "deferred", "u31FFPtp032300", NULL, "deferred1@example.com",
		    NULL, NULL, NULL, "[93.184.216.34]", NULL, "4.3.5", "Deferred",
		    "Deferred: 451 4.3.5 Server configuration problem", 451 },
		{ "Nov  2 11:00:03 relay2 sm-mta[4401]: 2AB3CDef012399: "
		    "2AB3CDef0124AA: DSN: User unknown",
		    1, "notified", "2AB3CDef012399", "2AB3CDef0124AA", NULL, NULL,
		    NULL, NULL, NULL, NULL, NULL, "DSN", "User unknown", 0 },
		{ "May 20 04:14:47 mailhost sendmail[8953]: j4K9EjQ0008950: "
		    "j4K9ElQ0008953: postmaster notify: Data format error",
		    1, "notified", "j4K9EjQ0008950", "j4K9ElQ0008953", NULL, NULL,
		    NULL, NULL, NULL, NULL, NULL, "postmaster notify",
		    "Data format error", 0 },
		{ "Nov  2 10:05:00 relay2 sm-mta[4500]: xA2BcD2E000001: "
		    "ruleset=check_rcpt, arg1=<mallory@elsewhere.example>, "
		    "relay=unknown [192.0.2.77], reject=550 5.7.1 "
		    "<mallory@elsewhere.example>... Relaying denied",
		    1, "rejected", "xA2BcD2E000001", NULL,
		    "mallory@elsewhere.example", NULL, NULL, NULL, NULL,
		    "unknown [192.0.2.77]", "5.7.1", NULL, "550 5.7.1 "
		    "<mallory@elsewhere.example>... Relaying denied", 550 },
		{ "Feb 23 21:36:14 petermurray sm-mta[22248]: s1NLaDQT022248: "
		    "ruleset=check_mail, arg1=<spam@bad.example>, "
		    "relay=int0.example.net [80.253.155.119] (may be forged), "
		    "reject=553 5.1.8 <spam@bad.example>... Domain of sender "
		    "address spam@bad.example does not exist",
		    1, "rejected", "s1NLaDQT022248", NULL, NULL, "spam@bad.example",
		    NULL, NULL, NULL, "int0.example.net [80.253.155.119]", "5.1.8",
		    NULL, NULL, 553 },
		{ "Feb 24 01:46:44 petermurray sm-mta[24422]: ruleset=check_relay, "
		    "arg1=leased.example.by, arg2=217.21.54.82, "
		    "relay=leased.example.by [217.21.54.82], "
		    "reject=421 4.3.2 Connection rate limit exceeded.",
		    1, "rejected", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    "leased.example.by [217.21.54.82]", "4.3.2", NULL,
		    "421 4.3.2 Connection rate limit exceeded.", 421 },
		{ "Nov  2 10:06:00 relay2 sm-mta[4501]: NOQUEUE: ruleset=check_rcpt, "
		    "arg1=<x@y.example>, relay=[192.0.2.8], reject=550 5.7.1 "
		    "<x@y.example>... Relaying denied",
		    1, "rejected", NULL, NULL, "x@y.example", NULL, NULL, NULL, NULL,
		    "[192.0.2.8]", "5.7.1", NULL, NULL, 550 },
		{ "Nov  2 10:07:00 relay2 sm-mta[2794]: 55HIbcGI002794: "
		    "<baduser@yourhost.example>... User unknown",
		    1, "rejected", "55HIbcGI002794", NULL, "baduser@yourhost.example",
		    NULL, NULL, NULL, NULL, NULL, NULL, "User unknown",
		    "User unknown", 0 },
		{ "Aug  8 12:28:48 ns2 sm-mta[13198]: j78ASk4e013165: "
		    "to=kweek@glurpp, delay=00:00:01, xdelay=00:00:01, "
		    "mailer=cyrusv2, pri=31046, relay=localhost, dsn=2.0.0",
		    1, "sent", "j78ASk4e013165", NULL, "kweek@glurpp", NULL, NULL,
		    NULL, "localhost", NULL, "2.0.0", NULL, NULL, 0 },
		{ "Nov  2 10:08:00 relay2 sm-mta[4600]: xA2BcD2E000002: lost input "
		    "channel from unknown [192.0.2.50] to MTA after rcpt",
		    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, 0 },
		{ "Nov  2 10:08:00 relay2 sm-mta[4600]: STARTTLS=client, "
		    "relay=email-smtp.eu-west-1.amazonaws.com., version=TLSv1.3, "
		    "verify=OK, cipher=TLS_AES_256_GCM_SHA384, bits=256/256",
		    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, 0 },
		{ "Nov  2 10:08:00 relay2 sm-mta[4600]: xA2BcD2E000003: "
		    "unknown [192.0.2.51] did not issue MAIL/EXPN/VRFY/ETRN during "
		    "connection to MTA",
		    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, 0 },
		{ "Nov  2 09:00:00 relay2 sm-mta[400]: starting daemon (8.17.1): "
		    "SMTP+queueing@00:30:00",
		    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, 0 },
		{ "Oct 23 21:01:20 technoids.org sm-mta[13891]: h9NL1K9M013890: "
		    "h9NL1K9M013891: clone: owner=Postmaster",
		    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, 0 },
	};
	struct sm_run res;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct mt_event *e = &res.ev[0];
		int before = mt_t_cur;

		mt_t_cur = 0;
		run(rows[i].line, &res);
		MT_EXPECTF(res.r == 1, "row %zu: push returned %d", i, res.r);
		MT_EXPECTF(res.n == (size_t)rows[i].nev, "row %zu: %zu events, "
		    "want %d", i, res.n, rows[i].nev);
		if (res.n == 0 || rows[i].nev == 0) {
			mt_t_cur |= before;
			continue;
		}
		MT_EXPECT_STR(mt_etype_to_text(e->type), rows[i].type);
		MT_EXPECT_INT(e->src, MT_SRC_SENDMAIL);
		MT_EXPECT_INT(e->stage, MT_STAGE_RELAY);
		MT_EXPECT_SPAN(e->qid, rows[i].qid);
		MT_EXPECT_SPAN(e->qid2, rows[i].qid2);
		MT_EXPECT_SPAN(e->recipient, rows[i].rcpt);
		MT_EXPECT_SPAN(e->sender, rows[i].sender);
		MT_EXPECT_SPAN(e->message_id, rows[i].msgid);
		MT_EXPECT_SPAN(e->provider_id, rows[i].prov);
		if (rows[i].relay)
			MT_EXPECT_SPAN(e->relay, rows[i].relay);
		MT_EXPECT_SPAN(e->client, rows[i].client);
		if (rows[i].dsn)
			MT_EXPECT_SPAN(e->dsn, rows[i].dsn);
		if (rows[i].status)
			MT_EXPECT_SPAN(e->status, rows[i].status);
		if (rows[i].reply)
			MT_EXPECT_SPAN(e->reply, rows[i].reply);
		MT_EXPECT_INT(e->reply_code, rows[i].code);
		MT_EXPECTF(e->raw.p == NULL || e->raw.n == strlen(rows[i].line),
		    "row %zu: raw is not the whole line", i);
		if (mt_t_cur)
			printf("  (row %zu)\n", i);
		mt_t_cur |= before;
	}
}

MT_TEST(test_queued_numbers)
{
	struct sm_run res;

	run("Nov  2 10:00:01 relay2 sm-mta[4242]: 2AB3CDef012345: "
	    "from=<>, size=5120, class=0, nrcpts=3, msgid=<m@x>, proto=ESMTP, "
	    "daemon=MTA, relay=localhost", &res);
	MT_EXPECT_INT(res.n, 1);
	MT_EXPECT_INT(res.ev[0].size, 5120);
	MT_EXPECT_INT(res.ev[0].nrcpt, 3);
	MT_EXPECT_SPAN(res.ev[0].sender, NULL);
	MT_EXPECT_SPAN(res.ev[0].message_id, "m@x");
	MT_EXPECT_SPAN(res.ev[0].host, "relay2");
	MT_EXPECT_SPAN(res.ev[0].prog, "sm-mta");
	MT_EXPECT_STR(mt_etype_to_text(res.ev[0].type), "queued");

	/* a size that does not parse is left unknown */
	run("Nov  2 10:00:01 relay2 sm-mta[4242]: 2AB3CDef012345: "
	    "from=<a@b>, size=99999999999999999999999, class=0, nrcpts=x1, "
	    "msgid=<m@x>", &res);
	MT_EXPECT_INT(res.n, 1);
	MT_EXPECT_INT(res.ev[0].size, -1);
	MT_EXPECT_INT(res.ev[0].nrcpt, -1);
}

MT_TEST(test_fanout)
{
	struct sm_run res;

	run("Apr  2 00:15:25 mta001 sendmail[32302]: u31FFPtp032300: "
	    "to=<sent1@example.com>,<sent2@example.com>,\"Bob B\" <bob@example.com>,"
	    "carol@example.com, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, "
	    "pri=245938, relay=[93.184.216.34] [93.184.216.34], dsn=2.0.0, "
	    "stat=Sent (ok:  Message 40279894 accepted)", &res);
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_INT(res.n, 4);
	MT_EXPECT_SPAN(res.ev[0].recipient, "sent1@example.com");
	MT_EXPECT_SPAN(res.ev[1].recipient, "sent2@example.com");
	MT_EXPECT_SPAN(res.ev[2].recipient, "bob@example.com");
	MT_EXPECT_SPAN(res.ev[3].recipient, "carol@example.com");
	MT_EXPECT_SPAN(res.ev[3].qid, "u31FFPtp032300");
	MT_EXPECT_SPAN(res.ev[3].status, "Sent");
	MT_EXPECT_SPAN(res.ev[3].provider_id, NULL);	/* "ok:  Message" */
	MT_EXPECT_SPAN(res.ev[3].delay, "00:00:00");
	MT_EXPECT_STR(mt_etype_to_text(res.ev[3].type), "sent");
}

MT_TEST(test_fanout_brackets)
{
	struct sm_run res;

	/* a '>' without its '<' (found by fuzz_parser: the address was
	 * cut from one byte before the list to one past its end) */
	run("Apr  2 00:18:50 mta001 sendmail[32301]: u31FFPtp032300: "
	    "to=<a@example.com>, >,x@example.com>,<>,\"B\" <b@example.com>, "
	    "dsn=2.0.0, stat=Sent (ok)", &res);
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_INT(res.n, 4);
	MT_EXPECT_SPAN(res.ev[0].recipient, "a@example.com");
	MT_EXPECT_SPAN(res.ev[1].recipient, ">");
	MT_EXPECT_SPAN(res.ev[2].recipient, "x@example.com>");
	MT_EXPECT_SPAN(res.ev[3].recipient, "b@example.com");
	run("Apr  2 00:18:50 mta001 sendmail[32301]: u31FFPtp032300: "
	    "to=root@localhost,,>, dsn=2.0.0, stat=Sent (ok)", &res);
	MT_EXPECT_INT(res.n, 2);
	MT_EXPECT_SPAN(res.ev[0].recipient, "root@localhost");
	MT_EXPECT_SPAN(res.ev[1].recipient, ">");
}

MT_TEST(test_time_override)
{
	struct sm_run res;

	ctx.time_override = 1234567;
	run("Nov  2 10:00:01 relay2 sm-mta[4242]: 2AB3CDef012345: "
	    "to=<a@b.example>, dsn=2.0.0, stat=Sent (ok)", &res);
	ctx.time_override = 0;
	MT_EXPECT_INT(res.n, 1);
	MT_EXPECT_INT(res.ev[0].time, 1234567);
	run("Nov  2 10:00:01 relay2 sm-mta[4242]: 2AB3CDef012345: "
	    "to=<a@b.example>, dsn=2.0.0, stat=Sent (ok)", &res);
	MT_EXPECT_INT(res.ev[0].time, 1793613601LL * MT_USEC);
}

MT_TEST(test_not_ours)
{
	static const char *const lines[] = {
		"Nov  2 10:00:01 relay1 postfix/smtp[1]: 4A1B2C3D4E: to=<a@b>, "
		    "relay=x, status=sent (250 ok)",
		"Nov  2 10:00:01 relay2 sm-mta[1]: 2AB3CDef012345: something "
		    "nobody has seen before",
		"Nov  2 10:00:01 relay2 sm-mta[1]: ",
		"Nov  2 10:00:01 relay2 sm-mta[1]: 2AB3CDef012345:",
		"Nov  2 10:00:01 relay2 sendmailer2 app: to=<a@b>",
	};
	struct sm_run res;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		run(lines[i], &res);
		MT_EXPECTF(res.r == 0 || res.r == -100, "line %zu: got %d", i,
		    res.r);
		MT_EXPECT_INT(res.n, 0);
	}
}

MT_TEST(test_truncated)
{
	static const char *const base = "Nov  2 10:00:01 relay2 sm-mta[1]: "
	    "2AB3CDef012345: to=<a@b.example>,<c@d.example>, delay=00:00:01, "
	    "relay=x. [1.2.3.4], dsn=5.1.1, stat=Sent (Ok <0100018c2f1a2b3c-"
	    "5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e-000000>)";
	struct sm_run res;
	struct mt_sl env;
	size_t n, len = strlen(base);
	char *buf;

	/* every prefix of a long line, in an exactly sized heap buffer */
	for (n = 1; n <= len; n++) {
		buf = malloc(n);
		memcpy(buf, base, n);
		if (mt_sl_parse(&tc, buf, n, &env) == 0) {
			struct mt_event ev;

			(void)mt_sm_ops.push(st, &env, buf, n);
			while (mt_sm_ops.next(st, &ev) == 1)
				;
		}
		free(buf);
	}
	run(base, &res);
	MT_EXPECT_INT(res.n, 2);
}

/* corpus_file - recognition over the sendmail lines of one file */
static void
corpus_file(const char *dir, const char *rel, unsigned *with_qid,
    unsigned *known, unsigned *events)
{
	char path[1024], line[16384];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if ((fp = fopen(path, "r")) == NULL) {
		printf("  missing %s\n", rel);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strcspn(line, "\r\n");
		struct sm_run res;
		struct mt_sl env;
		int qid;

		line[n] = '\0';
		if (mt_sl_parse(&tc, line, n, &env) != 0)
			continue;
		if (!(env.prog.n >= 8 && memcmp(env.prog.p, "sendmail", 8) == 0) &&
		    !(env.prog.n > 3 && memcmp(env.prog.p, "sm-", 3) == 0))
			continue;
		qid = env.body.n > 9 && memchr(env.body.p, ':', env.body.n <
		    24 ? env.body.n : 24) != NULL &&
		    strncmp(env.body.p, "ruleset=", 8) != 0;
		run(line, &res);
		if (!qid)
			continue;
		(*with_qid)++;
		if (res.r == 1) {
			(*known)++;
			*events += (unsigned)res.n;
		} else
			printf("  unrecognised: %s\n", line);
	}
	fclose(fp);
}

MT_TEST(test_corpus)
{
	static const char *const files[] = {
		"fluent-plugin-sendmail/data",
		"parse-syslog-mail/logs/sendmail-plain.log",
		"parse-syslog-mail/logs/sendmail-custom-dsn.log",
		"parse-syslog-mail/logs/sendmail-done.log",
		"parse-syslog-mail/logs/sendmail-ruleset.log",
		"parse-syslog-mail/logs/technoids.log",
		"fail2ban/sendmail-auth",
		"fail2ban/sendmail-reject",
		"mail-log-parse/log",
	};
	const char *dir = MT_CORPUS();
	unsigned with_qid = 0, known = 0, events = 0;
	struct sm_run res;
	size_t i;

	if (dir == NULL)
		MT_SKIP("no corpus (MT_CORPUS)");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		corpus_file(dir, files[i], &with_qid, &known, &events);
	printf("  corpus: %u of %u sendmail lines with a queue ID recognised, "
	    "%u events\n", known, with_qid, events);
	MT_EXPECT(with_qid >= 300);
	MT_EXPECTF(known * 100 >= with_qid * 95, "recognised %u of %u", known,
	    with_qid);

	/* a few exact fields from the corpus shapes */
	run("Apr  2 00:15:25 mta001 sendmail[32300]: u31FFPtp032300: "
	    "from=<grandeur09@gmail.com>, size=5938, class=0, nrcpts=7, "
	    "msgid=<201604011515.u31FFIAj012911@gmail.com>, proto=ESMTP, "
	    "daemon=MTA, relay=[64.233.187.27]", &res);
	MT_EXPECT_INT(res.n, 1);
	MT_EXPECT_INT(res.ev[0].nrcpt, 7);
	MT_EXPECT_SPAN(res.ev[0].client, "[64.233.187.27]");
	MT_EXPECT_SPAN(res.ev[0].message_id,
	    "201604011515.u31FFIAj012911@gmail.com");
	run("May 20 06:48:50 mailhost sendmail[376]: j4EGMdrM030190: "
	    "j4IIMlJ5000376: return to sender: Cannot send message for 4 days",
	    &res);
	MT_EXPECT_INT(res.n, 1);
	MT_EXPECT_SPAN(res.ev[0].qid2, "j4IIMlJ5000376");
	MT_EXPECT_SPAN(res.ev[0].status, "return to sender");
	MT_EXPECT_SPAN(res.ev[0].reply, "Cannot send message for 4 days");
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	mt_msg_set_verbosity(0);
	mt_time_ctx_init(&tc, 2026, 0);
	st = mt_sm_ops.new(&ctx);
	MT_RUN(test_shapes);
	MT_RUN(test_queued_numbers);
	MT_RUN(test_fanout);
	MT_RUN(test_fanout_brackets);
	MT_RUN(test_time_override);
	MT_RUN(test_not_ours);
	MT_RUN(test_truncated);
	MT_RUN(test_corpus);
	mt_sm_ops.free(st);
	return MT_DONE();
}
