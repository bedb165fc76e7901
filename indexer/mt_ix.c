/*
 * mt_ix.c - the store: open, put, commit, find, load, statistics
 *
 * NAME
 *	mt_ix - compressed record blocks in SQLite, indexed by key
 *
 * SUMMARY
 *	mt_ix_open(path, MT_IX_CREATE, &ix); mt_ix_put(...); mt_ix_commit(...);
 *	mt_ix_find(ix, key, since, until, &blks, &n); mt_ix_block_load(...)
 *
 * DESCRIPTION
 *	One SQLite file in WAL mode.  Tables:
 *
 *	meta(key, value)	schema_version, key_bits
 *	files(fp, fp_len, ...)	input progress, by fingerprint
 *	blocks(id, day, tmin, tmax, nrec, raw_len, data)
 *				zstd blocks of records of one UTC day
 *	ix(day, key, blk)	key -> block, per day (WITHOUT ROWID)
 *
 *	Records go to one open block per day (at most MT_IX_OPEN_MAX open;
 *	the least recently used is written first).  A block is closed when
 *	it reaches MT_IX_BLOCK_RAW bytes or at commit and handed, with its
 *	distinct keys, to the queue (mt_ix_zq.c): a worker thread
 *	compresses it and a writer thread calls ix_write, which inserts it,
 *	in the order blocks were closed, while the caller goes on parsing.
 *	A commit is a mark in the same queue: the transaction holds exactly
 *	what was put before it.  At the mark (or past MT_IX_ROWS_MAX rows)
 *	the held ix rows are radix-sorted and inserted in primary key
 *	order, MT_IX_INS_ROWS to a statement, which keeps the B-tree writes
 *	local.  mt_ix_commit waits for the mark to be written;
 *	mt_ix_commit_async does not (ingest's batches).  Lookups see
 *	committed data only, and every function that reads the store
 *	waits for the queue first (mt_ix_idle).  The write transaction
 *	begins at the first block written and ends at a commit mark;
 *	mt_ix_close writes the commits already queued, drops the rest and
 *	rolls back what was not committed.
 *
 *	A lookup visits the days present in the wanted range one by one
 *	(an index seek each) and reads (day, key) from the primary key of
 *	ix, so its cost does not grow with the size of the store.
 *
 * DIAGNOSTICS
 *	Every error names the store path and carries sqlite3_errmsg; an
 *	I/O failure adds the system's reason ("disk I/O error (File too
 *	large)").  A read-only store in a directory we cannot write, with no
 *	WAL beside it, is opened immutable so that trace still works.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_ix_int.h"

#define IX_PAGE_SIZE	8192

/* MT_IX_INS_ROWS (64) rows of ix in one INSERT: the statement's start,
 * cursor and step are paid once for all of them */
#define IX_V1	"(?,?,?)"
#define IX_V4	IX_V1 "," IX_V1 "," IX_V1 "," IX_V1
#define IX_V16	IX_V4 "," IX_V4 "," IX_V4 "," IX_V4
#define IX_V64	IX_V16 "," IX_V16 "," IX_V16 "," IX_V16
_Static_assert(sizeof(IX_V64) == 8 * MT_IX_INS_ROWS, "IX_V64 is not "
    "MT_IX_INS_ROWS rows");
#define IX_CACHE_KIB	32768

_Static_assert(MT_IX_CHUNK_BITS == 5 && MT_IX_CHUNKS_MAX == 32,
    "the SQL below spells out the chunk bits of a ref");

