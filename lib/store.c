/*
 * store.c: the folder an index lives in, and the writer's lock on it.
 *
 *   DIR/XAPIANDB   a Xapian stub file: "auto gen-N", the live generation
 *   DIR/gen-N/     the live glass database
 *   DIR/lock       held with flock() by the one writer, holding its pid
 *
 * Readers open DIR and Xapian follows the stub.  A rebuild writes gen-N+1
 * beside the live one and publishes it by renaming a new stub over the
 * old: a reader sees the old index or the new, never a half-built one.
 * flock() dies with its process, so a killed writer leaves no stale lock.
 * Readers ask here (pvdi_stub_*) what the stub says and when it changed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pvd-private.h"

#define STUB "XAPIANDB"

static int fail(char **msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(char **msg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (msg && vasprintf(msg, fmt, ap) < 0)
		*msg = NULL;
	va_end(ap);
	return -1;
}

static int
mkdirs(const char *dir)
{
	char *p = strdup(dir);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return rc;
}

static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
pvdi_remove_tree(const char *path)
{
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The generation number a stub names, or 0. */
static unsigned
read_stub(const char *dir)
{
	char path[4096], line[256];
	unsigned gen = 0;
	snprintf(path, sizeof path, "%s/%s", dir, STUB);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(line, sizeof line, f) && sscanf(line, "auto gen-%u", &gen) != 1)
		gen = 0;
	fclose(f);
	return gen;
}

static int
exists(const char *dir, const char *name)
{
	char path[4096];
	struct stat sb;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &sb) == 0;
}

/* Whether dir holds nothing but our lock. */
static int
empty_but_lock(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;
	if (!d)
		return 0;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
			!strcmp(e->d_name, "lock");
	closedir(d);
	return empty;
}

/* The highest gen-N in dir, and removal of every gen-N but keep. */
static unsigned
sweep_generations(const char *dir, unsigned keep, int remove_others)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned max = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		unsigned n;
		char tail;
		if (sscanf(e->d_name, "gen-%u%c", &n, &tail) != 1)
			continue;
		if (n > max)
			max = n;
		if (remove_others && n != keep) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			pvdi_remove_tree(path);
		}
	}
	closedir(d);
	return max;
}

static int
take_lock(pvdi_store *st, char **msg)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/lock", st->dir);
	st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (st->lock_fd < 0)
		return fail(msg, _("cannot open the lock %s: %s"), path, strerror(errno));
	if (flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno; /* pread() and close() below may change errno */
		char pid[32] = "";
		ssize_t n = pread(st->lock_fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(st->lock_fd);
		st->lock_fd = -1;
		if (e != EWOULDBLOCK)
			return fail(msg, _("cannot lock %s: %s"), path, strerror(e));
		char who[64];
		snprintf(who, sizeof who, "%s%s", *pid ? "pid " : "",
			 *pid ? pid : "unknown pid");
		fail(msg, _("index is locked by another pvd-index (%s, lock %s)"), who,
		     path);
		return -2;
	}
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(st->lock_fd, 0) != 0 ||
	    pwrite(st->lock_fd, pid, (size_t)n, 0) != n) {
		/* the pid is a courtesy for the message above: go on without it */
	}
	return 0;
}

pvd_status
pvdi_store_open(pvdi_store *st, const char *dir, int rebuild, char **msg)
{
	memset(st, 0, sizeof *st);
	st->lock_fd = -1;
	st->rebuild = rebuild;
	if (msg)
		*msg = NULL;
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (!(st->dir = strndup(dir, len)))
		return PVD_ENOMEM;
	if (mkdirs(st->dir) != 0) {
		int e = errno; /* ENOMEM when mkdirs() could not copy the name */
		fail(msg, _("cannot create %s: %s"), st->dir, strerror(e));
		pvdi_store_close(st);
		return e == ENOMEM ? PVD_ENOMEM : PVD_EIO;
	}
	/* Never write into a folder of other files (a --db typo). */
	if (!exists(st->dir, STUB) && !exists(st->dir, "iamglass") &&
	    !empty_but_lock(st->dir)) {
		fail(msg,
		     _("%s holds files that are not a pvd index: give --db an empty or "
		       "new "
		       "folder"),
		     st->dir);
		pvdi_store_close(st);
		return PVD_EINVAL;
	}
	int lk = take_lock(st, msg);
	if (lk != 0) {
		pvdi_store_close(st);
		return lk == -2 ? PVD_ELOCKED : PVD_EIO;
	}

	unsigned live = read_stub(st->dir);
	if (!live && exists(st->dir, "iamglass")) {
		/* an index made before generations: written in place */
		if (rebuild) {
			fail(
			    msg,
			    "%s is a plain Xapian database: rebuild it into a new folder",
			    st->dir);
			pvdi_store_close(st);
			return PVD_EINVAL;
		}
		st->live = strdup(st->dir);
		st->target = strdup(st->dir);
		if (st->live && st->target)
			return PVD_OK;
		pvdi_store_close(st); /* the lock goes too */
		return PVD_ENOMEM;
	}
	if (!live && exists(st->dir, STUB)) {
		fail(msg, _("%s/XAPIANDB is not a stub that pvd wrote"), st->dir);
		pvdi_store_close(st);
		return PVD_ECORRUPT;
	}
	/* Leftovers of a rebuild that was killed go first. */
	unsigned max = sweep_generations(st->dir, live, 1);
	unsigned gen = live && !rebuild ? live : (max > live ? max : live) + 1;
	st->publish = !live || rebuild;
	st->old_gen = rebuild ? live : 0;
	if (asprintf(&st->target, "%s/gen-%u", st->dir, gen) < 0) {
		st->target = NULL;
		pvdi_store_close(st);
		return PVD_ENOMEM;
	}
	st->gen = gen;
	return PVD_OK;
}

