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
 *	decompressed once per query and its records are listed; an
 *	identifier is looked for in the raw block text, case-insensitively,
 *	with a word-at-a-time filter on three of its bytes (SSE2 where the
 *	compiler offers it, 64-bit words otherwise) and a full comparison at
 *	each candidate, so that no lower-cased copy of a block is made.  The
 *	records found for an identifier in a block are remembered, so the
 *	closure of a trace, which asks for the same identifier under several
 *	kinds (seed, Message-ID, queue ID and hop), scans a block for it
 *	once.  A record is parsed (with its stored format and time) only
 *	when its text holds the identifier, and its events are kept with it:
 *	every record is parsed at most once per query.
 *
 *	Also here: the outcome words and the trace container.
 *
 * DIAGNOSTICS
 *	Store errors are reported by mt_ix and returned.
 */
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mt_alloc.h"
#include "mt_ix.h"
#include "mt_msg.h"
#include "mt_parser.h"
#include "mt_q.h"
#include "mt_q_int.h"
#include "mt_q_msg.h"

#define Q_IDMAX	(1024 + 1)	/* longest identifier compared */

/* The records of a block found to hold one identifier. */
struct q_hits {
	char	*needle;		/* normalized */
	size_t	*rec;			/* indexes into q_blk.recs, ascending */
	size_t	 n;
};

/* A loaded block: its records, and what was looked for in it. */
struct q_blk {
	int64_t	 id;
	struct mt_ix_block *b;
	struct mt_q_rec *recs;
	size_t	 nrecs;
	const char *text;		/* the first record's text, in the block */
	size_t	 textlen;		/* up to the end of the last record */
	struct q_hits *hits;
	size_t	 nhits;
};

/* A needle prepared for ci_find: three anchor bytes, case-folded. */
struct q_pat {
	const char *s;			/* lower case */
	size_t	 m;
	size_t	 at[3];			/* anchor positions */
	unsigned char v[3];		/* anchor bytes */
	unsigned char f[3];		/* 0x20 when the anchor is a letter */
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

/* mt_q_opts_covers - is t (0 = unknown) inside the window */
int
mt_q_opts_covers(const struct mt_q_opts *o, int64_t t)
{
	if (t == 0)
		return 1;
	if (o->since && t < o->since)
		return 0;
	if (o->until && t > o->until)
		return 0;
	return 1;
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

/* mt_q_pcfg - the parser configuration (for parsers of other threads) */
const struct mt_parser_cfg *
mt_q_pcfg(struct mt_q *q)
{
	return q->pcfg;
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
	for (i = 0; i < cb->nhits; i++) {
		free(cb->hits[i].needle);
		free(cb->hits[i].rec);
	}
	free(cb->hits);
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
	struct mt_q_rec *rec;
	size_t i, cap = 0;
	int rc;

	for (i = 0; i < q->nblks; i++) {
		if (q->blks[i].id == id) {
			*out = &q->blks[i];
			return 0;
		}
	}
	if ((rc = mt_ix_chunk_load(q->ix, id, &b)) < 0)
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
		if (cb->nrecs == 0)
			cb->text = r.p;
		rec = &cb->recs[cb->nrecs++];
		memset(rec, 0, sizeof(*rec));
		rec->time = r.time;
		rec->fmt = r.fmt;
		rec->seq = r.seq;
		rec->p = r.p;
		rec->n = r.n;
		/* records follow each other in one buffer */
		rec->off = (size_t)(r.p - cb->text);
		cb->textlen = rec->off + r.n;
	}
	*out = cb;
	return 0;
}

/* rec_at - index of the record whose text starts at or before off */
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

/* pat_init - prepare needle (m > 0 bytes, lower case) for ci_find */
static void
pat_init(struct q_pat *pt, const char *needle, size_t m)
{
	int k;

	pt->s = needle;
	pt->m = m;
	pt->at[0] = 0;
	pt->at[1] = m / 2;
	pt->at[2] = m - 1;
	for (k = 0; k < 3; k++) {
		pt->v[k] = (unsigned char)needle[pt->at[k]];
		pt->f[k] = pt->v[k] >= 'a' && pt->v[k] <= 'z' ? 0x20 : 0;
	}
}

/* ci_eq - do the m bytes at s equal needle once A-Z are lower-cased? */
static int
ci_eq(const char *s, const char *needle, size_t m)
{
	size_t k;

	for (k = 0; k < m; k++) {
		char c = s[k];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + ('a' - 'A'));
		if (c != needle[k])
			return 0;
	}
	return 1;
}

/*
 * ci_find - first position in hay (n bytes) where the needle of pt
 * matches with A-Z lower-cased, or NULL.  A whole word of positions is
 * tested at once for the three anchor bytes ((c | 0x20) == v for a
 * letter, c == v otherwise, which is exact); only positions that pass
 * are compared in full.
 */
