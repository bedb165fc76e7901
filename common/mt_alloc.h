/*
 * mt_alloc.h - allocation that succeeds or does not return
 *
 * On exhaustion these report "out of memory" and exit(MT_EXIT_FATAL).
 * Memory is released with free(); free(NULL) is fine.
 */
#ifndef MT_ALLOC_H
#define MT_ALLOC_H

#include <stddef.h>

void	*mt_malloc(size_t n);
void	*mt_calloc(size_t nmemb, size_t size);
void	*mt_realloc(void *p, size_t n);
void	*mt_reallocarray(void *p, size_t nmemb, size_t size);
char	*mt_strdup(const char *s);
char	*mt_strndup(const char *s, size_t n);

/*
 * Large buffers (block text, index rows, hash sets) come from their own
 * mappings, aligned and advised for transparent huge pages: touching
 * fresh memory one 4 KiB page at a time is a large part of the cost of a
 * short-lived process.  A request under MT_BIG_MIN is an ordinary malloc.
 * mt_big_alloc returns zeroed memory of at least n bytes and sets *cap to
 * what was reserved; mt_big_realloc keeps the first keep bytes; pass the
 * same cap to mt_big_free.  Exits on exhausted memory like mt_malloc.
 */
#define MT_BIG_MIN	(1024 * 1024)
void	*mt_big_alloc(size_t n, size_t *cap);
void	*mt_big_realloc(void *p, size_t keep, size_t n, size_t *cap);
void	mt_big_free(void *p, size_t cap);

#endif
