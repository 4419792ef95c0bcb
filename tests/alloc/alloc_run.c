/*
 * alloc_run.c: an index-and-search run of a few corpus files, repeated
 * with the Nth allocation failing for N = 1, 2, ... (failalloc.h), until
 * a run makes fewer than N allocations.  Every run must end with a status
 * at each call, never a crash or a leak (under ASan), and:
 *   - a failure only where an allocation failed, reported as out of
 *     memory (PVD_ENOMEM), or as EIO/Xapian with a message;
 *   - whatever succeeds is right: a search whose every step returned
 *     PVD_OK finds what it finds when nothing fails (no query silently
 *     cut short, no hit silently dropped), and its JSON answer is the
 *     same, byte for byte (no snippet, title or place silently lost);
 *   - the index stays usable: the next run (a rebuild of it) works.
 *
 * usage: alloc_run WORK_DIR FILE...   (PVD_ALLOC_STEP: test every Nth N;
 * PVD_ALLOC_FIRST: the first N; PVD_ALLOC_PERSIST=1: the Nth and every
 * allocation after it fail)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "failalloc.h"
#include "pvd.h"

#define MAX_FILES 16
#define MAX_HITS 64

static const char *const queries[] = {
    "commerce", "\"chef de projet\"", "transition OR écologique -foirail",
    "rénov*",	"titre:place",	      "comerce centre-bourg", /* a suggestion */
    "projet", /* in a commune, newest first */
    NULL,     /* --like the first file */
};
#define Q_PLACE 6
#define Q_LIKE 7
#define N_QUERIES (sizeof queries / sizeof queries[0])

typedef struct outcome {
	int complete; /* every call returned PVD_OK */
	size_t n_hits[N_QUERIES];
	int searched[N_QUERIES]; /* the search and all its hits came back OK */
	char paths[N_QUERIES][MAX_HITS][128];
	char json_ok[N_QUERIES];
	char *json[N_QUERIES]; /* the JSON answer, when it came back whole */
} outcome;

static pvd_doc docs[MAX_FILES];
static size_t n_docs;
static int failures;
/* PVD_ALLOC_PERSIST=1: every allocation from the Nth on fails (memory
 * that does not come back: a failure's own handling fails too). */
static int persistent;

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* A failed call: fine only when an allocation failed, with a status that
 * says so and a message. */
static void
check_failure(long nth, const char *call, pvd_status st, const char *msg)
{
	int allowed = st == PVD_ENOMEM || st == PVD_EIO || st == PVD_EXAPIAN;
	/* with no memory at all, the status alone may have to say it */
	int said = (msg && *msg) || (persistent && st == PVD_ENOMEM);
	if (!failalloc_fired() || !allowed || !said) {
		printf("FAIL N=%ld %s: %s (%s)%s\n", nth, call, pvd_status_str(st),
		       msg ? msg : "no message",
		       failalloc_fired() ? "" : ", and no allocation had failed");
		failures++;
	}
}

static const char *
name_of(size_t q)
{
	return q == Q_LIKE    ? "--like"
	       : q == Q_PLACE ? "projet --commune --sort date"
			      : queries[q];
}

/* Where a JSON answer reported as a success parts from the one made
 * without failures. */
static void
report_json_change(long nth, const char *query, const char *now, const char *base)
{
	size_t at = 0;
	while (now[at] && now[at] == base[at])
		at++;
	size_t from = at > 60 ? at - 60 : 0;
	printf("FAIL N=%ld %s: an answer unlike the one without failures, reported as a "
	       "success, from byte %zu:\n  got  ...%.160s\n  want ...%.160s\n",
	       nth, query, at, now + from, base + from);
}

