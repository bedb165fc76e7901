/*
 * mt_ix_block.c - record blocks: encoding, zstd, decoding, key sets
 *
 * NAME
 *	mt_ix_block - the block codec of the store
 *
 * DESCRIPTION
 *	A block is built in memory (struct mt_ix_wblk) by appending
 *	records, compressed with one reused ZSTD_CCtx and, on reading,
 *	decompressed and checked from end to end before any record is
 *	handed out: the frame's declared size must be known and at most
 *	MT_IX_BLOCK_MAX, the frame must span the whole blob, and every
 *	varint and length must lie inside the block.  The raw layout is
 *	described in mt_ix_int.h.
 *
 *	The key set is an open-addressing hash set of int64 values that
 *	grows by doubling; adding a key never allocates otherwise.
 *
 * DIAGNOSTICS
 *	"PATH: block N is corrupt (reason)", returned as -MT_ERR_DB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd_errors.h>

#include "mt_alloc.h"
#include "mt_msg.h"
#include "mt_ix_int.h"

/* kset_hash - mix a stored key value into a slot index */
static size_t
kset_hash(int64_t v, size_t mask)
{
	uint64_t x = (uint64_t)v;

	x ^= x >> 31;
	x *= 0x9e3779b97f4a7c15ULL;
	x ^= x >> 29;
	return (size_t)x & mask;
}

/* mt_ix_kset_init - empty set */
void
mt_ix_kset_init(struct mt_ix_kset *s)
{
	s->slot = NULL;
	s->cap = s->n = 0;
	s->bytes = 0;
	s->has0 = 0;
}

/* mt_ix_kset_free - release storage; the set is empty afterwards */
void
mt_ix_kset_free(struct mt_ix_kset *s)
{
	mt_big_free(s->slot, s->bytes);
	mt_ix_kset_init(s);
}

/* mt_ix_kset_clear - forget the values, keep the storage */
void
mt_ix_kset_clear(struct mt_ix_kset *s)
{
	if (s->slot != NULL && s->n > 0)
		memset(s->slot, 0, s->cap * sizeof(s->slot[0]));
	s->n = 0;
	s->has0 = 0;
}

/* kset_insert - place a non-zero value (room is guaranteed) */
static int
kset_insert(int64_t *slot, size_t cap, int64_t v)
{
	size_t i, mask = cap - 1;

	for (i = kset_hash(v, mask);; i = (i + 1) & mask) {
		if (slot[i] == v)
			return 0;
		if (slot[i] == 0) {
			slot[i] = v;
			return 1;
		}
	}
}

/* mt_ix_kset_add - add a value (duplicates are ignored) */
void
mt_ix_kset_add(struct mt_ix_kset *s, int64_t v)
{
	int64_t *nslot;
	size_t i, ncap, nbytes;

	if (v == 0) {
		if (!s->has0) {
			s->has0 = 1;
			s->n++;
		}
		return;
	}
	if ((s->n + 1) * 4 >= s->cap * 3) {
		ncap = s->cap ? s->cap * 2 : 256;
		nslot = mt_big_alloc(ncap * sizeof(nslot[0]), &nbytes);
		for (i = 0; i < s->cap; i++)
			if (s->slot[i] != 0)
				(void)kset_insert(nslot, ncap, s->slot[i]);
		mt_big_free(s->slot, s->bytes);
		s->slot = nslot;
		s->cap = ncap;
		s->bytes = nbytes;
	}
	s->n += kset_insert(s->slot, s->cap, v);
}

/* mt_ix_kset_has - 1 if v is in the set */
int
mt_ix_kset_has(const struct mt_ix_kset *s, int64_t v)
{
	size_t i, mask;

	if (v == 0)
		return s->has0;
	if (s->cap == 0)
		return 0;
	mask = s->cap - 1;
	for (i = kset_hash(v, mask);; i = (i + 1) & mask) {
		if (s->slot[i] == v)
			return 1;
		if (s->slot[i] == 0)
			return 0;
	}
}

