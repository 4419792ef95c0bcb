/*
 * test_pdf.c: unit tests for indexer/extract-pdf.c, extract_pdf(): text in
 * page order with hyphenated line ends joined and ligatures expanded,
 * Title and CreationDate, the skip of a PDF without text, and clean
 * failures (no crash, a reason) on truncated, garbled and cut-up PDFs.
 * The samples come from tests/fixtures/make-fixtures.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "indexer.h"
#include "unit.h"

static void
two_pages(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("pdf-deux-pages.pdf", &len), *reason = NULL;
	extracted x = {0};
	int skip = -1;

	assert_int_equal(extract_pdf(&x, buf, len, &reason, &skip), 0);
	assert_int_equal(skip, 0);
	assert_null(reason);
	assert_non_null(x.text);
	assert_int_equal(x.text_len, strlen(x.text));
	assert_int_equal(x.n_bad, 0);

	/* page 1: é œ ’ from WinAnsiEncoding; the ﬁ ligature expanded;
	 * "revitali-" + "sation" joined; "Saint-" + "Martory" kept apart */
	assert_contains(x.text,
			"Note d\xe2\x80\x99\xc3\xa9tape sur le c\xc5\x93ur de ville\n");
	assert_contains(x.text,
			"L\xe2\x80\x99ing\xc3\xa9nierie financ\xc3\xa9"
			"e par l\xe2\x80\x99\xc3\x89tat accompagne la revitalisation du "
			"centre-bourg d\xe2\x80\x99"
			"Aspet et de Saint-\nMartory, avec un chef de projet.");
	/* one newline between the pages, in order; the ﬂ ligature expanded */
	assert_contains(x.text, "chef de projet.\nDeuxi\xc3\xa8me page : une r\xc3\xa9"
				"flexion sur les commerces.\nLes \xc5\x93uvres du canal");
	assert_null(strstr(x.text, "\xef\xac\x81")); /* U+FB01 */
	assert_null(strstr(x.text, "\xef\xac\x82")); /* U+FB02 */
	assert_null(strstr(x.text, "revitali-"));

	assert_str(x.title,
		   "Note d\xe2\x80\x99\xc3\xa9tape : l\xe2\x80\x99ing\xc3\xa9nierie "
		   "\xc3\xa0 Aspet");
	assert_str(x.date, "2021-04-12");
	extracted_clear(&x);
	free(buf);
}

static void
no_text_is_skipped(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("pdf-sans-texte.pdf", &len), *reason = NULL;
	extracted x = {0};
	int skip = 0;

	assert_int_equal(extract_pdf(&x, buf, len, &reason, &skip), 0);
	assert_int_equal(skip, 1);
	assert_str(reason, "no text");
	assert_null(x.text);
	free(reason);
	extracted_clear(&x);
	free(buf);
}

/* A file poppler cannot read fails with a reason, and leaves x empty. */
static void
expect_unreadable(const char *buf, size_t len)
{
	extracted x = {0};
	char *reason = NULL;
	int skip = -1;

	assert_int_equal(extract_pdf(&x, buf, len, &reason, &skip), -1);
	assert_int_equal(skip, 0);
	assert_prefix(reason, "not a readable PDF: ");
	assert_true(strlen(reason) > strlen("not a readable PDF: "));
	assert_null(x.text);
	assert_null(x.title);
	free(reason);
	extracted_clear(&x);
}

static void
truncated(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("pdf-tronque.pdf", &len);
	expect_unreadable(buf, len);
	free(buf);
}

static void
garbage(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("pdf-illisible.pdf", &len);
	expect_unreadable(buf, len);
	free(buf);
	expect_unreadable("", 0);
	expect_unreadable("%PDF-1.4\n", 9);
}

/* Every prefix and a few damaged copies of the good PDF: whatever poppler
 * makes of them, a result or a reason, never a crash or a leak. */
static void
cut_and_damaged(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("pdf-deux-pages.pdf", &len);
	char *copy = malloc(len);
	assert_non_null(copy);

	for (size_t n = 0; n < len; n += 61) {
		extracted x = {0};
		char *reason = NULL;
		int skip = 0;
		int rc = extract_pdf(&x, buf, n, &reason, &skip);
		assert_true(rc == 0 || (rc == -1 && reason != NULL));
		free(reason);
		extracted_clear(&x);
	}
	unsigned seed = 7;
	for (int round = 0; round < 40; round++) {
		memcpy(copy, buf, len);
		for (int k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (char)(seed >> 16);
		}
		extracted x = {0};
		char *reason = NULL;
		int skip = 0;
		int rc = extract_pdf(&x, copy, len, &reason, &skip);
		assert_true(rc == 0 || (rc == -1 && reason != NULL));
		if (rc == 0 && !skip) {
			assert_non_null(x.text);
			assert_true(utf8_valid(x.text, x.text_len));
		}
		free(reason);
		extracted_clear(&x);
	}
	free(copy);
	free(buf);
}

/* The sample instruction of corpus/textes. */
static void
corpus_instruction(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("../../corpus/textes/instruction-ingenierie-2021.pdf", &len);
	char *reason = NULL;
	extracted x = {0};
	int skip = -1;

	assert_int_equal(extract_pdf(&x, buf, len, &reason, &skip), 0);
	assert_int_equal(skip, 0);
	assert_str(x.title, "Instruction du 12 avril 2021 relative au soutien en "
			    "ing\xc3\xa9nierie des Petites villes de demain");
	assert_str(x.date, "2021-04-12");
	assert_contains(x.text, "l\xe2\x80\x99ing\xc3\xa9nierie leur manque");
	assert_contains(x.text, "soutenir la revitalisation des centres-bourgs");
	assert_contains(x.text, "mise en \xc5\x93uvre de cette instruction.");
	extracted_clear(&x);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(two_pages),       cmocka_unit_test(no_text_is_skipped),
	    cmocka_unit_test(truncated),       cmocka_unit_test(garbage),
	    cmocka_unit_test(cut_and_damaged), cmocka_unit_test(corpus_instruction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
