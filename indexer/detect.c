/*
 * detect.c: what kind of file this is, from its content.  A sniff of the
 * first bytes decides the clear cases (%PDF-, an HTML start, the zip
 * layouts of ODT and DOCX) before libmagic, which is both the costly part
 * of detection and wrong often enough to matter (XHTML it calls XML, HTML
 * it calls C source or JavaScript, man pages HPGL).  Then libmagic, on the
 * first 8 KiB, unless the name says text or HTML and the content reads as
 * text (libmagic could change nothing then); then any content that reads
 * as text is text.  The file name is only a hint between text kinds: a .txt or .md file,
 * or one that opens with a front matter, is HTML only when it starts as an HTML document.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <magic.h>

#include "indexer.h"

struct detector {
	magic_t cookie;
	size_t magic_calls; /* files libmagic was asked about */
};

detector *
detector_new(char **errmsg)
{
	detector *d = calloc(1, sizeof *d);
	*errmsg = NULL;
	if (!d)
		return NULL;
	d->cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
			       MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF);
	if (!d->cookie || magic_load(d->cookie, NULL) != 0) {
		*errmsg =
		    strdup(d->cookie ? magic_error(d->cookie) : "magic_open failed");
		detector_free(d);
		return NULL;
	}
	return d;
}

size_t
detector_magic_calls(const detector *d)
{
	return d->magic_calls;
}

void
detector_free(detector *d)
{
	if (!d)
		return;
	if (d->cookie)
		magic_close(d->cookie);
	free(d);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int
starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t m = strlen(prefix);
	return len >= m && strncasecmp(s, prefix, m) == 0;
}

/* The first bytes, past a UTF-8 BOM, white space and HTML comments. */
static const char *
skip_prologue(const char *buf, size_t len, size_t *n)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	for (;;) {
		while (i < len && isspace((unsigned char)buf[i]))
			i++;
		if (i + 4 > len || memcmp(buf + i, "<!--", 4))
			break;
		const char *end = memmem(buf + i + 4, len - i - 4, "-->", 3);
		if (!end)
			break;
		i = (size_t)(end - buf) + 3;
	}
	*n = len - i;
	return buf + i;
}

/* Whether the first bytes look like an HTML or XHTML document: a doctype,
 * an <html>, a <head> or a <body>; or, unless the name says text
 * (strict), a page that starts with one of the elements pages start with
 * (some generators write no <html> at all) where a Markdown file may just
 * as well start with a <div> or a <p>. */
static int
sniff_html(const char *buf, size_t len, int strict)
{
	static const char *const starts[] = {"<!doctype html", "<html",	 "<head", "<body",
					     "<meta",	       "<title", "<h1",	  "<h2",
					     "<div",	       "<p>",	 "<table"};
	size_t n_starts = strict ? 4 : sizeof starts / sizeof starts[0];
	size_t n;
	const char *s = skip_prologue(buf, len, &n);
	for (size_t k = 0; k < n_starts; k++)
		if (starts_with_ci(s, n, starts[k]))
			return 1;
	/* XHTML: an XML prolog, then the XHTML namespace early on. */
	size_t window = n < 2048 ? n : 2048;
	return starts_with_ci(s, n, "<?xml") &&
	       memmem(s, window, "http://www.w3.org/1999/xhtml", 28) != NULL;
}

/* Whether the first 8 KiB read as text: no control characters but white
 * space, escape and backspace (man pages overstrike with it), and NUL
 * bytes, if any, a small share. */
static int
looks_like_text(const char *buf, size_t len)
{
	size_t n = len < 8192 ? len : 8192, nuls = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == 0)
			nuls++;
		else if ((c < 0x20 && !strchr("\t\n\r\f\v\b\x1b", c)) || c == 0x7f)
			return 0;
	}
	return nuls * 4 < n;
}

/* Whether the file opens with a front matter ("---" alone on the first
 * line, past a UTF-8 BOM): Markdown or text, whatever HTML it quotes. */
static int
front_matter(const char *buf, size_t len)
{
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		buf += 3;
		len -= 3;
	}
	return len >= 4 && !memcmp(buf, "---", 3) &&
	       (buf[3] == '\n' || (buf[3] == '\r' && len >= 5 && buf[4] == '\n'));
}

/* Whether a file named as HTML is one, as detect_kind decides it below. */
static int
html_name(const char *path)
{
	return ends_with(path, ".html") || ends_with(path, ".htm") ||
	       ends_with(path, ".xhtml");
}

/*
 * The kind of a file named as text (.txt, .md, .markdown) or as HTML
 * (.html, .htm, .xhtml) whose first 8 KiB read as text, without libmagic:
 * whatever it answers for such a file, the rules at the end of detect_kind
 * decide the same (libmagic took 25 M instructions a man page, 12 % of
 * indexing the .txt-heavy corpus-small).  Its answers that would change the
 * kind cannot come from text: its zip formats (ODT, DOCX) start with bytes
 * no text has, and it names no Markdown; but it finds a PDF from a "%PDF-"
 * anywhere in its first bytes, so such a file goes to it.  KIND_OTHER: not
 * decided here.
 */