/* cmp_i64 - qsort order of int64 values */
static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* mt_ix_kset_sorted - the values in ascending order, in a reused array */
size_t
mt_ix_kset_sorted(const struct mt_ix_kset *s, int64_t **arr, size_t *cap)
{
	return mt_ix_kset_list(s, arr, cap, 1);
}

/* mt_ix_kset_list - the values, ascending if sorted, in a reused array */
size_t
mt_ix_kset_list(const struct mt_ix_kset *s, int64_t **arr, size_t *cap,
    int sorted)
{
	size_t i, n = 0;

	if (*cap < s->n) {
		*arr = mt_reallocarray(*arr, s->n, sizeof((*arr)[0]));
		*cap = s->n;
	}
	if (s->has0)
		(*arr)[n++] = 0;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i] != 0)
			(*arr)[n++] = s->slot[i];
	if (sorted && n > 1)
		qsort(*arr, n, sizeof((*arr)[0]), cmp_i64);
	return n;
}

/* zigzag - signed to unsigned so small magnitudes stay short */
static uint64_t
zigzag(int64_t v)
{
	return v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1;
}

/* unzigzag - inverse of zigzag */
static int64_t
unzigzag(uint64_t u)
{
	uint64_t m = u >> 1;

	return (u & 1) ? (int64_t)~m : (int64_t)m;
}

/* put_varint - LEB128; out has MT_IX_VARINT_MAX bytes; returns bytes used */
static size_t
put_varint(unsigned char *out, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		out[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char)v;
	return n;
}

/* get_varint - LEB128 from p[*pos..len); 0 or -1 (truncated, too long) */
static int
get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift = 0;
	size_t i = *pos;

	for (;;) {
		if (i >= len || shift > 63)
			return -1;
		if (shift == 63 && (p[i] & 0x7e) != 0)
			return -1;
		r |= (uint64_t)(p[i] & 0x7f) << shift;
		if ((p[i++] & 0x80) == 0)
			break;
		shift += 7;
	}
	*pos = i;
	*v = r;
	return 0;
}

/* mt_ix_wblk_init - an unused block buffer */
void
mt_ix_wblk_init(struct mt_ix_wblk *w)
{
	memset(w, 0, sizeof(*w));
	mt_buf_init(&w->raw, MT_IX_BLOCK_MAX);
	mt_ix_kset_init(&w->keys);
}

/* mt_ix_wblk_reset - empty the block, keep its storage */
void
mt_ix_wblk_reset(struct mt_ix_wblk *w)
{
	mt_buf_reset(&w->raw);
	mt_ix_kset_clear(&w->keys);
	w->ch.n = 0;
	w->nrec = 0;
	w->used = 0;
	w->tmin = w->tmax = w->prev = 0;
}

/* mt_ix_wblk_free - release storage */
void
mt_ix_wblk_free(struct mt_ix_wblk *w)
{
	mt_buf_free(&w->raw);
	mt_ix_kset_free(&w->keys);
	w->used = 0;
}

