/*
 * mt_q_feed.c - the blocks of a window, parsed ahead on worker threads
 *
 * The feed keeps a ring of two slots per worker (MT_Q_FEED_AHEAD at
 * most); block i of the list goes into slot i % nslot.  A slot moves
 * FREE -> LOADED (the caller's thread read the block) -> PARSING (a worker
 * took it) -> DONE (its events are ready) -> FREE (handed out).  Workers take the loaded
 * slot of the lowest block index first; the caller waits for the slot of
 * the next block to hand out, so the order of the list is kept whatever
 * order the workers finish in.  Only the mutex-protected state moves
 * between threads: a slot's block and events belong to whoever set its
 * state last.
 */
#ifdef __linux__
#define _GNU_SOURCE		/* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_ix.h"
#include "mt_parser.h"
#include "mt_q.h"
#include "mt_q_feed.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"

enum feed_state { SL_FREE = 0, SL_LOADED, SL_PARSING, SL_DONE };

struct feed_slot {
	enum feed_state state;
	size_t	 idx;			/* block index in the list */
	struct mt_ix_block *b;		/* LOADED, PARSING */
	struct mt_q_ev **evs;		/* DONE: the block's events */
	size_t	 n, cap;
	int64_t	 bmin;
};

struct feed_worker {
	struct mt_q_feed *f;
	struct mt_parser *p;
	pthread_t th;
};

struct mt_q_feed {
	struct mt_q *q;
	int64_t	*blks;
	size_t	 nblks;
	int64_t	 lo, hi;
	size_t	 nload;			/* blocks loaded (caller) */
	size_t	 nout;			/* blocks handed out (caller) */
	struct feed_slot slot[MT_Q_FEED_AHEAD];
	struct feed_worker w[MT_Q_FEED_WORKERS];
	int	 nw;			/* workers running */
	size_t	 nslot;			/* slots in use */
	struct mt_parser *self;		/* without workers: the caller parses */
	struct mt_q_ev **out;		/* array last handed out */
	size_t	 outcap;
	pthread_mutex_t mu;
	pthread_cond_t work;		/* a slot was loaded, or stop */
	pthread_cond_t done;		/* a slot was parsed */
	int	 stop;
};

/* feed_parse - parse the block of s into its events; frees the block */
static void
feed_parse(const struct mt_q_feed *f, struct mt_parser *p,
    struct feed_slot *s)
{
	struct mt_ix_rec r;
	struct mt_event ev;
	int64_t bmin = INT64_MAX, blk = f->blks[s->idx];

	s->n = 0;
	while (mt_ix_block_next(s->b, &r) == 1) {
		int sub = 0;

		/* every later block's records are at or after the earliest */
		if (r.time < bmin)
			bmin = r.time;
		if ((f->lo && r.time < f->lo) || (f->hi && r.time > f->hi))
			continue;
		mt_parser_set_time(p, r.time);
		if (mt_parser_push(p, (enum mt_fmt)r.fmt, r.p, r.n, 0) <= 0)
			continue;
		while (mt_parser_next(p, &ev) == 1) {
			struct mt_q_ev *qe = mt_malloc(sizeof(*qe));

			if (ev.time == 0)
				ev.time = r.time;
			mt_q_ev_fill(qe, &ev, blk, r.seq, sub++);
			if (s->n == s->cap) {
				s->cap = s->cap ? s->cap * 2 : 1024;
				s->evs = mt_reallocarray(s->evs, s->cap,
				    sizeof(*s->evs));
			}
			s->evs[s->n++] = qe;
		}
	}
	s->bmin = bmin;
	mt_ix_block_free(s->b);
	s->b = NULL;
}

/* feed_take - under the mutex: the loaded slot of the lowest block, or NULL */
static struct feed_slot *
feed_take(struct mt_q_feed *f)
{
	struct feed_slot *best = NULL;
	size_t i;

	for (i = 0; i < f->nslot; i++) {
		struct feed_slot *s = &f->slot[i];

		if (s->state == SL_LOADED && (best == NULL || s->idx < best->idx))
			best = s;
	}
	return best;
}

/* feed_worker - parse loaded slots until stopped */
static void *
feed_worker(void *arg)
{
	struct feed_worker *w = arg;
	struct mt_q_feed *f = w->f;
	struct feed_slot *s;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (!f->stop && (s = feed_take(f)) == NULL)
			pthread_cond_wait(&f->work, &f->mu);
		if (f->stop)
			break;
		s->state = SL_PARSING;
		pthread_mutex_unlock(&f->mu);
		feed_parse(f, w->p, s);
		pthread_mutex_lock(&f->mu);
		s->state = SL_DONE;
		pthread_cond_broadcast(&f->done);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* feed_nworkers - worker threads to start: one per CPU we may run on */
static int
feed_nworkers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef __linux__
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
#endif

	if (n <= 1)
		return 0;
	return n < MT_Q_FEED_WORKERS ? (int)n : MT_Q_FEED_WORKERS;
}

