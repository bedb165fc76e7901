/*
 * NAME
 *	mt_in - input reader: files, stdin, gzip and zstd streams -> records
 * SUMMARY
 *	mt_in_open(path, &in); while (mt_in_next(in, &rec, &len, &line) == 1) ...
 * DESCRIPTION
 *	The file is read in chunks of MT_IN_CHUNK bytes.  Its first bytes
 *	decide the compression (1f 8b: gzip, possibly several members;
 *	28 b5 2f fd: zstd, possibly several frames; anything else: plain),
 *	never its name.  Decompressed bytes go to one window buffer; records
 *	are handed out as pointers into that window (zero-copy), so a record
 *	stays valid until the next call.
 *
 *	Text mode splits at LF and strips the CRs before it (a lone CR
 *	inside a line is kept: it does not end a line).  JSON mode (first
 *	non-blank byte '{' or '[') runs a framing scanner that knows strings,
 *	escapes and nesting depth and hands out each top-level object; the
 *	brackets and commas of a top-level array and any white space between
 *	objects are skipped.  A record over its limit is not buffered whole:
 *	the scanner keeps its state and discards bytes until the record ends.
 *
 *	Offsets count decompressed bytes; mt_in_line counts the newlines
 *	consumed, so the next record starts on line mt_in_line() + 1.  A
 *	caller that stores (mt_in_offset, mt_in_line) after a record resumes
 *	exactly at the following record with mt_in_skip.
 *
 *	Fingerprints are 64-bit FNV-1a over the first decompressed bytes
 *	(the same function mt_key uses, without its normalization), so a
 *	plain file and its gzip or zstd copy have the same fingerprint.
 *
 *	Follow mode (mt_in_set_follow) changes only the end of input: a
 *	final line without its newline, or an unclosed JSON object, stays
 *	in the window unconsumed, nothing more is read until mt_in_poll
 *	has looked at the file, and the next mt_in_next after it grew
 *	reads on from where the scan stopped.  mt_in_poll tells growth
 *	from rotation (another inode under the name) and truncation (size
 *	below our position, or first bytes no longer the fingerprinted ones).
 *	Without follow mode a plain regular file holds its unfinished tail
 *	back too, unless mt_in_set_final said the file is complete.
 * DIAGNOSTICS
 *	"file: No such file or directory" (and other open errors),
 *	"file: is a directory", "file:line: line longer than 16384 bytes,
 *	skipped", "file:line: NUL byte in line, skipped", "file:line: JSON
 *	object larger than N bytes, skipped", "file:line: JSON nested deeper
 *	than 64 levels, skipped", "file:line: unexpected text outside a JSON
 *	object, skipped", "file:line: truncated JSON object at end of input",
 *	"file:line: last line has no newline yet, held back until it is
 *	complete (--final stores it as it is)", "file:line: JSON object not
 *	closed yet, held back until it is complete (--final reports it as
 *	truncated)",
 *	"file:line: truncated gzip stream", "file:line: gzip: reason",
 *	"file:line: trailing garbage after gzip data ignored",
 *	"file:line: truncated zstd stream", "file:line: zstd: reason".  For
 *	a stream error, line is where the decompressed data stops (the
 *	records before it are handed out first).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "mt_alloc.h"
#include "mt_in.h"
#include "mt_msg.h"
#include "mt_time.h"

#define MT_IN_CHUNK	(256 * 1024)		/* one read(2) */
#define MT_IN_WIN	(2 * MT_IN_CHUNK)	/* initial window */
#define MT_IN_WIN_JSON	(MT_IN_JSON_MAX + 2 * MT_IN_CHUNK)

#define FNV_BASIS	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

struct mt_in {
	char	*path;			/* as given, or "(stdin)" */
	int	 fd;
	int	 is_stdin;
	int	 is_reg;		/* regular file: size and poll work */
	dev_t	 dev;
	ino_t	 ino;
	int64_t	 mtime;
	int64_t	 size;
	enum mt_in_comp comp;
	enum mt_in_kind kind;
	int	 kind_known;
	int	 started;		/* mt_in_next or mt_in_skip called */