static const char *const ix_schema =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE files(fp INTEGER NOT NULL, fp_len INTEGER NOT NULL,"
    " name TEXT, offset INTEGER NOT NULL, line INTEGER NOT NULL,"
    " updated INTEGER NOT NULL, PRIMARY KEY(fp, fp_len)) WITHOUT ROWID;"
    "CREATE TABLE blocks(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " day INTEGER NOT NULL, tmin INTEGER NOT NULL, tmax INTEGER NOT NULL,"
    " nrec INTEGER NOT NULL, raw_len INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE INDEX blocks_day ON blocks(day, tmin);"
    "CREATE TABLE ix(day INTEGER NOT NULL, key INTEGER NOT NULL,"
    " blk INTEGER NOT NULL, PRIMARY KEY(day, key, blk)) WITHOUT ROWID;";

static const char *const ix_sql[IX_ST_MAX] = {
	[IX_ST_BLK_INS] = "INSERT INTO blocks(day, tmin, tmax, nrec, raw_len,"
	    " data) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[IX_ST_IX_INS] = "INSERT OR IGNORE INTO ix(day, key, blk)"
	    " VALUES(?1, ?2, ?3)",
	[IX_ST_IX_INS_MANY] = "INSERT OR IGNORE INTO ix(day, key, blk)"
	    " VALUES" IX_V64,
	[IX_ST_FILE_UPS] = "INSERT INTO files(fp, fp_len, name, offset, line,"
	    " updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT(fp, fp_len) DO UPDATE SET name = excluded.name,"
	    " offset = excluded.offset, line = excluded.line,"
	    " updated = excluded.updated",
	[IX_ST_FILE_GET] = "SELECT offset, line FROM files"
	    " WHERE fp = ?1 AND fp_len = ?2",
	[IX_ST_FP_LENS] = "SELECT DISTINCT fp_len FROM files ORDER BY fp_len",
	[IX_ST_DAY_NEXT] = "SELECT day FROM blocks WHERE day >= ?1"
	    " AND day <= ?2 ORDER BY day LIMIT 1",
	[IX_ST_FIND_DAY] = "SELECT ix.blk, b.tmin FROM ix"
	    " JOIN blocks AS b ON b.id = (ix.blk >> 5)"
	    " WHERE ix.day = ?1 AND ix.key = ?2"
	    " AND b.tmax >= ?3 AND b.tmin <= ?4",
	[IX_ST_BLOCKS] = "SELECT id FROM blocks WHERE day >= ?1 AND day <= ?2"
	    " AND tmax >= ?3 AND tmin <= ?4 ORDER BY tmin, id",
	[IX_ST_BLK_GET] = "SELECT data FROM blocks WHERE id = ?1",
	[IX_ST_DAY_MINMAX] = "SELECT min(day), max(day) FROM blocks",
	[IX_ST_PR_DAY_STAT] = "SELECT count(*), total(nrec),"
	    " total(length(data)) FROM blocks WHERE day = ?1",
	[IX_ST_PR_DAY_DEL_IX] = "DELETE FROM ix WHERE day = ?1",
	[IX_ST_PR_DAY_DEL_BLK] = "DELETE FROM blocks WHERE day = ?1",
	[IX_ST_PR_OLD_STAT] = "SELECT count(*), total(nrec),"
	    " total(length(data)) FROM blocks WHERE day = ?1 AND tmax < ?2",
	[IX_ST_PR_OLD_DEL_IX] = "DELETE FROM ix WHERE day = ?1 AND (blk >> 5) IN"
	    " (SELECT id FROM blocks WHERE day = ?1 AND tmax < ?2)",
	[IX_ST_PR_OLD_DEL_BLK] = "DELETE FROM blocks WHERE day = ?1"
	    " AND tmax < ?2",
	[IX_ST_PR_STRADDLE] = "SELECT id FROM blocks WHERE day = ?1"
	    " AND tmin < ?2 AND tmax >= ?2 ORDER BY id",
	[IX_ST_PR_BLK_UPD] = "UPDATE blocks SET tmin = ?2, tmax = ?3,"
	    " nrec = ?4, raw_len = ?5, data = ?6 WHERE id = ?1",
	[IX_ST_PR_BLK_DEL] = "DELETE FROM blocks WHERE id = ?1",
	[IX_ST_PR_BLK_DEL_IX] = "DELETE FROM ix WHERE day = ?1"
	    " AND blk >= ?2 * 32 AND blk < ?2 * 32 + 32",
	[IX_ST_PR_BLK_KEYS] = "SELECT DISTINCT key FROM ix WHERE day = ?1"
	    " AND blk >= ?2 * 32 AND blk < ?2 * 32 + 32",
};

/*
 * ix_errno - ": strerror" of the system error behind an I/O failure
 * ("disk I/O error" alone does not say that the disk or a ulimit is full)
 */
static const char *
ix_errno(struct mt_ix *ix, char *buf, size_t bufsz)
{
	int saved = errno, code = sqlite3_errcode(ix->db), e;

	buf[0] = '\0';
	if (code != SQLITE_IOERR && code != SQLITE_FULL &&
	    code != SQLITE_CANTOPEN)
		return buf;
	/* SQLite keeps the system error only for some statements (not for
	 * COMMIT); errno then still holds it when it is a write failure */
	if ((e = sqlite3_system_errno(ix->db)) == 0 && (saved == EFBIG ||
	    saved == ENOSPC || saved == EDQUOT || saved == EIO ||
	    saved == EROFS))
		e = saved;
	if (e != 0)
		snprintf(buf, bufsz, " (%s)", strerror(e));
	return buf;
}

/* mt_ix_db_err - report the last SQLite error of the handle */
int
mt_ix_db_err(struct mt_ix *ix, const char *what)
{
	char eb[128];

	mt_warnx("%s: %s: %s%s", ix->path, what, sqlite3_errmsg(ix->db),
	    ix_errno(ix, eb, sizeof(eb)));
	return -MT_ERR_DB;
}

/* mt_ix_stmt - the prepared statement for id, reset and unbound */
int
mt_ix_stmt(struct mt_ix *ix, enum mt_ix_st id, sqlite3_stmt **out)
{
	if (ix->st[id] == NULL) {
		if (sqlite3_prepare_v3(ix->db, ix_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &ix->st[id], NULL) != SQLITE_OK)
			return mt_ix_db_err(ix, "prepare");
	} else {
		sqlite3_reset(ix->st[id]);
		sqlite3_clear_bindings(ix->st[id]);
	}
	*out = ix->st[id];
	return 0;
}

/* mt_ix_exec - run SQL without results */
int
mt_ix_exec(struct mt_ix *ix, const char *sql)
{
	char *err = NULL, eb[128];

	if (sqlite3_exec(ix->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		mt_warnx("%s: %s: %s%s", ix->path, sql,
		    err ? err : sqlite3_errmsg(ix->db),
		    ix_errno(ix, eb, sizeof(eb)));
		sqlite3_free(err);
		return -MT_ERR_DB;
	}
	return 0;
}

/* mt_ix_pragma_int - one integer from a query such as a PRAGMA */
int
mt_ix_pragma_int(struct mt_ix *ix, const char *sql, int64_t *v)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL) != SQLITE_OK)
		return mt_ix_db_err(ix, sql);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*v = 0;
	else {
		mt_warnx("%s: %s: %s", ix->path, sql, sqlite3_errmsg(ix->db));
		sqlite3_finalize(st);
		return -MT_ERR_DB;
	}
	sqlite3_finalize(st);
	return 0;
}

/* mt_ix_begin - open a write transaction */
int
mt_ix_begin(struct mt_ix *ix)
{
	if (ix->in_tx)
		return 0;
	if (mt_ix_exec(ix, "BEGIN IMMEDIATE") != 0)
		return -MT_ERR_DB;
	ix->in_tx = 1;
	return 0;
}

/* mt_ix_end - commit (ok) or roll back the write transaction */
int
mt_ix_end(struct mt_ix *ix, int ok)
{
	int rc = 0;

	if (!ix->in_tx)
		return 0;
	if (ok)
		rc = mt_ix_exec(ix, "COMMIT");
	if (!ok || rc != 0)
		(void)sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
	ix->in_tx = 0;
	return rc;
}

/* mt_ix_day - UTC day number of a time (floor division) */
int64_t
mt_ix_day(int64_t us)
{
	int64_t d = us / MT_IX_DAY_US;

	if (us % MT_IX_DAY_US < 0)
		d--;
	return d;
}

/* mt_ix_keyval - the stored form of a key: its top key_bits bits, signed */
int64_t
mt_ix_keyval(const struct mt_ix *ix, uint64_t key)
{
	unsigned bits = (unsigned)ix->key_bits;
	uint64_t v = bits >= 64 ? key : key >> (64 - bits);

	if (bits >= 64)
		return v > INT64_MAX ? -(int64_t)(~v) - 1 : (int64_t)v;
	if (v >> (bits - 1))
		return (int64_t)v - (int64_t)(1ULL << bits);
	return (int64_t)v;
}

/* ix_meta_get - integer value of a meta key; 1 found, 0 absent, <0 error */
static int
ix_meta_get(struct mt_ix *ix, const char *key, int64_t *v)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return mt_ix_db_err(ix, "read meta");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
			mt_warnx("%s: not a msgtrail store (meta %s is not "
			    "a number)", ix->path, key);
			sqlite3_finalize(st);
			return -MT_ERR_DB;
		}
		*v = sqlite3_column_int64(st, 0);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = mt_ix_db_err(ix, "read meta");
	sqlite3_finalize(st);
	return rc;
}

