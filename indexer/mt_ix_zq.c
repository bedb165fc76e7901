/*
 * mt_ix_zq.c - compress blocks on a second core while parsing goes on
 *
 * NAME
 *	mt_ix_zq - a small bounded queue of raw blocks and one zstd worker
 *
 * SUMMARY
 *	zq = mt_ix_zq_new(); j = mt_ix_zq_take(zq); (fill j->raw, j->keys)
 *	mt_ix_zq_submit(zq); ... j = mt_ix_zq_done(zq, 1); (write j)
 *	mt_ix_zq_pop(zq); mt_ix_zq_free(zq)
 *
 * DESCRIPTION
 *	The writer (the thread that owns the struct mt_ix) hands filled raw
 *	blocks to a ring of MT_IX_ZQ_LEN jobs.  One worker thread compresses
 *	them in the order they were submitted, with its own ZSTD_CCtx at
 *	MT_IX_ZLEVEL, and the writer takes them back in the same order:
 *	block ids, ix rows and the transaction are exactly those of a
 *	single-threaded run.  The worker touches only a job's raw input,
 *	its compressed output and its result; everything else (the job's
 *	metadata and keys, SQLite, diagnostics) stays with the writer.
 *
 *	A job's state (FREE, QUEUED, DONE) changes only under the mutex,
 *	which orders the writer's filling before the worker's reading and
 *	the worker's output before the writer's use of it.  If the worker
 *	cannot be started, mt_ix_zq_done compresses on the writer's thread
 *	instead: slower, same result.
 *
 *	The ring holds MT_IX_ZQ_LEN raw blocks and their compressed copies
 *	(about 2 MB each) at most: memory does not grow with the input.
 *	mt_ix_zq_free stops the worker after the job in hand and drops the
 *	rest (uncommitted data, rolled back with the transaction).
 *
 * DIAGNOSTICS
 *	None here: a compression failure is kept in the job (zret) for the
 *	writer to report.  Failure to create a context is mt_panic.
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
	ZJ_QUEUED,
	ZJ_DONE
};

struct mt_ix_zq {
	pthread_mutex_t mu;
	pthread_cond_t	work;	/* a job was queued, or stop */
	pthread_cond_t	done;	/* a job was compressed */
	pthread_t	thr;
	int		running;	/* the worker was started */
	int		tried;		/* and starting it was tried */
	int		stop;
	ZSTD_CCtx	*cctx;		/* the worker's (or the fallback's) */
	struct mt_ix_zjob job[MT_IX_ZQ_LEN];
	unsigned	head;		/* oldest job not yet popped */
	unsigned	n;		/* jobs submitted and not popped */
	unsigned	wpos;		/* next job for the worker */
};

/* zq_run - compress one job (no lock held: the job is ours) */
static void
zq_run(struct mt_ix_zq *zq, struct mt_ix_zjob *j)
{
	j->zret = mt_ix_encode(zq->cctx, &j->raw, &j->ch, &j->z);
}

/* zq_worker - compress queued jobs in order until told to stop */
static void *
zq_worker(void *arg)
{
	struct mt_ix_zq *zq = arg;
	struct mt_ix_zjob *j;

	pthread_mutex_lock(&zq->mu);
	for (;;) {
		j = &zq->job[zq->wpos];
		while (!zq->stop && j->state != ZJ_QUEUED)
			pthread_cond_wait(&zq->work, &zq->mu);
		if (zq->stop)
			break;
		pthread_mutex_unlock(&zq->mu);
		zq_run(zq, j);
		pthread_mutex_lock(&zq->mu);
		j->state = ZJ_DONE;
		zq->wpos = (zq->wpos + 1) % MT_IX_ZQ_LEN;
		pthread_cond_signal(&zq->done);
	}
	pthread_mutex_unlock(&zq->mu);
	return NULL;
}

/* mt_ix_zq_new - an empty queue and its worker (started on first use) */
struct mt_ix_zq *
mt_ix_zq_new(void)
{
	struct mt_ix_zq *zq;
	int i;

	zq = mt_calloc(1, sizeof(*zq));
	zq->cctx = ZSTD_createCCtx();
	if (zq->cctx == NULL || ZSTD_isError(ZSTD_CCtx_setParameter(zq->cctx,
	    ZSTD_c_compressionLevel, MT_IX_ZLEVEL)))
		mt_panic("zstd: cannot create a compression context");
	for (i = 0; i < MT_IX_ZQ_LEN; i++) {
		mt_buf_init(&zq->job[i].raw, MT_IX_BLOCK_MAX);
		mt_buf_init(&zq->job[i].z, 0);
		mt_ix_kset_init(&zq->job[i].keys);
		zq->job[i].state = ZJ_FREE;
	}
	if (pthread_mutex_init(&zq->mu, NULL) != 0 ||
	    pthread_cond_init(&zq->work, NULL) != 0 ||
	    pthread_cond_init(&zq->done, NULL) != 0)
		mt_panic("cannot initialise the compression queue");
	return zq;
}

