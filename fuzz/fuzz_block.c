/*
 * fuzz_block.c - libFuzzer: the stored-block decoder
 *
 * A block read from the store is untrusted (a corrupt or forged file).
 * Half the inputs are decoded as stored blobs (chunk header and zstd
 * frame checks); the other half are encoded first, cut into up to four
 * chunks, so that the record walker (varints, lengths, a chunk's start
 * sequence and time) sees arbitrary block contents.  Each input is
 * decoded whole and chunk by chunk, as trace loads it, and the frame
 * ranges a partial read would fetch are checked to lie inside the blob.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "mt_buf.h"
#include "mt_ix.h"
#include "mt_ix_int.h"
#include "mt_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mt_ix *fz_ix;
static ZSTD_CCtx *fz_cctx;

/* walk - decode one chunk (or all: chunk < 0) and read every record */
static void
walk(const void *z, size_t zn, int chunk)
{
	struct mt_ix_block *b = NULL;
	struct mt_ix_rec r;
	struct mt_ix_span fr[2];
	volatile size_t sum = 0;
	int k;

	/* the frames a partial read fetches lie inside the blob */
	if (chunk >= 0 && mt_ix_blob_frames(z, zn < MT_IX_BLOB_HDR_MAX ? zn :
	    MT_IX_BLOB_HDR_MAX, zn, chunk, fr) == 0)
		for (k = 0; k < 2; k++)
			if (fr[k].off > zn || fr[k].len > zn - fr[k].off)
				abort();

	if (mt_ix_block_decode(fz_ix, 1, chunk, z, zn, &b) != 0)
		return;
	while (mt_ix_block_next(b, &r) == 1)
		if (r.n)
			sum += (unsigned char)r.p[r.n - 1] + r.seq;
	mt_ix_block_free(b);
	(void)sum;
}

/* encode - cut data into chunks as its first bytes say and encode it */
static int
encode(const uint8_t *data, size_t size, struct mt_buf *z)
{
	struct mt_ix_chunks ch;
	struct mt_buf raw;
	uint32_t i, n;
	size_t r;

	if (size < 2)
		return -1;
	n = 1 + data[0] % 4;
	data++;
	size--;
	memset(&ch, 0, sizeof(ch));
	ch.n = n;
	for (i = 0; i < n; i++) {
		ch.c[i].off = size * i / n;
		ch.c[i].seq = i * (uint32_t)data[0];
		ch.c[i].prev = (int64_t)i * 86400 - data[0];
	}
	for (i = 1; i < n; i++)		/* every chunk holds a byte */
		if (ch.c[i].off <= ch.c[i - 1].off)
			ch.n = i;
	mt_buf_init(&raw, MT_IX_BLOCK_MAX);
	if (mt_buf_append(&raw, data, size) != 0) {
		mt_buf_free(&raw);
		return -1;
	}
	r = mt_ix_encode(fz_cctx, &raw, &ch, z);
	mt_buf_free(&raw);
	return ZSTD_isError(r) ? -1 : 0;
}

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_buf z;
	int c;

	if (fz_ix == NULL) {
		mt_msg_set_verbosity(0);
		mt_msg_set_stream(fopen("/dev/null", "w"));
		if (mt_ix_open(":memory:", MT_IX_CREATE, &fz_ix) != 0)
			abort();
		fz_cctx = ZSTD_createCCtx();
		if (fz_cctx == NULL || ZSTD_isError(ZSTD_CCtx_setParameter(
		    fz_cctx, ZSTD_c_compressionLevel, 1)))
			abort();
	}
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		mt_buf_init(&z, 0);
		if (encode(data + 1, size - 1, &z) == 0)
			for (c = -1; c < 4; c++)
				walk(z.data, z.len, c);
		mt_buf_free(&z);
	} else
		for (c = -1; c < 4; c++)
			walk(data + 1, size - 1, c);
	return 0;
}
