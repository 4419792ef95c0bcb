/*
 * test_detect.c: unit tests for indexer/detect.c, detector_new() and
 * detect_kind(): HTML and XHTML whatever libmagic calls them, PDF, text,
 * Markdown by name, empty and binary files; ODT and DOCX from their
 * content, whatever their name (samples from tests/fixtures); and the
 * files decided without asking libmagic.
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

static const char french[] =
    "Le pont d\xe2\x80\x99"
    "Aspet enjambe le Ger depuis le XVIIe si\xc3\xa8"
    "cle. Les habitants de Saint-Martory venaient y vendre leurs bl\xc3\xa9s "
    "et leur b\xc3\xa9tail chaque semaine, \xc3\xa0 l\xe2\x80\x99"
    "automne comme au printemps.\n"
    "On y voit encore les traces du vieux moulin et du canal.\n";

static int
setup(void **state)
{
	char *err = NULL;
	detector *d = detector_new(&err);
	if (!d) {
		print_error("detector_new: %s\n", err ? err : "?");
		free(err);
		return -1;
	}
	assert_null(err);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	detector_free(*state);
	return 0;
}

static file_kind
kind_of(void **state, const char *path, const char *buf, size_t len)
{
	char mime[128] = "";
	file_kind k = detect_kind(*state, path, buf, len, mime, sizeof mime);
	assert_true(mime[0] != '\0');
	return k;
}

static file_kind
kind_of_str(void **state, const char *path, const char *s)
{
	return kind_of(state, path, s, strlen(s));
}

static void
html_with_doctype(void **state)
{
	assert_int_equal(
	    kind_of_str(state, "a/page",
			"<!DOCTYPE html>\n<html lang=\"fr\"><head><title>Le pont"
			"</title></head><body><p>Texte.</p></body></html>\n"),
	    KIND_HTML);
	/* leading blanks, lower case, a UTF-8 BOM */
	assert_int_equal(
	    kind_of_str(state, "a/page",
			"\xef\xbb\xbf\n  <!doctype html><html><body>x</body></html>"),
	    KIND_HTML);
}

static void
html_without_doctype(void **state)
{
	assert_int_equal(
	    kind_of_str(state, "a/page.txt",
			"<html>\n<body>\n<p>Le pont.</p>\n</body>\n</html>\n"),
	    KIND_HTML);
	assert_int_equal(kind_of_str(state, "a/page", "<HTML><BODY>x</BODY></HTML>"),
			 KIND_HTML);
}

