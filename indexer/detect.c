/*
 * detect.c: what kind of file this is, from its content.  libmagic decides
 * first; a sniff of the first bytes corrects its known mistakes (XHTML it
 * calls XML, HTML it calls C source), and the file name is only a hint
 * between text kinds.
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
	if (!m)
		return KIND_OTHER;
	if (!strcmp(m, "text/html") || !strcmp(m, "application/xhtml+xml"))
		return KIND_HTML;
	if (!strcmp(m, "application/pdf"))
		return KIND_PDF;
	int textual = !strncmp(m, "text/", 5) || !strcmp(m, "application/csv") ||
		      !strcmp(m, "application/json");
	if (!textual)
		return KIND_OTHER;
	if (ends_with(path, ".html") || ends_with(path, ".htm") || ends_with(path, ".xhtml"))
		return KIND_HTML;
	if (!strcmp(m, "text/markdown") || ends_with(path, ".md") ||
	    ends_with(path, ".markdown"))
		return KIND_MARKDOWN;
	return KIND_TEXT;
}
