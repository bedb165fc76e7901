/*
 * mt_ix_prune.c - retention: delete every record older than a cutoff
 *
 * NAME
 *	mt_ix_prune - drop old days, rewrite the cutoff day's blocks
 *
 * DESCRIPTION
 *	Three steps, each in short transactions so that a concurrent trace
 *	never waits long and a kill -9 at any point leaves a consistent
 *	store that the next run finishes:
 *
 *	1. every day before the cutoff's day: its ix rows (a range of the
 *	   primary key) and its blocks go, one transaction per day;
 *	2. blocks of the cutoff day that end before the cutoff go with
 *	   their ix rows, in one transaction;
 *	3. blocks of the cutoff day that straddle it are rewritten without
 *	   the older records, one transaction per block, keeping their id:
 *	   keyfn re-derives the keys of the old and of the kept records,
 *	   and the ix rows of keys no longer present are deleted.  Without
 *	   a keyfn the block keeps its ix rows (harmless false hits).
 *
 *	Pruned text must be gone from the database file and its WAL.  In
 *	steps 1 and 2 the transaction that deletes also runs PRAGMA
 *	incremental_vacuum: every freed page is then either cut off the
 *	file or overwritten by a live page moved into it, and cells left in
 *	b-tree pages are zeroed by secure_delete FAST, so the freed pages
 *	are not zeroed first (half the writes; a store without incremental
 *	auto_vacuum keeps secure_delete ON).  Step 3 frees pages under
 *	secure_delete ON.  At the end the remaining free pages go and the WAL
 *	is checkpointed and truncated.  A dry run reads and compresses but
 *	writes nothing.
 *
 * DIAGNOSTICS
 *	SQLite errors with the store path; a corrupt block at the cutoff is
 *	reported, left alone, and makes the call return -MT_ERR_DB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_ix_int.h"

/* prune_stat - add count/records/bytes of a selection to the stats */
static int
prune_stat(struct mt_ix *ix, enum mt_ix_st id, int64_t day, int64_t cutoff,
    struct mt_ix_prune_stats *st)
{
	sqlite3_stmt *q;
	int rc;

	if (mt_ix_stmt(ix, id, &q) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(q, 1, day);
	if (sqlite3_bind_parameter_count(q) >= 2)
		sqlite3_bind_int64(q, 2, cutoff);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		st->blocks += (uint64_t)sqlite3_column_int64(q, 0);
		st->records += (uint64_t)sqlite3_column_double(q, 1);
		st->bytes += (uint64_t)sqlite3_column_double(q, 2);
		rc = 0;
	} else
		rc = mt_ix_db_err(ix, "prune");
	sqlite3_reset(q);
	return rc;
}

/* prune_run - step a write statement bound to (a, b[, c]) to completion */
static int
prune_run(struct mt_ix *ix, enum mt_ix_st id, int64_t a, int64_t b,
    int64_t c)
{
	sqlite3_stmt *q;
	int n, rc;

	if (mt_ix_stmt(ix, id, &q) != 0)
		return -MT_ERR_DB;
	n = sqlite3_bind_parameter_count(q);
	sqlite3_bind_int64(q, 1, a);
	if (n >= 2)
		sqlite3_bind_int64(q, 2, b);
	if (n >= 3)
		sqlite3_bind_int64(q, 3, c);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return mt_ix_db_err(ix, "prune");
	return 0;
}

/* prune_days - step 1: whole days before the cutoff's day */
static int
prune_days(struct mt_ix *ix, int64_t cday, int dry_run,
    struct mt_ix_prune_stats *st)
{
	int64_t d = INT64_MIN;
	int rc;

	if (cday == INT64_MIN)
		return 0;
	while ((rc = mt_ix_day_next(ix, d, cday - 1, &d)) == 1) {
		if (!dry_run && mt_ix_begin(ix) != 0)
			return -MT_ERR_DB;
		if (prune_stat(ix, IX_ST_PR_DAY_STAT, d, 0, st) != 0)
			goto fail;
		if (!dry_run) {
			if (prune_run(ix, IX_ST_PR_DAY_DEL_IX, d, 0, 0) != 0 ||
			    prune_run(ix, IX_ST_PR_DAY_DEL_BLK, d, 0, 0) != 0 ||
			    mt_ix_exec(ix, "PRAGMA incremental_vacuum") != 0 ||
			    mt_ix_end(ix, 1) != 0)
				goto fail;
		}
		if (d == cday - 1)
			break;
		d++;
	}
	return rc < 0 ? rc : 0;
fail:
	(void)mt_ix_end(ix, 0);
	return -MT_ERR_DB;
}

