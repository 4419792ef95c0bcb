/*
 * stored.c: the text a document keeps for its snippets, compressed with
 * zstd.  Xapian would otherwise deflate it with zlib, and inflating the
 * stored text of every hit shown was the largest cost of a query (a
 * quarter of pvd-searchd's CPU); zstd decompresses several times faster,
 * and its output is entropy-coded, so Xapian, finding it incompressible,
 * stores it as it is (LZ4's output was deflated again).
 *
 * Layout: "\x01ZST", the text's length (4 bytes, little-endian), then zstd
 * frames: the first 8 KiB of the text, then the rest in one frame (indexes
 * made before cut the rest in 8 KiB frames too; any cut reads the same).
 * Data without the mark is plain text (indexes made before that).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "pvd-private.h"

static const char mark[4] = {1, 'Z', 'S', 'T'};

/* Bytes of text in one zstd frame. */
#define STORED_FRAME ((size_t)8192)

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

int
pvdi_stored_pack(const char *text, size_t len, char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (len > PVDI_STORED_TEXT * 4)
		return -1;
	/* The start in a frame of its own: zstd decodes a block whole, so one
	 * frame for the whole text would cost the whole text to read its start,
	 * where most passages are.  The rest in one frame: 8 KiB frames all
	 * begin alike, and in a long text those repeated headers were enough
	 * for Xapian to deflate the whole entry, then inflate it for each hit
	 * shown (a quarter of the cost of a search that showed one). */
	size_t bound = 8 + ZSTD_compressBound(len) + 2 * 32;
	ZSTD_CCtx *cctx = thread_cctx();
	char *buf = cctx ? malloc(bound) : NULL;
	if (!buf)
		return -1;
	memcpy(buf, mark, 4);
	for (int i = 0; i < 4; i++)
		buf[4 + i] = (char)((len >> (8 * i)) & 0xff);
	size_t n = 0;
	size_t at = 0;
	do { /* an empty text is one empty frame */
		size_t chunk = at == 0 && len > STORED_FRAME ? STORED_FRAME : len - at;
		size_t k = ZSTD_compressCCtx(cctx, buf + 8 + n, bound - 8 - n, text + at,
					     chunk, 3);
		if (ZSTD_isError(k)) {
			free(buf);
			return -1;
		}
		n += k;
		at += chunk;
	} while (at < len);
	*out = buf;
	*out_len = 8 + n;
	return 0;
}

int
pvdi_stored_unpack(const char *data, size_t len, size_t want, char **out, size_t *out_len,
		   int *whole)
{
	*out = NULL;
	*out_len = 0;
	*whole = 1;
	if (len < 8 || memcmp(data, mark, 4)) {
		/* plain text, as stored before */
		if (!(*out = malloc(len + 1)))
			return -1;
		memcpy(*out, data, len);
		(*out)[len] = '\0';
		*out_len = len;
		return 0;
	}
	size_t n = 0;
	for (int i = 0; i < 4; i++)
		n |= (size_t)(unsigned char)data[4 + i] << (8 * i);
	if (n > PVDI_STORED_TEXT * 4)
		return PVDI_STORED_DAMAGED; /* not ours, or damaged */
	size_t size = want && want < n ? want : n;
	ZSTD_DCtx *d = thread_dctx();
	char *text = malloc(size + 1);
	if (!text || !d) {
		free(text);
		return -1;
	}
	/* Only as much as asked: decompressing costs what it produces. */
	ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
	ZSTD_inBuffer in = {data + 8, len - 8, 0};
	ZSTD_outBuffer ob = {text, size, 0};
	int nomem = 0;
	while (ob.pos < ob.size) {
		size_t rc = ZSTD_decompressStream(d, &ob, &in);
		/* zstd allocates its window on the first frame it meets */
		nomem = ZSTD_isError(rc) &&
			ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation;
		/* damaged, or the input ends: rc 0 ends a frame, others follow */
		if (ZSTD_isError(rc) ||
		    (in.pos == in.size && (rc == 0 || ob.pos < ob.size)))
			break;
	}
	if (ob.pos != size) {
		free(text);
		return nomem ? -1 : PVDI_STORED_DAMAGED;
	}
	/* Cut between two characters. */
	size_t cut = size;
	if (size < n)
		while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;
	text[cut] = '\0';
	*out = text;
	*out_len = cut;
	*whole = size == n;
	return 0;
}
