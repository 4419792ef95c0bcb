/*
 * test_stored.c: the text a document keeps for its snippets (lib/stored.c):
 * packed and unpacked back to the same bytes, with the head of what its
 * hits show (lib/hit-fields.c), its start readable alone and cut between
 * two characters, read a part at a time, the layout (the head and the
 * first 8 KiB in a frame of their own, the rest in one more), the layouts
 * of older indexes still read, and damaged data told from a lack of
 * memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zstd.h>

#include "pvd-private.h"

/* French-looking text of len bytes, its words drawn from a fixed list by a
 * fixed generator: multi-byte characters, and no two 8 KiB alike. */
static char *
some_text(size_t len)
{
	static const char *words[] = {
	    "ingénierie", "revitalisation", "commune",	  "façade", "îlot",
	    "Petites",	  "villes",	    "demain",	  "été",    "cœur",
	    "de",	  "bourg",	    "subvention", "étude",  "l’habitat"};
	char *t = malloc(len + 1);
	assert_non_null(t);
	uint32_t seed = 12345;
	size_t at = 0;
	while (at < len) {
		seed = seed * 1103515245u + 12345u;
		const char *w = words[(seed >> 16) % (sizeof words / sizeof *words)];
		char num[16];
		snprintf(num, sizeof num, " %u ", (unsigned)(seed >> 20) % 997);
		for (const char *p = w; *p && at < len; p++)
			t[at++] = *p;
		for (const char *p = num; *p && at < len; p++)
			t[at++] = *p;
	}
	t[len] = '\0';
	return t;
}

/* How many zstd frames follow the marks and lengths. */
static int
frames(const char *data, size_t len)
{
	int n = 0;
	for (size_t at = memcmp(data, "\x01ZSH", 4) ? 8 : 12; at < len; n++) {
		size_t k = ZSTD_findFrameCompressedSize(data + at, len - at);
		assert_false(ZSTD_isError(k));
		at += k;
	}
	return n;
}

/* data read with a pvdi_stored_reader: its head (*head NULL when it has
 * none) and at most want bytes (0: all) of its text, each malloc'ed and
 * NUL-ended; *whole says whether that is all of the text.  What
 * pvdi_stored_open and pvdi_stored_read return. */
static int
unpack(const char *data, size_t len, size_t want, char **out, size_t *out_len, int *whole,
       char **head, size_t *head_len)
{
	pvdi_stored_reader rd;
	*out = *head = NULL;
	*out_len = *head_len = 0;
	int rc = pvdi_stored_open(&rd, data, len);
	if (rc == 0 && (rc = pvdi_stored_read(&rd, want)) == 0) {
		*out = strndup(rd.text, rd.len);
		*out_len = rd.len;
		*whole = rd.got == rd.n;
		if (rd.head) {
			*head = strndup(rd.head, rd.head_len);
			*head_len = rd.head_len;
		}
		assert_non_null(*out);
	}
	pvdi_stored_close(&rd);
	return rc;
}

/* A head as pvd-index makes them, for these tests. */
static const char head[] = "\x10/docs/etude.html"
			   "\x05titre"
			   "\x07article";

/* head (NULL: none) and text[0..len) packed; the packing must succeed. */
static char *
packed_of(const char *hd, const char *text, size_t len, size_t *packed_len)
{
	char *packed = NULL;
	assert_int_equal(
	    pvdi_stored_pack(hd, hd ? strlen(hd) : 0, text, len, &packed, packed_len), 0);
	return packed;
}

/* data unpacks whole to text[0..len), and to head hd (NULL: none). */
static void
reads_back(const char *data, size_t data_len, const char *text, size_t len,
	   const char *hd)
{
	char *out = NULL, *h = NULL;
	size_t out_len = 0, h_len = 0;
	int whole = 0;
	assert_int_equal(unpack(data, data_len, 0, &out, &out_len, &whole, &h, &h_len),
			 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	assert_int_equal(whole, 1);
	if (hd) {
		assert_non_null(h);
		assert_int_equal(h_len, strlen(hd));
		assert_memory_equal(h, hd, h_len);
		assert_int_equal(h[h_len], '\0');
	} else {
		assert_null(h);
		assert_int_equal(h_len, 0);
	}
	free(out);
	free(h);
}

/* data's first 8 KiB unpack alone to text's start, cut before a character,
 * never inside one. */
static void
reads_start(const char *data, size_t data_len, const char *text)
{
	char *out = NULL, *h = NULL;
	size_t out_len = 0, h_len = 0;
	int whole = 1;
	assert_int_equal(unpack(data, data_len, 8192, &out, &out_len, &whole, &h, &h_len),
			 0);
	free(h);
	assert_int_equal(whole, 0);
	assert_true(out_len <= 8192 && out_len > 8192 - 4);
	assert_memory_equal(out, text, out_len);
	assert_true(((unsigned char)text[out_len] & 0xC0) != 0x80);
	assert_int_equal(out[out_len], '\0');
	free(out);
}

/* data is damaged: no text, and not taken for a lack of memory. */
static void
reads_damaged(const char *data, size_t data_len)
{
	char *out = NULL, *h = NULL;
	size_t out_len = 0, h_len = 0;
	int whole = 0;
	assert_int_equal(unpack(data, data_len, 0, &out, &out_len, &whole, &h, &h_len),
			 PVDI_STORED_DAMAGED);
	assert_null(out);
	assert_null(h);
}

static void
round_trip(void **state)
{
	(void)state;
	static const size_t lens[] = {0,    1,	   100,	  8191,	    8192,
				      8193, 20000, 65536, 4 * 65536};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		char *text = some_text(lens[i]);
		size_t packed_len = 0;
		char *packed = packed_of(head, text, lens[i], &packed_len);
		/* the head and the start, then the rest in one frame */
		assert_int_equal(frames(packed, packed_len), lens[i] > 8192 ? 2 : 1);
		reads_back(packed, packed_len, text, lens[i], head);
		free(packed);
		/* the same text with no head: the layout indexes made before */
		packed = packed_of(NULL, text, lens[i], &packed_len);
		assert_memory_equal(packed, "\x01ZST", 4);
		assert_int_equal(frames(packed, packed_len), lens[i] > 8192 ? 2 : 1);
		reads_back(packed, packed_len, text, lens[i], NULL);
		free(packed);
		free(text);
	}
}

