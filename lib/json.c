/*
 * json.c: the answer as the contract's JSON object, built with jansson, so
 * that pvd-search --json and pvd-searchd print the very same thing.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pvd-private.h"

/* A JSON string from bytes that should be UTF-8 but may not be (a file
 * name): invalid sequences become U+FFFD rather than failing. */
static json_t *
str(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j)
		return j;
	char *fixed = pvdi_utf8_repair(s, strlen(s));
	j = fixed ? json_string(fixed) : NULL;
	free(fixed);
	return j;
}

/* json_dumps() that cannot return a damaged text: jansson 2.14 ignores a
 * failed write of an object's key, and goes on writing after it (found
 * by tests/alloc).  Here the first failed write fails the whole. */
static int
dump_more(const char *bytes, size_t n, void *arg)
{
	sbuf *b = arg;
	sbuf_put(b, bytes, n);
	return b->oom ? -1 : 0;
}

static char *
dumps_whole(const json_t *root, size_t flags)
{
	sbuf b = {NULL, 0, 0, 0};
	if (json_dump_callback(root, dump_more, &b, flags) != 0 || b.oom || !b.s) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* json_object_set_new() that notes a failure in *ok: a value that could
 * not be made, or not added, leaves a hole an answer must not have. */
static void
put(json_t *o, const char *key, json_t *v, int *ok)
{
	if (!v || json_object_set_new(o, key, v) != 0)
		*ok = 0;
}

/* The snippet with HTML's special characters escaped and <mark> around
 * each highlight: safe to put in a page as it is. */
static char *
snippet_html(const pvd_hit *h)
{
	const char *t = h->snippet;
	size_t len = strlen(t), k = 0;
	char *out = malloc(6 * len + 13 * h->n_highlights + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i <= len; i++) {
		if (k < h->n_highlights && h->highlights[k].end == i &&
		    i > h->highlights[k].start) {
			o = stpcpy(o, "</mark>");
			k++;
		}
		if (k < h->n_highlights && h->highlights[k].start == i)
			o = stpcpy(o, "<mark>");
		if (i == len)
			break;
		switch (t[i]) {
		case '&':
			o = stpcpy(o, "&amp;");
			break;
		case '<':
			o = stpcpy(o, "&lt;");
			break;
		case '>':
			o = stpcpy(o, "&gt;");
			break;
		case '"':
			o = stpcpy(o, "&quot;");
			break;
		case '\'':
			o = stpcpy(o, "&#39;");
			break;
		default:
			*o++ = t[i];
		}
	}
	*o = '\0';
	return out;
}

/* A JSON array of strings; *ok = 0 when one could not be added. */
static json_t *
names(const char *const *v, size_t n, int *ok)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, str(v[i])) != 0)
			*ok = 0;
	return a;
}

static json_t *
hit_json(const pvd_hit *h)
{
	int ok = 1;
	json_t *communes = names(h->communes, h->n_communes, &ok);
	json_t *depts = names(h->departements, h->n_departements, &ok);
	json_t *regions = names(h->regions, h->n_regions, &ok);
	char *html = snippet_html(h);
	json_t *j = json_object();
	if (!j || !communes || !depts || !regions || !html || !ok) {
		json_decref(j);
		json_decref(communes);
		json_decref(depts);
		json_decref(regions);
		free(html);
		return NULL;
	}
	put(j, "rank", json_integer((json_int_t)h->rank), &ok);
	if (pvdi_path_is_utf8(h->path)) {
		put(j, "path", str(h->path), &ok);
	} else {
		/* a Latin-1 name: readable in path, openable from path_bytes */
		char *shown = pvd_path_display(h->path), *bytes = pvd_path_bytes(h->path);
		if (!shown || !bytes)
			ok = 0;
		else {
			put(j, "path", str(shown), &ok);
			put(j, "path_bytes", str(bytes), &ok);
		}
		free(shown);
		free(bytes);
	}
	put(j, "title", str(h->title), &ok);
	put(j, "type", str(h->type), &ok);
	put(j, "date", str(h->date), &ok);
	/* null for an index made before the source was kept */
	put(j, "date_source",
	    h->date_source && *h->date_source ? str(h->date_source) : json_null(), &ok);
	put(j, "communes", communes, &ok);
	put(j, "departements", depts, &ok);
	put(j, "regions", regions, &ok);
	if (h->missing_word)
		put(j, "missing_word", json_true(), &ok);
	put(j, "score", json_real(h->score), &ok);
	put(j, "snippet", str(h->snippet), &ok);
	put(j, "snippet_html", str(html), &ok);
	free(html);
	if (!ok) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *
facets_json(const pvd_results *r)
{
	static const char *const facets[] = {"type", "commune", "departement", "region",
					     "year"};
	int ok = 1;
	json_t *all = json_object();
	for (size_t i = 0; all && ok && i < sizeof facets / sizeof facets[0]; i++) {
		const pvd_facet *f;
		size_t n = pvd_results_facets(r, facets[i], &f);
		json_t *counts = json_object();
		for (size_t k = 0; counts && k < n; k++)
			put(counts, f[k].value, json_integer((json_int_t)f[k].count),
			    &ok);
		put(all, facets[i], counts, &ok);
	}
	if (!ok) {
		json_decref(all);
		return NULL;
	}
	return all;
}

pvd_status
pvd_results_json(pvd_results *r, char **out)
{
	*out = NULL;
	json_t *root = json_object(), *hits = json_array();
	if (!root || !hits) {
		json_decref(root);
		json_decref(hits);
		return pvdi_results_oom(r);
	}
	int ok = 1;
	pvdi_head head;
	pvdi_results_head(r, &head);
	put(root, "query", str(head.query), &ok);
	put(root, "total", json_integer((json_int_t)pvd_results_total(r)), &ok);
	put(root, "offset", json_integer((json_int_t)head.offset), &ok);
	put(root, "limit", json_integer((json_int_t)head.limit), &ok);
	put(root, "hits", hits, &ok);

	const pvd_hit *h;
	pvd_status st;
	for (size_t i = 0; (st = pvdi_results_hit(r, i, &h)) == PVD_OK; i++) {
		json_t *j = hit_json(h);
		if (!j || json_array_append_new(hits, j)) {
			st = pvdi_results_oom(r);
			break;
		}
	}
	if (st != PVD_DONE) {
		json_decref(root);
		return st;
	}
	if (head.facets)
		put(root, "facets", facets_json(r), &ok);
	if (pvd_results_suggestion(r))
		put(root, "suggestion", str(pvd_results_suggestion(r)), &ok);
	if (pvd_results_partial(r))
		put(root, "partial", json_true(), &ok);
	*out = ok ? dumps_whole(root, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
	json_decref(root);
	return *out ? PVD_OK : pvdi_results_oom(r);
}
