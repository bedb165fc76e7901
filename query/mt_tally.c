/*
 * mt_tally.c - counters keyed by a byte string; see mt_tally.h
 *
 * DESCRIPTION
 *	Open addressing with linear probing over a power-of-two table of
 *	entry pointers, FNV-1a hashes, grown at 50% load.  Sorting copies
 *	the entry pointers into a separate array that the next add drops.
 */
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_tally.h"

#define TALLY_MAX_DEFAULT	1000000

struct mt_tally {
	struct mt_tally_ent **slots;
	size_t	 nslots;	/* power of two */
	size_t	 n;
	size_t	 max;
	struct mt_tally_ent **sorted;
};

/* tally_hash - FNV-1a over the key */
static uint64_t
tally_hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* mt_tally_new - empty tally of at most max keys (0: 1000000) */
struct mt_tally *
mt_tally_new(size_t max)
{
	struct mt_tally *t = mt_calloc(1, sizeof(*t));

	t->nslots = 64;
	t->slots = mt_calloc(t->nslots, sizeof(*t->slots));
	t->max = max ? max : TALLY_MAX_DEFAULT;
	return t;
}

/* tally_grow - double the table */
static void
tally_grow(struct mt_tally *t)
{
	struct mt_tally_ent **old = t->slots;
	size_t oldn = t->nslots, i, j;

	t->nslots *= 2;
	t->slots = mt_calloc(t->nslots, sizeof(*t->slots));
	for (i = 0; i < oldn; i++) {
		if (old[i] == NULL)
			continue;
		j = tally_hash(old[i]->key, old[i]->keylen) & (t->nslots - 1);
		while (t->slots[j] != NULL)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = old[i];
	}
	free(old);
}

/* mt_tally_add - count key at time (0 unknown); NULL when full */
struct mt_tally_ent *
mt_tally_add(struct mt_tally *t, const char *key, size_t keylen,
    int64_t time, const char *sample)
{
	struct mt_tally_ent *e;
	size_t j;

	free(t->sorted);
	t->sorted = NULL;
	j = tally_hash(key, keylen) & (t->nslots - 1);
	while ((e = t->slots[j]) != NULL) {
		if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			break;
		j = (j + 1) & (t->nslots - 1);
	}
	if (e == NULL) {
		if (t->n >= t->max)
			return NULL;
		e = mt_calloc(1, sizeof(*e));
		e->key = mt_malloc(keylen + 1);
		memcpy(e->key, key, keylen);
		e->key[keylen] = '\0';
		e->keylen = keylen;
		if (sample != NULL)
			e->sample = mt_strdup(sample);
		t->slots[j] = e;
		if (++t->n * 2 > t->nslots)
			tally_grow(t);
	}
	e->count++;
	if (time != 0) {
		if (e->first == 0 || time < e->first)
			e->first = time;
		if (time > e->last)
			e->last = time;
	}
	if (e->sample == NULL && sample != NULL)
		e->sample = mt_strdup(sample);
	return e;
}

/* mt_tally_size - distinct keys */
size_t
mt_tally_size(const struct mt_tally *t)
{
	return t->n;
}

/* tally_cmp - count descending, then key ascending */
static int
tally_cmp(const void *a, const void *b)
{
	const struct mt_tally_ent *x = *(struct mt_tally_ent *const *)a;
	const struct mt_tally_ent *y = *(struct mt_tally_ent *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if ((c = memcmp(x->key, y->key, n)) != 0)
		return c;
	return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

/* mt_tally_sorted - entries by count descending, then key ascending */
struct mt_tally_ent *const *
mt_tally_sorted(struct mt_tally *t)
{
	size_t i, k = 0;

	free(t->sorted);
	t->sorted = mt_calloc(t->n + 1, sizeof(*t->sorted));
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i] != NULL)
			t->sorted[k++] = t->slots[i];
	qsort(t->sorted, k, sizeof(*t->sorted), tally_cmp);
	return t->sorted;
}

/* mt_tally_free - release; accepts NULL */
void
mt_tally_free(struct mt_tally *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nslots; i++) {
		if (t->slots[i] == NULL)
			continue;
		free(t->slots[i]->key);
		free(t->slots[i]->sample);
		free(t->slots[i]);
	}
	free(t->slots);
	free(t->sorted);
	free(t);
}
