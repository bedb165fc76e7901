/*
 * NAME
 *	mt_q.c - query context: store, parser, cache of decompressed blocks
 *
 * SUMMARY
 *	q = mt_q_new(ix, &pcfg, &opts);
 *	... mt_q_trace(q, id, &t) ...
 *	mt_q_free(q);
 *
 * DESCRIPTION
 *	The context re-reads stored records: a block is loaded and
 *	decompressed once per query, a lower-cased copy of its records is
 *	kept so that an identifier can be looked for with memmem(3), and a
 *	record is parsed (with its stored format and time) only when its
 *	text may hold the identifier.  Parsed events are kept with the
 *	record, so the closure of a trace, which visits the same block many
 *	times, parses every record at most once.
 *
 *	Also here: the outcome words and the trace container.
 *
 * DIAGNOSTICS
 *	Store errors are reported by mt_ix and returned.
 */
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_q.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"

#define Q_IDMAX	(1024 + 1)	/* longest identifier compared */

/* A loaded block: records and their lower-cased text. */
struct q_blk {
	int64_t	 id;
	struct mt_ix_block *b;
	struct mt_q_rec *recs;
	size_t	 nrecs;
	char	*low;			/* records joined by '\n', lower case */
	size_t	 lowlen;
};

struct mt_q {
	struct mt_ix *ix;
	const struct mt_parser_cfg *pcfg;
	struct mt_parser *parser;
	struct mt_q_opts opts;
	struct q_blk *blks;		/* cache, in load order */
	size_t	 nblks;
	size_t	 capblks;
};

struct mt_trace {
	char	*query;
	struct mt_q_msg **msgs;
	size_t	 n;
	size_t	 cap;
};

static const char *const outcome_words[MT_OUT__COUNT] = {
	"", "delivered", "bounced", "deferred", "complained", "dropped",
	"failed", "pending"
};

/* mt_outcome_to_text - outcome word ("" for none) */
const char *
mt_outcome_to_text(enum mt_outcome o)
{
	return (unsigned)o < MT_OUT__COUNT ? outcome_words[o] : "";
}

/* mt_outcome_from_text - parse an outcome word; 0 or -1 */
int
mt_outcome_from_text(const char *w, enum mt_outcome *out)
{
	int i;

	for (i = 1; i < MT_OUT__COUNT; i++) {
		if (strcmp(outcome_words[i], w) == 0) {
			*out = (enum mt_outcome)i;
			return 0;
		}
	}
	return -1;
}

/* mt_q_new - query context over an open store */
struct mt_q *
mt_q_new(struct mt_ix *ix, const struct mt_parser_cfg *pcfg,
    const struct mt_q_opts *opts)
{
	struct mt_q *q;

	q = mt_calloc(1, sizeof(*q));
	q->ix = ix;
	q->pcfg = pcfg;
	q->parser = mt_parser_new(pcfg);
	if (q->parser == NULL) {
		free(q);
		return NULL;
	}
	mt_parser_set_input(q->parser, ix ? mt_ix_path(ix) : "(store)", 0);
	if (opts != NULL)
		q->opts = *opts;
	if (q->opts.max_messages == 0)
		q->opts.max_messages = 100;
	return q;
}

/* mt_q_free - release the context; accepts NULL */
void
mt_q_free(struct mt_q *q)
{
	if (q == NULL)
		return;
	mt_q_cache_clear(q);
	free(q->blks);
	mt_parser_free(q->parser);
	free(q);
}

/* mt_q_opts_of - the options the context was made with */
const struct mt_q_opts *
mt_q_opts_of(const struct mt_q *q)
{
	return &q->opts;
}

/* mt_q_ix - the store */
struct mt_ix *
mt_q_ix(struct mt_q *q)
{
	return q->ix;
}

/* mt_q_parser - the parser used to re-read records */
struct mt_parser *
mt_q_parser(struct mt_q *q)
{
	return q->parser;
}

