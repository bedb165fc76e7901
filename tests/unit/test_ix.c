/*
 * test_ix.c - the store: round trips, lookups by key and time, file
 * progress, rollback, the compression queue (order, rollback), foreign
 * and future stores, corrupt blocks, prune (whole days, the cutoff day's
 * rewrite, dry run, secure deletion) and size stability over repeated
 * ingest + prune cycles.
 *
 * Records look like syslog lines; their keys are a hash of every
 * "id=" token (up to one of " ,<>:"), so the prune key function
 * re-derives them from the text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zstd.h>

#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_test.h"

#define DAY	(86400LL * 1000000LL)
#define HOUR	(3600LL * 1000000LL)
#define D0	(20394LL * DAY)		/* 2025-11-02T00:00:00Z */

static char tdir[] = "/tmp/test_ix.XXXXXX";
static char msgbuf[8192];
static FILE *msgfp;

/* tpath - a file name in the test directory */
static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tdir, name);
	return buf[i];
}

/* fresh - remove a store and its WAL files, return its path */
static const char *
fresh(const char *name)
{
	char p[600];
	const char *db = tpath(name);

	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	return db;
}

/* msg_start - capture diagnostics from here on */
static void
msg_start(void)
{
	msgfp = fmemopen(msgbuf, sizeof(msgbuf), "w");
	mt_msg_set_stream(msgfp);
}

/* msg_end - stop capturing; msgbuf holds what was said */
static const char *
msg_end(void)
{
	fclose(msgfp);
	msgfp = NULL;
	mt_msg_set_stream(NULL);
	return msgbuf;
}

/* hkey - FNV-1a 64 of a token */
static uint64_t
hkey(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* skey - key of a NUL-terminated identifier */
static uint64_t
skey(const char *s)
{
	return hkey(s, strlen(s));
}

/* text_keys - keys of every "id=TOKEN" in a record (the prune keyfn) */
static size_t
text_keys(void *arg, int64_t time, unsigned fmt, const char *rec, size_t n,
    uint64_t *keys, size_t max)
{
	size_t i = 0, j, nk = 0;

	(void)arg;
	(void)time;
	(void)fmt;
	while (i + 3 <= n && nk < max) {
		if (memcmp(rec + i, "id=", 3) != 0) {
			i++;
			continue;
		}
		i += 3;
		if (i < n && rec[i] == '<')
			i++;
		for (j = i; j < n && strchr(" ,<>:", rec[j]) == NULL; j++)
			;
		keys[nk++] = hkey(rec + i, j - i);
		i = j;
	}
	return nk;
}

/* put - store a record with the keys of its text */
static int
put(struct mt_ix *ix, int64_t t, const char *rec)
{
	uint64_t keys[16];
	size_t nk;

	nk = text_keys(NULL, t, 1, rec, strlen(rec), keys, 16);
	return mt_ix_put(ix, t, 1, rec, strlen(rec), keys, nk);
}

/* find_n - number of blocks found for an identifier */
static long
find_n(struct mt_ix *ix, const char *id, int64_t since, int64_t until)
{
	int64_t *b;
	size_t n;

	if (mt_ix_find(ix, skey(id), since, until, &b, &n) != 0)
		return -1;
	free(b);
	return (long)n;
}

/* dump - every record of the blocks holding id, "time|fmt|text\n" */
static char *
dump(struct mt_ix *ix, const char *id, int64_t since, int64_t until)
{
	static char out[65536];
	struct mt_ix_block *b;
	struct mt_ix_rec r;
	int64_t *blks;
	size_t n, i, len = 0;

	out[0] = '\0';
	if (mt_ix_find(ix, skey(id), since, until, &blks, &n) != 0)
		return strcpy(out, "(find failed)");
	for (i = 0; i < n; i++) {
		if (mt_ix_chunk_load(ix, blks[i], &b) != 0) {
			free(blks);
			return strcpy(out, "(load failed)");
		}
		while (mt_ix_block_next(b, &r) && len < sizeof(out) - 100)
			len += (size_t)snprintf(out + len, sizeof(out) - len,
			    "%lld|%u|%u|%.*s\n", (long long)((r.time - D0) /
			    1000000), r.fmt, (unsigned)r.seq, (int)r.n, r.p);
		mt_ix_block_free(b);
	}
	free(blks);
	return out;
}

/* count_prefix - records starting with pre in the blocks holding id */
static long
count_prefix(struct mt_ix *ix, const char *id, const char *pre)
{
	struct mt_ix_block *b;
	struct mt_ix_rec r;
	int64_t *blks;
	size_t n, i;
	long c = 0;

	if (mt_ix_find(ix, skey(id), 0, 0, &blks, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (mt_ix_chunk_load(ix, blks[i], &b) != 0) {
			c = -1;
			break;
		}
		while (mt_ix_block_next(b, &r))
			if (r.n >= strlen(pre) &&
			    memcmp(r.p, pre, strlen(pre)) == 0)
				c++;
		mt_ix_block_free(b);
	}
	free(blks);
	return c;
}

/* file_size - size of a file, 0 if absent */
static long long
file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

/* file_has - 1 if the file holds the bytes of s */
static int
file_has(const char *p, const char *s)
{
	FILE *fp;
	char *buf;
	long long n;
	size_t i;
	int found;

	if ((n = file_size(p)) == 0 || (fp = fopen(p, "rb")) == NULL)
		return 0;
	buf = malloc((size_t)n);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	found = 0;
	for (i = 0; !found && i + strlen(s) <= (size_t)n; i++)
		found = buf[i] == s[0] && memcmp(buf + i, s, strlen(s)) == 0;
	free(buf);
	return found;
}

/* sql - run SQL on a store with a separate connection */
static int
sql(const char *db, const char *q)
{
	sqlite3 *h;
	int rc;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(h, q, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc == SQLITE_OK ? 0 : -1;
}

MT_TEST(test_roundtrip)
{
	const char *db = fresh("rt.db");
	struct mt_ix *ix;
	struct mt_ix_stats st;
	int64_t t = D0 + 9 * HOUR + 15 * 60 * 1000000LL;
	static const char *const rec[] = {
		"Nov  2 09:15:01 relay1 postfix/pickup[123]: id=4A1B2C3D4E: "
		"uid=33 from=<shop>",
		"Nov  2 09:15:02 relay1 postfix/cleanup[124]: id=4A1B2C3D4E: "
		"message-id=<order-1001@shop.example.com>",
		"{\"eventType\":\"Send\"}",
		"Nov  2 09:15:03 relay1 postfix/smtp[125]: id=4A1B2C3D4E: "
		"to=<id=alice@example.org>, status=sent"
	};

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_STR(mt_ix_path(ix), db);
	MT_EXPECT_INT(put(ix, t + 1000000, rec[0]), 0);
	MT_EXPECT_INT(put(ix, t + 2000000, rec[1]), 0);
	/* out of order by one second, another format, no keys */
	MT_EXPECT_INT(mt_ix_put(ix, t, 3, rec[2], strlen(rec[2]), NULL, 0),
	    0);
	MT_EXPECT_INT(put(ix, t + 3000000, rec[3]), 0);
	MT_EXPECT_INT(mt_ix_pending(ix), strlen(rec[0]) + strlen(rec[1]) +
	    strlen(rec[2]) + strlen(rec[3]));
	MT_EXPECT_INT(mt_ix_commit(ix, NULL), 0);
	MT_EXPECT_INT(mt_ix_pending(ix), 0);
	MT_EXPECT_STR(dump(ix, "alice@example.org", 0, 0),
	    "33301|1|0|Nov  2 09:15:01 relay1 postfix/pickup[123]: "
	    "id=4A1B2C3D4E: uid=33 from=<shop>\n"
	    "33302|1|1|Nov  2 09:15:02 relay1 postfix/cleanup[124]: "
	    "id=4A1B2C3D4E: message-id=<order-1001@shop.example.com>\n"
	    "33300|3|2|{\"eventType\":\"Send\"}\n"
	    "33303|1|3|Nov  2 09:15:03 relay1 postfix/smtp[125]: "
	    "id=4A1B2C3D4E: to=<id=alice@example.org>, status=sent\n");
	MT_EXPECT_INT(find_n(ix, "4A1B2C3D4E", 0, 0), 1);
	MT_EXPECT_INT(find_n(ix, "4A1B2C3D4F", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "33", 0, 0), 1);
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 4);
	MT_EXPECT_INT(st.blocks, 1);
	/* uid=33 is an id= token too: 4 distinct keys */
	MT_EXPECT_INT(st.keys, 4);
	MT_EXPECT_INT(st.tmin, t);
	MT_EXPECT_INT(st.tmax, t + 3000000);
	MT_EXPECT(st.comp_bytes > 0 && st.comp_bytes < st.raw_bytes);
	MT_EXPECT(st.db_bytes >= 8192);
	mt_ix_close(ix);
	/* read-only reopen sees the same */
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_RDONLY, &ix), 0);
	MT_EXPECT_INT(find_n(ix, "order-1001@shop.example.com", 0, 0), 1);
	msg_start();
	MT_EXPECT_INT(put(ix, t, "x id=y"), -MT_ERR_USAGE);
	msg_end();
	mt_ix_close(ix);
}

