/*
 * test_in.c - mt_in: plain, gzip and zstd input, text and JSON framing,
 * limits, truncation, resume, fingerprints, follow mode
 *
 * Compressed fixtures are made here with the zlib and zstd APIs.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "mt_alloc.h"
#include "mt_buf.h"
#include "mt_in.h"
#include "mt_msg.h"
#include "mt_test.h"

static char tdir[] = "/tmp/mt_test_in.XXXXXX";
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

/* put - write bytes to a file */
static void
put(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || fwrite(p, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
}

/* gz - gzip n bytes as one member into b (appended) */
static void
gz(struct mt_buf *b, const void *p, size_t n)
{
	z_stream zs;
	size_t bound;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		exit(2);
	bound = deflateBound(&zs, (uLong)n) + 64;
	if (mt_buf_reserve(b, bound) != 0)
		exit(2);
	zs.next_in = (unsigned char *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = (unsigned char *)b->data + b->len;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		exit(2);
	b->len += bound - zs.avail_out;
	deflateEnd(&zs);
}

/* zst - zstd-compress n bytes as one frame into b (appended) */
static void
zst(struct mt_buf *b, const void *p, size_t n)
{
	size_t bound = ZSTD_compressBound(n), r;

	if (mt_buf_reserve(b, bound) != 0)
		exit(2);
	r = ZSTD_compress(b->data + b->len, bound, p, n, 3);
	if (ZSTD_isError(r))
		exit(2);
	b->len += r;
}

/*
 * dump - read every record of path into out as "line@offset:text\n";
 * returns the last mt_in_next result.
 */
static int
dump(const char *path, struct mt_buf *out, struct mt_in **keep)
{
	struct mt_in *in;
	const char *rec;
	size_t len;
	unsigned long line;
	int r;

	mt_buf_reset(out);
	if (mt_in_open(path, &in) != 0)
		return -100;
	mt_in_set_final(in, 1);		/* complete files, as if compressed */
	while ((r = mt_in_next(in, &rec, &len, &line)) == 1)
		if (mt_buf_printf(out, "%lu@%llu:%.*s\n", line,
		    (unsigned long long)mt_in_offset(in), (int)len, rec) != 0)
			exit(2);
	if (keep)
		*keep = in;
	else
		mt_in_close(in);
	return r;
}

/* gen_text - a log of n lines with CRLF and lone CR sprinkled in */
static void
gen_text(struct mt_buf *b, int n)
{
	int i;

	mt_buf_reset(b);
	for (i = 1; i <= n; i++)
		if (mt_buf_printf(b, "Nov  2 09:15:%02d relay1 postfix/smtp[%d]: "
		    "%05X: to=<u%d@example.org>, status=sent%s", i % 60, 1000 + i,
		    i, i, i % 7 == 0 ? "\r\n" : i % 11 == 0 ? " a\rb\n" : "\n")
		    != 0)
			exit(2);
}

MT_TEST(t_same_records_plain_gz_zst)
{
	struct mt_buf src, c, d1, d2, d3;
	struct mt_in *in;
	size_t half;

	mt_buf_init(&src, 0);
	mt_buf_init(&c, 0);
	mt_buf_init(&d1, 0);
	mt_buf_init(&d2, 0);
	mt_buf_init(&d3, 0);
	gen_text(&src, 20000);		/* ~1.5 MB: many read chunks */
	MT_EXPECT(src.len > 3 * 256 * 1024);
	put(tpath("s.log"), src.data, src.len);
	/* two gzip members and two zstd frames, split mid-line */
	half = src.len / 2 + 17;
	gz(&c, src.data, half);
	gz(&c, src.data + half, src.len - half);
	put(tpath("s.log.1"), c.data, c.len);
	mt_buf_reset(&c);
	zst(&c, src.data, half);
	zst(&c, src.data + half, src.len - half);
	put(tpath("s.log.2"), c.data, c.len);

	MT_EXPECT_INT(dump(tpath("s.log"), &d1, &in), 0);
	MT_EXPECT_INT(mt_in_comp(in), MT_IN_PLAIN);
	MT_EXPECT_INT(mt_in_kind(in), MT_IN_TEXT);
	MT_EXPECT_INT(mt_in_offset(in), src.len);
	MT_EXPECT_INT(mt_in_line(in), 20000);
	MT_EXPECT_INT(mt_in_size(in), src.len);
	MT_EXPECT_INT(mt_in_bytes_read(in), src.len);
	mt_in_close(in);
	MT_EXPECT_INT(dump(tpath("s.log.1"), &d2, &in), 0);
	MT_EXPECT_INT(mt_in_comp(in), MT_IN_GZIP);
	MT_EXPECT_INT(mt_in_offset(in), src.len);
	mt_in_close(in);
	MT_EXPECT_INT(dump(tpath("s.log.2"), &d3, &in), 0);
	MT_EXPECT_INT(mt_in_comp(in), MT_IN_ZSTD);
	mt_in_close(in);
	MT_EXPECT(d1.len == d2.len && memcmp(d1.data, d2.data, d1.len) == 0);
	MT_EXPECT(d1.len == d3.len && memcmp(d1.data, d3.data, d1.len) == 0);
	/* exact first records: CRLF stripped, lone CR kept */
	MT_EXPECT(strncmp(d1.data, "1@83:Nov  2 09:15:01 relay1 postfix/smtp"
	    "[1001]: 00001: to=<u1@example.org>, status=sent\n", 88) == 0);
	MT_EXPECT(strstr(d1.data, "[1007]: 00007: to=<u7@example.org>, "
	    "status=sent\n8@") != NULL);
	MT_EXPECT(strstr(d1.data, "[1011]: 0000B: to=<u11@example.org>, "
	    "status=sent a\rb\n12@") != NULL);
	mt_buf_free(&src);
	mt_buf_free(&c);
	mt_buf_free(&d1);
	mt_buf_free(&d2);
	mt_buf_free(&d3);
}

MT_TEST(t_crlf_and_final_line)
{
	static const char s[] = "a\r\nb\rc\r\n\nlast";
	struct mt_buf d;

	mt_buf_init(&d, 0);
	put(tpath("crlf"), s, sizeof(s) - 1);
	MT_EXPECT_INT(dump(tpath("crlf"), &d, NULL), 0);
	MT_EXPECT_STR(d.data, "1@3:a\n2@8:b\rc\n3@9:\n4@13:last\n");
	mt_buf_free(&d);
}

MT_TEST(t_long_line)
{
	struct mt_buf s, d, want;
	const char *m;
	char *x;
	size_t i;

	mt_buf_init(&s, 0);
	mt_buf_init(&d, 0);
	mt_buf_init(&want, 0);
	x = mt_malloc(400000);
	memset(x, 'x', 400000);
	/* 16384 fits; 16385 does not; 16384 + CR fits; 400000 spans reads */
	if (mt_buf_append(&s, "one\n", 4) || mt_buf_append(&s, x, 16384) ||
	    mt_buf_append(&s, "\n", 1) || mt_buf_append(&s, x, 16385) ||
	    mt_buf_append(&s, "\n", 1) || mt_buf_append(&s, x, 16384) ||
	    mt_buf_append(&s, "\r\n", 2) || mt_buf_append(&s, x, 400000) ||
	    mt_buf_append(&s, "\nsix\n", 5) || mt_buf_append(&s, x, 20000))
		exit(2);
	put(tpath("long"), s.data, s.len);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("long"), &d, NULL), 0);
	m = mt_t_cap_end();
	if (mt_buf_printf(&want, "msgtrail: %s:3: line longer than 16384 bytes, "
	    "skipped\nmsgtrail: %s:5: line longer than 16384 bytes, skipped\n"
	    "msgtrail: %s:7: line longer than 16384 bytes, skipped\n",
	    tpath("long"), tpath("long"), tpath("long")) != 0)
		exit(2);
	MT_EXPECT_STR(m, want.data);
	/* records: one, 16384 x, 16384 x, six */
	MT_EXPECT(strncmp(d.data, "1@4:one\n2@16389:xxx", 19) == 0);
	MT_EXPECT(strstr(d.data, "\n6@449166:six\n") != NULL);
	for (i = 0; i < d.len; i++)
		if (d.data[i] == 'x')
			d.data[i] = '.';
	MT_EXPECT_INT(d.len, 8 + 8 + 16385 + 8 + 16385 + 13);
	MT_EXPECT(strstr(d.data, "\n4@49161:....") != NULL);
	free(x);
	mt_buf_free(&s);
	mt_buf_free(&d);
	mt_buf_free(&want);
}

