/*
 * mt_q_feed.h - the blocks of a window, parsed ahead on worker threads
 *
 * mt_q_each_message reads every record of a window.  Parsing them (above
 * all the provider JSON) costs more than grouping the events into
 * messages, so a feed parses blocks on worker threads while the caller
 * groups the blocks before: the caller's thread reads and decompresses
 * each block from the store (the store has one caller thread), a worker
 * parses its records with a parser of its own, and mt_q_feed_next hands
 * the events out block by block, in the order of the block list, the same
 * events in the same order as a parse on the caller's thread.
 *
 *	f = mt_q_feed_new(q, blks, nblks, lo, hi);
 *	while ((r = mt_q_feed_next(f, &evs, &n, &bmin)) == 1)
 *		... take evs[0 .. n) ...
 *	mt_q_feed_free(f);
 *
 * Memory: two blocks per worker (MT_Q_FEED_AHEAD at most) are loaded or
 * parsed ahead of the caller, whatever the window.
 *
 * Ownership: the events handed out (each an mt_malloc'd struct mt_q_ev)
 * pass to the caller; the array holding them belongs to the feed until
 * the next call.
 */
#ifndef MT_Q_FEED_H
#define MT_Q_FEED_H

#include <stddef.h>
#include <stdint.h>
#include "mt_err.h"

#define MT_Q_FEED_AHEAD		8	/* blocks in flight: 2 per worker, at most */
#define MT_Q_FEED_WORKERS	4	/* at most, fewer on fewer CPUs */

struct mt_q;
struct mt_q_ev;
struct mt_q_feed;

/*
 * mt_q_feed_new - a feed over blks[0 .. nblks) (copied), keeping records
 * with lo <= time <= hi (0 = open).  Starts one worker per CPU the process
 * may run on (at most MT_Q_FEED_WORKERS, and at most the query options'
 * workers); with one CPU, workers -1, a single block, or no thread to be
 * had it parses on the caller's thread.
 */
struct mt_q_feed *mt_q_feed_new(struct mt_q *q, const int64_t *blks,
	    size_t nblks, int64_t lo, int64_t hi);

/*
 * mt_q_feed_next - the events of the next block: 1 with *evs, *n and
 * *bmin (the block's earliest record time, INT64_MAX when it has none),
 * 0 after the last block, -MT_ERR_* when a block cannot be read
 * (reported).
 */
int	mt_q_feed_next(struct mt_q_feed *f, struct mt_q_ev ***evs, size_t *n,
	    int64_t *bmin) MT_WUR;

/* mt_q_feed_free - stop the workers, drop what was not handed out; NULL ok */
void	mt_q_feed_free(struct mt_q_feed *f);

#endif
