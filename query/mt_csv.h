/*
 * mt_csv.h - RFC 4180 CSV writer
 *
 * Rows end with CRLF.  A field is quoted when it holds a comma, a double
 * quote, CR or LF, with quotes doubled.  Unless raw, a field starting
 * with '=', '+', '-', '@', TAB or CR gets a leading "'" first (the OWASP
 * guard against formula injection: "=1+1@example.com" is written as
 * "'=1+1@example.com"), because addresses and remote replies are chosen
 * by strangers and these files are opened in spreadsheets.
 *
 * The writer borrows the stream.  Errors: functions return 0, or
 * -MT_ERR_IO after reporting the first write error; once an error is
 * seen every later call fails at once.  Single-threaded.
 */
#ifndef MT_CSV_H
#define MT_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mt_err.h"

struct mt_csv {
	FILE	*fp;
	int	 raw;		/* no formula-injection guard */
	size_t	 nfield;	/* fields written on the current row */
	int	 err;		/* a write failed */
};

/* mt_csv_init - writer on fp; raw != 0 turns the guard off */
void	mt_csv_init(struct mt_csv *c, FILE *fp, int raw);
/* mt_csv_field - one field; NULL is written as an empty field */
int	mt_csv_field(struct mt_csv *c, const char *s) MT_WUR;
/* mt_csv_fieldn - one field of n bytes */
int	mt_csv_fieldn(struct mt_csv *c, const char *s, size_t n) MT_WUR;
/* mt_csv_field_int - one decimal field */
int	mt_csv_field_int(struct mt_csv *c, int64_t v) MT_WUR;
/* mt_csv_end - end the row (CRLF) */
int	mt_csv_end(struct mt_csv *c) MT_WUR;
/* mt_csv_row - n fields and the row end */
int	mt_csv_row(struct mt_csv *c, const char *const *fields, size_t n)
	    MT_WUR;
/* mt_csv_flush - flush the stream and report a pending write error */
int	mt_csv_flush(struct mt_csv *c) MT_WUR;

#endif
