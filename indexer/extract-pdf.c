/*
 * extract-pdf.c: the text and metadata of a PDF through poppler-glib.
 * Pages are read in order, one newline between them.  The text is cleaned
 * so that snippets read well: a word cut by a hyphen at a line end is made
 * whole again, ligatures become their letters, NUL bytes go.  The document
 * information gives the title and the creation date.  A PDF without any
 * text (a scan) is skipped, not failed; a damaged one fails with poppler's
 * reason.  The work is bounded in pages and in bytes of text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "indexer.h"

enum {
	MAX_PAGES = 5000,
	MAX_TEXT = 64 << 20, /* bytes of text kept, whatever the page count */
};

/* The letters a ligature stands for, or NULL when c is none. */
static const char *
ligature(gunichar c)
{
	switch (c) {
	case 0xFB00:
		return "ff";
	case 0xFB01:
		return "fi";
	case 0xFB02:
		return "fl";
	case 0xFB03:
		return "ffi";
	case 0xFB04:
		return "ffl";
	case 0xFB05:
		return "st"; /* long s + t */
	case 0xFB06:
		return "st";
	default:
		return NULL;
	}
}

static int
is_hyphen(gunichar c)
{
	return c == '-' || c == 0x00AD || c == 0x2010;
}

/*
 * Append one page's text to b, cleaned: NUL bytes dropped, ligatures
 * expanded, invalid UTF-8 (poppler should never give any) replaced by
 * U+FFFD and counted, and "revitali-\nsation" joined into one word when a
 * letter precedes the hyphen and a lower-case letter follows the line end
 * ("Saint-\nMartory" keeps its hyphen and its line end).
 */
static void
put_page(sbuf *b, const char *t, size_t n, size_t *n_bad)
{
	const char *p = t, *end = t + n;
	gunichar prev = 0;

	while (p < end && !b->oom) {
		if (*p == '\0') {
			p++;
			continue;
		}
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			sbuf_put(b, "\xef\xbf\xbd", 3);
			(*n_bad)++;
			p++;
			prev = 0xFFFD;
			continue;
		}
		const char *next = g_utf8_next_char(p);
		if (is_hyphen(c) && g_unichar_isalpha(prev)) {
			/* a hyphen, then the line end (maybe after \r) */
			const char *q = next;
			if (q < end && *q == '\r')
				q++;
			if (q < end && *q == '\n') {
				q++;
				gunichar d = g_utf8_get_char_validated(q, end - q);
				if (d != (gunichar)-1 && d != (gunichar)-2 &&
				    g_unichar_islower(d)) {
					p = q; /* drop the hyphen and the line end */
					continue;
				}
			}
		}
		const char *lig = ligature(c);
		if (lig)
			sbuf_put(b, lig, strlen(lig));
		else
			sbuf_put(b, p, (size_t)(next - p));
		prev = c;
		p = next;
	}
}

/* Whether s holds anything but white space. */
static int
has_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isspace(s[i]))
			return 1;
	return 0;
}

/* A trimmed copy of s, or NULL when nothing is left. */
static char *
trimmed(const char *s)
{
	if (!s)
		return NULL;
	while (*s && g_ascii_isspace(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && g_ascii_isspace(s[n - 1]))
		n--;
	return n ? strndup(s, n) : NULL;
}

static void
read_info(extracted *x, PopplerDocument *doc)
{
	gchar *title = poppler_document_get_title(doc);
	char *t = trimmed(title);
	g_free(title);
	if (t && utf8_valid(t, strlen(t))) {
		free(x->title);
		x->title = t;
	} else {
		free(t);
	}

	/* The date as the document wrote it, in its own time zone: a PDF made
	 * at 00:30 in Paris was made that day, not the day before in UTC. */
	GDateTime *dt = poppler_document_get_creation_date_time(doc);
	if (dt) {
		gchar *s = g_date_time_format(dt, "%Y-%m-%d");
		if (s)
			set_date(x, s);
		g_free(s);
		g_date_time_unref(dt);
	}
}

static char *
reason_from(const char *prefix, const GError *err)
{
	char *r = NULL;
	if (asprintf(&r, "%s%s", prefix,
		     err && err->message ? err->message : _("unknown error")) < 0)
		return NULL;
	return r;
}

int
extract_pdf(extracted *x, const char *buf, size_t len, char **reason, int *skip)
{
	GError *err = NULL;
	int rc = 0;

	*reason = NULL;
	*skip = 0;
	GBytes *bytes = g_bytes_new_static(buf, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	g_bytes_unref(bytes);
	if (!doc) {
		if (err && err->domain == POPPLER_ERROR &&
		    err->code == POPPLER_ERROR_ENCRYPTED) {
			/* nothing to read without the password: not our failure */
			*skip = 1;
			*reason = strdup(_("encrypted PDF (a password is needed)"));
			g_error_free(err);
			return *reason ? 0 : -1;
		}
		*reason = reason_from(_("not a readable PDF: "), err);
		if (err)
			g_error_free(err);
		return -1;
	}

	sbuf b = {0};
	int n_pages = poppler_document_get_n_pages(doc);
	int any_text = 0;
	if (n_pages > MAX_PAGES)
		n_pages = MAX_PAGES;
	for (int i = 0; i < n_pages && !b.oom && b.len < MAX_TEXT; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		if (!page)
			continue;
		gchar *t = poppler_page_get_text(page);
		g_object_unref(page);
		if (!t)
			continue;
		size_t n = strlen(t);
		if (b.len + n > MAX_TEXT) {
			/* keep what fits, cut at the start of a character */
			n = MAX_TEXT - b.len;
			while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
				n--;
		}
		if (has_text(t, n)) {
			if (b.len > 0 && b.s[b.len - 1] != '\n')
				sbuf_put(&b, "\n", 1);
			put_page(&b, t, n, &x->n_bad);
			any_text = 1;
		}
		g_free(t);
	}

	if (b.oom) {
		rc = -1; /* *reason stays NULL: out of memory */
		free(b.s);
	} else if (!any_text) {
		*skip = 1;
		*reason = strdup(_("no text"));
		free(b.s);
		rc = *reason ? 0 : -1;
	} else {
		read_info(x, doc);
		if (b.len > MAX_TEXT) {
			/* a cut may fall inside a character: back up to its start */
			b.len = MAX_TEXT;
			while (b.len > 0 && ((unsigned char)b.s[b.len] & 0xC0) == 0x80)
				b.len--;
			b.s[b.len] = '\0';
		}
		free(x->text);
		x->text = b.s;
		x->text_len = b.len;
	}
	g_object_unref(doc);
	return rc;
}
