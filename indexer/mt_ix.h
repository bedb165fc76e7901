/*
 * mt_ix.h - the store: compressed record blocks in SQLite, indexed by key
 *
 * Records (one stored input record: time, format, text) are appended to
 * in-memory blocks, one open block per UTC day.  A block is compressed with
 * zstd and written as one row when it reaches MT_IX_BLOCK_RAW bytes or at a
 * commit.  A block is stored as chunks of about 64 KiB that can be read
 * alone (mt_ix_int.h).  Every identifier key of a record (mt_event_keys) is
 * filed under (day, key) -> ref, a ref naming a block and a chunk of it
 * (mt_ix_ref), so a lookup finds the few chunks that may hold an
 * identifier; the caller decompresses them (mt_ix_chunk_load) and re-parses
 * the records to keep only real matches (keys are hashes: a chunk may be a
 * false hit).
 *
 * Transactions: everything put since the last mt_ix_commit is written in
 * one SQLite transaction together with the input file's progress, so a
 * process killed at any point leaves the store as of the last commit and a
 * re-run resumes from the recorded offset.  Blocks are compressed and
 * written on two threads of the store's own (mt_ix_zq.c); the caller's
 * thread only fills them.  WAL mode with a busy timeout:
 * readers (trace) run while ingest or prune write.
 *
 * Retention: mt_ix_prune deletes whole days before the cutoff and rewrites
 * the blocks of the cutoff day without the older records, with
 * secure_delete on and the WAL checkpointed and truncated, so pruned text
 * is gone from the database file and its WAL.
 *
 * Errors: functions return 0 or -MT_ERR_*, after reporting the reason
 * (sqlite3_errmsg, file name).  Ownership: blocks returned by
 * mt_ix_block_load and mt_ix_chunk_load belong to the caller
 * (mt_ix_block_free); record text borrows the block.  One caller thread
 * per store (the store's own threads stay inside it).
 */
#ifndef MT_IX_H
#define MT_IX_H

#include <stddef.h>
#include <stdint.h>
#include "mt_err.h"

#define MT_IX_SCHEMA_VERSION	2
#define MT_IX_BLOCK_RAW		(1024 * 1024)	/* uncompressed block size */
#define MT_IX_BLOCK_MAX		(64 * 1024 * 1024) /* largest block accepted on read */
#define MT_IX_REC_MAX		(8 * 1024 * 1024) /* largest record */

#define MT_IX_RDONLY	0x1
#define MT_IX_CREATE	0x2
#define MT_IX_SNAPSHOT	0x4	/* with RDONLY: one read transaction for the
				 * handle's life (short-lived readers such as
				 * trace: a consistent view, no per-query
				 * locking, the list of days read once) */

struct mt_ix;

/* mt_ix_open - open or create the store at path */
int	mt_ix_open(const char *path, int flags, struct mt_ix **out) MT_WUR;
/* mt_ix_close - close; uncommitted puts are rolled back; accepts NULL */
void	mt_ix_close(struct mt_ix *ix);
const char *mt_ix_path(const struct mt_ix *ix);

/* ---- ingest ---- */

/* What the store knows of an input file, found by its fingerprint. */
struct mt_ix_file {
	uint64_t fp;		/* mt_in_fingerprint */
	uint32_t fp_len;
	uint64_t offset;	/* decompressed bytes consumed and committed */
	uint64_t line;		/* lines consumed and committed */
	const char *name;	/* last path seen (informational) */
};

/* mt_ix_fp_lens - the distinct fingerprint lengths on record (at most max) */
int	mt_ix_fp_lens(struct mt_ix *ix, uint32_t *lens, size_t max, size_t *n) MT_WUR;
/* mt_ix_file_find - 1 found (out filled; out->name NULL), 0 not found, <0 error */
int	mt_ix_file_find(struct mt_ix *ix, uint64_t fp, uint32_t fp_len,
	    struct mt_ix_file *out) MT_WUR;

/* mt_ix_put - add one record with its keys (nkeys may be 0: stored unindexed) */
int	mt_ix_put(struct mt_ix *ix, int64_t time, unsigned fmt, const char *rec,
	    size_t len, const uint64_t *keys, size_t nkeys) MT_WUR;

