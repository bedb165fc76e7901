/*
 * test_jd.c - mt_jd: journalctl -o json records to syslog lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mt_buf.h"
#include "mt_in.h"
#include "mt_jd.h"
#include "mt_msg.h"
#include "mt_test.h"

/* jd_case - a record, the result, the line or the diagnostic */
struct jd_case {
	const char *name;
	const char *in;
	int ret;
	const char *want;	/* line when ret == 1, else the message */
};

MT_TEST(t_cases)
{
	static const struct jd_case tab[] = {
		{ "typical", "{\"__CURSOR\":\"s=1;i=2\",\"__REALTIME_TIMESTAMP\":"
		    "\"1793610901123456\",\"__MONOTONIC_TIMESTAMP\":\"123\","
		    "\"_BOOT_ID\":\"b\",\"PRIORITY\":\"6\",\"SYSLOG_FACILITY\":\"2\","
		    "\"SYSLOG_IDENTIFIER\":\"postfix/smtp\",\"_PID\":\"4242\","
		    "\"_COMM\":\"smtp\",\"_HOSTNAME\":\"relay1\",\"MESSAGE\":"
		    "\"4A1B2C3D4E: to=<alice@example.org>, status=sent (250 Ok)\"}",
		    1, "2026-11-02T09:15:01.123456+00:00 relay1 postfix/smtp[4242]: "
		    "4A1B2C3D4E: to=<alice@example.org>, status=sent (250 Ok)" },
		{ "syslog pid, numbers", "{\"__REALTIME_TIMESTAMP\":"
		    "1793610901000000,\"SYSLOG_PID\":17,\"_HOSTNAME\":\"relay2\","
		    "\"SYSLOG_IDENTIFIER\":\"sm-mta\",\"MESSAGE\":\"x\"}", 1,
		    "2026-11-02T09:15:01.000000+00:00 relay2 sm-mta[17]: x" },
		{ "no pid, no host, comm", "{\"__REALTIME_TIMESTAMP\":\"0\","
		    "\"_COMM\":\"my app\",\"MESSAGE\":\"a\\nb\\tc\"}", 1,
		    "1970-01-01T00:00:00.000000+00:00 localhost my_app: a?b?c" },
		{ "byte array", "{\"__REALTIME_TIMESTAMP\":\"1793610901000001\","
		    "\"_HOSTNAME\":\"h\",\"SYSLOG_IDENTIFIER\":\"p\",\"MESSAGE\":"
		    "[104,105,255,10,0]}", 1,
		    "2026-11-02T09:15:01.000001+00:00 h p: hi\xff??" },
		{ "not journald", "{\"eventType\":\"Send\",\"mail\":{}}", 0, "" },
		{ "no MESSAGE", "{\"__REALTIME_TIMESTAMP\":\"1\"}", 0, "" },
		{ "array value", "[\"__REALTIME_TIMESTAMP\"]", 0, "" },
		{ "MESSAGE null", "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":"
		    "null}", -MT_ERR_INPUT, "journald: MESSAGE left out by "
		    "journalctl (too large; use journalctl --all)" },
		{ "MESSAGE object", "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":"
		    "{}}", -MT_ERR_INPUT, "journald: \"MESSAGE\" is not a string "
		    "or a byte array" },
		{ "bad byte", "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":"
		    "[1,256]}", -MT_ERR_INPUT,
		    "journald: \"MESSAGE[1]\" is not a byte value" },
		{ "bad time", "{\"__REALTIME_TIMESTAMP\":\"12x\",\"MESSAGE\":"
		    "\"m\"}", -MT_ERR_INPUT,
		    "journald: \"__REALTIME_TIMESTAMP\" is not a number" },
		{ "negative time", "{\"__REALTIME_TIMESTAMP\":-5,\"MESSAGE\":"
		    "\"m\"}", -MT_ERR_INPUT,
		    "journald: \"__REALTIME_TIMESTAMP\" is not a number" },
		{ "huge time", "{\"__REALTIME_TIMESTAMP\":\"99999999999999999999\","
		    "\"MESSAGE\":\"m\"}", -MT_ERR_INPUT,
		    "journald: \"__REALTIME_TIMESTAMP\" is not a number" },
		{ "bad pid", "{\"__REALTIME_TIMESTAMP\":\"1\",\"_PID\":\"-1\","
		    "\"MESSAGE\":\"m\"}", -MT_ERR_INPUT,
		    "journald: \"_PID\" is not a number" },
		{ "host type", "{\"__REALTIME_TIMESTAMP\":\"1\",\"_HOSTNAME\":1,"
		    "\"MESSAGE\":\"m\"}", -MT_ERR_INPUT,
		    "journald: \"_HOSTNAME\" is not a string" },
		{ "duplicate", "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"a\","
		    "\"MESSAGE\":\"b\"}", -MT_ERR_INPUT, "JSON error at line 1 "
		    "column 51: duplicate object key near '\"MESSAGE\"'" },
	};
	struct mt_buf out;
	char want[512];
	const char *m;
	size_t i;
	int r;

	mt_buf_init(&out, 4096);
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		mt_buf_reset(&out);
		mt_t_cap_start();
		r = mt_jd_to_syslog(tab[i].in, strlen(tab[i].in), &out,
		    "j.json", 3);
		m = mt_t_cap_end();
		MT_EXPECTF(r == tab[i].ret, "%s: got %d, want %d", tab[i].name,
		    r, tab[i].ret);
		if (tab[i].ret == 1) {
			MT_EXPECTF(out.data && strcmp(out.data, tab[i].want) == 0,
			    "%s: got \"%s\"", tab[i].name, out.data);
			MT_EXPECTF(*m == '\0', "%s: message %s", tab[i].name, m);
			continue;
		}
		if (*tab[i].want)
			snprintf(want, sizeof(want), "msgtrail: j.json:3: %s\n",
			    tab[i].want);
		else
			want[0] = '\0';
		MT_EXPECTF(strcmp(m, want) == 0, "%s: got \"%s\", want \"%s\"",
		    tab[i].name, m, want);
	}
	mt_buf_free(&out);
}

