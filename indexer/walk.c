/*
 * walk.c: reaching every file under the PATHs given, in name order, each
 * under its canonical path: the PATH goes through realpath() once, and a
 * link met on the way is resolved to its target, so that the same file is
 * reported under the same name however it was reached.  A name joined to a
 * canonical folder is canonical already: realpath() runs for the PATHs and
 * the links only, not for every file.  Each folder and file is visited
 * once, by device and inode, so a link loop or a link to a parent folder
 * ends at once.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"
#include "seen.h"

struct walker {
	walk_file_fn on_file;
	walk_error_fn on_error;
	void *arg;
	seen_set seen;	  /* folders and files met, by device and inode */
	walk_root *roots; /* PATHs, and folders reached through a link */
	size_t n_roots;
	int current;	   /* the root the walk is under, or -1 */
	char **unreadable; /* folders that could not be listed */
	size_t n_unreadable;
};

/* One key for a (device, inode) pair. */
static uint64_t
file_key(dev_t dev, ino_t ino)
{
	return (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^
	       ((uint64_t)dev << 17 | (uint64_t)dev >> 47);
}

walker *
walker_new(walk_file_fn on_file, walk_error_fn on_error, void *arg)
{
	walker *w = calloc(1, sizeof *w);
	if (w) {
		w->on_file = on_file;
		w->on_error = on_error;
		w->arg = arg;
		w->current = -1;
	}
	return w;
}

void
walker_free(walker *w)
{
	if (!w)
		return;
	seen_clear(&w->seen);
	for (size_t i = 0; i < w->n_roots; i++)
		free(w->roots[i].path);
	free(w->roots);
	for (size_t i = 0; i < w->n_unreadable; i++)
		free(w->unreadable[i]);
	free(w->unreadable);
	free(w);
}

size_t
walker_roots(const walker *w, const walk_root **out)
{
	*out = w->roots;
	return w->n_roots;
}

size_t
walker_unreadable(const walker *w, char *const **out)
{
	*out = w->unreadable;
	return w->n_unreadable;
}

int
path_under(const char *path, const char *dir)
{
	size_t n = strcmp(dir, "/") ? strlen(dir) : 0;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Register a root (canonical); its index, or -1 when out of memory. */
static int
add_root(walker *w, const char *path, int path_arg)
{
	walk_root *v = realloc(w->roots, (w->n_roots + 1) * sizeof *v);
	if (!v)
		return -1;
	w->roots = v;
	walk_root *r = &v[w->n_roots];
	if (!(r->path = strdup(path)))
		return -1;
	r->files = 0;
	r->parent = w->current;
	r->path_arg = path_arg;
	r->reached_before = 0;
	return (int)w->n_roots++;
}

static void
remember_unreadable(walker *w, const char *path)
{
	char **v = realloc(w->unreadable, (w->n_unreadable + 1) * sizeof *v);
	if (!v)
		return;
	w->unreadable = v;
	if ((v[w->n_unreadable] = strdup(path)))
		w->n_unreadable++;
}

static int
visible(const struct dirent *d)
{
	/* Hidden entries (.git, .cache, editor files) are not documents. */
	return d->d_name[0] != '.';
}

static void visit(walker *w, const char *path, int via_link);

static void
list_folder(walker *w, const char *path)
{
	struct dirent **names;
	int n = scandir(path, &names, visible, alphasort);
	if (n < 0) {
		/* what was indexed under it is not gone: the caller keeps it */
		remember_unreadable(w, path);
		w->on_error(path, strerror(errno), w->arg);
		return;
	}
	size_t plen = strlen(path);
	int root_slash = plen > 0 && path[plen - 1] == '/';
	for (int i = 0; i < n; i++) {
		char *child;
		if (asprintf(&child, "%s%s%s", path, root_slash ? "" : "/",
			     names[i]->d_name) >= 0) {
			visit(w, child, 0);
			free(child);
		}
		free(names[i]);
	}
	free(names);
}

/* path is canonical but for its last name, which may be a link. */
static void
visit(walker *w, const char *path, int via_link)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		w->on_error(path, strerror(errno), w->arg);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		char *target = realpath(path, NULL);
		if (!target) {
			w->on_error(path, strerror(errno), w->arg);
			return;
		}
		visit(w, target, 1);
		free(target);
		return;
	}
	int fresh = seen_add(&w->seen, file_key(st.st_dev, st.st_ino));
	if (fresh < 0) {
		w->on_error(path, _("out of memory"), w->arg);
		return;
	}
	if (!fresh)
		return; /* reached before, through a link or another PATH */
	if (S_ISREG(st.st_mode)) {
		for (int r = w->current; r >= 0; r = w->roots[r].parent)
			w->roots[r].files++;
		w->on_file(path, &st, w->arg);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return; /* fifos, sockets, devices: not documents */
	if (!via_link) {
		list_folder(w, path);
		return;
	}
	/* A folder reached through a link is a root of its own: what it held
	 * lives under its own name. */
	int outer = w->current, r = add_root(w, path, -1);
	if (r < 0) {
		w->on_error(path, _("out of memory"), w->arg);
		return;
	}
	w->current = r;
	list_folder(w, path);
	w->current = outer;
}

int
walker_run(walker *w, const char *root, int path_arg)
{
	char *canonical = realpath(root, NULL);
	if (!canonical) {
		w->on_error(root, strerror(errno), w->arg);
		return -1;
	}
	int r = add_root(w, canonical, path_arg);
	if (r < 0) {
		w->on_error(root, _("out of memory"), w->arg);
		free(canonical);
		return -1;
	}
	struct stat st;
	if (stat(canonical, &st) == 0 &&
	    seen_has(&w->seen, file_key(st.st_dev, st.st_ino)))
		w->roots[r].reached_before = 1; /* its files were counted there */
	w->current = r;
	visit(w, canonical, 0);
	w->current = -1;
	free(canonical);
	return 0;
}