MT_TEST(t_nul_line)
{
	static const char s[] = "a\nb\0c\nd";
	struct mt_buf d;
	char want[512];

	mt_buf_init(&d, 0);
	put(tpath("nul"), s, sizeof(s) - 1);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("nul"), &d, NULL), 0);
	snprintf(want, sizeof(want), "msgtrail: %s:2: NUL byte in line, "
	    "skipped\n", tpath("nul"));
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT_STR(d.data, "1@2:a\n3@7:d\n");
	mt_buf_free(&d);
}

/* json_case - one framing shape and its expected dump */
struct json_case {
	const char *name;
	const char *in;
	const char *want;
};

MT_TEST(t_json_shapes)
{
	static const struct json_case tab[] = {
		{ "ndjson", "{\"a\":1}\n{\"b\":\"}{\"}\n",
		    "1@7:{\"a\":1}\n2@18:{\"b\":\"}{\"}\n" },
		{ "pretty", "{\n  \"a\": {\n    \"b\": [1, 2]\n  }\n}\n{\n  \"c\": \"\\\"}\"\n}\n",
		    "1@32:{\n  \"a\": {\n    \"b\": [1, 2]\n  }\n}\n"
		    "6@49:{\n  \"c\": \"\\\"}\"\n}\n" },
		{ "array", " [\n {\"a\":[{}]},\n {\"b\":2}\n]\n",
		    "2@14:{\"a\":[{}]}\n3@24:{\"b\":2}\n" },
		{ "concat", "{\"a\":\"\\\\\"}{\"b\":{}}{\"c\":3}",
		    "1@10:{\"a\":\"\\\\\"}\n1@18:{\"b\":{}}\n1@25:{\"c\":3}\n" },
	};
	struct mt_buf d;
	struct mt_in *in;
	size_t i;

	mt_buf_init(&d, 0);
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		put(tpath("j"), tab[i].in, strlen(tab[i].in));
		MT_EXPECT_INT(dump(tpath("j"), &d, &in), 0);
		MT_EXPECTF(mt_in_kind(in) == MT_IN_JSON, "%s: kind", tab[i].name);
		MT_EXPECTF(strcmp(d.data, tab[i].want) == 0,
		    "%s: got \"%s\", want \"%s\"", tab[i].name, d.data,
		    tab[i].want);
		mt_in_close(in);
	}
	mt_buf_free(&d);
}

