/*
 * test_html.c: unit tests for indexer/extract-html.c, extract_html(): the
 * text it keeps and leaves out, entities, block elements as word breaks,
 * title, date, type and communes from <title>, <h1> and <meta>, charsets,
 * XHTML, and a very deep document.
 */
#include <ctype.h>
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

/* Extracts buf[0..len) into x, which must come out readable. */
static void
html_len(extracted *x, const char *buf, size_t len)
{
	char *reason = NULL;
	memset(x, 0, sizeof *x);
	assert_int_equal(extract_html(x, buf, len, &reason), 0);
	assert_null(reason);
	assert_non_null(x->text);
	assert_int_equal(x->text_len, strlen(x->text));
}

static void
html(extracted *x, const char *s)
{
	html_len(x, s, strlen(s));
}

/* Checks that s gives the words expected, and clears x. */
static void
check_text(const char *s, const char *expected)
{
	extracted x;
	html(&x, s);
	char *words = squash(x.text);
	assert_str(words, expected);
	free(words);
	extracted_clear(&x);
}

static void
hidden_text_left_out(void **state)
{
	(void)state;
	static const char in[] =
	    "<!DOCTYPE html>\n<html><head><title>Titre</title>"
	    "<style>p { color: red } .secret1 {}</style>"
	    "<script>var secret2 = 1;</script>"
	    "<noscript>secret3</noscript>"
	    "<!-- secret4 -->"
	    "</head><body>"
	    "<p>visible</p>"
	    "<script type=\"text/javascript\">if (a < b) secret5();</script>"
	    "<style>.secret6 { display: none }</style>"
	    "<noscript><p>secret7</p></noscript>"
	    "<template><p>secret8</p></template>"
	    "<!-- secret9 -->"
	    "<p>fin</p>"
	    "<script><![CDATA[ secret10 ]]></script>"
	    "</body></html>";
	extracted x;
	html(&x, in);
	assert_null(strstr(x.text, "secret"));
	char *words = squash(x.text);
	assert_str(words, "visible fin");
	free(words);
	assert_str(x.title, "Titre");
	extracted_clear(&x);
}

static void
entities_decoded(void **state)
{
	(void)state;
	check_text("<html><body><p>&eacute;t&eacute; l&rsquo;&oelig;uvre a&nbsp;b "
		   "&amp; &lt;c&gt; &#233;&#x2019;</p></body></html>",
		   "\xc3\xa9t\xc3\xa9 l\xe2\x80\x99\xc5\x93uvre a\xc2\xa0"
		   "b & <c> \xc3\xa9\xe2\x80\x99");
}

static void
title_then_h1(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><title>  Le  pont\n de pierre </title></head>"
		 "<body><h1>Un autre titre</h1><p>texte</p></body></html>");
	assert_str(x.title, "Le pont de pierre");
	extracted_clear(&x);

	html(&x, "<html><head></head><body><p>avant</p><h1>Premier <em>titre</em></h1>"
		 "<h1>Second titre</h1></body></html>");
	assert_str(x.title, "Premier titre");
	char *words = squash(x.text);
	assert_str(words, "avant Premier titre Second titre");
	free(words);
	extracted_clear(&x);

	html(&x, "<html><body><p>sans titre</p></body></html>");
	assert_null(x.title);
	extracted_clear(&x);
}

static void
meta_date(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><meta name=\"date\" content=\"2021-05-06\"></head>"
		 "<body>x</body></html>");
	assert_str(x.date, "2021-05-06");
	extracted_clear(&x);

	html(&x, "<html><head><meta name=\"date\" content=\"hier\"></head>"
		 "<body>x</body></html>");
	assert_null(x.date);
	extracted_clear(&x);
}

static void
date_equivalents(void **state)
{
	(void)state;
	extracted x;
	/* alone, each equivalent gives the date */
	html(&x, "<html><head><meta name=\"dcterms.date\" content=\"2020-01-02\"></head>"
		 "<body>x</body></html>");
	assert_str(x.date, "2020-01-02");
	extracted_clear(&x);

	html(&x, "<html><head><meta property=\"article:published_time\" "
		 "content=\"2020-01-02T08:30:00+01:00\"></head><body>x</body></html>");
	assert_str(x.date, "2020-01-02");
	extracted_clear(&x);

	/* name="date" wins, before or after them */
	html(&x, "<html><head><meta name=\"dcterms.date\" content=\"2020-01-02\">"
		 "<meta name=\"date\" content=\"2021-05-06\">"
		 "<meta property=\"article:published_time\" content=\"2019-09-09\">"
		 "</head><body>x</body></html>");
	assert_str(x.date, "2021-05-06");
	extracted_clear(&x);

	html(&x, "<html><head><meta name=\"date\" content=\"2021-05-06\">"
		 "<meta name=\"dcterms.date\" content=\"2020-01-02\">"
		 "</head><body>x</body></html>");
	assert_str(x.date, "2021-05-06");
	extracted_clear(&x);
}