/* mt_ix_wblk_add - append one record; -MT_ERR_LIMIT if the block is full */
int
mt_ix_wblk_add(struct mt_ix_wblk *w, int64_t time, unsigned fmt,
    const char *rec, size_t len)
{
	unsigned char hdr[2 * MT_IX_VARINT_MAX + 2];
	size_t n = 0;

	if (fmt > 255 || len > MT_IX_REC_MAX)
		return -MT_ERR_LIMIT;
	if (w->nrec == 0) {
		hdr[n++] = MT_IX_RAW_V1;
		n += put_varint(hdr + n, zigzag(time));
		w->prev = w->tmin = w->tmax = time;
		w->ch.n = 1;
		w->ch.c[0].off = 0;
		w->ch.c[0].seq = 0;
		w->ch.c[0].prev = 0;
	} else if (w->raw.len - w->ch.c[w->ch.n - 1].off >= MT_IX_CHUNK_RAW &&
	    w->ch.n < MT_IX_CHUNKS_MAX) {
		w->ch.c[w->ch.n].off = w->raw.len;
		w->ch.c[w->ch.n].seq = w->nrec;
		w->ch.c[w->ch.n].prev = w->prev;
		w->ch.n++;
	}
	n += put_varint(hdr + n,
	    zigzag((int64_t)((uint64_t)time - (uint64_t)w->prev)));
	hdr[n++] = (unsigned char)fmt;
	n += put_varint(hdr + n, len);
	if (mt_buf_reserve(&w->raw, n + len) != 0)
		return -MT_ERR_LIMIT;
	memcpy(w->raw.data + w->raw.len, hdr, n);
	if (len > 0)
		memcpy(w->raw.data + w->raw.len + n, rec, len);
	w->raw.len += n + len;
	w->raw.data[w->raw.len] = '\0';
	w->prev = time;
	if (time < w->tmin)
		w->tmin = time;
	if (time > w->tmax)
		w->tmax = time;
	w->nrec++;
	w->used = 1;
	return 0;
}

/* mt_ix_kref - a key value and a chunk number as one key-set value */
int64_t
mt_ix_kref(int64_t keyval, uint32_t chunk)
{
	return keyval * MT_IX_CHUNKS_MAX + (int64_t)chunk;
}

/* mt_ix_kref_split - inverse of mt_ix_kref */
void
mt_ix_kref_split(int64_t kref, int64_t *keyval, uint32_t *chunk)
{
	uint32_t c = (uint32_t)((uint64_t)kref & (MT_IX_CHUNKS_MAX - 1));

	*chunk = c;
	*keyval = (kref - (int64_t)c) / MT_IX_CHUNKS_MAX;
}

/* chunk_len - raw length of chunk i */
static size_t
chunk_len(const struct mt_buf *raw, const struct mt_ix_chunks *ch, uint32_t i)
{
	size_t end = i + 1 < ch->n ? ch->c[i + 1].off : raw->len;

	return end - ch->c[i].off;
}

/*
 * mt_ix_encode - compress raw (cut as ch says) into the chunked blob
 * layout of mt_ix_int.h; a zstd result code (the blob length or an error)
 */
size_t
mt_ix_encode(ZSTD_CCtx *cctx, const struct mt_buf *raw,
    const struct mt_ix_chunks *ch, struct mt_buf *z)
{
	unsigned char hdr[2 + MT_IX_VARINT_MAX +
	    MT_IX_CHUNKS_MAX * 4 * MT_IX_VARINT_MAX];
	size_t zl[MT_IX_CHUNKS_MAX];
	size_t bound = 0, pos, r, hn = 0, len0;
	uint32_t i, n = ch->n ? ch->n : 1;
	ZSTD_CDict *cdict = NULL;

	for (i = 0; i < n; i++) {
		size_t cl = ch->n ? chunk_len(raw, ch, i) : raw->len;

		bound += ZSTD_compressBound(cl);
	}
	mt_buf_reset(z);
	if (mt_buf_reserve(z, sizeof(hdr) + bound) != 0)
		return (size_t)-(int)ZSTD_error_dstSize_tooSmall;
	pos = sizeof(hdr);
	len0 = ch->n ? chunk_len(raw, ch, 0) : raw->len;
	for (i = 0; i < n; i++) {
		const char *src = raw->data + (ch->n ? ch->c[i].off : 0);
		size_t cl = ch->n ? chunk_len(raw, ch, i) : raw->len;

		if (i == 0)
			r = ZSTD_compress2(cctx, z->data + pos,
			    z->cap - pos, src, cl);
		else {
			/* chunk 0's tables are built once for the block */
			if (cdict == NULL && (cdict =
			    ZSTD_createCDict(raw->data, len0,
			    MT_IX_ZLEVEL)) == NULL)
				return (size_t)-(int)ZSTD_error_memory_allocation;
			r = ZSTD_compress_usingCDict(cctx, z->data + pos,
			    z->cap - pos, src, cl, cdict);
		}
		if (ZSTD_isError(r)) {
			ZSTD_freeCDict(cdict);
			return r;
		}
		zl[i] = r;
		pos += r;
	}
	ZSTD_freeCDict(cdict);
	hdr[hn++] = MT_IX_BLOB_V2;
	hn += put_varint(hdr + hn, n);
	for (i = 0; i < n; i++) {
		hn += put_varint(hdr + hn, ch->n ? chunk_len(raw, ch, i) :
		    raw->len);
		hn += put_varint(hdr + hn, zl[i]);
		hn += put_varint(hdr + hn, i ? ch->c[i].seq : 0);
		hn += put_varint(hdr + hn, zigzag(i ? ch->c[i].prev : 0));
	}
	memmove(z->data + hn, z->data + sizeof(hdr), pos - sizeof(hdr));
	memcpy(z->data, hdr, hn);
	z->len = hn + pos - sizeof(hdr);
	return z->len;
}

