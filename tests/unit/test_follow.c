/*
 * test_follow.c - mt_in in follow mode: a line written in parts is handed
 * out whole, growth continues where the last record stopped, a renamed
 * file is read to its end, a truncated file is read no further, and the
 * offsets stay resumable.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mt_in.h"
#include "mt_msg.h"
#include "mt_test.h"

static char tdir[] = "/tmp/mt_test_follow.XXXXXX";

/* tpath - path of a file in the test directory (static buffer ring) */
static const char *
tpath(const char *name)
{
	static char ring[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(ring[i], sizeof(ring[i]), "%s/%s", tdir, name);
	return ring[i];
}

/* wr - write s to path, appending or (mode "w") replacing */
static void
wr(const char *path, const char *mode, const char *s)
{
	FILE *fp = fopen(path, mode);

	if (fp == NULL || fputs(s, fp) == EOF || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

/* open_follow - open path in follow mode with its fingerprint taken */
static struct mt_in *
open_follow(const char *path)
{
	struct mt_in *in;
	uint64_t fp;
	uint32_t n;

	if (mt_in_open(path, &in) != 0 || mt_in_fingerprint(in, &fp, &n) != 0)
		exit(2);
	mt_in_set_follow(in, 1);
	return in;
}

/* next_str - the next record as a string ("" at end, "ERR" on error) */
static const char *
next_str(struct mt_in *in, unsigned long *line)
{
	static char buf[256];
	const char *rec;
	size_t len;
	int r;

	r = mt_in_next(in, &rec, &len, line);
	if (r < 0)
		return "ERR";
	if (r == 0 || len >= sizeof(buf))
		return r == 0 ? "" : "TOO LONG";
	memcpy(buf, rec, len);
	buf[len] = '\0';
	return buf;
}

/* held_msg - the notice for a last line of path held back at line */
static void
held_msg(char *buf, size_t n, const char *path, int line)
{
	snprintf(buf, n, "msgtrail: %s:%d: last line has no newline yet, held "
	    "back until it is complete (--final stores it as it is)\n", path,
	    line);
}

MT_TEST(t_split_line)
{
	const char *f = tpath("split.log");
	struct mt_in *in;
	unsigned long line = 0;
	char want[640];

	wr(f, "w", "one\ntw");
	in = open_follow(f);
	MT_EXPECT_STR(next_str(in, &line), "one");
	MT_EXPECT_STR(next_str(in, &line), "");	/* "tw" held back */
	MT_EXPECT_INT(mt_in_offset(in), 4);
	MT_EXPECT_INT(mt_in_line(in), 1);
	MT_EXPECT_INT(mt_in_poll(in), 0);
	wr(f, "a", "o halves");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "");	/* still no newline */
	MT_EXPECT_INT(mt_in_offset(in), 4);
	wr(f, "a", "\r\nthree\n");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "two halves");
	MT_EXPECT_INT(line, 2);
	MT_EXPECT_INT(mt_in_offset(in), 16);
	MT_EXPECT_STR(next_str(in, &line), "three");
	MT_EXPECT_INT(line, 3);
	MT_EXPECT_INT(mt_in_offset(in), 22);
	MT_EXPECT_STR(next_str(in, &line), "");
	/*
	 * follow off: the unterminated line of a plain file is still held
	 * (reported once), until the caller says the file is complete
	 */
	wr(f, "a", "four");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "");
	mt_in_set_follow(in, 0);
	MT_EXPECT_INT(mt_in_held(in), 0);
	mt_t_cap_start();
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_STR(next_str(in, &line), "");
	held_msg(want, sizeof(want), f, 4);
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT_INT(mt_in_held(in), 4);
	MT_EXPECT_INT(mt_in_offset(in), 22);
	mt_in_set_final(in, 1);
	MT_EXPECT_STR(next_str(in, &line), "four");
	MT_EXPECT_INT(line, 4);
	MT_EXPECT_INT(mt_in_offset(in), 26);
	mt_in_close(in);
}

