/*
 * mt_ix_int.h - internals of the store, shared by the indexer's files
 *
 * NAME
 *	mt_ix_int - handle layout, block codec and key sets of mt_ix
 *
 * DESCRIPTION
 *	mt_ix.c opens the store, writes blocks and answers lookups;
 *	mt_ix_block.c encodes, compresses and decodes blocks and holds the
 *	key set; mt_ix_zq.c compresses blocks on a worker thread while the
 *	caller parses; mt_ix_prune.c implements retention.  Nothing here is
 *	part of the interface: callers include mt_ix.h only.
 *
 *	Raw block layout (before zstd): a version byte (MT_IX_RAW_V1), the
 *	zigzag varint of the first record's time, then per record the zigzag
 *	varint of its time minus the previous record's time, a format byte,
 *	the varint of its length and its bytes.
 *
 *	Chunks: the raw block is cut, at record boundaries, into chunks of
 *	about MT_IX_CHUNK_RAW bytes (at most MT_IX_CHUNKS_MAX).  Chunk 0 is
 *	one zstd frame; every later chunk is a zstd frame compressed with
 *	chunk 0's raw bytes as its dictionary (raw content, no dictionary
 *	ID), so a lookup decompresses two small chunks instead of a whole
 *	block while the block compresses almost as well as one frame.  The
 *	stored blob is: the byte MT_IX_BLOB_V2, the varint chunk count, per
 *	chunk the varints of its raw length, its compressed length, the
 *	sequence number of its first record and the zigzag time of the
 *	record before it (0 for chunk 0), then the frames in order.  The
 *	index files a key under ref = block id * MT_IX_CHUNKS_MAX + chunk.
 *
 *	Keys are stored in ix as the top key_bits bits of the 64-bit key,
 *	as a signed integer (SQLite stores 48 bits in 6 bytes); every hit
 *	is re-verified by the caller, so a shorter key only costs an
 *	occasional extra block read.
 *
 *	Threads: during an ingest, mt_ix_zq.c compresses closed blocks on
 *	one worker thread and writes them, the index rows and the commits
 *	on another, which owns the SQLite connection while jobs are queued;
 *	every other use of the store (lookups, prune) waits for the queue
 *	to drain first and then runs on the caller's thread.
 */
#ifndef MT_IX_INT_H
#define MT_IX_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>
#include <zstd.h>

#include "mt_buf.h"
#include "mt_ix.h"

#define MT_IX_RAW_V1	1
#define MT_IX_BLOB_V2	0xc2		/* first byte of a chunked blob */
#define MT_IX_CHUNK_RAW	(64 * 1024)	/* a chunk is closed at this size */
#define MT_IX_CHUNK_BITS 5
#define MT_IX_CHUNKS_MAX (1 << MT_IX_CHUNK_BITS)
#define MT_IX_ZLEVEL	1
#define MT_IX_OPEN_MAX	8		/* open day blocks */
#define MT_IX_KEY_BITS	32		/* default for a new store */
#define MT_IX_REC_KEYS	256		/* keys per record from a keyfn */
#define MT_IX_DAY_US	(86400LL * 1000000LL)
#define MT_IX_VARINT_MAX 10
#define MT_IX_ROWS_MAX	(64 * 1024)	/* ix rows held before writing: few
					   enough that little is left to insert
					   once the input has ended */
#define MT_IX_ZQ_LEN	4		/* raw blocks queued for compression */
#define MT_IX_WQ_LEN	24		/* compressed blocks queued for writing */
#define MT_IX_INS_ROWS	64		/* ix rows per INSERT statement */

/* Prepared statements, one of each per handle (prepared on first use). */
enum mt_ix_st {
	IX_ST_BLK_INS,
	IX_ST_IX_INS,
	IX_ST_IX_INS_MANY,
	IX_ST_FILE_UPS,
	IX_ST_FILE_GET,
	IX_ST_FP_LENS,
	IX_ST_DAY_NEXT,
	IX_ST_FIND_DAY,
	IX_ST_BLOCKS,
	IX_ST_BLK_GET,
	IX_ST_DAY_MINMAX,
	IX_ST_PR_DAY_STAT,
	IX_ST_PR_DAY_DEL_IX,
	IX_ST_PR_DAY_DEL_BLK,
	IX_ST_PR_OLD_STAT,
	IX_ST_PR_OLD_DEL_IX,
	IX_ST_PR_OLD_DEL_BLK,
	IX_ST_PR_STRADDLE,
	IX_ST_PR_BLK_UPD,
	IX_ST_PR_BLK_DEL,
	IX_ST_PR_BLK_DEL_IX,
	IX_ST_PR_BLK_KEYS,
	IX_ST_MAX
};

