/*
 * NAME
 *	mt_q_ev.c - events re-read from the store, one allocation each
 *
 * SUMMARY
 *	mt_q_ev_fill(&qe, &ev, blk, seq, sub);	... mt_q_ev_clear(&qe);
 *	mt_q_event_copy(&dst, &qe.e);		... mt_q_event_clear(&dst);
 *
 * DESCRIPTION
 *	An export or a summary re-reads every record of the window, so the
 *	copy of an event is on its hot path.  All the strings of one event
 *	(its 19 text fields and 7 normalized identifiers) are laid out in
 *	a single allocation, e.mem; the struct fields stay plain char *
 *	pointers into it.  Each normalized identifier and the host get a
 *	64-bit hash (mt_q_hash) so that grouping compares integers first.
 *
 *	A field absent from the parser event (NULL span) stays NULL; a
 *	present one is copied up to its first NUL byte, as mt_strndup does.
 *
 * DIAGNOSTICS
 *	None; allocation failure exits (mt_malloc).
 */
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_event.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"

#define Q_IDMAX		(1024 + 1)	/* longest identifier compared */
#define Q_NSTR		19		/* text fields of struct mt_q_event */

/* mt_q_hash - 64-bit FNV-1a of a string, never 0 */
uint64_t
mt_q_hash(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *p != '\0'; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

/* ev_fields - the addresses of the text fields of e, in layout order */
static void
ev_fields(struct mt_q_event *e, char **f[Q_NSTR])
{
	f[0] = &e->raw;
	f[1] = &e->host;
	f[2] = &e->prog;
	f[3] = &e->qid;
	f[4] = &e->qid2;
	f[5] = &e->message_id;
	f[6] = &e->provider_id;
	f[7] = &e->request_id;
	f[8] = &e->recipient;
	f[9] = &e->orig_recipient;
	f[10] = &e->sender;
	f[11] = &e->client;
	f[12] = &e->relay;
	f[13] = &e->dsn;
	f[14] = &e->status;
	f[15] = &e->subtype;
	f[16] = &e->reply;
	f[17] = &e->delay;
	f[18] = &e->cls;
}

/* mt_q_ev_fill - copy a parser event into a fresh mt_q_ev */
void
mt_q_ev_fill(struct mt_q_ev *qe, const struct mt_event *ev, int64_t blk,
    uint32_t seq, int sub)
{
	const struct mt_span sp[Q_NSTR] = {
		ev->raw, ev->host, ev->prog, ev->qid, ev->qid2,
		ev->message_id, ev->provider_id, ev->request_id,
		ev->recipient, ev->orig_recipient, ev->sender, ev->client,
		ev->relay, ev->dsn, ev->status, ev->subtype, ev->reply,
		ev->delay, ev->cls
	};
	/* the identifier spans, in enum mt_q_idf order */
	const struct mt_span *ids[MT_Q__NID] = {
		&ev->qid, &ev->qid2, &ev->message_id, &ev->provider_id,
		&ev->request_id, &ev->recipient, &ev->orig_recipient
	};
	char norm[MT_Q__NID][Q_IDMAX];
	size_t len[Q_NSTR], nlen[MT_Q__NID], total = 0, i;
	struct mt_q_event *e = &qe->e;
	char **f[Q_NSTR], *p;

	memset(qe, 0, sizeof(*qe));
	for (i = 0; i < Q_NSTR; i++) {
		len[i] = sp[i].p != NULL ? strnlen(sp[i].p, sp[i].n) : 0;
		if (sp[i].p != NULL)
			total += len[i] + 1;
	}
	for (i = 0; i < MT_Q__NID; i++) {
		nlen[i] = 0;
		if (ids[i]->p != NULL && ids[i]->n > 0)
			nlen[i] = mt_key_norm(ids[i]->p, ids[i]->n, norm[i],
			    sizeof(norm[i]));
		if (nlen[i] > 0)
			total += nlen[i] + 1;
	}
	p = e->mem = mt_malloc(total ? total : 1);
	ev_fields(e, f);
	for (i = 0; i < Q_NSTR; i++) {
		if (sp[i].p == NULL)
			continue;
		memcpy(p, sp[i].p, len[i]);
		p[len[i]] = '\0';
		*f[i] = p;
		p += len[i] + 1;
	}
	for (i = 0; i < MT_Q__NID; i++) {
		if (nlen[i] == 0)
			continue;
		memcpy(p, norm[i], nlen[i] + 1);
		qe->nid[i] = p;
		qe->hid[i] = mt_q_hash(p);
		p += nlen[i] + 1;
	}
	qe->hhost = mt_q_hash(e->host ? e->host : "");
	e->time = ev->time;
	e->src = ev->src;
	e->stage = ev->stage;
	e->type = ev->type;
	e->size = ev->size;
	e->nrcpt = ev->nrcpt;
	e->reply_code = ev->reply_code;
	e->blk = blk;
	e->seq = seq;
	e->sub = sub;
}

/* mt_q_event_clear - release the strings of a public event */
void
mt_q_event_clear(struct mt_q_event *e)
{
	free(e->mem);
	memset(e, 0, sizeof(*e));
}

/* mt_q_ev_clear - release the strings of one event */
void
mt_q_ev_clear(struct mt_q_ev *qe)
{
	mt_q_event_clear(&qe->e);
	memset(qe, 0, sizeof(*qe));
}

/* mt_q_event_copy - deep copy of the public part */
void
mt_q_event_copy(struct mt_q_event *d, const struct mt_q_event *s)
{
	char **f[Q_NSTR], *p;
	size_t len[Q_NSTR], total = 0, i;

	*d = *s;
	ev_fields(d, f);
	for (i = 0; i < Q_NSTR; i++) {
		len[i] = *f[i] != NULL ? strlen(*f[i]) : 0;
		if (*f[i] != NULL)
			total += len[i] + 1;
	}
	p = d->mem = mt_malloc(total ? total : 1);
	for (i = 0; i < Q_NSTR; i++) {
		if (*f[i] == NULL)
			continue;
		memcpy(p, *f[i], len[i] + 1);
		*f[i] = p;
		p += len[i] + 1;
	}
}
