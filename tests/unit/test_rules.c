/*
 * test_rules.c - unit tests of the application rules (mt_rules) and the
 * application parser: every default rule on realistic application log
 * lines, merging, syslog-borne lines, user rules files, load errors
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mt_msg.h"
#include "mt_parser_ops.h"
#include "mt_rules.h"
#include "mt_sl.h"
#include "mt_test.h"

static struct mt_parser_cfg cfg;
static struct mt_parser_ctx ctx = { &cfg, "app.log", 7, 0, 0 };
static char tmpdir[] = "/tmp/test_rules.XXXXXX";

struct app_run {
	int	 r;
	int	 n;
	struct mt_event ev;
};

/* run - push one line (env may be NULL) through the app parser */
static void
run(const struct mt_rules *rs, const struct mt_sl *env, const char *line,
    struct app_run *out)
{
	void *st;
	struct mt_event ev;

	cfg.rules = rs;
	st = mt_app_ops.new(&ctx);
	memset(out, 0, sizeof(*out));
	out->r = mt_app_ops.push(st, env, line, strlen(line));
	while (mt_app_ops.next(st, &ev) == 1)
		if (out->n++ == 0)
			out->ev = ev;
	mt_app_ops.free(st);
}

/* capture - run fn-like load with diagnostics captured into buf */
static FILE *cap;

static void
cap_begin(void)
{
	cap = tmpfile();
	mt_msg_set_stream(cap);
	mt_msg_set_verbosity(1);
}

static void
cap_end(char *buf, size_t bufsz)
{
	size_t n;

	fflush(cap);
	rewind(cap);
	n = fread(buf, 1, bufsz - 1, cap);
	buf[n] = '\0';
	fclose(cap);
	mt_msg_set_stream(NULL);
	mt_msg_set_verbosity(0);
}

/* write_file - create dir/name with text; returns the path (static) */
static const char *
write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