/* gen_json - n objects of growing size; pretty when pretty is set */
static void
gen_json(struct mt_buf *b, int n, int pretty)
{
	int i;

	mt_buf_reset(b);
	for (i = 0; i < n; i++)
		if (mt_buf_printf(b, pretty ? "{\n \"n\": %d,\n \"s\": \"%0*d}{\\\"\"\n}\n" :
		    "{\"n\":%d,\"s\":\"%0*d}{\\\"\"}", i, 10 + i % 3000, i) != 0)
			exit(2);
}

MT_TEST(t_json_chunk_boundaries)
{
	struct mt_buf s, d1, d2, c;
	const char *p;
	int i, pretty;

	mt_buf_init(&s, 0);
	mt_buf_init(&d1, 0);
	mt_buf_init(&d2, 0);
	mt_buf_init(&c, 0);
	for (pretty = 0; pretty < 2; pretty++) {
		gen_json(&s, 2000, pretty);	/* ~3 MB, objects cross reads */
		put(tpath("jc"), s.data, s.len);
		MT_EXPECT_INT(dump(tpath("jc"), &d1, NULL), 0);
		mt_buf_reset(&c);
		zst(&c, s.data, s.len);
		put(tpath("jc.zst"), c.data, c.len);
		MT_EXPECT_INT(dump(tpath("jc.zst"), &d2, NULL), 0);
		MT_EXPECT(d1.len == d2.len && memcmp(d1.data, d2.data,
		    d1.len) == 0);
		/* every object whole, in order, on the right line */
		p = d1.data;
		for (i = 0; i < 2000 && p; i++) {
			char want[64];
			const char *q = strchr(p, ':');

			snprintf(want, sizeof(want), pretty ? "%d@" : "1@",
			    4 * i + 1);
			MT_EXPECTF(strncmp(p, want, strlen(want)) == 0,
			    "pretty %d object %d: %.20s", pretty, i, p);
			snprintf(want, sizeof(want), pretty ?
			    "{\n \"n\": %d,\n \"s\": \"" : "{\"n\":%d,\"s\":\"", i);
			MT_EXPECTF(q && strncmp(q + 1, want, strlen(want)) == 0,
			    "pretty %d object %d", pretty, i);
			p = strstr(p, "\\\"\"");
			p = p ? strchr(p, '\n') : NULL;
			if (p && pretty)
				p = strchr(p + 1, '\n');
			p = p ? p + 1 : NULL;
		}
		MT_EXPECT_INT(i, 2000);
		MT_EXPECT(p != NULL && *p == '\0');
	}
	mt_buf_free(&s);
	mt_buf_free(&d1);
	mt_buf_free(&d2);
	mt_buf_free(&c);
}