MT_TEST(test_days_and_ranges)
{
	const char *db = fresh("days.db");
	struct mt_ix *ix;
	int64_t *b;
	size_t n;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	/* the same queue id on three days, with other traffic between */
	MT_EXPECT_INT(put(ix, D0 + 23 * HOUR, "day0 id=Q1 id=a@x"), 0);
	MT_EXPECT_INT(put(ix, D0 + DAY + HOUR, "day1 id=other"), 0);
	MT_EXPECT_INT(put(ix, D0 + 2 * DAY + 10 * HOUR, "day2 id=Q1"), 0);
	MT_EXPECT_INT(put(ix, D0 + 2 * DAY + 11 * HOUR, "day2 id=Q1 again"), 0);
	MT_EXPECT_INT(put(ix, D0 + 5 * DAY, "day5 id=Q1 id=b@x"), 0);
	MT_EXPECT_INT(put(ix, 0, "no time id=Q1"), 0);
	MT_EXPECT_INT(mt_ix_commit(ix, NULL), 0);
	MT_EXPECT_STR(dump(ix, "Q1", 0, 0),
	    "-1762041600|1|0|no time id=Q1\n"
	    "82800|1|0|day0 id=Q1 id=a@x\n"
	    "208800|1|0|day2 id=Q1\n"
	    "212400|1|1|day2 id=Q1 again\n"
	    "432000|1|0|day5 id=Q1 id=b@x\n");
	MT_EXPECT_INT(find_n(ix, "Q1", D0, 0), 3);
	MT_EXPECT_INT(find_n(ix, "Q1", D0 + DAY, 0), 2);
	MT_EXPECT_INT(find_n(ix, "Q1", 0, D0 + DAY), 2);
	MT_EXPECT_INT(find_n(ix, "Q1", D0 + DAY, D0 + 3 * DAY), 1);
	/* inside day 2 but before the block's first record */
	MT_EXPECT_INT(find_n(ix, "Q1", D0 + 2 * DAY, D0 + 2 * DAY + 9 * HOUR),
	    0);
	/* boundaries are inclusive */
	MT_EXPECT_INT(find_n(ix, "Q1", D0 + 2 * DAY + 11 * HOUR,
	    D0 + 2 * DAY + 11 * HOUR), 1);
	MT_EXPECT_INT(find_n(ix, "b@x", 0, 0), 1);
	MT_EXPECT_INT(find_n(ix, "other", D0 + 2 * DAY, 0), 0);
	MT_EXPECT_INT(mt_ix_blocks(ix, D0 + DAY, D0 + 3 * DAY, &b, &n), 0);
	MT_EXPECT_INT(n, 2);
	free(b);
	MT_EXPECT_INT(mt_ix_blocks(ix, 0, 0, &b, &n), 0);
	MT_EXPECT_INT(n, 5);
	free(b);
	mt_ix_close(ix);
}