	/* raw (compressed) input */
	unsigned char *raw;
	size_t	 raw_pos, raw_end;
	int	 raw_eof;		/* last read returned 0 */
	uint64_t raw_read;		/* file position */
	z_stream zs;
	int	 zs_init;
	int	 zs_end;		/* last member complete, no input since */
	ZSTD_DStream *zd;
	int	 zd_mid;		/* inside a frame */

	/* decompressed window: buf[start..end) unconsumed, buf_off = offset of buf[0] */
	char	*buf;
	size_t	 cap, cap_max;
	size_t	 start, end, scan;
	uint64_t buf_off;
	int	 err;			/* sticky -MT_ERR_IO */
	int	 eof;			/* no more data for now */
	int	 follow;		/* hold back an unterminated tail */
	int	 final;			/* plain file complete: hand the tail out */
	uint64_t held;			/* line of a tail held back at the end */
	int	 wait;			/* follow: at end, read again after poll */
	int	 gone;			/* truncated under us: read no more */
	uint64_t fp;			/* mt_in_fingerprint, for mt_in_poll */
	uint32_t fp_len;

	uint64_t nl;			/* newlines consumed through scan */
	uint64_t nl_rec;		/* lines consumed through the last record */
	uint64_t off_rec;		/* offset after the last record */
	uint64_t skipped;

	/* JSON scanner */
	size_t	 depth;
	int	 in_str, esc, junk;
	int	 too_big;		/* skipping the current object */
	size_t	 obj_start;
	uint64_t obj_line;
	/* text scanner */
	int	 long_line;		/* discarding up to the next LF */
};