/* ix_create - pragmas that must precede the first table, then the schema */
static int
ix_create(struct mt_ix *ix)
{
	char sql[256];
	int64_t ntab = 0;

	/* WAL before the first table: a create killed half-way leaves no
	 * hot rollback journal that a read-only opener could not undo */
	snprintf(sql, sizeof(sql), "PRAGMA page_size = %d;"
	    "PRAGMA auto_vacuum = INCREMENTAL;"
	    "PRAGMA journal_mode = WAL;", IX_PAGE_SIZE);
	if (mt_ix_exec(ix, sql) != 0 || mt_ix_exec(ix, "BEGIN IMMEDIATE") != 0)
		return -MT_ERR_DB;
	/* another opener (an ingest, a trace) may have created it meanwhile */
	if (mt_ix_pragma_int(ix, "SELECT count(*) FROM sqlite_master",
	    &ntab) != 0 || ntab > 0) {
		(void)sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
		return ntab > 0 ? 0 : -MT_ERR_DB;
	}
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES"
	    "('schema_version', %d), ('key_bits', %d);",
	    MT_IX_SCHEMA_VERSION, MT_IX_KEY_BITS);
	if (mt_ix_exec(ix, ix_schema) != 0 || mt_ix_exec(ix, sql) != 0) {
		(void)sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
		return -MT_ERR_DB;
	}
	return mt_ix_exec(ix, "COMMIT");
}

/* ix_check - tell a msgtrail store from anything else; check its version */
static int
ix_check(struct mt_ix *ix)
{
	int64_t ntab = 0, ver = 0, bits = 0;
	int rc;

	rc = sqlite3_exec(ix->db, "SELECT 1 FROM sqlite_master LIMIT 1",
	    NULL, NULL, NULL);
	if (rc == SQLITE_NOTADB) {
		mt_warnx("%s: not a msgtrail store (file is not a database)",
		    ix->path);
		return -MT_ERR_DB;
	}
	if (rc != SQLITE_OK)
		return mt_ix_db_err(ix, "cannot read store");
	if (mt_ix_pragma_int(ix, "SELECT count(*) FROM sqlite_master",
	    &ntab) != 0)
		return -MT_ERR_DB;
	if (ntab == 0) {
		if ((ix->flags & MT_IX_RDONLY) &&
		    sqlite3_db_readonly(ix->db, "main")) {
			mt_warnx("%s: empty store (nothing ingested yet)",
			    ix->path);
			return -MT_ERR_DB;
		}
		if (ix_create(ix) != 0)
			return -MT_ERR_DB;
	}
	if (mt_ix_pragma_int(ix, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'meta'", &ntab) != 0)
		return -MT_ERR_DB;
	if (ntab == 0 || (rc = ix_meta_get(ix, "schema_version", &ver)) == 0) {
		mt_warnx("%s: not a msgtrail store (no schema version)",
		    ix->path);
		return -MT_ERR_DB;
	}
	if (rc < 0)
		return rc;
	if (ver > MT_IX_SCHEMA_VERSION) {
		mt_warnx("%s: store schema version %" PRId64 " is newer than "
		    "this msgtrail supports (%d)", ix->path, ver,
		    MT_IX_SCHEMA_VERSION);
		return -MT_ERR_DB;
	}
	if (ver < MT_IX_SCHEMA_VERSION) {
		mt_warnx("%s: store schema version %" PRId64 " is older than "
		    "this msgtrail supports (%d) and cannot be upgraded; "
		    "ingest into a new store", ix->path, ver,
		    MT_IX_SCHEMA_VERSION);
		return -MT_ERR_DB;
	}
	if ((rc = ix_meta_get(ix, "key_bits", &bits)) < 0)
		return rc;
	if (rc == 0 || bits < 16 || bits > 48) {
		mt_warnx("%s: not a msgtrail store (bad key_bits)", ix->path);
		return -MT_ERR_DB;
	}
	ix->key_bits = (int)bits;
	return 0;
}

/*
 * ix_ro_uri - a store we may not write to, in a directory we may not
 * write to, with no write-ahead log beside it: SQLite cannot create the
 * -shm file a WAL reader needs, so it is opened as immutable (nobody can
 * be writing it either).  Returns the "file:" URI (malloc'd), or NULL
 * when a plain read-only open works.
 */
static char *
ix_ro_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *slash = strrchr(path, '/');
	char *dir, *wal, *uri, *u;
	size_t n = strlen(path);
	int plain;

	wal = mt_malloc(n + 5);
	snprintf(wal, n + 5, "%s-wal", path);
	dir = slash == NULL ? mt_strdup(".") : slash == path ? mt_strdup("/") :
	    mt_strndup(path, (size_t)(slash - path));
	plain = access(wal, F_OK) == 0 || access(dir, W_OK) == 0;
	free(wal);
	free(dir);
	if (plain)
		return NULL;
	u = uri = mt_malloc(5 + 3 * n + sizeof("?immutable=1"));
	memcpy(u, "file:", 5);
	u += 5;
	for (; *path; path++) {
		unsigned char c = (unsigned char)*path;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/._-~", c) != NULL)
			*u++ = (char)c;
		else {
			*u++ = '%';
			*u++ = hex[c >> 4];
			*u++ = hex[c & 15];
		}
	}
	memcpy(u, "?immutable=1", sizeof("?immutable=1"));
	return uri;
}

/* mt_ix_open - open or create the store at path */
int
mt_ix_open(const char *path, int flags, struct mt_ix **out)
{
	struct mt_ix *ix;
	char sql[128], *uri = NULL;
	int oflags, i, rc = -MT_ERR_DB, rc_open;

	*out = NULL;
	ix = mt_calloc(1, sizeof(*ix));
	ix->path = mt_strdup(path);
	ix->flags = flags;
	for (i = 0; i < MT_IX_OPEN_MAX; i++)
		mt_ix_wblk_init(&ix->open[i]);
	mt_buf_init(&ix->zbuf, 0);
	mt_buf_init(&ix->dict, MT_IX_BLOCK_MAX);
	if ((flags & MT_IX_RDONLY) && access(path, F_OK) != 0) {
		mt_warn("%s: no such store (nothing ingested yet?)", path);
		goto fail;
	}
	/*
	 * A reader opens read-write when it may: SQLite then recovers a
	 * store left by a killed writer (WAL index, hot journal) instead of
	 * failing.  It never writes records.
	 */
	if (flags & MT_IX_RDONLY)
		oflags = access(path, W_OK) == 0 ? SQLITE_OPEN_READWRITE :
		    SQLITE_OPEN_READONLY;
	else if (flags & MT_IX_CREATE)
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else
		oflags = SQLITE_OPEN_READWRITE;
	if (oflags == SQLITE_OPEN_READONLY)
		uri = ix_ro_uri(path);
	rc_open = sqlite3_open_v2(uri ? uri : path, &ix->db, oflags |
	    SQLITE_OPEN_NOMUTEX | (uri ? SQLITE_OPEN_URI : 0), NULL);
	free(uri);
	if (rc_open != SQLITE_OK) {
		if (ix->db == NULL)
			mt_warnx("%s: cannot open store: out of memory", path);
		else
			mt_warnx("%s: cannot open store: %s", path,
			    sqlite3_errmsg(ix->db));
		goto fail;
	}
	sqlite3_extended_result_codes(ix->db, 0);
	sqlite3_busy_timeout(ix->db, 5000);
	if (!(flags & MT_IX_RDONLY) && sqlite3_db_readonly(ix->db, "main")) {
		mt_warnx("%s: store is read-only (cannot write to it)", path);
		rc = -MT_ERR_IO;
		goto fail;
	}
	if (ix_check(ix) != 0)
		goto fail;
	if ((flags & MT_IX_RDONLY) &&
	    mt_ix_exec(ix, "PRAGMA mmap_size = 1073741824;") != 0)
		goto fail;
	if ((flags & (MT_IX_RDONLY | MT_IX_SNAPSHOT)) ==
	    (MT_IX_RDONLY | MT_IX_SNAPSHOT)) {
		if (mt_ix_exec(ix, "BEGIN") != 0)
			goto fail;
		ix->snap = 1;
	}
	if (!(flags & MT_IX_RDONLY)) {
		snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d;",
		    IX_CACHE_KIB);
		if (mt_ix_exec(ix, "PRAGMA journal_mode = WAL;"
		    "PRAGMA synchronous = NORMAL;"
		    "PRAGMA secure_delete = ON;") != 0 ||
		    mt_ix_exec(ix, sql) != 0)
			goto fail;
	}
	ix->dctx = ZSTD_createDCtx();
	if (ix->dctx == NULL)
		mt_panic("zstd: cannot create a decompression context");
	*out = ix;
	return 0;
fail:
	mt_ix_close(ix);
	return rc;
}

