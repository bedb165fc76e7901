/*
 * NAME
 *	mt_q_trace.c - from one identifier to messages with verdicts
 *
 * SUMMARY
 *	mt_q_trace(q, "order-1001@shop.example.com", &t);
 *	mt_q_each_message(q, cb, arg);
 *
 * DESCRIPTION
 *	Closure: the events whose identifiers equal the query are the
 *	seeds; from them the trace follows queue IDs (per host), "queued
 *	as" hops of sent events, Message-ID, provider message ID and
 *	request ID to a fixed point, never recipient addresses, senders or
 *	the queue ID of a bounce notice.  At most Q_MAXIDS identifiers are
 *	expanded and Q_MAXEVS events kept; a bound prints a warning and the
 *	trace returns what it found.
 *
 *	Grouping: relay events are grouped by (host, queue ID) in time
 *	order and split into instances after "removed"/"deleted", at a new
 *	"received" after the instance was queued, and after a 30-day gap.
 *	Union-find joins instances, identifier nodes and hops; a component
 *	that holds a seed is a message.
 *
 *	Hops: a sent event's "queued as QID" joins the instance of QID
 *	within a day that is, in this order: on the host relay= names (a
 *	short name matches an FQDN, case-insensitive), or on the sending
 *	host when relay= is a loopback address (content filter), or whose
 *	smtpd client= names the sending host; then with the sending
 *	instance's Message-ID (an instance with another Message-ID is never
 *	joined); then nearest in time.  So the same queue ID on two hosts
 *	is two messages, and a relay-to-relay hop is one.
 *
 *	Verdicts: events are replayed in time order per recipient.  An
 *	event overrides the current verdict when the verdict is empty, when
 *	the event comes from a later layer (application < relay <
 *	provider), or from the same layer and is at least as final
 *	(pending/deferred < final).  Then mt_class_decide names the class.
 *
 *	mt_q_each_message uses the same grouping and verdict code over the
 *	whole window, block by block, closing messages that no later
 *	record can join.  Between flushes the pool keeps its order, so a
 *	flush sorts only the events added since and merges them in.
 *
 * DIAGNOSTICS
 *	Bounds hit are reported with mt_warnx; store errors are returned.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mt_alloc.h"
#include "mt_class.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_q.h"
#include "mt_q_feed.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"
#include "mt_time.h"

#define Q_MAXIDS	256		/* identifiers expanded per trace */
#define Q_MAXEVS	20000		/* events kept per trace */
#define Q_DAY		(86400LL * MT_USEC)
#define Q_SPLIT_GAP	(30 * Q_DAY)	/* a queue ID idle this long is reused */
#define Q_HOP_NEAR	Q_DAY		/* a hop's target instance is this close */
#define Q_REACH		(7 * Q_DAY)	/* closure looks this far around the events
					   that named an identifier */
#define Q_OPEN_LONG	(6 * Q_DAY)	/* maximal_queue_lifetime 5d + margin */
#define Q_OPEN_SHORT	(3600LL * MT_USEC) /* a settled message stays open */
#define Q_FLUSH_STEP	(3600LL * MT_USEC)  /* regroup the pool this often */
#define Q_NOCOMP	((size_t)-1)	/* event added since the last flush */

/* Kinds of identifiers the closure expands. */
enum q_kind { K_SEED, K_QID, K_HOP, K_MID, K_PID, K_REQ };

/* ---- grouping ---- */

/* ev_cmp - time, then storage order */
static int
ev_cmp(const void *a, const void *b)
{
	const struct mt_q_event *x = &(*(struct mt_q_ev *const *)a)->e;
	const struct mt_q_event *y = &(*(struct mt_q_ev *const *)b)->e;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->blk != y->blk)
		return x->blk < y->blk ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (x->sub > y->sub) - (x->sub < y->sub);
}

/* nz - "" for NULL */
static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* uf_find - union-find root with path halving */
static size_t
uf_find(size_t *par, size_t i)
{
	while (par[i] != i) {
		par[i] = par[par[i]];
		i = par[i];
	}
	return i;
}

/* uf_union - join the sets of a and b */
static void
uf_union(size_t *par, size_t a, size_t b)
{
	a = uf_find(par, a);
	b = uf_find(par, b);
	if (a != b)
		par[a < b ? b : a] = a < b ? a : b;
}

struct q_inst {
	size_t	 rep;		/* first event (index into evs) */
	const char *host;
	const char *qid;	/* normalized */
	uint64_t hq;		/* hash of qid */
	const char *mid;	/* normalized Message-ID, NULL unknown */
	const char *client;	/* smtpd client=name[addr], NULL unknown */
	int64_t	 first, last;
	int	 queued;	/* had a queued or delivery event */
};

/* an event with a queue ID, sorted by (host, queue ID) hash */
struct q_gsort {
	uint64_t key;		/* hash of (host, queue ID) */
	size_t	 idx;
	const struct mt_q_ev *ev;
};

/* hs_cmp - strings by hash first, then text (equal hashes are rare) */
static int
hs_cmp(uint64_t ha, const char *a, uint64_t hb, const char *b)
{
	if (ha != hb)
		return ha < hb ? -1 : 1;
	return strcmp(a, b);
}

/*
 * qk_cmp - events with a queue ID by the hash of (host, queue ID), then
 * time order.  Only the grouping of equal keys matters, not their order;
 * a run of equal hashes with unequal texts is sorted again by qi_cmp.
 */
