/*
 * run.h: one run of pvd-index, as main.c (the threads and the writer) and
 * sweep.c (what to delete once the walk is over) share it.
 */
#ifndef PVD_RUN_H
#define PVD_RUN_H

#include <stdatomic.h>
#include <stdio.h>

#include "indexer.h"
#include "pipeline.h"
#include "pvd.h"
#include "queue.h"
#include "seen.h"

/* Changes of the index, or outcomes of files. */
typedef struct counts {
	unsigned long added, updated, unchanged, deleted, skipped, failed;
} counts;

/* The metadata key that says every path of the index is canonical, and
 * its value.  An index without it was written by a pvd-index that kept
 * paths as given: sweep_all() converts it. */
#define CANONICAL_KEY "pvd.paths"
#define CANONICAL_VALUE "canonical"

typedef struct run {
	/* options */
	const char *db;
	const char *const *paths;
	int n_paths;
	int jobs, quiet, rebuild, prune, allow_empty, watch;
	FILE *report;
	/* threads and queues */
	queue tasks, results;
	pthread_t walker_thread, *workers;
	walker *walk;	     /* the walker thread's; its roots read after the join */
	pvd_index *reader;   /* the walker's, for stamps (incremental runs) */
	seen_set seen_paths; /* the walker's, then main's after the join */
	atomic_ulong found;  /* files the walker has reached */
	atomic_int walk_done;
	int missing; /* a PATH could not be reached */
	/* the writer's side */
	pvd_writer *w;
	counts c;	       /* what is committed (and outcomes of files) */
	counts pending;	       /* added, updated, deleted since the last commit */
	unsigned long lost;    /* changes a failed commit took with it */
	int abandoned;	       /* --full given up on purpose: nothing changed */
	unsigned long carried; /* --full: documents kept under a PATH refused as empty */
	int legacy;	       /* the index has paths of an older pvd-index */
	int refused;	       /* a PATH was empty while the index held documents */
	char **refused_roots;  /* canonical roots refused as empty */
	size_t n_refused;
	int fresh;	    /* writing into an empty index: smaller batches */
	size_t batch_bytes; /* of prepared documents since the last commit */
	uint64_t bytes_done;
	int fatal; /* the index cannot be written any more */
	int commit_failed;
} run;

/* Make the pending changes durable: 0, or -1 (they are counted lost). */
int run_commit(run *r);

/* Write one processed file (or report it), counted as pending. */
void run_write(run *r, task *t);

/* Walk every PATH again and sweep, as the first run did, with its threads
 * (a rescan under --watch); the reader must be up to date.  0, or -1. */
int run_pass(run *r);

/* --watch, after the first run: follow the PATHs until SIGTERM or SIGINT,
 * then commit what is pending (watch.c). */
void watch_follow(run *r);

/* Delete one document, counted as pending. */
void run_delete(run *r, const char *path);

/* After the walk, in an incremental run: delete what disappeared from the
 * roots walked, refuse to empty a root that yielded no file, then with
 * --prune, or on an index of an older pvd-index, look at every document. */
void sweep(run *r);

/* --full: carry over into the new index the documents of the old one that
 * lie under a PATH refused as empty; every other one counts as deleted. */
void sweep_carry_over(run *r);

/* Monotonic seconds, for durations and deadlines (main.c). */
double run_now(void);

#endif