/* mt_ix_compress - encode raw into ix->zbuf (prune's rewrites) */
int
mt_ix_compress(struct mt_ix *ix, const struct mt_buf *raw,
    const struct mt_ix_chunks *ch)
{
	size_t r;

	if (ix->cctx == NULL) {
		ix->cctx = ZSTD_createCCtx();
		if (ix->cctx == NULL ||
		    ZSTD_isError(ZSTD_CCtx_setParameter(ix->cctx,
		    ZSTD_c_compressionLevel, MT_IX_ZLEVEL)))
			mt_panic("zstd: cannot create a compression context");
	}
	r = mt_ix_encode(ix->cctx, raw, ch, &ix->zbuf);
	if (ZSTD_isError(r)) {
		mt_warnx("%s: zstd: %s", ix->path, ZSTD_getErrorName(r));
		return -MT_ERR_DB;
	}
	return 0;
}

/* block_corrupt - report a corrupt block */
static int
block_corrupt(struct mt_ix *ix, int64_t id, const char *why)
{
	mt_warnx("%s: block %lld is corrupt (%s)", ix->path, (long long)id,
	    why);
	return -MT_ERR_DB;
}

/* block_step - decode the record at b->pos; 0, 1 at end, -1 malformed */
static int
block_step(struct mt_ix_block *b, struct mt_ix_rec *r)
{
	const unsigned char *p = (const unsigned char *)b->raw;
	uint64_t d, len;
	size_t pos = b->pos;
	unsigned fmt;

	if (pos == b->len)
		return 1;
	if (get_varint(p, b->len, &pos, &d) != 0 || pos >= b->len)
		return -1;
	fmt = p[pos++];
	if (get_varint(p, b->len, &pos, &len) != 0 || len > b->len - pos)
		return -1;
	r->time = (int64_t)((uint64_t)b->prev + (uint64_t)unzigzag(d));
	r->fmt = fmt;
	r->seq = b->seq;
	r->p = b->raw + pos;
	r->n = (size_t)len;
	b->prev = r->time;
	b->pos = pos + (size_t)len;
	b->seq++;
	return 0;
}

/* block_start - position after the block header; 0 or -1 */
static int
block_start(struct mt_ix_block *b)
{
	const unsigned char *p = (const unsigned char *)b->raw;
	uint64_t u;
	size_t pos = 1;

	if (b->part) {
		b->base = b->prev = b->part_prev;
		b->pos = 0;
		b->seq = b->part_seq;
		return 0;
	}
	if (b->len < 2 || p[0] != MT_IX_RAW_V1)
		return -1;
	if (get_varint(p, b->len, &pos, &u) != 0)
		return -1;
	b->base = b->prev = unzigzag(u);
	b->pos = pos;
	b->seq = 0;
	return 0;
}