MT_TEST(test_block_by_size)
{
	const char *db = fresh("size.db");
	struct mt_ix *ix;
	struct mt_ix_stats st;
	struct mt_ix_block *b;
	struct mt_ix_rec r;
	char rec[1001];
	int64_t *blks;
	size_t n, i;
	long want = 0, bad = 0;
	int k;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	for (k = 0; k < 2500; k++) {
		char pre[40];

		memset(rec, 'a' + k % 26, 1000);
		rec[1000] = '\0';
		snprintf(pre, sizeof(pre), "line %05d id=msg%05d@h ", k, k);
		memcpy(rec, pre, strlen(pre));
		if (put(ix, D0 + k * 1000000LL, rec) != 0)
			bad++;
	}
	MT_EXPECT_INT(bad, 0);
	/* two blocks of about 1 MiB were queued before the commit; the
	 * worker may still be compressing them, so at most two are in */
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.blocks <= 2, 1);
	MT_EXPECT_INT(mt_ix_commit(ix, NULL), 0);
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.blocks, 3);
	MT_EXPECT_INT(st.records, 2500);
	MT_EXPECT_INT(st.raw_bytes > 2500 * 1000, 1);
	MT_EXPECT_INT(st.keys, 2500);
	MT_EXPECT_INT(count_prefix(ix, "msg02000@h",
	    "line 02000 id=msg02000@h yyyy"), 1);
	/* the key's chunk alone: 64 KiB of 1004-byte records */
	MT_EXPECT_INT(count_prefix(ix, "msg02000@h", "line 0"), 66);
	MT_EXPECT_INT(find_n(ix, "msg02000@h", 0, 0), 1);
	/* every record comes back once, in order, across the blocks */
	MT_EXPECT_INT(mt_ix_blocks(ix, 0, 0, &blks, &n), 0);
	MT_EXPECT_INT(n, 3);
	for (i = 0; i < n; i++) {
		if (mt_ix_block_load(ix, blks[i], &b) != 0) {
			MT_FAILF("load %zu", i);
			continue;
		}
		while (mt_ix_block_next(b, &r)) {
			snprintf(rec, sizeof(rec), "line %05ld ", want);
			if (r.n != 1000 || memcmp(r.p, rec, 11) != 0 ||
			    r.time != D0 + want * 1000000LL)
				bad++;
			want++;
		}
		mt_ix_block_free(b);
	}
	free(blks);
	MT_EXPECT_INT(want, 2500);
	MT_EXPECT_INT(bad, 0);
	mt_ix_close(ix);
}

MT_TEST(test_many_days_lru)
{
	const char *db = fresh("lru.db");
	struct mt_ix *ix;
	struct mt_ix_stats st;
	char rec[128], id[32], want[128];
	long bad = 0;
	int k;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	/* 12 days in turn: more than the open blocks allowed, so every
	 * block is flushed (least recently used) after one record; 12000
	 * ix rows in one commit take the radix sort */
	for (k = 0; k < 6000; k++) {
		snprintf(rec, sizeof(rec), "rec %d id=m%d id=day%d", k, k,
		    k % 12);
		if (put(ix, D0 + (k % 12) * DAY + k * 1000000LL, rec) != 0)
			bad++;
	}
	MT_EXPECT_INT(mt_ix_commit(ix, NULL), 0);
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 6000);
	MT_EXPECT_INT(st.blocks, 6000);
	MT_EXPECT_INT(st.keys, 12000);
	for (k = 0; k < 6000; k += 37) {
		snprintf(id, sizeof(id), "m%d", k);
		if (find_n(ix, id, 0, 0) != 1)
			bad++;
		snprintf(want, sizeof(want), "rec %d id=m%d id=day%d\n", k, k,
		    k % 12);
		if (strstr(dump(ix, id, 0, 0), want) == NULL)
			bad++;
	}
	MT_EXPECT_INT(bad, 0);
	/* one day's key reaches every block of that day, all on that day */
	MT_EXPECT_INT(find_n(ix, "day3", 0, 0), 500);
	MT_EXPECT_INT(find_n(ix, "day3", D0 + 4 * DAY, 0), 0);
	mt_ix_close(ix);
}

MT_TEST(test_files)
{
	const char *db = fresh("files.db");
	struct mt_ix *ix;
	struct mt_ix_file f = { 0xdeadbeefcafebabeULL, 4096, 123456, 789,
	    "/var/log/mail.log" }, got;
	uint32_t lens[4];
	size_t n;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(mt_ix_fp_lens(ix, lens, 4, &n), 0);
	MT_EXPECT_INT(n, 0);
	MT_EXPECT_INT(mt_ix_file_find(ix, f.fp, f.fp_len, &got), 0);
	MT_EXPECT_INT(put(ix, D0, "a id=k1"), 0);
	MT_EXPECT_INT(mt_ix_commit(ix, &f), 0);
	f.fp = 42;
	f.fp_len = 100;
	f.offset = 100;
	f.line = 2;
	f.name = NULL;
	MT_EXPECT_INT(mt_ix_commit(ix, &f), 0);	/* no records pending */
	MT_EXPECT_INT(mt_ix_fp_lens(ix, lens, 4, &n), 0);
	MT_EXPECT_INT(n, 2);
	MT_EXPECT_INT(lens[0], 100);
	MT_EXPECT_INT(lens[1], 4096);
	MT_EXPECT_INT(mt_ix_fp_lens(ix, lens, 1, &n), 0);
	MT_EXPECT_INT(n, 1);
	memset(&got, 0xff, sizeof(got));
	MT_EXPECT_INT(mt_ix_file_find(ix, 0xdeadbeefcafebabeULL, 4096, &got),
	    1);
	MT_EXPECT(got.fp == 0xdeadbeefcafebabeULL);
	MT_EXPECT_INT(got.fp_len, 4096);
	MT_EXPECT_INT(got.offset, 123456);
	MT_EXPECT_INT(got.line, 789);
	MT_EXPECT(got.name == NULL);
	MT_EXPECT_INT(mt_ix_file_find(ix, 0xdeadbeefcafebabeULL, 100, &got),
	    0);
	/* progress moves forward in place */
	f.fp = 0xdeadbeefcafebabeULL;
	f.fp_len = 4096;
	f.offset = 200000;
	f.line = 1500;
	MT_EXPECT_INT(mt_ix_commit(ix, &f), 0);
	mt_ix_close(ix);
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(mt_ix_file_find(ix, f.fp, 4096, &got), 1);
	MT_EXPECT_INT(got.offset, 200000);
	MT_EXPECT_INT(got.line, 1500);
	mt_ix_close(ix);
}

