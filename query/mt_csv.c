/*
 * mt_csv.c - RFC 4180 CSV writer; see mt_csv.h
 *
 * DESCRIPTION
 *	Fields are written straight to the stream: nothing is buffered here
 *	beyond stdio, so a row of any size costs no memory.  A field needs
 *	quotes when it holds ',', '"', CR or LF (RFC 4180, section 2); the
 *	guard's "'" goes inside the quotes.  The file is UTF-8: a byte that
 *	is not part of a valid UTF-8 sequence is written as '?'.
 *
 * DIAGNOSTICS
 *	"write error: <strerror>" once, on the first failed write.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mt_csv.h"
#include "mt_msg.h"

/* mt_csv_init - writer on fp; raw != 0 turns the guard off */
void
mt_csv_init(struct mt_csv *c, FILE *fp, int raw)
{
	c->fp = fp;
	c->raw = raw;
	c->nfield = 0;
	c->err = 0;
}

/* csv_fail - note and report the first write error */
static int
csv_fail(struct mt_csv *c)
{
	if (!c->err)
		mt_warn("write error");
	c->err = 1;
	return -MT_ERR_IO;
}

/* csv_utf8 - length of the valid UTF-8 sequence at s (n bytes left), or 0 */
static size_t
csv_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t cp;

	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		len = 2, cp = u[0] & 0x1f;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		len = 3, cp = u[0] & 0x0f;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		len = 4, cp = u[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (u[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* mt_csv_fieldn - one field of n bytes */
int
mt_csv_fieldn(struct mt_csv *c, const char *s, size_t n)
{
	size_t i, k, start;
	int quote = 0;

	if (c->err)
		return -MT_ERR_IO;
	if (s == NULL)
		n = 0;
	if (c->nfield++ > 0 && putc(',', c->fp) == EOF)
		return csv_fail(c);
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n') {
			quote = 1;
			break;
		}
	if (quote && putc('"', c->fp) == EOF)
		return csv_fail(c);
	if (!c->raw && n > 0 && s[0] != '\0' &&
	    strchr("=+-@\t\r", s[0]) != NULL && putc('\'', c->fp) == EOF)
		return csv_fail(c);
	start = 0;
	for (i = 0; i < n; i += k) {
		k = (unsigned char)s[i] < 0x80 ? 1 : csv_utf8(s + i, n - i);
		if (k == 0) {
			/* not UTF-8: one '?' for the byte */
			if (fwrite(s + start, 1, i - start, c->fp) !=
			    i - start || putc('?', c->fp) == EOF)
				return csv_fail(c);
			start = i + 1;
			k = 1;
			continue;
		}
		if (s[i] != '"')
			continue;
		/* write through the quote, then the quote again */
		if (fwrite(s + start, 1, i + 1 - start, c->fp) !=
		    i + 1 - start)
			return csv_fail(c);
		start = i;
	}
	if (n > start && fwrite(s + start, 1, n - start, c->fp) != n - start)
		return csv_fail(c);
	if (quote && putc('"', c->fp) == EOF)
		return csv_fail(c);
	return 0;
}

/* mt_csv_field - one field; NULL is written as an empty field */
int
mt_csv_field(struct mt_csv *c, const char *s)
{
	return mt_csv_fieldn(c, s, s ? strlen(s) : 0);
}

/* mt_csv_field_int - one decimal field (never guarded: digits only) */
int
mt_csv_field_int(struct mt_csv *c, int64_t v)
{
	char num[32];
	int raw = c->raw, rc;

	snprintf(num, sizeof(num), "%" PRId64, v);
	c->raw = 1;
	rc = mt_csv_field(c, num);
	c->raw = raw;
	return rc;
}

/* mt_csv_end - end the row (CRLF) */
int
mt_csv_end(struct mt_csv *c)
{
	if (c->err)
		return -MT_ERR_IO;
	c->nfield = 0;
	if (fputs("\r\n", c->fp) == EOF)
		return csv_fail(c);
	return 0;
}

/* mt_csv_row - n fields and the row end */
int
mt_csv_row(struct mt_csv *c, const char *const *fields, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = mt_csv_field(c, fields[i])) != 0)
			return rc;
	return mt_csv_end(c);
}

/* mt_csv_flush - flush the stream and report a pending write error */
int
mt_csv_flush(struct mt_csv *c)
{
	if (c->err)
		return -MT_ERR_IO;
	if (fflush(c->fp) == EOF || ferror(c->fp))
		return csv_fail(c);
	return 0;
}