static file_kind
by_name(const char *path, const char *buf, size_t len, int matter)
{
	int md = ends_with(path, ".md") || ends_with(path, ".markdown");
	int html = html_name(path);
	size_t window = len < 8192 ? len : 8192;
	if ((!md && !html && !ends_with(path, ".txt")) || !looks_like_text(buf, len) ||
	    memmem(buf, window, "%PDF-", 5))
		return KIND_OTHER;
	if (html)
		return matter ? KIND_TEXT : KIND_HTML;
	return md ? KIND_MARKDOWN : KIND_TEXT;
}

static const char ODT_MIME[] = "application/vnd.oasis.opendocument.text";
static const char DOCX_MIME[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

static uint16_t
le16(const char *p)
{
	return (uint16_t)((unsigned char)p[0] | (unsigned char)p[1] << 8);
}

/*
 * An OpenDocument text: a zip whose first entry is "mimetype", stored,
 * holding the media type (a template, "...text-template", counts too).
 * The local header is 30 bytes, then the name, the extra field, the data.
 */
static int
sniff_odt(const char *buf, size_t len)
{
	if (len < 30 || memcmp(buf, "PK\x03\x04", 4) != 0)
		return 0;
	size_t name_len = le16(buf + 26), extra_len = le16(buf + 28);
	/* the name must be there before it is compared (a header cut short) */
	if (le16(buf + 8) != 0 || name_len != 8 || len < 30 + 8 ||
	    memcmp(buf + 30, "mimetype", 8) != 0)
		return 0;
	size_t at = 30 + name_len + extra_len, m = sizeof ODT_MIME - 1;
	if (at > len || len - at < m || memcmp(buf + at, ODT_MIME, m) != 0)
		return 0;
	/* "...text" must end there, or go on as "-template" or "-master" */
	return len - at == m || !isalnum((unsigned char)buf[at + m]);
}

/*
 * A Word document: a zip with an entry "word/document.xml".  Local headers
 * come first and Word writes that one early; the central directory at the
 * end names every entry, so both ends are searched.
 */
static int
sniff_docx(const char *buf, size_t len)
{
	static const char name[] = "word/document.xml";
	size_t window = 65536, n = sizeof name - 1;
	if (len < 4 || memcmp(buf, "PK\x03\x04", 4) != 0)
		return 0;
	if (memmem(buf, len < window ? len : window, name, n))
		return 1;
	return len > window && memmem(buf + len - window, window, name, n) != NULL;
}

file_kind
detect_kind(detector *d, const char *path, const char *buf, size_t len, char *mime,
	    size_t mime_cap)
{
	/* what the sniff saw, named as libmagic would */
	static const struct {
		file_kind kind;
		const char *mime;
	} sniffed[] = {{KIND_EMPTY, "inode/x-empty"},
		       {KIND_PDF, "application/pdf"},
		       {KIND_ODT, ODT_MIME},
		       {KIND_DOCX, DOCX_MIME},
		       {KIND_HTML, "text/html"}};
	/* A .txt or .md file is HTML only when it starts as an HTML document;
	 * one that opens with a front matter never is: tags it quotes (in a
	 * title, in a sentence) are its text. */
	int text_name = ends_with(path, ".txt") || ends_with(path, ".md") ||
			ends_with(path, ".markdown");
	int matter = front_matter(buf, len);
	file_kind k = len == 0					   ? KIND_EMPTY
		      : len >= 5 && !memcmp(buf, "%PDF-", 5)	   ? KIND_PDF
		      : sniff_odt(buf, len)			   ? KIND_ODT
		      : sniff_docx(buf, len)			   ? KIND_DOCX
		      : !matter && sniff_html(buf, len, text_name) ? KIND_HTML
								   : KIND_OTHER;
	for (size_t i = 0; i < sizeof sniffed / sizeof sniffed[0]; i++)
		if (sniffed[i].kind == k) {
			snprintf(mime, mime_cap, "%s", sniffed[i].mime);
			return k;
		}

	k = by_name(path, buf, len, matter);
	if (k != KIND_OTHER) {
		snprintf(mime, mime_cap, "%s",
			 k == KIND_HTML ? "text/html" : "text/plain");
		return k;
	}

	/* libmagic reads little of a file to name it; 8 KiB bounds its cost. */
	d->magic_calls++;
	const char *m = magic_buffer(d->cookie, buf, len < 8192 ? len : 8192);
	snprintf(mime, mime_cap, "%s", m ? m : "unknown");
	if (m && !strcmp(m, ODT_MIME))
		return KIND_ODT;
	if (m && !strcmp(m, DOCX_MIME))
		return KIND_DOCX;
	/* libmagic calls text/html what merely quotes a tag or two */
	if (m && (!strcmp(m, "text/html") || !strcmp(m, "application/xhtml+xml")) &&
	    !matter && !text_name)
		return KIND_HTML;
	if (m && !strcmp(m, "application/pdf"))
		return KIND_PDF;
	/* Whatever libmagic thinks of it (C source, HPGL, JavaScript, data
	 * with a NUL), text is read as text. */
	int textual = m && (!strncmp(m, "text/", 5) || !strcmp(m, "application/csv") ||
			    !strcmp(m, "application/json"));
	if (!textual && !looks_like_text(buf, len))
		return KIND_OTHER;
	if (!matter && html_name(path))
		return KIND_HTML;
	if ((m && !strcmp(m, "text/markdown")) || ends_with(path, ".md") ||
	    ends_with(path, ".markdown"))
		return KIND_MARKDOWN;
	return KIND_TEXT;
}
