/*
 * stored.c: the text a document keeps for its snippets, compressed with
 * zstd.  Xapian would otherwise deflate it with zlib, and inflating the
 * stored text of every hit shown was the largest cost of a query (a
 * quarter of pvd-searchd's CPU); zstd decompresses several times faster,
 * and its output is entropy-coded, so Xapian, finding it incompressible,
 * stores it as it is (LZ4's output was deflated again).
 *
 * Layout: "\x01ZST", the text's length (4 bytes, little-endian), the zstd
 * frame.  Data without the mark is plain text (indexes made before).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "pvd-private.h"

static const char mark[4] = {1, 'Z', 'S', 'T'};

int
pvdi_stored_pack(const char *text, size_t len, char **out, size_t *out_len)
{
	*out = NULL;
	*out_len = 0;
	if (len > PVDI_STORED_TEXT * 4)
		return -1;
	size_t bound = ZSTD_compressBound(len);
	char *buf = malloc(8 + bound);
	if (!buf)
		return -1;
	memcpy(buf, mark, 4);
	for (int i = 0; i < 4; i++)
		buf[4 + i] = (char)((len >> (8 * i)) & 0xff);
	size_t n = ZSTD_compress(buf + 8, bound, text, len, 3);
	if (ZSTD_isError(n)) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = 8 + n;
	return 0;
}

/* Each thread's decompression context, made once: a query unpacks the
 * text of every hit it shows. */
static pthread_key_t dctx_key;
static pthread_once_t dctx_once = PTHREAD_ONCE_INIT;

static void
free_dctx(void *d)
{
	ZSTD_freeDCtx(d);
}

static void
make_key(void)
{
	pthread_key_create(&dctx_key, free_dctx);
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
		return -1; /* not ours, or damaged */
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
	while (ob.pos < ob.size) {
		size_t rc = ZSTD_decompressStream(d, &ob, &in);
		if (ZSTD_isError(rc) || rc == 0 || (in.pos == in.size && ob.pos < ob.size))
			break; /* damaged, frame done, or input cut short */
	}
	if (ob.pos != size) {
		free(text);
		return -1;
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
