/*
 * watch.c: pvd-index --watch.  After the first run, the main thread
 * follows the PATHs with inotify, one watch per folder, and keeps the
 * writer (and its lock) open.  An event only names a path to look at
 * again; once the events stop for a moment (a burst has ended), each path
 * is settled from what is on disk now: a file is indexed (or left alone
 * when its stamp has not changed), a folder is walked, a path that is gone
 * loses its documents, and the burst is committed once.  A file is looked
 * at when it is closed after writing or moved in, never while it is being
 * written.  What inotify cannot tell (an overflowing queue, folders past
 * the kernel's watch limit, a PATH that comes back) is caught by a new
 * walk of every PATH, as the first run did (run_pass()).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define QUIET_MS 300	 /* a burst has ended after this long without an event */
#define LONGEST_S 10.0	 /* a burst that never ends is committed this often */
#define BATCH_PATHS 1000 /* paths held before they are settled: bounded memory */
#define RESCAN_S 60.0	 /* folders past the watch limit are walked this often */

#define FOLDER_EVENTS                                                                    \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |          \
	 IN_DELETE_SELF | IN_MOVE_SELF)

typedef struct watched {
	char *path; /* canonical */
	int whole;  /* every name in it; else only the PATHs that are files in it */
} watched;

typedef struct root {
	const char *given; /* as on the command line */
	char *path;	   /* canonical, or NULL while it cannot be reached */
	int wd;		   /* its folder's watch, or -1 */
	int is_dir;
	int said_gone, said_empty;
} root;

typedef struct watcher {
	run *r;
	int fd, sfd;
	watched *wds; /* by watch descriptor */
	size_t cap_wds, n_watched;
	root *roots;
	size_t n_roots;
	char **pending; /* paths to settle, each once */
	size_t n_pending;
	seen_set pending_set;
	seen_set settled; /* files settled in this batch: a folder and a file in
			     it may both be pending */
	detector *det;
	int overflow, limit_said, unwatched, rescan;
	double first_event, last_event, last_rescan;
	counts shown; /* counts at the last burst line */
} watcher;

static char *
join(const char *dir, const char *name)
{
	char *s;
	if (asprintf(&s, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name) < 0)
		return NULL;
	return s;
}

/* ---- watches ----------------------------------------------------------------- */

static void
limit_reached(watcher *w, const char *dir)
{
	w->unwatched = 1;
	if (w->limit_said)
		return;
	w->limit_said = 1;
	/* the limit in force: the user namespace's (a container's), which is
	 * fs.inotify.max_user_watches outside any */
	long max = -1;
	FILE *f = fopen("/proc/sys/user/max_inotify_watches", "re");
	if (!f)
		f = fopen("/proc/sys/fs/inotify/max_user_watches", "re");
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = -1;
		fclose(f);
	}
	fprintf(
	    stderr,
	    _("pvd-index: %s: cannot watch this folder: the kernel's limit of inotify "
	      "watches "
	      "(fs.inotify.max_user_watches = %ld) is reached; raise it, e.g. "
	      "`sysctl fs.inotify.max_user_watches=524288` (and in /etc/sysctl.d/ to "
	      "keep it); "
	      "meanwhile the folders not watched are walked again every %.0f s\n"),
	    dir, max, RESCAN_S);
}

/* Watch one folder; its descriptor, or -1. */
static int
watch_one(watcher *w, const char *dir, int whole)
{
	int wd =
	    inotify_add_watch(w->fd, dir, FOLDER_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW);
	if (wd < 0) {
		if (errno == ENOSPC)
			limit_reached(w, dir);
		return -1;
	}
	if ((size_t)wd >= w->cap_wds) {
		size_t cap = w->cap_wds ? w->cap_wds : 256;
		while (cap <= (size_t)wd)
			cap *= 2;
		watched *v = realloc(w->wds, cap * sizeof *v);
		if (!v) {
			inotify_rm_watch(w->fd, wd);
			return -1;
		}
		memset(v + w->cap_wds, 0, (cap - w->cap_wds) * sizeof *v);
		w->wds = v;
		w->cap_wds = cap;
	}
	watched *e = &w->wds[wd];
	if (e->path && !strcmp(e->path, dir)) {
		e->whole |= whole;
		return wd;
	}
	char *copy = strdup(dir);
	if (!copy) {
		inotify_rm_watch(w->fd, wd);
		return -1;
	}
	if (e->path)
		free(e->path);
	else
		w->n_watched++;
	e->path = copy;
	e->whole = whole;
	return wd;
}

