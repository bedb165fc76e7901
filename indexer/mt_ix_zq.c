/*
 * mt_ix_zq.c - compress and write blocks on two threads while parsing goes on
 *
 * NAME
 *	mt_ix_zq - two small bounded queues: raw blocks for a zstd worker,
 *	compressed blocks for a store writer
 *
 * SUMMARY
 *	zq = mt_ix_zq_new(write, arg); j = mt_ix_zq_take(zq);
 *	(fill j: a block, or a commit) mt_ix_zq_submit(zq); ...
 *	rc = mt_ix_zq_wait(zq, MT_IX_ZQ_WAIT_ALL); mt_ix_zq_free(zq)
 *
 * DESCRIPTION
 *	The caller (the thread that owns the struct mt_ix) fills jobs of a
 *	ring of MT_IX_ZQ_LEN and submits them in order: closed raw blocks,
 *	and commit marks that end a transaction.  The worker compresses
 *	blocks (a ZSTD_CCtx of its own at MT_IX_ZLEVEL) and moves each
 *	result, commit marks too, to a second ring of MT_IX_WQ_LEN, which
 *	holds no raw text and can therefore be long; the writer calls
 *	write() for each job there, which inserts the block, or writes the
 *	held index rows and the file's progress and commits.  A commit's
 *	burst of index writes thus runs while parsing and compression go
 *	on.  Block ids, index rows and transactions are exactly those of a
 *	single-threaded run.  While jobs are queued the writer owns the
 *	SQLite connection: the caller waits for the queue (mt_ix_zq_wait)
 *	before it touches SQLite itself.
 *
 *	A job's state (FREE, QUEUED, PACKED) changes only under the mutex,
 *	which orders the caller's filling before the worker's reading, the
 *	worker's output before the writer's use, and each release before
 *	the job is filled again.  If the threads cannot be started,
 *	mt_ix_zq_submit compresses and writes on the caller's thread
 *	instead: slower, same result.
 *
 *	When write() fails (it reports and rolls back), the writer drops the
 *	jobs up to the next commit mark: that transaction is lost as a
 *	whole, the next one starts afresh.  The first failure is kept for
 *	mt_ix_zq_wait to return.
 *
 *	Memory is bounded: MT_IX_ZQ_LEN raw blocks and MT_IX_WQ_LEN
 *	compressed ones at most, whatever the input size.  mt_ix_zq_free
 *	stops both threads after the job in hand and drops the rest
 *	(uncommitted data, rolled back by the caller).
 *
 * DIAGNOSTICS
 *	None here: write() reports its own failures, and a compression
 *	failure is kept in the job (zret) for write() to report.  Failure to
 *	create a context is mt_panic.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd_errors.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_ix_int.h"

enum {
	ZJ_FREE,
	ZJ_QUEUED,	/* submitted, for the worker */
	ZJ_PACKED	/* compressed (or a commit mark), for the writer */
};

struct mt_ix_zq {
	pthread_mutex_t mu;
	pthread_cond_t	queued;	/* a raw job was queued, or stop */
	pthread_cond_t	packed;	/* a job was compressed, or stop */
	pthread_cond_t	rfreed;	/* a raw job was released */
	pthread_cond_t	wfreed;	/* a compressed job was written, or stop */
	pthread_t	zthr, wthr;
	int		running;	/* both threads were started */
	int		tried;		/* and starting them was tried */
	int		stop;
	int		err;		/* first write() failure, until waited */
	int		dropping;	/* writer: skip to the next commit mark */
	int		(*write)(void *, struct mt_ix_zjob *);
	void		*arg;
	ZSTD_CCtx	*cctx;		/* the worker's (or the fallback's) */
	struct mt_ix_zjob job[MT_IX_ZQ_LEN];	/* raw, for the worker */
	struct mt_ix_zjob wjob[MT_IX_WQ_LEN];	/* packed, for the writer */
	unsigned	tail;		/* caller: next job to take */
	unsigned	zpos;		/* worker: next job to compress */
	unsigned	ppos;		/* worker: next wjob to fill */
	unsigned	wpos;		/* writer: next wjob to write */
	unsigned	npend;		/* submitted and not written */
	unsigned	nmark;		/* commit marks among them */
};

