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
		if (k < h->n_highlights && h->highlights[k].end == i && i > h->highlights[k].start) {
			o = stpcpy(o, "</mark>");
			k++;
		}
		if (k < h->n_highlights && h->highlights[k].start == i)
			o = stpcpy(o, "<mark>");
		if (i == len)
			break;
		switch (t[i]) {
		case '&': o = stpcpy(o, "&amp;"); break;
		case '<': o = stpcpy(o, "&lt;"); break;
		case '>': o = stpcpy(o, "&gt;"); break;
		case '"': o = stpcpy(o, "&quot;"); break;
		case '\'': o = stpcpy(o, "&#39;"); break;
		default: *o++ = t[i];
		}
	}
	*o = '\0';
	return out;
}

static json_t *
names(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, str(v[i]));
	return a;
}

static json_t *
hit_json(const pvd_hit *h)
{
	json_t *communes = names(h->communes, h->n_communes);
	json_t *depts = names(h->departements, h->n_departements);
	json_t *regions = names(h->regions, h->n_regions);
	char *html = snippet_html(h);
	json_t *j = json_object();
	if (!j || !communes || !depts || !regions || !html) {
		json_decref(j);
		json_decref(communes);
		json_decref(depts);
		json_decref(regions);
		free(html);
		return NULL;
	}
	json_object_set_new(j, "rank", json_integer((json_int_t)h->rank));
	if (pvdi_path_is_utf8(h->path)) {
		json_object_set_new(j, "path", str(h->path));
	} else {
		/* a Latin-1 name: readable in path, openable from path_bytes */
		char *shown = pvd_path_display(h->path), *bytes = pvd_path_bytes(h->path);
		json_object_set_new(j, "path", str(shown ? shown : h->path));
		json_object_set_new(j, "path_bytes", str(bytes ? bytes : ""));
		free(shown);
		free(bytes);
	}
	json_object_set_new(j, "title", str(h->title));
	json_object_set_new(j, "type", str(h->type));
	json_object_set_new(j, "date", str(h->date));
	/* null for an index made before the source was kept */
	json_object_set_new(j, "date_source", h->date_source && *h->date_source
						      ? str(h->date_source)
						      : json_null());
	json_object_set_new(j, "communes", communes);
	json_object_set_new(j, "departements", depts);
	json_object_set_new(j, "regions", regions);
	if (h->missing_word)
		json_object_set_new(j, "missing_word", json_true());
	json_object_set_new(j, "score", json_real(h->score));
	json_object_set_new(j, "snippet", str(h->snippet));
	json_object_set_new(j, "snippet_html", str(html));
	free(html);
	return j;
}

static json_t *
facets_json(const pvd_results *r)
{
	static const char *const facets[] = {"type", "commune", "departement", "region", "year"};
	json_t *all = json_object();
	for (size_t i = 0; all && i < sizeof facets / sizeof facets[0]; i++) {
		const pvd_facet *f;
		size_t n = pvd_results_facets(r, facets[i], &f);
		json_t *counts = json_object();
		for (size_t k = 0; counts && k < n; k++)
			json_object_set_new(counts, f[k].value, json_integer((json_int_t)f[k].count));
		json_object_set_new(all, facets[i], counts);
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
		return PVD_ENOMEM;
	}
	json_object_set_new(root, "query", str(pvdi_results_query(r)));
	json_object_set_new(root, "total", json_integer((json_int_t)pvd_results_total(r)));
	json_object_set_new(root, "offset", json_integer((json_int_t)pvdi_results_offset(r)));
	json_object_set_new(root, "limit", json_integer((json_int_t)pvdi_results_limit(r)));
	json_object_set_new(root, "hits", hits);

	pvdi_results_rewind(r);
	const pvd_hit *h;
	pvd_status st;
	while ((st = pvd_results_next(r, &h)) == PVD_OK) {
		json_t *j = hit_json(h);
		if (!j || json_array_append_new(hits, j)) {
			st = PVD_ENOMEM;
			break;
		}
	}
	if (st != PVD_DONE) {
		json_decref(root);
		return st;
	}
	if (pvdi_results_has_facets(r))
		json_object_set_new(root, "facets", facets_json(r));
	if (pvd_results_suggestion(r))
		json_object_set_new(root, "suggestion", str(pvd_results_suggestion(r)));
	if (pvd_results_partial(r))
		json_object_set_new(root, "partial", json_true());
	*out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(root);
	return *out ? PVD_OK : PVD_ENOMEM;
}