MT_TEST(test_rollback_on_close)
{
	const char *db = fresh("rb.db");
	struct mt_ix *ix;
	struct mt_ix_stats st;
	struct mt_ix_file f = { 7, 4096, 10, 1, "f" }, got;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(put(ix, D0, "kept id=K1"), 0);
	MT_EXPECT_INT(mt_ix_commit(ix, &f), 0);
	MT_EXPECT_INT(put(ix, D0 + 1, "lost id=K2"), 0);
	MT_EXPECT_INT(put(ix, D0 + 3 * DAY, "lost id=K3"), 0);
	mt_ix_close(ix);
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(find_n(ix, "K1", 0, 0), 1);
	MT_EXPECT_INT(find_n(ix, "K2", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "K3", 0, 0), 0);
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 1);
	MT_EXPECT_INT(st.files, 1);
	MT_EXPECT_INT(mt_ix_file_find(ix, 7, 4096, &got), 1);
	MT_EXPECT_INT(got.offset, 10);
	mt_ix_close(ix);
}

MT_TEST(test_commit_async)
{
	const char *db = fresh("async.db");
	struct mt_ix *ix;
	struct mt_ix_stats st;
	struct mt_ix_file f1 = { 9, 4096, 10, 1, "f" }, f2 = f1, got;
	char want[600];

	f2.offset = 20;
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(put(ix, D0, "one id=A1"), 0);
	MT_EXPECT_INT(mt_ix_commit_async(ix, &f1), 0);
	MT_EXPECT_INT(mt_ix_pending(ix), 0);
	MT_EXPECT_INT(put(ix, D0 + DAY, "two id=A2"), 0);
	/* waits for the first, queues the second */
	MT_EXPECT_INT(mt_ix_commit_async(ix, &f2), 0);
	MT_EXPECT_INT(mt_ix_wait(ix), 0);
	MT_EXPECT_INT(put(ix, D0 + 2 * DAY, "three id=A3"), 0);
	/* a lookup on the writing handle waits for the queue first */
	MT_EXPECT_INT(find_n(ix, "A2", 0, 0), 1);
	MT_EXPECT_INT(mt_ix_commit_async(ix, NULL), 0);
	MT_EXPECT_INT(put(ix, D0 + 3 * DAY, "four id=A4"), 0);
	/* close writes the commit queued, rolls back the rest */
	mt_ix_close(ix);
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(find_n(ix, "A1", 0, 0), 1);
	MT_EXPECT_INT(find_n(ix, "A2", 0, 0), 1);
	MT_EXPECT_INT(find_n(ix, "A3", 0, 0), 1);
	MT_EXPECT_INT(find_n(ix, "A4", 0, 0), 0);
	MT_EXPECT_INT(mt_ix_file_find(ix, 9, 4096, &got), 1);
	MT_EXPECT_INT(got.offset, 20);
	mt_ix_close(ix);

	/* a failed write: that batch and the one queued after it are lost,
	 * the failure is reported once, and later batches go in */
	MT_EXPECT_INT(sql(db, "CREATE TRIGGER no_blk BEFORE INSERT ON blocks"
	    " WHEN NEW.tmin >= 4 * 86400 * 1000000 + 20394 * 86400 * 1000000"
	    " BEGIN SELECT RAISE(ABORT, 'test refusal'); END;"), 0);
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), 0);
	if (ix == NULL)
		return;
	msg_start();
	MT_EXPECT_INT(put(ix, D0 + 4 * DAY, "five id=A5"), 0);
	MT_EXPECT_INT(mt_ix_commit_async(ix, NULL), 0);
	MT_EXPECT_INT(put(ix, D0 + 3 * DAY + HOUR, "six id=A6"), 0);
	MT_EXPECT_INT(mt_ix_commit_async(ix, NULL), -MT_ERR_DB);
	snprintf(want, sizeof(want), "test_ix: %s: write block: "
	    "test refusal\n", db);
	MT_EXPECT_STR(msg_end(), want);
	MT_EXPECT_INT(mt_ix_wait(ix), 0);
	MT_EXPECT_INT(put(ix, D0 + 3 * DAY + 2 * HOUR, "seven id=A7"), 0);
	MT_EXPECT_INT(mt_ix_commit(ix, NULL), 0);
	MT_EXPECT_INT(find_n(ix, "A5", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "A6", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "A7", 0, 0), 1);
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 4);
	mt_ix_close(ix);
}

MT_TEST(test_snapshot)
{
	const char *db = fresh("snap.db");
	struct mt_ix *w, *r;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &w), 0);
	if (w == NULL)
		return;
	MT_EXPECT_INT(put(w, D0, "one id=S1"), 0);
	MT_EXPECT_INT(mt_ix_commit(w, NULL), 0);
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_RDONLY | MT_IX_SNAPSHOT, &r), 0);
	if (r == NULL) {
		mt_ix_close(w);
		return;
	}
	MT_EXPECT_INT(find_n(r, "S1", 0, 0), 1);
	/* a new day and a new key committed meanwhile are not seen */
	MT_EXPECT_INT(put(w, D0 + 2 * DAY, "two id=S1 id=S2"), 0);
	MT_EXPECT_INT(mt_ix_commit(w, NULL), 0);
	MT_EXPECT_INT(find_n(r, "S1", 0, 0), 1);
	MT_EXPECT_INT(find_n(r, "S2", 0, 0), 0);
	MT_EXPECT_STR(dump(r, "S1", 0, 0), "0|1|0|one id=S1\n");
	mt_ix_close(r);
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_RDONLY | MT_IX_SNAPSHOT, &r), 0);
	if (r != NULL) {
		MT_EXPECT_INT(find_n(r, "S1", 0, 0), 2);
		MT_EXPECT_INT(find_n(r, "S1", D0 + DAY, 0), 1);
		MT_EXPECT_INT(find_n(r, "S2", 0, D0 + DAY), 0);
		MT_EXPECT_INT(find_n(r, "S2", 0, 0), 1);
		mt_ix_close(r);
	}
	mt_ix_close(w);
}

