/*
 * main.c: pvd-index.  Three kinds of threads, joined by bounded queues:
 *
 *   walker  →  tasks  →  N workers  →  results  →  main (the one writer)
 *
 * The walker reaches every file under the PATHs, and in an incremental run
 * passes files whose stamp has not changed straight through; the workers
 * read, extract and analyse (the costly part, on every core); the main
 * thread writes to Xapian, commits in batches, reports and shows progress.
 * Then it deletes what disappeared from the PATHs (sweep.c), and finishes
 * (for --full, the atomic switch to the new index).  Every path is the
 * file's canonical one (walk.c): one file, one document.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "pipeline.h"
#include "progress.h"
#include "queue.h"
#include "run.h"
#include "seen.h"

/* Commit after this many documents or bytes of prepared documents, so
 * that a killed run keeps most of its work, and the changes Xapian holds
 * in memory until a commit stay bounded.  Into an empty index (a new one,
 * --full) smaller batches cost less CPU: Xapian's maps of a batch's terms
 * stay small enough for the caches, and a commit only appends.  Into a
 * live index each commit rewrites the ends of the posting lists it
 * touches, so fewer, larger ones cost less (docs/PERFORMANCE.md, issue 16,
 * seventh pass). */
#define BATCH_DOCS 1000
#define BATCH_BYTES ((size_t)16 << 20)
#define FRESH_BATCH_DOCS 350
#define FRESH_BATCH_BYTES ((size_t)6 << 20)

static void
usage(FILE *to)
{
	fputs(_("usage: pvd-index [OPTION]... PATH...\n"), to);
}

/* --help: every option, what it does and its default. */
static void
help(void)
{
	usage(stdout);
	fputs(_("Index the documents under each PATH (files or folders), "
		"incrementally.\n"
		"\n"
		"  --db DIR           the index; default $PVD_DB, else\n"
		"                     $XDG_DATA_HOME/pvd/index\n"
		"  --full             rebuild from scratch, then switch to the new "
		"index\n"
		"                     at once (default: update in place)\n"
		"  --prune            also delete the documents whose file no longer\n"
		"                     exists, wherever they were indexed from\n"
		"  --watch            after the run, follow the PATHs and index "
		"changes\n"
		"                     as they happen, until SIGTERM or SIGINT\n"
		"  --allow-empty      let a PATH that is now empty delete the "
		"documents\n"
		"                     indexed under it (default: keep them, exit 2)\n"
		"  --type-dir NAME=TYPE  a folder named NAME holds documents of TYPE\n"
		"                     (article, catalogue or texte); repeatable\n"
		"  --jobs N           read files with N threads (default: one per "
		"core)\n"
		"  --report FILE      write one JSON line per failed or skipped file\n"
		"  -q, --quiet        no progress, no summary\n"
		"  -h, --help         show this help and exit\n"
		"  --version          show the version and exit\n"
		"\n"
		"Exit status: 0 every file indexed or skipped on purpose, 1 some files\n"
		"failed (the rest is committed), 2 usage error or nothing could be "
		"done.\n"),
	      stdout);
}

/* A path fit for one line of a terminal: control characters and bytes
 * that are not UTF-8 written as \n, \t, \xNN or \u00NN. */
static char *
printable(const char *s)
{
	return utf8_escape_controls(s, 1);
}

/* A JSON string of s: printable()'s text with '"' and '\\' escaped, so a
 * byte that is not UTF-8 is written \\xNN (the text \xNN) and the line
 * stays valid JSON. */
static void
json_string(FILE *f, const char *s)
{
	char *p = printable(s);
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)(p ? p : ""); *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
	free(p);
}

/* A path as a JSON string: as pvd-search shows it (a name that is not
 * UTF-8 read as Windows-1252), control characters escaped. */
static void
json_path(FILE *f, const char *path)
{
	char *shown = pvd_path_display(path);
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)(shown ? shown : "?"); *c;
	     c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
	free(shown);
}

static void
report(run *r, const char *path, const char *status, const char *reason)
{
	if (!r->report)
		return;
	fputs("{\"path\":", r->report);
	json_path(r->report, path);
	if (!utf8_valid(path, strlen(path))) {
		/* as in a hit: the real bytes, to open the file */
		char *bytes = pvd_path_bytes(path);
		fprintf(r->report, ",\"path_bytes\":\"%s\"", bytes ? bytes : "");
		free(bytes);
	}
	fprintf(r->report, ",\"status\":\"%s\",\"reason\":", status);
	json_string(r->report, reason);
	fputs("}\n", r->report);
}

