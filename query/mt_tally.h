/*
 * mt_tally.h - counters keyed by a byte string, for the failure summary
 * and the summary report
 *
 * Each distinct key keeps a count, the first and last time seen and one
 * sample string (the first given).  Keys are byte strings of known length
 * and may hold NUL bytes (the summary joins its fields with NUL).  At most
 * max distinct keys are kept; a key beyond that is refused (NULL), so
 * memory stays bounded by the caller's choice.
 *
 * Ownership: the tally copies keys and samples; entries returned by
 * mt_tally_sorted are borrowed until mt_tally_free.  Single-threaded.
 */
#ifndef MT_TALLY_H
#define MT_TALLY_H

#include <stddef.h>
#include <stdint.h>

struct mt_tally_ent {
	char	*key;		/* keylen bytes, NUL-terminated as well */
	size_t	 keylen;
	int64_t	 count;
	int64_t	 first, last;	/* times, 0 unknown */
	char	*sample;	/* NULL none */
};

struct mt_tally;

/* mt_tally_new - empty tally of at most max keys (0: 1000000) */
struct mt_tally *mt_tally_new(size_t max);
/* mt_tally_add - count key at time (0 unknown); NULL when full */
struct mt_tally_ent *mt_tally_add(struct mt_tally *t, const char *key,
	    size_t keylen, int64_t time, const char *sample);
/* mt_tally_size - distinct keys */
size_t	mt_tally_size(const struct mt_tally *t);
/* mt_tally_sorted - entries by count descending, then key ascending */
struct mt_tally_ent *const *mt_tally_sorted(struct mt_tally *t);
/* mt_tally_free - release; accepts NULL */
void	mt_tally_free(struct mt_tally *t);

#endif