/* mt_ix_close - close; uncommitted puts are rolled back; accepts NULL */
void
mt_ix_close(struct mt_ix *ix)
{
	int i;

	if (ix == NULL)
		return;
	mt_ix_idle(ix);		/* commits already queued are written */
	mt_ix_zq_free(ix->zq);
	sqlite3_blob_close(ix->blob);
	if (ix->db != NULL && (ix->in_tx || ix->snap))
		(void)sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
	free(ix->days);
	for (i = 0; i < IX_ST_MAX; i++)
		sqlite3_finalize(ix->st[i]);
	if (ix->db != NULL && sqlite3_close(ix->db) != SQLITE_OK)
		mt_warnx("%s: close: %s", ix->path, sqlite3_errmsg(ix->db));
	for (i = 0; i < MT_IX_OPEN_MAX; i++)
		mt_ix_wblk_free(&ix->open[i]);
	ZSTD_freeCCtx(ix->cctx);
	ZSTD_freeDCtx(ix->dctx);
	mt_buf_free(&ix->zbuf);
	mt_buf_free(&ix->dict);
	free(ix->karr);
	mt_big_free(ix->rows, ix->rows_bytes);
	free(ix->path);
	free(ix);
}

/* mt_ix_path - the store's file name */
const char *
mt_ix_path(const struct mt_ix *ix)
{
	return ix->path;
}

/* ---- ingest ---- */

/* mt_ix_fp_lens - the distinct fingerprint lengths on record (at most max) */
int
mt_ix_fp_lens(struct mt_ix *ix, uint32_t *lens, size_t max, size_t *n)
{
	sqlite3_stmt *st;
	int64_t v;
	int rc;

	mt_ix_idle(ix);
	*n = 0;
	if (mt_ix_stmt(ix, IX_ST_FP_LENS, &st) != 0)
		return -MT_ERR_DB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		if (v < 0 || v > UINT32_MAX || *n >= max)
			continue;
		lens[(*n)++] = (uint32_t)v;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return mt_ix_db_err(ix, "read files");
	return 0;
}

/* mt_ix_file_find - 1 found (out filled; out->name NULL), 0 not found, <0 error */
int
mt_ix_file_find(struct mt_ix *ix, uint64_t fp, uint32_t fp_len,
    struct mt_ix_file *out)
{
	sqlite3_stmt *st;
	int rc;

	mt_ix_idle(ix);
	if (mt_ix_stmt(ix, IX_ST_FILE_GET, &st) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)fp);
	sqlite3_bind_int64(st, 2, fp_len);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->fp = fp;
		out->fp_len = fp_len;
		out->offset = (uint64_t)sqlite3_column_int64(st, 0);
		out->line = (uint64_t)sqlite3_column_int64(st, 1);
		out->name = NULL;
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = mt_ix_db_err(ix, "read files");
	sqlite3_reset(st);
	return rc;
}

/* cmp_row - ix rows in primary key order */
static int
cmp_row(const void *a, const void *b)
{
	const struct mt_ix_row *x = a, *y = b;

	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->blk > y->blk) - (x->blk < y->blk);
}

/* row_digit - 16-bit digit d (0 lowest) of a row's key (d < 4) or day */
static unsigned
row_digit(const struct mt_ix_row *r, unsigned d)
{
	uint64_t v = d < 4 ? (uint64_t)r->key : (uint64_t)r->day;

	v ^= 1ULL << 63;	/* signed order as unsigned */
	return (unsigned)(v >> (16 * (d % 4))) & 0xffff;
}

