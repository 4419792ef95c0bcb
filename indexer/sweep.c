/*
 * sweep.c: what pvd-index deletes once the walk is over, and what it
 * refuses to.  A document whose file the walk of its root did not reach is
 * gone; but a root that yielded no file at all while the index holds
 * documents under it is more likely an unmounted share than a folder
 * emptied on purpose: nothing under it is deleted without --allow-empty.
 * Nor is anything under a folder that could not be listed.  --prune looks
 * at every document, wherever it was indexed from; an index written by an
 * older pvd-index, whose paths were kept as given, is converted here too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run.h"

static const char *
as_prefix(const char *root)
{
	return strcmp(root, "/") ? root : "";
}

static int
under_unreadable(const run *r, const char *path)
{
	char *const *v;
	size_t n = walker_unreadable(r->walk, &v);
	for (size_t i = 0; i < n; i++)
		if (path_under(path, v[i]))
			return 1;
	return 0;
}

static int
under_refused(const run *r, const char *path)
{
	for (size_t i = 0; i < r->n_refused; i++)
		if (path_under(path, r->refused_roots[i]))
			return 1;
	return 0;
}

static void
print_path(const char *path)
{
	/* the same escapes as pvd-index's other messages */
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			fprintf(stderr, "\\x%02x", *c);
		else
			fputc(*c, stderr);
}

/* Whether path is spelled as an older pvd-index may have kept it:
 * relative, with "//", "/./" or "/../", or through a link.  *canon gets
 * its canonical path, or NULL when it leads to no file from here. */
static int
legacy_spelling(const char *path, char **canon)
{
	*canon = realpath(path, NULL);
	if (path[0] != '/' || strstr(path, "//") || strstr(path, "/./") ||
	    strstr(path, "/../"))
		return 1;
	size_t n = strlen(path);
	if ((n >= 2 && !strcmp(path + n - 2, "/.")) ||
	    (n >= 3 && !strcmp(path + n - 3, "/..")))
		return 1;
	return *canon && strcmp(*canon, path) != 0;
}

