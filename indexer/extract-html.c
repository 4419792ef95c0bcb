/*
 * extract-html.c: HTML and XHTML through libxml2's forgiving HTML parser,
 * driven by SAX callbacks so that no tree is built: a 7 MB page would
 * otherwise take 150 MB, and 200,000 nested elements need no more memory
 * than 2.  Text comes from the body only: never from script, style,
 * template or comments.  Block elements end lines so that words do not run
 * together.  Metadata: <title> (else the first <h1>) and the <meta> names of
 * the contract, with their common equivalents.
 */
#include <ctype.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "indexer.h"

/* What an element means for extraction. */
enum {
	EL_SKIP = 1,  /* no text from it: script, style, ... */
	EL_BLOCK = 2, /* ends a line: words on either side stay apart */
	EL_HEAD = 4,
	EL_TITLE = 8,
	EL_META = 16,
	EL_H1 = 32
};

typedef struct element {
	const char *name;
	int cls;
} element;

static const element elements[] = {
    {"address", EL_BLOCK},
    {"article", EL_BLOCK},
    {"aside", EL_BLOCK},
    {"blockquote", EL_BLOCK},
    {"body", EL_BLOCK},
    {"br", EL_BLOCK},
    {"caption", EL_BLOCK},
    {"dd", EL_BLOCK},
    {"div", EL_BLOCK},
    {"dl", EL_BLOCK},
    {"dt", EL_BLOCK},
    {"fieldset", EL_BLOCK},
    {"figcaption", EL_BLOCK},
    {"figure", EL_BLOCK},
    {"footer", EL_BLOCK},
    {"form", EL_BLOCK},
    {"h1", EL_BLOCK | EL_H1},
    {"h2", EL_BLOCK},
    {"h3", EL_BLOCK},
    {"h4", EL_BLOCK},
    {"h5", EL_BLOCK},
    {"h6", EL_BLOCK},
    {"head", EL_SKIP | EL_HEAD},
    {"header", EL_BLOCK},
    {"hr", EL_BLOCK},
    {"iframe", EL_SKIP},
    {"legend", EL_BLOCK},
    {"li", EL_BLOCK},
    {"main", EL_BLOCK},
    {"meta", EL_META},
    {"nav", EL_BLOCK},
    {"noscript", EL_SKIP},
    {"object", EL_SKIP},
    {"ol", EL_BLOCK},
    {"p", EL_BLOCK},
    {"pre", EL_BLOCK},
    {"script", EL_SKIP},
    {"section", EL_BLOCK},
    {"style", EL_SKIP},
    {"svg", EL_SKIP},
    {"table", EL_BLOCK},
    {"td", EL_BLOCK},
    {"template", EL_SKIP},
    {"th", EL_BLOCK},
    {"title", EL_TITLE},
    {"tr", EL_BLOCK},
    {"ul", EL_BLOCK},
};

static int
by_name(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* The class of an element.  libxml2's HTML parser gives names in lower
 * case; the table is sorted for bsearch. */
static int
classify(const xmlChar *name)
{
	if (!name)
		return 0;
	const void *hit = bsearch(name, elements, sizeof elements / sizeof elements[0],
				  sizeof elements[0], by_name);
	return hit ? ((const element *)hit)->cls : 0;
}

/* The value of attribute name in a SAX attribute list, or NULL. */
static const char *
attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (!strcasecmp((const char *)atts[i], name))
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

/* What the <meta> elements seen so far have set. */
typedef struct meta_seen {
	int date;     /* 2: name="date", 1: an equivalent, 0: none */
	int communes; /* name="communes" seen: keywords no longer count */
} meta_seen;

/* Metadata from one <meta>: the contract's names win over equivalents,
 * which only fill what is still empty. */
static void
read_meta(extracted *x, const xmlChar **atts, meta_seen *seen)
{
	const char *name = attr(atts, "name");
	if (!name)
		name = attr(atts, "property");
	const char *content = attr(atts, "content");
	if (name && content) {
		if (!strcasecmp(name, "date")) {
			set_date(x, content);
			seen->date = 2;
		} else if ((!strcasecmp(name, "dcterms.date") ||
			    !strcasecmp(name, "dc.date") ||
			    !strcasecmp(name, "article:published_time")) &&
			   seen->date < 2) {
			set_date(x, content);
			seen->date = 1;
		} else if (!strcasecmp(name, "description") && *content &&
			   !x->description) {
			x->description = strdup(content);
		} else if (!strcasecmp(name, "type") && valid_type(content)) {
			free(x->type);
			x->type = strdup(content);
		} else if (!strcasecmp(name, "communes") ||
			   !strcasecmp(name, "commune")) {
			/* the contract's name replaces keywords read before */
			for (size_t i = 0; i < x->n_communes; i++)
				free(x->communes[i]);
			x->n_communes = 0;
			add_communes(x, content);
			seen->communes = 1;
		} else if (!strcasecmp(name, "keywords") && !seen->communes &&
			   !x->n_communes) {
			add_communes(x, content);
		}
	}
}

/* The charset the first bytes declare (<meta charset>, http-equiv
 * content, or the XML prolog's encoding), into out; 0 when none. */
static int
declared_charset(const char *buf, size_t len, char *out, size_t cap)
{
	static const char *const keys[] = {"charset=", "encoding="};
	size_t n = len < 4096 ? len : 4096;
	for (size_t k = 0; k < 2; k++) {
		size_t kl = strlen(keys[k]);
		for (size_t i = 0; i + kl < n; i++) {
			if (strncasecmp(buf + i, keys[k], kl))
				continue;
			size_t j = i + kl;
			while (j < n &&
			       (buf[j] == '"' || buf[j] == '\'' || buf[j] == ' '))
				j++;
			size_t o = 0;
			while (j < n && o + 1 < cap &&
			       (isalnum((unsigned char)buf[j]) || strchr("-_.:", buf[j])))
				out[o++] = buf[j++];
			out[o] = '\0';
			if (o)
				return 1;
		}
	}
	return 0;
}

/* The encoding to read the page in: what it declares, if iconv knows it
 * (Latin-1 read as its superset Windows-1252), else UTF-8 when it is
 * valid UTF-8, else Windows-1252. */
static const char *
page_encoding(const char *buf, size_t len, char *name, size_t cap)
{
	if (declared_charset(buf, len, name, cap)) {
		if (!strcasecmp(name, "iso-8859-1") || !strcasecmp(name, "latin1") ||
		    !strcasecmp(name, "us-ascii") || !strcasecmp(name, "ascii"))
			return "WINDOWS-1252";
		iconv_t cd = iconv_open("UTF-8", name);
		if (cd != (iconv_t)-1) {
			iconv_close(cd);
			return name;
		}
	}
	return utf8_valid(buf, len) ? "UTF-8" : "WINDOWS-1252";
}

/* ---- SAX ------------------------------------------------------------ */

/* What the callbacks share while libxml2 reads the page. */
typedef struct reader {
	extracted *x;
	sbuf text;  /* the body's text */
	sbuf title; /* <title>, while inside it */
	sbuf h1;    /* the first <h1>, while inside it */
	int skip;   /* depth inside elements whose text is not read */
	int in_title, in_h1, h1_done;
	meta_seen seen;
} reader;

static void
on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	reader *r = ((htmlParserCtxtPtr)ctx)->_private;
	int cls = classify(name);
	if (cls & EL_SKIP)
		r->skip++;
	if (cls & EL_META)
		read_meta(r->x, atts, &r->seen);
	if ((cls & EL_TITLE) && !r->x->title)
		r->in_title++;
	if ((cls & EL_H1) && !r->h1_done)
		r->in_h1++;
	if (cls & EL_BLOCK)
		sbuf_put(&r->text, "\n", 1);
}