MT_TEST(test_defaults)
{
	static const struct {
		const char *line;
		const char *type, *cls, *msgid, *prov, *req, *rcpt, *reply;
		const char *time;
	} rows[] = {
		/* Java (logback) */
		{ "2026-11-02T09:15:00.412Z INFO  [mailer-3] c.s.mail.Mailer - "
		    "submitted Message-ID=<order-1001@shop.example.com> "
		    "to=alice@example.org via relay1",
		    "submitted", NULL, "order-1001@shop.example.com", NULL, NULL,
		    "alice@example.org", NULL, "2026-11-02T09:15:00.412000Z" },
		{ "2026-11-02T09:44:10.002Z ERROR [mailer-1] c.s.mail.Mailer - send "
		    "failed to=<quinn@example.com>: "
		    "com.sun.mail.util.MailConnectException: Couldn't connect to "
		    "host, port: email-smtp.eu-west-1.amazonaws.com, 587; timeout "
		    "10000",
		    "failed", "connection", NULL, NULL, NULL, "quinn@example.com",
		    "com.sun.mail.util.MailConnectException: Couldn't connect to "
		    "host, port: email-smtp.eu-west-1.amazonaws.com, 587; timeout "
		    "10000", NULL },
		{ "2026-11-02T09:44:11Z ERROR [mailer-1] send failed "
		    "to=ruth@example.com: javax.mail.AuthenticationFailedException: "
		    "535 Authentication Credentials Invalid",
		    "failed", "smtp-auth", NULL, NULL, NULL, "ruth@example.com",
		    "535 Authentication Credentials Invalid", NULL },
		{ "2026-11-02T09:44:12Z ERROR [mailer-1] to=sam@example.com "
		    "javax.net.ssl.SSLHandshakeException: Remote host terminated "
		    "the handshake",
		    "failed", "tls", NULL, NULL, NULL, "sam@example.com",
		    "javax.net.ssl.SSLHandshakeException: Remote host terminated "
		    "the handshake", NULL },
		/* AWS SDK for Java: SES API */
		{ "2026-11-02T09:40:00.100Z ERROR [mailer-2] SES send failed "
		    "to=peggy@example.com: MessageRejected: Email address is not "
		    "verified. The following identities failed the check in "
		    "region EU-WEST-1: noreply@shop.example.com (Service: "
		    "AmazonSimpleEmailService; Status Code: 400; Error Code: "
		    "MessageRejected; Request ID: 5b8c2f1e-1234-4d5e-9f00-"
		    "aabbccddeeff)",
		    "failed", "unverified-sender", NULL, NULL,
		    "5b8c2f1e-1234-4d5e-9f00-aabbccddeeff", "peggy@example.com",
		    "MessageRejected: Email address is not verified. The "
		    "following identities failed the check in region EU-WEST-1: "
		    "noreply@shop.example.com", NULL },
		{ "2026-11-02T09:15:02Z INFO [mailer-2] SES SendEmail ok "
		    "MessageId=0100018c2f1a2b3c-5d6e7f80-91a2-4b3c-8d4e-"
		    "5f6a7b8c9d0e-000000 RequestId=a1b2c3d4-0000-4000-8000-"
		    "000000000001",
		    "submitted", NULL, NULL,
		    "0100018c2f1a2b3c-5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e-000000",
		    "a1b2c3d4-0000-4000-8000-000000000001", NULL, NULL, NULL },
		/* Python logging: comma decimal mark */
		{ "2026-11-02 09:41:00,250 ERROR mailer: to=<trent@example.com> "
		    "send failed: Throttling: Daily message quota exceeded.",
		    "failed", "quota", NULL, NULL, NULL, "trent@example.com",
		    "Throttling: Daily message quota exceeded.",
		    "2026-11-02T09:41:00.250000Z" },
		{ "2026-11-02 09:41:01,000 WARNING mailer: to=<u@example.com> "
		    "Maximum sending rate exceeded.",
		    "failed", "rate-limited", NULL, NULL, NULL, "u@example.com",
		    "Maximum sending rate exceeded.", NULL },
		{ "2026-11-02 09:41:02,000 ERROR mailer: to=<v@example.com> "
		    "smtplib.SMTPAuthenticationError: (535, b'Authentication "
		    "Credentials Invalid')",
		    "failed", "smtp-auth", NULL, NULL, NULL, "v@example.com",
		    "SMTPAuthenticationError: (535, b'Authentication Credentials "
		    "Invalid')", NULL },
		/* Node (pino-like text) */
		{ "2026-11-02T09:41:03.120Z error Error: connect ETIMEDOUT "
		    "52.48.11.22:587 recipient=w@example.com",
		    "failed", "connection", NULL, NULL, NULL, "w@example.com",
		    "connect ETIMEDOUT 52.48.11.22:587", NULL },
		{ "2026-11-02T09:41:04.000Z info smtp 250 Ok "
		    "<0102018f3a1b2c3d-a1a1a1a1-0001-4001-8001-000000000001-000000> "
		    "to=x@example.org",
		    "submitted", NULL, NULL,
		    "0102018f3a1b2c3d-a1a1a1a1-0001-4001-8001-000000000001-000000",
		    NULL, "x@example.org", NULL, NULL },
		{ "2026-11-02T09:41:05Z warn ThrottlingException: Rate exceeded "
		    "RequestId=0f0e0d0c-1111-4222-8333-444455556666",
		    "failed", "rate-limited", NULL, NULL,
		    "0f0e0d0c-1111-4222-8333-444455556666", NULL,
		    "ThrottlingException: Rate exceeded", NULL },
		/* PHP (Monolog / Laravel) */
		{ "[2026-11-02 09:41:06] production.ERROR: Expected response "
		    "code 250 but got code \"554\", with message \"554 Access "
		    "denied: IP not allowed for authentication\" to=y@example.com",
		    "failed", "smtp-auth", NULL, NULL, NULL, "y@example.com",
		    "554 Access denied: IP not allowed for authentication", NULL },
		{ "[2026-11-02T09:41:07.000000+01:00] app.ERROR: Account is "
		    "paused. to=z@example.com",
		    "failed", "account-paused", NULL, NULL, NULL, "z@example.com",
		    "Account is paused.", "2026-11-02T08:41:07Z" },
		{ "[2026-11-02 09:41:08] production.INFO: mail sent "
		    "message_id=\"20261102094108.abc@shop.example.com\"",
		    "submitted", NULL, "20261102094108.abc@shop.example.com", NULL,
		    NULL, NULL, NULL, NULL },
		{ "2026-11-02T09:41:09Z ERROR smtp: Connection refused "
		    "RequestId=9a9a9a9a-0000-4000-8000-000000000009",
		    "failed", "connection", NULL, NULL,
		    "9a9a9a9a-0000-4000-8000-000000000009", NULL,
		    "Connection refused", NULL },
	};
	struct mt_rules *rs = mt_rules_new();
	struct app_run res;
	char tbuf[MT_TIME_BUFSZ];
	size_t i;

	MT_EXPECT_INT(mt_rules_add_defaults(rs), 0);
	MT_EXPECT_INT(mt_rules_count(rs), 18);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct mt_event *e = &res.ev;
		int before = mt_t_cur;

		mt_t_cur = 0;
		run(rs, NULL, rows[i].line, &res);
		MT_EXPECT_INT(res.r, 1);
		MT_EXPECT_INT(res.n, 1);
		MT_EXPECT_STR(mt_etype_to_text(e->type), rows[i].type);
		MT_EXPECT_INT(e->src, MT_SRC_APP);
		MT_EXPECT_INT(e->stage, MT_STAGE_APPLICATION);
		MT_EXPECT_SPAN(e->cls, rows[i].cls);
		MT_EXPECT_SPAN(e->message_id, rows[i].msgid);
		MT_EXPECT_SPAN(e->provider_id, rows[i].prov);
		MT_EXPECT_SPAN(e->request_id, rows[i].req);
		MT_EXPECT_SPAN(e->recipient, rows[i].rcpt);
		MT_EXPECT_SPAN(e->reply, rows[i].reply);
		MT_EXPECT_SPAN(e->raw, rows[i].line);
		MT_EXPECT(e->time != 0);
		if (rows[i].time)
			MT_EXPECT_STR(mt_time_format(e->time, tbuf),
			    rows[i].time);
		if (mt_t_cur)
			printf("  (row %zu)\n", i);
		mt_t_cur |= before;
	}
	mt_rules_free(rs);
}