/* zq_pack - compress one block job (no lock held: the job is ours) */
static void
zq_pack(struct mt_ix_zq *zq, struct mt_ix_zjob *j)
{
	j->rawlen = j->raw.len;
	j->zret = 0;
	if (j->kind == MT_IX_ZJ_BLOCK)
		j->zret = mt_ix_encode(zq->cctx, &j->raw, &j->ch, &j->z);
}

/*
 * zq_move - hand a packed job's results (all but raw) to a writer's job;
 * the compressed bytes are copied, so that the writer's buffers are no
 * larger than what they hold (the worker's is sized for the worst case)
 */
static void
zq_move(struct mt_ix_zjob *to, struct mt_ix_zjob *from)
{
	struct mt_ix_kset tk;

	to->kind = from->kind;
	to->day = from->day;
	to->tmin = from->tmin;
	to->tmax = from->tmax;
	to->nrec = from->nrec;
	to->zret = from->zret;
	to->rawlen = from->rawlen;
	to->has_file = from->has_file;
	to->file = from->file;
	to->fname = from->fname;
	from->fname = NULL;
	mt_buf_reset(&to->z);
	if (!ZSTD_isError(from->zret) &&
	    mt_buf_append(&to->z, from->z.data, from->z.len) != 0)
		to->zret = (size_t)-(int)ZSTD_error_memory_allocation;
	tk = to->keys;		/* the emptied set goes back for reuse */
	to->keys = from->keys;
	from->keys = tk;
	mt_buf_reset(&from->raw);
}

/* zq_write - hand one job to write() unless dropping; returns its result */
static int
zq_write(struct mt_ix_zq *zq, struct mt_ix_zjob *j)
{
	int rc = 0;

	if (zq->dropping) {
		if (j->kind == MT_IX_ZJ_COMMIT)
			zq->dropping = 0;	/* the failed batch ends */
		return 0;
	}
	rc = zq->write(zq->arg, j);
	if (rc != 0 && j->kind == MT_IX_ZJ_BLOCK)
		zq->dropping = 1;
	return rc;
}

/* zq_release_data - empty a written job (no lock held: the job is ours) */
static void
zq_release_data(struct mt_ix_zjob *j)
{
	mt_buf_reset(&j->raw);
	mt_buf_reset(&j->z);
	mt_ix_kset_clear(&j->keys);
	free(j->fname);
	j->fname = NULL;
}

/* zq_done - under the mutex: a written job is free again */
static void
zq_done(struct mt_ix_zq *zq, struct mt_ix_zjob *j, int rc)
{
	if (rc != 0 && zq->err == 0)
		zq->err = rc;
	if (j->kind == MT_IX_ZJ_COMMIT)
		zq->nmark--;
	zq->npend--;
	j->state = ZJ_FREE;
	pthread_cond_broadcast(&zq->wfreed);
}

/* zq_worker - compress queued jobs in order until told to stop */
static void *
zq_worker(void *arg)
{
	struct mt_ix_zq *zq = arg;
	struct mt_ix_zjob *j, *w;

	pthread_mutex_lock(&zq->mu);
	for (;;) {
		j = &zq->job[zq->zpos];
		while (!zq->stop && j->state != ZJ_QUEUED)
			pthread_cond_wait(&zq->queued, &zq->mu);
		if (zq->stop)
			break;
		pthread_mutex_unlock(&zq->mu);
		zq_pack(zq, j);
		pthread_mutex_lock(&zq->mu);
		w = &zq->wjob[zq->ppos];
		while (!zq->stop && w->state != ZJ_FREE)
			pthread_cond_wait(&zq->wfreed, &zq->mu);
		if (zq->stop)
			break;
		pthread_mutex_unlock(&zq->mu);
		zq_move(w, j);
		pthread_mutex_lock(&zq->mu);
		j->state = ZJ_FREE;
		w->state = ZJ_PACKED;
		zq->zpos = (zq->zpos + 1) % MT_IX_ZQ_LEN;
		zq->ppos = (zq->ppos + 1) % MT_IX_WQ_LEN;
		pthread_cond_signal(&zq->rfreed);
		pthread_cond_signal(&zq->packed);
	}
	pthread_mutex_unlock(&zq->mu);
	return NULL;
}