static int
qk_cmp(const void *a, const void *b)
{
	const struct q_gsort *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* qi_cmp - events with a queue ID: host, queue ID, then time order */
static int
qi_cmp(const void *a, const void *b)
{
	const struct q_gsort *x = a, *y = b;
	int c;

	if ((c = strcmp(nz(x->ev->e.host), nz(y->ev->e.host))) != 0)
		return c;
	if ((c = strcmp(x->ev->nid[MT_Q_QID], y->ev->nid[MT_Q_QID])) != 0)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* qi_same - same host and queue ID */
static int
qi_same(const struct mt_q_ev *a, const struct mt_q_ev *b)
{
	return a->hhost == b->hhost && a->hid[MT_Q_QID] == b->hid[MT_Q_QID] &&
	    strcmp(nz(a->e.host), nz(b->e.host)) == 0 &&
	    strcmp(a->nid[MT_Q_QID], b->nid[MT_Q_QID]) == 0;
}

/* qk_sort - sort qs so that equal (host, queue ID) are adjacent */
static void
qk_sort(struct q_gsort *qs, size_t nq)
{
	size_t i, j;

	qsort(qs, nq, sizeof(*qs), qk_cmp);
	for (i = 0; i < nq; i = j) {
		int mixed = 0;

		for (j = i + 1; j < nq && qs[j].key == qs[i].key; j++)
			if (!mixed && !qi_same(qs[i].ev, qs[j].ev))
				mixed = 1;
		if (mixed)		/* a hash collision */
			qsort(qs + i, j - i, sizeof(*qs), qi_cmp);
	}
}

/*
 * inst_cmp - instances by queue ID (hash order), then start, then host
 * and first event, so that hop_target meets the candidates of one queue
 * ID in a fixed order.
 */
static int
inst_cmp(const void *a, const void *b)
{
	const struct q_inst *x = a, *y = b;
	int c;

	if ((c = hs_cmp(x->hq, x->qid, y->hq, y->qid)) != 0)
		return c;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if ((c = strcmp(x->host, y->host)) != 0)
		return c;
	return (x->rep > y->rep) - (x->rep < y->rep);
}

struct q_node {
	uint64_t h;		/* hash of s */
	int	 kind;
	const char *s;
	size_t	 idx;
};

/* nk_cmp - identifier nodes by kind and hash (integers only) */
static int
nk_cmp(const void *a, const void *b)
{
	const struct q_node *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	return (x->h > y->h) - (x->h < y->h);
}

/* node_cmp - identifier nodes by kind and text */
static int
node_cmp(const void *a, const void *b)
{
	const struct q_node *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	return strcmp(x->s, y->s);
}

/*
 * node_join - join the events of equal identifier nodes: sorted by hash,
 * each run of equal hashes is checked once and sorted by text only when
 * it mixes texts (a collision).
 */
static void
node_join(struct q_node *nodes, size_t nnodes, size_t *par)
{
	size_t i, j, k;

	qsort(nodes, nnodes, sizeof(*nodes), nk_cmp);
	for (i = 0; i < nnodes; i = j) {
		int mixed = 0;

		for (j = i + 1; j < nnodes && nodes[j].kind == nodes[i].kind &&
		    nodes[j].h == nodes[i].h; j++)
			if (!mixed && strcmp(nodes[i].s, nodes[j].s) != 0)
				mixed = 1;
		if (!mixed) {
			for (k = i + 1; k < j; k++)
				uf_union(par, nodes[i].idx, nodes[k].idx);
			continue;
		}
		qsort(nodes + i, j - i, sizeof(*nodes), node_cmp);
		for (k = i + 1; k < j; k++)
			if (node_cmp(&nodes[k - 1], &nodes[k]) == 0)
				uf_union(par, nodes[k - 1].idx, nodes[k].idx);
	}
}

/* is_delivery - an event that shows the instance was already queued */
static int
is_delivery(enum mt_etype t)
{
	return t == MT_EV_QUEUED || t == MT_EV_SENT || t == MT_EV_DEFERRED ||
	    t == MT_EV_BOUNCED || t == MT_EV_EXPIRED;
}

/* name_len - length of the host name in "name[addr]:port", no final dot */
static size_t
name_len(const char *s)
{
	size_t n = strcspn(s, "[ ");

	while (n > 0 && s[n - 1] == '.')
		n--;
	return n;
}

/* name_eq - same host: case-insensitive, a short name matches an FQDN */
static int
name_eq(const char *a, size_t an, const char *b, size_t bn)
{
	if (an == 0 || bn == 0)
		return 0;
	if (an > bn) {
		const char *t = a;
		size_t tn = an;

		a = b, an = bn, b = t, bn = tn;
	}
	return strncasecmp(a, b, an) == 0 && (an == bn || b[an] == '.');
}

/* is_loopback - relay= or client= names this host (content filter, LMTP) */
static int
is_loopback(const char *s)
{
	const char *a = strchr(s, '[');
	size_t n = name_len(s);

	if (name_eq(s, n, "localhost", 9))
		return 1;
	if (a == NULL)
		return strncmp(s, "127.", 4) == 0 || strncmp(s, "::1", 3) == 0;
	a++;
	return strncmp(a, "127.", 4) == 0 || strncmp(a, "::1]", 4) == 0 ||
	    strncasecmp(a, "ipv6:::1]", 9) == 0 ||
	    strncmp(a, "private/", 8) == 0 || strncmp(a, "public/", 7) == 0;
}

/*
 * hop_host - how surely instance in received the hop of sent event ev:
 * 2 relay= names its host, or it is the sending host and relay= is a
 * loopback, or its client= names the sending host; 1 it is the sending
 * host and relay= names no host (an address); 0 otherwise.
 */
static int
hop_host(const struct q_inst *in, const struct mt_q_ev *ev)
{
	const char *relay = ev->e.relay, *host = nz(ev->e.host);
	int same = strcmp(in->host, host) == 0;
	size_t rn;

	if (relay != NULL) {
		rn = name_len(relay);
		if (name_eq(relay, rn, in->host, strlen(in->host)))
			return 2;
		if (same && is_loopback(relay))
			return 2;
	}
	if (in->client != NULL && *host != '\0' &&
	    name_eq(in->client, name_len(in->client), host, strlen(host)))
		return 2;
	if (same && (relay == NULL ||
	    strspn(relay, "0123456789.:abcdefABCDEF") >= name_len(relay)))
		return 1;
	return 0;
}

/*
 * hop_target - the instance a sent event's "queued as" names, or -1:
 * see DESCRIPTION (host, then Message-ID, then time).  mid is the
 * Message-ID of the sending instance, NULL unknown.
 */
static long
hop_target(const struct q_inst *in, size_t nin, const struct mt_q_ev *ev,
    const char *mid)
{
	const char *want = ev->nid[MT_Q_QID2];
	uint64_t hw = ev->hid[MT_Q_QID2];
	size_t lo = 0, hi = nin, i;
	long best = -1;
	int64_t bestd = 0;
	int besth = 0, bestm = 0;

	while (lo < hi) {
		size_t mid_i = lo + (hi - lo) / 2;

		if (hs_cmp(in[mid_i].hq, in[mid_i].qid, hw, want) < 0)
			lo = mid_i + 1;
		else
			hi = mid_i;
	}
	for (i = lo; i < nin && in[i].hq == hw &&
	    strcmp(in[i].qid, want) == 0; i++) {
		int64_t d = 0, t = ev->e.time;
		int same = strcmp(in[i].host, nz(ev->e.host)) == 0;
		int h, m;

		if (same && ev->nid[MT_Q_QID] &&
		    strcmp(ev->nid[MT_Q_QID], want) == 0)
			continue;
		if (t < in[i].first)
			d = in[i].first - t;
		else if (t > in[i].last)
			d = t - in[i].last;
		if (d > Q_HOP_NEAR)
			continue;
		m = mid != NULL && in[i].mid != NULL;
		if (m && strcmp(mid, in[i].mid) != 0)
			continue;	/* another message */
		h = hop_host(&in[i], ev);
		if (best < 0 || h > besth || (h == besth && (m > bestm ||
		    (m == bestm && d < bestd)))) {
			best = (long)i;
			bestd = d;
			besth = h;
			bestm = m;
		}
	}
	return best;
}

/*
 * q_group - components of evs (sorted by ev_cmp): comp[i] is the dense
 * component number of event i; returns the number of components.
 */
static size_t
q_group(struct mt_q_ev **evs, size_t n, size_t *comp)
{
	size_t *par, *dense, *evin, i, j, nq = 0, nin = 0, nnodes = 0;
	size_t ncomp = 0;
	struct q_gsort *qs;
	struct q_inst *in;
	struct q_node *nodes;
	const char **evmid;

	if (n == 0)
		return 0;
	par = mt_reallocarray(NULL, n, sizeof(*par));
	dense = mt_reallocarray(NULL, n, sizeof(*dense));
	qs = mt_reallocarray(NULL, n, sizeof(*qs));
	in = mt_reallocarray(NULL, n, sizeof(*in));
	nodes = mt_reallocarray(NULL, n, 3 * sizeof(*nodes));
	evin = mt_reallocarray(NULL, n, sizeof(*evin));
	evmid = mt_reallocarray(NULL, n, sizeof(*evmid));
	for (i = 0; i < n; i++) {
		par[i] = i;
		evin[i] = (size_t)-1;
		evmid[i] = NULL;
		evs[i]->hop = 0;
		if (evs[i]->nid[MT_Q_QID] != NULL) {
			qs[nq].key = evs[i]->hhost ^
			    (evs[i]->hid[MT_Q_QID] * 0x9e3779b97f4a7c15ULL);
			qs[nq].ev = evs[i];
			qs[nq++].idx = i;
		}
	}

	/* instances of (host, queue ID) */
	qk_sort(qs, nq);
	for (i = 0; i < nq; i++) {
		struct mt_q_ev *ev = evs[qs[i].idx];
		struct q_inst *cur = nin ? &in[nin - 1] : NULL;
		int split = cur == NULL;

		if (!split && (qs[i].key != qs[i - 1].key ||
		    !qi_same(qs[i - 1].ev, ev)))
			split = 1;
		if (!split) {
			const struct mt_q_ev *prev = evs[qs[i - 1].idx];

			if (prev->e.type == MT_EV_REMOVED ||
			    prev->e.type == MT_EV_DELETED)
				split = 1;
			else if (ev->e.time - cur->last > Q_SPLIT_GAP)
				split = 1;
			else if (ev->e.type == MT_EV_RECEIVED && cur->queued)
				split = 1;
		}
		if (split) {
			cur = &in[nin++];
			cur->rep = qs[i].idx;
			cur->host = nz(ev->e.host);
			cur->qid = ev->nid[MT_Q_QID];
			cur->hq = ev->hid[MT_Q_QID];
			cur->first = cur->last = ev->e.time;
			cur->queued = 0;
			cur->mid = cur->client = NULL;
		} else {
			uf_union(par, cur->rep, qs[i].idx);
			if (ev->e.time > cur->last)
				cur->last = ev->e.time;
		}
		if (is_delivery(ev->e.type))
			cur->queued = 1;
		if (cur->mid == NULL)
			cur->mid = ev->nid[MT_Q_MID];
		if (cur->client == NULL && ev->e.client != NULL)
			cur->client = ev->e.client;
		evin[qs[i].idx] = nin - 1;
	}
	/* the Message-ID of each event's instance, for the hops below */
	for (i = 0; i < n; i++)
		if (evin[i] != (size_t)-1)
			evmid[i] = in[evin[i]].mid;

	/* identifier nodes: Message-ID, provider ID, request ID */
	for (i = 0; i < n; i++) {
		static const int f[3] = { MT_Q_MID, MT_Q_PID, MT_Q_REQ };

		for (j = 0; j < 3; j++) {
			if (evs[i]->nid[f[j]] == NULL)
				continue;
			nodes[nnodes].kind = f[j];
			nodes[nnodes].h = evs[i]->hid[f[j]];
			nodes[nnodes].s = evs[i]->nid[f[j]];
			nodes[nnodes++].idx = i;
		}
	}
	node_join(nodes, nnodes, par);

	/* "queued as" hops of sent events */
	qsort(in, nin, sizeof(*in), inst_cmp);
	for (i = 0; i < n; i++) {
		long t;

		if (evs[i]->e.type != MT_EV_SENT ||
		    evs[i]->nid[MT_Q_QID2] == NULL)
			continue;
		if ((t = hop_target(in, nin, evs[i], evmid[i])) >= 0) {
			uf_union(par, i, in[t].rep);
			evs[i]->hop = 1;
		}
	}

	for (i = 0; i < n; i++)
		dense[i] = (size_t)-1;
	for (i = 0; i < n; i++) {
		size_t r = uf_find(par, i);

		if (dense[r] == (size_t)-1)
			dense[r] = ncomp++;
		comp[i] = dense[r];
	}
	free(par);
	free(dense);
	free(qs);
	free(in);
	free(nodes);
	free(evin);
	free(evmid);
	return ncomp;
}

/* ---- verdicts ---- */

struct q_rstate {
	enum mt_outcome out;
	enum mt_stage stage;
	int	 level;		/* 0 none, 1 pending/deferred, 2 final */
	int	 layer;		/* 1 application, 2 relay, 3 provider */
	long	 dec;		/* deciding event, -1 none */
	long	 dsn_ev, reply_ev;
	long	 last_ev;	/* last event naming the recipient */
};

/* layer_of - application 1, relay 2, provider 3 */
static int
layer_of(const struct mt_q_event *e)
{
	switch (e->src) {
	case MT_SRC_APP:
		return 1;
	case MT_SRC_POSTFIX:
	case MT_SRC_SENDMAIL:
		return 2;
	case MT_SRC_SES:
		return 3;
	default:
		break;
	}
	if (e->stage == MT_STAGE_APPLICATION)
		return 1;
	return e->stage == MT_STAGE_RELAY ? 2 : 3;
}

/* r_apply - let event evi decide recipient r when it may */
static void
r_apply(struct q_rstate *r, struct mt_q_ev **evs, long evi,
    enum mt_outcome out, enum mt_stage stage, int level, int unfinal_only)
{
	const struct mt_q_event *e = &evs[evi]->e;
	int layer = layer_of(e);

	if (unfinal_only && r->level >= 2)
		return;
	if (r->level != 0 && layer < r->layer)
		return;
	if (r->level != 0 && layer == r->layer && level < r->level)
		return;
	r->out = out;
	r->stage = stage;
	r->level = level;
	r->layer = layer;
	r->dec = evi;
	if (e->type != MT_EV_EXPIRED || e->dsn != NULL)
		r->dsn_ev = e->dsn ? evi : -1;
	/* "returned to sender" says less than the deferral it ends */
	if (e->type != MT_EV_EXPIRED || r->reply_ev < 0)
		r->reply_ev = e->reply ? evi : -1;
}

/* is_suppressed - a provider bounce made without trying the recipient */
static int
is_suppressed(const struct mt_q_event *e)
{
	return e->stage == MT_STAGE_PROVIDER || (e->subtype &&
	    (strcmp(e->subtype, "Suppressed") == 0 ||
	    strcmp(e->subtype, "OnAccountSuppressionList") == 0));
}

/* relay_is_dest - relay= names a destination (not "none", not empty) */
static int
relay_is_dest(const char *relay)
{
	return relay != NULL && *relay != '\0' &&
	    strncmp(relay, "none", 4) != 0;
}

/* to_provider - the relay handed the message to a sending provider */
static int
to_provider(struct mt_q *q, const struct mt_q_ev *ev)
{
	struct mt_span s;

	if (ev->nid[MT_Q_PID] != NULL)
		return 1;
	if (ev->e.relay == NULL || q == NULL)
		return 0;
	s.p = ev->e.relay;
	s.n = strlen(ev->e.relay);
	return mt_parser_is_smarthost(mt_q_parser(q), s);
}

/*
 * verdict_of - what event ev says: outcome, stage, level; 0 when it
 * decides nothing.  *unfinal: applies only to recipients not yet final.
 */
static int
verdict_of(struct mt_q *q, const struct mt_q_ev *ev, enum mt_outcome *out,
    enum mt_stage *stage, int *level, int *unfinal)
{
	const struct mt_q_event *e = &ev->e;

	*unfinal = 0;
	*level = 2;
	switch (e->type) {
	case MT_EV_SENT:
		if (ev->hop)
			return 0;
		if (to_provider(q, ev)) {
			*out = MT_OUT_PENDING;
			*stage = MT_STAGE_PROVIDER;
			*level = 1;
		} else {
			*out = MT_OUT_DELIVERED;
			*stage = MT_STAGE_RECIPIENT;
		}
		return 1;
	case MT_EV_BOUNCED:
		*out = MT_OUT_BOUNCED;
		if (to_provider(q, ev))
			*stage = MT_STAGE_RELAY;
		else if ((e->reply && strstr(e->reply, "said:") != NULL) ||
		    (e->reply_code >= 500 && e->reply_code < 600) ||
		    (e->dsn && e->dsn[0] == '5' && relay_is_dest(e->relay)))
			*stage = MT_STAGE_RECIPIENT;
		else
			*stage = MT_STAGE_RELAY;
		return 1;
	case MT_EV_EXPIRED:
		*out = MT_OUT_FAILED;
		*stage = MT_STAGE_RELAY;
		*unfinal = 1;
		return 1;
	case MT_EV_DEFERRED:
		*out = MT_OUT_DEFERRED;
		*stage = MT_STAGE_RELAY;
		*level = 1;
		return 1;
	case MT_EV_REJECTED:
		*out = MT_OUT_FAILED;
		*stage = MT_STAGE_RELAY;
		*unfinal = e->recipient == NULL;
		return 1;
	case MT_EV_SEND:
		*out = MT_OUT_PENDING;
		*stage = MT_STAGE_PROVIDER;
		*level = 1;
		return 1;
	case MT_EV_DELIVERY:
		*out = MT_OUT_DELIVERED;
		*stage = MT_STAGE_RECIPIENT;
		return 1;
	case MT_EV_OPEN:
	case MT_EV_CLICK:
		*out = MT_OUT_DELIVERED;
		*stage = MT_STAGE_RECIPIENT;
		*level = 1;
		return 1;
	case MT_EV_COMPLAINT:
		*out = MT_OUT_COMPLAINED;
		*stage = MT_STAGE_RECIPIENT;
		return 1;
	case MT_EV_BOUNCE:
		if (is_suppressed(e)) {
			*out = MT_OUT_DROPPED;
			*stage = MT_STAGE_PROVIDER;
		} else {
			*out = MT_OUT_BOUNCED;
			*stage = MT_STAGE_RECIPIENT;
		}
		return 1;
	case MT_EV_REJECT:
	case MT_EV_RENDERING_FAILURE:
		*out = MT_OUT_DROPPED;
		*stage = MT_STAGE_PROVIDER;
		return 1;
	case MT_EV_DELIVERYDELAY:
		*out = MT_OUT_DEFERRED;
		*stage = MT_STAGE_RECIPIENT;
		*level = 1;
		return 1;
	case MT_EV_FAILED:
		*out = MT_OUT_FAILED;
		*stage = MT_STAGE_APPLICATION;
		return 1;
	case MT_EV_SUBMITTED:
		*out = MT_OUT_PENDING;
		*stage = ev->nid[MT_Q_PID] ? MT_STAGE_PROVIDER :
		    MT_STAGE_RELAY;
		*level = 1;
		return 1;
	default:
		return 0;
	}
}

/* lower_dup - lower-cased heap copy */
static char *
lower_dup(const char *s)
{
	char *d = mt_strdup(s), *p;

	for (p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return d;
}

/* ids_add - append s to a list unless an equal normalized id is there */
static void
ids_add(char ***list, size_t *n, const char *s, const char *norm)
{
	char buf[1025];
	size_t i;

	for (i = 0; i < *n; i++) {
		mt_key_norm((*list)[i], strlen((*list)[i]), buf, sizeof(buf));
		if (strcmp(buf, norm) == 0)
			return;
	}
	*list = mt_reallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = mt_strdup(s);
}

/* mt_q_msg_free - release one message */
void
mt_q_msg_free(struct mt_q_msg *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->message_id);
	for (i = 0; i < m->nqueue_ids; i++)
		free(m->queue_ids[i]);
	free(m->queue_ids);
	for (i = 0; i < m->nprovider_ids; i++)
		free(m->provider_ids[i]);
	free(m->provider_ids);
	for (i = 0; i < m->nrequest_ids; i++)
		free(m->request_ids[i]);
	free(m->request_ids);
	free(m->from);
	for (i = 0; i < m->nrcpts; i++)
		free(m->rcpts[i].address);
	free(m->rcpts);
	for (i = 0; i < m->nevents; i++)
		mt_q_event_clear(&m->events[i]);
	free(m->events);
	free(m);
}

/* rcpt_index - index of address (normalized) in the message, or -1 */
static long
rcpt_index(const struct mt_q_msg *m, const char *norm)
{
	size_t i;

	for (i = 0; i < m->nrcpts; i++)
		if (strcmp(m->rcpts[i].address, norm) == 0)
			return (long)i;
	return -1;
}

/*
 * q_msg_build - a message from the events of one component (sorted by
 * ev_cmp): identifiers, sender, recipients, verdicts, and the events,
 * deep-copied, or borrowed when borrow != 0 (then evs must outlive it).
 */
static struct mt_q_msg *
q_msg_build(struct mt_q *q, struct mt_q_ev **evs, size_t n, int borrow)
{
	struct mt_q_msg *m;
	struct q_rstate *rs = NULL;
	const char *from_relay = NULL, *from_any = NULL;
	size_t i, k;

	m = mt_calloc(1, sizeof(*m));
	m->events = mt_reallocarray(NULL, n ? n : 1, sizeof(*m->events));
	for (i = 0; i < n; i++) {
		const struct mt_q_ev *ev = evs[i];
		const struct mt_q_event *e = &ev->e;

		if (borrow) {
			m->events[i] = *e;
			m->events[i].mem = NULL;
		} else
			mt_q_event_copy(&m->events[i], e);
		if (m->message_id == NULL && e->message_id != NULL &&
		    ev->nid[MT_Q_MID] != NULL) {
			/* keep the case as logged, without <> */
			m->message_id = mt_strdup(e->message_id);
			k = strlen(m->message_id);
			if (k >= 2 && m->message_id[0] == '<' &&
			    m->message_id[k - 1] == '>') {
				memmove(m->message_id, m->message_id + 1, k - 2);
				m->message_id[k - 2] = '\0';
			}
		}
		if (ev->nid[MT_Q_QID] != NULL)
			ids_add(&m->queue_ids, &m->nqueue_ids, e->qid,
			    ev->nid[MT_Q_QID]);
		if (ev->nid[MT_Q_PID] != NULL)
			ids_add(&m->provider_ids, &m->nprovider_ids,
			    e->provider_id, ev->nid[MT_Q_PID]);
		if (ev->nid[MT_Q_REQ] != NULL)
			ids_add(&m->request_ids, &m->nrequest_ids,
			    e->request_id, ev->nid[MT_Q_REQ]);
		if (e->sender != NULL) {
			if (from_relay == NULL &&
			    (e->type == MT_EV_QUEUED ||
			    e->type == MT_EV_RECEIVED) &&
			    (e->src == MT_SRC_POSTFIX ||
			    e->src == MT_SRC_SENDMAIL))
				from_relay = e->sender;
			if (from_any == NULL)
				from_any = e->sender;
		}
		if (ev->nid[MT_Q_RCPT] != NULL &&
		    rcpt_index(m, ev->nid[MT_Q_RCPT]) < 0) {
			m->rcpts = mt_reallocarray(m->rcpts, m->nrcpts + 1,
			    sizeof(*m->rcpts));
			memset(&m->rcpts[m->nrcpts], 0, sizeof(*m->rcpts));
			m->rcpts[m->nrcpts++].address =
			    lower_dup(ev->nid[MT_Q_RCPT]);
		}
	}
	m->nevents = n;
	if (n > 0) {
		m->first = evs[0]->e.time;
		m->last = evs[n - 1]->e.time;
	}
	if (from_relay != NULL || from_any != NULL) {
		const char *f = from_relay ? from_relay : from_any;
		size_t fl = strlen(f);

		if (fl >= 2 && f[0] == '<' && f[fl - 1] == '>')
			m->from = mt_strndup(f + 1, fl - 2);
		else
			m->from = mt_strdup(f);
	}

	/* replay the events per recipient */
	rs = mt_reallocarray(NULL, m->nrcpts ? m->nrcpts : 1, sizeof(*rs));
	for (k = 0; k < m->nrcpts; k++) {
		memset(&rs[k], 0, sizeof(rs[k]));
		rs[k].dec = rs[k].dsn_ev = rs[k].reply_ev = rs[k].last_ev = -1;
	}
	for (i = 0; i < n; i++) {
		enum mt_outcome out;
		enum mt_stage stage;
		int level, unfinal;
		long r = -1;

		if (evs[i]->nid[MT_Q_RCPT] != NULL) {
			r = rcpt_index(m, evs[i]->nid[MT_Q_RCPT]);
			rs[r].last_ev = (long)i;
		}
		if (!verdict_of(q, evs[i], &out, &stage, &level, &unfinal))
			continue;
		if (r >= 0) {
			r_apply(&rs[r], evs, (long)i, out, stage, level,
			    unfinal);
			continue;
		}
		for (k = 0; k < m->nrcpts; k++)
			r_apply(&rs[k], evs, (long)i, out, stage, level,
			    unfinal);
	}
	for (k = 0; k < m->nrcpts; k++) {
		struct mt_q_rcpt *rc = &m->rcpts[k];
		struct mt_class_in ci;
		struct mt_class_out co;
		const struct mt_q_event *d;

		if (rs[k].dec < 0) {
			rc->outcome = MT_OUT_PENDING;
			rc->stage = rs[k].last_ev >= 0 ?
			    m->events[rs[k].last_ev].stage : MT_STAGE_RELAY;
			if (rc->stage == MT_STAGE_NONE)
				rc->stage = MT_STAGE_RELAY;
		} else {
			rc->outcome = rs[k].out;
			rc->stage = rs[k].stage;
			rc->decider = &m->events[rs[k].dec];
			rc->time = rc->decider->time;
		}
		if (rs[k].dsn_ev >= 0)
			rc->dsn = m->events[rs[k].dsn_ev].dsn;
		if (rs[k].reply_ev >= 0)
			rc->reply = m->events[rs[k].reply_ev].reply;
		d = rc->decider;
		memset(&ci, 0, sizeof(ci));
		/* pending short of the provider: no relay outcome recorded */
		ci.outcome = rc->outcome == MT_OUT_PENDING &&
		    rc->stage != MT_STAGE_PROVIDER ? MT_OUT_NONE : rc->outcome;
		ci.stage = rc->stage;
		ci.type = d ? d->type : MT_EV_OTHER;
		ci.dsn = rc->dsn;
		ci.reply = rc->reply;
		ci.reply_code = rs[k].reply_ev >= 0 ?
		    m->events[rs[k].reply_ev].reply_code : 0;
		ci.subtype = d ? d->subtype : NULL;
		ci.cls = d && d->cls && *d->cls ? d->cls : NULL;
		mt_class_decide(&ci, &co);
		rc->cls = co.cls;
		rc->hint = co.hint;
	}
	free(rs);
	return m;
}

/* msg_settled - every recipient has a final verdict */
static int
msg_settled(const struct mt_q_msg *m)
{
	size_t i;

	if (m->nrcpts == 0)
		return 0;
	for (i = 0; i < m->nrcpts; i++)
		if (m->rcpts[i].outcome == MT_OUT_PENDING ||
		    m->rcpts[i].outcome == MT_OUT_DEFERRED)
			return 0;
	return 1;
}

/* ---- trace: closure ---- */

struct q_item {
	int	 kind;
	char	*host;			/* K_QID only */
	char	*s;			/* normalized */
	int64_t	 tmin, tmax;		/* times of the events that named it */
};

struct q_tr {
	struct mt_q *q;
	struct q_item *items;
	size_t	 nitems, capitems;
	struct mt_q_ev **got;
	size_t	 ngot, capgot;
	const struct q_item *cur;
	int64_t	 since, until;		/* seed window, 0 = open */
	int	 full;			/* event bound hit */
};

/* eq - both non-NULL and equal */
static int
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* item_match - does ev belong to what item names? */
static int
item_match(const struct q_tr *tr, const struct q_item *it,
    const struct mt_q_ev *ev)
{
	int i;

	switch (it->kind) {
	case K_SEED:
		if (tr->since && ev->e.time < tr->since)
			return 0;
		if (tr->until && ev->e.time > tr->until)
			return 0;
		for (i = 0; i < MT_Q__NID; i++)
			if (eq(ev->nid[i], it->s))
				return 1;
		return 0;
	case K_QID:
		if (eq(ev->nid[MT_Q_QID], it->s))
			return strcmp(nz(ev->e.host), it->host) == 0;
		/* the sender side of a hop into this queue ID */
		return ev->e.type == MT_EV_SENT && eq(ev->nid[MT_Q_QID2], it->s);
	case K_HOP:
		return eq(ev->nid[MT_Q_QID], it->s);
	case K_MID:
		return eq(ev->nid[MT_Q_MID], it->s);
	case K_PID:
		return eq(ev->nid[MT_Q_PID], it->s);
	case K_REQ:
		return eq(ev->nid[MT_Q_REQ], it->s);
	default:
		return 0;
	}
}

/*
 * tr_push - queue an identifier named by an event at time t unless it was
 * seen; one queued again (not yet looked up) widens its time span
 */
static void
tr_push(struct q_tr *tr, int kind, const char *host, const char *s,
    int64_t t)
{
	struct q_item *it;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < tr->nitems; i++) {
		it = &tr->items[i];
		if (it->kind == kind && strcmp(it->s, s) == 0 &&
		    (kind != K_QID || strcmp(it->host, nz(host)) == 0)) {
			if (t < it->tmin)
				it->tmin = t;
			if (t > it->tmax)
				it->tmax = t;
			return;
		}
	}
	if (tr->nitems == tr->capitems) {
		tr->capitems = tr->capitems ? tr->capitems * 2 : 16;
		tr->items = mt_reallocarray(tr->items, tr->capitems,
		    sizeof(*tr->items));
	}
	it = &tr->items[tr->nitems++];
	it->kind = kind;
	it->host = kind == K_QID ? mt_strdup(nz(host)) : NULL;
	it->s = mt_strdup(s);
	it->tmin = it->tmax = t;
}

/* tr_push_ids - queue the identifiers an event links through */
static void
tr_push_ids(struct q_tr *tr, const struct mt_q_ev *ev)
{
	int64_t t = ev->e.time;

	tr_push(tr, K_QID, ev->e.host, ev->nid[MT_Q_QID], t);
	if (ev->e.type == MT_EV_SENT)
		tr_push(tr, K_HOP, NULL, ev->nid[MT_Q_QID2], t);
	tr_push(tr, K_MID, NULL, ev->nid[MT_Q_MID], t);
	tr_push(tr, K_PID, NULL, ev->nid[MT_Q_PID], t);
	tr_push(tr, K_REQ, NULL, ev->nid[MT_Q_REQ], t);
}

/* tr_take - collect the matching events of one record */
static int
tr_take(void *arg, struct mt_q_rec *rec)
{
	struct q_tr *tr = arg;
	size_t i;

	for (i = 0; i < rec->nevs; i++) {
		struct mt_q_ev *ev = &rec->evs[i];

		if (ev->taken || !item_match(tr, tr->cur, ev))
			continue;
		if (tr->ngot >= Q_MAXEVS) {
			tr->full = 1;
			return 1;
		}
		ev->taken = tr->cur->kind == K_SEED ? 2 : 1;
		if (tr->ngot == tr->capgot) {
			tr->capgot = tr->capgot ? tr->capgot * 2 : 64;
			tr->got = mt_reallocarray(tr->got, tr->capgot,
			    sizeof(*tr->got));
		}
		tr->got[tr->ngot++] = ev;
	}
	return 0;
}

/* tr_expand - look one identifier up and collect its events */
static int
tr_expand(struct q_tr *tr, const struct q_item *it, int64_t lo, int64_t hi)
{
	int64_t *blks = NULL;
	size_t nblks = 0;
	int rc;

	rc = mt_ix_find(mt_q_ix(tr->q), mt_key(it->s, strlen(it->s)), lo, hi,
	    &blks, &nblks);
	if (rc < 0)
		return rc;
	tr->cur = it;
	rc = mt_q_cache_find(tr->q, blks, nblks, it->s, tr_take, tr);
	free(blks);
	return rc < 0 ? rc : 0;
}

/* msg_last_cmp - messages newest first */
static int
msg_last_cmp(const void *a, const void *b)
{
	const struct mt_q_msg *x = *(struct mt_q_msg *const *)a;
	const struct mt_q_msg *y = *(struct mt_q_msg *const *)b;

	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;
	return (x->first < y->first) - (x->first > y->first);
}

/* seed_newest - seeds newest first, for the order of expansion */
static int
seed_newest(const void *a, const void *b)
{
	return -ev_cmp(a, b);
}

/* mt_q_trace - trace one identifier */
int
mt_q_trace(struct mt_q *q, const char *id, struct mt_trace **out)
{
	struct q_tr tr;
	struct q_item seed;
	struct mt_trace *t;
	struct mt_q_msg **msgs = NULL;
	struct mt_q_ev **sub = NULL;
	size_t *comp = NULL, i, j, ncomp, nmsgs = 0, nseeds, done;
	char norm[1025];
	int64_t tmin = 0, tmax = 0, lo, hi;
	int rc = 0;

	*out = NULL;
	memset(&tr, 0, sizeof(tr));
	tr.q = q;
	tr.since = mt_q_opts_of(q)->since;
	tr.until = mt_q_opts_of(q)->until;
	mt_key_norm(id, strlen(id), norm, sizeof(norm));
	t = mt_q_trace_new(id);
	if (norm[0] == '\0') {
		*out = t;
		return 0;
	}
	mt_q_cache_clear(q);

	/* seeds */
	seed.kind = K_SEED;
	seed.host = NULL;
	seed.s = norm;
	if ((rc = tr_expand(&tr, &seed, tr.since, tr.until)) < 0)
		goto out;
	nseeds = tr.ngot;
	if (nseeds == 0)
		goto done;
	sub = mt_reallocarray(NULL, nseeds, sizeof(*sub));
	memcpy(sub, tr.got, nseeds * sizeof(*sub));
	qsort(sub, nseeds, sizeof(*sub), seed_newest);
	tmax = sub[0]->e.time;
	tmin = sub[nseeds - 1]->e.time;
	for (i = 0; i < nseeds; i++)
		tr_push_ids(&tr, sub[i]);
	free(sub);
	sub = NULL;
	lo = tmin - Q_REACH;
	hi = tmax + Q_REACH;

	/* closure */
	for (done = 0; done < tr.nitems && !tr.full; done++) {
		struct q_item it;
		size_t before = tr.ngot;

		if (done >= Q_MAXIDS) {
			mt_warnx("trace %s: more than %d identifiers linked; "
			    "showing what was found", id, Q_MAXIDS);
			break;
		}
		it = tr.items[done];
		/* around the events that named it, within the seeds' reach:
		 * a store of many days costs a lookup of the days nearby */
		if ((rc = tr_expand(&tr, &it, it.tmin - Q_REACH > lo ?
		    it.tmin - Q_REACH : lo, it.tmax + Q_REACH < hi ?
		    it.tmax + Q_REACH : hi)) < 0)
			goto out;
		for (j = before; j < tr.ngot; j++)
			tr_push_ids(&tr, tr.got[j]);
	}
	if (tr.full)
		mt_warnx("trace %s: more than %d events; showing what was "
		    "found", id, Q_MAXEVS);

	/* grouping */
	qsort(tr.got, tr.ngot, sizeof(*tr.got), ev_cmp);
	comp = mt_reallocarray(NULL, tr.ngot, sizeof(*comp));
	ncomp = q_group(tr.got, tr.ngot, comp);
	sub = mt_reallocarray(NULL, tr.ngot, sizeof(*sub));
	msgs = mt_reallocarray(NULL, ncomp ? ncomp : 1, sizeof(*msgs));
	for (i = 0; i < ncomp; i++) {
		size_t ns = 0;
		int seeded = 0;

		for (j = 0; j < tr.ngot; j++) {
			if (comp[j] != i)
				continue;
			sub[ns++] = tr.got[j];
			if (tr.got[j]->taken == 2)
				seeded = 1;
		}
		if (seeded)
			msgs[nmsgs++] = q_msg_build(q, sub, ns, 0);
	}
	qsort(msgs, nmsgs, sizeof(*msgs), msg_last_cmp);
	for (i = 0; i < nmsgs; i++) {
		if (i < mt_q_opts_of(q)->max_messages)
			mt_q_trace_add(t, msgs[i]);
		else
			mt_q_msg_free(msgs[i]);
	}
done:
	rc = 0;
out:
	for (i = 0; i < tr.nitems; i++) {
		free(tr.items[i].host);
		free(tr.items[i].s);
	}
	free(tr.items);
	free(tr.got);
	free(comp);
	free(sub);
	free(msgs);
	mt_q_cache_clear(q);
	if (rc < 0) {
		mt_trace_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* ---- every message of a window ---- */

struct q_pool {
	struct mt_q_ev **evs;
	size_t	 n, cap;
	size_t	 sorted;	/* evs[0 .. sorted) are in ev_cmp order */
	struct mt_q_ev **tmp;	/* merge buffer */
	size_t	 tmpcap;
	/* what the last flush learnt of the components it kept: ev->pcomp
	 * indexes these; Q_NOCOMP for events added since */
	size_t	*pcnt;		/* events in the component */
	unsigned char *popen;	/* 1 built and found unsettled */
	size_t	 npcap;
	/* work arrays of pool_flush, kept across flushes */
	size_t	*comp, *start, *cnt;
	unsigned char *closed, *unset;
	struct mt_q_ev **sub;
	struct mt_q_msg **out;
	size_t	 evcap, compcap;
};

/*
 * pool_sort - put the pool in ev_cmp order: only the events added since
 * the last flush are sorted, then merged with the rest, which kept its
 * order (a flush only takes events out).
 */
static void
pool_sort(struct q_pool *pl)
{
	size_t i, j, k, nn = pl->n - pl->sorted;

	if (nn == 0)
		return;
	qsort(pl->evs + pl->sorted, nn, sizeof(*pl->evs), ev_cmp);
	if (pl->sorted == 0 || ev_cmp(&pl->evs[pl->sorted - 1],
	    &pl->evs[pl->sorted]) < 0) {
		pl->sorted = pl->n;
		return;
	}
	if (pl->tmpcap < pl->sorted) {
		pl->tmpcap = pl->sorted;
		pl->tmp = mt_reallocarray(pl->tmp, pl->tmpcap,
		    sizeof(*pl->tmp));
	}
	memcpy(pl->tmp, pl->evs, pl->sorted * sizeof(*pl->evs));
	i = 0;				/* in tmp (the old part) */
	j = pl->sorted;			/* in evs (the new part) */
	k = 0;
	while (i < pl->sorted && j < pl->n) {
		if (ev_cmp(&pl->tmp[i], &pl->evs[j]) <= 0)
			pl->evs[k++] = pl->tmp[i++];
		else
			pl->evs[k++] = pl->evs[j++];
	}
	while (i < pl->sorted)
		pl->evs[k++] = pl->tmp[i++];
	pl->sorted = pl->n;
}

/* in_window - does any event of m fall in [since, until]? */
static int
in_window(const struct mt_q_msg *m, int64_t since, int64_t until)
{
	size_t i;

	for (i = 0; i < m->nevents; i++) {
		int64_t t = m->events[i].time;

		if ((since == 0 || t >= since) && (until == 0 || t <= until))
			return 1;
	}
	return 0;
}

/* msg_first_cmp - messages oldest first */
static int
msg_first_cmp(const void *a, const void *b)
{
	const struct mt_q_msg *x = *(struct mt_q_msg *const *)a;
	const struct mt_q_msg *y = *(struct mt_q_msg *const *)b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return (x->last > y->last) - (x->last < y->last);
}

/* pool_grow - room for the work arrays of a flush of n events, nc comps */
static void
pool_grow(struct q_pool *pl, size_t n, size_t nc)
{
	if (pl->evcap < n) {
		pl->evcap = n;
		pl->comp = mt_reallocarray(pl->comp, n, sizeof(*pl->comp));
		pl->sub = mt_reallocarray(pl->sub, n, sizeof(*pl->sub));
	}
	if (pl->compcap < nc + 1) {
		pl->compcap = nc + 1;
		pl->start = mt_reallocarray(pl->start, nc + 1,
		    sizeof(*pl->start));
		pl->cnt = mt_reallocarray(pl->cnt, nc + 1, sizeof(*pl->cnt));
		pl->closed = mt_reallocarray(pl->closed, nc + 1, 1);
		pl->unset = mt_reallocarray(pl->unset, nc + 1, 1);
		pl->out = mt_reallocarray(pl->out, nc + 1, sizeof(*pl->out));
	}
}

/*
 * comp_known_open - is component ce[0 .. n) exactly one the last flush
 * built and found unsettled?  Its events then were all in that
 * component and it had as many: the same events, so the same message.
 */
static int
comp_known_open(const struct q_pool *pl, struct mt_q_ev *const *ce, size_t n)
{
	size_t p = ce[0]->pcomp, i;

	if (p == Q_NOCOMP || pl->pcnt[p] != n || !pl->popen[p])
		return 0;
	for (i = 1; i < n; i++)
		if (ce[i]->pcomp != p)
			return 0;
	return 1;
}

/*
 * pool_flush - hand out the messages of the pool that no record at or
 * after watermark can join (all of them when final); 0, or cb's non-zero.
 * A message still open is built again only when its events changed.
 */
static int
pool_flush(struct mt_q *q, struct q_pool *pl, int64_t watermark, int final,
    int (*cb)(void *, const struct mt_q_msg *), void *arg)
{
	const struct mt_q_opts *o = mt_q_opts_of(q);
	struct mt_q_ev **sub;
	struct mt_q_msg **out, *m;
	size_t *comp, *start, *cnt;
	size_t i, c, ncomp, nout = 0, keep = 0, nkc = 0;
	unsigned char *closed, *unset;
	int rc = 0;

	if (pl->n == 0)
		return 0;
	pool_sort(pl);
	pool_grow(pl, pl->n, 0);
	ncomp = q_group(pl->evs, pl->n, pl->comp);
	pool_grow(pl, pl->n, ncomp);
	comp = pl->comp;
	sub = pl->sub;
	start = pl->start;
	cnt = pl->cnt;
	closed = pl->closed;
	unset = pl->unset;
	out = pl->out;
	memset(start, 0, (ncomp + 1) * sizeof(*start));
	memset(cnt, 0, ncomp * sizeof(*cnt));
	memset(closed, 0, ncomp);
	memset(unset, 0, ncomp);
	for (i = 0; i < pl->n; i++)
		start[comp[i] + 1]++;
	for (c = 0; c < ncomp; c++)
		start[c + 1] += start[c];
	for (i = 0; i < pl->n; i++)
		sub[start[comp[i]] + cnt[comp[i]]++] = pl->evs[i];
	for (c = 0; c < ncomp; c++) {
		struct mt_q_ev **ce = sub + start[c];
		int64_t last = ce[cnt[c] - 1]->e.time;

		if (!final && last >= watermark - Q_OPEN_SHORT)
			continue;
		if (!final && last >= watermark - Q_OPEN_LONG &&
		    comp_known_open(pl, ce, cnt[c])) {
			unset[c] = 1;
			continue;
		}
		m = q_msg_build(q, ce, cnt[c], 1);
		if (!final && last >= watermark - Q_OPEN_LONG &&
		    !msg_settled(m)) {
			mt_q_msg_free(m);
			unset[c] = 1;
			continue;
		}
		closed[c] = 1;
		if (in_window(m, o->since, o->until))
			out[nout++] = m;
		else
			mt_q_msg_free(m);
	}
	qsort(out, nout, sizeof(*out), msg_first_cmp);
	for (i = 0; i < nout; i++) {
		if (rc == 0)
			rc = cb(arg, out[i]);
		mt_q_msg_free(out[i]);
	}
	/* number the kept components densely for the next flush */
	for (c = 0; c < ncomp; c++)
		cnt[c] = closed[c] ? Q_NOCOMP : nkc++;
	if (pl->npcap < nkc) {
		pl->npcap = nkc;
		pl->pcnt = mt_reallocarray(pl->pcnt, nkc, sizeof(*pl->pcnt));
		pl->popen = mt_reallocarray(pl->popen, nkc, 1);
	}
	for (c = 0; c < ncomp; c++) {
		if (closed[c])
			continue;
		pl->pcnt[cnt[c]] = start[c + 1] - start[c];
		pl->popen[cnt[c]] = unset[c];
	}
	for (i = 0; i < pl->n; i++) {
		if (closed[comp[i]]) {
			mt_q_ev_clear(pl->evs[i]);
			free(pl->evs[i]);
		} else {
			pl->evs[i]->pcomp = cnt[comp[i]];
			pl->evs[keep++] = pl->evs[i];
		}
	}
	pl->n = keep;
	pl->sorted = keep;
	return rc;
}

/* mt_q_each_message - every message of the window, oldest first */
int
mt_q_each_message(struct mt_q *q,
    int (*cb)(void *, const struct mt_q_msg *), void *arg)
{
	const struct mt_q_opts *o = mt_q_opts_of(q);
	struct q_pool pl;
	struct mt_q_feed *feed = NULL;
	struct mt_q_ev **evs;
	int64_t *blks = NULL, lo, hi, bmin, last_flush = 0;
	size_t nblks = 0, nevs, i;
	int rc, stop = 0;

	memset(&pl, 0, sizeof(pl));
	lo = o->since ? o->since - Q_OPEN_LONG : 0;
	hi = o->until ? o->until + Q_DAY : 0;
	if ((rc = mt_ix_blocks(mt_q_ix(q), lo, hi, &blks, &nblks)) < 0)
		return rc;
	feed = mt_q_feed_new(q, blks, nblks, lo, hi);
	while ((rc = mt_q_feed_next(feed, &evs, &nevs, &bmin)) == 1) {
		/* every later record is at or after this block's earliest */
		if (bmin != INT64_MAX && bmin - last_flush >= Q_FLUSH_STEP) {
			stop = pool_flush(q, &pl, bmin, 0, cb, arg);
			last_flush = bmin;
		}
		/* into the pool even when stopping: it is released below */
		if (pl.n + nevs > pl.cap) {
			while (pl.n + nevs > pl.cap)
				pl.cap = pl.cap ? pl.cap * 2 : 1024;
			pl.evs = mt_reallocarray(pl.evs, pl.cap,
			    sizeof(*pl.evs));
		}
		for (i = 0; i < nevs; i++) {
			evs[i]->pcomp = Q_NOCOMP;
			pl.evs[pl.n++] = evs[i];
		}
		if (stop != 0) {
			rc = stop;
			goto out;
		}
	}
	if (rc == 0)
		rc = pool_flush(q, &pl, 0, 1, cb, arg);
out:
	mt_q_feed_free(feed);
	for (i = 0; i < pl.n; i++) {
		mt_q_ev_clear(pl.evs[i]);
		free(pl.evs[i]);
	}
	free(pl.evs);
	free(pl.tmp);
	free(pl.pcnt);
	free(pl.popen);
	free(pl.comp);
	free(pl.start);
	free(pl.cnt);
	free(pl.closed);
	free(pl.unset);
	free(pl.sub);
	free(pl.out);
	free(blks);
	return rc;
}
