/*
 * extract-office.c: the text and metadata of OpenDocument text (ODT) and
 * Word (DOCX) files.  Both are zip archives of XML parts, opened from
 * memory with libzip and parsed with libxml2, never touching the network
 * nor loading external entities.
 *
 *   ODT:  content.xml  paragraphs and headings (text:p, text:h), with their
 *                      spans, lists and table cells; meta.xml: dc:title,
 *                      meta:creation-date (else dc:date).
 *   DOCX: word/document.xml  runs of text (w:t), paragraphs (w:p), tabs
 *                      and breaks; docProps/core.xml: dc:title,
 *                      dcterms:created.
 *
 * Each paragraph ends a line.  An entry that would inflate past 256 MiB is
 * refused (a zip bomb), and a damaged archive fails with libzip's reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "indexer.h"

enum { MAX_ENTRY = 256 << 20 }; /* bytes, once inflated */

static const char NS_TEXT[] = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
static const char NS_OFFICE[] = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
static const char NS_META[] = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
static const char NS_DC[] = "http://purl.org/dc/elements/1.1/";
static const char NS_DCTERMS[] = "http://purl.org/dc/terms/";
static const char NS_W[] = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char NS_W_STRICT[] = "http://purl.oclc.org/ooxml/wordprocessingml/main";
static const char NS_MC[] = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/* ---- output ---------------------------------------------------------------- */

/* The text being built: runs of white space in the XML become one space,
 * never at the start of a line, never before a line end. */
typedef struct out {
	sbuf b;
	int space; /* a space is due before the next character */
} out;

static void
put(out *o, const char *s, size_t n)
{
	sbuf_put(&o->b, s, n);
}

static int
at_line_start(const out *o)
{
	return o->b.len == 0 || o->b.s[o->b.len - 1] == '\n';
}

static int
xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Text from the document, its white space runs made single spaces. */
static void
put_text(out *o, const char *s)
{
	while (*s) {
		if (xml_space(*s)) {
			o->space = 1;
			s++;
			continue;
		}
		size_t n = 0;
		while (s[n] && !xml_space(s[n]))
			n++;
		if (o->space && !at_line_start(o))
			put(o, " ", 1);
		o->space = 0;
		put(o, s, n);
		s += n;
	}
}

/* Spaces the document asks for explicitly (text:s, a tab). */
static void
put_spaces(out *o, long n)
{
	o->space = 0;
	if (at_line_start(o))
		return;
	for (long i = 0; i < n; i++)
		put(o, " ", 1);
}

/* A line end: trailing spaces go, empty lines are not repeated when
 * blank says so (paragraph ends), but a forced break is kept. */
static void
end_line(out *o, int blank)
{
	o->space = 0;
	while (o->b.len > 0 && o->b.s[o->b.len - 1] == ' ')
		o->b.s[--o->b.len] = '\0';
	if (blank && at_line_start(o))
		return;
	put(o, "\n", 1);
}

/* ---- XML ------------------------------------------------------------------- */

static int
is_el(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       !strcmp((const char *)n->ns->href, ns) &&
	       !strcmp((const char *)n->name, name);
}

static int
is_w(const xmlNode *n, const char *name)
{
	return is_el(n, NS_W, name) || is_el(n, NS_W_STRICT, name);
}

/* What a format does with each node on the way down and up. */
typedef struct walk_ops {
	/* 0: skip the node's children; 1: go down into them */
	int (*enter)(out *o, const xmlNode *n);
	void (*leave)(out *o, const xmlNode *n);
} walk_ops;

/* Walk the subtree of top without recursion (nesting can be deep);
 * entity references are never followed. */
static void
walk(out *o, const xmlNode *top, const walk_ops *ops)
{
	const xmlNode *n = top;
	while (n && !o->b.oom) {
		int down = n->type != XML_ENTITY_REF_NODE && ops->enter(o, n);
		if (down && n->children) {
			n = n->children;
			continue;
		}
		/* done with n: leave it, then climb until a sibling is found */
		for (;;) {
			if (n->type == XML_ELEMENT_NODE)
				ops->leave(o, n);
			if (n == top)
				return;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (!n)
				return;
		}
	}
}

/* The first element named (ns, name) under top, depth first. */
static const xmlNode *
find(const xmlNode *top, const char *ns, const char *name)
{
	const xmlNode *n = top;
	while (n) {
		if (is_el(n, ns, name))
			return n;
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != top && !n->next)
			n = n->parent;
		if (n == top)
			return NULL;
		n = n->next;
	}
	return NULL;
}

/* An element's text, white space runs made single spaces, or NULL. */
static char *
text_of(const xmlNode *n)
{
	if (!n)
		return NULL;
	xmlChar *v = xmlNodeGetContent(n);
	if (!v)
		return NULL;
	out o = {0};
	put_text(&o, (const char *)v);
	xmlFree(v);
	if (o.b.oom || o.b.len == 0) {
		free(o.b.s);
		return NULL;
	}
	return o.b.s;
}

