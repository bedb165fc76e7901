/*
 * test_csv.c - the RFC 4180 writer: exact bytes for each case
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_csv.h"
#include "mt_msg.h"
#include "mt_test.h"

struct csv_case {
	const char *name;
	int	 raw;
	const char *in;
	const char *want;	/* the row: one field, then CRLF */
};

static const struct csv_case cases[] = {
	{ "plain", 0, "alice@example.org", "alice@example.org\r\n" },
	{ "empty", 0, "", "\r\n" },
	{ "comma", 0, "Doe, John", "\"Doe, John\"\r\n" },
	{ "quotes doubled", 0, "say \"hi\"", "\"say \"\"hi\"\"\"\r\n" },
	{ "only a quote", 0, "\"", "\"\"\"\"\r\n" },
	{ "LF", 0, "550-5.1.1 a\n550 5.1.1 b", "\"550-5.1.1 a\n550 5.1.1 b\"\r\n" },
	{ "CRLF inside", 0, "a\r\nb", "\"a\r\nb\"\r\n" },
	{ "formula =", 0, "=1+1@example.com", "'=1+1@example.com\r\n" },
	{ "formula + quoted", 0, "+1,2", "\"'+1,2\"\r\n" },
	{ "formula -", 0, "-2+3", "'-2+3\r\n" },
	{ "formula @", 0, "@SUM(A1)", "'@SUM(A1)\r\n" },
	{ "formula TAB", 0, "\tx", "'\tx\r\n" },
	{ "formula CR", 0, "\rx", "\"'\rx\"\r\n" },
	{ "formula with quote", 0, "=HYPERLINK(\"http://x\")",
	  "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n" },
	{ "= not first", 0, "a=b", "a=b\r\n" },
	{ "raw =", 1, "=1+1@example.com", "=1+1@example.com\r\n" },
	{ "raw quoted", 1, "=a,\"b\"", "\"=a,\"\"b\"\"\"\r\n" },
	{ "UTF-8 kept", 0, "j\xc3\xbc" "rgen@b\xc3\xbc" "cher.example \xe2\x82\xac",
	  "j\xc3\xbc" "rgen@b\xc3\xbc" "cher.example \xe2\x82\xac\r\n" },
	{ "not UTF-8 masked", 0, "fr\xe9" "d@x \xc3(x \xed\xa0\x80 \xff\"",
	  "\"fr?d@x ?(x ??? ?\"\"\"\r\n" },
	{ "cut sequence at end", 0, "a\xe2\x82", "a??\r\n" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

MT_TEST(test_csv_fields)
{
	struct mt_csv c;
	char *buf;
	size_t len, i;
	FILE *fp;

	for (i = 0; i < NCASES; i++) {
		buf = NULL;
		fp = open_memstream(&buf, &len);
		mt_csv_init(&c, fp, cases[i].raw);
		MT_EXPECT_INT(mt_csv_field(&c, cases[i].in), 0);
		MT_EXPECT_INT(mt_csv_end(&c), 0);
		MT_EXPECT_INT(mt_csv_flush(&c), 0);
		fclose(fp);
		MT_EXPECTF(len == strlen(cases[i].want) &&
		    memcmp(buf, cases[i].want, len) == 0,
		    "%s: got [%s] want [%s]", cases[i].name, buf,
		    cases[i].want);
		free(buf);
	}
}

MT_TEST(test_csv_rows)
{
	static const char *const hdr[] = { "time", "recipient", "detail" };
	static const char *const row[] = { "2026-11-02T09:20:05Z",
	    "=cmd@example.com", "smtp; 550 5.1.1 \"carol\", unknown" };
	const char *want = "time,recipient,detail\r\n"
	    "2026-11-02T09:20:05Z,'=cmd@example.com,"
	    "\"smtp; 550 5.1.1 \"\"carol\"\", unknown\"\r\n"
	    ",,-12,7\r\n";
	struct mt_csv c;
	char *buf = NULL;
	size_t len;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	mt_csv_init(&c, fp, 0);
	MT_EXPECT_INT(mt_csv_row(&c, hdr, 3), 0);
	MT_EXPECT_INT(mt_csv_row(&c, row, 3), 0);
	MT_EXPECT_INT(mt_csv_field(&c, NULL), 0);
	MT_EXPECT_INT(mt_csv_fieldn(&c, "xyz", 0), 0);
	MT_EXPECT_INT(mt_csv_field_int(&c, -12), 0);
	MT_EXPECT_INT(mt_csv_field_int(&c, 7), 0);
	MT_EXPECT_INT(mt_csv_end(&c), 0);
	fclose(fp);
	MT_EXPECT_STR(buf, want);
	free(buf);
}

MT_TEST(test_csv_write_error)
{
	struct mt_csv c;
	char *msg = NULL;
	size_t mlen, i;
	FILE *fp, *mfp;
	int rc = 0;

	if ((fp = fopen("/dev/full", "w")) == NULL)
		MT_SKIP("no /dev/full");
	mfp = open_memstream(&msg, &mlen);
	mt_msg_init("msgtrail");
	mt_msg_set_stream(mfp);
	mt_csv_init(&c, fp, 0);
	for (i = 0; i < 10000 && rc == 0; i++)
		rc = mt_csv_field(&c, "0123456789abcdef");
	if (rc == 0)
		rc = mt_csv_flush(&c);
	MT_EXPECT_INT(rc, -MT_ERR_IO);
	MT_EXPECT_INT(mt_csv_end(&c), -MT_ERR_IO);
	MT_EXPECT_INT(mt_csv_flush(&c), -MT_ERR_IO);
	fclose(fp);
	mt_msg_set_stream(NULL);
	fclose(mfp);
	MT_EXPECT_STR(msg, "msgtrail: write error: No space left on device\n");
	free(msg);
}

int
main(void)
{
	MT_RUN(test_csv_fields);
	MT_RUN(test_csv_rows);
	MT_RUN(test_csv_write_error);
	return MT_DONE();
}