/* A set of stored key values: open addressing, grows, no per-key malloc. */
struct mt_ix_kset {
	int64_t	*slot;		/* 0 = empty; the value 0 is kept in has0 */
	size_t	 cap;		/* power of two, or 0 */
	size_t	 bytes;		/* mt_big_alloc'd */
	size_t	 n;		/* values held, has0 included */
	int	 has0;
};

/* An ix row held back so that a whole transaction's rows go in sorted. */
struct mt_ix_row {
	int64_t	 day;
	int64_t	 key;
	int64_t	 blk;
};

/* Where the chunks of a raw block start (see DESCRIPTION). */
struct mt_ix_chunks {
	uint32_t n;
	struct {
		size_t	 off;		/* first byte in the raw block */
		uint32_t seq;		/* first record's sequence number */
		int64_t	 prev;		/* time of the record before */
	} c[MT_IX_CHUNKS_MAX];
};

/* A block being written: raw records of one UTC day. */
struct mt_ix_wblk {
	int64_t	 day;
	int64_t	 tmin, tmax;
	int64_t	 prev;		/* time of the last record */
	uint32_t nrec;
	uint64_t tick;		/* last use, for the LRU flush */
	int	 used;
	struct mt_buf raw;
	struct mt_ix_chunks ch;
	struct mt_ix_kset keys;	/* mt_ix_kref values */
};

/*
 * A job of the queue (mt_ix_zq.c): a filled block on its way to the
 * store, or a commit mark.  raw and keys are swapped in from the struct
 * mt_ix_wblk; the worker reads raw and writes z, zret and rawlen, then
 * moves all but raw to a job of the writer's ring, which reads them.
 */
enum {
	MT_IX_ZJ_BLOCK,
	MT_IX_ZJ_COMMIT		/* end the transaction, with file if has_file */
};

struct mt_ix_zjob {
	int	 kind;
	int64_t	 day;
	int64_t	 tmin, tmax;
	uint32_t nrec;
	struct mt_buf raw;
	struct mt_ix_chunks ch;
	struct mt_ix_kset keys;
	struct mt_buf z;	/* compressed raw */
	size_t	 zret;		/* mt_ix_encode's result */
	size_t	 rawlen;	/* raw.len, kept once raw is released */
	int	 has_file;	/* commit: the input's progress */
	struct mt_ix_file file;
	char	*fname;		/* file.name's copy, freed with the job */
	int	 state;		/* under the queue's mutex */
};

enum {
	MT_IX_ZQ_WAIT_ALL,	/* every job written */
	MT_IX_ZQ_WAIT_COMMITS	/* every commit mark written */
};

struct mt_ix_zq;

struct mt_ix {
	char	*path;
	sqlite3	*db;
	int	 flags;
	int	 in_tx;		/* a write transaction is open */
	int	 dirty;		/* put since the last commit (caller's side) */
	int	 snap;		/* MT_IX_SNAPSHOT: a read transaction is open */
	int64_t	*days;		/* snap: the days present, ascending */
	size_t	 ndays;
	int	 days_loaded;
	sqlite3_blob *blob;	/* snap: a block's row, reopened per read */
	int	 key_bits;
	uint64_t pending;	/* raw bytes put since the last commit */
	uint64_t tick;
	sqlite3_stmt *st[IX_ST_MAX];
	struct mt_ix_wblk open[MT_IX_OPEN_MAX];
	ZSTD_CCtx *cctx;	/* prune's (ingest compresses in zq) */
	ZSTD_DCtx *dctx;
	struct mt_ix_zq *zq;	/* blocks being compressed; NULL until used */
	int	 zq_err;	/* a queued write failed (kept by ix_idle) */
	struct mt_buf zbuf;	/* compressed output, reused */
	struct mt_buf dict;	/* chunk 0 of a block being read, reused */
	int64_t	*karr;		/* sorted keys of a block, reused */
	size_t	 karr_cap;
	struct mt_ix_row *rows;	/* ix rows waiting for the commit */
	size_t	 nrows, rows_cap;
	size_t	 rows_bytes;	/* mt_big_alloc'd */
};

