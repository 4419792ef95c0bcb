/*
 * extract-html.c: HTML and XHTML through libxml2's forgiving HTML parser.
 * Text comes from the body only: never from script, style, template or
 * comments.  Block elements end lines so that words do not run together.
 * Metadata: <title> (else the first <h1>) and the <meta> names of the
 * contract, with their common equivalents.
 */
#include <ctype.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "indexer.h"

typedef struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
} sbuf;

static void
put(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static int
named(const xmlNode *n, const char *name)
{
	return n->name && !strcasecmp((const char *)n->name, name);
}

static int
skipped(const xmlNode *n)
{
	static const char *const names[] = {"script", "style",  "noscript", "template",
					    "head",   "iframe", "object",   "svg"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (named(n, names[i]))
			return 1;
	return 0;
}

static int
is_block(const xmlNode *n)
{
	static const char *const names[] = {
		"p",       "div",    "br",     "li",    "ul",     "ol",    "dl",   "dt",
		"dd",      "h1",     "h2",     "h3",    "h4",     "h5",    "h6",   "tr",
		"td",      "th",     "table",  "section", "article", "header", "footer",
		"nav",     "aside",  "main",   "blockquote", "pre", "hr",  "figure",
		"figcaption", "address", "caption", "form", "fieldset", "legend", "body"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (named(n, names[i]))
			return 1;
	return 0;
}

static char *
attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->name && !strcasecmp((const char *)a->name, name)) {
			xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
			char *copy = v ? strdup((const char *)v) : NULL;
			xmlFree(v);
			return copy;
		}
	return NULL;
}

/* The text of an element, white space runs made single spaces. */
static char *
inline_text(const xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	if (!v)
		return NULL;
	char *out = malloc(strlen((const char *)v) + 1), *o = out;
	int space = 0;
	for (const char *p = (const char *)v; out && *p; p++) {
		if (isspace((unsigned char)*p)) {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	if (out)
		*o = '\0';
	xmlFree(v);
	if (out && !*out) {
		free(out);
		return NULL;
	}
	return out;
}

/* What the <meta> elements seen so far have set. */
typedef struct meta_seen {
	int date;     /* 2: name="date", 1: an equivalent, 0: none */
	int communes; /* name="communes" seen: keywords no longer count */
} meta_seen;

/* Metadata from one <meta>: the contract's names win over equivalents,
 * which only fill what is still empty. */
static void
read_meta(extracted *x, const xmlNode *n, meta_seen *seen)
{
	char *name = attr(n, "name");
	if (!name)
		name = attr(n, "property");
	char *content = attr(n, "content");
	if (name && content) {
		if (!strcasecmp(name, "date")) {
			set_date(x, content);
			seen->date = 2;
		} else if ((!strcasecmp(name, "dcterms.date") || !strcasecmp(name, "dc.date") ||
			    !strcasecmp(name, "article:published_time")) &&
			   seen->date < 2) {
			set_date(x, content);
			seen->date = 1;
		} else if (!strcasecmp(name, "type") && valid_type(content)) {
			free(x->type);
			x->type = strdup(content);
		} else if (!strcasecmp(name, "communes") || !strcasecmp(name, "commune")) {
			/* the contract's name replaces keywords read before */
			for (size_t i = 0; i < x->n_communes; i++)
				free(x->communes[i]);
			x->n_communes = 0;
			add_communes(x, content);
			seen->communes = 1;
		} else if (!strcasecmp(name, "keywords") && !seen->communes && !x->n_communes) {
			add_communes(x, content);
		}
	}
	free(name);
	free(content);
}

/* Walk the tree without recursion: documents can nest deeper than any
 * stack. */
static void
walk(extracted *x, sbuf *b, xmlNode *root)
{
	meta_seen seen = {0, 0};
	int in_head = 0;
	char *h1 = NULL;
	xmlNode *n = root;
	while (n) {
		int descend = 1;
		if (n->type == XML_ELEMENT_NODE) {
			if (named(n, "title") && !x->title)
				x->title = inline_text(n);
			else if (named(n, "meta"))
				read_meta(x, n, &seen);
			else if (named(n, "h1") && !h1)
				h1 = inline_text(n);
			if (skipped(n)) {
				/* into <head> only, for its title and meta */
				descend = named(n, "head");
				in_head |= descend && n->children;
			} else if (is_block(n)) {
				put(b, "\n", 1);
			}
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
			   !in_head && n->content) {
			put(b, (const char *)n->content, strlen((const char *)n->content));
		}
		if (descend && n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			if (n && n->type == XML_ELEMENT_NODE && named(n, "head"))
				in_head = 0;
			else if (n && n->type == XML_ELEMENT_NODE && is_block(n))
				put(b, "\n", 1);
			if (n == root)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	if (!x->title)
		x->title = h1;
	else
		free(h1);
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
			while (j < n && (buf[j] == '"' || buf[j] == '\'' || buf[j] == ' '))
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
		*reason = strdup("HTML file too large");
		return -1;
	}
	/* XML_PARSE_HUGE: without it libxml2 stops at 256 levels of nesting
	 * and drops the rest of the page; the walk below needs no stack. */
	htmlDocPtr doc = htmlReadMemory(buf, (int)len, NULL, enc,
					HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
						HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
						HTML_PARSE_COMPACT | XML_PARSE_HUGE);
	if (!doc) {
		*reason = strdup("not readable as HTML");
		return -1;
	}
	sbuf b = {NULL, 0, 0, 0};
	put(&b, "", 0);
	xmlNode *root = xmlDocGetRootElement(doc);
	if (root)
		walk(x, &b, root);
	xmlFreeDoc(doc);
	if (b.oom) {
		free(b.s);
		*reason = strdup("out of memory");
		return -1;
	}
	x->text = b.s;
	x->text_len = b.len;
	return 0;
}