/* in_fnv - FNV-1a 64 over n bytes */
static uint64_t
in_fnv(const char *p, size_t n)
{
	uint64_t h = FNV_BASIS;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* in_read - one read(2) into p, EINTR retried; bytes, 0 EOF, -MT_ERR_IO */
static ssize_t
in_read(struct mt_in *in, void *p, size_t n)
{
	ssize_t r;

	for (;;) {
		r = read(in->fd, p, n);
		if (r >= 0)
			break;
		if (errno != EINTR) {
			mt_warn("%s", in->path);
			return -MT_ERR_IO;
		}
	}
	in->raw_read += (uint64_t)r;
	return r;
}

/* in_raw_more - refill the raw buffer when empty; 1 data, 0 EOF, <0 error */
static int
in_raw_more(struct mt_in *in)
{
	ssize_t r;

	if (in->raw_pos < in->raw_end)
		return 1;
	in->raw_pos = in->raw_end = 0;
	r = in_read(in, in->raw, MT_IN_CHUNK);
	if (r < 0)
		return (int)r;
	if (r == 0) {
		in->raw_eof = 1;
		return 0;
	}
	in->raw_eof = 0;
	in->raw_end = (size_t)r;
	return 1;
}

/*
 * in_err_line - the line where decompressed data stops: newlines consumed
 * so far plus those already decoded but not yet scanned, plus one
 */
static unsigned long long
in_err_line(const struct mt_in *in)
{
	uint64_t n = in->nl;
	size_t i;

	for (i = in->scan; i < in->end; i++)
		if (in->buf[i] == '\n')
			n++;
	return (unsigned long long)n + 1;
}

/* in_gz - inflate into out; bytes produced, 0 EOF, -MT_ERR_IO */
static ssize_t
in_gz(struct mt_in *in, char *out, size_t n)
{
	int r, zr;
	size_t got;

	for (;;) {
		r = in_raw_more(in);
		if (r < 0)
			return r;
		if (r == 0) {
			if (in->zs_end)
				return 0;
			mt_warnx("%s:%llu: truncated gzip stream", in->path,
			    in_err_line(in));
			return -MT_ERR_IO;
		}
		if (in->zs_end) {
			/* next member, or trailing padding */
			if (in->raw[in->raw_pos] != 0x1f) {
				mt_warnx("%s:%llu: trailing garbage after gzip "
				    "data ignored", in->path, in_err_line(in));
				in->raw_pos = in->raw_end;
				return 0;
			}
			if (inflateReset(&in->zs) != Z_OK) {
				mt_warnx("%s: gzip: cannot reset stream", in->path);
				return -MT_ERR_IO;
			}
			in->zs_end = 0;
		}
		in->zs.next_in = in->raw + in->raw_pos;
		in->zs.avail_in = (uInt)(in->raw_end - in->raw_pos);
		in->zs.next_out = (unsigned char *)out;
		in->zs.avail_out = (uInt)n;
		zr = inflate(&in->zs, Z_NO_FLUSH);
		in->raw_pos = in->raw_end - in->zs.avail_in;
		got = n - in->zs.avail_out;
		if (zr == Z_STREAM_END)
			in->zs_end = 1;
		else if (zr != Z_OK && !(zr == Z_BUF_ERROR && got == 0 &&
		    in->zs.avail_in == 0)) {
			mt_warnx("%s:%llu: gzip: %s", in->path,
			    in_err_line(in),
			    in->zs.msg ? in->zs.msg : "corrupt data");
			return -MT_ERR_IO;
		}
		if (got > 0)
			return (ssize_t)got;
	}
}

/* in_zst - decompress zstd frames into out; bytes, 0 EOF, -MT_ERR_IO */
static ssize_t
in_zst(struct mt_in *in, char *out, size_t n)
{
	ZSTD_inBuffer ib;
	ZSTD_outBuffer ob;
	size_t zr;
	int r;

	for (;;) {
		r = in_raw_more(in);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!in->zd_mid)
				return 0;
			mt_warnx("%s:%llu: truncated zstd stream", in->path,
			    in_err_line(in));
			return -MT_ERR_IO;
		}
		ib.src = in->raw;
		ib.size = in->raw_end;
		ib.pos = in->raw_pos;
		ob.dst = out;
		ob.size = n;
		ob.pos = 0;
		zr = ZSTD_decompressStream(in->zd, &ob, &ib);
		in->raw_pos = ib.pos;
		if (ZSTD_isError(zr)) {
			mt_warnx("%s:%llu: zstd: %s", in->path,
			    in_err_line(in), ZSTD_getErrorName(zr));
			return -MT_ERR_IO;
		}
		in->zd_mid = zr != 0;
		if (ob.pos > 0)
			return (ssize_t)ob.pos;
	}
}

/* in_decode - next decompressed bytes into out; bytes, 0 EOF, <0 error */
static ssize_t
in_decode(struct mt_in *in, char *out, size_t n)
{
	size_t k;

	switch (in->comp) {
	case MT_IN_GZIP:
		return in_gz(in, out, n);
	case MT_IN_ZSTD:
		return in_zst(in, out, n);
	default:
		if (in->raw_pos < in->raw_end) {
			/* bytes read while sniffing the magic */
			k = in->raw_end - in->raw_pos;
			if (k > n)
				k = n;
			memcpy(out, in->raw + in->raw_pos, k);
			in->raw_pos += k;
			return (ssize_t)k;
		}
		return in_read(in, out, n);
	}
}

/* in_compact - move the unconsumed bytes to the front of the window */
static void
in_compact(struct mt_in *in)
{
	size_t s = in->start;

	if (s == 0)
		return;
	memmove(in->buf, in->buf + s, in->end - s);
	in->end -= s;
	in->scan -= s;
	if (in->obj_start >= s)
		in->obj_start -= s;
	else
		in->obj_start = 0;
	in->start = 0;
	in->buf_off += s;
}

/*
 * in_fill - append decompressed bytes to the window: > 0 bytes added,
 * 0 end of input (for now), -MT_ERR_IO (sticky; reported once).
 */