/* rows_sort - stable LSD radix sort by (day, key); blk order is kept */
static void
rows_sort(struct mt_ix_row *a, size_t n)
{
	struct mt_ix_row *tmp, *src = a, *dst, *t;
	size_t *cnt, i, sum, c, tmpcap;
	unsigned d;

	if (n < 4096) {
		qsort(a, n, sizeof(a[0]), cmp_row);
		return;
	}
	tmp = mt_big_alloc(n * sizeof(a[0]), &tmpcap);
	cnt = mt_malloc(65536 * sizeof(cnt[0]));
	dst = tmp;
	for (d = 0; d < 8; d++) {
		memset(cnt, 0, 65536 * sizeof(cnt[0]));
		for (i = 0; i < n; i++)
			cnt[row_digit(&src[i], d)]++;
		if (cnt[row_digit(&src[0], d)] == n)
			continue;	/* one value: nothing to do */
		for (i = 0, sum = 0; i < 65536; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[row_digit(&src[i], d)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(a[0]));
	free(cnt);
	mt_big_free(tmp, tmpcap);
}

/* ix_rows_step - insert n rows with st, bound from parameter 1 on */
static int
ix_rows_step(struct mt_ix *ix, sqlite3_stmt *st, const struct mt_ix_row *r,
    size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, (int)(3 * i + 1), r[i].day);
		sqlite3_bind_int64(st, (int)(3 * i + 2), r[i].key);
		sqlite3_bind_int64(st, (int)(3 * i + 3), r[i].blk);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return mt_ix_db_err(ix, "write index");
	return 0;
}

/*
 * ix_rows_write - insert the held ix rows in primary key order,
 * MT_IX_INS_ROWS to a statement, the rest one by one
 */
static int
ix_rows_write(struct mt_ix *ix)
{
	sqlite3_stmt *st;
	size_t i = 0;

	if (ix->nrows == 0)
		return 0;
	rows_sort(ix->rows, ix->nrows);
	if (ix->nrows >= MT_IX_INS_ROWS) {
		if (mt_ix_stmt(ix, IX_ST_IX_INS_MANY, &st) != 0)
			return -MT_ERR_DB;
		for (; ix->nrows - i >= MT_IX_INS_ROWS; i += MT_IX_INS_ROWS)
			if (ix_rows_step(ix, st, &ix->rows[i],
			    MT_IX_INS_ROWS) != 0)
				return -MT_ERR_DB;
	}
	if (i < ix->nrows && mt_ix_stmt(ix, IX_ST_IX_INS, &st) != 0)
		return -MT_ERR_DB;
	for (; i < ix->nrows; i++)
		if (ix_rows_step(ix, st, &ix->rows[i], 1) != 0)
			return -MT_ERR_DB;
	ix->nrows = 0;
	return 0;
}

/* ix_blk_write - write one compressed block; hold its keys' rows */
static int
ix_blk_write(struct mt_ix *ix, struct mt_ix_zjob *j)
{
	sqlite3_stmt *st;
	int64_t blk;
	size_t i, n;

	if (ZSTD_isError(j->zret)) {
		mt_warnx("%s: zstd: %s", ix->path, ZSTD_getErrorName(j->zret));
		return -MT_ERR_DB;
	}
	if (mt_ix_stmt(ix, IX_ST_BLK_INS, &st) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(st, 1, j->day);
	sqlite3_bind_int64(st, 2, j->tmin);
	sqlite3_bind_int64(st, 3, j->tmax);
	sqlite3_bind_int64(st, 4, j->nrec);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)j->rawlen);
	sqlite3_bind_blob64(st, 6, j->z.data, j->z.len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return mt_ix_db_err(ix, "write block");
	}
	sqlite3_reset(st);
	blk = sqlite3_last_insert_rowid(ix->db);
	n = mt_ix_kset_list(&j->keys, &ix->karr, &ix->karr_cap, 0);
	if (ix->nrows + n > MT_IX_ROWS_MAX && ix_rows_write(ix) != 0)
		return -MT_ERR_DB;
	if (ix->nrows + n > ix->rows_cap) {
		ix->rows_cap = ix->nrows + n > 2 * ix->rows_cap ?
		    ix->nrows + n : 2 * ix->rows_cap;
		if (ix->rows_cap > SIZE_MAX / sizeof(ix->rows[0]))
			mt_fatalx("out of memory (index rows)");
		ix->rows = mt_big_realloc(ix->rows,
		    ix->nrows * sizeof(ix->rows[0]),
		    ix->rows_cap * sizeof(ix->rows[0]), &ix->rows_bytes);
	}
	for (i = 0; i < n; i++) {
		uint32_t c;

		mt_ix_kref_split(ix->karr[i], &ix->rows[ix->nrows].key, &c);
		ix->rows[ix->nrows].day = j->day;
		ix->rows[ix->nrows].blk = mt_ix_ref(blk, c);
		ix->nrows++;
	}
	return 0;
}

/*
 * ix_write - the queue's writer (mt_ix_zq.c): insert a compressed block,
 * or end the transaction with the held rows and the file's progress.
 * On failure the transaction is rolled back whole.  Runs on the writer
 * thread while jobs are queued, which then owns the connection.
 */
static int
ix_write(void *arg, struct mt_ix_zjob *j)
{
	struct mt_ix *ix = arg;
	sqlite3_stmt *st;

	if (mt_ix_begin(ix) != 0)
		goto fail;
	if (j->kind == MT_IX_ZJ_BLOCK) {
		if (ix_blk_write(ix, j) != 0)
			goto fail;
		return 0;
	}
	if (ix_rows_write(ix) != 0)
		goto fail;
	if (j->has_file) {
		if (mt_ix_stmt(ix, IX_ST_FILE_UPS, &st) != 0)
			goto fail;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)j->file.fp);
		sqlite3_bind_int64(st, 2, j->file.fp_len);
		if (j->fname != NULL)
			sqlite3_bind_text(st, 3, j->fname, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)j->file.offset);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)j->file.line);
		sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_reset(st);
			(void)mt_ix_db_err(ix, "write file progress");
			goto fail;
		}
		sqlite3_reset(st);
	}
	if (mt_ix_end(ix, 1) != 0)
		goto fail;
	return 0;
fail:
	(void)mt_ix_end(ix, 0);
	ix->nrows = 0;
	return -MT_ERR_DB;
}

/* ix_queue - the queue, created on first use */
static struct mt_ix_zq *
ix_queue(struct mt_ix *ix)
{
	if (ix->zq == NULL)
		ix->zq = mt_ix_zq_new(ix_write, ix);
	return ix->zq;
}

/*
 * mt_ix_idle - wait until the queue's writer is done with the connection,
 * before this thread uses it; a write failure not yet returned by a
 * commit is kept for it
 */