/* prune_old_blocks - step 2: cutoff-day blocks wholly before the cutoff */
static int
prune_old_blocks(struct mt_ix *ix, int64_t cday, int64_t cutoff, int dry_run,
    struct mt_ix_prune_stats *st)
{
	if (dry_run)
		return prune_stat(ix, IX_ST_PR_OLD_STAT, cday, cutoff, st);
	if (mt_ix_begin(ix) != 0)
		return -MT_ERR_DB;
	if (prune_stat(ix, IX_ST_PR_OLD_STAT, cday, cutoff, st) != 0 ||
	    prune_run(ix, IX_ST_PR_OLD_DEL_IX, cday, cutoff, 0) != 0 ||
	    prune_run(ix, IX_ST_PR_OLD_DEL_BLK, cday, cutoff, 0) != 0 ||
	    mt_ix_exec(ix, "PRAGMA incremental_vacuum") != 0 ||
	    mt_ix_end(ix, 1) != 0) {
		(void)mt_ix_end(ix, 0);
		return -MT_ERR_DB;
	}
	return 0;
}

/* rec_keys - stored key values of one record, tagged with chunk, into set */
static void
rec_keys(struct mt_ix *ix, mt_ix_keyfn keyfn, void *arg,
    const struct mt_ix_rec *r, uint32_t chunk, uint64_t *kb,
    struct mt_ix_kset *set)
{
	size_t i, n;

	n = keyfn(arg, r->time, r->fmt, r->p, r->n, kb, MT_IX_REC_KEYS);
	if (n > MT_IX_REC_KEYS)
		n = MT_IX_REC_KEYS;
	for (i = 0; i < n; i++)
		mt_ix_kset_add(set, mt_ix_kref(mt_ix_keyval(ix, kb[i]), chunk));
}

/*
 * old_keys - without a key function, keep every key of block id's rows,
 * filed under each of the rewritten block's nch chunks (false hits are
 * filtered by the reader; a record is never lost from the index)
 */
static int
old_keys(struct mt_ix *ix, int64_t day, int64_t id, uint32_t nch,
    struct mt_ix_kset *newk)
{
	sqlite3_stmt *q;
	uint32_t c;
	int rc;

