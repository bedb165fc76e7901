/*
 * mt_buf.h - growable byte buffer with a hard maximum
 *
 * The buffer owns its storage; mt_buf_free releases it.  data is always
 * NUL-terminated after a successful append, so it can be used as a string.
 * An append that would exceed max fails with -MT_ERR_LIMIT and leaves the
 * buffer unchanged.  Single-threaded.
 */
#ifndef MT_BUF_H
#define MT_BUF_H

#include <stddef.h>
#include "mt_err.h"

struct mt_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0 = no limit beyond SIZE_MAX */
};

void	mt_buf_init(struct mt_buf *b, size_t max);
void	mt_buf_free(struct mt_buf *b);
void	mt_buf_reset(struct mt_buf *b);
int	mt_buf_append(struct mt_buf *b, const void *p, size_t n) MT_WUR;
int	mt_buf_putc(struct mt_buf *b, int c) MT_WUR;
int	mt_buf_printf(struct mt_buf *b, const char *fmt, ...) MT_PRINTF(2, 3) MT_WUR;
/* mt_buf_reserve - make room for n more bytes; returns 0 or -MT_ERR_LIMIT */
int	mt_buf_reserve(struct mt_buf *b, size_t n) MT_WUR;

#endif
