/*
 * mt_alloc.c - allocation that succeeds or exits; see mt_alloc.h
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_msg.h"

/* alloc_fail - the one exit for exhausted memory */
static void
alloc_fail(size_t n)
{
	mt_fatalx("out of memory (%zu bytes)", n);
}

/* mt_malloc - malloc or exit */
void *
mt_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		alloc_fail(n);
	return p;
}

/* mt_calloc - calloc or exit */
void *
mt_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		alloc_fail(nmemb * size);
	return p;
}

/* mt_realloc - realloc or exit */
void *
mt_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		alloc_fail(n);
	return q;
}

/* mt_reallocarray - realloc with an overflow check */
void *
mt_reallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		alloc_fail(SIZE_MAX);
	return mt_realloc(p, nmemb * size);
}

/* mt_strdup - strdup or exit */
char *
mt_strdup(const char *s)
{
	return mt_strndup(s, strlen(s));
}

/* mt_strndup - copy at most n bytes, always NUL-terminated */
char *
mt_strndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = mt_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