static xmlDoc *
parse(const char *data, size_t len, const char *name)
{
	/* no network, no external DTD or entities, no messages on stderr;
	 * libxml2's own limits stop entity amplification and deep nesting */
	return xmlReadMemory(data, (int)len, name, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static char *
xml_reason(const char *part)
{
	const xmlError *e = xmlGetLastError();
	char msg[160] = "";
	if (e && e->message) {
		snprintf(msg, sizeof msg, "%s", e->message);
		size_t n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
	}
	char *r = NULL;
	if (asprintf(&r, _("damaged document: %s is not well-formed XML%s%s%s"), part,
		     *msg ? " (" : "", msg, *msg ? ")" : "") < 0)
		return NULL;
	return r;
}

/* ---- zip ----------------------------------------------------------------- */

static char *
zip_reason(const char *what, const char *detail)
{
	char *r = NULL;
	if (asprintf(&r, "%s: %s", what, detail) < 0)
		return NULL;
	return r;
}

static zip_t *
open_zip(const char *buf, size_t len, char **reason)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!za) {
		*reason = zip_reason(_("damaged zip archive"), zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
	}
	zip_error_fini(&ze);
	return za;
}

/*
 * Read the entry called name whole into a malloc'ed, NUL-terminated buffer.
 * Returns 0, 1 when there is no such entry, or -1 with *reason (NULL when
 * out of memory).  The inflated size is checked both as declared and as
 * read, so that a lying header cannot make it grow past MAX_ENTRY.
 */
static int
read_entry(zip_t *za, const char *name, char **data, size_t *data_len, char **reason)
{
	*data = NULL;
	*data_len = 0;
	zip_int64_t idx = zip_name_locate(za, name, 0);
	if (idx < 0)
		return 1;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0) {
		*reason = zip_reason(_("damaged zip archive"), zip_strerror(za));
		return -1;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > MAX_ENTRY) {
		if (asprintf(reason,
			     _("%s inflates to %llu bytes, more than 256 MiB: refused"),
			     name, (unsigned long long)st.size) < 0)
			*reason = NULL;
		return -1;
	}
	zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!zf) {
		char what[128];
		snprintf(what, sizeof what, _("cannot read %s"), name);
		*reason = zip_reason(what, zip_strerror(za));
		return -1;
	}
	size_t cap = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size + 1 : 65536, len = 0;
	char *b = malloc(cap);
	int rc = b ? 0 : -1;
	while (rc == 0) {
		if (len + 1 >= cap) {
			if (cap > MAX_ENTRY) {
				if (asprintf(
					reason,
					_("%s inflates to more than 256 MiB: refused"),
					name) < 0)
					*reason = NULL;
				rc = -1;
				break;
			}
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				rc = -1;
				break;
			}
			b = nb;
			cap *= 2;
		}
		zip_int64_t got = zip_fread(zf, b + len, cap - 1 - len);
		if (got < 0) {
			char what[128];
			snprintf(what, sizeof what, _("damaged zip archive (%s)"), name);
			*reason = zip_reason(what, zip_file_strerror(zf));
			rc = -1;
		} else if (got == 0) {
			break;
		} else {
			len += (size_t)got;
		}
	}
	zip_fclose(zf);
	if (rc != 0) {
		free(b);
		return -1;
	}
	b[len] = '\0';
	*data = b;
	*data_len = len;
	return 0;
}

/* Parse one part of the archive; 1 when it is absent. */
static int
read_xml(zip_t *za, const char *name, xmlDoc **doc, char **reason)
{
	char *data;
	size_t len;
	*doc = NULL;
	int rc = read_entry(za, name, &data, &len, reason);
	if (rc != 0)
		return rc;
	*doc = parse(data, len, name);
	free(data);
	if (!*doc) {
		*reason = xml_reason(name);
		return -1;
	}
	return 0;
}

static void
set_title(extracted *x, const xmlNode *n)
{
	char *t = text_of(n);
	if (t && utf8_valid(t, strlen(t))) {
		free(x->title);
		x->title = t;
	} else {
		free(t);
	}
}

static void
set_date_of(extracted *x, const xmlNode *n)
{
	char *d = text_of(n);
	if (d)
		set_date(x, d);
	free(d);
}

/* Hand the text over to x; an empty document gives "" (not NULL). */
static int
finish(extracted *x, out *o)
{
	if (o->b.oom) {
		free(o->b.s);
		return -1;
	}
	if (!o->b.s) {
		o->b.s = strdup("");
		if (!o->b.s)
			return -1;
	}
	free(x->text);
	x->text = o->b.s;
	x->text_len = o->b.len;
	return 0;
}

/* ---- the driver both formats share -------------------------------------- */

/* What tells one format from the other: the part with the text, how to
 * walk it and from which element, and the part with the title and date. */
typedef struct office_format {
	const char *content; /* the part with the text */
	const char *missing; /* the reason when that part is missing */
	walk_ops ops;
	const char *body_ns, *body; /* the element walked, else the root */
	const char *meta;	    /* the part with the title and date */
	void (*read_meta)(extracted *x, const xmlNode *root);
} office_format;