struct blob_chunk {
	size_t	 rawlen, zlen;
	size_t	 zoff;		/* frame offset in the blob */
	size_t	 rawoff;	/* offset in the whole raw block */
	uint64_t seq;
	int64_t	 prev;
};

/*
 * blob_header - parse and check the header of a chunked blob of zlen
 * bytes, of which the first hlen are at z; NULL or why not
 */
static const char *
blob_header(const unsigned char *z, size_t hlen, size_t zlen,
    struct blob_chunk *c, uint32_t *nc)
{
	uint64_t n, v[4];
	size_t pos = 1, rawsum = 0, zsum = 0, i;
	int k;

	if (hlen > zlen)
		hlen = zlen;
	if (hlen < 2 || z[0] != MT_IX_BLOB_V2)
		return "not a msgtrail block";
	if (get_varint(z, hlen, &pos, &n) != 0 || n == 0 ||
	    n > MT_IX_CHUNKS_MAX)
		return "bad chunk count";
	for (i = 0; i < n; i++) {
		for (k = 0; k < 4; k++)
			if (get_varint(z, hlen, &pos, &v[k]) != 0)
				return "truncated header";
		if (v[0] > MT_IX_BLOCK_MAX || v[0] == 0 || v[1] > zlen)
			return "chunk size out of range";
		c[i].rawlen = (size_t)v[0];
		c[i].zlen = (size_t)v[1];
		c[i].seq = v[2];
		c[i].prev = unzigzag(v[3]);
		c[i].rawoff = rawsum;
		rawsum += c[i].rawlen;
		if (rawsum > MT_IX_BLOCK_MAX)
			return "size out of range";
	}
	if (rawsum < 2)
		return "size out of range";
	for (i = 0; i < n; i++) {
		c[i].zoff = pos + zsum;
		zsum += c[i].zlen;
	}
	if (zsum != zlen - pos)
		return "frames do not span the blob";
	*nc = (uint32_t)n;
	return NULL;
}

/*
 * mt_ix_blob_frames - where chunk's frame and chunk 0's lie in a blob of
 * zlen bytes whose first hlen (at least MT_IX_BLOB_HDR_MAX, or all) are
 * at z: fr[0] chunk 0, fr[1] chunk (the same when chunk is 0); so that a
 * reader fetches those bytes only.  0, or -1 if the header is bad (the
 * decoder then reports why).
 */
int
mt_ix_blob_frames(const void *z, size_t hlen, size_t zlen, int chunk,
    struct mt_ix_span fr[2])
{
	struct blob_chunk c[MT_IX_CHUNKS_MAX];
	uint32_t nc;

	if (blob_header(z, hlen, zlen, c, &nc) != NULL || chunk < 0 ||
	    (uint32_t)chunk >= nc)
		return -1;
	fr[0].off = c[0].zoff;
	fr[0].len = c[0].zlen;
	fr[1].off = c[chunk].zoff;
	fr[1].len = c[chunk].zlen;
	return 0;
}

/* chunk_unzip - decompress chunk c into dst (dict: chunk 0's raw or NULL) */
static const char *
chunk_unzip(struct mt_ix *ix, const unsigned char *z,
    const struct blob_chunk *c, char *dst, const char *dict, size_t dictlen)
{
	unsigned long long fcs;
	size_t got, csz;

	fcs = ZSTD_getFrameContentSize(z + c->zoff, c->zlen);
	if (fcs == ZSTD_CONTENTSIZE_ERROR)
		return "not a zstd frame";
	if (fcs != c->rawlen)
		return "frame size differs from the header";
	csz = ZSTD_findFrameCompressedSize(z + c->zoff, c->zlen);
	if (ZSTD_isError(csz) || csz != c->zlen)
		return "frame does not span its chunk";
	if (dict != NULL)
		got = ZSTD_decompress_usingDict(ix->dctx, dst, c->rawlen,
		    z + c->zoff, c->zlen, dict, dictlen);
	else
		got = ZSTD_decompressDCtx(ix->dctx, dst, c->rawlen,
		    z + c->zoff, c->zlen);
	if (ZSTD_isError(got))
		return ZSTD_getErrorName(got);
	if (got != c->rawlen)
		return "short frame";
	return NULL;
}