MT_TEST(t_resume_after_tail)
{
	const char *f = tpath("resume.log");
	struct mt_in *in;
	unsigned long line = 0;
	uint64_t off, nl;

	wr(f, "w", "alpha\nbet");
	in = open_follow(f);
	MT_EXPECT_STR(next_str(in, &line), "alpha");
	MT_EXPECT_STR(next_str(in, &line), "");
	off = mt_in_offset(in);
	nl = mt_in_line(in);
	mt_in_close(in);
	/* the line is finished while nobody reads; a later run resumes */
	wr(f, "a", "a\ngamma\n");
	if (mt_in_open(f, &in) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_skip(in, off, nl), 0);
	MT_EXPECT_STR(next_str(in, &line), "beta");
	MT_EXPECT_INT(line, 2);
	MT_EXPECT_STR(next_str(in, &line), "gamma");
	MT_EXPECT_STR(next_str(in, &line), "");
	mt_in_close(in);
}

MT_TEST(t_json_object_in_parts)
{
	const char *f = tpath("split.json");
	struct mt_in *in;
	unsigned long line = 0;

	wr(f, "w", "{\"a\":1}\n{\"b\":");
	in = open_follow(f);
	MT_EXPECT_INT(mt_in_kind(in), MT_IN_JSON);
	MT_EXPECT_STR(next_str(in, &line), "{\"a\":1}");
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_INT(mt_in_offset(in), 7);
	wr(f, "a", "\"}\"}\n");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "{\"b\":\"}\"}");
	MT_EXPECT_INT(line, 2);
	MT_EXPECT_STR(next_str(in, &line), "");
	mt_in_close(in);
}

MT_TEST(t_long_line_across_growth)
{
	const char *f = tpath("long.log");
	struct mt_in *in;
	unsigned long line = 0;
	char *big;
	FILE *cap;
	char *msgs = NULL;
	size_t msgs_len = 0;

	big = malloc(MT_IN_LINE_MAX + 2);
	if (big == NULL)
		exit(2);
	memset(big, 'x', MT_IN_LINE_MAX + 1);
	big[MT_IN_LINE_MAX + 1] = '\0';
	wr(f, "w", "a\n");
	wr(f, "a", big);
	in = open_follow(f);
	cap = open_memstream(&msgs, &msgs_len);
	mt_msg_set_stream(cap);
	MT_EXPECT_STR(next_str(in, &line), "a");
	MT_EXPECT_STR(next_str(in, &line), "");
	wr(f, "a", "yyy");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "");
	wr(f, "a", "zzz\nb\n");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "b");
	MT_EXPECT_INT(line, 3);
	MT_EXPECT_STR(next_str(in, &line), "");
	fclose(cap);
	mt_msg_set_stream(NULL);
	MT_EXPECT(msgs != NULL && strstr(msgs, "long.log:2: line longer "
	    "than 16384 bytes, skipped") != NULL);
	MT_EXPECT_INT(mt_in_skipped(in), 1);
	free(msgs);
	free(big);
	mt_in_close(in);
}

MT_TEST(t_rename_read_to_end)
{
	const char *f = tpath("rot.log");
	struct mt_in *in;
	unsigned long line = 0;

	wr(f, "w", "old1\n");
	in = open_follow(f);
	MT_EXPECT_STR(next_str(in, &line), "old1");
	MT_EXPECT_STR(next_str(in, &line), "");
	if (rename(f, tpath("rot.log.1")) != 0)
		exit(2);
	/* the writer still appends to the old file, last line unfinished */
	wr(tpath("rot.log.1"), "a", "old2\nold3");
	wr(f, "w", "new1\n");
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_STR(next_str(in, &line), "old2");
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_INT(mt_in_poll(in), 2);
	mt_in_set_follow(in, 0);
	mt_in_set_final(in, 1);		/* its writer moved on */
	MT_EXPECT_STR(next_str(in, &line), "old3");
	MT_EXPECT_INT(line, 3);
	MT_EXPECT_INT(mt_in_offset(in), 14);
	MT_EXPECT_STR(next_str(in, &line), "");
	mt_in_close(in);
}