/* zq_writer - write compressed jobs in order until told to stop */
static void *
zq_writer(void *arg)
{
	struct mt_ix_zq *zq = arg;
	struct mt_ix_zjob *j;
	int rc;

	pthread_mutex_lock(&zq->mu);
	for (;;) {
		j = &zq->wjob[zq->wpos];
		while (!zq->stop && j->state != ZJ_PACKED)
			pthread_cond_wait(&zq->packed, &zq->mu);
		if (zq->stop)
			break;
		pthread_mutex_unlock(&zq->mu);
		rc = zq_write(zq, j);
		zq_release_data(j);
		pthread_mutex_lock(&zq->mu);
		zq->wpos = (zq->wpos + 1) % MT_IX_WQ_LEN;
		zq_done(zq, j, rc);
	}
	pthread_mutex_unlock(&zq->mu);
	return NULL;
}

/* zq_job_init - an empty job */
static void
zq_job_init(struct mt_ix_zjob *j)
{
	memset(j, 0, sizeof(*j));
	mt_buf_init(&j->raw, MT_IX_BLOCK_MAX);
	mt_buf_init(&j->z, 0);
	mt_ix_kset_init(&j->keys);
	j->state = ZJ_FREE;
}

/* zq_job_free - release a job's storage */
static void
zq_job_free(struct mt_ix_zjob *j)
{
	mt_buf_free(&j->raw);
	mt_buf_free(&j->z);
	mt_ix_kset_free(&j->keys);
	free(j->fname);
	j->fname = NULL;
}

/* mt_ix_zq_new - an empty queue (threads start on first use) */
struct mt_ix_zq *
mt_ix_zq_new(int (*write)(void *, struct mt_ix_zjob *), void *arg)
{
	struct mt_ix_zq *zq;
	int i;

	zq = mt_calloc(1, sizeof(*zq));
	zq->write = write;
	zq->arg = arg;
	zq->cctx = ZSTD_createCCtx();
	if (zq->cctx == NULL || ZSTD_isError(ZSTD_CCtx_setParameter(zq->cctx,
	    ZSTD_c_compressionLevel, MT_IX_ZLEVEL)))
		mt_panic("zstd: cannot create a compression context");
	for (i = 0; i < MT_IX_ZQ_LEN; i++)
		zq_job_init(&zq->job[i]);
	for (i = 0; i < MT_IX_WQ_LEN; i++)
		zq_job_init(&zq->wjob[i]);
	if (pthread_mutex_init(&zq->mu, NULL) != 0 ||
	    pthread_cond_init(&zq->queued, NULL) != 0 ||
	    pthread_cond_init(&zq->packed, NULL) != 0 ||
	    pthread_cond_init(&zq->rfreed, NULL) != 0 ||
	    pthread_cond_init(&zq->wfreed, NULL) != 0)
		mt_panic("cannot initialise the compression queue");
	return zq;
}

/* zq_stop - stop the threads after the jobs in hand */
static void
zq_stop(struct mt_ix_zq *zq, int writer)
{
	pthread_mutex_lock(&zq->mu);
	zq->stop = 1;
	pthread_cond_broadcast(&zq->queued);
	pthread_cond_broadcast(&zq->packed);
	pthread_cond_broadcast(&zq->wfreed);
	pthread_mutex_unlock(&zq->mu);
	pthread_join(zq->zthr, NULL);
	if (writer)
		pthread_join(zq->wthr, NULL);
	zq->stop = 0;
}