void
mt_ix_idle(struct mt_ix *ix)
{
	int rc;

	if (ix->zq != NULL && (rc = mt_ix_zq_wait(ix->zq,
	    MT_IX_ZQ_WAIT_ALL)) != 0)
		ix->zq_err = rc;
}

/*
 * ix_flush - queue one open block for compression and writing (its raw
 * bytes and keys move to the queue; the block is empty afterwards)
 */
static void
ix_flush(struct mt_ix *ix, struct mt_ix_wblk *w)
{
	struct mt_ix_zjob *j;
	struct mt_buf tb;
	struct mt_ix_kset tk;

	if (!w->used)
		return;
	j = mt_ix_zq_take(ix_queue(ix));
	j->day = w->day;
	j->tmin = w->tmin;
	j->tmax = w->tmax;
	j->nrec = w->nrec;
	j->ch = w->ch;
	tb = j->raw;
	j->raw = w->raw;
	w->raw = tb;
	tk = j->keys;
	j->keys = w->keys;
	w->keys = tk;
	mt_ix_zq_submit(ix->zq);
	mt_ix_wblk_reset(w);
}

/* ix_slot - the open block of a day, opening one (flushing the LRU) */
static struct mt_ix_wblk *
ix_slot(struct mt_ix *ix, int64_t day)
{
	struct mt_ix_wblk *w, *lru = NULL, *fresh = NULL;
	int i;

	for (i = 0; i < MT_IX_OPEN_MAX; i++) {
		w = &ix->open[i];
		if (w->used && w->day == day)
			return w;
		if (!w->used && fresh == NULL)
			fresh = w;
		if (w->used && (lru == NULL || w->tick < lru->tick))
			lru = w;
	}
	if (fresh == NULL) {
		ix_flush(ix, lru);
		fresh = lru;
	}
	fresh->day = day;
	return fresh;
}

/* mt_ix_put - add one record with its keys (nkeys may be 0: stored unindexed) */
int
mt_ix_put(struct mt_ix *ix, int64_t time, unsigned fmt, const char *rec,
    size_t len, const uint64_t *keys, size_t nkeys)
{
	struct mt_ix_wblk *w;
	size_t i;

	if (ix->flags & MT_IX_RDONLY) {
		mt_warnx("%s: store opened read-only", ix->path);
		return -MT_ERR_USAGE;
	}
	if (len > MT_IX_REC_MAX) {
		mt_warnx("%s: record of %zu bytes is over the limit (%d)",
		    ix->path, len, MT_IX_REC_MAX);
		return -MT_ERR_LIMIT;
	}
	if (fmt > 255) {
		mt_warnx("%s: record format %u out of range", ix->path, fmt);
		return -MT_ERR_USAGE;
	}
	w = ix_slot(ix, mt_ix_day(time));
	if (mt_ix_wblk_add(w, time, fmt, rec, len) != 0) {
		mt_warnx("%s: block full", ix->path);
		return -MT_ERR_LIMIT;
	}
	w->tick = ++ix->tick;
	for (i = 0; i < nkeys; i++)
		mt_ix_kset_add(&w->keys, mt_ix_kref(mt_ix_keyval(ix, keys[i]),
		    w->ch.n - 1));
	ix->pending += len;
	ix->dirty = 1;
	if (w->raw.len >= MT_IX_BLOCK_RAW)
		ix_flush(ix, w);
	return 0;
}

/* mt_ix_pending - raw bytes put since the last commit */
uint64_t
mt_ix_pending(const struct mt_ix *ix)
{
	return ix->pending;
}

/*
 * mt_ix_commit_async - queue the open blocks and a commit with the file's
 * progress, and return before it is written (see mt_ix.h); waits for the
 * commit queued before, and returns its failure or the batch's
 */
int
mt_ix_commit_async(struct mt_ix *ix, const struct mt_ix_file *file)
{
	struct mt_ix_zjob *j;
	int i;

	if (mt_ix_wait(ix) != 0) {
		/* the failed batch is rolled back; so is this one */
		for (i = 0; i < MT_IX_OPEN_MAX; i++)
			mt_ix_wblk_reset(&ix->open[i]);
		mt_ix_idle(ix);
		ix->zq_err = 0;
		(void)mt_ix_end(ix, 0);
		ix->nrows = 0;
		ix->dirty = 0;
		ix->pending = 0;
		return -MT_ERR_DB;
	}
	if (!ix->dirty && file == NULL)
		return 0;
	for (i = 0; i < MT_IX_OPEN_MAX; i++)
		ix_flush(ix, &ix->open[i]);
	j = mt_ix_zq_take(ix_queue(ix));
	j->kind = MT_IX_ZJ_COMMIT;
	j->has_file = file != NULL;
	if (file != NULL) {
		j->file = *file;
		j->fname = file->name != NULL ? mt_strdup(file->name) : NULL;
		j->file.name = NULL;
	}
	mt_ix_zq_submit(ix->zq);
	ix->dirty = 0;
	ix->pending = 0;
	return 0;
}

/* mt_ix_wait - wait for the queued commits; 0 or their failure */
int
mt_ix_wait(struct mt_ix *ix)
{
	int rc = 0;

	if (ix->zq != NULL)
		rc = mt_ix_zq_wait(ix->zq, MT_IX_ZQ_WAIT_COMMITS);
	if (rc == 0)
		rc = ix->zq_err;
	ix->zq_err = 0;
	return rc != 0 ? -MT_ERR_DB : 0;
}

/* mt_ix_commit - write open blocks and the file's progress; commit */
int
mt_ix_commit(struct mt_ix *ix, const struct mt_ix_file *file)
{
	/* nothing is queued after the mark: when it is written, all is */
	if (mt_ix_commit_async(ix, file) != 0)
		return -MT_ERR_DB;
	return mt_ix_wait(ix);
}

/* ---- lookup ---- */

struct ix_hit {
	int64_t	 tmin;
	int64_t	 id;
};

