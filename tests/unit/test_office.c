/*
 * test_office.c: unit tests for indexer/extract-office.c, extract_odt() and
 * extract_docx(): paragraphs, spans, spaces, tabs, breaks and table cells;
 * titles and dates from meta.xml and docProps/core.xml; clean failures on
 * a truncated zip, broken XML, the wrong format and a zip bomb; no external
 * entity ever read.  The samples come from tests/fixtures/make-fixtures.py.
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

typedef int (*extract_fn)(extracted *x, const char *buf, size_t len, char **reason);

/* Extract a fixture that must be read; x is filled. */
static void
extract_ok(extract_fn fn, const char *name, extracted *x)
{
	size_t len;
	char *buf = slurp(name, &len), *reason = NULL;
	int rc = fn(x, buf, len, &reason);
	if (rc != 0)
		fail_msg("%s: %s", name, reason ? reason : "(no reason)");
	assert_null(reason);
	assert_non_null(x->text);
	assert_int_equal(x->text_len, strlen(x->text));
	assert_true(utf8_valid(x->text, x->text_len));
	free(buf);
}

/* Extract a fixture that must fail; its reason must start with want. */
static void
extract_fails(extract_fn fn, const char *name, const char *want)
{
	size_t len;
	char *buf = slurp(name, &len), *reason = NULL;
	extracted x = {0};
	assert_int_equal(fn(&x, buf, len, &reason), -1);
	assert_prefix(reason, want);
	assert_null(x.text);
	free(reason);
	extracted_clear(&x);
	free(buf);
}

static void
odt(void **state)
{
	(void)state;
	extracted x = {0};
	extract_ok(extract_odt, "odt-mesure.odt", &x);
	assert_str(x.text, "Reconversion d\xe2\x80\x99une friche\n"
			   "La commune de Salies-du-Salat rach\xc3\xa8te l\xe2\x80\x99"
			   "ancienne quincaillerie.\n"
			   "Deux  espaces, une tabulation et une\nligne nouvelle.\n"
			   "Travaux\n"
			   "120 000 \xe2\x82\xac\n"
			   "Le c\xc5\x93ur de bourg revit.\n");
	assert_str(x.title, "Mesure : friches commerciales \xc3\xa0 Salies-du-Salat");
	/* meta:creation-date wins over dc:date */
	assert_str(x.date, "2021-06-15");
	extracted_clear(&x);
}

static void
docx(void **state)
{
	(void)state;
	extracted x = {0};
	extract_ok(extract_docx, "docx-article.docx", &x);
	/* runs joined ("ingé" + "nierie"), w:tab a space, w:br a line end,
	 * no field code (PAGE), no deleted text, table cells on their lines */
	assert_str(x.text, "Montbard s\xe2\x80\x99"
			   "engage\n"
			   "Le soutien en ing\xc3\xa9nierie arrive \xc3\xa0 Montbard.\n"
			   "Colonne suivante\net ligne suivante.\n"
			   "La \xc5\x93uvre du chef de projet.\n"
			   "Cellule un\nCellule deux\n");
	assert_str(x.title, "Montbard : la convention est sign\xc3\xa9"
			    "e");
	assert_str(x.date, "2021-05-20");
	extracted_clear(&x);
}

static void
damaged_zip(void **state)
{
	(void)state;
	extract_fails(extract_docx, "docx-tronque.docx", "damaged zip archive: ");
	extract_fails(extract_odt, "docx-tronque.docx", "damaged zip archive: ");
	extract_fails(extract_odt, "pdf-illisible.pdf", "damaged zip archive: ");

	/* libzip reads an empty buffer as an empty archive */
	char *reason = NULL;
	extracted x = {0};
	assert_int_equal(extract_docx(&x, "", 0, &reason), -1);
	assert_str(reason, "not a Word document: no word/document.xml in the archive");
	free(reason);
	reason = NULL;
	assert_int_equal(extract_odt(&x, "PK\x03\x04", 4, &reason), -1);
	assert_prefix(reason, "damaged zip archive: ");
	free(reason);
	extracted_clear(&x);
}

static void
cut_archives(void **state)
{
	(void)state;
	static const char *const names[] = {"odt-mesure.odt", "docx-article.docx"};
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *buf = slurp(names[i], &len);
		for (size_t n = 0; n <= len; n += 23) {
			extracted x = {0};
			char *reason = NULL;
			int rc =
			    (i == 0 ? extract_odt : extract_docx)(&x, buf, n, &reason);
			assert_true(rc == 0 || (rc == -1 && reason != NULL));
			free(reason);
			extracted_clear(&x);
		}
		free(buf);
	}
}

static void
wrong_format(void **state)
{
	(void)state;
	extract_fails(extract_docx, "odt-mesure.odt",
		      "not a Word document: no word/document.xml in the archive");
	extract_fails(extract_odt, "docx-article.docx",
		      "not an OpenDocument text: no content.xml in the archive");
}

static void
broken_xml(void **state)
{
	(void)state;
	extract_fails(extract_docx, "docx-xml-casse.docx",
		      "damaged document: word/document.xml is not well-formed XML");
}

static void
zip_bomb(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("docx-bombe.docx", &len), *reason = NULL;
	extracted x = {0};
	assert_int_equal(extract_docx(&x, buf, len, &reason), -1);
	assert_contains(reason, "word/document.xml");
	assert_contains(reason, "more than 256 MiB");
	free(reason);
	extracted_clear(&x);
	free(buf);
}

static void
no_external_entity(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("docx-entite-externe.docx", &len), *reason = NULL;
	extracted x = {0};
	int rc = extract_docx(&x, buf, len, &reason);
	/* either refused or read without the entity: never /etc/passwd */
	if (rc == 0) {
		assert_non_null(x.text);
		assert_null(strstr(x.text, "root:"));
		assert_contains(x.text, "avant");
	} else {
		assert_non_null(reason);
	}
	free(reason);
	extracted_clear(&x);
	free(buf);
}

static void
corpus_documents(void **state)
{
	(void)state;
	extracted x = {0};
	extract_ok(extract_odt, "../../corpus/catalogues/mesure-friches-commerciales.odt",
		   &x);
	assert_str(x.title,
		   "Mesure : reconvertir les friches commerciales des centres-bourgs");
	assert_str(x.date, "2021-06-15");
	assert_contains(x.text,
			"Reconvertir les friches commerciales des centres-bourgs\n"
			"Partenaire : Banque des territoires");
	assert_contains(x.text, "D\xc3\xa9p\xc3\xb4t des dossiers\n");
	extracted_clear(&x);

	extract_ok(extract_docx, "../../corpus/articles/montbard-convention-signee.docx",
		   &x);
	assert_str(x.title,
		   "Montbard : la convention Petites villes de demain est sign\xc3\xa9"
		   "e");
	assert_str(x.date, "2021-05-20");
	assert_contains(x.text, "les moyens d\xe2\x80\x99une telle ing\xc3\xa9nierie");
	extracted_clear(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(odt),
	    cmocka_unit_test(docx),
	    cmocka_unit_test(damaged_zip),
	    cmocka_unit_test(cut_archives),
	    cmocka_unit_test(wrong_format),
	    cmocka_unit_test(broken_xml),
	    cmocka_unit_test(zip_bomb),
	    cmocka_unit_test(no_external_entity),
	    cmocka_unit_test(corpus_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