static void
start_alone(void **state)
{
	(void)state;
	char *text = some_text(30000);
	size_t packed_len = 0;
	char *packed = packed_of(head, text, 30000, &packed_len);
	reads_start(packed, packed_len, text);
	free(packed);
	free(text);
}

/* A start cut at 8 KiB keeps whole characters: it drops an "é" that the
 * cut splits, and keeps one that ends at the cut, whatever follows. */
static void
start_cut_between_characters(void **state)
{
	(void)state;
	static const struct {
		size_t at;	 /* where "é" begins */
		size_t want_len; /* the start's length */
	} cases[] = {{8191, 8191}, {8190, 8192}, {8192, 8192}};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		size_t len = 9000;
		char *text = malloc(len + 1);
		assert_non_null(text);
		memset(text, 'a', len);
		text[len] = '\0';
		memcpy(text + cases[c].at, "\xc3\xa9", 2);
		size_t packed_len = 0;
		char *packed = packed_of(head, text, len, &packed_len);
		char *out = NULL, *h = NULL;
		size_t out_len = 0, h_len = 0;
		int whole = 1;
		assert_int_equal(
		    unpack(packed, packed_len, 8192, &out, &out_len, &whole, &h, &h_len),
		    0);
		assert_int_equal(out_len, cases[c].want_len);
		assert_memory_equal(out, text, out_len);
		free(out);
		free(h);
		free(packed);
		free(text);
	}
}

/* Indexes made before: every 8 KiB of the text in a frame of its own. */
static void
older_layout(void **state)
{
	(void)state;
	size_t len = 30000;
	char *text = some_text(len);
	char *old = malloc(8 + ZSTD_compressBound(len) + 4 * 64);
	assert_non_null(old);
	memcpy(old, "\x01ZST", 4);
	for (int i = 0; i < 4; i++)
		old[4 + i] = (char)((len >> (8 * i)) & 0xff);
	size_t n = 8;
	for (size_t at = 0; at < len; at += 8192) {
		size_t chunk = len - at < 8192 ? len - at : 8192;
		size_t k = ZSTD_compress(old + n, ZSTD_compressBound(chunk), text + at,
					 chunk, 3);
		assert_false(ZSTD_isError(k));
		n += k;
	}
	assert_int_equal(frames(old, n), 4);
	reads_back(old, n, text, len, NULL);
	reads_start(old, n, text);
	/* and plain text, from before the text was packed */
	reads_back("plain text", 10, "plain text", 10, NULL);
	free(old);
	free(text);
}

static void
damaged(void **state)
{
	(void)state;
	char *text = some_text(20000);
	size_t packed_len = 0;
	char *packed = packed_of(head, text, 20000, &packed_len);
	/* cut short: the rest's frame ends early */
	reads_damaged(packed, packed_len - 100);
	/* a head longer than the frames hold, and one no document has */
	packed[9] = 0x40;
	reads_damaged(packed, packed_len);
	packed[9] = 0;
	packed[10] = 0x7f;
	reads_damaged(packed, packed_len);
	/* a length no text of ours has */
	packed[10] = 0;
	packed[7] = 0x7f;
	reads_damaged(packed, packed_len);
	free(packed);
	free(text);
}

/* Read a part at a time: the head and the text's first PVDI_STORED_BLOCK
 * bytes are one zstd block, so a short read decodes no more; each longer
 * read goes on from the last to the same bytes a whole read gives; a
 * damaged rest leaves what was read before. */