MT_TEST(t_too_long)
{
	struct mt_buf out;

	mt_buf_init(&out, 40);
	mt_t_cap_start();
	MT_EXPECT_INT(mt_jd_to_syslog("{\"__REALTIME_TIMESTAMP\":\"1\","
	    "\"MESSAGE\":\"a long message that does not fit\"}", 73, &out,
	    "j.json", 9), -MT_ERR_INPUT);
	MT_EXPECT_STR(mt_t_cap_end(), "msgtrail: j.json:9: journald: line longer "
	    "than 40 bytes\n");
	mt_buf_free(&out);
}

MT_TEST(t_through_mt_in)
{
	static const char data[] =
	    "{\"__REALTIME_TIMESTAMP\":\"1793610901000000\",\"_HOSTNAME\":"
	    "\"relay1\",\"SYSLOG_IDENTIFIER\":\"postfix/pickup\",\"_PID\":\"9\","
	    "\"MESSAGE\":\"4A1B2C3D4E: uid=1001 from=<shop>\"}\n"
	    "{\"__REALTIME_TIMESTAMP\":\"1793610902000000\",\"_HOSTNAME\":"
	    "\"relay1\",\"SYSLOG_IDENTIFIER\":\"postfix/cleanup\",\"_PID\":"
	    "\"10\",\"MESSAGE\":\"4A1B2C3D4E: message-id=<order-1001@shop."
	    "example.com>\"}\n";
	char path[] = "/tmp/mt_test_jd.XXXXXX";
	struct mt_buf out, all;
	struct mt_in *in;
	const char *rec;
	size_t len;
	unsigned long line;
	FILE *fp;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL ||
	    fwrite(data, 1, sizeof(data) - 1, fp) != sizeof(data) - 1 ||
	    fclose(fp) != 0)
		exit(2);
	mt_buf_init(&out, 0);
	mt_buf_init(&all, 0);
	MT_EXPECT_INT(mt_in_open(path, &in), 0);
	MT_EXPECT_INT(mt_in_kind(in), MT_IN_JSON);
	while (mt_in_next(in, &rec, &len, &line) == 1) {
		MT_EXPECT_INT(mt_jd_to_syslog(rec, len, &out, path, line), 1);
		if (mt_buf_printf(&all, "%lu %s\n", line, out.data) != 0)
			exit(2);
	}
	mt_in_close(in);
	MT_EXPECT_STR(all.data, "1 2026-11-02T09:15:01.000000+00:00 relay1 "
	    "postfix/pickup[9]: 4A1B2C3D4E: uid=1001 from=<shop>\n"
	    "2 2026-11-02T09:15:02.000000+00:00 relay1 postfix/cleanup[10]: "
	    "4A1B2C3D4E: message-id=<order-1001@shop.example.com>\n");
	unlink(path);
	mt_buf_free(&out);
	mt_buf_free(&all);
}

int
main(void)
{
	MT_RUN(t_cases);
	MT_RUN(t_too_long);
	MT_RUN(t_through_mt_in);
	free(mt_t_cap_buf);
	return MT_DONE();
}
