/*
 * detect.c: what kind of file this is, from its content.  libmagic decides
 * first; a sniff of the first bytes corrects its known mistakes (XHTML it
 * calls XML, HTML it calls C source; ODT and DOCX it may call a plain
 * zip), and the file name is only a hint between text kinds.
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
};

detector *
detector_new(char **errmsg)
{
	detector *d = calloc(1, sizeof *d);
	*errmsg = NULL;
	if (!d)
		return NULL;
	d->cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
	if (!d->cookie || magic_load(d->cookie, NULL) != 0) {
		*errmsg = strdup(d->cookie ? magic_error(d->cookie) : "magic_open failed");
		detector_free(d);
		return NULL;
	}
	return d;
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

/* Whether the first bytes look like an HTML or XHTML document. */
static int
sniff_html(const char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	const char *s = buf + i;
	size_t n = len - i;
	if (starts_with_ci(s, n, "<!doctype html") || starts_with_ci(s, n, "<html"))
		return 1;
	/* XHTML: an XML prolog, then the XHTML namespace early on. */
	size_t window = n < 2048 ? n : 2048;
	return starts_with_ci(s, n, "<?xml") &&
	       memmem(s, window, "http://www.w3.org/1999/xhtml", 28) != NULL;
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
	if (le16(buf + 8) != 0 || name_len != 8 || memcmp(buf + 30, "mimetype", 8) != 0)
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

/* Text that libmagic calls data because of a few NUL bytes: no other
 * control characters than white space, and NULs a small share. */
static int
text_with_nuls(const char *buf, size_t len)
{
	size_t n = len < 65536 ? len : 65536, nuls = 0, controls = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == 0)
			nuls++;
		else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
			 c != '\v' && c != 0x1b)
			controls++;
	}
	return nuls > 0 && controls == 0 && nuls * 4 < n;
}

file_kind
detect_kind(detector *d, const char *path, const char *buf, size_t len, char *mime,
	    size_t mime_cap)
{
	const char *m = magic_buffer(d->cookie, buf, len < 65536 ? len : 65536);
	snprintf(mime, mime_cap, "%s", m ? m : "unknown");

	if (len == 0)
		return KIND_EMPTY;
	if (len >= 5 && !memcmp(buf, "%PDF-", 5))
		return KIND_PDF;
	if (sniff_html(buf, len))
		return KIND_HTML;
	if (sniff_odt(buf, len))
		return KIND_ODT;
	if (sniff_docx(buf, len))
		return KIND_DOCX;
	if (!m)
		return KIND_OTHER;
	if (!strcmp(m, ODT_MIME))
		return KIND_ODT;
	if (!strcmp(m, DOCX_MIME))
		return KIND_DOCX;
	if (!strcmp(m, "text/html") || !strcmp(m, "application/xhtml+xml"))
		return KIND_HTML;
	if (!strcmp(m, "application/pdf"))
		return KIND_PDF;
	int textual = !strncmp(m, "text/", 5) || !strcmp(m, "application/csv") ||
		      !strcmp(m, "application/json");
	if (!textual && !(strcmp(m, "application/octet-stream") == 0 && text_with_nuls(buf, len)))
		return KIND_OTHER;
	if (ends_with(path, ".html") || ends_with(path, ".htm") || ends_with(path, ".xhtml"))
		return KIND_HTML;
	if (!strcmp(m, "text/markdown") || ends_with(path, ".md") ||
	    ends_with(path, ".markdown"))
		return KIND_MARKDOWN;
	return KIND_TEXT;
}