	if (mt_ix_stmt(ix, IX_ST_PR_BLK_KEYS, &q) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(q, 1, day);
	sqlite3_bind_int64(q, 2, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		for (c = 0; c < nch; c++)
			mt_ix_kset_add(newk,
			    mt_ix_kref(sqlite3_column_int64(q, 0), c));
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return mt_ix_db_err(ix, "prune");
	return 0;
}

/* rewrite_keys - replace the ix rows of block id by those of newk */
static int
rewrite_keys(struct mt_ix *ix, int64_t day, int64_t id,
    const struct mt_ix_kset *newk)
{
	int64_t *a = NULL, key;
	size_t na, ca = 0, i;
	uint32_t c;
	int rc;

	rc = prune_run(ix, IX_ST_PR_BLK_DEL_IX, day, id, 0);
	na = mt_ix_kset_sorted(newk, &a, &ca);
	for (i = 0; rc == 0 && i < na; i++) {
		mt_ix_kref_split(a[i], &key, &c);
		rc = prune_run(ix, IX_ST_IX_INS, day, key, mt_ix_ref(id, c));
	}
	free(a);
	return rc;
}

struct prune_rw {
	struct mt_ix_wblk w;
	struct mt_ix_kset newk;
	uint64_t kb[MT_IX_REC_KEYS];
};

/* prune_block - step 3 for one block: rewrite it without old records */
static int
prune_block(struct mt_ix *ix, int64_t id, int64_t day, int64_t cutoff,
    int dry_run, mt_ix_keyfn keyfn, void *arg, struct prune_rw *rw,
    struct mt_ix_prune_stats *st)
{
	struct mt_ix_block *b = NULL;
	struct mt_ix_rec r;
	sqlite3_stmt *q;
	uint64_t removed = 0;
	size_t zold;
	int rc = -MT_ERR_DB;

	mt_ix_wblk_reset(&rw->w);
	mt_ix_kset_clear(&rw->newk);
	if (!dry_run && mt_ix_begin(ix) != 0)
		return -MT_ERR_DB;
	if (mt_ix_stmt(ix, IX_ST_BLK_GET, &q) != 0)
		goto out;
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		rc = 0;		/* gone meanwhile */
		goto out;
	}
	zold = (size_t)sqlite3_column_bytes(q, 0);
	rc = mt_ix_block_decode(ix, id, -1, sqlite3_column_blob(q, 0), zold,
	    &b);
	sqlite3_reset(q);
	if (rc != 0)
		goto out;
	rc = -MT_ERR_DB;
	while (mt_ix_block_next(b, &r)) {
		if (r.time < cutoff) {
			removed++;
			continue;
		}
		if (mt_ix_wblk_add(&rw->w, r.time, r.fmt, r.p, r.n) != 0)
			goto out;
		if (keyfn != NULL)
			rec_keys(ix, keyfn, arg, &r, rw->w.ch.n - 1, rw->kb,
			    &rw->newk);
	}
	if (removed == 0) {
		rc = 0;
		goto out;
	}
	st->records += removed;
	st->blocks++;
	if (rw->w.nrec == 0) {
		st->bytes += zold;
		if (!dry_run && (prune_run(ix, IX_ST_PR_BLK_DEL_IX, day, id,
		    0) != 0 || prune_run(ix, IX_ST_PR_BLK_DEL, id, 0, 0) != 0))
			goto out;
		rc = 0;
		goto out;
	}
	if (mt_ix_compress(ix, &rw->w.raw, &rw->w.ch) != 0)
		goto out;
	if (zold > ix->zbuf.len)
		st->bytes += zold - ix->zbuf.len;
	if (!dry_run) {
		if (mt_ix_stmt(ix, IX_ST_PR_BLK_UPD, &q) != 0)
			goto out;
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, rw->w.tmin);
		sqlite3_bind_int64(q, 3, rw->w.tmax);
		sqlite3_bind_int64(q, 4, rw->w.nrec);
		sqlite3_bind_int64(q, 5, (sqlite3_int64)rw->w.raw.len);
		sqlite3_bind_blob64(q, 6, ix->zbuf.data, ix->zbuf.len,
		    SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE) {
			mt_ix_db_err(ix, "prune: rewrite block");
			sqlite3_reset(q);
			goto out;
		}
		sqlite3_reset(q);
		if (keyfn == NULL &&
		    old_keys(ix, day, id, rw->w.ch.n, &rw->newk) != 0)
			goto out;
		if (rewrite_keys(ix, day, id, &rw->newk) != 0)
			goto out;
	}
	rc = 0;
out:
	mt_ix_block_free(b);
	if (!dry_run && mt_ix_end(ix, rc == 0) != 0)
		rc = -MT_ERR_DB;
	return rc;
}

/* prune_straddle - step 3: every cutoff-day block holding older records */
static int
prune_straddle(struct mt_ix *ix, int64_t cday, int64_t cutoff, int dry_run,
    mt_ix_keyfn keyfn, void *arg, struct mt_ix_prune_stats *st)
{
	struct prune_rw *rw;
	sqlite3_stmt *q;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc, bad = 0;

	if (mt_ix_stmt(ix, IX_ST_PR_STRADDLE, &q) != 0)
		return -MT_ERR_DB;
	sqlite3_bind_int64(q, 1, cday);
	sqlite3_bind_int64(q, 2, cutoff);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			ids = mt_reallocarray(ids, cap, sizeof(ids[0]));
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		free(ids);
		return mt_ix_db_err(ix, "prune");
	}
	rw = mt_calloc(1, sizeof(*rw));
	mt_ix_wblk_init(&rw->w);
	mt_ix_kset_init(&rw->newk);
	for (i = 0, rc = 0; i < n; i++) {
		rc = prune_block(ix, ids[i], cday, cutoff, dry_run, keyfn, arg,
		    rw, st);
		if (rc != 0 && rc != -MT_ERR_DB)
			break;
		if (rc != 0)
			bad = 1;	/* reported; go on with the others */
		rc = 0;
	}
	mt_ix_wblk_free(&rw->w);
	mt_ix_kset_free(&rw->newk);
	free(rw);
	free(ids);
	return rc != 0 ? rc : bad ? -MT_ERR_DB : 0;
}