/* cmp_hit - by earliest time, then id */
static int
cmp_hit(const void *a, const void *b)
{
	const struct ix_hit *x = a, *y = b;

	if (x->tmin != y->tmin)
		return (x->tmin > y->tmin) - (x->tmin < y->tmin);
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * ix_days_load - snapshot: read the days present once, one index seek
 * each (cheaper than a scan of every block's row)
 */
static int
ix_days_load(struct mt_ix *ix)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int64_t d = INT64_MIN;
	int rc;

	if (ix->days_loaded)
		return 0;
	for (;;) {
		if (mt_ix_stmt(ix, IX_ST_DAY_NEXT, &st) != 0)
			return -MT_ERR_DB;
		sqlite3_bind_int64(st, 1, d);
		sqlite3_bind_int64(st, 2, INT64_MAX);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			d = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW)
			return mt_ix_db_err(ix, "read blocks");
		if (ix->ndays == cap) {
			cap = cap ? cap * 2 : 64;
			ix->days = mt_reallocarray(ix->days, cap,
			    sizeof(ix->days[0]));
		}
		ix->days[ix->ndays++] = d;
		if (d == INT64_MAX)
			break;
		d++;
	}
	ix->days_loaded = 1;
	return 0;
}

/* ix_day_range - days to visit for [since, until]; 0, or 1 if the store is empty */
static int
ix_day_range(struct mt_ix *ix, int64_t since, int64_t until, int64_t *lo,
    int64_t *hi)
{
	sqlite3_stmt *st;
	int rc;

	if (ix->snap) {
		if (ix_days_load(ix) != 0)
			return -MT_ERR_DB;
		if (ix->ndays == 0)
			return 1;
		*lo = ix->days[0];
		*hi = ix->days[ix->ndays - 1];
		goto clip;
	}
	if (mt_ix_stmt(ix, IX_ST_DAY_MINMAX, &st) != 0)
		return -MT_ERR_DB;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return mt_ix_db_err(ix, "read blocks");
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_reset(st);
		return 1;
	}
	*lo = sqlite3_column_int64(st, 0);
	*hi = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
clip:
	if (since != 0 && mt_ix_day(since) > *lo)
		*lo = mt_ix_day(since);
	if (until != 0 && mt_ix_day(until) < *hi)
		*hi = mt_ix_day(until);
	return *lo > *hi;
}

/* mt_ix_day_next - first day present in [d, hi]; 1 found, 0 none, <0 error */
int
mt_ix_day_next(struct mt_ix *ix, int64_t d, int64_t hi, int64_t *out)
{
	sqlite3_stmt *st;
	size_t a, b;
	int rc;

	if (ix->snap) {		/* first cached day >= d */
		if (ix_days_load(ix) != 0)
			return -MT_ERR_DB;
		for (a = 0, b = ix->ndays; a < b;) {
			size_t m = a + (b - a) / 2;

			if (ix->days[m] < d)
				a = m + 1;
			else
				b = m;
		}
		if (a == ix->ndays || ix->days[a] > hi)
			return 0;
		*out = ix->days[a];
		return 1;
	}
	if (mt_ix_stmt(ix, IX_ST_DAY_NEXT, &st) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(st, 1, d);
	sqlite3_bind_int64(st, 2, hi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = mt_ix_db_err(ix, "read blocks");
	sqlite3_reset(st);
	return rc;
}

/* hits_push - append a hit, growing the array */
static void
hits_push(struct ix_hit **h, size_t *n, size_t *cap, int64_t id, int64_t tmin)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*h = mt_reallocarray(*h, *cap, sizeof(**h));
	}
	(*h)[*n].id = id;
	(*h)[*n].tmin = tmin;
	(*n)++;
}

/* hits_out - sort, deduplicate and hand out the block ids */
static void
hits_out(struct ix_hit *h, size_t nh, int64_t **blks, size_t *n)
{
	size_t i, j;

	if (nh > 1)
		qsort(h, nh, sizeof(h[0]), cmp_hit);
	*blks = mt_reallocarray(NULL, nh ? nh : 1, sizeof(**blks));
	for (i = j = 0; i < nh; i++) {
		if (j > 0 && (*blks)[j - 1] == h[i].id)
			continue;
		(*blks)[j++] = h[i].id;
	}
	*n = j;
}

/* mt_ix_find - ids of the blocks that may hold key, overlapping [since, until] */
int
mt_ix_find(struct mt_ix *ix, uint64_t key, int64_t since, int64_t until,
    int64_t **blks, size_t *n)
{
	struct ix_hit *h = NULL;
	sqlite3_stmt *st;
	size_t nh = 0, cap = 0;
	int64_t lo, hi, d;
	int rc;

	mt_ix_idle(ix);
	*blks = NULL;
	*n = 0;
	if ((rc = ix_day_range(ix, since, until, &lo, &hi)) < 0)
		return rc;
	for (d = lo; rc == 0; d++) {
		if ((rc = mt_ix_day_next(ix, d, hi, &d)) <= 0)
			break;
		rc = mt_ix_stmt(ix, IX_ST_FIND_DAY, &st);
		if (rc != 0)
			break;
		sqlite3_bind_int64(st, 1, d);
		sqlite3_bind_int64(st, 2, mt_ix_keyval(ix, key));
		sqlite3_bind_int64(st, 3, since ? since : INT64_MIN);
		sqlite3_bind_int64(st, 4, until ? until : INT64_MAX);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			hits_push(&h, &nh, &cap, sqlite3_column_int64(st, 0),
			    sqlite3_column_int64(st, 1));
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			rc = mt_ix_db_err(ix, "read index");
			break;
		}
		rc = 0;
		if (d == INT64_MAX)
			break;
	}
	if (rc < 0) {
		free(h);
		return rc;
	}
	hits_out(h, nh, blks, n);
	free(h);
	return 0;
}

/* mt_ix_blocks - ids of every block overlapping [since, until], by tmin */
int
mt_ix_blocks(struct mt_ix *ix, int64_t since, int64_t until, int64_t **blks,
    size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	mt_ix_idle(ix);
	*blks = NULL;
	*n = 0;
	if (mt_ix_stmt(ix, IX_ST_BLOCKS, &st) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(st, 1, since ? mt_ix_day(since) : INT64_MIN);
	sqlite3_bind_int64(st, 2, until ? mt_ix_day(until) : INT64_MAX);
	sqlite3_bind_int64(st, 3, since ? since : INT64_MIN);
	sqlite3_bind_int64(st, 4, until ? until : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*blks = mt_reallocarray(*blks, cap, sizeof(**blks));
		}
		(*blks)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*blks);
		*blks = NULL;
		*n = 0;
		return mt_ix_db_err(ix, "read blocks");
	}
	if (*blks == NULL)
		*blks = mt_malloc(sizeof(**blks));
	return 0;
}

/*
 * ix_blob_read - read len bytes at off of the open blob into ix->zbuf;
 * 0 or -MT_ERR_DB
 */