static int
in_fill(struct mt_in *in)
{
	ssize_t r;
	size_t ncap;

	if (in->err)
		return in->err;
	if (in->gone || (in->follow && in->wait)) {
		in->eof = 1;
		return 0;
	}
	if (in->start > 0 && in->cap - in->end < MT_IN_CHUNK)
		in_compact(in);
	if (in->cap - in->end < MT_IN_CHUNK && in->cap < in->cap_max) {
		ncap = in->cap * 2;
		if (ncap > in->cap_max)
			ncap = in->cap_max;
		in->buf = mt_realloc(in->buf, ncap + 1);
		in->cap = ncap;
	}
	if (in->end == in->cap)
		mt_panic("mt_in: window full (%zu bytes)", in->cap);
	r = in_decode(in, in->buf + in->end, in->cap - in->end);
	if (r < 0) {
		in->err = -MT_ERR_IO;
		return in->err;
	}
	in->eof = r == 0;
	in->end += (size_t)r;
	return r > 0 ? 1 : 0;
}

/* in_detect - JSON when the first non-blank byte is '{' or '[' */
static void
in_detect(struct mt_in *in)
{
	size_t i;

	for (;;) {
		i = in->start;
		if (in->buf_off == 0 && i == 0 && in->end >= 3 &&
		    memcmp(in->buf, "\xef\xbb\xbf", 3) == 0)
			i = 3;
		for (; i < in->end; i++) {
			char c = in->buf[i];

			if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
				continue;
			in->kind = c == '{' || c == '[' ? MT_IN_JSON : MT_IN_TEXT;
			in->kind_known = 1;
			in->cap_max = in->kind == MT_IN_JSON ? MT_IN_WIN_JSON :
			    MT_IN_WIN;
			return;
		}
		if (in->end - in->start >= MT_IN_CHUNK || in_fill(in) <= 0)
			return;
	}
}

/* mt_in_open - open path ("-" = stdin); reports errors itself */
int
mt_in_open(const char *path, struct mt_in **out)
{
	struct mt_in *in;
	struct stat st;
	int fd, r;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		mt_warn("%s", path);
		return -MT_ERR_IO;
	}
	if (fstat(fd, &st) == -1) {
		mt_warn("%s", path);
		if (fd != STDIN_FILENO)
			close(fd);
		return -MT_ERR_IO;
	}
	if (S_ISDIR(st.st_mode)) {
		mt_warnx("%s: is a directory", path);
		if (fd != STDIN_FILENO)
			close(fd);
		return -MT_ERR_IO;
	}
	in = mt_calloc(1, sizeof(*in));
	in->fd = fd;
	in->is_stdin = fd == STDIN_FILENO;
	in->path = mt_strdup(in->is_stdin ? "(stdin)" : path);
	in->is_reg = S_ISREG(st.st_mode) && !in->is_stdin;
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	in->mtime = in->is_stdin ? mt_time_now() / MT_USEC :
	    (int64_t)st.st_mtime;
	in->size = in->is_reg ? (int64_t)st.st_size : -1;
	in->kind = MT_IN_TEXT;
	in->raw = mt_malloc(MT_IN_CHUNK);
	in->cap = in->cap_max = MT_IN_WIN;
	in->buf = mt_malloc(in->cap + 1);

	/* sniff the magic: up to 4 raw bytes (a pipe may deliver fewer) */
	while (in->raw_end < 4) {
		ssize_t k = in_read(in, in->raw + in->raw_end,
		    MT_IN_CHUNK - in->raw_end);

		if (k < 0) {
			in->err = -MT_ERR_IO;
			break;
		}
		if (k == 0)
			break;
		in->raw_end += (size_t)k;
	}
	if (in->raw_end >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->comp = MT_IN_GZIP;
		if ((r = inflateInit2(&in->zs, 15 + 32)) != Z_OK) {
			mt_warnx("%s: gzip: cannot initialize (%d)", in->path, r);
			mt_in_close(in);
			return -MT_ERR_IO;
		}
		in->zs_init = 1;
	} else if (in->raw_end >= 4 && memcmp(in->raw, "\x28\xb5\x2f\xfd",
	    4) == 0) {
		in->comp = MT_IN_ZSTD;
		if ((in->zd = ZSTD_createDStream()) == NULL)
			mt_fatalx("out of memory");
		in->zd_mid = 1;
	}
	if (!in->err)
		in_detect(in);
	*out = in;
	return 0;
}