MT_TEST(t_json_limits)
{
	struct mt_buf s, d, want;
	const char *f = tpath("jl");
	struct mt_in *in;
	int i;

	mt_buf_init(&s, 0);
	mt_buf_init(&d, 0);
	mt_buf_init(&want, 0);
	/* line 1 ok; line 2 65 deep; line 3 junk; line 4 > 4 MiB; 5 ok; 6 cut */
	if (mt_buf_append(&s, "{\"ok\":1}\n{", 10) != 0)
		exit(2);
	for (i = 0; i < 64; i++)
		if (mt_buf_append(&s, "[", 1) != 0)
			exit(2);
	for (i = 0; i < 64; i++)
		if (mt_buf_append(&s, "]", 1) != 0)
			exit(2);
	if (mt_buf_append(&s, "}\nnot json {\n{\"big\":\"", 21) != 0)
		exit(2);
	for (i = 0; i < MT_IN_JSON_MAX / 1000 + 1; i++)
		if (mt_buf_printf(&s, "%01000d", i) != 0)
			exit(2);
	if (mt_buf_append(&s, "\"}\n{\"ok\":5}\n{\"cut\":[1,", 22) != 0)
		exit(2);
	put(f, s.data, s.len);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(f, &d, &in), 0);
	if (mt_buf_printf(&want, "msgtrail: %s:2: JSON nested deeper than 64 "
	    "levels, skipped\nmsgtrail: %s:3: unexpected text outside a JSON "
	    "object, skipped\nmsgtrail: %s:4: JSON object larger than 4194304 "
	    "bytes, skipped\nmsgtrail: %s:6: truncated JSON object at end of "
	    "input\n", f, f, f, f) != 0)
		exit(2);
	MT_EXPECT_STR(mt_t_cap_end(), want.data);
	mt_buf_reset(&want);
	if (mt_buf_printf(&want, "1@8:{\"ok\":1}\n5@%zu:{\"ok\":5}\n",
	    s.len - 11) != 0)
		exit(2);
	MT_EXPECT_STR(d.data, want.data);
	MT_EXPECT_INT(mt_in_skipped(in), 4);
	mt_in_close(in);
	/* exactly 64 levels is fine */
	mt_buf_reset(&s);
	for (i = 0; i < 64; i++)
		if (mt_buf_append(&s, "{\"a\":", 5) != 0)
			exit(2);
	if (mt_buf_append(&s, "1", 1) != 0)
		exit(2);
	for (i = 0; i < 64; i++)
		if (mt_buf_append(&s, "}", 1) != 0)
			exit(2);
	put(f, s.data, s.len);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(f, &d, NULL), 0);
	MT_EXPECT_STR(mt_t_cap_end(), "");
	MT_EXPECT_INT(d.len, strlen("1@385:") + s.len + 1);
	MT_EXPECT_INT(s.len, 385);
	mt_buf_free(&s);
	mt_buf_free(&d);
	mt_buf_free(&want);
}