MT_TEST(test_not_recognised)
{
	static const char *const lines[] = {
		"2026-11-02T09:15:00.412Z INFO  [main] application started",
		"2026-11-02T09:15:00Z INFO mail from=noreply@shop.example.com",
		"INFO  [mailer-3] Message-ID=<order-1001@shop.example.com>",
		"",
		"   ",
	};
	struct mt_rules *rs = mt_rules_new();
	struct app_run res;
	size_t i;

	MT_EXPECT_INT(mt_rules_add_defaults(rs), 0);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		run(rs, NULL, lines[i], &res);
		MT_EXPECTF(res.r == 0 && res.n == 0, "line %zu: r %d n %d", i,
		    res.r, res.n);
	}
	/* no rules at all: nothing is recognised */
	run(NULL, NULL, "2026-11-02T09:15:00Z Message-ID=<a@b>", &res);
	MT_EXPECT_INT(res.r, 0);
	mt_rules_free(rs);
}

MT_TEST(test_syslog_and_override)
{
	const char *line = "Nov  2 09:15:00 app1 shop[812]: INFO submitted "
	    "Message-ID=<news-2002@shop.example.com> to relay1";
	struct mt_rules *rs = mt_rules_new();
	struct mt_time_ctx tc;
	struct mt_sl env;
	struct app_run res;
	char tbuf[MT_TIME_BUFSZ];

	MT_EXPECT_INT(mt_rules_add_defaults(rs), 0);
	mt_time_ctx_init(&tc, 2026, 0);
	MT_EXPECT_INT(mt_sl_parse(&tc, line, strlen(line), &env), 0);
	run(rs, &env, line, &res);
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_STR(mt_time_format(res.ev.time, tbuf), "2026-11-02T09:15:00Z");
	MT_EXPECT_SPAN(res.ev.message_id, "news-2002@shop.example.com");
	MT_EXPECT_SPAN(res.ev.host, "app1");
	MT_EXPECT_SPAN(res.ev.prog, "shop");
	MT_EXPECT_STR(mt_etype_to_text(res.ev.type), "submitted");
	/* without the envelope the line has no time */
	run(rs, NULL, "INFO Message-ID=<news-2002@shop.example.com>", &res);
	MT_EXPECT_INT(res.r, 0);
	/* the stored time stands in at query time */
	ctx.time_override = 42 * MT_USEC;
	run(rs, NULL, "INFO Message-ID=<news-2002@shop.example.com>", &res);
	ctx.time_override = 0;
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_INT(res.ev.time, 42 * MT_USEC);
	mt_rules_free(rs);
}