/* mt_in_close - release everything; accepts NULL */
void
mt_in_close(struct mt_in *in)
{
	if (in == NULL)
		return;
	if (in->zs_init)
		inflateEnd(&in->zs);
	ZSTD_freeDStream(in->zd);
	if (!in->is_stdin)
		close(in->fd);
	free(in->raw);
	free(in->buf);
	free(in->path);
	free(in);
}

/* mt_in_name - path, or "(stdin)" */
const char *
mt_in_name(const struct mt_in *in)
{
	return in->path;
}

/* mt_in_kind - text or JSON records */
enum mt_in_kind
mt_in_kind(const struct mt_in *in)
{
	return in->kind;
}

/* mt_in_comp - compression found by magic bytes */
enum mt_in_comp
mt_in_comp(const struct mt_in *in)
{
	return in->comp;
}

/* mt_in_mtime - modification time in seconds; now for stdin */
int64_t
mt_in_mtime(const struct mt_in *in)
{
	return in->mtime;
}

/* mt_in_size - on-disk size, -1 when unknown */
int64_t
mt_in_size(const struct mt_in *in)
{
	return in->size;
}

/* mt_in_hash_prefix - FNV-1a 64 of the first len decompressed bytes */
int
mt_in_hash_prefix(struct mt_in *in, uint32_t len, uint64_t *fp)
{
	if (in->started || in->buf_off != 0 || in->start != 0)
		return -MT_ERR_USAGE;
	if (len > MT_IN_CHUNK)
		return -MT_ERR_USAGE;
	while (in->end < len)
		if (in_fill(in) <= 0)
			break;
	if (in->end < len)
		return -1;
	*fp = in_fnv(in->buf, len);
	return 0;
}

/* mt_in_fingerprint - hash of the first MT_IN_FP_MAX bytes, or all of them */
int
mt_in_fingerprint(struct mt_in *in, uint64_t *fp, uint32_t *fp_len)
{
	size_t n;

	if (in->started || in->buf_off != 0 || in->start != 0)
		return -MT_ERR_USAGE;
	while (in->end < MT_IN_FP_MAX)
		if (in_fill(in) <= 0)
			break;
	n = in->end < MT_IN_FP_MAX ? in->end : MT_IN_FP_MAX;
	*fp = in->fp = in_fnv(in->buf, n);
	*fp_len = in->fp_len = (uint32_t)n;
	return 0;
}

/* mt_in_skip - discard decompressed bytes up to offset, continue at line */
int
mt_in_skip(struct mt_in *in, uint64_t offset, uint64_t line)
{
	uint64_t have;
	off_t o;
	int r;

	if (in->started)
		return -MT_ERR_USAGE;
	in->started = 1;
	if (offset > in->buf_off + in->end && in->comp == MT_IN_PLAIN &&
	    in->is_reg && in->raw_pos == in->raw_end) {
		/* seek instead of reading what we would throw away */
		struct stat st;

		if (fstat(in->fd, &st) == 0 && offset > (uint64_t)st.st_size) {
			mt_warnx("%s: only %llu bytes, but %llu were read from "
			    "an input with the same beginning", in->path,
			    (unsigned long long)st.st_size,
			    (unsigned long long)offset);
			return -MT_ERR_INPUT;
		}
		if (offset > (uint64_t)INT64_MAX ||
		    (o = lseek(in->fd, (off_t)offset, SEEK_SET)) == -1) {
			mt_warn("%s: seek", in->path);
			return -MT_ERR_IO;
		}
		in->raw_read = offset;
		in->buf_off = offset;
		in->start = in->end = in->scan = 0;
	}
	for (;;) {
		have = in->buf_off + in->end;
		if (offset <= have) {
			in->start = in->scan = (size_t)(offset - in->buf_off);
			break;
		}
		in->start = in->scan = in->end;
		if ((r = in_fill(in)) < 0)
			return r;
		if (r == 0) {
			mt_warnx("%s: only %llu bytes, but %llu were read from "
			    "an input with the same beginning", in->path,
			    (unsigned long long)(in->buf_off + in->end),
			    (unsigned long long)offset);
			return -MT_ERR_INPUT;
		}
	}
	in->nl = in->nl_rec = line;
	in->off_rec = offset;
	return 0;
}