pvd_status
pvdi_store_publish(pvdi_store *st, char **msg)
{
	char tmp[4096], path[4096], line[64];
	if (!st->publish)
		return PVD_OK;
	snprintf(tmp, sizeof tmp, "%s/%s.tmp", st->dir, STUB);
	snprintf(path, sizeof path, "%s/%s", st->dir, STUB);
	int n = snprintf(line, sizeof line, "auto gen-%u\n", st->gen);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || write(fd, line, (size_t)n) != n || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		fail(msg, _("cannot write %s: %s"), tmp, strerror(e));
		return PVD_EIO;
	}
	close(fd);
	/* The switch: one rename, atomic for every reader. */
	if (rename(tmp, path) != 0) {
		fail(msg, _("cannot replace %s: %s"), path, strerror(errno));
		return PVD_EIO;
	}
	int dfd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	st->publish = 0;
	/* Readers that still have the old generation open keep reading it:
	 * its files go when they close them. */
	if (st->old_gen) {
		char old[4096];
		snprintf(old, sizeof old, "%s/gen-%u", st->dir, st->old_gen);
		pvdi_remove_tree(old);
		st->old_gen = 0;
	}
	return PVD_OK;
}

void
pvdi_store_close(pvdi_store *st)
{
	/* A rebuild never published is thrown away. */
	if (st->rebuild && st->publish && st->target)
		pvdi_remove_tree(st->target);
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	free(st->dir);
	free(st->live);
	free(st->target);
	memset(st, 0, sizeof *st);
	st->lock_fd = -1;
}

/* ---- What readers need of the folder --------------------------------- */

void
pvdi_stub_read(char *out, size_t cap, const char *dir)
{
	char path[4096];
	size_t n = 0;
	snprintf(path, sizeof path, "%s/%s", dir, STUB);
	FILE *f = fopen(path, "re");
	if (f) {
		n = fread(out, 1, cap - 1, f);
		fclose(f);
	}
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
}

void
pvdi_stub_stat(struct stat *out, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, STUB);
	if (stat(path, out) != 0)
		memset(out, 0, sizeof *out);
}

const char *
pvdi_stub_gen(const char *stub)
{
	const char *sp = strchr(stub, ' ');
	return sp ? sp + 1 : stub;
}

void
pvdi_gen_stat(struct stat *out, const char *dir, const char *gen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s/iamglass", dir, gen);
	if (stat(path, out) != 0)
		memset(out, 0, sizeof *out);
}

int64_t
pvdi_gen_changed(const char *dir, const char *gen)
{
	struct stat sb;
	pvdi_gen_stat(&sb, dir, gen);
	return (int64_t)sb.st_mtime;
}

/* ---- Generations: the next one, the switch ------------------------------ */

char *
pvdi_store_next_target(const pvdi_store *st, unsigned *gen)
{
	char *path;
	if (st->live || !st->gen)
		return NULL; /* a pre-generation index is written in place */
	*gen = st->gen + 1;
	if (asprintf(&path, "%s/gen-%u", st->dir, *gen) < 0)
		return NULL;
	return path;
}

pvd_status
pvdi_store_switch(pvdi_store *st, unsigned gen, char **msg)
{
	char *target, *loose = st->target;
	if (asprintf(&target, "%s/gen-%u", st->dir, gen) < 0)
		return PVD_ENOMEM;
	/* Before a rebuild is published, the live generation is the one it
	 * replaces; after, the loose copy is. */
	unsigned was_gen = st->gen, was_old = st->old_gen;
	int was_publish = st->publish;
	st->old_gen = st->publish ? st->old_gen : st->gen;
	st->gen = gen;
	st->target = target;
	st->publish = 1;
	pvd_status s = pvdi_store_publish(st, msg);
	if (s != PVD_OK) {
		pvdi_remove_tree(target);
		free(target);
		st->target = loose;
		st->gen = was_gen;
		st->old_gen = was_old;
		st->publish = was_publish;
		return s;
	}
	if (was_publish)
		pvdi_remove_tree(loose); /* the rebuild's loose copy, never published */
	free(loose);
	return PVD_OK;
}

uint64_t
pvdi_dir_bytes(const char *path)
{
	/* a glass database is one flat folder */
	DIR *d = opendir(path);
	struct dirent *e;
	uint64_t sum = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		struct stat sb;
		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(sb.st_mode))
			sum += (uint64_t)sb.st_blocks * 512;
	}
	closedir(d);
	return sum;
}
