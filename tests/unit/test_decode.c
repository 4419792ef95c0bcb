/*
 * test_decode.c: unit tests for indexer/decode.c, decode_text(): BOMs,
 * declared charsets, the Windows-1252 fallback, UTF-8
 * with a few broken bytes, NUL bytes and empty input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "indexer.h"
#include "unit.h"

/* "cœur l’ingénierie" in UTF-8, what every decoding below must give. */
#define COEUR "c\xc5\x93ur l\xe2\x80\x99ing\xc3\xa9nierie"

/* Decodes buf and checks that the length given matches the string. */
static char *
decode(const char *buf, size_t len, const char *charset, size_t *n_bad)
{
	size_t out_len = (size_t)-1;
	char *out = decode_text(buf, len, charset, &out_len, n_bad);
	assert_non_null(out);
	assert_int_equal(out_len, strlen(out));
	return out;
}

static void
check(const char *buf, size_t len, const char *charset, const char *expected,
      size_t expected_bad)
{
	size_t n_bad = 99;
	char *out = decode(buf, len, charset, &n_bad);
	assert_str(out, expected);
	assert_int_equal(n_bad, expected_bad);
	free(out);
}

static void
utf8_is_unchanged(void **state)
{
	(void)state;
	static const char in[] = COEUR " \xc3\xa0 Aspet, \xf0\x9f\x98\x80 fin";
	size_t n_bad = 99, out_len = 0;
	char *out = decode_text(in, sizeof in - 1, NULL, &out_len, &n_bad);
	assert_non_null(out);
	assert_int_equal(out_len, sizeof in - 1);
	assert_memory_equal(out, in, sizeof in);
	assert_int_equal(n_bad, 0);
	free(out);
	/* a declared "UTF-8" changes nothing either */
	check(in, sizeof in - 1, "UTF-8", in, 0);
	check(in, sizeof in - 1, "utf8", in, 0);
}

static void
utf8_bom_is_dropped(void **state)
{
	(void)state;
	static const char in[] = "\xef\xbb\xbf" COEUR;
	check(in, sizeof in - 1, NULL, COEUR, 0);
}

static void
utf16le_with_bom(void **state)
{
	(void)state;
	static const char in[] = "\xff\xfe"
				 "c\0\x53\x01u\0r\0 \0l\0\x19\x20"
				 "i\0n\0g\0\xe9\0n\0i\0e\0r\0i\0e\0";
	check(in, sizeof in - 1, NULL, COEUR, 0);
}

static void
utf16be_with_bom(void **state)
{
	(void)state;
	static const char in[] = "\xfe\xff"
				 "\0c\x01\x53\0u\0r\0 \0l\x20\x19"
				 "\0i\0n\0g\0\xe9\0n\0i\0e\0r\0i\0e";
	check(in, sizeof in - 1, NULL, COEUR, 0);
}

static void
cp1252_without_declaration(void **state)
{
	(void)state;
	check("\x92", 1, NULL, "\xe2\x80\x99", 0);
	check("\x9c", 1, NULL, "\xc5\x93", 0);
	check("\x80", 1, NULL, "\xe2\x82\xac", 0);
	check("\xe9", 1, NULL, "\xc3\xa9", 0);
	static const char in[] = "c\x9cur l\x92ing\xe9nierie, 5 \x80";
	check(in, sizeof in - 1, NULL, COEUR ", 5 \xe2\x82\xac", 0);
}

static void
declared_latin9(void **state)
{
	(void)state;
	check("\xa4", 1, "iso-8859-15", "\xe2\x82\xac", 0);
	static const char in[] = "5 \xa4 le caf\xe9";
	check(in, sizeof in - 1, "ISO-8859-15", "5 \xe2\x82\xac le caf\xc3\xa9", 0);
}

static void
declared_latin1_reads_cp1252(void **state)
{
	(void)state;
	/* pages that say iso-8859-1 use 0x92 for the apostrophe */
	check("l\x92\xe9t\xe9", 5, "iso-8859-1", "l\xe2\x80\x99\xc3\xa9t\xc3\xa9", 0);
}

static void
utf8_with_one_bad_byte(void **state)
{
	(void)state;
	static const char in[] =
	    "\xc3\xa9t\xc3\xa9 \xc3\xa0 c\xc5\x93ur \xc3\xa9l\xc3\xa8ve "
	    "\xe9 "
	    "l\xe2\x80\x99ing\xc3\xa9nierie";
	static const char expected[] =
	    "\xc3\xa9t\xc3\xa9 \xc3\xa0 c\xc5\x93ur \xc3\xa9l\xc3\xa8ve "
	    "\xef\xbf\xbd "
	    "l\xe2\x80\x99ing\xc3\xa9nierie";
	assert_false(utf8_valid(in, sizeof in - 1));
	check(in, sizeof in - 1, NULL, expected, 1);
}

static void
nul_bytes_become_spaces(void **state)
{
	(void)state;
	check("un\0deux\0\0trois", 14, NULL, "un deux  trois", 0);
	/* through iconv too */
	check("caf\xe9\0cr\xe8me", 10, NULL, "caf\xc3\xa9 cr\xc3\xa8me", 0);
}

static void
empty_input(void **state)
{
	(void)state;
	size_t n_bad = 99, out_len = 99;
	char *out = decode_text("", 0, NULL, &out_len, &n_bad);
	assert_non_null(out);
	assert_str(out, "");
	assert_int_equal(out_len, 0);
	assert_int_equal(n_bad, 0);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(utf8_is_unchanged),
	    cmocka_unit_test(utf8_bom_is_dropped),
	    cmocka_unit_test(utf16le_with_bom),
	    cmocka_unit_test(utf16be_with_bom),
	    cmocka_unit_test(cp1252_without_declaration),
	    cmocka_unit_test(declared_latin9),
	    cmocka_unit_test(declared_latin1_reads_cp1252),
	    cmocka_unit_test(utf8_with_one_bad_byte),
	    cmocka_unit_test(nul_bytes_become_spaces),
	    cmocka_unit_test(empty_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
