/*
 * fault-cost.c: what one page fault costs on this machine: the time to
 * touch, for the first time, each page of a fresh anonymous mapping (the
 * kernel finds a page, zeroes it and maps it), in microseconds a page.
 * Memory that the allocator gives back to the kernel and takes again pays
 * this once a page each time (docs/PERFORMANCE.md, "Issue 16: third pass").
 *
 *   cc -O2 -o build-release/fault-cost bench/fault-cost.c
 *   build-release/fault-cost [PAGES]      # default 10,000 pages, 5 rounds
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double
now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	size_t pages = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	double us[5];
	if (pages == 0) {
		fprintf(stderr, "usage: fault-cost [PAGES]\n");
		return 2;
	}
	for (int round = 0; round < 5; round++) {
		char *p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("fault-cost: mmap");
			return 1;
		}
		double t = now_us();
		for (size_t i = 0; i < pages; i++)
			p[i * page] = 1;
		us[round] = (now_us() - t) / (double)pages;
		munmap(p, pages * page);
	}
	qsort(us, 5, sizeof *us, by_value);
	printf(
	    "first touch of a page: median %.2f us (min %.2f, max %.2f) over 5 rounds of "
	    "%zu pages\n",
	    us[2], us[0], us[4], pages);
	return 0;
}