static void
say(const char *path, const char *what, const char *reason)
{
	char *p = printable(path);
	fprintf(stderr, "pvd-index: %s: %s%s\n", p ? p : "?", what, reason);
	free(p);
}

/* ---- the walker thread ---------------------------------------------------- */

static void
on_error(const char *path, const char *reason, void *arg)
{
	run *r = arg;
	task *t = task_new(path, NULL);
	if (!t)
		return;
	t->out = OUT_FAILED;
	t->reason = strdup(reason);
	t->unchanged = -1; /* already decided: workers pass it on */
	seen_add(&r->seen_paths, seen_hash(path));
	atomic_fetch_add(&r->found, 1);
	queue_push(&r->tasks, t);
}

static void
on_file(const char *path, const struct stat *st, void *arg)
{
	run *r = arg;
	task *t = task_new(path, st);
	if (!t || !(t->stamp = make_stamp(st))) {
		task_free(t);
		on_error(path, "out of memory", arg);
		return;
	}
	seen_add(&r->seen_paths, seen_hash(path));
	if (r->reader) {
		char *old = NULL;
		pvd_status s = pvd_index_stamp(r->reader, path, &old);
		t->known = s == PVD_OK;
		/* --full reads every file again: the stamp only tells added from updated
		 */
		t->unchanged = s == PVD_OK && !r->rebuild && !strcmp(old, t->stamp);
		free(old);
	}
	atomic_fetch_add(&r->found, 1);
	queue_push(&r->tasks, t);
}

static void *
walker_main(void *arg)
{
	run *r = arg;
	for (int i = 0; i < r->n_paths; i++)
		if (walker_run(r->walk, r->paths[i], i) != 0)
			r->missing = 1;
	atomic_store(&r->walk_done, 1);
	for (int i = 0; i < r->jobs; i++) {
		task *end = task_new(NULL, NULL);
		while (!end) {
			/* the workers must learn the end: retry until memory comes */
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
			end = task_new(NULL, NULL);
		}
		end->end = 1;
		queue_push(&r->tasks, end);
	}
	return NULL;
}

/* ---- the workers ---------------------------------------------------------- */

static void *
worker_main(void *arg)
{
	run *r = arg;
	char *err = NULL;
	detector *det = detector_new(&err);
	for (;;) {
		task *t = queue_pop(&r->tasks);
		if (t->end) {
			queue_push(&r->results, t);
			break;
		}
		if (t->unchanged == 1)
			t->out = OUT_UNCHANGED;
		else if (t->unchanged == 0 && det)
			process_file(det, t);
		else if (t->unchanged == 0) {
			t->out = OUT_FAILED;
			t->reason = strdup(err ? err : _("libmagic cannot start"));
		}
		queue_push(&r->results, t);
	}
	detector_free(det);
	free(err);
	return NULL;
}

/* ---- the writer (main thread) -------------------------------------------- */

static unsigned long
changes(const counts *c)
{
	return c->added + c->updated + c->deleted;
}

/* A rebuild's commits go to an index no reader sees yet: its changes
 * count once pvd_writer_finish() has switched to it. */
int
run_commit(run *r)
{
	if (!changes(&r->pending) || r->fatal)
		return r->fatal ? -1 : 0;
	if (pvd_writer_commit(r->w) != PVD_OK) {
		fprintf(stderr, _("pvd-index: %s: commit failed: %s\n"), r->db,
			pvd_writer_errmsg(r->w));
		r->fatal = r->commit_failed = 1;
		r->lost += changes(&r->pending);
		memset(&r->pending, 0, sizeof r->pending);
		return -1;
	}
	if (!r->rebuild) {
		r->c.added += r->pending.added;
		r->c.updated += r->pending.updated;
		r->c.deleted += r->pending.deleted;
		memset(&r->pending, 0, sizeof r->pending);
	}
	r->batch_bytes = 0;
	return 0;
}

/* Whether the changes pending make a batch to commit. */
static int
batch_full(const run *r)
{
	return changes(&r->pending) % (r->fresh ? FRESH_BATCH_DOCS : BATCH_DOCS) == 0 ||
	       r->batch_bytes >= (r->fresh ? FRESH_BATCH_BYTES : BATCH_BYTES);
}

