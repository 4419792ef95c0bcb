/*
 * stored.c: the text a document keeps for its snippets, compressed with
 * zstd.  Xapian would otherwise deflate it with zlib, and inflating the
 * stored text of every hit shown was the largest cost of a query (a
 * quarter of pvd-searchd's CPU); zstd decompresses several times faster,
 * and its output is entropy-coded, so Xapian, finding it incompressible,
 * stores it as it is (LZ4's output was deflated again).
 *
 * Layout: "\x01ZSH", the text's length and the head's (4 bytes each,
 * little-endian), then zstd frames of the head and the text: the head with
 * the first 8 KiB of the text, then the rest of the text in one frame.  The
 * first frame's first block ends after the text's first PVDI_STORED_BLOCK
 * bytes: a hit reads that block alone when its passage is there.  The
 * head is what a hit shows besides its passage (hit-fields.c): read with the
 * passage, it spares a search the eight value streams it read before.
 * Older indexes: "\x01ZST", the length, then frames of the text alone
 * (the first 8 KiB, then the rest; cut in 8 KiB frames before that: any cut
 * reads the same); data without a mark is plain text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* the block-at-a-time decoder (ZSTD_decompressContinue) */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

#include "pvd-private.h"

static const char mark[4] = {1, 'Z', 'S', 'T'};	     /* the text alone */
static const char mark_head[4] = {1, 'Z', 'S', 'H'}; /* a head, then the text */

/* The longest head read: the shown values of one document. */
#define STORED_HEAD_MAX ((size_t)1 << 20)

/* Each thread's zstd contexts, made once: every document indexed packs
 * its text, every hit shown unpacks it. */
static pthread_key_t dctx_key, cctx_key;
static pthread_once_t dctx_once = PTHREAD_ONCE_INIT;

static void
free_dctx(void *d)
{
	ZSTD_freeDCtx(d);
}

static void
free_cctx(void *c)
{
	ZSTD_freeCCtx(c);
}

static void
make_key(void)
{
	pthread_key_create(&dctx_key, free_dctx);
	pthread_key_create(&cctx_key, free_cctx);
}

static ZSTD_CCtx *
thread_cctx(void)
{
	pthread_once(&dctx_once, make_key);
	ZSTD_CCtx *c = pthread_getspecific(cctx_key);
	if (!c && (c = ZSTD_createCCtx()) && pthread_setspecific(cctx_key, c)) {
		ZSTD_freeCCtx(c);
		c = NULL;
	}
	return c;
}

static ZSTD_DCtx *
thread_dctx(void)
{
	pthread_once(&dctx_once, make_key);
	ZSTD_DCtx *d = pthread_getspecific(dctx_key);
	if (!d && (d = ZSTD_createDCtx()) && pthread_setspecific(dctx_key, d)) {
		ZSTD_freeDCtx(d);
		d = NULL;
	}
	return d;
}

static void
put32(char *at, size_t n)
{
	for (int i = 0; i < 4; i++)
		at[i] = (char)((n >> (8 * i)) & 0xff);
}

static size_t
get32(const char *at)
{
	size_t n = 0;
	for (int i = 0; i < 4; i++)
		n |= (size_t)(unsigned char)at[i] << (8 * i);
	return n;
}

/* One zstd frame of src[0..len) at buf[*n], within cap, its first block
 * ending at cut (len: one block): 0 or -1. */
static int
add_frame(ZSTD_CCtx *cctx, char *buf, size_t cap, size_t *n, const char *src, size_t len,
	  size_t cut)
{
	ZSTD_outBuffer out = {buf + *n, cap - *n, 0};
	ZSTD_inBuffer start = {src, cut, 0}, rest = {src + cut, len - cut, 0};
	size_t rc = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setPledgedSrcSize(cctx, len);
	/* a flush ends the block; the output has room for all at once */
	if (!ZSTD_isError(rc) && cut < len)
		rc = ZSTD_compressStream2(cctx, &out, &start, ZSTD_e_flush);
	if (!ZSTD_isError(rc) && rc == 0)
		rc = ZSTD_compressStream2(cctx, &out, cut < len ? &rest : &start,
					  ZSTD_e_end);
	if (ZSTD_isError(rc) || rc != 0)
		return -1;
	*n += out.pos;
	return 0;
}

