/*
 * mt_buf.c - growable byte buffer; see mt_buf.h
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_alloc.h"
#include "mt_buf.h"

/* mt_buf_init - empty buffer limited to max bytes (0: unlimited) */
void
mt_buf_init(struct mt_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX - 1;
}

/* mt_buf_free - release storage; the buffer may be reused after init */
void
mt_buf_free(struct mt_buf *b)
{
	if (b == NULL)
		return;
	mt_big_free(b->data, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* mt_buf_reset - forget contents, keep storage */
void
mt_buf_reset(struct mt_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* mt_buf_reserve - ensure room for n more bytes plus a NUL */
int
mt_buf_reserve(struct mt_buf *b, size_t n)
{
	size_t need, cap;

	if (n > b->max || b->len > b->max - n)
		return -MT_ERR_LIMIT;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = mt_big_realloc(b->data, b->len + 1, cap, &b->cap);
	return 0;
}

/* mt_buf_append - append n bytes */
int
mt_buf_append(struct mt_buf *b, const void *p, size_t n)
{
	if (mt_buf_reserve(b, n) != 0)
		return -MT_ERR_LIMIT;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* mt_buf_putc - append one byte */
int
mt_buf_putc(struct mt_buf *b, int c)
{
	char ch = (char)c;

	return mt_buf_append(b, &ch, 1);
}

/* mt_buf_printf - append formatted text */
int
mt_buf_printf(struct mt_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -MT_ERR_INPUT;
	if (mt_buf_reserve(b, (size_t)n) != 0)
		return -MT_ERR_LIMIT;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}