/* nrecs - records in a dump (one per line) */
static unsigned long
nrecs(const struct mt_buf *d)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < d->len; i++)
		n += d->data[i] == '\n';
	return n;
}

MT_TEST(t_truncated_streams)
{
	struct mt_buf src, c, d, full;
	char want[512];
	size_t n;

	mt_buf_init(&src, 0);
	mt_buf_init(&c, 0);
	mt_buf_init(&d, 0);
	mt_buf_init(&full, 0);
	gen_text(&src, 3000);
	put(tpath("t.log"), src.data, src.len);
	MT_EXPECT_INT(dump(tpath("t.log"), &full, NULL), 0);

	/* gzip without its 8-byte trailer: every line, then the error at
	 * the line after the last */
	gz(&c, src.data, src.len);
	put(tpath("t.gz"), c.data, c.len - 8);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("t.gz"), &d, NULL), -MT_ERR_IO);
	snprintf(want, sizeof(want), "msgtrail: %s:3001: truncated gzip "
	    "stream\n", tpath("t.gz"));
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT_STR(d.data, full.data);

	/* gzip cut in half: a prefix of the records, then the error at the
	 * line that was cut */
	put(tpath("t.gz"), c.data, c.len / 2);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("t.gz"), &d, NULL), -MT_ERR_IO);
	snprintf(want, sizeof(want), "msgtrail: %s:%lu: truncated gzip "
	    "stream\n", tpath("t.gz"), nrecs(&d) + 1);
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT(d.len > 0 && d.len < full.len &&
	    memcmp(d.data, full.data, d.len) == 0);

	/* corrupt gzip */
	c.data[c.len / 2] ^= 0x55;
	c.data[c.len / 2 + 1] ^= 0x55;
	put(tpath("t.gz"), c.data, c.len);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("t.gz"), &d, NULL), -MT_ERR_IO);
	snprintf(want, sizeof(want), "msgtrail: %s:%lu: gzip: ", tpath("t.gz"),
	    nrecs(&d) + 1);
	MT_EXPECT(strncmp(mt_t_cap_end(), want, strlen(want)) == 0);
	MT_EXPECT(d.len < full.len && memcmp(d.data, full.data, d.len) == 0);

	/* zstd cut short */
	mt_buf_reset(&c);
	zst(&c, src.data, src.len);
	n = c.len - 5;
	put(tpath("t.zst"), c.data, n);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("t.zst"), &d, NULL), -MT_ERR_IO);
	snprintf(want, sizeof(want), "msgtrail: %s:%lu: truncated zstd "
	    "stream\n", tpath("t.zst"), nrecs(&d) + 1);
	MT_EXPECT_STR(mt_t_cap_end(), want);
	MT_EXPECT(d.len < full.len && memcmp(d.data, full.data, d.len) == 0);

	/* corrupt zstd */
	c.data[c.len / 2] ^= 0x5a;
	c.data[c.len / 2 + 3] ^= 0x5a;
	c.data[6] ^= 0x7f;
	put(tpath("t.zst"), c.data, c.len);
	mt_t_cap_start();
	MT_EXPECT_INT(dump(tpath("t.zst"), &d, NULL), -MT_ERR_IO);
	snprintf(want, sizeof(want), "msgtrail: %s:%lu: zstd: ",
	    tpath("t.zst"), nrecs(&d) + 1);
	MT_EXPECT(strncmp(mt_t_cap_end(), want, strlen(want)) == 0);
	mt_buf_free(&src);
	mt_buf_free(&c);
	mt_buf_free(&d);
	mt_buf_free(&full);
}