static void
forget(watcher *w, int wd)
{
	if (wd < 0 || (size_t)wd >= w->cap_wds || !w->wds[wd].path)
		return;
	free(w->wds[wd].path);
	w->wds[wd].path = NULL;
	w->n_watched--;
	for (size_t i = 0; i < w->n_roots; i++)
		if (w->roots[i].wd == wd)
			w->roots[i].wd = -1;
}

/* A folder moved out, or a PATH moved away: its watches would go on
 * naming it by its old name. */
static void
unwatch_under(watcher *w, const char *dir)
{
	for (size_t wd = 0; wd < w->cap_wds; wd++)
		if (w->wds[wd].path && path_under(w->wds[wd].path, dir)) {
			inotify_rm_watch(w->fd, (int)wd);
			forget(w, (int)wd);
		}
}

static int
hidden(const char *name)
{
	return name[0] == '.'; /* as the walk: .git, editors' files */
}

/* Watch dir and every folder under it (not through links: a folder
 * reached through a link is a root of its own). */
static int
watch_tree(watcher *w, const char *dir)
{
	int wd = watch_one(w, dir, 1);
	if (wd < 0)
		return -1;
	DIR *d = opendir(dir);
	if (!d)
		return wd;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (hidden(e->d_name))
			continue;
		int is_dir = e->d_type == DT_DIR;
		char *child = join(dir, e->d_name);
		if (!child)
			continue;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = lstat(child, &st) == 0 && S_ISDIR(st.st_mode);
		}
		if (is_dir)
			watch_tree(w, child);
		free(child);
	}
	closedir(d);
	return wd;
}

/* Watch a PATH: a folder and what is under it, or a file's folder for
 * that name alone.  0 when it is watched. */
static int
watch_root(watcher *w, root *rt)
{
	struct stat st;
	if (!rt->path || stat(rt->path, &st) != 0)
		return -1;
	rt->is_dir = S_ISDIR(st.st_mode);
	if (rt->is_dir) {
		rt->wd = watch_tree(w, rt->path);
		return rt->wd < 0 ? -1 : 0;
	}
	char *dir = strdup(rt->path);
	if (!dir)
		return -1;
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	rt->wd = watch_one(w, dir, 0);
	free(dir);
	return rt->wd < 0 ? -1 : 0;
}

static int
add_root(watcher *w, const char *given, const char *canonical)
{
	root *v = realloc(w->roots, (w->n_roots + 1) * sizeof *v);
	if (!v)
		return -1;
	w->roots = v;
	root *rt = &v[w->n_roots];
	memset(rt, 0, sizeof *rt);
	rt->given = given;
	rt->wd = -1;
	if (canonical && !(rt->path = strdup(canonical)))
		return -1;
	w->n_roots++;
	return 0;
}

/* The PATHs, and the folders the first run reached through links. */
static int
collect_roots(watcher *w)
{
	for (int i = 0; i < w->r->n_paths; i++) {
		char *c = realpath(w->r->paths[i], NULL);
		int bad = add_root(w, w->r->paths[i], c);
		free(c);
		if (bad)
			return -1;
	}
	const walk_root *wr;
	size_t n = walker_roots(w->r->walk, &wr);
	for (size_t i = 0; i < n; i++)
		if (wr[i].path_arg < 0 && add_root(w, wr[i].path, wr[i].path))
			return -1;
	return 0;
}

/* ---- what a burst leaves to settle ---------------------------------------------- */

static void settle_all(watcher *w);