MT_TEST(test_user_file)
{
	const char *rules =
	    "# billing: \"<time> | <level> | invoice mailer | ...\"\n"
	    "billing-sent submitted ^(?<time>\\S+) \\| INFO +\\| invoice "
	    "mailer \\| sent invoice \\S+ to (?<recipient>\\S+) "
	    "msgid (?<message_id>\\S+)$\n"
	    "\tsample 2026-11-02T10:00:00Z | INFO  | invoice mailer | sent "
	    "invoice INV-1111 to victor@example.net msgid "
	    "<inv-1111@billing.example.com>\n"
	    "\n"
	    "billing-failed failed:quota ^(?<time>\\S+) \\| ERROR \\| invoice "
	    "mailer \\| (?<status>rejected) (?<recipient>\\S+): "
	    "(?<error>.+)$\n";
	const char *line = "2026-11-02T10:00:00Z | INFO  | invoice mailer | "
	    "sent invoice INV-1111 to victor@example.net msgid "
	    "<inv-1111@billing.example.com>";
	const char *over = "recipient other \\brcpt:(?<recipient>\\S+@\\S+)\n"
	    "ses-quota off\n";
	const char *line2 = "2026-11-02T10:05:00Z | ERROR | invoice mailer | "
	    "rejected xavier@example.org: over the monthly limit";
	struct mt_rules *rs = mt_rules_new();
	struct app_run res;

	MT_EXPECT_INT(mt_rules_add_defaults(rs), 0);
	MT_EXPECT_INT(mt_rules_load_file(rs, write_file("billing.rules",
	    rules)), 0);
	MT_EXPECT_INT(mt_rules_count(rs), 20);
	run(rs, NULL, line, &res);
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_STR(mt_etype_to_text(res.ev.type), "submitted");
	MT_EXPECT_SPAN(res.ev.recipient, "victor@example.net");
	MT_EXPECT_SPAN(res.ev.message_id, "inv-1111@billing.example.com");
	run(rs, NULL, line2, &res);
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_STR(mt_etype_to_text(res.ev.type), "failed");
	MT_EXPECT_SPAN(res.ev.recipient, "xavier@example.org");
	MT_EXPECT_SPAN(res.ev.status, "rejected");
	MT_EXPECT_SPAN(res.ev.reply, "over the monthly limit");
	MT_EXPECT_SPAN(res.ev.cls, "quota");

	/* a user rule of the same name replaces a default; off removes */
	MT_EXPECT_INT(mt_rules_load_text(rs, "inline", over, strlen(over)), 0);
	MT_EXPECT_INT(mt_rules_count(rs), 19);
	run(rs, NULL, "2026-11-02T10:00:00Z rcpt:a@b.example to=c@d.example",
	    &res);
	MT_EXPECT_SPAN(res.ev.recipient, "a@b.example");
	run(rs, NULL, "2026-11-02T10:00:00Z rcpt:c@d.example Daily message "
	    "quota exceeded", &res);
	MT_EXPECT_INT(res.r, 1);
	MT_EXPECT_STR(mt_etype_to_text(res.ev.type), "other");
	MT_EXPECT_SPAN(res.ev.recipient, "c@d.example");
	MT_EXPECT_SPAN(res.ev.cls, NULL);
	/* the replaced default no longer reads to= */
	run(rs, NULL, "2026-11-02T10:00:00Z to=c@d.example", &res);
	MT_EXPECT_INT(res.r, 0);
	mt_rules_free(rs);
}