/* t_cr_runs - every CR before the LF is stripped, also on the last line */
MT_TEST(t_cr_runs)
{
	static const char s[] = "a\r\r\nb\r\n\r\r\nc\rd\r\r\r";
	struct mt_buf d;

	mt_buf_init(&d, 0);
	put(tpath("crruns"), s, sizeof(s) - 1);
	MT_EXPECT_INT(dump(tpath("crruns"), &d, NULL), 0);
	MT_EXPECT_STR(d.data, "1@4:a\n2@7:b\n3@10:\n4@16:c\rd\n");
	mt_buf_free(&d);
}

/* resume - read k records, reopen, skip, read the rest: same as dump */
static void
resume(const char *path, int k)
{
	struct mt_buf a, b;
	struct mt_in *in;
	const char *rec;
	size_t len;
	unsigned long line;
	uint64_t off, ln;
	int i, r;

	mt_buf_init(&a, 0);
	mt_buf_init(&b, 0);
	MT_EXPECT_INT(dump(path, &a, NULL), 0);
	if (mt_in_open(path, &in) != 0)
		exit(2);
	mt_in_set_final(in, 1);
	for (i = 0; i < k; i++)
		if (mt_in_next(in, &rec, &len, &line) != 1)
			exit(2);
		else if (mt_buf_printf(&b, "%lu@%llu:%.*s\n", line,
		    (unsigned long long)mt_in_offset(in), (int)len, rec) != 0)
			exit(2);
	off = mt_in_offset(in);
	ln = mt_in_line(in);
	mt_in_close(in);
	if (mt_in_open(path, &in) != 0)
		exit(2);
	mt_in_set_final(in, 1);
	MT_EXPECT_INT(mt_in_skip(in, off, ln), 0);
	while ((r = mt_in_next(in, &rec, &len, &line)) == 1)
		if (mt_buf_printf(&b, "%lu@%llu:%.*s\n", line,
		    (unsigned long long)mt_in_offset(in), (int)len, rec) != 0)
			exit(2);
	MT_EXPECT_INT(r, 0);
	mt_in_close(in);
	MT_EXPECTF(a.len == b.len && memcmp(a.data, b.data, a.len) == 0,
	    "%s: resumed after %d records differs", path, k);
	mt_buf_free(&a);
	mt_buf_free(&b);
}

MT_TEST(t_skip_resume)
{
	struct mt_buf s, c;
	struct mt_in *in;

	mt_buf_init(&s, 0);
	mt_buf_init(&c, 0);
	gen_text(&s, 20000);
	put(tpath("r.log"), s.data, s.len);
	gz(&c, s.data, s.len);
	put(tpath("r.gz"), c.data, c.len);
	resume(tpath("r.log"), 1);
	resume(tpath("r.log"), 15000);		/* far past the window: seek */
	resume(tpath("r.gz"), 15000);
	gen_json(&s, 500, 1);
	put(tpath("r.json"), s.data, s.len);
	resume(tpath("r.json"), 0);
	resume(tpath("r.json"), 321);
	gen_json(&s, 500, 0);
	put(tpath("r.json"), s.data, s.len);
	resume(tpath("r.json"), 77);
	/* beyond the end is refused */
	if (mt_in_open(tpath("r.json"), &in) != 0)
		exit(2);
	mt_t_cap_start();
	MT_EXPECT_INT(mt_in_skip(in, s.len + 1, 1), -MT_ERR_INPUT);
	mt_t_cap_end();
	mt_in_close(in);
	mt_buf_free(&s);
	mt_buf_free(&c);
}

