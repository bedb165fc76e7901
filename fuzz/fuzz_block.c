/*
 * fuzz_block.c - libFuzzer: the stored-block decoder
 *
 * A block read from the store is untrusted (a corrupt or forged file).
 * Half the inputs are decoded as stored blobs (zstd frame checks); the
 * other half are compressed first so the record walker (varints, lengths)
 * sees arbitrary block contents.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <zstd.h>

#include "mt_ix.h"
#include "mt_ix_int.h"
#include "mt_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mt_ix *fz_ix;

/* LLVMFuzzerTestOneInput - one fuzz case */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mt_ix_block *b = NULL;
	struct mt_ix_rec r;
	void *z = NULL;
	size_t zn;
	volatile size_t sum = 0;

	if (fz_ix == NULL) {
		mt_msg_set_verbosity(0);
		mt_msg_set_stream(fopen("/dev/null", "w"));
		if (mt_ix_open(":memory:", MT_IX_CREATE, &fz_ix) != 0)
			abort();
	}
	if (size > 0 && (data[0] & 1)) {
		zn = ZSTD_compressBound(size - 1);
		z = malloc(zn);
		if (z == NULL)
			return 0;
		zn = ZSTD_compress(z, zn, data + 1, size - 1, 1);
		if (ZSTD_isError(zn)) {
			free(z);
			return 0;
		}
		if (mt_ix_block_decode(fz_ix, 1, z, zn, &b) != 0)
			b = NULL;
	} else if (mt_ix_block_decode(fz_ix, 1, data, size, &b) != 0)
		b = NULL;
	if (b != NULL) {
		while (mt_ix_block_next(b, &r) == 1)
			if (r.n)
				sum += (unsigned char)r.p[r.n - 1];
		mt_ix_block_free(b);
	}
	free(z);
	(void)sum;
	return 0;
}