static void
on_end(void *ctx, const xmlChar *name)
{
	reader *r = ((htmlParserCtxtPtr)ctx)->_private;
	int cls = classify(name);
	if ((cls & EL_SKIP) && r->skip > 0)
		r->skip--;
	if ((cls & EL_TITLE) && r->in_title > 0)
		r->in_title--;
	if ((cls & EL_H1) && r->in_h1 > 0 && --r->in_h1 == 0)
		r->h1_done = 1;
	if (cls & EL_BLOCK)
		sbuf_put(&r->text, "\n", 1);
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
	reader *r = ((htmlParserCtxtPtr)ctx)->_private;
	if (len <= 0)
		return;
	if (r->in_title)
		sbuf_put(&r->title, (const char *)ch, (size_t)len);
	if (r->skip)
		return;
	if (r->in_h1)
		sbuf_put(&r->h1, (const char *)ch, (size_t)len);
	sbuf_put(&r->text, (const char *)ch, (size_t)len);
}

/* A title is one line: white space runs become single spaces. */
static char *
one_line(sbuf *b)
{
	if (!b->s)
		return NULL;
	char *o = b->s;
	int space = 0;
	for (const char *p = b->s; *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = o > b->s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	if (!*b->s) {
		free(b->s);
		b->s = NULL;
	}
	char *s = b->s;
	b->s = NULL;
	return s;
}

int
extract_html(extracted *x, const char *buf, size_t len, char **reason)
{
	*reason = NULL;
	/* A BOM speaks for itself: libxml2 reads it. */
	char name[64];
	const char *enc = NULL;
	if (!(len >= 2 && (!memcmp(buf, "\xff\xfe", 2) || !memcmp(buf, "\xfe\xff", 2))) &&
	    !(len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)))
		enc = page_encoding(buf, len, name, sizeof name);
	if (len > (size_t)0x7fffffff) {
		*reason = strdup(_("HTML file too large"));
		return -1;
	}
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt) {
		*reason = strdup(_("out of memory"));
		return -1;
	}
	reader r = {.x = x};
	memset(ctxt->sax, 0, sizeof *ctxt->sax);
	ctxt->sax->startElement = on_start;
	ctxt->sax->endElement = on_end;
	ctxt->sax->characters = on_text;
	ctxt->sax->cdataBlock = on_text; /* script and style come this way */
	ctxt->_private = &r;
	sbuf_put(&r.text, "", 0);
	/* XML_PARSE_HUGE: without it libxml2 stops at 256 levels of nesting
	 * and drops the rest of the page. */
	htmlDocPtr doc = htmlCtxtReadMemory(ctxt, buf, (int)len, NULL, enc,
					    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
						HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
						XML_PARSE_HUGE);
	if (doc)
		xmlFreeDoc(doc); /* none is built: the callbacks replace the tree */
	htmlFreeParserCtxt(ctxt);
	if (!x->title)
		x->title = one_line(&r.title);
	if (!x->title)
		x->title = one_line(&r.h1);
	free(r.title.s);
	free(r.h1.s);
	if (r.text.oom || r.title.oom) {
		free(r.text.s);
		*reason = strdup(_("out of memory"));
		return -1;
	}
	sbuf b = r.text;
	x->text = b.s;
	x->text_len = b.len;
	return 0;
}