static void
run(const char *dir, long nth, outcome *o)
{
	pvd_writer *w = NULL;
	pvd_index *ix = NULL;
	char *err = NULL;
	pvd_status st;

	for (size_t q = 0; q < N_QUERIES; q++)
		free(o->json[q]);
	memset(o, 0, sizeof *o);
	o->complete = 1;
	if (persistent)
		failalloc_arm_from(nth);
	else
		failalloc_arm(nth);
	st = pvd_writer_open(&w, dir, PVD_WRITER_REBUILD, &err);
	if (st != PVD_OK) {
		check_failure(nth, "pvd_writer_open", st, err ? err : "out of memory?");
		if (!err && st != PVD_ENOMEM) {
			printf("FAIL N=%ld pvd_writer_open: %s without a message\n", nth,
			       pvd_status_str(st));
			failures++;
		}
		free(err);
		o->complete = 0;
	} else {
		for (size_t i = 0; i < n_docs && st == PVD_OK; i++)
			if ((st = pvd_writer_add(w, &docs[i])) != PVD_OK)
				check_failure(nth, "pvd_writer_add", st,
					      pvd_writer_errmsg(w));
		if (st == PVD_OK && (st = pvd_writer_finish(w)) != PVD_OK)
			check_failure(nth, "pvd_writer_finish", st, pvd_writer_errmsg(w));
		o->complete = st == PVD_OK;
		if ((st = pvd_writer_close(w)) != PVD_OK) {
			check_failure(nth, "pvd_writer_close", st, pvd_status_str(st));
			o->complete = 0;
		}
	}

	const char *dbs[1] = {dir};
	err = NULL;
	st = pvd_index_open(&ix, dbs, 1, &err);
	if (st != PVD_OK) {
		/* only when the very first rebuild did not publish */
		if (st != PVD_ENOENT)
			check_failure(nth, "pvd_index_open", st, err);
		free(err);
		o->complete = 0;
		return;
	}
	for (size_t q = 0; q < N_QUERIES; q++) {
		pvd_request req;
		pvd_results *r = NULL;
		const pvd_hit *h;
		memset(&req, 0, sizeof req);
		req.query = queries[q];
		req.limit = MAX_HITS;
		req.facets = q == 0;
		if (q == Q_PLACE) {
			req.commune = "st gaudens"; /* any spelling */
			req.sort = PVD_SORT_DATE;
		}
		if (q == Q_LIKE)
			req.like = docs[0].path;
		if ((st = pvd_search(&r, ix, &req)) != PVD_OK) {
			check_failure(nth, name_of(q), st, pvd_index_errmsg(ix));
			o->complete = 0;
			continue;
		}
		size_t n = 0;
		while ((st = pvd_results_next(r, &h)) == PVD_OK)
			if (n < MAX_HITS)
				snprintf(o->paths[q][n++], sizeof o->paths[q][0], "%s",
					 h->path);
		if (st != PVD_DONE) {
			check_failure(nth, "pvd_results_next", st, pvd_results_errmsg(r));
			o->complete = 0;
		} else {
			o->searched[q] = 1;
			o->n_hits[q] = n;
		}
		char *json = NULL;
		if ((st = pvd_results_json(r, &json)) != PVD_OK) {
			check_failure(nth, "pvd_results_json", st, pvd_results_errmsg(r));
			o->complete = 0;
		}
		o->json_ok[q] = json != NULL;
		/* a JSON answer that came back whole says so */
		if (json && (!strstr(json, "\"total\":") || !strstr(json, "\"hits\":[") ||
			     !strstr(json, "\"query\":") ||
			     (q == 0 && !strstr(json, "\"facets\":")))) {
			printf("FAIL N=%ld %s: JSON with a part missing, reported as a "
			       "success: %s\n",
			       nth, name_of(q), json);
			failures++;
		}
		if (o->searched[q])
			o->json[q] = json;
		else
			free(json);
		pvd_results_free(r);
	}
	pvd_index_close(ix);
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: alloc_run WORK_DIR FILE...\n");
		return 2;
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/alloc-index", argv[1]);
	for (int i = 2; i < argc && n_docs < MAX_FILES; i++) {
		pvd_doc *d = &docs[n_docs];
		char *text = slurp(argv[i], &d->text_len);
		if (!text) {
			fprintf(stderr, "alloc_run: cannot read %s\n", argv[i]);
			return 2;
		}
		d->text = text;
		d->path = argv[i];
		d->title = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		d->type = "article";
		d->date = "2023-05-04";
		n_docs++;
	}
	/* jansson's allocations count too (malloc here is the wrapper) */
	json_set_alloc_funcs(malloc, free);
	const char *persist_env = getenv("PVD_ALLOC_PERSIST");
	persistent = persist_env && atoi(persist_env) > 0;
	const char *step_env = getenv("PVD_ALLOC_STEP");
	long step = step_env ? atol(step_env) : 1;
	if (step < 1)
		step = 1;

	/* What a run finds when nothing fails; and how many allocations. */
	static outcome base, now;
	run(dir, 0, &base);
	long total = failalloc_count();
	if (!base.complete || failures) {
		printf("FAIL the run without failures failed\n");
		return 1;
	}
	size_t hits = 0;
	for (size_t q = 0; q < N_QUERIES; q++)
		hits += base.n_hits[q];
	if (base.n_hits[Q_PLACE] == 0 || base.n_hits[Q_LIKE] == 0) {
		printf("FAIL the place or --like search finds nothing: nothing to "
		       "compare\n");
		return 1;
	}
	if (hits == 0) {
		printf("FAIL the queries find nothing: nothing to compare\n");
		return 1;
	}

	/* PVD_ALLOC_FIRST: start there (to look at one failure again) */
	const char *first_env = getenv("PVD_ALLOC_FIRST");
	long first = first_env ? atol(first_env) : 1;
	long runs = 0, failed_runs = 0;
	for (long nth = first > 0 ? first : 1; nth <= total; nth += step) {
		run(dir, nth, &now);
		runs++;
		/* (a run may allocate a little less than the first: then
		 * nothing fails, and it must simply succeed) */
		failed_runs += !now.complete;
		for (size_t q = 0; q < N_QUERIES; q++) {
			/* a failed rebuild leaves the last one published: the
			 * index always holds every file */
			if (!now.searched[q])
				continue;
			int same = now.n_hits[q] == base.n_hits[q];
			for (size_t k = 0; same && k < now.n_hits[q]; k++)
				same = !strcmp(now.paths[q][k], base.paths[q][k]);
			if (!same) {
				printf("FAIL N=%ld %s: %zu hits instead of %zu, reported "
				       "as a success\n",
				       nth, name_of(q), now.n_hits[q], base.n_hits[q]);
				failures++;
			} else if (now.json[q] && strcmp(now.json[q], base.json[q])) {
				report_json_change(nth, name_of(q), now.json[q],
						   base.json[q]);
				failures++;
			}
		}
		/* The index survives: a run without failures still works. */
		if (failures)
			break;
	}
	run(dir, 0, &now);
	if (!now.complete) {
		printf("FAIL the index is unusable after the failing runs\n");
		failures++;
	}
	printf("alloc_run: %ld allocations per run, %ld runs (every %ld%s), %ld ended on "
	       "a reported failure, %d wrong\n",
	       total, runs, step, persistent ? ", each failing from there on" : "",
	       failed_runs, failures);
	for (size_t q = 0; q < N_QUERIES; q++) {
		free(base.json[q]);
		free(now.json[q]);
	}
	for (size_t i = 0; i < n_docs; i++)
		free((char *)docs[i].text);
	return failures ? 1 : 0;
}
