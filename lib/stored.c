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
 * head is what a hit shows besides its passage (hit-fields.c): read with the
 * passage, it spares a search the eight value streams it read before.
 * Older indexes: "\x01ZST", the length, then frames of the text alone
 * (the first 8 KiB, then the rest; cut in 8 KiB frames before that: any cut
 * reads the same); data without a mark is plain text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "pvd-private.h"

static const char mark[4] = {1, 'Z', 'S', 'T'};	     /* the text alone */
static const char mark_head[4] = {1, 'Z', 'S', 'H'}; /* a head, then the text */

/* The longest head read: the shown values of one document. */
#define STORED_HEAD_MAX ((size_t)1 << 20)

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

/* One zstd frame of src[0..len) at buf[*n], within cap: 0 or -1. */
static int
add_frame(ZSTD_CCtx *cctx, char *buf, size_t cap, size_t *n, const char *src, size_t len)
{
	size_t k = ZSTD_compressCCtx(cctx, buf + *n, cap - *n, src, len, 3);
	if (ZSTD_isError(k))
		return -1;
	*n += k;
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
	size_t first = len > STORED_FRAME ? STORED_FRAME : len;
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
	/* an empty text is one frame, empty or of the head alone */
	int rc = add_frame(cctx, buf, cap, &n, head ? start : text, head_len + first);
	if (rc == 0 && len > first)
		rc = add_frame(cctx, buf, cap, &n, text + first, len - first);
	free(start);
	if (rc != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

/* Decompress into out[0..size) from *in, going on from where d stands:
 * 1 when filled, 0 when the data ends first or is damaged, -1 when zstd
 * lacks memory. */
static int
fill(ZSTD_DCtx *d, ZSTD_inBuffer *in, char *out, size_t size)
{
	ZSTD_outBuffer ob = {out, size, 0};
	while (ob.pos < ob.size) {
		size_t rc = ZSTD_decompressStream(d, &ob, in);
		/* zstd allocates its window on the first frame it meets */
		if (ZSTD_isError(rc))
			return ZSTD_getErrorCode(rc) == ZSTD_error_memory_allocation ? -1
										     : 0;
		/* the input ends: rc 0 ends a frame, others follow */
		if (in->pos == in->size && (rc == 0 || ob.pos < ob.size))
			break;
	}
	return ob.pos == size;
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

int
pvdi_stored_unpack(const char *data, size_t len, size_t want, char **out, size_t *out_len,
		   int *whole, char **head, size_t *head_len)
{
	*out = NULL;
	*out_len = 0;
	*whole = 1;
	*head = NULL;
	*head_len = 0;
	int has_head = len >= 12 && !memcmp(data, mark_head, 4);
	if (!has_head && (len < 8 || memcmp(data, mark, 4))) {
		/* plain text, as stored before */
		if (!(*out = malloc(len + 1)))
			return -1;
		memcpy(*out, data, len);
		(*out)[len] = '\0';
		*out_len = len;
		return 0;
	}
	size_t n = get32(data + 4);
	size_t h = has_head ? get32(data + 8) : 0;
	size_t skip = has_head ? 12 : 8;
	if (n > PVDI_STORED_TEXT * 4 || h > STORED_HEAD_MAX)
		return PVDI_STORED_DAMAGED; /* not ours, or damaged */
	size_t size = want && want < n ? want : n;
	ZSTD_DCtx *d = thread_dctx();
	char *text = malloc(size + 1);
	char *hd = has_head ? malloc(h + 1) : NULL;
	if (!text || !d || (has_head && !hd)) {
		free(text);
		free(hd);
		return -1;
	}
	/* Only as much as asked: decompressing costs what it produces.  The
	 * head first, then the text, each into its own buffer. */
	ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
	ZSTD_inBuffer in = {data + skip, len - skip, 0};
	int got = fill(d, &in, hd, h);
	if (got == 1)
		got = fill(d, &in, text, size);
	if (got != 1) {
		free(text);
		free(hd);
		return got < 0 ? -1 : PVDI_STORED_DAMAGED;
	}
	if (hd)
		hd[h] = '\0';
	size_t cut = size < n ? whole_chars(text, size) : size;
	text[cut] = '\0';
	*out = text;
	*out_len = cut;
	*whole = size == n;
	*head = hd;
	*head_len = h;
	return 0;
}