/*
 * in_hold - at the end of a plain regular file that is not known to be
 * complete, keep an unfinished tail (starting on line) out of the records
 * and out of mt_in_offset, so that the next run, resuming at the offset,
 * reads it whole once its writer has finished it.  Says so once.  1 held,
 * 0 the tail is to be handed out (compressed, standard input, --final).
 */
static int
in_hold(struct mt_in *in, uint64_t line, const char *why)
{
	if (!in->is_reg || in->comp != MT_IN_PLAIN || in->final)
		return 0;
	if (in->held == 0)
		mt_msg_input(in->path, (unsigned long)line, "%s", why);
	in->held = line;
	return 1;
}

/* in_text_next - next line; see mt_in_next */
static int
in_text_next(struct mt_in *in, const char **rec, size_t *len,
    unsigned long *lineno)
{
	char *nlp, *p;
	size_t n;
	int r;

	for (;;) {
		nlp = memchr(in->buf + in->scan, '\n', in->end - in->scan);
		if (nlp == NULL) {
			in->scan = in->end;
			if (in->long_line) {
				in->start = in->end;	/* discard as we go */
			} else if (in->end - in->start > MT_IN_LINE_MAX + 1) {
				mt_msg_input(in->path, (unsigned long)in->nl + 1,
				    "line longer than %d bytes, skipped",
				    MT_IN_LINE_MAX);
				in->skipped++;
				in->long_line = 1;
				in->start = in->end;
			}
			if ((r = in_fill(in)) < 0)
				return r;
			if (r > 0)
				continue;
			/* end of input: a final line without a newline */
			if (in->follow || in->gone) {
				/*
				 * Hold it back until its newline arrives.  A
				 * truncated file keeps it too: its copy has
				 * the line whole, from our offset on.
				 */
				in->wait = 1;
				return 0;
			}
			if (!in->long_line && in->start < in->end &&
			    in_hold(in, in->nl + 1,
			    "last line has no newline yet, held back until "
			    "it is complete (--final stores it as it is)"))
				return 0;
			if (in->long_line || in->start == in->end) {
				in->long_line = 0;
				in->start = in->scan = in->end;
				in->off_rec = in->buf_off + in->end;
				return 0;
			}
			p = in->buf + in->start;
			n = in->end - in->start;
			in->start = in->scan = in->end;
			in->off_rec = in->buf_off + in->end;
			in->nl_rec = in->nl + 1;
			while (n > 0 && p[n - 1] == '\r')
				n--;
			if (memchr(p, '\0', n) != NULL) {
				mt_msg_input(in->path, (unsigned long)in->nl + 1,
				    "NUL byte in line, skipped");
				in->skipped++;
				return 0;
			}
			*rec = p;
			*len = n;
			*lineno = (unsigned long)in->nl + 1;
			return 1;
		}
		p = in->buf + in->start;
		n = (size_t)(nlp - p);
		in->start = in->scan = (size_t)(nlp - in->buf) + 1;
		in->nl++;
		in->nl_rec = in->nl;
		in->off_rec = in->buf_off + in->start;
		if (in->long_line) {
			in->long_line = 0;
			continue;
		}
		while (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > MT_IN_LINE_MAX) {
			mt_msg_input(in->path, (unsigned long)in->nl,
			    "line longer than %d bytes, skipped",
			    MT_IN_LINE_MAX);
			in->skipped++;
			continue;
		}
		if (memchr(p, '\0', n) != NULL) {
			mt_msg_input(in->path, (unsigned long)in->nl,
			    "NUL byte in line, skipped");
			in->skipped++;
			continue;
		}
		*rec = p;
		*len = n;
		*lineno = (unsigned long)in->nl;
		return 1;
	}
}

