/*
 * mt_alloc.c - allocation that succeeds or exits; see mt_alloc.h
 */
#include <sys/mman.h>

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

#define BIG_ALIGN	((size_t)2 * 1024 * 1024)	/* a huge page on x86-64 */

/* mt_big_alloc - zeroed buffer of at least n bytes (see mt_alloc.h) */
void *
mt_big_alloc(size_t n, size_t *cap)
{
	char *p, *a;
	size_t len, head, tail;

	if (n < MT_BIG_MIN) {
		*cap = n ? n : 1;
		return mt_calloc(1, *cap);
	}
	if (n > SIZE_MAX - 2 * BIG_ALIGN)
		alloc_fail(n);
	len = (n + BIG_ALIGN - 1) & ~(BIG_ALIGN - 1);
	p = mmap(NULL, len + BIG_ALIGN, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		alloc_fail(n);
	a = (char *)(((uintptr_t)p + BIG_ALIGN - 1) & ~(uintptr_t)(BIG_ALIGN - 1));
	head = (size_t)(a - p);
	tail = BIG_ALIGN - head;
	if (head > 0)
		(void)munmap(p, head);
	if (tail > 0)
		(void)munmap(a + len, tail);
#ifdef MADV_HUGEPAGE
	(void)madvise(a, len, MADV_HUGEPAGE);	/* advice: ignore refusal */
#endif
	*cap = len;
	return a;
}

/* mt_big_realloc - grow or shrink to n bytes, keeping the first keep */
void *
mt_big_realloc(void *p, size_t keep, size_t n, size_t *cap)
{
	void *q;
	size_t ncap;

	if (p != NULL && *cap < MT_BIG_MIN && n < MT_BIG_MIN) {
		q = mt_realloc(p, n ? n : 1);
		if (n > *cap)
			memset((char *)q + *cap, 0, n - *cap);
		*cap = n ? n : 1;
		return q;
	}
	if (p != NULL && *cap >= MT_BIG_MIN && n <= *cap)
		return p;
	q = mt_big_alloc(n, &ncap);
	if (p != NULL) {
		if (keep > n)
			keep = n;
		if (keep > *cap)
			keep = *cap;
		memcpy(q, p, keep);
		mt_big_free(p, *cap);
	}
	*cap = ncap;
	return q;
}

/* mt_big_free - release a buffer of mt_big_alloc; accepts NULL */
void
mt_big_free(void *p, size_t cap)
{
	if (p == NULL)
		return;
	if (cap < MT_BIG_MIN)
		free(p);
	else
		(void)munmap(p, cap);
}