static void
read_a_part_at_a_time(void **state)
{
	(void)state;
	size_t len = 30000;
	char *text = some_text(len);
	size_t packed_len = 0;
	char *packed = packed_of(head, text, len, &packed_len);
	pvdi_stored_reader rd;
	assert_int_equal(pvdi_stored_open(&rd, packed, packed_len), 0);
	assert_int_equal(rd.head_len, strlen(head));
	assert_memory_equal(rd.head, head, rd.head_len);
	assert_int_equal(rd.got, PVDI_STORED_BLOCK); /* with the head */
	assert_int_equal(pvdi_stored_read(&rd, 100), 0);
	assert_int_equal(rd.got, PVDI_STORED_BLOCK); /* nothing more */
	assert_true(rd.len <= PVDI_STORED_BLOCK && rd.len > PVDI_STORED_BLOCK - 4);
	assert_memory_equal(rd.text, text, rd.len);
	assert_true(((unsigned char)text[rd.len] & 0xC0) != 0x80);
	assert_int_equal(pvdi_stored_read(&rd, 8192), 0);
	assert_int_equal(rd.got, 8192); /* the first frame's end */
	assert_true(rd.len <= 8192 && rd.len > 8192 - 4);
	assert_memory_equal(rd.text, text, rd.len);
	assert_int_equal(pvdi_stored_read(&rd, 0), 0);
	assert_int_equal(rd.len, len);
	assert_int_equal(rd.got, rd.n);
	assert_memory_equal(rd.text, text, len);
	pvdi_stored_close(&rd);

	/* without a head, the first read decodes the first block alone */
	char *bare = packed_of(NULL, text, len, &packed_len);
	assert_int_equal(pvdi_stored_open(&rd, bare, packed_len), 0);
	assert_null(rd.head);
	assert_int_equal(rd.got, 0);
	assert_int_equal(pvdi_stored_read(&rd, 1), 0);
	assert_int_equal(rd.got, PVDI_STORED_BLOCK);
	assert_memory_equal(rd.text, text, rd.len);
	pvdi_stored_close(&rd);

	/* the rest cut short: damaged, and the start read stays */
	assert_int_equal(pvdi_stored_open(&rd, bare, packed_len - 100), 0);
	assert_int_equal(pvdi_stored_read(&rd, 8192), 0);
	size_t start = rd.len;
	assert_int_equal(pvdi_stored_read(&rd, 0), PVDI_STORED_DAMAGED);
	assert_int_equal(rd.len, start);
	assert_memory_equal(rd.text, text, rd.len);
	pvdi_stored_close(&rd);
	free(bare);
	free(packed);
	free(text);
}

/* What a hit shows: packed from a document's values, read back the same;
 * a head not well formed is told. */
static void
shown_fields(void **state)
{
	(void)state;
	char *values[PVDI_V_COUNT];
	char *long_title = some_text(300); /* a length of two varint bytes */
	for (int i = 0; i < PVDI_V_COUNT; i++)
		values[i] = "";
	values[PVDI_V_PATH] = "/docs/étude.html";
	values[PVDI_V_TITLE] = long_title;
	values[PVDI_V_TYPE] = "article";
	values[PVDI_V_DATE] = "2026-12-03";
	values[PVDI_V_DATE_SOURCE] = "text";
	values[PVDI_V_COMMUNES] = "Vitré\nFougères";
	values[PVDI_V_STAMP] = "not shown";
	char *packed = NULL;
	size_t len = 0;
	assert_int_equal(pvdi_shown_pack(values, &packed, &len), 0);
	const char *field[PVDI_SHOWN_SLOTS];
	size_t field_len[PVDI_SHOWN_SLOTS];
	assert_int_equal(pvdi_shown_unpack(packed, len, field, field_len), 0);
	for (int k = 0; k < PVDI_SHOWN_SLOTS; k++) {
		const char *want = values[pvdi_shown_slots[k]];
		assert_int_equal(field_len[k], strlen(want));
		assert_memory_equal(field[k], want, field_len[k]);
	}
	assert_int_equal(pvdi_shown_slots[0], PVDI_V_PATH);
	/* cut short, one byte too many, a length past the end */
	assert_int_equal(pvdi_shown_unpack(packed, len - 1, field, field_len), -1);
	char *more = malloc(len + 1);
	assert_non_null(more);
	memcpy(more, packed, len);
	more[len] = 'x';
	assert_int_equal(pvdi_shown_unpack(more, len + 1, field, field_len), -1);
	assert_int_equal(pvdi_shown_unpack("\x7f", 1, field, field_len), -1);
	assert_int_equal(
	    pvdi_shown_unpack("\xff\xff\xff\xff\xff\x01", 6, field, field_len), -1);
	free(more);
	free(packed);
	free(long_title);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(start_alone),
	    cmocka_unit_test(older_layout),
	    cmocka_unit_test(damaged),
	    cmocka_unit_test(shown_fields),
	    cmocka_unit_test(start_cut_between_characters),
	    cmocka_unit_test(read_a_part_at_a_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