struct mt_ix_block {
	int64_t	 id;		/* block id, or a ref for one chunk */
	char	*raw;		/* mt_big_alloc'd, rawcap bytes */
	size_t	 rawcap;
	size_t	 len;
	size_t	 pos;		/* next record */
	int64_t	 base;		/* time of the first record */
	int64_t	 prev;
	uint32_t seq;
	uint32_t nrec;
	int	 part;		/* raw is a chunk after the first: */
	int64_t	 part_prev;	/* no header; records continue from */
	uint32_t part_seq;	/* these */
};

/* mt_ix.c */
int	mt_ix_stmt(struct mt_ix *, enum mt_ix_st, sqlite3_stmt **) MT_WUR;
int	mt_ix_db_err(struct mt_ix *, const char *what);
int	mt_ix_exec(struct mt_ix *, const char *sql) MT_WUR;
int	mt_ix_begin(struct mt_ix *) MT_WUR;
int	mt_ix_end(struct mt_ix *, int ok);
int64_t	mt_ix_day(int64_t us);
int64_t	mt_ix_keyval(const struct mt_ix *, uint64_t key);
int	mt_ix_pragma_int(struct mt_ix *, const char *sql, int64_t *v) MT_WUR;
int	mt_ix_day_next(struct mt_ix *, int64_t d, int64_t hi, int64_t *out) MT_WUR;
void	mt_ix_idle(struct mt_ix *);

/* mt_ix_block.c */
void	mt_ix_kset_init(struct mt_ix_kset *);
void	mt_ix_kset_free(struct mt_ix_kset *);
void	mt_ix_kset_clear(struct mt_ix_kset *);
void	mt_ix_kset_add(struct mt_ix_kset *, int64_t v);
int	mt_ix_kset_has(const struct mt_ix_kset *, int64_t v);
size_t	mt_ix_kset_sorted(const struct mt_ix_kset *, int64_t **arr, size_t *cap);
size_t	mt_ix_kset_list(const struct mt_ix_kset *, int64_t **arr, size_t *cap,
	    int sorted);
void	mt_ix_wblk_init(struct mt_ix_wblk *);
void	mt_ix_wblk_reset(struct mt_ix_wblk *);
void	mt_ix_wblk_free(struct mt_ix_wblk *);
int	mt_ix_wblk_add(struct mt_ix_wblk *, int64_t time, unsigned fmt,
	    const char *rec, size_t len) MT_WUR;
int64_t	mt_ix_kref(int64_t keyval, uint32_t chunk);
void	mt_ix_kref_split(int64_t kref, int64_t *keyval, uint32_t *chunk);
int	mt_ix_compress(struct mt_ix *, const struct mt_buf *raw,
	    const struct mt_ix_chunks *) MT_WUR;
size_t	mt_ix_encode(ZSTD_CCtx *, const struct mt_buf *raw,
	    const struct mt_ix_chunks *, struct mt_buf *z);
/* A byte range of a stored blob. */
struct mt_ix_span {
	size_t	 off, len;
};
/* the longest chunked-blob header: type, count, 4 varints per chunk */
#define MT_IX_BLOB_HDR_MAX	(2 + MT_IX_VARINT_MAX + \
	    MT_IX_CHUNKS_MAX * 4 * MT_IX_VARINT_MAX)
int	mt_ix_blob_frames(const void *z, size_t hlen, size_t zlen, int chunk,
	    struct mt_ix_span fr[2]);
/* chunk < 0: the whole block; otherwise that chunk alone */
int	mt_ix_block_decode(struct mt_ix *, int64_t id, int chunk,
	    const void *z, size_t zlen, struct mt_ix_block **out) MT_WUR;

/* mt_ix_zq.c: the only code that runs on other threads */
struct mt_ix_zq *mt_ix_zq_new(int (*write)(void *, struct mt_ix_zjob *),
	    void *arg);
void	mt_ix_zq_free(struct mt_ix_zq *);
struct mt_ix_zjob *mt_ix_zq_take(struct mt_ix_zq *);
void	mt_ix_zq_submit(struct mt_ix_zq *);
int	mt_ix_zq_wait(struct mt_ix_zq *, int what);

#endif
