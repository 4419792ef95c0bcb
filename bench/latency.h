/*
 * latency.h: what bench/loadgen.c and bench/inprocess.c share: reading the
 * queries, sorting latencies and reading nearest-rank percentiles off them.
 * (Include <stdio.h>, <stdlib.h>, <string.h> and <sys/resource.h> first.)
 */
#ifndef PVD_BENCH_LATENCY_H
#define PVD_BENCH_LATENCY_H

/* The queries of file, one a line (blank lines and # comments skipped),
 * their number in *n.  Exits 2 with a message naming prog when the file
 * cannot be read or holds none. */
static char **
read_queries(const char *prog, const char *file, size_t *n)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open %s\n", prog, file);
		exit(2);
	}
	char **v = NULL, *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	*n = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len == 0 || line[0] == '#')
			continue;
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			if (!(v = realloc(v, alloc * sizeof *v)))
				exit(2);
		}
		if (!(v[(*n)++] = strdup(line)))
			exit(2);
	}
	free(line);
	fclose(f);
	if (!*n) {
		fprintf(stderr, "%s: no query in %s\n", prog, file);
		exit(2);
	}
	return v;
}

/* This process's CPU time (user + system), in microseconds a request over
 * requests: the load generator's own cost, or the floor's. */
static double
cpu_us_per(long requests)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0 || requests <= 0)
		return 0;
	double us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	return us / (double)requests;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile p of the sorted v[0..n). */
static double
pct(const double *v, long n, double p)
{
	long k = (long)(p / 100.0 * (double)n + 0.999999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

#endif