/* fnv - the documented fingerprint function, FNV-1a 64 */
static uint64_t
fnv(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

MT_TEST(t_fingerprint)
{
	struct mt_buf s, c;
	struct mt_in *in;
	uint64_t fp[3], h;
	uint32_t n[3];
	const char *rec;
	size_t len;
	unsigned long line;
	const char *names[3];
	int i;

	mt_buf_init(&s, 0);
	mt_buf_init(&c, 0);
	gen_text(&s, 200);
	names[0] = tpath("f.log");
	names[1] = tpath("f.gz");
	names[2] = tpath("f.zst");
	put(names[0], s.data, s.len);
	gz(&c, s.data, s.len);
	put(names[1], c.data, c.len);
	mt_buf_reset(&c);
	zst(&c, s.data, s.len);
	put(names[2], c.data, c.len);
	for (i = 0; i < 3; i++) {
		if (mt_in_open(names[i], &in) != 0)
			exit(2);
		MT_EXPECT_INT(mt_in_fingerprint(in, &fp[i], &n[i]), 0);
		MT_EXPECT_INT(mt_in_hash_prefix(in, 100, &h), 0);
		MT_EXPECT(h != fp[i]);
		MT_EXPECT_INT(mt_in_hash_prefix(in, MT_IN_FP_MAX, &h), 0);
		MT_EXPECT(h == fp[i]);
		/* nothing consumed */
		MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 1);
		MT_EXPECT_INT(line, 1);
		MT_EXPECT(len > 10 && memcmp(rec, "Nov  2 09:15:01 ", 16) == 0);
		mt_in_close(in);
	}
	MT_EXPECT_INT(n[0], MT_IN_FP_MAX);
	MT_EXPECT(fp[0] == fp[1] && fp[0] == fp[2]);
	MT_EXPECT_INT(n[1], MT_IN_FP_MAX);
	/* a short file: all of it; a longer prefix is refused */
	put(names[0], "abc\n", 4);
	if (mt_in_open(names[0], &in) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_fingerprint(in, &fp[0], &n[0]), 0);
	MT_EXPECT_INT(n[0], 4);
	MT_EXPECT(fp[0] == fnv("abc\n", 4));
	MT_EXPECT_INT(mt_in_hash_prefix(in, 5, &h), -1);
	MT_EXPECT_INT(mt_in_hash_prefix(in, 4, &h), 0);
	MT_EXPECT(h == fp[0]);
	mt_in_close(in);
	/* the same first bytes, different later: same fingerprint prefix */
	put(names[0], "abc\nd\n", 6);
	if (mt_in_open(names[0], &in) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_hash_prefix(in, 4, &h), 0);
	MT_EXPECT(h == fp[0]);
	mt_in_close(in);
	mt_buf_free(&s);
	mt_buf_free(&c);
}

MT_TEST(t_open_errors)
{
	struct mt_in *in = NULL;
	char want[512];

	mt_t_cap_start();
	MT_EXPECT_INT(mt_in_open(tpath("missing.log"), &in), -MT_ERR_IO);
	MT_EXPECT(in == NULL);
	MT_EXPECT_INT(mt_in_open(tdir, &in), -MT_ERR_IO);
	snprintf(want, sizeof(want), "msgtrail: %s: No such file or directory\n"
	    "msgtrail: %s: is a directory\n", tpath("missing.log"), tdir);
	MT_EXPECT_STR(mt_t_cap_end(), want);
}

MT_TEST(t_stdin)
{
	struct mt_buf s, c, d;
	struct mt_in *in;
	int fd, saved;

	mt_buf_init(&s, 0);
	mt_buf_init(&c, 0);
	mt_buf_init(&d, 0);
	gen_text(&s, 100);
	gz(&c, s.data, s.len);
	put(tpath("in.gz"), c.data, c.len);
	setenv("MSGTRAIL_NOW", "2026-11-02T12:00:00Z", 1);
	saved = dup(STDIN_FILENO);
	fd = open(tpath("in.gz"), O_RDONLY);
	if (saved == -1 || fd == -1 || dup2(fd, STDIN_FILENO) == -1)
		exit(2);
	close(fd);
	MT_EXPECT_INT(dump("-", &d, &in), 0);
	MT_EXPECT_STR(mt_in_name(in), "(stdin)");
	MT_EXPECT_INT(mt_in_comp(in), MT_IN_GZIP);
	MT_EXPECT_INT(mt_in_mtime(in), 1793620800);
	MT_EXPECT_INT(mt_in_size(in), -1);
	mt_in_close(in);
	if (dup2(saved, STDIN_FILENO) == -1)
		exit(2);
	close(saved);
	unsetenv("MSGTRAIL_NOW");
	put(tpath("in.log"), s.data, s.len);
	MT_EXPECT_INT(dump(tpath("in.log"), &c, NULL), 0);
	MT_EXPECT_STR(d.data, c.data);
	mt_buf_free(&s);
	mt_buf_free(&c);
	mt_buf_free(&d);
}