/* The order of <meta> elements must not matter: a communes meta before
 * the only date still leaves the date. */
static void
date_equivalent_after_communes(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><meta name=\"communes\" content=\"Aspet\">"
		 "<meta name=\"dcterms.date\" content=\"2020-01-02\">"
		 "</head><body>x</body></html>");
	assert_int_equal(x.n_communes, 1);
	assert_str(x.communes[0], "Aspet");
	assert_str(x.date, "2020-01-02");
	extracted_clear(&x);

	html(&x,
	     "<html><head><meta name=\"communes\" content=\"Aspet\">"
	     "<meta property=\"article:published_time\" content=\"2020-01-02T10:00:00Z\">"
	     "</head><body>x</body></html>");
	assert_str(x.date, "2020-01-02");
	extracted_clear(&x);
}

static void
check_communes(const extracted *x)
{
	assert_int_equal(x->n_communes, 2);
	assert_str(x->communes[0], "Aspet");
	assert_str(x->communes[1], "Saint-Martory");
}

static void
meta_communes(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><meta name=\"communes\" content=\"Aspet; Saint-Martory\">"
		 "</head><body>x</body></html>");
	check_communes(&x);
	extracted_clear(&x);
}

static void
keywords_only_without_communes(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><meta name=\"keywords\" content=\"Aspet, Saint-Martory\">"
		 "</head><body>x</body></html>");
	check_communes(&x);
	extracted_clear(&x);

	html(&x, "<html><head><meta name=\"keywords\" content=\"pont, moulin, canal\">"
		 "<meta name=\"communes\" content=\"Aspet; Saint-Martory\">"
		 "</head><body>x</body></html>");
	check_communes(&x);
	extracted_clear(&x);

	html(&x, "<html><head><meta name=\"communes\" content=\"Aspet; Saint-Martory\">"
		 "<meta name=\"keywords\" content=\"pont, moulin, canal\">"
		 "</head><body>x</body></html>");
	check_communes(&x);
	extracted_clear(&x);
}

static void
meta_type(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><meta name=\"type\" content=\"texte\"></head>"
		 "<body>x</body></html>");
	assert_str(x.type, "texte");
	extracted_clear(&x);

	html(&x, "<html><head><meta name=\"type\" content=\"roman\"></head>"
		 "<body>x</body></html>");
	assert_null(x.type);
	extracted_clear(&x);
}

static void
blocks_separate_words(void **state)
{
	(void)state;
	check_text("<p>un</p><p>deux</p>", "un deux");
	check_text("<html><body><div>un</div><div>deux</div></body></html>", "un deux");
	check_text("<html><body><p>un<br>deux</p></body></html>", "un deux");
	check_text("<html><body><ul><li>un</li><li>deux</li></ul></body></html>",
		   "un deux");
	check_text("<html><body><table><tr><td>un</td><td>deux</td></tr></table>"
		   "</body></html>",
		   "un deux");
	check_text("<html><body><h2>un</h2>deux</body></html>", "un deux");
	/* inline elements do not break words */
	check_text("<html><body><p>l<b>\xc3\xa9</b>t<i>\xc3\xa9</i></p></body></html>",
		   "l\xc3\xa9t\xc3\xa9");
}

static void
declared_cp1252(void **state)
{
	(void)state;
	extracted x;
	html(&x, "<html><head><meta charset=\"windows-1252\"><title>L\x92"
		 "eau</title></head><body><p>c\x9cur l\x92\xe9t\xe9</p></body></html>");
	assert_str(x.title, "L\xe2\x80\x99"
			    "eau");
	char *words = squash(x.text);
	assert_str(words, "c\xc5\x93ur l\xe2\x80\x99\xc3\xa9t\xc3\xa9");
	free(words);
	extracted_clear(&x);

	html(&x, "<html><head><meta http-equiv=\"Content-Type\" "
		 "content=\"text/html; charset=windows-1252\"></head>"
		 "<body><p>l\x92\xe9t\xe9</p></body></html>");
	words = squash(x.text);
	assert_str(words, "l\xe2\x80\x99\xc3\xa9t\xc3\xa9");
	free(words);
	extracted_clear(&x);
}