/* norm_dup - normalized heap copy of a span, NULL when absent or empty */
static char *
norm_dup(struct mt_span s)
{
	char buf[Q_IDMAX];
	size_t n;

	if (s.p == NULL || s.n == 0)
		return NULL;
	n = mt_key_norm(s.p, s.n, buf, sizeof(buf));
	if (n == 0)
		return NULL;
	return mt_strndup(buf, n);
}

/* mt_q_ev_fill - copy a parser event into a fresh mt_q_ev */
void
mt_q_ev_fill(struct mt_q_ev *qe, const struct mt_event *ev, int64_t blk,
    uint32_t seq, int sub)
{
	struct mt_q_event *e = &qe->e;

	memset(qe, 0, sizeof(*qe));
	e->time = ev->time;
	e->src = ev->src;
	e->stage = ev->stage;
	e->type = ev->type;
	e->raw = mt_span_dup(ev->raw);
	e->host = mt_span_dup(ev->host);
	e->prog = mt_span_dup(ev->prog);
	e->qid = mt_span_dup(ev->qid);
	e->qid2 = mt_span_dup(ev->qid2);
	e->message_id = mt_span_dup(ev->message_id);
	e->provider_id = mt_span_dup(ev->provider_id);
	e->request_id = mt_span_dup(ev->request_id);
	e->recipient = mt_span_dup(ev->recipient);
	e->orig_recipient = mt_span_dup(ev->orig_recipient);
	e->sender = mt_span_dup(ev->sender);
	e->client = mt_span_dup(ev->client);
	e->relay = mt_span_dup(ev->relay);
	e->dsn = mt_span_dup(ev->dsn);
	e->status = mt_span_dup(ev->status);
	e->subtype = mt_span_dup(ev->subtype);
	e->reply = mt_span_dup(ev->reply);
	e->delay = mt_span_dup(ev->delay);
	e->cls = mt_span_dup(ev->cls);
	e->size = ev->size;
	e->nrcpt = ev->nrcpt;
	e->reply_code = ev->reply_code;
	e->blk = blk;
	e->seq = seq;
	e->sub = sub;
	qe->nid[MT_Q_QID] = norm_dup(ev->qid);
	qe->nid[MT_Q_QID2] = norm_dup(ev->qid2);
	qe->nid[MT_Q_MID] = norm_dup(ev->message_id);
	qe->nid[MT_Q_PID] = norm_dup(ev->provider_id);
	qe->nid[MT_Q_REQ] = norm_dup(ev->request_id);
	qe->nid[MT_Q_RCPT] = norm_dup(ev->recipient);
	qe->nid[MT_Q_ORCPT] = norm_dup(ev->orig_recipient);
}

/* mt_q_event_clear - release the strings of a public event */
void
mt_q_event_clear(struct mt_q_event *e)
{
	free(e->raw);
	free(e->host);
	free(e->prog);
	free(e->qid);
	free(e->qid2);
	free(e->message_id);
	free(e->provider_id);
	free(e->request_id);
	free(e->recipient);
	free(e->orig_recipient);
	free(e->sender);
	free(e->client);
	free(e->relay);
	free(e->dsn);
	free(e->status);
	free(e->subtype);
	free(e->reply);
	free(e->delay);
	free(e->cls);
	memset(e, 0, sizeof(*e));
}

/* mt_q_ev_clear - release the strings of one event */
void
mt_q_ev_clear(struct mt_q_ev *qe)
{
	int i;

	mt_q_event_clear(&qe->e);
	for (i = 0; i < MT_Q__NID; i++)
		free(qe->nid[i]);
	memset(qe, 0, sizeof(*qe));
}

/* sdup - strdup that passes NULL through */
static char *
sdup(const char *s)
{
	return s ? mt_strdup(s) : NULL;
}