MT_TEST(t_copytruncate)
{
	const char *f = tpath("ct.log");
	struct mt_in *in;
	unsigned long line = 0;

	/* truncated to nothing */
	wr(f, "w", "first line\nsecond line\npart");
	in = open_follow(f);
	MT_EXPECT_STR(next_str(in, &line), "first line");
	MT_EXPECT_STR(next_str(in, &line), "second line");
	MT_EXPECT_STR(next_str(in, &line), "");
	if (truncate(f, 0) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_poll(in), 2);
	mt_in_set_follow(in, 0);
	/* the held-back tail stays unread: the copy has it whole */
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_INT(mt_in_offset(in), 23);
	MT_EXPECT_INT(mt_in_poll(in), 2);
	mt_in_close(in);

	/* truncated, then written past our position before the poll */
	wr(f, "w", "short 1\nshort 2\n");
	in = open_follow(f);
	MT_EXPECT_STR(next_str(in, &line), "short 1");
	MT_EXPECT_STR(next_str(in, &line), "short 2");
	MT_EXPECT_STR(next_str(in, &line), "");
	wr(f, "w", "a new file, longer than the old one\n");
	/* nothing is read past the end before mt_in_poll checked the file */
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_INT(mt_in_poll(in), 2);
	MT_EXPECT_STR(next_str(in, &line), "");
	mt_in_close(in);
}

/*
 * t_plain_tail_held - without follow mode, a plain file's unfinished last
 * line is held back and left out of the offset; the next run resumes there
 * and reads it whole.  --final (mt_in_set_final) hands it out as it is.
 */
MT_TEST(t_plain_tail_held)
{
	const char *f = tpath("plain.log");
	struct mt_in *in;
	unsigned long line = 0;
	uint64_t off, ln;
	char want[640];

	wr(f, "w", "x\ny");
	if (mt_in_open(f, &in) != 0)
		exit(2);
	mt_t_cap_start();
	MT_EXPECT_STR(next_str(in, &line), "x");
	MT_EXPECT_STR(next_str(in, &line), "");
	held_msg(want, sizeof(want), f, 2);
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT_INT(mt_in_held(in), 2);
	off = mt_in_offset(in);
	ln = mt_in_line(in);
	MT_EXPECT_INT(off, 2);
	MT_EXPECT_INT(ln, 1);
	mt_in_close(in);
	/* the writer finishes the line: the next run reads it whole */
	wr(f, "a", "z\n");
	if (mt_in_open(f, &in) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_skip(in, off, ln), 0);
	MT_EXPECT_STR(next_str(in, &line), "yz");
	MT_EXPECT_INT(line, 2);
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_INT(mt_in_held(in), 0);
	MT_EXPECT_INT(mt_in_offset(in), 5);
	mt_in_close(in);
	/* --final: the file is complete, its last line stored as it is */
	wr(f, "w", "x\ny");
	if (mt_in_open(f, &in) != 0)
		exit(2);
	mt_in_set_final(in, 1);
	mt_t_cap_start();
	MT_EXPECT_STR(next_str(in, &line), "x");
	MT_EXPECT_STR(next_str(in, &line), "y");
	MT_EXPECT_INT(mt_in_offset(in), 3);
	MT_EXPECT_STR(next_str(in, &line), "");
	MT_EXPECT_STR(mt_t_cap_end(), "");
	mt_in_close(in);
	/* an unclosed JSON object is held the same way, from its first line */
	wr(f, "w", "{\"a\":1}\n{\"b\":\n[2,");
	if (mt_in_open(f, &in) != 0)
		exit(2);
	mt_t_cap_start();
	MT_EXPECT_STR(next_str(in, &line), "{\"a\":1}");
	MT_EXPECT_STR(next_str(in, &line), "");
	snprintf(want, sizeof(want), "msgtrail: %s:2: JSON object not closed "
	    "yet, held back until it is complete (--final reports it as "
	    "truncated)\n", f);
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT_INT(mt_in_held(in), 2);
	MT_EXPECT_INT(mt_in_skipped(in), 0);
	mt_in_close(in);
}

int
main(void)
{
	char cmd[600];

	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	MT_RUN(t_split_line);
	MT_RUN(t_resume_after_tail);
	MT_RUN(t_json_object_in_parts);
	MT_RUN(t_long_line_across_growth);
	MT_RUN(t_rename_read_to_end);
	MT_RUN(t_copytruncate);
	MT_RUN(t_plain_tail_held);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	if (system(cmd) == -1)
		return 2;
	return MT_DONE();
}
