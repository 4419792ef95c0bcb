/*
 * test_utf8.c: common/utf8.c, what the indexer, pvd-search and pvd-searchd
 * take for well-formed UTF-8, and how they make a name safe for a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit.h"
#include "utf8.h"

#define COEUR "c\xc5\x93ur l\xe2\x80\x99ing\xc3\xa9nierie"

static void
validity(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid(COEUR, strlen(COEUR)));
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(utf8_valid("\xe9", 1));
	assert_false(utf8_valid("\xc3", 1));		 /* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));	 /* overlong */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));	 /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));	 /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* beyond U+10FFFF */
	assert_false(utf8_valid("ab\xff", 3));
}

static void
sequence_lengths(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len("a", 1), 1);
	assert_int_equal(utf8_seq_len("\xc3\xa9t\xc3\xa9", 5), 2);
	assert_int_equal(utf8_seq_len("\xe2\x80\x99", 3), 3);
	assert_int_equal(utf8_seq_len("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(utf8_seq_len("\xe2\x80\x99", 2), 0); /* cut short */
	assert_int_equal(utf8_seq_len("\x80", 1), 0);	      /* a continuation */
	assert_int_equal(utf8_seq_len("\xe9t\xe9", 3), 0);    /* Latin-1 */
}

static void
escape(void **state, const char *in, int bad_bytes, const char *want)
{
	(void)state;
	char *got = utf8_escape_controls(in, bad_bytes);
	assert_str(got, want);
	free(got);
}

static void
controls_are_written_out(void **state)
{
	escape(state, COEUR, 1, COEUR);
	escape(state, "a\nb\tc", 0, "a\\nb\\tc");
	/* an escape sequence in a file name does not reach the terminal */
	escape(state, "x\x1b[2Jy\x7f", 0, "x\\x1b[2Jy\\x7f");
	/* nor its one-character form, C1's CSI (U+009B) */
	escape(state, "x\xc2\x9b\x32Jy", 0, "x\\u009b2Jy"); /* \x32: '2' */
	/* U+00A0 and above are text */
	escape(state, "\xc2\xa0\xc2\xab", 0, "\xc2\xa0\xc2\xab");
}

static void
bad_bytes_when_asked(void **state)
{
	escape(state, "caf\xe9.txt", 1, "caf\\xe9.txt");
	escape(state, "caf\xe9.txt", 0, "caf\xe9.txt");
	escape(state, "\xe2\x80", 1, "\\xe2\\x80"); /* a cut sequence */
	escape(state, "", 1, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(validity),
	    cmocka_unit_test(sequence_lengths),
	    cmocka_unit_test(controls_are_written_out),
	    cmocka_unit_test(bad_bytes_when_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
