/*
 * mt_q_int.h - internals shared by the query modules written over
 * mt_q.c (context, block cache), mt_q_trace.c (closure, grouping,
 * verdicts) and mt_q_print.c (output)
 *
 * A struct mt_q_ev is one event re-read from the store: the public copy
 * (struct mt_q_event, owned strings) plus the normalized identifiers used
 * to match and link it.  Events live in the block cache of a query (trace)
 * or in the pool of mt_q_each_message; messages get deep copies.
 *
 * Ownership: everything returned by these functions belongs to the
 * context unless said otherwise.  Single-threaded.
 */
#ifndef MT_Q_INT_H
#define MT_Q_INT_H

#include <stddef.h>
#include <stdint.h>
#include "mt_event.h"
#include "mt_q_msg.h"

/* Indexes into mt_q_ev.nid: the identifier fields, normalized. */
enum mt_q_idf {
	MT_Q_QID = 0,
	MT_Q_QID2,
	MT_Q_MID,
	MT_Q_PID,
	MT_Q_REQ,
	MT_Q_RCPT,
	MT_Q_ORCPT,
	MT_Q__NID
};

struct mt_q_ev {
	struct mt_q_event e;		/* owned strings (e.mem) */
	char	*nid[MT_Q__NID];	/* normalized identifiers, NULL absent;
					   in e.mem too */
	uint64_t hid[MT_Q__NID];	/* mt_q_hash of nid, 0 when absent */
	uint64_t hhost;			/* mt_q_hash of host ("" absent) */
	size_t	 pcomp;			/* component at the last flush (pool) */
	int	 taken;			/* already collected by this trace */
	int	 hop;			/* sent with qid2 linked to an instance */
};

/* A stored record with its events, parsed on demand. */
struct mt_q_rec {
	int64_t	 time;
	unsigned fmt;
	uint32_t seq;
	const char *p;			/* borrowed from the block */
	size_t	 n;
	size_t	 off;			/* offset of p from the first record's text */
	struct mt_q_ev *evs;
	size_t	 nevs;
	int	 parsed;
};

/* In mt_q_ev.c: */
/* mt_q_ev_fill - copy a parser event into a fresh mt_q_ev (one allocation
 * for all its strings) */
void	mt_q_ev_fill(struct mt_q_ev *qe, const struct mt_event *ev,
	    int64_t blk, uint32_t seq, int sub);
/* mt_q_ev_clear - release the strings of one event */
void	mt_q_ev_clear(struct mt_q_ev *qe);
/* mt_q_event_copy - deep copy of the public part (one allocation) */
void	mt_q_event_copy(struct mt_q_event *dst, const struct mt_q_event *src);
/* mt_q_event_clear - release the strings of a public event (none when
 * borrowed) */
void	mt_q_event_clear(struct mt_q_event *e);
/* mt_q_hash - 64-bit FNV-1a of a string, never 0 */
uint64_t mt_q_hash(const char *s);

/* mt_q_parse_rec - parse one stored record (once) into rec->evs */
void	mt_q_parse_rec(struct mt_q *q, int64_t blk, struct mt_q_rec *rec);

/*
 * mt_q_cache_find - records of the cached blocks listed in blks whose text
 * may contain needle (normalized, lower case): calls fn for each after
 * parsing it.  Loads and caches blocks on first use.  Returns 0 or
 * -MT_ERR_*.
 */
int	mt_q_cache_find(struct mt_q *q, const int64_t *blks, size_t nblks,
	    const char *needle,
	    int (*fn)(void *arg, struct mt_q_rec *rec), void *arg) MT_WUR;
/* mt_q_cache_clear - drop every cached block */
void	mt_q_cache_clear(struct mt_q *q);

struct mt_ix *mt_q_ix(struct mt_q *q);
struct mt_parser *mt_q_parser(struct mt_q *q);
const struct mt_parser_cfg *mt_q_pcfg(struct mt_q *q);

/* mt_q_msg_free - release one message and everything hanging off it */
void	mt_q_msg_free(struct mt_q_msg *m);

/* mt_q_trace_new - an empty trace for query (copied) */
struct mt_trace *mt_q_trace_new(const char *query);
/* mt_q_trace_add - append a message (the trace takes it) */
void	mt_q_trace_add(struct mt_trace *t, struct mt_q_msg *m);
/* mt_q_trace_query, mt_q_trace_msg - read access for the printers */
const char *mt_q_trace_query(const struct mt_trace *t);
const struct mt_q_msg *mt_q_trace_msg(const struct mt_trace *t, size_t i);

#endif