static void
want(watcher *w, char *path)
{
	if (!path)
		return;
	int fresh = seen_add(&w->pending_set, seen_hash(path));
	char **v = fresh > 0 ? realloc(w->pending, (w->n_pending + 1) * sizeof *v) : NULL;
	if (!v) {
		if (fresh < 0)
			w->rescan = 1; /* out of memory: a walk will catch it */
		free(path);
		return;
	}
	w->pending = v;
	v[w->n_pending++] = path;
	if (w->n_pending >= BATCH_PATHS)
		settle_all(w); /* a long burst, in batches */
}

static int
is_root_file(const watcher *w, const char *path)
{
	for (size_t i = 0; i < w->n_roots; i++)
		if (w->roots[i].path && !w->roots[i].is_dir &&
		    !strcmp(w->roots[i].path, path))
			return 1;
	return 0;
}

static void
on_event(watcher *w, const struct inotify_event *ev)
{
	double t = run_now();
	if (ev->mask & IN_Q_OVERFLOW) {
		w->overflow = 1;
		return;
	}
	if (ev->mask & IN_IGNORED) {
		forget(w, ev->wd); /* deleted, or its file system unmounted */
		return;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= w->cap_wds || !w->wds[ev->wd].path)
		return;
	const watched *e = &w->wds[ev->wd];
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
		if (ev->mask & IN_MOVE_SELF) {
			/* a folder moved away under its old name: only a PATH's
			 * own folder is met here (others are dropped on IN_MOVED_FROM) */
			char *dir = strdup(e->path);
			if (dir) {
				unwatch_under(w, dir);
				want(w, dir);
			}
		}
		w->last_event = t;
		return;
	}
	if (!ev->len || hidden(ev->name))
		return;
	char *path = join(e->path, ev->name);
	if (!path || (!e->whole && !is_root_file(w, path))) {
		free(path);
		return;
	}
	if ((ev->mask & IN_CREATE) && !(ev->mask & IN_ISDIR)) {
		/* a file is looked at once closed; a link is complete at once */
		struct stat st;
		if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode)) {
			free(path);
			return;
		}
	}
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			watch_tree(w, path); /* before its files are written */
		else if (ev->mask & IN_MOVED_FROM)
			unwatch_under(w, path);
	}
	if (!w->n_pending)
		w->first_event = t;
	w->last_event = t;
	want(w, path);
}

/* ---- settling a path --------------------------------------------------------- */

static void
settle_file(const char *path, const struct stat *st, void *arg)
{
	watcher *w = arg;
	run *r = w->r;
	if (seen_add(&w->settled, seen_hash(path)) == 0)
		return;
	task *t = task_new(path, st);
	if (!t || !(t->stamp = make_stamp(st))) {
		task_free(t);
		return;
	}
	char *old = NULL;
	if (r->reader && pvd_index_stamp(r->reader, path, &old) == PVD_OK) {
		t->known = 1;
		if (!strcmp(old, t->stamp)) {
			free(old);
			task_free(t); /* already indexed as it is */
			return;
		}
	}
	free(old);
	if (w->det)
		process_file(w->det, t);
	else {
		t->out = OUT_FAILED;
		t->reason = strdup(_("libmagic cannot start"));
	}
	run_write(r, t);
	task_free(t);
}

static void
settle_error(const char *path, const char *reason, void *arg)
{
	(void)arg;
	if (!strcmp(reason, strerror(ENOENT)))
		return; /* gone again before its turn: its deletion is settled too */
	fprintf(stderr, "pvd-index: %s: %s\n", path, reason);
}

/* Whether dir (or what it names) holds a regular file, hidden ones aside. */
static int
holds_a_file(const char *path, int depth)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return 1;
	if (!S_ISDIR(st.st_mode) || depth > 64)
		return 0;
	DIR *d = opendir(path);
	if (!d)
		return 1; /* cannot tell: not an empty folder to act on */
	int found = 0;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (hidden(e->d_name))
			continue;
		char *child = join(path, e->d_name);
		found = child && holds_a_file(child, depth + 1);
		free(child);
	}
	closedir(d);
	return found;
}

static root *
root_of(watcher *w, const char *path)
{
	root *best = NULL;
	for (size_t i = 0; i < w->n_roots; i++) {
		root *rt = &w->roots[i];
		if (rt->path && path_under(path, rt->path) &&
		    (!best || strlen(rt->path) > strlen(best->path)))
			best = rt;
	}
	return best;
}