void
run_delete(run *r, const char *path)
{
	if (r->fatal)
		return;
	if (pvd_writer_delete(r->w, path) != PVD_OK) {
		fprintf(stderr, _("pvd-index: %s: cannot delete a document: %s\n"), r->db,
			pvd_writer_errmsg(r->w));
		r->fatal = 1;
		return;
	}
	/* deleted once, even when two roots list it */
	seen_add(&r->seen_paths, seen_hash(path));
	r->pending.deleted++;
	if (batch_full(r))
		run_commit(r);
}

void
run_write(run *r, task *t)
{
	r->bytes_done += (uint64_t)t->st.st_size;
	if (t->warning)
		say(t->path, _("warning: "), t->warning);
	switch (t->out) {
	case OUT_UNCHANGED:
		r->c.unchanged++;
		return;
	case OUT_SKIPPED:
		r->c.skipped++;
		report(r, t->path, "skipped", t->reason ? t->reason : "?");
		return;
	case OUT_FAILED:
		r->c.failed++;
		say(t->path, "", t->reason ? t->reason : _("out of memory"));
		report(r, t->path, "failed", t->reason ? t->reason : _("out of memory"));
		return;
	case OUT_INDEXED:
		break;
	}
	if (r->fatal) {
		r->lost++; /* a change the index will not get */
		return;
	}
	pvd_status st = pvd_writer_add_prepared(r->w, t->prep);
	if (st == PVD_EXAPIAN) {
		/* Xapian refused this document */
		r->c.failed++;
		say(t->path, "", pvd_writer_errmsg(r->w));
		report(r, t->path, "failed", pvd_writer_errmsg(r->w));
		return;
	}
	if (st != PVD_OK) {
		/* the index itself is in trouble (a full disk): stop writing */
		fprintf(stderr, _("pvd-index: %s: cannot write: %s\n"), r->db,
			pvd_writer_errmsg(r->w));
		r->fatal = 1;
		r->lost++;
		return;
	}
	t->known ? r->pending.updated++ : r->pending.added++;
	r->batch_bytes += pvd_prepared_size(t->prep);
	if (batch_full(r))
		run_commit(r);
}

/* Monotonic seconds, for durations (run.h). */
double
run_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
consume(run *r, progress *pg)
{
	int ended = 0;
	unsigned long done = 0;
	while (ended < r->jobs) {
		task *t = queue_pop_timed(&r->results, 250);
		if (t && t->end) {
			ended++;
		} else if (t) {
			run_write(r, t);
			done++;
		}
		task_free(t);
		progress_update(pg, done, atomic_load(&r->found),
				atomic_load(&r->walk_done), r->bytes_done);
	}
}

/* ---- main ----------------------------------------------------------------- */

static int
parse_options(run *r, int argc, char **argv, const char **report_path)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"full", no_argument, NULL, 'F'},
					     {"jobs", required_argument, NULL, 'j'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"report", required_argument, NULL, 'r'},
					     {"help", no_argument, NULL, 'h'},
					     {"prune", no_argument, NULL, 'P'},
					     {"allow-empty", no_argument, NULL, 'E'},
					     {"version", no_argument, NULL, 'V'},
					     {"type-dir", required_argument, NULL, 'T'},
					     {"watch", no_argument, NULL, 'W'},
					     {NULL, 0, NULL, 0}};
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int c;
	r->jobs = cores > 0 ? (int)cores : 1;
	opterr = 0; /* our own words, without the program's path */
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			r->db = optarg;
			break;
		case 'F':
			r->rebuild = 1;
			break;
		case 'P':
			r->prune = 1;
			break;
		case 'E':
			r->allow_empty = 1;
			break;
		case 'W':
			r->watch = 1;
			break;
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256) {
				fprintf(stderr, _("pvd-index: --jobs takes a number from "
						  "1 to 256\n"));
				return -1;
			}
			r->jobs = (int)n;
			break;
		}
		case 'q':
			r->quiet = 1;
			break;
		case 'r':
			*report_path = optarg;
			break;
		case 'T': {
			const char *msg;
			if (type_dir_add(optarg, &msg)) {
				fprintf(stderr, "pvd-index: %s\n", msg);
				return -1;
			}
			break;
		}
		case 'h':
			help();
			return 1;
		case 'V':
			printf("pvd-index %s\n", pvd_version());
			return 1;
		default:
			cli_bad_option("pvd-index", c, argv);
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, _("pvd-index: no PATH to index\n"));
		usage(stderr);
		return -1;
	}
	if (r->watch && r->rebuild) {
		fprintf(
		    stderr,
		    _("pvd-index: --watch follows an index in place: run --full alone "
		      "first, then --watch\n"));
		return -1;
	}
	r->paths = (const char *const *)argv + optind;
	r->n_paths = argc - optind;
	return 0;
}

