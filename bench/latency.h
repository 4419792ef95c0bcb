/*
 * latency.h: what bench/loadgen.c and bench/inprocess.c share: sorting
 * latencies and reading nearest-rank percentiles off them.
 */
#ifndef PVD_BENCH_LATENCY_H
#define PVD_BENCH_LATENCY_H

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