MT_TEST(test_sample_file)
{
	/* the shipped example: sample-logs/app/billing.rules + billing.log */
	struct mt_rules *rs = mt_rules_new();
	struct app_run res;
	char line[4096];
	FILE *fp;
	int n = 0, nfail = 0;

	MT_EXPECT_INT(mt_rules_add_defaults(rs), 0);
	MT_EXPECT_INT(mt_rules_load_file(rs, "sample-logs/app/billing.rules"),
	    0);
	if ((fp = fopen("sample-logs/app/billing.log", "r")) == NULL) {
		MT_FAILF("sample-logs/app/billing.log: cannot open");
		mt_rules_free(rs);
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		run(rs, NULL, line, &res);
		if (res.r != 1)
			continue;
		n++;
		if (res.ev.type == MT_EV_FAILED)
			nfail++;
		if (mt_span_eq(res.ev.message_id, "inv-1111@billing.example.com"))
			MT_EXPECT_SPAN(res.ev.recipient, "victor@example.net");
	}
	fclose(fp);
	MT_EXPECT_INT(n, 3);
	MT_EXPECT_INT(nfail, 1);
	mt_rules_free(rs);
}

MT_TEST(test_load_errors)
{
	static const struct {
		const char *text, *want;
	} rows[] = {
		{ "# ok\n\nbroken failed:quota (?<error>quota exceeded\n",
		    ":3: bad pattern at offset 23: missing closing "
		    "parenthesis\n" },
		{ "odd other (?<msgid>\\S+@\\S+)\n",
		    ":1: rule odd: unknown group name \"msgid\" (known: "
		    "time, message_id, provider_id, request_id, recipient, sender, "
		    "status, error, dsn, class)\n" },
		{ "x delivered abc\n",
		    ":1: rule x: bad event word \"delivered\" "
		    "(submitted, failed, other, off; class as failed:quota)\n" },
		{ "x other to=(?<recipient>\\S+)\n\tsample from=a@b\n",
		    ":2: rule x does not match its sample\n" },
		{ "x other\n", ":1: rule x: missing pattern\n" },
		{ "\tsample abc\n", ":1: sample without a rule\n" },
		{ "x failed:bad/class abc\n",
		    ":1: rule x: bad event word \"failed:bad/class\" "
		    "(submitted, failed, other, off; class as failed:quota)\n" },
	};
	char got[1024], want[1024];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct mt_rules *rs = mt_rules_new();
		const char *path = write_file("bad.rules", rows[i].text);
		int r;

		cap_begin();
		r = mt_rules_load_file(rs, path);
		cap_end(got, sizeof(got));
		snprintf(want, sizeof(want), "msgtrail: %s%s", path, rows[i].want);
		MT_EXPECTF(r == -MT_ERR_INPUT, "row %zu: returned %d", i, r);
		MT_EXPECT_STR(got, want);
		mt_rules_free(rs);
	}
}

MT_TEST(test_load_dir)
{
	struct mt_rules *rs = mt_rules_new();
	char sub[600];

	/* a missing directory is fine */
	snprintf(sub, sizeof(sub), "%s/nonexistent", tmpdir);
	MT_EXPECT_INT(mt_rules_load_dir(rs, sub), 0);
	MT_EXPECT_INT(mt_rules_count(rs), 0);
	/* *.rules only, in name order: b replaces a's rule of the same name */
	(void)write_file("20-b.rules", "r1 failed:tls \\bB(?<recipient>\\S+)\n");
	(void)write_file("10-a.rules", "r1 other \\bA(?<recipient>\\S+)\n"
	    "r2 other \\bC(?<request_id>\\S+)\n");
	(void)write_file("30-c.rules.bak", "r3 other (\n");
	unlink(write_file("billing.rules", ""));
	unlink(write_file("bad.rules", ""));
	MT_EXPECT_INT(mt_rules_load_dir(rs, tmpdir), 0);
	MT_EXPECT_INT(mt_rules_count(rs), 2);
	mt_rules_free(rs);
}