static int
file_gone(const char *path)
{
	struct stat st;
	return stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

/* ---- one root ------------------------------------------------------------ */

typedef struct listing {
	const run *r;
	char **paths;
	size_t n;
	unsigned long kept; /* documents under the root that the walk reached */
	int oom;
} listing;

static void
push(listing *l, const char *path)
{
	char **v = realloc(l->paths, (l->n + 1) * sizeof *v);
	if (!v || !(v[l->n] = strdup(path))) {
		if (v)
			l->paths = v;
		l->oom = 1;
		return;
	}
	l->paths = v;
	l->n++;
}

static void
collect_gone(const char *path, void *arg)
{
	listing *l = arg;
	if (seen_has(&l->r->seen_paths, seen_hash(path)))
		l->kept++;
	else if (!under_unreadable(l->r, path))
		push(l, path);
}

static void
collect_all(const char *path, void *arg)
{
	push(arg, path);
}

static void
listing_free(listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
}

static void
refuse(run *r, const walk_root *root, size_t n_docs)
{
	const char *shown = root->path_arg >= 0 ? r->paths[root->path_arg] : root->path;
	fputs("pvd-index: ", stderr);
	print_path(shown);
	fprintf(stderr,
		ngettext(": no file found here, but the index holds %zu document under "
			 "it (an unmounted share?): none deleted; give --allow-empty to "
			 "delete it\n",
			 ": no file found here, but the index holds %zu documents under "
			 "it (an unmounted share?): none deleted; give --allow-empty to "
			 "delete them\n",
			 n_docs),
		n_docs);
	r->refused = 1;
	char **v = realloc(r->refused_roots, (r->n_refused + 1) * sizeof *v);
	if (v) {
		r->refused_roots = v;
		if ((v[r->n_refused] = strdup(root->path)))
			r->n_refused++;
	}
}

static int empty_root(const run *r, const walk_root *root);

static int
sweep_root(run *r, const walk_root *root)
{
	listing l = {r, NULL, 0, 0, 0};
	if (pvd_writer_each_path(r->w, as_prefix(root->path), collect_gone, &l) !=
		PVD_OK ||
	    l.oom) {
		fprintf(stderr, _("pvd-index: %s: cannot list the index: %s\n"),
			root->path, l.oom ? _("out of memory") : pvd_writer_errmsg(r->w));
		listing_free(&l);
		return -1;
	}
	if (l.n && !l.kept && empty_root(r, root)) {
		refuse(r, root, l.n);
	} else {
		for (size_t i = 0; i < l.n && !r->fatal; i++)
			run_delete(r, l.paths[i]);
	}
	listing_free(&l);
	return 0;
}

/* ---- every document: --prune, and an older index's paths ----------------- */

static void
sweep_all(run *r)
{
	listing l = {r, NULL, 0, 0, 0};
	if (pvd_writer_each_path(r->w, NULL, collect_all, &l) != PVD_OK || l.oom) {
		fprintf(stderr, _("pvd-index: %s: cannot list the index: %s\n"), r->db,
			l.oom ? _("out of memory") : pvd_writer_errmsg(r->w));
		listing_free(&l);
		r->fatal = 1;
		return;
	}
	unsigned long converted = 0, left = 0;
	const char *example = NULL;
	for (size_t i = 0; i < l.n && !r->fatal; i++) {
		const char *path = l.paths[i];
		if (seen_has(&r->seen_paths, seen_hash(path)) || under_refused(r, path) ||
		    under_unreadable(r, path))
			continue;
		char *canon = NULL;
		if (r->legacy && legacy_spelling(path, &canon)) {
			int again = canon && seen_has(&r->seen_paths, seen_hash(canon));
			if (again || (!canon && r->prune && file_gone(path))) {
				/* the same file, indexed again under its canonical path
				 */
				run_delete(r, path);
				converted += again;
			} else {
				left++;
				example = example ? example : path;
			}
		} else if (r->prune && file_gone(path)) {
			run_delete(r, path);
		}
		free(canon);
	}
	if (converted && !r->quiet)
		fprintf(
		    stderr,
		    ngettext("pvd-index: %s: %lu document of an older pvd-index "
			     "replaced by the same file under its canonical path\n",
			     "pvd-index: %s: %lu documents of an older pvd-index "
			     "replaced by the same files under their canonical path\n",
			     converted),
		    r->db, converted);
	if (left) {
		fprintf(stderr,
			ngettext("pvd-index: %s: %lu document keeps a path written by an "
				 "older pvd-index (",
				 "pvd-index: %s: %lu documents keep a path written by an "
				 "older pvd-index (",
				 left),
			r->db, left);
		print_path(example);
		fprintf(
		    stderr,
		    ngettext(") that this run did not index again: run pvd-index over "
			     "its folder from the folder the older runs started in, or "
			     "give --prune to delete it if its file cannot be found from "
			     "here\n",
			     ") that this run did not index again: run pvd-index over "
			     "their folders from the folder the older runs started in, "
			     "or give --prune to delete those whose file cannot be found "
			     "from here\n",
			     left));
	} else if (r->legacy && !r->fatal &&
		   pvd_writer_set_meta(r->w, CANONICAL_KEY, CANONICAL_VALUE) == PVD_OK) {
		r->legacy = 0;
	}
	listing_free(&l);
}

void
sweep(run *r)
{
	const walk_root *roots;
	size_t n = walker_roots(r->walk, &roots);
	for (size_t i = 0; i < n && !r->fatal; i++)
		if (sweep_root(r, &roots[i]) != 0)
			r->fatal = 1;
	if (!r->fatal && (r->prune || r->legacy))
		sweep_all(r);
}

/* ---- --full ------------------------------------------------------------------ */

typedef struct carry {
	run *r;
	const walk_root *roots;
	size_t n_roots;
	size_t *held; /* per root: documents kept because it was empty */
	unsigned long legacy_left;
} carry;

static int
empty_root(const run *r, const walk_root *root)
{
	return !root->files && !root->reached_before && !r->allow_empty;
}

/* --full rebuilds from scratch: a document of the old index is left out,
 * and counted as deleted, unless it lies under a PATH refused as empty
 * (an unmounted share keeps its documents there too). */
static int
keep_old(const char *path, void *arg)
{
	carry *cv = arg;
	run *r = cv->r;
	int keep = 0;
	for (size_t i = 0; i < cv->n_roots; i++) {
		if (path_under(path, cv->roots[i].path) && empty_root(r, &cv->roots[i])) {
			cv->held[i]++;
			keep = 1;
		}
	}
	if (keep)
		r->carried++;
	else
		r->pending.deleted++;
	return keep;
}

void
sweep_carry_over(run *r)
{
	carry cv = {r, NULL, 0, NULL, 0};
	cv.n_roots = walker_roots(r->walk, &cv.roots);
	if (!(cv.held = calloc(cv.n_roots + 1, sizeof *cv.held))) {
		fprintf(stderr, _("pvd-index: %s: out of memory\n"), r->db);
		r->fatal = 1;
		return;
	}
	if (pvd_writer_carry_over(r->w, keep_old, &cv) != PVD_OK) {
		fprintf(stderr,
			_("pvd-index: %s: cannot read the index it replaces: %s\n"),
			r->db, pvd_writer_errmsg(r->w));
		r->fatal = 1;
	}
	for (size_t i = 0; i < cv.n_roots; i++)
		if (cv.held[i])
			refuse(r, &cv.roots[i], cv.held[i]);
	if (r->refused) {
		/* a rebuild that would keep only what an empty PATH protects is
		 * not one: the old index stays whole, switched to nothing */
		fprintf(stderr,
			_("pvd-index: %s: --full not switched: the index is left as it "
			  "was\n"),
			r->db);
		r->fatal = r->abandoned = 1;
	}
	if (!r->fatal && !cv.legacy_left &&
	    pvd_writer_set_meta(r->w, CANONICAL_KEY, CANONICAL_VALUE) != PVD_OK)
		r->fatal = 1;
	free(cv.held);
}