/* fill_rec - a 1000-byte record "line NNNNN id=qNNNNN@h aaa..." */
static void
fill_rec(char *rec, int k)
{
	int n;

	memset(rec, 'a' + k % 26, 1000);
	rec[1000] = '\0';
	n = snprintf(rec, 40, "line %05d id=q%05d@h ", k, k);
	rec[n] = ' ';
}

/*
 * Blocks go through the compression queue: more of them than it holds,
 * numbered in the order they filled (ids follow time), every record back
 * in order; blocks still queued when the store is closed without a commit
 * are gone with the transaction.
 */
MT_TEST(test_queue)
{
	const char *db = fresh("queue.db");
	struct mt_ix *ix;
	struct mt_ix_stats st;
	struct mt_ix_file f = { 9, 4096, 8000, 8000, "q" }, got;
	struct mt_ix_block *b;
	struct mt_ix_rec r;
	char rec[1001], want[40];
	int64_t *blks;
	size_t n, i;
	long bad = 0, seen = 0;
	int k;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	for (k = 0; k < 8000; k++) {
		fill_rec(rec, k);
		bad |= put(ix, D0 + k * 1000000LL, rec);
	}
	MT_EXPECT_INT(mt_ix_pending(ix), 8000 * 1000);
	MT_EXPECT_INT(mt_ix_commit(ix, &f), 0);
	MT_EXPECT_INT(mt_ix_pending(ix), 0);
	MT_EXPECT_INT(bad, 0);
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 8000);
	MT_EXPECT_INT(st.keys, 8000);
	MT_EXPECT_INT(st.blocks, 8);	/* 7 full (1 MiB) and the rest */
	MT_EXPECT_INT(mt_ix_blocks(ix, 0, 0, &blks, &n), 0);
	MT_EXPECT_INT(n, 8);
	for (i = 0; i < n; i++) {
		if (i > 0 && blks[i] != blks[i - 1] + 1)
			bad++;		/* written out of order */
		if (mt_ix_block_load(ix, blks[i], &b) != 0) {
			bad++;
			continue;
		}
		while (mt_ix_block_next(b, &r)) {
			snprintf(want, sizeof(want), "line %05ld id=", seen);
			if (r.time != D0 + seen * 1000000LL || r.n != 1000 ||
			    memcmp(r.p, want, strlen(want)) != 0)
				bad++;
			seen++;
		}
		mt_ix_block_free(b);
	}
	free(blks);
	MT_EXPECT_INT(bad, 0);
	MT_EXPECT_INT(seen, 8000);
	MT_EXPECT_INT(count_prefix(ix, "q07999@h", "line 07999 id=q07999@h"),
	    1);
	/* six more blocks' worth, never committed */
	for (k = 8000; k < 14000; k++) {
		fill_rec(rec, k);
		bad |= put(ix, D0 + k * 1000000LL, rec);
	}
	MT_EXPECT_INT(bad, 0);
	mt_ix_close(ix);
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), 0);
	if (ix == NULL)
		return;
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 8000);
	MT_EXPECT_INT(st.blocks, 8);
	MT_EXPECT_INT(st.keys, 8000);
	MT_EXPECT_INT(find_n(ix, "q08000@h", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "q13999@h", 0, 0), 0);
	MT_EXPECT_INT(mt_ix_file_find(ix, 9, 4096, &got), 1);
	MT_EXPECT_INT(got.offset, 8000);
	mt_ix_close(ix);
}

MT_TEST(test_limits)
{
	const char *db = fresh("lim.db");
	struct mt_ix *ix;
	char *big;

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	if (ix == NULL)
		return;
	big = calloc(1, MT_IX_REC_MAX + 1);
	msg_start();
	MT_EXPECT_INT(mt_ix_put(ix, D0, 1, big, MT_IX_REC_MAX + 1, NULL, 0),
	    -MT_ERR_LIMIT);
	MT_EXPECT_INT(mt_ix_put(ix, D0, 256, "x", 1, NULL, 0), -MT_ERR_USAGE);
	msg_end();
	/* a record of exactly the limit is stored and read back */
	memset(big, 'z', MT_IX_REC_MAX);
	memcpy(big, "id=huge ", 8);
	MT_EXPECT_INT(put(ix, D0, "small id=s"), 0);
	{
		uint64_t k = skey("huge");

		MT_EXPECT_INT(mt_ix_put(ix, D0 + 1, 2, big, MT_IX_REC_MAX,
		    &k, 1), 0);
	}
	MT_EXPECT_INT(mt_ix_commit(ix, NULL), 0);
	{
		struct mt_ix_block *b;
		struct mt_ix_rec r;
		int64_t *blks;
		size_t n;

		MT_EXPECT_INT(mt_ix_find(ix, skey("huge"), 0, 0, &blks, &n),
		    0);
		MT_EXPECT_INT(n, 1);
		if (n == 1 && mt_ix_chunk_load(ix, blks[0], &b) == 0) {
			MT_EXPECT_INT(mt_ix_block_next(b, &r), 1);
			MT_EXPECT_INT(r.n, 10);
			MT_EXPECT_INT(mt_ix_block_next(b, &r), 1);
			MT_EXPECT_INT(r.n, MT_IX_REC_MAX);
			MT_EXPECT(memcmp(r.p, big, r.n) == 0);
			MT_EXPECT_INT(mt_ix_block_next(b, &r), 0);
			mt_ix_block_rewind(b);
			MT_EXPECT_INT(mt_ix_block_next(b, &r), 1);
			MT_EXPECT_INT(r.seq, 0);
			mt_ix_block_free(b);
		}
		free(blks);
	}
	free(big);
	mt_ix_close(ix);
}