/* in_json_next - next top-level JSON object; see mt_in_next */
static int
in_json_next(struct mt_in *in, const char **rec, size_t *len,
    unsigned long *lineno)
{
	unsigned long line;
	int r, closed;
	char c;

	for (;;) {
		closed = 0;
		while (!closed && in->scan < in->end) {
			c = in->buf[in->scan++];
			if (c == '\n')
				in->nl++;
			if (in->depth == 0) {
				if (in->junk) {
					if (c == '\n')
						in->junk = 0;
				} else if (c == '{') {
					in->depth = 1;
					in->in_str = in->esc = 0;
					in->too_big = 0;
					in->obj_start = in->scan - 1;
					in->obj_line = in->nl + 1;
					continue;
				} else if (c != ' ' && c != '\t' && c != '\r' &&
				    c != '\n' && c != ',' && c != '[' && c != ']') {
					mt_msg_input(in->path,
					    (unsigned long)in->nl + 1,
					    "unexpected text outside a JSON "
					    "object, skipped");
					in->skipped++;
					in->junk = 1;
				}
				in->start = in->scan;
				continue;
			}
			if (in->in_str) {
				if (in->esc)
					in->esc = 0;
				else if (c == '\\')
					in->esc = 1;
				else if (c == '"')
					in->in_str = 0;
			} else if (c == '"') {
				in->in_str = 1;
			} else if (c == '{' || c == '[') {
				if (++in->depth > MT_IN_JSON_DEPTH &&
				    !in->too_big) {
					mt_msg_input(in->path,
					    (unsigned long)in->obj_line,
					    "JSON nested deeper than %d "
					    "levels, skipped", MT_IN_JSON_DEPTH);
					in->too_big = 1;
				}
			} else if (c == '}' || c == ']') {
				if (--in->depth == 0)
					closed = 1;
			}
			if (!in->too_big &&
			    in->scan - in->obj_start > MT_IN_JSON_MAX) {
				mt_msg_input(in->path,
				    (unsigned long)in->obj_line,
				    "JSON object larger than %d bytes, skipped",
				    MT_IN_JSON_MAX);
				in->too_big = 1;
			}
			if (in->too_big)
				in->start = in->scan;
		}
		if (closed) {
			in->start = in->scan;
			in->nl_rec = in->nl;
			in->off_rec = in->buf_off + in->scan;
			line = (unsigned long)in->obj_line;
			if (in->too_big) {
				in->skipped++;
				in->too_big = 0;
				continue;
			}
			*rec = in->buf + in->obj_start;
			*len = in->scan - in->obj_start;
			*lineno = line;
			return 1;
		}
		if ((r = in_fill(in)) < 0)
			return r;
		if (r > 0)
			continue;
		if (in->follow || in->gone) {
			in->wait = 1;	/* an open object waits for the rest */
			return 0;
		}
		if (in->depth > 0 && !in->too_big &&
		    in_hold(in, in->obj_line,
		    "JSON object not closed yet, held back until it is "
		    "complete (--final reports it as truncated)"))
			return 0;
		if (in->depth > 0) {
			if (!in->too_big)
				mt_msg_input(in->path,
				    (unsigned long)in->obj_line,
				    "truncated JSON object at end of input");
			in->skipped++;
			in->depth = 0;
			in->too_big = 0;
		}
		in->junk = 0;
		in->start = in->scan = in->end;
		in->nl_rec = in->nl;
		in->off_rec = in->buf_off + in->end;
		return 0;
	}
}

