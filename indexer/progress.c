/*
 * progress.c: the progress line, on stderr only when it is a terminal.
 */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "progress.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_init(progress *p, int on, double start)
{
	p->on = on;
	p->start = p->last = start;
	p->drawn = 0;
}

void
progress_update(progress *p, unsigned long done, unsigned long found, int walk_done,
		uint64_t bytes)
{
	double t = now();
	if (!p->on || t - p->last < 0.25)
		return;
	p->last = t;
	double elapsed = t - p->start;
	double mbs = elapsed > 0 ? (double)bytes / 1e6 / elapsed : 0;
	fputs("\r\033[K", stderr);
	fprintf(stderr, _("pvd-index: %lu/%lu%s files, %.1f MB/s"), done, found,
		walk_done ? "" : "+", mbs);
	if (walk_done && done > 0 && done < found) {
		long left = (long)(elapsed / (double)done * (double)(found - done));
		fprintf(stderr, _(", %ld:%02ld left"), left / 60, left % 60);
	}
	fflush(stderr);
	p->drawn = 1;
}

void
progress_clear(progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}