MT_TEST(t_follow_poll)
{
	struct mt_in *in;
	const char *rec;
	size_t len;
	unsigned long line;
	const char *f = tpath("follow.log");
	FILE *fp;

	put(f, "one\ntwo\n", 8);
	if (mt_in_open(f, &in) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 1);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 1);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 0);
	MT_EXPECT_INT(mt_in_poll(in), 0);
	fp = fopen(f, "a");
	fputs("three\n", fp);
	fclose(fp);
	MT_EXPECT_INT(mt_in_poll(in), 1);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 1);
	MT_EXPECT(len == 5 && memcmp(rec, "three", 5) == 0);
	MT_EXPECT_INT(line, 3);
	MT_EXPECT_INT(mt_in_offset(in), 14);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 0);
	MT_EXPECT_INT(mt_in_poll(in), 0);
	/* copytruncate */
	put(f, "x\n", 2);
	MT_EXPECT_INT(mt_in_poll(in), 2);
	mt_in_close(in);
	/* rename + new file */
	if (mt_in_open(f, &in) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 1);
	MT_EXPECT_INT(mt_in_next(in, &rec, &len, &line), 0);
	if (rename(f, tpath("follow.log.1")) != 0)
		exit(2);
	MT_EXPECT_INT(mt_in_poll(in), 0);	/* new file not there yet */
	put(f, "new\n", 4);
	MT_EXPECT_INT(mt_in_poll(in), 2);
	mt_in_close(in);
}

MT_TEST(t_detect)
{
	struct mt_buf d;
	struct mt_in *in;

	mt_buf_init(&d, 0);
	put(tpath("det"), "\xef\xbb\xbf \n\t [{\"a\":1}]", 16);
	MT_EXPECT_INT(dump(tpath("det"), &d, &in), 0);
	MT_EXPECT_INT(mt_in_kind(in), MT_IN_JSON);
	MT_EXPECT_STR(d.data, "2@15:{\"a\":1}\n");
	mt_in_close(in);
	put(tpath("det"), "\xef\xbb\xbfNov  2 x\n", 12);
	MT_EXPECT_INT(dump(tpath("det"), &d, &in), 0);
	MT_EXPECT_INT(mt_in_kind(in), MT_IN_TEXT);
	MT_EXPECT_STR(d.data, "1@12:Nov  2 x\n");
	mt_in_close(in);
	put(tpath("det"), "", 0);
	MT_EXPECT_INT(dump(tpath("det"), &d, &in), 0);
	MT_EXPECT_INT(d.len, 0);
	mt_in_close(in);
	mt_buf_free(&d);
}

int
main(void)
{
	if (mkdtemp(tdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	MT_RUN(t_same_records_plain_gz_zst);
	MT_RUN(t_crlf_and_final_line);
	MT_RUN(t_long_line);
	MT_RUN(t_nul_line);
	MT_RUN(t_json_shapes);
	MT_RUN(t_json_chunk_boundaries);
	MT_RUN(t_json_limits);
	MT_RUN(t_truncated_streams);
	MT_RUN(t_cr_runs);
	MT_RUN(t_skip_resume);
	MT_RUN(t_fingerprint);
	MT_RUN(t_open_errors);
	MT_RUN(t_stdin);
	MT_RUN(t_follow_poll);
	MT_RUN(t_detect);
	free(mt_t_cap_buf);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
		if (system(cmd) == -1)
			return 2;
	}
	return MT_DONE();
}