MT_TEST(test_not_a_database)
{
	const char *db = fresh("text.db");
	struct mt_ix *ix = (struct mt_ix *)1;
	char want[600];
	FILE *fp;
	int i;

	fp = fopen(db, "w");
	for (i = 0; fp != NULL && i < 200; i++)
		fprintf(fp, "Nov  2 09:15:01 relay1 postfix/smtp[1]: line %d\n",
		    i);
	if (fp != NULL)
		fclose(fp);
	msg_start();
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), -MT_ERR_DB);
	snprintf(want, sizeof(want), "test_ix: %s: not a msgtrail store "
	    "(file is not a database)\n", db);
	MT_EXPECT_STR(msg_end(), want);
	MT_EXPECT(ix == NULL);
	/* also read-only */
	msg_start();
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_RDONLY, &ix), -MT_ERR_DB);
	MT_EXPECT_STR(msg_end(), want);
	/* a database, but someone else's */
	db = fresh("other.db");
	MT_EXPECT_INT(sql(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1);"),
	    0);
	msg_start();
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), -MT_ERR_DB);
	snprintf(want, sizeof(want), "test_ix: %s: not a msgtrail store "
	    "(no schema version)\n", db);
	MT_EXPECT_STR(msg_end(), want);
	/* a store that does not exist, read-only */
	db = fresh("absent.db");
	msg_start();
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_RDONLY, &ix), -MT_ERR_DB);
	snprintf(want, sizeof(want), "test_ix: %s: no such store (nothing "
	    "ingested yet?): No such file or directory\n", db);
	MT_EXPECT_STR(msg_end(), want);
}

MT_TEST(test_schema_version)
{
	const char *db = fresh("ver.db");
	struct mt_ix *ix;
	char want[600];

	MT_EXPECT_INT(mt_ix_open(db, MT_IX_CREATE, &ix), 0);
	mt_ix_close(ix);
	MT_EXPECT_INT(sql(db, "UPDATE meta SET value = 7 "
	    "WHERE key = 'schema_version'"), 0);
	msg_start();
	MT_EXPECT_INT(mt_ix_open(db, MT_IX_RDONLY, &ix), -MT_ERR_DB);
	snprintf(want, sizeof(want), "test_ix: %s: store schema version 7 is "
	    "newer than this msgtrail supports (2)\n", db);
	MT_EXPECT_STR(msg_end(), want);
	MT_EXPECT_INT(sql(db, "UPDATE meta SET value = 0 "
	    "WHERE key = 'schema_version'"), 0);
	msg_start();
	MT_EXPECT_INT(mt_ix_open(db, 0, &ix), -MT_ERR_DB);
	MT_EXPECT(strstr(msg_end(), "schema version 0 is older") != NULL);
}

/* corrupt_case - overwrite the only block, expect a report on load */
static void
corrupt_case(const char *name, const char *update, const char *why)
{
	const char *db = fresh("corrupt.db");
	struct mt_ix *ix;
	struct mt_ix_block *b = (struct mt_ix_block *)1;
	int64_t *blks;
	size_t n;
	char want[600];

	if (mt_ix_open(db, MT_IX_CREATE, &ix) != 0) {
		MT_FAILF("%s: open", name);
		return;
	}
	if (put(ix, D0, "Nov  2 00:00:00 relay1 postfix/qmgr[9]: id=C0FFEE: "
	    "removed") != 0 || mt_ix_commit(ix, NULL) != 0)
		MT_FAILF("%s: put", name);
	MT_EXPECTF(sql(db, update) == 0, "%s: update", name);
	if (mt_ix_find(ix, skey("C0FFEE"), 0, 0, &blks, &n) != 0 || n != 1) {
		MT_FAILF("%s: find", name);
		mt_ix_close(ix);
		return;
	}
	msg_start();
	MT_EXPECTF(mt_ix_chunk_load(ix, blks[0], &b) == -MT_ERR_DB,
	    "%s: load", name);
	snprintf(want, sizeof(want), "test_ix: %s: block %lld is corrupt "
	    "(%s)\n", db, (long long)mt_ix_ref_block(blks[0]), why);
	msg_end();
	MT_EXPECTF(strcmp(msgbuf, want) == 0, "%s: got %s want %s", name,
	    msgbuf, want);
	MT_EXPECTF(b == NULL, "%s: block handed out", name);
	free(blks);
	mt_ix_close(ix);
}

/* put_v - LEB128 of v at out; bytes used */
static size_t
put_v(unsigned char *out, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char)v;
	return n;
}

/*
 * zhex - SQL update setting the block to a one-chunk blob of raw: the
 * chunked header (0xc2, 1 chunk, raw length, frame length, seq 0, prev 0)
 * then zstd(raw); rawlen_delta skews the declared raw length
 */
static void
zhex(const void *raw, size_t n, long rawlen_delta, char *out, size_t outsz)
{
	unsigned char z[512], b[600];
	size_t zn, i, bn = 0;

	zn = ZSTD_compress(z, sizeof(z), raw, n, 3);
	if (ZSTD_isError(zn))
		zn = 0;
	b[bn++] = 0xc2;
	bn += put_v(b + bn, 1);
	bn += put_v(b + bn, (uint64_t)((long)n + rawlen_delta));
	bn += put_v(b + bn, zn);
	bn += put_v(b + bn, 0);
	bn += put_v(b + bn, 0);
	memcpy(b + bn, z, zn);
	bn += zn;
	snprintf(out, outsz, "UPDATE blocks SET data = X'");
	for (i = 0; i < bn; i++)
		snprintf(out + strlen(out), outsz - strlen(out), "%02x", b[i]);
	snprintf(out + strlen(out), outsz - strlen(out), "'");
}