/* mt_q_feed_new - a feed over a block list */
struct mt_q_feed *
mt_q_feed_new(struct mt_q *q, const int64_t *blks, size_t nblks, int64_t lo,
    int64_t hi)
{
	struct mt_q_feed *f;
	const char *name = mt_ix_path(mt_q_ix(q));
	int i, want;

	f = mt_calloc(1, sizeof(*f));
	f->q = q;
	f->nblks = nblks;
	f->blks = mt_reallocarray(NULL, nblks ? nblks : 1, sizeof(*blks));
	if (nblks > 0)
		memcpy(f->blks, blks, nblks * sizeof(*blks));
	f->lo = lo;
	f->hi = hi;
	if (pthread_mutex_init(&f->mu, NULL) != 0 ||
	    pthread_cond_init(&f->work, NULL) != 0 ||
	    pthread_cond_init(&f->done, NULL) != 0)
		mt_panic("pthread: cannot initialise the feed");
	want = feed_nworkers();
	if (mt_q_opts_of(q)->workers != 0 && mt_q_opts_of(q)->workers < want)
		want = mt_q_opts_of(q)->workers < 0 ? 0 :
		    mt_q_opts_of(q)->workers;
	if (nblks < 2)
		want = 0;
	/* fixed before any worker reads it */
	f->nslot = want ? 2 * (size_t)want : 1;
	if (f->nslot > MT_Q_FEED_AHEAD)
		f->nslot = MT_Q_FEED_AHEAD;
	for (i = 0; i < want; i++) {
		struct feed_worker *w = &f->w[f->nw];

		w->f = f;
		if ((w->p = mt_parser_new(mt_q_pcfg(q))) == NULL)
			break;
		mt_parser_set_input(w->p, name, 0);
		if (pthread_create(&w->th, NULL, feed_worker, w) != 0) {
			mt_parser_free(w->p);
			break;
		}
		f->nw++;
	}
	if (f->nw == 0)
		f->self = mt_q_parser(q);
	return f;
}

/* mt_q_feed_next - the events of the next block, in list order */
int
mt_q_feed_next(struct mt_q_feed *f, struct mt_q_ev ***evs, size_t *n,
    int64_t *bmin)
{
	struct feed_slot *s;
	struct mt_q_ev **t;
	size_t tcap;
	int rc;

	if (f->nout >= f->nblks)
		return 0;
	/* keep the ring full: read the next blocks from the store */
	while (f->nload < f->nblks && f->nload < f->nout + f->nslot) {
		struct mt_ix_block *b;

		if ((rc = mt_ix_block_load(mt_q_ix(f->q), f->blks[f->nload],
		    &b)) < 0)
			return rc;
		s = &f->slot[f->nload % f->nslot];
		pthread_mutex_lock(&f->mu);
		s->b = b;
		s->idx = f->nload;
		s->state = SL_LOADED;
		pthread_cond_signal(&f->work);
		pthread_mutex_unlock(&f->mu);
		f->nload++;
		if (f->nw == 0)
			break;		/* parsed right below, one at a time */
	}
	s = &f->slot[f->nout % f->nslot];
	if (f->nw == 0) {
		s->state = SL_PARSING;
		feed_parse(f, f->self, s);
		s->state = SL_DONE;
	}
	pthread_mutex_lock(&f->mu);
	while (s->state != SL_DONE)
		pthread_cond_wait(&f->done, &f->mu);
	s->state = SL_FREE;
	pthread_mutex_unlock(&f->mu);
	/* hand the slot's array out; the slot gets the previous one back */
	t = f->out;
	tcap = f->outcap;
	f->out = s->evs;
	f->outcap = s->cap;
	s->evs = t;
	s->cap = tcap;
	*evs = f->out;
	*n = s->n;
	*bmin = s->bmin;
	s->n = 0;
	f->nout++;
	return 1;
}

/* mt_q_feed_free - stop the workers, drop what was not handed out */
void
mt_q_feed_free(struct mt_q_feed *f)
{
	size_t i, j;
	int k;

	if (f == NULL)
		return;
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_cond_broadcast(&f->work);
	pthread_mutex_unlock(&f->mu);
	for (k = 0; k < f->nw; k++) {
		pthread_join(f->w[k].th, NULL);
		mt_parser_free(f->w[k].p);
	}
	for (i = 0; i < MT_Q_FEED_AHEAD; i++) {
		struct feed_slot *s = &f->slot[i];

		mt_ix_block_free(s->b);
		if (s->state == SL_DONE)
			for (j = 0; j < s->n; j++) {
				mt_q_ev_clear(s->evs[j]);
				free(s->evs[j]);
			}
		free(s->evs);
	}
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->work);
	pthread_cond_destroy(&f->done);
	free(f->out);
	free(f->blks);
	free(f);
}