/*
 * mt_ix_block_decode - decompress and check a stored block: every chunk
 * (chunk < 0) or one chunk alone, checked from end to end before any
 * record is handed out
 */
int
mt_ix_block_decode(struct mt_ix *ix, int64_t id, int chunk, const void *zv,
    size_t zlen, struct mt_ix_block **out)
{
	const unsigned char *z = zv;
	struct blob_chunk c[MT_IX_CHUNKS_MAX];
	struct mt_ix_block *b = NULL;
	struct mt_ix_rec r;
	const char *why;
	size_t total;
	uint32_t nc, i;
	int e;

	*out = NULL;
	if (z == NULL || zlen == 0)
		return block_corrupt(ix, id, "empty");
	if ((why = blob_header(z, zlen, zlen, c, &nc)) != NULL)
		return block_corrupt(ix, id, why);
	if (chunk >= (int)nc)
		return block_corrupt(ix, id, "chunk out of range");
	if (chunk > 0 && c[chunk].seq > UINT32_MAX)
		return block_corrupt(ix, id, "bad chunk header");
	b = mt_calloc(1, sizeof(*b));
	b->id = id;
	if (chunk < 0) {
		total = c[nc - 1].rawoff + c[nc - 1].rawlen;
		b->raw = mt_big_alloc(total + 1, &b->rawcap);
		for (i = 0; i < nc; i++) {
			why = chunk_unzip(ix, z, &c[i], b->raw + c[i].rawoff,
			    i ? b->raw : NULL, c[0].rawlen);
			if (why != NULL)
				goto bad;
		}
		b->len = total;
	} else {
		b->raw = mt_big_alloc(c[chunk].rawlen + 1, &b->rawcap);
		if (chunk > 0) {
			mt_buf_reset(&ix->dict);
			if (mt_buf_reserve(&ix->dict, c[0].rawlen) != 0) {
				why = "size out of range";
				goto bad;
			}
			if ((why = chunk_unzip(ix, z, &c[0], ix->dict.data,
			    NULL, 0)) != NULL)
				goto bad;
			b->part = 1;
			b->part_prev = c[chunk].prev;
			b->part_seq = (uint32_t)c[chunk].seq;
		}
		if ((why = chunk_unzip(ix, z, &c[chunk], b->raw,
		    chunk > 0 ? ix->dict.data : NULL, c[0].rawlen)) != NULL)
			goto bad;
		b->len = c[chunk].rawlen;
	}
	b->raw[b->len] = '\0';
	if (block_start(b) != 0) {
		why = "bad header";
		goto bad;
	}
	while ((e = block_step(b, &r)) == 0)
		b->nrec++;
	if (e < 0) {
		why = "truncated record";
		goto bad;
	}
	mt_ix_block_rewind(b);
	*out = b;
	return 0;
bad:
	mt_ix_block_free(b);
	return block_corrupt(ix, id, why);
}

/* mt_ix_block_next - the next record; 1 and *r filled, 0 at end */
int
mt_ix_block_next(struct mt_ix_block *b, struct mt_ix_rec *r)
{
	if (b == NULL)
		return 0;
	return block_step(b, r) == 0;
}

/* mt_ix_block_rewind - back to the first record */
void
mt_ix_block_rewind(struct mt_ix_block *b)
{
	if (b != NULL && block_start(b) != 0)
		b->pos = b->len;
}

/* mt_ix_block_id - the block's row id */
int64_t
mt_ix_block_id(const struct mt_ix_block *b)
{
	return b->id;
}

/* mt_ix_block_free - release a loaded block; accepts NULL */
void
mt_ix_block_free(struct mt_ix_block *b)
{
	if (b == NULL)
		return;
	mt_big_free(b->raw, b->rawcap);
	free(b);
}