MT_TEST(test_corrupt_block)
{
	/* a record claiming 100 bytes where 3 remain */
	static const unsigned char trunc[] = { 1, 0, 0, 1, 100, 'a', 'b', 'c' };
	/* a varint that never ends */
	static const unsigned char endless[] = { 1, 0, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const unsigned char badver[] = { 9, 0, 0, 1, 1, 'a' };
	static const unsigned char good[] = { 1, 0, 0, 1, 1, 'a' };
	char q[1400];

	corrupt_case("garbage", "UPDATE blocks SET data = "
	    "X'00112233445566778899aabbccddeeff'", "not a msgtrail block");
	corrupt_case("truncated frame", "UPDATE blocks SET data = "
	    "substr(data, 1, length(data) - 4)",
	    "frames do not span the blob");
	corrupt_case("trailing bytes", "UPDATE blocks SET data = "
	    "data || X'00'", "frames do not span the blob");
	corrupt_case("text", "UPDATE blocks SET data = 'hello'",
	    "not a msgtrail block");
	corrupt_case("empty", "UPDATE blocks SET data = X''", "empty");
	corrupt_case("no chunks", "UPDATE blocks SET data = X'c200'",
	    "bad chunk count");
	corrupt_case("33 chunks", "UPDATE blocks SET data = X'c221'",
	    "bad chunk count");
	corrupt_case("cut header", "UPDATE blocks SET data = X'c2010a'",
	    "truncated header");
	zhex(trunc, sizeof(trunc), 0, q, sizeof(q));
	corrupt_case("record overrun", q, "truncated record");
	zhex(endless, sizeof(endless), 0, q, sizeof(q));
	corrupt_case("endless varint", q, "truncated record");
	zhex(badver, sizeof(badver), 0, q, sizeof(q));
	corrupt_case("bad version", q, "bad header");
	zhex(good, sizeof(good), 1, q, sizeof(q));
	corrupt_case("size differs", q, "frame size differs from the header");
	/* a chunk that declares 2 GB */
	corrupt_case("huge", "UPDATE blocks SET data = "
	    "X'c20180808080080c0000'", "chunk size out of range");
	/* the index names chunk 3 of a one-chunk block */
	corrupt_case("chunk out of range", "UPDATE ix SET blk = blk + 3",
	    "chunk out of range");
}

/* prune_fixture - four days; the cutoff day has one straddling block */
static struct mt_ix *
prune_fixture(const char *db)
{
	struct mt_ix *ix;
	char rec[256], noisy[4400];
	uint64_t x = 0x9e3779b97f4a7c15ULL, k1;
	size_t nn;
	int k, bad = 0;

	if (mt_ix_open(db, MT_IX_CREATE, &ix) != 0)
		return NULL;
	/* high-entropy bytes around a marker: zstd keeps the marker as a
	 * raw literal, so a byte search of the files can see it */
	nn = (size_t)snprintf(noisy, sizeof(noisy), "old secret "
	    "id=day0-secret-marker ");
	for (k = 0; k < 4096; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		noisy[nn++] = (char)(x >> 24);
	}
	k1 = skey("day0-secret-marker");
	bad |= mt_ix_put(ix, D0 - HOUR, 2, noisy, nn, &k1, 1);
	memcpy(noisy + 1000, "to=<secret.person@private.example>", 34);
	k1 = skey("secret.person@private.example");
	bad |= mt_ix_put(ix, D0 + 2 * DAY + 5 * HOUR, 2, noisy, nn, &k1, 1);
	for (k = 0; k < 50; k++) {
		snprintf(rec, sizeof(rec), "old day id=d0m%d id=shared", k);
		bad |= put(ix, D0 + k * 60000000LL, rec);
		snprintf(rec, sizeof(rec), "old day id=d1m%d id=shared", k);
		bad |= put(ix, D0 + DAY + k * 60000000LL, rec);
	}
	bad |= put(ix, D0 + 2 * DAY + 6 * HOUR, "Nov  4 06:00:00 relay1 "
	    "postfix/smtp[7]: id=E1E1E1: to=<id=secret.person@private.example>"
	    " status=sent id=shared");
	bad |= put(ix, D0 + 2 * DAY + 7 * HOUR, "Nov  4 07:00:00 relay1 "
	    "postfix/qmgr[7]: id=E1E1E1: removed id=straddle");
	bad |= put(ix, D0 + 2 * DAY + 18 * HOUR, "Nov  4 18:00:00 relay1 "
	    "postfix/smtp[7]: id=F2F2F2: to=<id=kept@example.org> "
	    "status=sent id=straddle");
	bad |= put(ix, D0 + 3 * DAY, "next day id=kept@example.org");
	if (bad || mt_ix_commit(ix, NULL) != 0) {
		mt_ix_close(ix);
		return NULL;
	}
	return ix;
}

MT_TEST(test_prune)
{
	const char *db = fresh("prune.db");
	struct mt_ix *ix;
	struct mt_ix_prune_stats ps, dry;
	struct mt_ix_stats st, st2;
	char wal[600];
	int64_t cutoff = D0 + 2 * DAY + 12 * HOUR;

	snprintf(wal, sizeof(wal), "%s-wal", db);
	if ((ix = prune_fixture(db)) == NULL) {
		MT_FAILF("fixture");
		return;
	}
	MT_EXPECT_INT(mt_ix_stats(ix, &st), 0);
	MT_EXPECT_INT(st.records, 106);
	MT_EXPECT_INT(st.blocks, 5);
	MT_EXPECT_INT(find_n(ix, "secret.person@private.example", 0, 0), 1);
	/* dry run: the numbers, and nothing changes */
	MT_EXPECT_INT(mt_ix_prune(ix, cutoff, 1, text_keys, NULL, &dry), 0);
	MT_EXPECT_INT(dry.records, 104);
	MT_EXPECT_INT(dry.blocks, 4);
	MT_EXPECT(dry.bytes > 0);
	MT_EXPECT_INT(dry.db_after, dry.db_before);
	MT_EXPECT_INT(mt_ix_stats(ix, &st2), 0);
	MT_EXPECT_INT(st2.records, 106);
	MT_EXPECT_INT(st2.keys, st.keys);
	MT_EXPECT_INT(find_n(ix, "d0m3", 0, 0), 1);
	/* the real thing */
	MT_EXPECT_INT(mt_ix_prune(ix, cutoff, 0, text_keys, NULL, &ps), 0);
	MT_EXPECT_INT(ps.records, dry.records);
	MT_EXPECT_INT(ps.blocks, dry.blocks);
	MT_EXPECT_INT(ps.bytes, dry.bytes);
	MT_EXPECT(ps.db_after <= ps.db_before);
	MT_EXPECT_INT(mt_ix_stats(ix, &st2), 0);
	MT_EXPECT_INT(st2.records, 2);
	MT_EXPECT_INT(st2.blocks, 2);
	/* keys left: F2F2F2, kept@example.org and straddle on the cutoff
	 * day, kept@example.org on the next day */
	MT_EXPECT_INT(st2.keys, 4);
	MT_EXPECT_INT(find_n(ix, "d0m3", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "d1m49", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "secret.person@private.example", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "E1E1E1", 0, 0), 0);
	MT_EXPECT_INT(find_n(ix, "shared", 0, 0), 0);
	MT_EXPECT_STR(dump(ix, "straddle", 0, 0),
	    "237600|1|0|Nov  4 18:00:00 relay1 postfix/smtp[7]: id=F2F2F2: "
	    "to=<id=kept@example.org> status=sent id=straddle\n");
	MT_EXPECT_INT(find_n(ix, "kept@example.org", 0, 0), 2);
	MT_EXPECT_INT(find_n(ix, "F2F2F2", 0, 0), 1);
	/* gone from the files, not only from the tables */
	MT_EXPECT_INT(file_has(db, "secret.person"), 0);
	MT_EXPECT_INT(file_has(wal, "secret.person"), 0);
	MT_EXPECT_INT(file_has(db, "day0-secret-marker"), 0);
	MT_EXPECT_INT(file_has(wal, "day0-secret-marker"), 0);
	/* a second run has nothing to do */
	MT_EXPECT_INT(mt_ix_prune(ix, cutoff, 0, text_keys, NULL, &ps), 0);
	MT_EXPECT_INT(ps.records, 0);
	MT_EXPECT_INT(ps.blocks, 0);
	mt_ix_close(ix);
}

MT_TEST(test_prune_present_before)
{
	const char *db = fresh("prune2.db");
	struct mt_ix *ix;
	char wal[600];

	/* the check above can fail: the text is findable before prune */
	snprintf(wal, sizeof(wal), "%s-wal", db);
	if ((ix = prune_fixture(db)) == NULL) {
		MT_FAILF("fixture");
		return;
	}
	MT_EXPECT(file_has(db, "secret.person") == 1 ||
	    file_has(wal, "secret.person") == 1);
	MT_EXPECT(file_has(db, "day0-secret-marker") == 1 ||
	    file_has(wal, "day0-secret-marker") == 1);
	mt_ix_close(ix);
}

MT_TEST(test_prune_no_keyfn)
{
	const char *db = fresh("prune3.db");
	struct mt_ix *ix;
	struct mt_ix_prune_stats ps;

	if ((ix = prune_fixture(db)) == NULL) {
		MT_FAILF("fixture");
		return;
	}
	MT_EXPECT_INT(mt_ix_prune(ix, D0 + 2 * DAY + 12 * HOUR, 0, NULL, NULL,
	    &ps), 0);
	MT_EXPECT_INT(ps.records, 104);
	/* the old key now points at every chunk of the rewritten block:
	 * false hits the caller filters out, never a missing record */
	MT_EXPECT_INT(find_n(ix, "E1E1E1", 0, 0), 1);
	MT_EXPECT_STR(dump(ix, "E1E1E1", 0, 0),
	    "237600|1|0|Nov  4 18:00:00 relay1 postfix/smtp[7]: id=F2F2F2: "
	    "to=<id=kept@example.org> status=sent id=straddle\n");
	mt_ix_close(ix);
}

MT_TEST(test_size_stable)
{
	const char *db = fresh("cycle.db");
	struct mt_ix *ix;
	struct mt_ix_prune_stats ps;
	char rec[600], wal[600];
	long long sz5 = 0, sz, maxsz = 0;
	uint64_t x = 88172645463325252ULL;
	int day, k, j, bad = 0;

	snprintf(wal, sizeof(wal), "%s-wal", db);
	if (mt_ix_open(db, MT_IX_CREATE, &ix) != 0) {
		MT_FAILF("open");
		return;
	}
	for (day = 0; day < 30; day++) {
		for (k = 0; k < 2000; k++) {
			int len;

			len = snprintf(rec, sizeof(rec), "Nov  2 relay%d "
			    "postfix/smtp[%d]: id=Q%d-%d: to=<id=u%d@x> ",
			    k % 3, k, day, k, k);
			for (j = 0; j < 12; j++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				len += snprintf(rec + len, sizeof(rec) - len,
				    "%08llx ", (unsigned long long)(x &
				    0xffffffffULL));
			}
			bad |= put(ix, D0 + day * DAY + k * 40000000LL, rec);
		}
		bad |= mt_ix_commit(ix, NULL);
		if (day >= 2)
			bad |= mt_ix_prune(ix, D0 + (day - 1) * DAY, 0,
			    text_keys, NULL, &ps);
		sz = file_size(db) + file_size(wal);
		if (day == 5)
			sz5 = sz;
		if (day > 5 && sz > maxsz)
			maxsz = sz;
	}
	MT_EXPECT_INT(bad, 0);
	MT_EXPECT(sz5 > 0);
	MT_EXPECTF(maxsz <= sz5 + sz5 / 10, "size grew from %lld to %lld",
	    sz5, maxsz);
	mt_ix_close(ix);
}

/* rm_tree - remove the test directory's files */
static void
rm_tree(void)
{
	static const char *const names[] = { "rt.db", "days.db", "size.db",
	    "lru.db", "files.db", "rb.db", "lim.db", "text.db", "other.db",
	    "absent.db", "ver.db", "corrupt.db", "prune.db", "prune2.db",
	    "prune3.db", "cycle.db", "queue.db" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)fresh(names[i]);
	rmdir(tdir);
}

int
main(int argc, char **argv)
{
	(void)argc;
	mt_msg_init(argv[0]);
	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	MT_RUN(test_roundtrip);
	MT_RUN(test_days_and_ranges);
	MT_RUN(test_block_by_size);
	MT_RUN(test_many_days_lru);
	MT_RUN(test_files);
	MT_RUN(test_rollback_on_close);
	MT_RUN(test_commit_async);
	MT_RUN(test_snapshot);
	MT_RUN(test_queue);
	MT_RUN(test_limits);
	MT_RUN(test_not_a_database);
	MT_RUN(test_schema_version);
	MT_RUN(test_corrupt_block);
	MT_RUN(test_prune);
	MT_RUN(test_prune_present_before);
	MT_RUN(test_prune_no_keyfn);
	MT_RUN(test_size_stable);
	rm_tree();
	return MT_DONE();
}