/* mt_ix_commit - write open blocks and, when file is non-NULL, its progress;
 * commit the transaction, and return when it is on disk. */
int	mt_ix_commit(struct mt_ix *ix, const struct mt_ix_file *file) MT_WUR;
/* mt_ix_commit_async - the same, but the writing and the commit happen on
 * a writer thread while the caller goes on putting records: returns once
 * the commit is queued.  At most one is in flight: the call waits for the
 * one before, and a failure of it (or of this batch's blocks) is returned
 * here or by the next mt_ix_commit; both batches are then rolled back. */
int	mt_ix_commit_async(struct mt_ix *ix, const struct mt_ix_file *file) MT_WUR;
/* mt_ix_wait - wait for the commits mt_ix_commit_async queued (not for
 * records put since); 0, or their failure (they are rolled back) */
int	mt_ix_wait(struct mt_ix *ix) MT_WUR;

/* mt_ix_pending - raw bytes put since the last commit */
uint64_t mt_ix_pending(const struct mt_ix *ix);

/* ---- lookup ---- */

/* mt_ix_find - refs of the chunks that may hold key, in blocks overlapping
 * [since, until] (0 = unbounded), ascending by time.  A block is stored in
 * chunks of about 64 KiB; a ref names one chunk of one block (see
 * mt_ix_ref) and mt_ix_chunk_load reads it alone.  *refs is mt_malloc'd
 * (caller frees). */
int	mt_ix_find(struct mt_ix *ix, uint64_t key, int64_t since, int64_t until,
	    int64_t **refs, size_t *n) MT_WUR;
int64_t	mt_ix_ref(int64_t blk, uint32_t chunk);
int64_t	mt_ix_ref_block(int64_t ref);

/* mt_ix_blocks - ids of every block overlapping [since, until], ascending by
 * their earliest record time (export, summary). */
int	mt_ix_blocks(struct mt_ix *ix, int64_t since, int64_t until,
	    int64_t **blks, size_t *n) MT_WUR;

struct mt_ix_rec {
	int64_t	 time;
	unsigned fmt;
	uint32_t seq;		/* position in the block */
	const char *p;		/* borrowed from the block */
	size_t	 n;
};

struct mt_ix_block;

/* mt_ix_block_load - read and decompress one block (checks sizes) */
int	mt_ix_block_load(struct mt_ix *ix, int64_t blk, struct mt_ix_block **out) MT_WUR;
/* mt_ix_chunk_load - read and decompress the one chunk ref names; the
 * block's id (mt_ix_block_id) is then the ref, and record seq numbers are
 * those of the whole block */
int	mt_ix_chunk_load(struct mt_ix *ix, int64_t ref, struct mt_ix_block **out) MT_WUR;
/* mt_ix_block_next - 1 and *r filled, 0 at end */
int	mt_ix_block_next(struct mt_ix_block *b, struct mt_ix_rec *r);
void	mt_ix_block_rewind(struct mt_ix_block *b);
int64_t	mt_ix_block_id(const struct mt_ix_block *b);
void	mt_ix_block_free(struct mt_ix_block *b);

/* ---- retention ---- */

/* Keys of a stored record, for rewriting a block at the cutoff. */
typedef size_t (*mt_ix_keyfn)(void *arg, int64_t time, unsigned fmt,
    const char *rec, size_t n, uint64_t *keys, size_t max);

struct mt_ix_prune_stats {
	uint64_t records;	/* records removed */
	uint64_t blocks;	/* blocks removed or rewritten */
	uint64_t bytes;		/* compressed bytes removed */
	uint64_t db_before;	/* database size before, bytes */
	uint64_t db_after;	/* and after */
};

/* mt_ix_prune - delete every record with time < cutoff (see above) */
int	mt_ix_prune(struct mt_ix *ix, int64_t cutoff, int dry_run,
	    mt_ix_keyfn keyfn, void *arg, struct mt_ix_prune_stats *st) MT_WUR;

/* ---- statistics ---- */

struct mt_ix_stats {
	uint64_t records, blocks, keys, raw_bytes, comp_bytes, files;
	int64_t	 tmin, tmax;
	uint64_t db_bytes;
};

int	mt_ix_stats(struct mt_ix *ix, struct mt_ix_stats *st) MT_WUR;

#endif