static void
xhtml_with_prolog(void **state)
{
	static const char in[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
	    "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
	    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"fr\">\n"
	    "<head><title>Le pont</title></head><body><p>Texte.</p></body></html>\n";
	assert_int_equal(kind_of_str(state, "a/page", in), KIND_HTML);
	assert_int_equal(kind_of_str(state, "a/page.xml", in), KIND_HTML);

	/* plain XML is not HTML */
	assert_int_equal(
	    kind_of_str(state, "a/data",
			"<?xml version=\"1.0\"?>\n<communes><c>Aspet</c></communes>\n"),
	    KIND_TEXT);
}

static void
html_libmagic_may_miss(void **state)
{
	/* starts like C source and mentions no usual HTML tag early */
	static const char in[] = "<!DOCTYPE html>\n"
				 "#include <stdio.h>\n"
				 "int main(void) { printf(\"bonjour\\n\"); return 0; }\n"
				 "/* un programme */\n";
	char mime[128];
	assert_int_equal(detect_kind(*state, "x", in, strlen(in), mime, sizeof mime),
			 KIND_HTML);
	/* a short buffer must not fool the sniff */
	assert_int_equal(kind_of_str(state, "x", "<!DOCTYPE html"), KIND_HTML);
}

/* Issue 8: a text that quotes HTML is text. */
static void
front_matter_quoting_html(void **state)
{
	static const char in[] = "---\n"
				 "title: <img src=\"logo.png\"> Avis de la commission\n"
				 "date: 2023-04-05\n"
				 "---\n"
				 "<p>La commission a rendu son avis sur la halle.</p>\n"
				 "<script>alert(1)</script>\n";
	assert_int_equal(kind_of_str(state, "a/avis.md", in), KIND_MARKDOWN);
	assert_int_equal(kind_of_str(state, "a/avis.txt", in), KIND_TEXT);
	/* whatever the name: a front matter is no page */
	assert_int_equal(kind_of_str(state, "a/avis", in), KIND_TEXT);
	assert_int_equal(kind_of_str(state, "a/avis.html", in), KIND_TEXT);
	/* a BOM and CRLF line ends too */
	assert_int_equal(
	    kind_of_str(state, "a/avis.md",
			"\xef\xbb\xbf---\r\ntitle: <b>Gras</b>\r\n---\r\n<html>x\r\n"),
	    KIND_MARKDOWN);
}

static void
text_quoting_a_tag(void **state)
{
	static const char in[] =
	    "Note au conseil municipal\n\n"
	    "Le prestataire a laiss\xc3\xa9 une balise <script> dans la page d'accueil "
	    "du site "
	    "de la mairie ; il faut aussi retirer le <iframe> de la carte et fermer le "
	    "<table> des horaires. Le <title> de la page reste \xc3\xa0 corriger.\n";
	assert_int_equal(kind_of_str(state, "a/note.txt", in), KIND_TEXT);
	assert_int_equal(kind_of_str(state, "a/note.md", in), KIND_MARKDOWN);
}

static void
markdown_full_of_inline_html(void **state)
{
	static const char in[] =
	    "<div align=\"center\"><img src=\"blason.png\" alt=\"Blason\"></div>\n\n"
	    "# Revitalisation du centre-bourg\n\n"
	    "<p>La commune de Revel engage la <b>r\xc3\xa9novation</b> de la "
	    "halle.</p>\n\n"
	    "<table><tr><td>Co\xc3\xbbt</td><td>1,2 M\xe2\x82\xac</td></tr></table>\n\n"
	    "Voir le <a href=\"plan.pdf\">plan</a> et la <em>carte</em>.<br>\n";
	assert_int_equal(kind_of_str(state, "a/revel.md", in), KIND_MARKDOWN);
	/* a .txt that starts with <p> or <div> is a text too */
	assert_int_equal(kind_of_str(state, "a/revel.txt", in), KIND_TEXT);
}

static void
html_page_without_doctype(void **state)
{
	static const char page[] = "<html lang=\"fr\">\n<head><meta "
				   "charset=\"utf-8\"><title>La halle</title></head>\n"
				   "<body><h1>La halle</h1><p>R\xc3\xa9nov\xc3\xa9"
				   "e en 2022.</p></body>\n</html>\n";
	assert_int_equal(kind_of_str(state, "a/halle.html", page), KIND_HTML);
	assert_int_equal(kind_of_str(state, "a/halle", page), KIND_HTML);
	/* an HTML document start decides, even under a text name */
	assert_int_equal(kind_of_str(state, "a/halle.txt", page), KIND_HTML);
	assert_int_equal(kind_of_str(state, "a/halle.md", page + 17), KIND_HTML);
	/* a generator's page that opens with <meta> or <title>, no <html> */
	assert_int_equal(
	    kind_of_str(
		state, "a/page",
		"<meta charset=\"utf-8\">\n<title>Le pont</title>\n<p>Le pont.</p>\n"),
	    KIND_HTML);
}

static void
pdf(void **state)
{
	static const char in[] =
	    "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n"
	    "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
	assert_int_equal(kind_of(state, "a/doc.txt", in, sizeof in - 1), KIND_PDF);
	assert_int_equal(kind_of(state, "a/doc.pdf", in, sizeof in - 1), KIND_PDF);
}

static void
french_text(void **state)
{
	assert_int_equal(kind_of_str(state, "corpus/textes/pont.txt", french), KIND_TEXT);
	assert_int_equal(kind_of_str(state, "corpus/textes/pont", french), KIND_TEXT);
}

static void
markdown_by_name(void **state)
{
	assert_int_equal(kind_of_str(state, "corpus/articles/pont.md", french),
			 KIND_MARKDOWN);
	assert_int_equal(kind_of_str(state, "corpus/articles/pont.MD", french),
			 KIND_MARKDOWN);
	assert_int_equal(kind_of_str(state, "corpus/articles/pont.markdown", french),
			 KIND_MARKDOWN);
	/* ".md" must end the name */
	assert_int_equal(kind_of_str(state, "corpus/articles/pont.md.txt", french),
			 KIND_TEXT);
}

static void
empty(void **state)
{
	assert_int_equal(kind_of(state, "a/vide.txt", "", 0), KIND_EMPTY);
	assert_int_equal(kind_of(state, "a/vide.md", "", 0), KIND_EMPTY);
}

static void
binary(void **state)
{
	char buf[512];
	memset(buf, 0, sizeof buf);
	memcpy(buf, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	assert_int_equal(kind_of(state, "a/image.txt", buf, sizeof buf), KIND_OTHER);
	assert_int_equal(kind_of(state, "a/image.md", buf, sizeof buf), KIND_OTHER);

	/* bytes that follow no format at all */
	unsigned seed = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
	}
	buf[7] = '\0';
	assert_int_equal(kind_of(state, "a/bruit.md", buf, sizeof buf), KIND_OTHER);
}

static file_kind
kind_in(void **state, const char *path, const char *name)
{
	size_t len;
	char *buf = slurp(name, &len);
	file_kind k = kind_of(state, path, buf, len);
	free(buf);
	return k;
}

static void
office_by_content(void **state)
{
	/* the name says nothing, or lies */
	assert_int_equal(kind_in(state, "p.bin", "odt-mesure.odt"), KIND_ODT);
	assert_int_equal(kind_in(state, "p.docx", "odt-mesure.odt"), KIND_ODT);
	assert_int_equal(kind_in(state, "p.bin", "docx-article.docx"), KIND_DOCX);
	assert_int_equal(kind_in(state, "p.odt", "docx-article.docx"), KIND_DOCX);
	assert_int_equal(kind_in(state, "p.bin", "pdf-deux-pages.pdf"), KIND_PDF);
	assert_int_equal(kind_in(state, "p.txt", "pdf-sans-texte.pdf"), KIND_PDF);
	/* damaged, but still a DOCX: the extractor says what is wrong */
	assert_int_equal(kind_in(state, "p.bin", "docx-tronque.docx"), KIND_DOCX);
}

static void
office_sniffed_from_the_zip(void **state)
{
	/* libmagic sees only a few bytes here: the sniff decides */
	size_t len;
	char *buf = slurp("odt-mesure.odt", &len);
	assert_true(len > 200);
	assert_int_equal(kind_of(state, "a/x.bin", buf, 120), KIND_ODT);
	free(buf);

	/* cut before the central directory: the local header names it */
	buf = slurp("docx-article.docx", &len);
	assert_true(len > 1000);
	assert_int_equal(kind_of(state, "a/x.bin", buf, 1000), KIND_DOCX);
	free(buf);

	/* a stored "mimetype" first, as ODT writes it, by hand */
	static const char odt_head[] =
	    "PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\x27\0\0\0\x27\0\0\0\x08\0\0\0"
	    "mimetypeapplication/vnd.oasis.opendocument.text";
	assert_int_equal(kind_of(state, "x", odt_head, sizeof odt_head - 1), KIND_ODT);
}

static void
other_zips(void **state)
{
	assert_int_equal(kind_in(state, "a/notes.odt", "zip-ordinaire.zip"), KIND_OTHER);
	assert_int_equal(kind_in(state, "a/notes.docx", "zip-ordinaire.zip"), KIND_OTHER);
	/* an OpenDocument spreadsheet is not a text */
	assert_int_equal(kind_in(state, "a/budget.odt", "ods-tableur.ods"), KIND_OTHER);
}

/* A zip's local header cut before the entry's name (found by
 * tests/fuzz/decode_fuzzer): nothing is read past the bytes given. */
static void
zip_header_cut_short(void **state)
{
	static const char head[] =
	    "PK\x03\x04\x14\0\0\0\0\0\xc0K\x8cR\x85l8\x8a.\0\0\0.\0\0\0\b\0\0\0re";
	for (size_t len = 30; len < sizeof head - 1 + 1; len++) {
		char *buf = malloc(len); /* exactly len bytes: ASan sees any overread */
		assert_non_null(buf);
		memcpy(buf, head, len < sizeof head - 1 ? len : sizeof head - 1);
		assert_int_equal(kind_of(state, "a/x.odt", buf, len), KIND_OTHER);
		free(buf);
	}
}

/* Whether detect_kind named path's kind as want, asking libmagic (asked
 * 1) or not (asked 0). */
static void
decided(void **state, const char *path, const char *text, size_t len, file_kind want,
	size_t asked)
{
	size_t before = detector_magic_calls(*state);
	assert_int_equal(kind_of(state, path, text, len), want);
	assert_int_equal(detector_magic_calls(*state) - before, asked);
}

/* A file named as text or HTML that reads as text needs no libmagic: what
 * it could answer would change nothing; one that holds a PDF mark, or a
 * control byte, or has no such name, still goes to it. */
static void
text_names_decided_without_libmagic(void **state)
{
#define D(path, s, want, asked) decided(state, path, s, sizeof s - 1, want, asked)
	D("man/ls.1.txt", french, KIND_TEXT, 0);
	D("doc/notes.md", "# Titre\n\nDu *Markdown*, <b>gras</b>.\n", KIND_MARKDOWN, 0);
	D("doc/notes.markdown", "Texte.\n", KIND_MARKDOWN, 0);
	/* no start the sniff knows, an HTML name: HTML, as libmagic's answer
	 * (text/html or text/plain) made it */
	D("doc/page.html", "Texte <b>gras</b> avant tout.\n", KIND_HTML, 0);
	D("doc/page.HTM", "Texte seul.\n", KIND_HTML, 0);
	/* a front matter: text, whatever its name says */
	D("doc/page.html", "---\ntitle: x\n---\n<p>Texte.</p>\n", KIND_TEXT, 0);
	/* libmagic finds a PDF mark past the first line: asked */
	D("doc/a.txt", "Une ligne.\n%PDF-1.4\n", KIND_PDF, 1);
	/* no such name, or a control byte: asked, as before */
	D("doc/LISEZMOI", french, KIND_TEXT, 1);
	D("doc/b.txt", "deux\x01trois\x02\x03\x04\x05\x06\n", KIND_OTHER, 1);
#undef D
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(html_with_doctype),
	    cmocka_unit_test(html_without_doctype),
	    cmocka_unit_test(xhtml_with_prolog),
	    cmocka_unit_test(html_libmagic_may_miss),
	    cmocka_unit_test(front_matter_quoting_html),
	    cmocka_unit_test(text_quoting_a_tag),
	    cmocka_unit_test(markdown_full_of_inline_html),
	    cmocka_unit_test(html_page_without_doctype),
	    cmocka_unit_test(pdf),
	    cmocka_unit_test(french_text),
	    cmocka_unit_test(markdown_by_name),
	    cmocka_unit_test(empty),
	    cmocka_unit_test(binary),
	    cmocka_unit_test(office_by_content),
	    cmocka_unit_test(office_sniffed_from_the_zip),
	    cmocka_unit_test(other_zips),
	    cmocka_unit_test(zip_header_cut_short),
	    cmocka_unit_test(text_names_decided_without_libmagic),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