static int
start_threads(run *r)
{
	atomic_store(&r->found, 0);
	atomic_store(&r->walk_done, 0);
	if (queue_init(&r->tasks, 256) ||
	    queue_init(&r->results, 2 * (size_t)r->jobs + 2) ||
	    !(r->workers = calloc((size_t)r->jobs, sizeof *r->workers)))
		return -1;
	for (int i = 0; i < r->jobs; i++)
		if (pthread_create(&r->workers[i], NULL, worker_main, r))
			return -1;
	return pthread_create(&r->walker_thread, NULL, walker_main, r) ? -1 : 0;
}

int
run_pass(run *r)
{
	walker *wk = walker_new(on_file, on_error, r);
	if (!wk)
		return -1;
	walker_free(r->walk);
	r->walk = wk;
	seen_clear(&r->seen_paths);
	r->missing = 0;
	/* the queues of the pass before (the first run's at least), drained */
	queue_destroy(&r->tasks);
	queue_destroy(&r->results);
	free(r->workers);
	r->workers = NULL;
	progress pg;
	progress_init(&pg, 0, run_now());
	if (start_threads(r) != 0) {
		fprintf(stderr, _("pvd-index: cannot start threads: %s\n"),
			strerror(errno));
		r->fatal = 1;
		return -1;
	}
	consume(r, &pg);
	pthread_join(r->walker_thread, NULL);
	for (int i = 0; i < r->jobs; i++)
		pthread_join(r->workers[i], NULL);
	if (!r->fatal)
		sweep(r);
	return r->fatal ? -1 : 0;
}

/* Whether the index holds no document yet. */
static int
index_empty(run *r)
{
	return r->reader && pvd_index_doccount(r->reader) == 0;
}

/* What this run changed, as committed, and what it lost. */
static void
summary(run *r, double seconds)
{
	fprintf(
	    stderr,
	    _("pvd-index: %s: %lu added, %lu updated, %lu unchanged, %lu deleted, %lu "
	      "skipped, "
	      "%lu failed in %.1f s"),
	    r->db, r->c.added, r->c.updated, r->c.unchanged, r->c.deleted, r->c.skipped,
	    r->c.failed, seconds);
	if (r->carried)
		fprintf(stderr,
			ngettext("; %lu document under an empty PATH kept",
				 "; %lu documents under an empty PATH kept", r->carried),
			r->carried);
	if (r->lost && r->commit_failed)
		fprintf(
		    stderr,
		    ngettext("; %lu change lost with the failed commit: the index is "
			     "as of its last commit",
			     "; %lu changes lost with the failed commit: the index is "
			     "as of its last commit",
			     r->lost),
		    r->lost);
	else if (r->lost)
		fprintf(stderr,
			ngettext("; %lu change not written: the index failed",
				 "; %lu changes not written: the index failed", r->lost),
			r->lost);
	else if (r->fatal)
		fputs(_(" (stopped: the index failed)"), stderr);
	uint64_t compacted = pvd_writer_compacted(r->w);
	if (compacted)
		fprintf(stderr, _("; index compacted to %.1f MiB"),
			(double)compacted / (1024.0 * 1024.0));
	fputc('\n', stderr);
}

/* The last commit, for --full the switch; then what is counted. */
static void
finish(run *r)
{
	if (!r->fatal && pvd_writer_finish(r->w) != PVD_OK) {
		fprintf(stderr, "pvd-index: %s: %s\n", r->db, pvd_writer_errmsg(r->w));
		r->fatal = r->commit_failed = 1;
	} else if (r->fatal && !r->commit_failed && !r->rebuild && changes(&r->pending) &&
		   pvd_writer_commit(r->w) != PVD_OK) {
		/* stopped by a failed write: what was pending commits now, or
		 * is lost; either way the count says which */
		fprintf(stderr, _("pvd-index: %s: commit failed: %s\n"), r->db,
			pvd_writer_errmsg(r->w));
		r->commit_failed = 1;
	}
	if (r->abandoned) {
		r->carried = 0; /* the old index is untouched: no change to count */
	} else if (r->commit_failed || (r->fatal && r->rebuild)) {
		/* a rebuild never switched to is thrown away whole */
		r->lost += changes(&r->pending);
		r->carried = 0;
	} else {
		r->c.added += r->pending.added;
		r->c.updated += r->pending.updated;
		r->c.deleted += r->pending.deleted;
	}
	memset(&r->pending, 0, sizeof r->pending);
}

