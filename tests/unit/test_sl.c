/*
 * test_sl.c - unit tests of mt_sl: every syslog envelope form, and lines
 * that are not syslog
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mt_sl.h"
#include "mt_test.h"

MT_TEST(test_envelopes)
{
	static const struct {
		const char *line, *time, *host, *prog;
		long pid;
		const char *body;
	} rows[] = {
		{ "Nov  2 09:15:01 relay1 postfix/smtp[2301]: 4A1B2C3D4E: to=<a@b>",
		    "2026-11-02T09:15:01Z", "relay1", "postfix/smtp", 2301,
		    "4A1B2C3D4E: to=<a@b>" },
		{ "Nov 2 09:15:01 relay1 postfix/submission/smtpd[77]: connect from x",
		    "2026-11-02T09:15:01Z", "relay1", "postfix/submission/smtpd", 77,
		    "connect from x" },
		{ "Nov 12 23:01:02.250000 mx postfix-out/smtp[1]: hi",
		    "2026-11-12T23:01:02.250000Z", "mx", "postfix-out/smtp", 1,
		    "hi" },
		{ "Nov  2 09:15:01 relay2 sm-mta[4242]: 2AB3CDef012345: from=<x>",
		    "2026-11-02T09:15:01Z", "relay2", "sm-mta", 4242,
		    "2AB3CDef012345: from=<x>" },
		{ "Nov  2 09:15:01 relay1 postfix-239.58.50.50/qmgr[9]: QQ: removed",
		    "2026-11-02T09:15:01Z", "relay1", "postfix-239.58.50.50/qmgr", 9,
		    "QQ: removed" },
		{ "Nov  2 09:15:01 relay1 kernel: something happened",
		    "2026-11-02T09:15:01Z", "relay1", "kernel", -1,
		    "something happened" },
		{ "<22>Nov  2 09:15:01 relay1 postfix/qmgr[5]: X: removed",
		    "2026-11-02T09:15:01Z", "relay1", "postfix/qmgr", 5,
		    "X: removed" },
		{ "2026-11-02T09:15:01.123456+01:00 relay3 postfix/smtpd[12]: body",
		    "2026-11-02T08:15:01.123456Z", "relay3", "postfix/smtpd", 12,
		    "body" },
		{ "2026-11-02T09:15:01+0100 relay3 postfix/cleanup[3]: X: message-id=<m>",
		    "2026-11-02T08:15:01Z", "relay3", "postfix/cleanup", 3,
		    "X: message-id=<m>" },
		{ "<22>1 2026-11-02T09:15:01Z relay4 postfix/smtp 1234 - - X: removed",
		    "2026-11-02T09:15:01Z", "relay4", "postfix/smtp", 1234,
		    "X: removed" },
		{ "<22>1 2026-11-02T09:15:01.5Z relay4 postfix/smtp - ID47 "
		    "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\]x\"][b@1 c=\"]\"] "
		    "\xef\xbb\xbfhello world",
		    "2026-11-02T09:15:01.500000Z", "relay4", "postfix/smtp", -1,
		    "hello world" },
		{ "<22>1 2026-11-02T09:15:01Z relay4 app 7 - -",
		    "2026-11-02T09:15:01Z", "relay4", "app", 7, "" },
		{ "Nov  2 09:15:01 relay1 postfix/smtpd[1]:",
		    "2026-11-02T09:15:01Z", "relay1", "postfix/smtpd", 1, "" },
	};
	struct mt_time_ctx tc;
	struct mt_sl sl;
	char buf[MT_TIME_BUFSZ];
	size_t i;
	int r;

	setenv("TZ", "UTC", 1);
	tzset();
	mt_time_ctx_init(&tc, 2026, 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = mt_sl_parse(&tc, rows[i].line, strlen(rows[i].line), &sl);
		MT_EXPECTF(r == 0, "row %zu: rejected: %s", i, rows[i].line);
		if (r != 0)
			continue;
		MT_EXPECTF(strcmp(mt_time_format(sl.time, buf), rows[i].time) == 0,
		    "row %zu: time %s want %s", i, buf, rows[i].time);
		MT_EXPECT_SPAN(sl.host, rows[i].host);
		MT_EXPECT_SPAN(sl.prog, rows[i].prog);
		MT_EXPECT_INT(sl.pid, rows[i].pid);
		MT_EXPECTF(sl.body.n == strlen(rows[i].body) &&
		    memcmp(sl.body.p, rows[i].body, sl.body.n) == 0,
		    "row %zu: body \"%.*s\" want \"%s\"", i, (int)sl.body.n,
		    sl.body.p, rows[i].body);
	}
}

MT_TEST(test_not_syslog)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"2026-11-02 09:15:01,123 INFO shop.mail submitted",
		"Nov  2 09:15:01",
		"Nov  2 09:15:01 relay1",
		"Nov  2 09:15:01 relay1 last message repeated 3 times",
		"Nov  2 09:15:01 relay1 prog[12x]: body",
		"Nov  2 09:15:01 relay1 prog[12 body",
		"Nov 32 09:15:01 relay1 prog: body",
		"<22 Nov  2 09:15:01 relay1 prog: body",
		"<22>1 garbage",
		"<22>1 2026-11-02T09:15:01Z relay4 app 7 - [unterminated",
		"{\"eventType\":\"Delivery\"}",
		"Nov  2 09:15:01 relay1 : empty prog",
	};
	struct mt_time_ctx tc;
	struct mt_sl sl;
	size_t i;
	char *copy;

	mt_time_ctx_init(&tc, 2026, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* an exact-size heap copy: ASan catches reads past the end */
		copy = malloc(strlen(bad[i]) + 1);
		memcpy(copy, bad[i], strlen(bad[i]));
		MT_EXPECTF(mt_sl_parse(&tc, copy, strlen(bad[i]), &sl) ==
		    -MT_ERR_INPUT, "accepted \"%s\"", bad[i]);
		free(copy);
	}
}

MT_TEST(test_truncations)
{
	const char *l =
	    "<22>1 2026-11-02T09:15:01Z relay4 postfix/smtp 1234 - [a b=\"c\"] x";
	struct mt_time_ctx tc;
	struct mt_sl sl;
	size_t n;
	char *copy;

	/* every prefix of a valid line: no crash, no read past the end */
	mt_time_ctx_init(&tc, 2026, 0);
	for (n = 0; n <= strlen(l); n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, l, n);
		(void)!mt_sl_parse(&tc, copy, n, &sl);
		free(copy);
	}
	l = "Nov  2 09:15:01.123 relay1 postfix/smtp[2301]: body";
	for (n = 0; n <= strlen(l); n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, l, n);
		if (mt_sl_parse(&tc, copy, n, &sl) == 0)
			MT_EXPECTF(n >= 46, "prefix %zu accepted", n);
		free(copy);
	}
}

int
main(void)
{
	MT_RUN(test_envelopes);
	MT_RUN(test_not_syslog);
	MT_RUN(test_truncations);
	return MT_DONE();
}
