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

#endif