static const char *
ci_find(const struct q_pat *pt, const char *hay, size_t n)
{
	size_t i = 0, k, m = pt->m;

	if (n < m)
		return NULL;
#if defined(__SSE2__)
	{
		__m128i v0 = _mm_set1_epi8((char)pt->v[0]);
		__m128i v1 = _mm_set1_epi8((char)pt->v[1]);
		__m128i v2 = _mm_set1_epi8((char)pt->v[2]);
		__m128i f0 = _mm_set1_epi8((char)pt->f[0]);
		__m128i f1 = _mm_set1_epi8((char)pt->f[1]);
		__m128i f2 = _mm_set1_epi8((char)pt->f[2]);
		const char *h0 = hay + pt->at[0], *h1 = hay + pt->at[1];
		const char *h2 = hay + pt->at[2];

		for (; i + m + 15 <= n; i += 16) {
			__m128i a, b, c;
			unsigned mask;

			a = _mm_loadu_si128((const __m128i *)(const void *)
			    (h0 + i));
			b = _mm_loadu_si128((const __m128i *)(const void *)
			    (h1 + i));
			c = _mm_loadu_si128((const __m128i *)(const void *)
			    (h2 + i));
			a = _mm_cmpeq_epi8(_mm_or_si128(a, f0), v0);
			b = _mm_cmpeq_epi8(_mm_or_si128(b, f1), v1);
			c = _mm_cmpeq_epi8(_mm_or_si128(c, f2), v2);
			mask = (unsigned)_mm_movemask_epi8(
			    _mm_and_si128(_mm_and_si128(a, b), c));
			while (mask != 0) {
				/* lowest set bit: the first candidate */
				k = (size_t)__builtin_ctz(mask);
				if (ci_eq(hay + i + k, pt->s, m))
					return hay + i + k;
				mask &= mask - 1;
			}
		}
	}
#else
	{
		const uint64_t ones = 0x0101010101010101ULL;
		const uint64_t highs = 0x8080808080808080ULL;
		uint64_t w, x, z;
		int a;

		for (; i + m + 7 <= n; i += 8) {
			z = highs;
			for (a = 0; a < 3; a++) {
				memcpy(&w, hay + i + pt->at[a], sizeof(w));
				x = (w | (pt->f[a] * ones)) ^ (pt->v[a] * ones);
				/* high bit set in every zero byte (and in
				 * some above one): a filter, never a miss */
				z &= (x - ones) & ~x;
			}
			if (z == 0)
				continue;
			for (k = 0; k < 8; k++)
				if (ci_eq(hay + i + k, pt->s, m))
					return hay + i + k;
		}
	}
#endif
	for (; i + m <= n; i++)
		if (ci_eq(hay + i, pt->s, m))
			return hay + i;
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

/* blk_hits - the records of cb that hold needle (scanned once) */
static const struct q_hits *
blk_hits(struct q_blk *cb, const char *needle)
{
	struct q_hits *h;
	struct q_pat pt;
	const char *p, *end;
	size_t i, j, cap = 0, m = strlen(needle);

	for (i = 0; i < cb->nhits; i++)
		if (strcmp(cb->hits[i].needle, needle) == 0)
			return &cb->hits[i];
	cb->hits = mt_reallocarray(cb->hits, cb->nhits + 1,
	    sizeof(*cb->hits));
	h = &cb->hits[cb->nhits++];
	h->needle = mt_strdup(needle);
	h->rec = NULL;
	h->n = 0;
	pat_init(&pt, needle, m);
	p = cb->text;
	end = cb->text + cb->textlen;
	while (p != NULL && p < end &&
	    (p = ci_find(&pt, p, (size_t)(end - p))) != NULL) {
		const struct mt_q_rec *rec;

		j = rec_at(cb, (size_t)(p - cb->text));
		rec = &cb->recs[j];
		if ((size_t)(p - rec->p) + m > rec->n) {
			/* runs past the record's end: not in it */
			p++;
			continue;
		}
		if (h->n == cap) {
			cap = cap ? cap * 2 : 4;
			h->rec = mt_reallocarray(h->rec, cap, sizeof(*h->rec));
		}
		h->rec[h->n++] = j;
		/* go on with the next record */
		p = rec->p + rec->n;
	}
	return h;
}

/* mt_q_cache_find - records of blks that may hold needle, parsed, to fn */
int
mt_q_cache_find(struct mt_q *q, const int64_t *blks, size_t nblks,
    const char *needle, int (*fn)(void *, struct mt_q_rec *), void *arg)
{
	const struct q_hits *h;
	struct q_blk *cb;
	struct mt_q_rec *rec;
	size_t i, j;
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
		h = blk_hits(cb, needle);
		for (j = 0; j < h->n; j++) {
			rec = &cb->recs[h->rec[j]];
			mt_q_parse_rec(q, cb->id, rec);
			if ((rc = fn(arg, rec)) != 0)
				return rc;
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