MT_TEST(test_match_limit)
{
	struct mt_rules *rs = mt_rules_new();
	struct app_run res;
	char line[200], got[1024];
	const char *text = "slow other ^(?<recipient>(a|aa)+)+$\n"
	    "fast other ^(?<time>\\S+) (?<request_id>r-\\d+)\n";

	MT_EXPECT_INT(mt_rules_load_text(rs, "inline", text, strlen(text)), 0);
	snprintf(line, sizeof(line), "2026-11-02T10:00:00Z r-1 %s",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	cap_begin();
	run(rs, NULL, line, &res);
	/* the slow rule on its own */
	run(rs, NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", &res);
	cap_end(got, sizeof(got));
	MT_EXPECT_INT(res.r, 0);
	MT_EXPECTF(strstr(got, "app.log:7: rule slow skipped: ") != NULL,
	    "got \"%s\"", got);
	mt_rules_free(rs);
}

/* shared rule set, several threads: the arguments of one thread */
struct jit_thread {
	const struct mt_rules *rs;
	pthread_barrier_t *start;
	int	 recognised;
	char	 cls[64];
};

static const char jit_line[] = "2026-11-02T09:44:10.002Z ERROR [mailer-1] "
    "c.s.mail.Mailer - send failed to=<quinn@example.com>: "
    "com.sun.mail.util.MailConnectException: Couldn't connect to host, "
    "port: email-smtp.eu-west-1.amazonaws.com, 587; timeout 10000";

/* jit_worker - one parser of the shared set, started with the others */
static void *
jit_worker(void *arg)
{
	struct jit_thread *t = arg;
	struct mt_parser_cfg tcfg;
	struct mt_parser_ctx tctx;
	struct mt_event ev;
	void *st;
	int i;

	memset(&tcfg, 0, sizeof(tcfg));
	tcfg.rules = t->rs;
	memset(&tctx, 0, sizeof(tctx));
	tctx.cfg = &tcfg;
	tctx.file = "app.log";
	st = mt_app_ops.new(&tctx);
	pthread_barrier_wait(t->start);
	for (i = 0; i < 50; i++) {
		if (mt_app_ops.push(st, NULL, jit_line, strlen(jit_line)) == 1)
			t->recognised++;
		while (mt_app_ops.next(st, &ev) == 1)
			snprintf(t->cls, sizeof(t->cls), "%.*s",
			    (int)ev.cls.n, ev.cls.p ? ev.cls.p : "");
	}
	mt_app_ops.free(st);
	return NULL;
}

/*
 * test_shared_across_threads - parsers on four threads share one set and
 * reach a rule's first use together: each compiles nothing twice (under
 * ASan a pattern compiled twice at once leaks) and all get the same answer
 */
MT_TEST(test_shared_across_threads)
{
	struct jit_thread t[4];
	pthread_t th[4];
	pthread_barrier_t start;
	int round, i;

	for (round = 0; round < 20; round++) {
		struct mt_rules *rs = mt_rules_new();

		MT_EXPECT_INT(mt_rules_add_defaults(rs), 0);
		pthread_barrier_init(&start, NULL, 4);
		for (i = 0; i < 4; i++) {
			memset(&t[i], 0, sizeof(t[i]));
			t[i].rs = rs;
			t[i].start = &start;
			if (pthread_create(&th[i], NULL, jit_worker, &t[i]) != 0)
				exit(2);
		}
		for (i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&start);
		for (i = 0; i < 4; i++) {
			MT_EXPECT_INT(t[i].recognised, 50);
			MT_EXPECT_STR(t[i].cls, "connection");
		}
		mt_rules_free(rs);
	}
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	mt_msg_set_verbosity(0);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	MT_RUN(test_defaults);
	MT_RUN(test_not_recognised);
	MT_RUN(test_syslog_and_override);
	MT_RUN(test_user_file);
	MT_RUN(test_sample_file);
	MT_RUN(test_load_errors);
	MT_RUN(test_load_dir);
	MT_RUN(test_match_limit);
	MT_RUN(test_shared_across_threads);
	unlink(write_file("10-a.rules", ""));
	unlink(write_file("20-b.rules", ""));
	unlink(write_file("30-c.rules.bak", ""));
	rmdir(tmpdir);
	return MT_DONE();
}
