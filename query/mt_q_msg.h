/*
 * mt_q_msg.h - the query layer's model of one traced message
 *
 * Internal to query/: mt_q_trace.c builds these from stored records (it
 * groups events into message instances and decides each recipient's
 * verdict); the trace printers, the CSV export and the summary read them.
 *
 * A message instance is the connected set of records linked by relay queue
 * IDs (per host and queue-ID lifetime: a reused queue ID is two
 * instances), "queued as" hops, Message-ID, provider message ID and
 * request ID.
 *
 * Ownership: everything hangs off the struct mt_q_msg and is released with
 * it; strings are NUL-terminated heap copies, NULL when absent.
 */
#ifndef MT_Q_MSG_H
#define MT_Q_MSG_H

#include <stddef.h>
#include <stdint.h>
#include "mt_event.h"
#include "mt_q.h"

/* Recipient outcomes: the words are part of the CLI contract. */
enum mt_outcome {
	MT_OUT_NONE = 0,
	MT_OUT_DELIVERED,	/* "delivered" */
	MT_OUT_BOUNCED,		/* "bounced" */
	MT_OUT_DEFERRED,	/* "deferred" */
	MT_OUT_COMPLAINED,	/* "complained" */
	MT_OUT_DROPPED,		/* "dropped" */
	MT_OUT_FAILED,		/* "failed" */
	MT_OUT_PENDING,		/* "pending" */
	MT_OUT__COUNT
};

const char *mt_outcome_to_text(enum mt_outcome);
int	 mt_outcome_from_text(const char *, enum mt_outcome *);

/*
 * An event copied out of the parser.  Its strings live in one allocation,
 * mem (released by mt_q_event_clear); mem is NULL when the strings are
 * borrowed from another event that outlives this one.
 */
struct mt_q_event {
	int64_t	 time;
	enum mt_src src;
	enum mt_stage stage;
	enum mt_etype type;
	char	*raw, *host, *prog;
	char	*qid, *qid2, *message_id, *provider_id, *request_id;
	char	*recipient, *orig_recipient;
	char	*sender, *client, *relay, *dsn, *status, *subtype, *reply;
	char	*delay, *cls;
	int64_t	 size;
	int	 nrcpt;
	int	 reply_code;
	int64_t	 blk;		/* where the record is stored */
	uint32_t seq;
	int	 sub;		/* index of the event within its record */
	void	*mem;		/* owns the strings above; NULL borrowed */
};

/* One recipient's verdict. */
struct mt_q_rcpt {
	char	*address;		/* lower-cased */
	enum mt_outcome outcome;
	enum mt_stage stage;		/* where the outcome was decided */
	const struct mt_q_event *decider;	/* borrowed from msg->events; may be NULL */
	const char *dsn;		/* borrowed from decider; NULL none */
	const char *reply;		/* borrowed from decider; NULL none */
	const char *cls;		/* static string from mt_class; "" for success */
	const char *hint;		/* static string from mt_class */
	int64_t	 time;			/* time of the deciding event */
};

struct mt_q_msg {
	char	*message_id;		/* without <>, NULL unknown */
	char	**queue_ids;		/* in order of first appearance */
	size_t	 nqueue_ids;
	char	**provider_ids;
	size_t	 nprovider_ids;
	char	**request_ids;
	size_t	 nrequest_ids;
	char	*from;			/* envelope sender, NULL unknown, "" for <> */
	struct mt_q_rcpt *rcpts;	/* in order of first appearance */
	size_t	 nrcpts;
	struct mt_q_event *events;	/* sorted by time, then storage order */
	size_t	 nevents;
	int64_t	 first, last;		/* times of the first and last event */
};

/*
 * mt_q_each_message - every message instance with at least one event in
 * [opts.since, opts.until] of the query context, oldest first, each passed
 * to cb (which must not keep it).  Works through the store block by block
 * in time order and hands out a message once no later record can join it,
 * so memory stays bounded by the messages open at one time, not by the
 * window.  cb returns 0 to go on, non-zero to stop (returned).
 */
int	mt_q_each_message(struct mt_q *q,
	    int (*cb)(void *arg, const struct mt_q_msg *msg), void *arg) MT_WUR;

/* mt_q_opts_of - the options the context was made with */
const struct mt_q_opts *mt_q_opts_of(const struct mt_q *q);

/* mt_q_opts_covers - is t inside the window of o?  (0 = unknown: yes) */
int	mt_q_opts_covers(const struct mt_q_opts *o, int64_t t);

#endif
