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
#include "seen.h"

struct walker {
	walk_file_fn on_file;
	walk_error_fn on_error;
	void *arg;
	seen_set seen; /* folders and files met, by device and inode */
};

/* One key for a (device, inode) pair. */
static uint64_t
file_key(dev_t dev, ino_t ino)
{
	return (uint64_t)ino * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)dev << 17 | (uint64_t)dev >> 47);
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
		seen_clear(&w->seen);
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
	int fresh = seen_add(&w->seen, file_key(st.st_dev, st.st_ino));
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
