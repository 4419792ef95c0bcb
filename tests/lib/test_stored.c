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

static void
round_trip(void **state)
{
	(void)state;
	static const size_t lens[] = {0,    1,	   100,	  8191,	    8192,
				      8193, 20000, 65536, 4 * 65536};
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		char *text = some_text(lens[i]);
		char *packed = NULL, *out = NULL;
		size_t packed_len = 0, out_len = 0;
		int whole = 0;
		assert_int_equal(pvdi_stored_pack(text, lens[i], &packed, &packed_len),
				 0);
		/* the start alone, then the rest in one frame */
		assert_int_equal(frames(packed, packed_len), lens[i] > 8192 ? 2 : 1);
		assert_int_equal(
		    pvdi_stored_unpack(packed, packed_len, 0, &out, &out_len, &whole), 0);
		assert_int_equal(out_len, lens[i]);
		assert_memory_equal(out, text, lens[i]);
		assert_int_equal(whole, 1);
		free(out);
		free(packed);
		free(text);
	}
}

static void
start_alone(void **state)
{
	(void)state;
	char *text = some_text(30000);
	char *packed = NULL, *out = NULL;
	size_t packed_len = 0, out_len = 0;
	int whole = 1;
	assert_int_equal(pvdi_stored_pack(text, 30000, &packed, &packed_len), 0);
	assert_int_equal(
	    pvdi_stored_unpack(packed, packed_len, 8192, &out, &out_len, &whole), 0);
	assert_int_equal(whole, 0);
	/* at most 8 KiB, cut before a character, never inside one */
	assert_true(out_len <= 8192 && out_len > 8192 - 4);
	assert_memory_equal(out, text, out_len);
	assert_true(((unsigned char)text[out_len] & 0xC0) != 0x80);
	assert_int_equal(out[out_len], '\0');
	free(out);
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
	char *out = NULL;
	size_t out_len = 0;
	int whole = 0;
	assert_int_equal(pvdi_stored_unpack(old, n, 0, &out, &out_len, &whole), 0);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, text, len);
	free(out);
	assert_int_equal(pvdi_stored_unpack(old, n, 8192, &out, &out_len, &whole), 0);
	assert_int_equal(whole, 0);
	assert_memory_equal(out, text, out_len);
	free(out);
	/* and plain text, from before the text was packed */
	assert_int_equal(pvdi_stored_unpack("plain text", 10, 0, &out, &out_len, &whole),
			 0);
	assert_string_equal(out, "plain text");
	free(out);
	free(old);
	free(text);
}

static void
damaged(void **state)
{
	(void)state;
	char *text = some_text(20000);
	char *packed = NULL, *out = NULL;
	size_t packed_len = 0, out_len = 0;
	int whole = 0;
	assert_int_equal(pvdi_stored_pack(text, 20000, &packed, &packed_len), 0);
	/* cut short: the rest's frame ends early */
	assert_int_equal(
	    pvdi_stored_unpack(packed, packed_len - 100, 0, &out, &out_len, &whole),
	    PVDI_STORED_DAMAGED);
	assert_null(out);
	/* a length no text of ours has */
	packed[7] = 0x7f;
	assert_int_equal(
	    pvdi_stored_unpack(packed, packed_len, 0, &out, &out_len, &whole),
	    PVDI_STORED_DAMAGED);
	assert_null(out);
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