/* zq_start - start the worker once; without it the writer compresses */
static void
zq_start(struct mt_ix_zq *zq)
{
	if (zq->tried)
		return;
	zq->tried = 1;		/* once: no threads here is not an error */
	if (pthread_create(&zq->thr, NULL, zq_worker, zq) == 0)
		zq->running = 1;
}

/* mt_ix_zq_full - 1 when every job is in use (pop one before taking) */
int
mt_ix_zq_full(const struct mt_ix_zq *zq)
{
	return zq->n == MT_IX_ZQ_LEN;
}

/* mt_ix_zq_take - the next free job, to fill (the queue must not be full) */
struct mt_ix_zjob *
mt_ix_zq_take(struct mt_ix_zq *zq)
{
	if (mt_ix_zq_full(zq))
		mt_panic("compression queue: take from a full queue");
	return &zq->job[(zq->head + zq->n) % MT_IX_ZQ_LEN];
}

/* mt_ix_zq_submit - queue the job mt_ix_zq_take returned */
void
mt_ix_zq_submit(struct mt_ix_zq *zq)
{
	struct mt_ix_zjob *j = &zq->job[(zq->head + zq->n) % MT_IX_ZQ_LEN];

	zq_start(zq);
	pthread_mutex_lock(&zq->mu);
	j->state = ZJ_QUEUED;
	zq->n++;
	pthread_cond_signal(&zq->work);
	pthread_mutex_unlock(&zq->mu);
}

/*
 * mt_ix_zq_done - the oldest job once it is compressed; NULL if the queue
 * is empty, or if wait is 0 and the worker is not done with it yet
 */
struct mt_ix_zjob *
mt_ix_zq_done(struct mt_ix_zq *zq, int wait)
{
	struct mt_ix_zjob *j;

	if (zq->n == 0)
		return NULL;
	j = &zq->job[zq->head];
	if (!zq->running) {
		if (j->state == ZJ_QUEUED) {
			zq_run(zq, j);
			j->state = ZJ_DONE;
		}
		return j;
	}
	pthread_mutex_lock(&zq->mu);
	while (wait && j->state != ZJ_DONE)
		pthread_cond_wait(&zq->done, &zq->mu);
	if (j->state != ZJ_DONE)
		j = NULL;
	pthread_mutex_unlock(&zq->mu);
	return j;
}

/* mt_ix_zq_pop - release the job mt_ix_zq_done returned */
void
mt_ix_zq_pop(struct mt_ix_zq *zq)
{
	struct mt_ix_zjob *j = &zq->job[zq->head];

	mt_buf_reset(&j->raw);
	mt_ix_kset_clear(&j->keys);
	pthread_mutex_lock(&zq->mu);
	j->state = ZJ_FREE;
	pthread_mutex_unlock(&zq->mu);
	zq->head = (zq->head + 1) % MT_IX_ZQ_LEN;
	zq->n--;
}

/* mt_ix_zq_free - stop the worker, drop queued jobs; accepts NULL */
void
mt_ix_zq_free(struct mt_ix_zq *zq)
{
	int i;

	if (zq == NULL)
		return;
	if (zq->running) {
		pthread_mutex_lock(&zq->mu);
		zq->stop = 1;
		pthread_cond_signal(&zq->work);
		pthread_mutex_unlock(&zq->mu);
		pthread_join(zq->thr, NULL);
	}
	pthread_cond_destroy(&zq->work);
	pthread_cond_destroy(&zq->done);
	pthread_mutex_destroy(&zq->mu);
	for (i = 0; i < MT_IX_ZQ_LEN; i++) {
		mt_buf_free(&zq->job[i].raw);
		mt_buf_free(&zq->job[i].z);
		mt_ix_kset_free(&zq->job[i].keys);
	}
	ZSTD_freeCCtx(zq->cctx);
	free(zq);
}