static void
undeclared_is_cp1252(void **state)
{
	(void)state;
	check_text("<html><body><p>c\x9cur l\x92\xe9t\xe9 5 \x80</p></body></html>",
		   "c\xc5\x93ur l\xe2\x80\x99\xc3\xa9t\xc3\xa9 5 \xe2\x82\xac");
}

static void
undeclared_utf8(void **state)
{
	(void)state;
	check_text(
	    "<html><body><p>c\xc5\x93ur l\xe2\x80\x99\xc3\xa9t\xc3\xa9</p></body></html>",
	    "c\xc5\x93ur l\xe2\x80\x99\xc3\xa9t\xc3\xa9");
	check_text(
	    "<html><head><meta charset=\"utf-8\"></head>"
	    "<body><p>c\xc5\x93ur l\xe2\x80\x99\xc3\xa9t\xc3\xa9</p></body></html>",
	    "c\xc5\x93ur l\xe2\x80\x99\xc3\xa9t\xc3\xa9");
}

static void
xhtml(void **state)
{
	(void)state;
	static const char body[] =
	    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
	    "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
	    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"fr\" lang=\"fr\">\n"
	    "<head><title>Le pont d\xe2\x80\x99"
	    "Aspet</title>\n"
	    "<meta name=\"date\" content=\"2019-07-14\" />\n"
	    "<meta name=\"communes\" content=\"Aspet; Saint-Martory\" />\n"
	    "<script type=\"text/javascript\">/*<![CDATA[*/ secret(); /*]]>*/</script>\n"
	    "</head>\n<body><p>L\xe2\x80\x99\xc3\xa9t\xc3\xa9 \xc3\xa0 Aspet.<br />"
	    "Fin</p></body>\n</html>\n";
	static const char *const prologs[] = {
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
	    "<?xml version=\"1.0\"?>\n",
	};
	for (size_t i = 0; i < 2; i++) {
		char *in = NULL;
		assert_true(asprintf(&in, "%s%s", prologs[i], body) > 0);
		extracted x;
		html(&x, in);
		assert_str(x.title, "Le pont d\xe2\x80\x99"
				    "Aspet");
		assert_str(x.date, "2019-07-14");
		check_communes(&x);
		char *words = squash(x.text);
		assert_str(words, "L\xe2\x80\x99\xc3\xa9t\xc3\xa9 \xc3\xa0 Aspet. Fin");
		free(words);
		extracted_clear(&x);
		free(in);
	}
}

static void
deep_nesting(void **state)
{
	(void)state;
	enum { DEPTH = 20000 };
	static const char head[] = "<html><body><p>avant</p>";
	static const char tail[] = "</body></html>";
	size_t cap = sizeof head + DEPTH * 11 + 16 + sizeof tail;
	char *in = malloc(cap), *p = in;
	assert_non_null(in);
	p = stpcpy(p, head);
	for (int i = 0; i < DEPTH; i++)
		p = stpcpy(p, "<div>");
	p = stpcpy(p, "fond");
	for (int i = 0; i < DEPTH; i++)
		p = stpcpy(p, "</div>");
	p = stpcpy(p, tail);
	assert_true((size_t)(p - in) < cap);

	extracted x;
	html_len(&x, in, (size_t)(p - in));
	char *words = squash(x.text);
	/* libxml2 may stop at its depth limit; what it kept comes first */
	assert_true(!strncmp(words, "avant", 5));
	free(words);
	extracted_clear(&x);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hidden_text_left_out),
	    cmocka_unit_test(entities_decoded),
	    cmocka_unit_test(title_then_h1),
	    cmocka_unit_test(meta_date),
	    cmocka_unit_test(date_equivalents),
	    cmocka_unit_test(date_equivalent_after_communes),
	    cmocka_unit_test(meta_communes),
	    cmocka_unit_test(keywords_only_without_communes),
	    cmocka_unit_test(meta_type),
	    cmocka_unit_test(blocks_separate_words),
	    cmocka_unit_test(declared_cp1252),
	    cmocka_unit_test(undeclared_is_cp1252),
	    cmocka_unit_test(undeclared_utf8),
	    cmocka_unit_test(xhtml),
	    cmocka_unit_test(deep_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