static int
extract_office(extracted *x, const char *buf, size_t len, char **reason,
	       const office_format *f)
{
	*reason = NULL;
	zip_t *za = open_zip(buf, len, reason);
	if (!za)
		return -1;

	xmlDoc *doc;
	int rc = read_xml(za, f->content, &doc, reason);
	if (rc == 1) {
		*reason = strdup(_(f->missing));
		rc = -1;
	}
	if (rc == 0) {
		out o = {0};
		const xmlNode *root = xmlDocGetRootElement(doc);
		const xmlNode *body =
		    root && f->body ? find(root, f->body_ns, f->body) : NULL;
		if (body || root)
			walk(&o, body ? body : root, &f->ops);
		xmlFreeDoc(doc);
		rc = finish(x, &o);
	}

	/* metadata is a bonus: a missing or damaged part costs nothing */
	char *ignored = NULL;
	if (rc == 0 && read_xml(za, f->meta, &doc, &ignored) == 0) {
		const xmlNode *root = xmlDocGetRootElement(doc);
		if (root)
			f->read_meta(x, root);
		xmlFreeDoc(doc);
	}
	free(ignored);
	zip_discard(za);
	return rc;
}

/* ---- ODT ------------------------------------------------------------------ */

static int
odt_enter(out *o, const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		/* only paragraphs and headings hold text; white space between
		 * elements elsewhere is layout */
		for (const xmlNode *p = n->parent; p; p = p->parent)
			if (is_el(p, NS_TEXT, "p") || is_el(p, NS_TEXT, "h")) {
				put_text(o, (const char *)n->content);
				break;
			}
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	if (is_el(n, NS_TEXT, "s")) {
		xmlChar *c =
		    xmlGetNsProp(n, (const xmlChar *)"c", (const xmlChar *)NS_TEXT);
		long k = c ? strtol((const char *)c, NULL, 10) : 1;
		xmlFree(c);
		put_spaces(o, k < 1 ? 1 : k > 64 ? 64 : k);
		return 0;
	}
	if (is_el(n, NS_TEXT, "tab")) {
		put_spaces(o, 1);
		return 0;
	}
	if (is_el(n, NS_TEXT, "line-break")) {
		end_line(o, 0);
		return 0;
	}
	/* not text of the document: declarations, a note's number, deleted
	 * text kept for change tracking, comments */
	static const char *const skipped[] = {
	    "tracked-changes", "note-citation",	   "sequence-decls",
	    "variable-decls",  "user-field-decls", "alphabetical-index-mark"};
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (is_el(n, NS_TEXT, skipped[i]))
			return 0;
	if (is_el(n, NS_OFFICE, "annotation") || is_el(n, NS_OFFICE, "forms"))
		return 0;
	return 1;
}

static void
odt_leave(out *o, const xmlNode *n)
{
	if (is_el(n, NS_TEXT, "p") || is_el(n, NS_TEXT, "h"))
		end_line(o, 1);
}

static void
odt_meta(extracted *x, const xmlNode *root)
{
	set_title(x, find(root, NS_DC, "title"));
	const xmlNode *d = find(root, NS_META, "creation-date");
	set_date_of(x, d ? d : find(root, NS_DC, "date"));
}

int
extract_odt(extracted *x, const char *buf, size_t len, char **reason)
{
	static const office_format odt = {
	    "content.xml",
	    N_("not an OpenDocument text: no content.xml in the archive"),
	    {odt_enter, odt_leave},
	    NS_OFFICE,
	    "body",
	    "meta.xml",
	    odt_meta};
	return extract_office(x, buf, len, reason, &odt);
}

/* ---- DOCX ----------------------------------------------------------------- */

static int
docx_enter(out *o, const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		/* the text of runs only: not field codes (w:instrText), not
		 * deleted text (w:delText) */
		if (n->parent && is_w(n->parent, "t"))
			put_text(o, (const char *)n->content);
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	if (is_w(n, "tab") && n->parent && is_w(n->parent, "r")) {
		/* w:tab also names tab stops in paragraph properties */
		put_spaces(o, 1);
		return 0;
	}
	if (is_w(n, "br") || is_w(n, "cr")) {
		end_line(o, 0);
		return 0;
	}
	if (is_w(n, "noBreakHyphen")) {
		o->space = 0;
		put(o, "-", 1);
		return 0;
	}
	/* properties hold no text; a fallback repeats its alternative */
	if (is_w(n, "pPr") || is_w(n, "rPr") || is_w(n, "sectPr") ||
	    is_el(n, NS_MC, "Fallback"))
		return 0;
	return 1;
}

static void
docx_leave(out *o, const xmlNode *n)
{
	if (is_w(n, "p"))
		end_line(o, 1);
}

static void
docx_meta(extracted *x, const xmlNode *root)
{
	set_title(x, find(root, NS_DC, "title"));
	set_date_of(x, find(root, NS_DCTERMS, "created"));
}

int
extract_docx(extracted *x, const char *buf, size_t len, char **reason)
{
	static const office_format docx = {
	    "word/document.xml",
	    N_("not a Word document: no word/document.xml in the archive"),
	    {docx_enter, docx_leave},
	    NULL,
	    NULL,
	    "docProps/core.xml",
	    docx_meta};
	return extract_office(x, buf, len, reason, &docx);
}
