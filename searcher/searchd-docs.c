/*
 * searchd-docs.c: pvd-searchd's --docs DIR=URL.  A hit whose file lies
 * under DIR gets "url": URL followed by the rest of its path, each segment
 * percent-encoded, so that a page can link to the document that nginx (not
 * the daemon) serves.  DIR is canonicalised once at start, so that it
 * compares with the canonical paths the index keeps.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "searchd-params.h"
#include "searchd.h"

struct searchd_doc {
	char *dir; /* canonical, no trailing slash except for "/" itself */
	size_t dir_len;
	char *url; /* ends with '/' */
};

int
searchd_docs_add(searchd *sd, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1]) {
		fprintf(stderr, _("pvd-searchd: --docs takes DIR=URL, e.g. "
				  "/srv/pvd/corpus=/docs/\n"));
		return -1;
	}
	char *dir = strndup(arg, (size_t)(eq - arg));
	char *real = dir ? realpath(dir, NULL) : NULL;
	struct stat st;
	if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, _("pvd-searchd: --docs %s: %s\n"), dir ? dir : arg,
			real ? "not a folder" : strerror(errno));
		free(dir);
		free(real);
		return -1;
	}
	free(dir);
	struct searchd_doc *docs = realloc(sd->docs, (sd->n_docs + 1) * sizeof *docs);
	if (!docs) {
		free(real);
		return -1;
	}
	sd->docs = docs;
	struct searchd_doc *d = &docs[sd->n_docs];
	d->dir = real;
	d->dir_len = strlen(real);
	size_t ul = strlen(eq + 1);
	if (!(d->url = malloc(ul + 2))) {
		free(real);
		return -1;
	}
	memcpy(d->url, eq + 1, ul + 1);
	if (d->url[ul - 1] != '/')
		strcpy(d->url + ul, "/");
	sd->n_docs++;
	return 0;
}

void
searchd_docs_free(searchd *sd)
{
	for (size_t i = 0; i < sd->n_docs; i++) {
		free(sd->docs[i].dir);
		free(sd->docs[i].url);
	}
	free(sd->docs);
	sd->docs = NULL;
	sd->n_docs = 0;
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
				      : -1;
}

/* path_bytes (percent-encoded real bytes of a name that is not UTF-8)
 * decoded in place. */
static void
percent_decode(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		int hi, lo;
		if (*r == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* The entry whose DIR holds path, the deepest when several do. */
static const struct searchd_doc *
doc_for(const searchd *sd, const char *path)
{
	const struct searchd_doc *best = NULL;
	for (size_t i = 0; i < sd->n_docs; i++) {
		const struct searchd_doc *d = &sd->docs[i];
		int root = d->dir_len == 1; /* "/" */
		if (strncmp(path, d->dir, d->dir_len) == 0 &&
		    (root || path[d->dir_len] == '/') &&
		    (!best || d->dir_len > best->dir_len))
			best = d;
	}
	return best;
}

/* URL + rest, every byte but unreserved ones (RFC 3986) and the '/'
 * between segments percent-encoded. */
static char *
make_url(const struct searchd_doc *d, const char *path)
{
	const char *rest = path + d->dir_len;
	while (*rest == '/')
		rest++;
	size_t ul = strlen(d->url);
	char *out = malloc(ul + 3 * strlen(rest) + 1), *w;
	if (!out)
		return NULL;
	memcpy(out, d->url, ul);
	w = out + ul;
	for (const unsigned char *p = (const unsigned char *)rest; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			*w++ = (char)*p;
		else
			w += sprintf(w, "%%%02X", *p);
	}
	*w = '\0';
	return out;
}

char *
searchd_docs_urls(const searchd *sd, char *json)
{
	if (!json || sd->n_docs == 0)
		return json;
	/* (json is libpvd's: it fails to load only for want of memory) */
	json_error_t err;
	int oom;
	json_t *root = searchd_json_loadb(json, strlen(json), 0, &err, &oom);
	json_t *hits = root ? json_object_get(root, "hits") : NULL;
	size_t i;
	int added = 0;
	oom = oom || !root;
	json_t *hit;
	json_array_foreach(hits, i, hit)
	{
		const char *bytes = json_string_value(json_object_get(hit, "path_bytes"));
		const char *p =
		    bytes ? bytes : json_string_value(json_object_get(hit, "path"));
		char *path = p ? strdup(p) : NULL;
		if (p && !path) {
			oom = 1;
			break;
		}
		if (!path)
			continue;
		if (bytes)
			percent_decode(path);
		const struct searchd_doc *d = doc_for(sd, path);
		char *url = d ? make_url(d, path) : NULL;
		if (d && (!url || json_object_set_new(hit, "url", json_string(url)) != 0))
			oom = 1;
		added += url != NULL;
		free(url);
		free(path);
		if (oom)
			break;
	}
	/* The same layout as libpvd's (compact, 6 digits of score). */
	char *out = added && !oom
			? searchd_json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(6))
			: NULL;
	json_decref(root);
	if (added && !out)
		oom = 1;
	if (oom) {
		free(json);
		return NULL; /* a hit without its url would say it has none */
	}
	if (!out)
		return json;
	free(json);
	return out;
}