static int
ix_blob_read(struct mt_ix *ix, int64_t blk, size_t off, size_t len)
{
	if (len == 0)
		return 0;
	if (off > ix->zbuf.len || len > ix->zbuf.len - off ||
	    len > INT_MAX || off > INT_MAX ||
	    sqlite3_blob_read(ix->blob, ix->zbuf.data + off, (int)len,
	    (int)off) != SQLITE_OK) {
		mt_warnx("%s: block %lld: cannot read it: %s", ix->path,
		    (long long)blk, sqlite3_errmsg(ix->db));
		return -MT_ERR_DB;
	}
	return 0;
}

/*
 * ix_load_part - snapshot: read only the header and the two frames one
 * chunk needs (a block's row holds every chunk); 1 if the row is not
 * found or cannot be read this way (the caller reads it whole)
 */
static int
ix_load_part(struct mt_ix *ix, int64_t blk, int chunk,
    struct mt_ix_block **out)
{
	struct mt_ix_span fr[2];
	size_t n, h;
	int i, rc;

	if (ix->blob == NULL)
		rc = sqlite3_blob_open(ix->db, "main", "blocks", "data", blk,
		    0, &ix->blob);
	else
		rc = sqlite3_blob_reopen(ix->blob, blk);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(ix->blob);
		ix->blob = NULL;
		return 1;
	}
	n = (size_t)sqlite3_blob_bytes(ix->blob);
	h = n < MT_IX_BLOB_HDR_MAX ? n : MT_IX_BLOB_HDR_MAX;
	mt_buf_reset(&ix->zbuf);
	if (mt_buf_reserve(&ix->zbuf, n + 1) != 0)
		return 1;
	ix->zbuf.len = n;
	if (ix_blob_read(ix, blk, 0, h) != 0)
		return -MT_ERR_DB;
	if (mt_ix_blob_frames(ix->zbuf.data, h, n, chunk, fr) != 0)
		return 1;	/* corrupt: the whole read reports why */
	for (i = 0; i < 2; i++) {
		/* the part not read with the header */
		size_t off = fr[i].off, end = fr[i].off + fr[i].len;

		if (end <= h || (i == 1 && fr[1].off == fr[0].off))
			continue;
		if (off < h)
			off = h;
		if (ix_blob_read(ix, blk, off, end - off) != 0)
			return -MT_ERR_DB;
	}
	return mt_ix_block_decode(ix, blk, chunk, ix->zbuf.data, n, out);
}

/* ix_load - read block blk and decode it whole (chunk < 0) or one chunk */
static int
ix_load(struct mt_ix *ix, int64_t blk, int chunk, struct mt_ix_block **out)
{
	sqlite3_stmt *st;
	int rc;

	mt_ix_idle(ix);
	*out = NULL;
	if (ix->snap && chunk >= 0 &&
	    (rc = ix_load_part(ix, blk, chunk, out)) <= 0)
		return rc;
	if (mt_ix_stmt(ix, IX_ST_BLK_GET, &st) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(st, 1, blk);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = mt_ix_block_decode(ix, blk, chunk,
		    sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), out);
	else if (rc == SQLITE_DONE) {
		mt_warnx("%s: block %lld not found (pruned meanwhile?)",
		    ix->path, (long long)blk);
		rc = -MT_ERR_DB;
	} else
		rc = mt_ix_db_err(ix, "read block");
	sqlite3_reset(st);
	return rc;
}

/* mt_ix_block_load - read and decompress one whole block (checks sizes) */
int
mt_ix_block_load(struct mt_ix *ix, int64_t blk, struct mt_ix_block **out)
{
	return ix_load(ix, blk, -1, out);
}

/* mt_ix_chunk_load - read and decompress the chunk a ref names */
int
mt_ix_chunk_load(struct mt_ix *ix, int64_t ref, struct mt_ix_block **out)
{
	int rc;

	if (ref < 0)
		return ix_load(ix, ref, -1, out);
	rc = ix_load(ix, mt_ix_ref_block(ref), (int)(ref % MT_IX_CHUNKS_MAX),
	    out);
	if (rc == 0)
		(*out)->id = ref;
	return rc;
}

/* mt_ix_ref - the ref of chunk c of block blk */
int64_t
mt_ix_ref(int64_t blk, uint32_t c)
{
	return blk * MT_IX_CHUNKS_MAX + (int64_t)c;
}

/* mt_ix_ref_block - the block a ref lies in */
int64_t
mt_ix_ref_block(int64_t ref)
{
	return ref / MT_IX_CHUNKS_MAX;
}

/* ---- statistics ---- */

/* mt_ix_stats - counts and sizes of the store */
int
mt_ix_stats(struct mt_ix *ix, struct mt_ix_stats *st)
{
	sqlite3_stmt *q = NULL;
	int64_t v, psz;
	int rc;

	mt_ix_idle(ix);
	memset(st, 0, sizeof(*st));
	if (sqlite3_prepare_v2(ix->db, "SELECT count(*), total(nrec),"
	    " total(raw_len), total(length(data)), min(tmin), max(tmax)"
	    " FROM blocks", -1, &q, NULL) != SQLITE_OK)
		return mt_ix_db_err(ix, "stats");
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(q);
		return mt_ix_db_err(ix, "stats");
	}
	st->blocks = (uint64_t)sqlite3_column_int64(q, 0);
	st->records = (uint64_t)sqlite3_column_double(q, 1);
	st->raw_bytes = (uint64_t)sqlite3_column_double(q, 2);
	st->comp_bytes = (uint64_t)sqlite3_column_double(q, 3);
	st->tmin = sqlite3_column_int64(q, 4);
	st->tmax = sqlite3_column_int64(q, 5);
	sqlite3_finalize(q);
	if (mt_ix_pragma_int(ix, "SELECT count(*) FROM ix", &v) != 0)
		return -MT_ERR_DB;
	st->keys = (uint64_t)v;
	if (mt_ix_pragma_int(ix, "SELECT count(*) FROM files", &v) != 0)
		return -MT_ERR_DB;
	st->files = (uint64_t)v;
	if (mt_ix_pragma_int(ix, "PRAGMA page_count", &v) != 0 ||
	    mt_ix_pragma_int(ix, "PRAGMA page_size", &psz) != 0)
		return -MT_ERR_DB;
	st->db_bytes = (uint64_t)v * (uint64_t)psz;
	return 0;
}