typedef struct doc_list {
	char **v;
	size_t n, cap;
} doc_list;

static void
collect(const char *path, void *arg)
{
	doc_list *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	if ((l->v[l->n] = strdup(path)))
		l->n++;
}

/* A path that is gone: its documents go, unless its PATH is gone or holds
 * no file any more (an unmounted share, not a folder emptied on purpose). */
static void
settle_gone(watcher *w, const char *path)
{
	run *r = w->r;
	doc_list docs = {NULL, 0, 0};
	if (pvd_writer_each_path(r->w, path, collect, &docs) == PVD_OK && docs.n) {
		root *rt = root_of(w, path);
		if (rt && !r->allow_empty && !holds_a_file(rt->path, 0)) {
			if (!rt->said_empty)
				fprintf(
				    stderr,
				    _("pvd-index: %s: no file found here any more, but "
				      "the index "
				      "holds documents under it (an unmounted share?): "
				      "none "
				      "deleted; run pvd-index --allow-empty to delete "
				      "them\n"),
				    rt->given);
			rt->said_empty = 1;
		} else {
			for (size_t i = 0; i < docs.n && !r->fatal; i++)
				run_delete(r, docs.v[i]);
		}
	}
	for (size_t i = 0; i < docs.n; i++)
		free(docs.v[i]);
	free(docs.v);
}

static void
settle(watcher *w, const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			settle_gone(w, path);
		return;
	}
	root *rt = root_of(w, path);
	if (rt && holds_a_file(path, 0))
		rt->said_empty = 0;
	walker *wk = walker_new(settle_file, settle_error, w);
	if (!wk)
		return;
	walker_run(wk, path, -1);
	walker_free(wk);
}

static void
burst_line(watcher *w)
{
	run *r = w->r;
	counts *s = &w->shown, *c = &r->c;
	if (!r->quiet && (c->added != s->added || c->updated != s->updated ||
			  c->deleted != s->deleted || c->failed != s->failed ||
			  c->skipped != s->skipped))
		fprintf(
		    stderr,
		    _("pvd-index: %s: %lu added, %lu updated, %lu deleted, %lu skipped, "
		      "%lu failed\n"),
		    r->db, c->added - s->added, c->updated - s->updated,
		    c->deleted - s->deleted, c->skipped - s->skipped,
		    c->failed - s->failed);
	*s = *c;
	if (r->report)
		fflush(r->report);
}

static void
commit(watcher *w)
{
	run_commit(w->r);
	if (w->r->reader)
		pvd_index_refresh(w->r->reader); /* the stamps just written */
}

static void
settle_all(watcher *w)
{
	char **v = w->pending;
	size_t n = w->n_pending;
	w->pending = NULL;
	w->n_pending = 0;
	seen_clear(&w->pending_set);
	seen_clear(&w->settled);
	for (size_t i = 0; i < n; i++) {
		if (!w->r->fatal)
			settle(w, v[i]);
		free(v[i]);
	}
	free(v);
}

/* ---- walks: a queue overflow, the watch limit, a PATH back --------------- */

static void
rescan(watcher *w)
{
	settle_all(w);
	commit(w);
	/* watched again: a folder still past the kernel's limit sets it anew
	 * (limit_reached()), so that the walks go on */
	w->unwatched = 0;
	for (size_t i = 0; i < w->n_roots; i++)
		watch_root(w, &w->roots[i]);
	for (size_t i = 0; i < w->n_roots; i++)
		if (w->roots[i].path && w->roots[i].wd < 0)
			w->unwatched = 1;
	run_pass(w->r);
	commit(w);
	w->last_rescan = run_now();
	w->overflow = w->rescan = 0;
}