/* prune_reclaim - return the free pages left, checkpoint, truncate the WAL */
static int
prune_reclaim(struct mt_ix *ix)
{
	int64_t busy;

	if (mt_ix_exec(ix, "PRAGMA incremental_vacuum") != 0 ||
	    mt_ix_pragma_int(ix, "PRAGMA wal_checkpoint(TRUNCATE)",
	    &busy) != 0)
		return -MT_ERR_DB;
	if (busy)
		mt_warnx("%s: readers kept the WAL from being truncated; "
		    "pruned data leaves it at the next checkpoint", ix->path);
	return 0;
}

/*
 * prune_fast - secure_delete FAST for the whole-block steps when every
 * free page goes in the same transaction (auto_vacuum incremental): the
 * pages of deleted blocks are then cut off or overwritten by the pages
 * moved into them, so zeroing them first would only double the writes.
 * 1 when set, 0 when the store keeps secure_delete ON, <0 on error.
 */
static int
prune_fast(struct mt_ix *ix)
{
	int64_t av;

	if (mt_ix_pragma_int(ix, "PRAGMA auto_vacuum", &av) != 0)
		return -MT_ERR_DB;
	if (av != 2)
		return 0;
	if (mt_ix_exec(ix, "PRAGMA secure_delete = FAST") != 0)
		return -MT_ERR_DB;
	return 1;
}

/* prune_size - database size in bytes */
static int
prune_size(struct mt_ix *ix, uint64_t *out)
{
	int64_t pc, ps;

	if (mt_ix_pragma_int(ix, "PRAGMA page_count", &pc) != 0 ||
	    mt_ix_pragma_int(ix, "PRAGMA page_size", &ps) != 0)
		return -MT_ERR_DB;
	*out = (uint64_t)pc * (uint64_t)ps;
	return 0;
}

/* mt_ix_prune - delete every record with time < cutoff */
int
mt_ix_prune(struct mt_ix *ix, int64_t cutoff, int dry_run, mt_ix_keyfn keyfn,
    void *arg, struct mt_ix_prune_stats *st)
{
	int64_t cday = mt_ix_day(cutoff);
	int rc, fast = 0;

	memset(st, 0, sizeof(*st));
	if (!dry_run && (ix->flags & MT_IX_RDONLY)) {
		mt_warnx("%s: store opened read-only", ix->path);
		return -MT_ERR_USAGE;
	}
	mt_ix_idle(ix);
	if (ix->in_tx || ix->dirty) {
		mt_warnx("%s: prune with uncommitted records", ix->path);
		return -MT_ERR_USAGE;
	}
	if (prune_size(ix, &st->db_before) != 0)
		return -MT_ERR_DB;
	if (!dry_run && (fast = prune_fast(ix)) < 0)
		return -MT_ERR_DB;
	rc = prune_days(ix, cday, dry_run, st);
	if (rc == 0)
		rc = prune_old_blocks(ix, cday, cutoff, dry_run, st);
	/* rewritten blocks leave free pages behind: zero them */
	if (fast > 0 && mt_ix_exec(ix, "PRAGMA secure_delete = ON") != 0)
		rc = -MT_ERR_DB;
	if (rc == 0)
		rc = prune_straddle(ix, cday, cutoff, dry_run, keyfn, arg, st);
	if (!dry_run && (rc == 0 || rc == -MT_ERR_DB) && prune_reclaim(ix) != 0)
		rc = -MT_ERR_DB;
	if (prune_size(ix, &st->db_after) != 0)
		return -MT_ERR_DB;
	return rc;
}