int
pvdi_stored_pack(const char *head, size_t head_len, const char *text, size_t len,
		 char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (len > PVDI_STORED_TEXT * 4 || head_len > STORED_HEAD_MAX)
		return -1;
	/* The start in a frame of its own: zstd decodes a block whole, so one
	 * frame for the whole text would cost the whole text to read its start,
	 * where most passages are.  The rest in one frame: 8 KiB frames all
	 * begin alike, and in a long text those repeated headers were enough
	 * for Xapian to deflate the whole entry, then inflate it for each hit
	 * shown (a quarter of the cost of a search that showed one).  The head
	 * goes in the first frame, compressed with the text: plain, Xapian
	 * would deflate the entry for it. */
	size_t first = len > PVDI_STORED_FRAME ? PVDI_STORED_FRAME : len;
	size_t cap = 12 + ZSTD_compressBound(head_len + len) + 2 * 32;
	ZSTD_CCtx *cctx = thread_cctx();
	char *start = head ? malloc(head_len + first + 1) : NULL; /* the first frame's */
	char *buf = cctx && (start || !head) ? malloc(cap) : NULL;
	if (!buf) {
		free(start);
		return -1;
	}
	size_t n = head ? 12 : 8;
	memcpy(buf, head ? mark_head : mark, 4);
	put32(buf + 4, len);
	if (head) {
		put32(buf + 8, head_len);
		memcpy(start, head, head_len);
		memcpy(start + head_len, text, first);
	}
	/* an empty text is one frame, empty or of the head alone; the head and
	 * the text's first PVDI_STORED_BLOCK bytes end its first block */
	size_t cut = head_len + (first < PVDI_STORED_BLOCK ? first : PVDI_STORED_BLOCK);
	int rc =
	    add_frame(cctx, buf, cap, &n, head ? start : text, head_len + first, cut);
	if (rc == 0 && len > first)
		rc =
		    add_frame(cctx, buf, cap, &n, text + first, len - first, len - first);
	free(start);
	if (rc != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* Decompress on from where rd stands until buf holds `until` bytes (head
 * and text): a block at a time, so that a short read decodes no block past
 * the one it needs (ZSTD_decompressStream decodes one block ahead).  1,
 * or 0 when the data ends first or is damaged. */
static int
decode_to(pvdi_stored_reader *rd, size_t until)
{
	ZSTD_DCtx *d = rd->dctx;
	while (rd->out < until) {
		size_t need = rd->in_frame ? ZSTD_nextSrcSizeToDecompress(d) : 0;
		if (need == 0) { /* the frame ended, or none began: the next */
			if (rd->in_pos == rd->in_len ||
			    ZSTD_isError(ZSTD_decompressBegin(d)))
				return 0;
			rd->in_frame = 1;
			need = ZSTD_nextSrcSizeToDecompress(d);
		}
		if (need > rd->in_len - rd->in_pos)
			return 0;
		/* a header, or a block straight after the bytes before it */
		size_t k = ZSTD_decompressContinue(d, rd->buf + rd->out,
						   rd->head_len + rd->n - rd->out,
						   rd->in + rd->in_pos, need);
		if (ZSTD_isError(k))
			return 0;
		rd->in_pos += need;
		rd->out += k;
	}
	return 1;
}

/* How many of t's first size bytes hold whole characters: a last one that
 * the cut at size left short is dropped.  (Only those bytes were
 * decompressed: the one at size is not there to look at.) */
static size_t
whole_chars(const char *t, size_t size)
{
	size_t lead = size; /* back over continuation bytes, to the lead byte */
	while (lead > 0 && size - lead < 3 && ((unsigned char)t[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0)
		return size;
	unsigned char b = (unsigned char)t[lead - 1];
	size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
	return lead - 1 + need > size ? lead - 1 : size;
}

void
pvdi_stored_close(pvdi_stored_reader *rd)
{
	free(rd->buf);
	memset(rd, 0, sizeof *rd);
}

int
pvdi_stored_open(pvdi_stored_reader *rd, const char *data, size_t len)
{
	memset(rd, 0, sizeof *rd);
	int has_head = len >= 12 && !memcmp(data, mark_head, 4);
	if (!has_head && (len < 8 || memcmp(data, mark, 4))) {
		/* plain text, as stored before: read as it is */
		if (!(rd->buf = malloc(len + 1)))
			return -1;
		memcpy(rd->buf, data, len);
		rd->buf[len] = '\0';
		rd->text = rd->buf;
		rd->n = rd->got = rd->len = len;
		return 0;
	}
	size_t n = get32(data + 4);
	size_t h = has_head ? get32(data + 8) : 0;
	if (n > PVDI_STORED_TEXT * 4 || h > STORED_HEAD_MAX)
		return PVDI_STORED_DAMAGED; /* not ours, or damaged */
	/* head and text in one buffer, as one stream: a block may hold the
	 * end of one and the start of the other, and zstd reads back in what
	 * it decoded before */
	rd->dctx = thread_dctx();
	if (!rd->dctx || !(rd->buf = malloc(h + n + 1))) {
		pvdi_stored_close(rd);
		return -1;
	}
	rd->n = n;
	rd->head_len = h;
	rd->in = data + (has_head ? 12 : 8);
	rd->in_len = len - (has_head ? 12 : 8);
	rd->text = rd->buf + h;
	if (!decode_to(rd, h)) {
		pvdi_stored_close(rd);
		return PVDI_STORED_DAMAGED;
	}
	rd->head = has_head ? rd->buf : NULL;
	rd->got = rd->out - h;
	return 0;
}

int
pvdi_stored_read(pvdi_stored_reader *rd, size_t want)
{
	/* Only as much as asked: decompressing costs what it produces. */
	size_t size = want && want < rd->n ? want : rd->n;
	if (size > rd->got) {
		int ok = decode_to(rd, rd->head_len + size);
		/* blocks end where they end: maybe past size */
		rd->got = rd->out - rd->head_len;
		if (!ok) /* what was read before stays */
			return PVDI_STORED_DAMAGED;
	}
	/* a cut between two characters drops the first one's bytes: they are
	 * read again, whole, by a longer read */
	rd->len = rd->got < rd->n ? whole_chars(rd->text, rd->got) : rd->got;
	return 0;
}
