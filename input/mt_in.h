/*
 * mt_in.h - input reader: files, stdin, compressed streams -> records
 *
 * Opens a path ("-" is standard input), recognises gzip and zstd by their
 * magic bytes and decompresses them as streams, then hands out records:
 * in text mode one line at a time (LF or CRLF stripped), in JSON mode one
 * complete top-level JSON value at a time (NDJSON, pretty-printed objects,
 * a JSON array of objects, or objects concatenated with no separator).
 * JSON mode is chosen when the first non-blank byte is '{' or '['.
 *
 * Limits: a text line longer than MT_IN_LINE_MAX and a JSON object larger
 * than MT_IN_JSON_MAX are reported (file:line) and skipped, never loaded
 * whole.  A NUL byte inside a line is reported and the line skipped.
 *
 * Ownership: the record returned by mt_in_next is borrowed until the next
 * call.  Single-threaded.
 */
#ifndef MT_IN_H
#define MT_IN_H

#include <stddef.h>
#include <stdint.h>
#include "mt_err.h"

#define MT_IN_LINE_MAX	(16 * 1024)
#define MT_IN_JSON_MAX	(4 * 1024 * 1024)
#define MT_IN_JSON_DEPTH 64
#define MT_IN_FP_MAX	4096		/* bytes hashed for a fingerprint */

enum mt_in_kind { MT_IN_TEXT = 1, MT_IN_JSON = 2 };
enum mt_in_comp { MT_IN_PLAIN = 0, MT_IN_GZIP, MT_IN_ZSTD };

struct mt_in;

/* mt_in_open - open path ("-" = stdin); reports errors itself */
int	mt_in_open(const char *path, struct mt_in **out) MT_WUR;
void	mt_in_close(struct mt_in *in);

const char *mt_in_name(const struct mt_in *in);	/* path, or "(stdin)" */
enum mt_in_kind mt_in_kind(const struct mt_in *in);
enum mt_in_comp mt_in_comp(const struct mt_in *in);
int64_t	mt_in_mtime(const struct mt_in *in);	/* seconds; now for stdin */
int64_t	mt_in_size(const struct mt_in *in);	/* on-disk bytes, -1 unknown */

/*
 * mt_in_fingerprint - hash of the first MT_IN_FP_MAX decompressed bytes (or
 * of all of them when the input is shorter), and how many bytes that was.
 * Must be called before the first mt_in_next.
 */
int	mt_in_fingerprint(struct mt_in *in, uint64_t *fp, uint32_t *fp_len) MT_WUR;
/* mt_in_hash_prefix - hash of the first len decompressed bytes; 0 or -1 if shorter */
int	mt_in_hash_prefix(struct mt_in *in, uint32_t len, uint64_t *fp) MT_WUR;

/*
 * mt_in_skip - discard decompressed bytes up to offset (resume point);
 * line numbers continue from line.  Call before the first mt_in_next.
 */
int	mt_in_skip(struct mt_in *in, uint64_t offset, uint64_t line) MT_WUR;

/*
 * mt_in_next - next record.  Returns 1 and sets rec/len/lineno (the line
 * the record starts on), 0 at end of input, -MT_ERR_IO on a read or
 * decompression error (reported).  Records over a limit are reported and
 * skipped internally; mt_in_skipped counts them.
 */
int	mt_in_next(struct mt_in *in, const char **rec, size_t *len,
	    unsigned long *lineno) MT_WUR;

/* mt_in_offset - decompressed bytes consumed through the last record */
uint64_t mt_in_offset(const struct mt_in *in);
uint64_t mt_in_line(const struct mt_in *in);	/* lines consumed */
uint64_t mt_in_skipped(const struct mt_in *in);	/* records skipped for limits */
uint64_t mt_in_bytes_read(const struct mt_in *in); /* raw bytes read from the file */

/*
 * Follow mode: at end of input, mt_in_next returns 0; mt_in_poll then says
 * whether the file grew (1: the next mt_in_next continues exactly where
 * the last one stopped), was rotated or truncated (2: the caller reopens
 * by name), or neither (0).  A renamed file is reported as grown while it
 * still grows.  After 2, nothing more is read from a truncated file and
 * its held-back tail stays unread.
 *
 * mt_in_set_follow(in, 1): at end of input a final line without its
 * newline (in JSON mode: an unclosed object) is held back, not handed out
 * and not counted in mt_in_offset, until the rest arrives.  Turning it off
 * (rotation, the caller is done with the file) hands the tail out at the
 * next end of input.
 */
int	mt_in_poll(struct mt_in *in) MT_WUR;
void	mt_in_set_follow(struct mt_in *in, int on);

/*
 * Without follow mode, a plain regular file may still be being written
 * too (a cron job reading the live log): its unfinished tail, a final
 * line without its newline or an unclosed JSON object, is held back the
 * same way, reported once ("file:line: last line has no newline yet, held
 * back ..."), and mt_in_held says on which line it starts.  A later run
 * resuming at mt_in_offset reads it whole.  Compressed input and standard
 * input are complete at their end, and so is a plain file after
 * mt_in_set_final(in, 1): their tail is handed out (or, for an unclosed
 * JSON object, reported as truncated).
 */
void	mt_in_set_final(struct mt_in *in, int on);
uint64_t mt_in_held(const struct mt_in *in);	/* line held back, 0 none */

#endif