/* Each second: a PATH gone or back. */
static void
check_roots(watcher *w)
{
	for (size_t i = 0; i < w->n_roots; i++) {
		root *rt = &w->roots[i];
		if (rt->wd >= 0)
			continue;
		if (!rt->path && !(rt->path = realpath(rt->given, NULL)))
			continue;
		struct stat st;
		if (stat(rt->path, &st) != 0) {
			if (!rt->said_gone)
				fprintf(stderr,
					_("pvd-index: %s: gone; nothing under it is "
					  "deleted, and it is "
					  "followed again when it comes back\n"),
					rt->given);
			rt->said_gone = 1;
			continue;
		}
		if (watch_root(w, rt) == 0) {
			if (rt->said_gone)
				fprintf(stderr, _("pvd-index: %s: back, walked again\n"),
					rt->given);
			rt->said_gone = 0;
			w->rescan = 1;
		}
	}
}

/* ---- the loop ---------------------------------------------------------------- */

static int
start(watcher *w)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0 ||
	    (w->sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    (w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
		fprintf(stderr, _("pvd-index: --watch: cannot start: %s\n"),
			strerror(errno));
		return -1;
	}
	char *err = NULL;
	w->det = detector_new(&err);
	if (!w->det)
		fprintf(stderr, _("pvd-index: --watch: %s\n"),
			err ? err : _("libmagic cannot start"));
	free(err);
	if (collect_roots(w) != 0) {
		fprintf(stderr, _("pvd-index: --watch: out of memory\n"));
		return -1;
	}
	for (size_t i = 0; i < w->n_roots; i++)
		if (watch_root(w, &w->roots[i]) != 0 && w->roots[i].path &&
		    !w->limit_said)
			fprintf(stderr, _("pvd-index: %s: cannot watch: %s\n"),
				w->roots[i].given, strerror(errno));
	check_roots(w);
	w->rescan = 0; /* the first run has just walked them */
	w->last_rescan = run_now();
	if (!w->r->quiet)
		fprintf(stderr,
			ngettext("pvd-index: %s: watching %zu folder for changes\n",
				 "pvd-index: %s: watching %zu folders for changes\n",
				 w->n_watched),
			w->r->db, w->n_watched);
	return 0;
}

static void
read_events(watcher *w)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n <= 0)
			return;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			on_event(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
}

void
watch_follow(run *r)
{
	watcher w = {0};
	w.r = r;
	w.fd = w.sfd = -1;
	w.shown = r->c;
	if (start(&w) == 0) {
		double last_check = run_now();
		while (!r->fatal) {
			int timeout = w.n_pending ? QUIET_MS : 1000;
			struct pollfd fds[2] = {{w.sfd, POLLIN, 0}, {w.fd, POLLIN, 0}};
			int n = poll(fds, 2, timeout);
			if (n < 0 && errno != EINTR)
				break;
			if (n > 0 && (fds[0].revents & POLLIN))
				break; /* SIGTERM or SIGINT */
			if (n > 0 && (fds[1].revents & POLLIN))
				read_events(&w);
			double t = run_now();
			if (w.n_pending && (t - w.last_event >= QUIET_MS / 1000.0 ||
					    t - w.first_event >= LONGEST_S)) {
				settle_all(&w); /* the burst has ended: one commit */
				commit(&w);
				burst_line(&w);
			}
			if (t - last_check >= 1.0) {
				check_roots(&w);
				last_check = t;
			}
			if (w.overflow && !r->quiet)
				fprintf(
				    stderr,
				    _("pvd-index: %s: too many changes at once for the "
				      "kernel's event queue: walking every PATH again\n"),
				    r->db);
			if (w.overflow || w.rescan ||
			    (w.unwatched && t - w.last_rescan >= RESCAN_S)) {
				rescan(&w);
				burst_line(&w);
			}
		}
	}
	/* stopping: the events already queued (a file closed just before the
	 * signal) and what is pending are settled and committed, the lock
	 * held until the writer closes */
	if (w.fd >= 0)
		read_events(&w);
	settle_all(&w);
	commit(&w);
	burst_line(&w);
	detector_free(w.det);
	for (size_t i = 0; i < w.cap_wds; i++)
		free(w.wds[i].path);
	free(w.wds);
	for (size_t i = 0; i < w.n_roots; i++)
		free(w.roots[i].path);
	free(w.roots);
	seen_clear(&w.pending_set);
	seen_clear(&w.settled);
	if (w.fd >= 0)
		close(w.fd);
	if (w.sfd >= 0)
		close(w.sfd);
}