/* zq_start - start the threads once; without them the caller does it all */
static void
zq_start(struct mt_ix_zq *zq)
{
	if (zq->tried)
		return;
	zq->tried = 1;		/* once: no threads here is not an error */
	if (pthread_create(&zq->zthr, NULL, zq_worker, zq) != 0)
		return;
	if (pthread_create(&zq->wthr, NULL, zq_writer, zq) != 0) {
		zq_stop(zq, 0);
		return;
	}
	zq->running = 1;
}

/*
 * mt_ix_zq_take - the next job to fill, waiting for the writer to release
 * one if all are in use; its kind is MT_IX_ZJ_BLOCK until changed
 */
struct mt_ix_zjob *
mt_ix_zq_take(struct mt_ix_zq *zq)
{
	struct mt_ix_zjob *j = &zq->job[zq->tail];

	pthread_mutex_lock(&zq->mu);
	while (j->state != ZJ_FREE)
		pthread_cond_wait(&zq->rfreed, &zq->mu);
	pthread_mutex_unlock(&zq->mu);
	j->kind = MT_IX_ZJ_BLOCK;
	return j;
}

/* mt_ix_zq_submit - queue the job mt_ix_zq_take returned */
void
mt_ix_zq_submit(struct mt_ix_zq *zq)
{
	struct mt_ix_zjob *j = &zq->job[zq->tail];
	int rc;

	zq->tail = (zq->tail + 1) % MT_IX_ZQ_LEN;
	zq_start(zq);
	if (!zq->running) {		/* all on this thread */
		zq_pack(zq, j);
		rc = zq_write(zq, j);
		zq_release_data(j);
		if (j->kind == MT_IX_ZJ_COMMIT)
			zq->nmark++;
		zq->npend++;
		zq_done(zq, j, rc);
		return;
	}
	pthread_mutex_lock(&zq->mu);
	j->state = ZJ_QUEUED;
	zq->npend++;
	if (j->kind == MT_IX_ZJ_COMMIT)
		zq->nmark++;
	pthread_cond_signal(&zq->queued);
	pthread_mutex_unlock(&zq->mu);
}

/*
 * mt_ix_zq_wait - wait until every submitted job was written (what is
 * ZQ_WAIT_ALL) or every commit mark was (ZQ_WAIT_COMMITS); returns the
 * first write() failure since the last wait, and forgets it
 */
int
mt_ix_zq_wait(struct mt_ix_zq *zq, int what)
{
	int rc;

	pthread_mutex_lock(&zq->mu);
	while (what == MT_IX_ZQ_WAIT_ALL ? zq->npend > 0 : zq->nmark > 0)
		pthread_cond_wait(&zq->wfreed, &zq->mu);
	rc = zq->err;
	zq->err = 0;
	pthread_mutex_unlock(&zq->mu);
	return rc;
}

/* mt_ix_zq_free - stop the threads, drop queued jobs; accepts NULL */
void
mt_ix_zq_free(struct mt_ix_zq *zq)
{
	int i;

	if (zq == NULL)
		return;
	if (zq->running)
		zq_stop(zq, 1);
	pthread_cond_destroy(&zq->queued);
	pthread_cond_destroy(&zq->packed);
	pthread_cond_destroy(&zq->rfreed);
	pthread_cond_destroy(&zq->wfreed);
	pthread_mutex_destroy(&zq->mu);
	for (i = 0; i < MT_IX_ZQ_LEN; i++)
		zq_job_free(&zq->job[i]);
	for (i = 0; i < MT_IX_WQ_LEN; i++)
		zq_job_free(&zq->wjob[i]);
	ZSTD_freeCCtx(zq->cctx);
	free(zq);
}
