/*
 * progress.h: pvd-index's progress line on a terminal: files done out of
 * those found, MB/s and time left, redrawn a few times a second.
 */
#ifndef PVD_PROGRESS_H
#define PVD_PROGRESS_H

#include <stdint.h>

typedef struct progress {
	int on; /* stderr is a terminal and --quiet is not given */
	double start, last;
	int drawn;
} progress;

void progress_init(progress *p, int on, double start);
void progress_update(progress *p, unsigned long done, unsigned long found, int walk_done,
		     uint64_t bytes);
/* Erase the line, before the summary. */
void progress_clear(progress *p);

#endif
