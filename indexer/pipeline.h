/*
 * pipeline.h: one file's trip through pvd-index.  The walker thread makes
 * a task for each file it reaches, a worker turns it into a prepared
 * document (or a reason it is skipped or failed), and the main thread
 * writes it and reports.
 */
#ifndef PVD_PIPELINE_H
#define PVD_PIPELINE_H

#include <sys/stat.h>

#include "indexer.h"
#include "pvd.h"

typedef enum outcome { OUT_INDEXED, OUT_UNCHANGED, OUT_SKIPPED, OUT_FAILED } outcome;

typedef struct task {
	char *path;
	struct stat st;
	char *stamp;   /* size, mtime and inode: see make_stamp() */
	int known;     /* the index has this path, with another stamp */
	int unchanged; /* the index has this path with this stamp */
	int end;       /* no more tasks: a worker stops */
	/* what the worker found */
	outcome out;
	char *reason;  /* why it was skipped or failed */
	char *warning; /* indexed, but something was off */
	pvd_prepared *prep;
} task;

task *task_new(const char *path, const struct stat *st);
void task_free(task *t);

/* What tells a changed file: size, modification time to the nanosecond
 * and inode (a file replaced by another of the same size and time). */
char *make_stamp(const struct stat *st);

/* Read, detect, extract and analyse t's file, filling its outcome. */
void process_file(detector *det, task *t);

#endif