/* mt_in_next - next record: 1, 0 at end of input, -MT_ERR_IO */
int
mt_in_next(struct mt_in *in, const char **rec, size_t *len,
    unsigned long *lineno)
{
	if (!in->started) {
		in->started = 1;
		/* a UTF-8 byte order mark is not part of the first record */
		while (in->end < 3 && in_fill(in) > 0)
			;
		if (in->end >= 3 && memcmp(in->buf, "\xef\xbb\xbf", 3) == 0)
			in->start = in->scan = 3;
	}
	if (!in->kind_known) {
		in_detect(in);
		if (!in->kind_known && in->err)
			return in->err;
	}
	if (in->kind == MT_IN_JSON)
		return in_json_next(in, rec, len, lineno);
	return in_text_next(in, rec, len, lineno);
}

/* mt_in_offset - decompressed bytes consumed through the last record */
uint64_t
mt_in_offset(const struct mt_in *in)
{
	return in->off_rec;
}

/* mt_in_line - lines consumed through the last record */
uint64_t
mt_in_line(const struct mt_in *in)
{
	return in->nl_rec;
}

/* mt_in_skipped - records skipped for a limit or a framing error */
uint64_t
mt_in_skipped(const struct mt_in *in)
{
	return in->skipped;
}

/* mt_in_bytes_read - raw bytes read from the file (its read position) */
uint64_t
mt_in_bytes_read(const struct mt_in *in)
{
	return in->raw_read;
}

/* mt_in_set_follow - hold back an unterminated tail at end of input (on) */
void
mt_in_set_follow(struct mt_in *in, int on)
{
	in->follow = on != 0;
}

/* mt_in_set_final - the plain file is complete: hand its tail out (on) */
void
mt_in_set_final(struct mt_in *in, int on)
{
	in->final = on != 0;
}

/* mt_in_held - line of the unfinished tail held back, 0 none */
uint64_t
mt_in_held(const struct mt_in *in)
{
	return in->held;
}

/* in_same_prefix - the file still starts with the bytes fingerprinted */
static int
in_same_prefix(struct mt_in *in)
{
	char tmp[MT_IN_FP_MAX];
	size_t got = 0;
	ssize_t r;

	if (in->comp != MT_IN_PLAIN || in->fp_len == 0)
		return 1;
	while (got < in->fp_len) {
		r = pread(in->fd, tmp + got, in->fp_len - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		got += (size_t)r;
	}
	return in_fnv(tmp, got) == in->fp;
}

/*
 * mt_in_poll - follow mode: 1 grew, 2 rotated or truncated, 0 neither.
 * In follow mode nothing is read past the end of input until mt_in_poll
 * has checked the file: a file that got shorter than what was read, or
 * whose first bytes are no longer those fingerprinted (truncated, then rewritten past our position),
 * was truncated: nothing more is read from it, and a held-back tail stays
 * unread (its copy holds it whole from mt_in_offset on).  A file renamed away is read to its end
 * (1 while it grows) before its replacement is reported (2).
 */
int
mt_in_poll(struct mt_in *in)
{
	struct stat st, pst;

	if (!in->is_reg || in->gone)
		return in->gone ? 2 : 0;
	if (fstat(in->fd, &st) == -1) {
		mt_warn("%s", in->path);
		return 0;
	}
	if ((uint64_t)st.st_size < in->raw_read ||
	    (in->follow && !in_same_prefix(in))) {
		in->gone = 1;		/* copytruncate */
		return 2;
	}
	if ((uint64_t)st.st_size > in->raw_read) {
		in->eof = in->wait = 0;
		return 1;
	}
	if (stat(in->path, &pst) == -1)
		return 0;		/* renamed away; new file not there yet */
	if (pst.st_ino != in->ino || pst.st_dev != in->dev) {
		in->eof = in->wait = 0;	/* the caller reads it to its end */
		return 2;
	}
	return 0;
}
