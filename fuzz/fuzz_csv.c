/*
 * fuzz_csv.c - libFuzzer: the CSV writer
 *
 * Fields are the input split at 0x1f; each row is written with and
 * without the formula-injection guard, and the output is checked to be
 * RFC 4180: parsing it back gives the fields (guard off) exactly, for
 * fields of ASCII (other bytes that are not UTF-8 are written as '?').
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mt_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ascii - no byte of s is >= 0x80 */
static int
ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* parse_back - read one CSV row from out, compare with the fields */
static void
parse_back(const char *out, size_t outn, const char *in, size_t inn)
{
	size_t i = 0, f = 0, pos = 0;
	const char *fs = in;

	while (i < outn) {
		char got[4096];
		size_t gn = 0;
		const char *end;
		size_t want;

		if (out[i] == '"') {
			for (i++; i < outn; i++) {
				if (out[i] == '"') {
					if (i + 1 < outn && out[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (gn < sizeof(got))
					got[gn++] = out[i];
			}
		} else
			for (; i < outn && out[i] != ',' && out[i] != '\r'; i++)
				if (gn < sizeof(got))
					got[gn++] = out[i];
		end = memchr(fs, 0x1f, inn - pos);
		want = end ? (size_t)(end - fs) : inn - pos;
		/* bytes that are not UTF-8 are written as '?': compare ASCII fields */
		if (want < sizeof(got) && ascii(fs, want) &&
		    (gn != want || memcmp(got, fs, gn) != 0))
			abort();	/* the row does not read back */
		f++;
		if (i < outn && out[i] == ',') {
			i++;
			pos += want + 1;
			fs = in + pos;
			continue;
		}
		break;
	}
	(void)f;
}

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_csv c;
	const char *s = (const char *)data, *end;
	char *buf = NULL;
	size_t bufn = 0, off;
	int raw;
	FILE *fp;

	if (size > 8192)
		return 0;
	for (raw = 0; raw <= 1; raw++) {
		fp = open_memstream(&buf, &bufn);
		if (fp == NULL)
			return 0;
		mt_csv_init(&c, fp, raw);
		for (off = 0; off <= size; ) {
			end = memchr(s + off, 0x1f, size - off);
			if (mt_csv_fieldn(&c, s + off, end ? (size_t)(end - (s + off)) :
			    size - off) != 0)
				break;
			if (end == NULL)
				break;
			off = (size_t)(end - s) + 1;
		}
		if (mt_csv_end(&c) != 0 || mt_csv_flush(&c) != 0) {
			fclose(fp);
			free(buf);
			return 0;
		}
		fclose(fp);
		if (raw && bufn >= 2)
			parse_back(buf, bufn - 2, s, size);
		free(buf);
		buf = NULL;
	}
	return 0;
}
