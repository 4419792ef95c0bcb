/*
 * walk.c: reaching every file under the PATHs given, in name order.  Links
 * are followed, but each folder and file is visited once, by device and
 * inode, so a link loop or a link to a parent folder ends at once.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"

typedef struct seen_set {
	struct {
		dev_t dev;
		ino_t ino;
	} *v;
	size_t n, cap; /* open addressing; cap is a power of two */
} seen_set;

struct walker {
	walk_file_fn on_file;
	walk_error_fn on_error;
	void *arg;
	seen_set seen;
};

static size_t
slot_of(dev_t dev, ino_t ino, size_t cap)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dev;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Adds (dev, ino); returns 1 when it was new, 0 when seen, -1 on ENOMEM. */
static int
seen_add(seen_set *s, dev_t dev, ino_t ino)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		seen_set bigger = {calloc(cap, sizeof *s->v), 0, cap};
		if (!bigger.v)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i].ino || s->v[i].dev)
				seen_add(&bigger, s->v[i].dev, s->v[i].ino);
		free(s->v);
		*s = bigger;
	}
	size_t i = slot_of(dev, ino, s->cap);
	while (s->v[i].ino || s->v[i].dev) {
		if (s->v[i].ino == ino && s->v[i].dev == dev)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i].dev = dev;
	s->v[i].ino = ino;
	s->n++;
	return 1;
}

walker *
walker_new(walk_file_fn on_file, walk_error_fn on_error, void *arg)
{
	walker *w = calloc(1, sizeof *w);
	if (w) {
		w->on_file = on_file;
		w->on_error = on_error;
		w->arg = arg;
	}
	return w;
}

void
walker_free(walker *w)
{
	if (w)
		free(w->seen.v);
	free(w);
}

static int
visible(const struct dirent *d)
{
	/* Hidden entries (.git, .cache, editor files) are not documents. */
	return d->d_name[0] != '.';
}

static void
visit(walker *w, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		w->on_error(path, strerror(errno), w->arg);
		return;
	}
	int fresh = seen_add(&w->seen, st.st_dev, st.st_ino);
	if (fresh < 0) {
		w->on_error(path, "out of memory", w->arg);
		return;
	}
	if (!fresh)
		return; /* reached before, through a link or another PATH */
	if (S_ISREG(st.st_mode)) {
		w->on_file(path, &st, w->arg);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return; /* fifos, sockets, devices: not documents */

	struct dirent **names;
	int n = scandir(path, &names, visible, alphasort);
	if (n < 0) {
		w->on_error(path, strerror(errno), w->arg);
		return;
	}
	size_t plen = strlen(path);
	int root_slash = plen > 0 && path[plen - 1] == '/';
	for (int i = 0; i < n; i++) {
		char *child;
		if (asprintf(&child, "%s%s%s", path, root_slash ? "" : "/", names[i]->d_name) >= 0) {
			visit(w, child);
			free(child);
		}
		free(names[i]);
	}
	free(names);
}

void
walker_run(walker *w, const char *root)
{
	/* "corpus/" and "corpus" name the same documents: corpus/x.md. */
	size_t len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		len--;
	char *clean = strndup(root, len);
	if (!clean) {
		w->on_error(root, "out of memory", w->arg);
		return;
	}
	visit(w, clean);
	free(clean);
}