/* mt_q_event_copy - deep copy of the public part */
void
mt_q_event_copy(struct mt_q_event *d, const struct mt_q_event *s)
{
	*d = *s;
	d->raw = sdup(s->raw);
	d->host = sdup(s->host);
	d->prog = sdup(s->prog);
	d->qid = sdup(s->qid);
	d->qid2 = sdup(s->qid2);
	d->message_id = sdup(s->message_id);
	d->provider_id = sdup(s->provider_id);
	d->request_id = sdup(s->request_id);
	d->recipient = sdup(s->recipient);
	d->orig_recipient = sdup(s->orig_recipient);
	d->sender = sdup(s->sender);
	d->client = sdup(s->client);
	d->relay = sdup(s->relay);
	d->dsn = sdup(s->dsn);
	d->status = sdup(s->status);
	d->subtype = sdup(s->subtype);
	d->reply = sdup(s->reply);
	d->delay = sdup(s->delay);
	d->cls = sdup(s->cls);
}

/* mt_q_parse_rec - parse one stored record (once) into rec->evs */
void
mt_q_parse_rec(struct mt_q *q, int64_t blk, struct mt_q_rec *rec)
{
	struct mt_event ev;
	size_t cap = 0;
	int r, sub = 0;

	if (rec->parsed)
		return;
	rec->parsed = 1;
	mt_parser_set_time(q->parser, rec->time);
	r = mt_parser_push(q->parser, (enum mt_fmt)rec->fmt, rec->p, rec->n,
	    0);
	if (r <= 0)
		return;
	while (mt_parser_next(q->parser, &ev) == 1) {
		if (rec->nevs == cap) {
			cap = cap ? cap * 2 : 2;
			rec->evs = mt_reallocarray(rec->evs, cap,
			    sizeof(*rec->evs));
		}
		if (ev.time == 0)
			ev.time = rec->time;
		mt_q_ev_fill(&rec->evs[rec->nevs++], &ev, blk, rec->seq,
		    sub++);
	}
}

/* blk_free - release one cached block */
static void
blk_free(struct q_blk *cb)
{
	size_t i, j;

	for (i = 0; i < cb->nrecs; i++) {
		for (j = 0; j < cb->recs[i].nevs; j++)
			mt_q_ev_clear(&cb->recs[i].evs[j]);
		free(cb->recs[i].evs);
	}
	free(cb->recs);
	free(cb->low);
	mt_ix_block_free(cb->b);
	memset(cb, 0, sizeof(*cb));
}

/* mt_q_cache_clear - drop every cached block */
void
mt_q_cache_clear(struct mt_q *q)
{
	size_t i;

	for (i = 0; i < q->nblks; i++)
		blk_free(&q->blks[i]);
	q->nblks = 0;
}