int
main(int argc, char **argv)
{
	cli_init();
	run r = {0};
	const char *report_path = NULL;
	int parsed = parse_options(&r, argc, argv, &report_path);
	if (parsed)
		return parsed > 0 ? 0 : 2;
	if (config_load() != 0)
		return 2; /* the site's settings, after the command line's */

	char *dbpath = r.db ? strdup(r.db) : pvd_default_db_path();
	if (!dbpath) {
		fprintf(stderr,
			_("pvd-index: no index location: give --db DIR or set PVD_DB\n"));
		return 2;
	}
	r.db = dbpath;
	if (report_path && !(r.report = fopen(report_path, "we"))) {
		fprintf(stderr, "pvd-index: %s: %s\n", report_path, strerror(errno));
		free(dbpath);
		return 2;
	}
	char *err = NULL;
	pvd_status st =
	    pvd_writer_open(&r.w, dbpath, r.rebuild ? PVD_WRITER_REBUILD : 0, &err);
	if (st != PVD_OK || !(r.walk = walker_new(on_file, on_error, &r))) {
		fprintf(stderr, "pvd-index: %s: %s\n", dbpath,
			err ? err : pvd_status_str(st ? st : PVD_ENOMEM));
		free(err);
		free(dbpath);
		pvd_writer_close(r.w);
		if (r.report)
			fclose(r.report);
		return 2;
	}
	/* The live index tells unchanged files (and for --full, added from
	 * updated ones).  A new index is canonical from the start. */
	if (pvd_index_open(&r.reader, (const char *const *)&dbpath, 1, &err)) {
		if (!r.rebuild)
			fprintf(stderr, "pvd-index: %s: %s\n", dbpath,
				err ? err : "cannot read the index");
		free(err);
		r.reader = NULL;
	}
	if (!r.rebuild) {
		char *mark = NULL;
		if (pvd_writer_get_meta(r.w, CANONICAL_KEY, &mark) == PVD_OK &&
		    strcmp(mark, CANONICAL_VALUE)) {
			if (index_empty(&r))
				pvd_writer_set_meta(r.w, CANONICAL_KEY, CANONICAL_VALUE);
			else
				r.legacy = 1;
		}
		free(mark);
	}
	r.fresh = r.rebuild || !r.reader || index_empty(&r);
	xmlInitParser();
	double t0 = run_now();
	progress pg;
	progress_init(&pg, !r.quiet && isatty(STDERR_FILENO), t0);
	if (start_threads(&r) != 0) {
		fprintf(stderr, _("pvd-index: cannot start threads: %s\n"),
			strerror(errno));
		return 2;
	}
	consume(&r, &pg);
	pthread_join(r.walker_thread, NULL);
	for (int i = 0; i < r.jobs; i++)
		pthread_join(r.workers[i], NULL);
	progress_clear(&pg);

	if (!r.fatal)
		r.rebuild ? sweep_carry_over(&r) : sweep(&r);
	finish(&r);
	if (!r.quiet)
		summary(&r, run_now() - t0);
	/* A PATH missing at the start is an error, as in a run (CONTRACT): a
	 * mistyped PATH is not followed in silence. */
	if (r.watch && !r.fatal && r.missing)
		fprintf(stderr, "pvd-index: --watch: not started, as a PATH cannot be "
				"reached (said above)\n");
	else if (r.watch && !r.fatal) {
		r.fresh = 0;	  /* from now on, changes to a live index */
		watch_follow(&r); /* until SIGTERM or SIGINT (watch.c) */
	}

	pvd_index_close(r.reader);
	pvd_status closed = pvd_writer_close(r.w);
	if (closed != PVD_OK && !r.fatal) {
		fprintf(stderr, _("pvd-index: %s: the last commit failed: %s\n"), dbpath,
			pvd_status_str(closed));
		r.fatal = 1;
	}
	walker_free(r.walk);
	queue_destroy(&r.tasks);
	queue_destroy(&r.results);
	free(r.workers);
	seen_clear(&r.seen_paths);
	for (size_t i = 0; i < r.n_refused; i++)
		free(r.refused_roots[i]);
	free(r.refused_roots);
	xmlCleanupParser();
	if (r.report)
		fclose(r.report);
	free(dbpath);
	if (r.watch && !r.missing)
		return r.fatal
			   ? 2
			   : 0; /* stopped on purpose: what was pending is committed */
	if (r.fatal || r.missing || r.refused)
		return 2;
	return r.c.failed ? 1 : 0;
}
