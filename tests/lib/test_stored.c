/*
 * test_stored.c: the text a document keeps for its snippets (lib/stored.c):
 * packed and unpacked back to the same bytes, its start readable alone and
 * cut between two characters, the layout (the first 8 KiB in a frame of
 * their own, the rest in one more), the layout of older indexes still read,
 * and damaged data told from a lack of memory.
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

/* How many zstd frames follow the 8-byte head. */
static int
frames(const char *data, size_t len)
{
	int n = 0;
	for (size_t at = 8; at < len; n++) {
		size_t k = ZSTD_findFrameCompressedSize(data + at, len - at);
		assert_false(ZSTD_isError(k));
		at += k;
	}
	return n;
}

/* text[0..len) packed; the packing must succeed. */
static char *
packed_of(const char *text, size_t len, size_t *packed_len)
{
	char *packed = NULL;
	assert_int_equal(pvdi_stored_pack(text, len, &packed, packed_len), 0);
	return packed;
}

/* data unpacks whole to text[0..len). */
static void
reads_back(const char *data, size_t data_len, const char *text, size_t len)
{
	char *out = NULL;
	size_t out_len = 0;
	int whole = 0;
	assert_int_equal(pvdi_stored_unpack(data, data_len, 0, &out, &out_len, &whole),
			 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	assert_int_equal(whole, 1);
	free(out);
}

/* data's first 8 KiB unpack alone to text's start, cut before a character,
 * never inside one. */
static void
reads_start(const char *data, size_t data_len, const char *text)
{
	char *out = NULL;
	size_t out_len = 0;
	int whole = 1;
	assert_int_equal(pvdi_stored_unpack(data, data_len, 8192, &out, &out_len, &whole),
			 0);
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
	char *out = NULL;
	size_t out_len = 0;
	int whole = 0;
	assert_int_equal(pvdi_stored_unpack(data, data_len, 0, &out, &out_len, &whole),
			 PVDI_STORED_DAMAGED);
	assert_null(out);
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
		char *packed = packed_of(text, lens[i], &packed_len);
		/* the start alone, then the rest in one frame */
		assert_int_equal(frames(packed, packed_len), lens[i] > 8192 ? 2 : 1);
		reads_back(packed, packed_len, text, lens[i]);
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
	char *packed = packed_of(text, 30000, &packed_len);
	reads_start(packed, packed_len, text);
	free(packed);
	free(text);
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
	reads_back(old, n, text, len);
	reads_start(old, n, text);
	/* and plain text, from before the text was packed */
	reads_back("plain text", 10, "plain text", 10);
	free(old);
	free(text);
}

static void
damaged(void **state)
{
	(void)state;
	char *text = some_text(20000);
	size_t packed_len = 0;
	char *packed = packed_of(text, 20000, &packed_len);
	/* cut short: the rest's frame ends early */
	reads_damaged(packed, packed_len - 100);
	/* a length no text of ours has */
	packed[7] = 0x7f;
	reads_damaged(packed, packed_len);
	free(packed);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(start_alone),
	    cmocka_unit_test(older_layout),
	    cmocka_unit_test(damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