/* blk_get - the cached block id, loading it on first use */
static int
blk_get(struct mt_q *q, int64_t id, struct q_blk **out)
{
	struct q_blk *cb;
	struct mt_ix_block *b;
	struct mt_ix_rec r;
	size_t i, cap = 0, total = 0, k;
	int rc;

	for (i = 0; i < q->nblks; i++) {
		if (q->blks[i].id == id) {
			*out = &q->blks[i];
			return 0;
		}
	}
	if ((rc = mt_ix_block_load(q->ix, id, &b)) < 0)
		return rc;
	if (q->nblks == q->capblks) {
		q->capblks = q->capblks ? q->capblks * 2 : 8;
		q->blks = mt_reallocarray(q->blks, q->capblks,
		    sizeof(*q->blks));
	}
	cb = &q->blks[q->nblks++];
	memset(cb, 0, sizeof(*cb));
	cb->id = id;
	cb->b = b;
	while (mt_ix_block_next(b, &r) == 1) {
		if (cb->nrecs == cap) {
			cap = cap ? cap * 2 : 256;
			cb->recs = mt_reallocarray(cb->recs, cap,
			    sizeof(*cb->recs));
		}
		memset(&cb->recs[cb->nrecs], 0, sizeof(cb->recs[0]));
		cb->recs[cb->nrecs].time = r.time;
		cb->recs[cb->nrecs].fmt = r.fmt;
		cb->recs[cb->nrecs].seq = r.seq;
		cb->recs[cb->nrecs].p = r.p;
		cb->recs[cb->nrecs].n = r.n;
		cb->recs[cb->nrecs].off = total;
		total += r.n + 1;
		cb->nrecs++;
	}
	cb->low = mt_malloc(total + 1);
	for (i = 0; i < cb->nrecs; i++) {
		const char *s = cb->recs[i].p;
		char *d = cb->low + cb->recs[i].off;

		for (k = 0; k < cb->recs[i].n; k++) {
			char c = s[k];

			d[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		d[k] = '\n';
	}
	cb->low[total] = '\0';
	cb->lowlen = total;
	*out = cb;
	return 0;
}

/* rec_at - index of the record holding byte off of the lower-cased copy */
static size_t
rec_at(const struct q_blk *cb, size_t off)
{
	size_t lo = 0, hi = cb->nrecs;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (cb->recs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* find - first occurrence of needle (m > 0 bytes) in hay, or NULL */
static const char *
find(const char *hay, size_t n, const char *needle, size_t m)
{
	const char *p = hay, *end = hay + n, *c;

	while ((size_t)(end - p) >= m &&
	    (c = memchr(p, needle[0], (size_t)(end - p) - m + 1)) != NULL) {
		if (memcmp(c, needle, m) == 0)
			return c;
		p = c + 1;
	}
	return NULL;
}

/* searchable - can needle be found verbatim in a stored record? */
static int
searchable(const char *needle)
{
	const unsigned char *s;

	if (*needle == '\0')
		return 0;
	for (s = (const unsigned char *)needle; *s; s++)
		if (*s < 0x21 || *s >= 0x7f || *s == '"' || *s == '\\' ||
		    *s == '/')
			return 0;
	return 1;
}

/* mt_q_cache_find - records of blks that may hold needle, parsed, to fn */
int
mt_q_cache_find(struct mt_q *q, const int64_t *blks, size_t nblks,
    const char *needle, int (*fn)(void *, struct mt_q_rec *), void *arg)
{
	struct q_blk *cb;
	size_t i, j, m = strlen(needle);
	int rc, scan = searchable(needle);

	for (i = 0; i < nblks; i++) {
		if ((rc = blk_get(q, blks[i], &cb)) < 0)
			return rc;
		if (!scan) {
			for (j = 0; j < cb->nrecs; j++) {
				mt_q_parse_rec(q, cb->id, &cb->recs[j]);
				if ((rc = fn(arg, &cb->recs[j])) != 0)
					return rc;
			}
			continue;
		}
		{
			const char *p = cb->low, *end = cb->low + cb->lowlen;
			size_t last = (size_t)-1;

			while (p < end && (p = find(p, (size_t)(end - p),
			    needle, m)) != NULL) {
				j = rec_at(cb, (size_t)(p - cb->low));
				if (j != last) {
					last = j;
					mt_q_parse_rec(q, cb->id, &cb->recs[j]);
					if ((rc = fn(arg, &cb->recs[j])) != 0)
						return rc;
				}
				/* go on with the next record */
				p = cb->low + cb->recs[j].off + cb->recs[j].n;
			}
		}
	}
	return 0;
}

/* mt_q_trace_new - an empty trace */
struct mt_trace *
mt_q_trace_new(const char *query)
{
	struct mt_trace *t;

	t = mt_calloc(1, sizeof(*t));
	t->query = mt_strdup(query ? query : "");
	return t;
}

/* mt_q_trace_add - append a message (the trace takes it) */
void
mt_q_trace_add(struct mt_trace *t, struct mt_q_msg *m)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->msgs = mt_reallocarray(t->msgs, t->cap, sizeof(*t->msgs));
	}
	t->msgs[t->n++] = m;
}

/* mt_q_trace_query - the identifier asked for */
const char *
mt_q_trace_query(const struct mt_trace *t)
{
	return t->query;
}

/* mt_q_trace_msg - message i */
const struct mt_q_msg *
mt_q_trace_msg(const struct mt_trace *t, size_t i)
{
	return i < t->n ? t->msgs[i] : NULL;
}

/* mt_trace_count - number of messages */
size_t
mt_trace_count(const struct mt_trace *t)
{
	return t ? t->n : 0;
}

/* mt_trace_free - release a trace; accepts NULL */
void
mt_trace_free(struct mt_trace *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		mt_q_msg_free(t->msgs[i]);
	free(t->msgs);
	free(t->query);
	free(t);
}
