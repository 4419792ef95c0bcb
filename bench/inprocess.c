/*
 * inprocess.c: the floor under pvd-searchd: the same queries run straight
 * through libpvd, with no HTTP in between.  T threads, each with its own
 * pvd_index, take the queries round-robin from a file (one a line) and run
 * pvd_search (limit 10) + pvd_results_json + free, until N requests in all
 * after W warm-up ones; reports queries/s and p50/p99/p999 latency.
 *
 * --as-daemon does per request what pvd-searchd's handler does besides:
 * pvd_index_refresh() before the search and Xapian's match time limit
 * (2 s), to tell the cost of those two from the cost of HTTP.
 *
 *   cc -O2 -Wall -pthread -I include -o build-release/inprocess bench/inprocess.c \
 *      -L build-release -lpvd -Wl,-rpath,$PWD/build-release
 *   inprocess --db /var/tmp/pvd-bench/pvd-index --queries bench/load-queries.txt \
 *             --threads 2 --requests 20000 --warmup 2000
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

#include "../common/freed-memory.h"
#include "pvd.h"

#include "latency.h"

static const char *db;
static char **queries;
static size_t n_queries;
static long n_total, n_warmup;
static int as_daemon;
static double *latency_ms;
static atomic_long next_ticket, errors, json_bytes;
static pthread_barrier_t barrier;
static struct timespec t_start, t_end;

static double
now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
one(pvd_index *ix, long ticket)
{
	pvd_request req;
	memset(&req, 0, sizeof req);
	req.query = queries[(size_t)ticket % n_queries];
	req.limit = 10;
	if (as_daemon) {
		req.time_limit = 2.0;
		if (pvd_index_refresh(ix) != PVD_OK)
			return -1;
	}
	pvd_results *r = NULL;
	char *json = NULL;
	pvd_status st = pvd_search(&r, ix, &req);
	if (st == PVD_OK)
		st = pvd_results_json(r, &json);
	if (json)
		atomic_fetch_add(&json_bytes, (long)strlen(json));
	free(json);
	pvd_results_free(r);
	return st == PVD_OK ? 0 : -1;
}

static void
run_phase(pvd_index *ix, long limit, int record)
{
	for (;;) {
		long t = atomic_fetch_add(&next_ticket, 1);
		if (t >= limit)
			break;
		double t0 = now_s();
		int rc = one(ix, t);
		if (record) {
			latency_ms[t] = (now_s() - t0) * 1e3;
			if (rc)
				atomic_fetch_add(&errors, 1);
		}
	}
}

static void *
worker(void *arg)
{
	(void)arg;
	pvd_index *ix = NULL;
	char *err = NULL;
	const char *dbs[1] = {db};
	if (pvd_index_open(&ix, dbs, 1, &err) != PVD_OK) {
		fprintf(stderr, "inprocess: %s: %s\n", db, err ? err : "cannot open");
		exit(2);
	}
	run_phase(ix, n_warmup, 0);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
		atomic_store(&next_ticket, 0);
		clock_gettime(CLOCK_MONOTONIC, &t_start);
	}
	pthread_barrier_wait(&barrier);
	run_phase(ix, n_total, 1);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		clock_gettime(CLOCK_MONOTONIC, &t_end);
	pvd_index_close(ix);
	return NULL;
}

int
main(int argc, char **argv)
{
	/* The allocator as pvd-searchd sets it, so that the floor and the
	 * daemon differ only by what lies between them: HTTP, the queue and
	 * the threads. */
	keep_freed_memory();
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
					     {"queries", required_argument, NULL, 'q'},
					     {"threads", required_argument, NULL, 't'},
					     {"requests", required_argument, NULL, 'n'},
					     {"warmup", required_argument, NULL, 'w'},
					     {"as-daemon", no_argument, NULL, 'a'},
					     {NULL, 0, NULL, 0}};
	const char *qfile = NULL;
	long threads = 1;
	int o;
	while ((o = getopt_long(argc, argv, "d:q:t:n:w:a", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			db = optarg;
			break;
		case 'q':
			qfile = optarg;
			break;
		case 't':
			threads = atol(optarg);
			break;
		case 'n':
			n_total = atol(optarg);
			break;
		case 'w':
			n_warmup = atol(optarg);
			break;
		case 'a':
			as_daemon = 1;
			break;
		default:
			goto usage;
		}
	}
	if (!db || !qfile || threads < 1 || threads > 256 || n_total < 1 ||
	    n_warmup < 0) {
	usage:
		fprintf(
		    stderr,
		    "usage: inprocess --db DIR --queries FILE [--threads T] --requests N "
		    "[--warmup W] [--as-daemon]\n");
		return 2;
	}
	queries = read_queries("inprocess", qfile, &n_queries);
	latency_ms = calloc((size_t)n_total, sizeof *latency_ms);
	pthread_barrier_init(&barrier, NULL, (unsigned)threads);
	pthread_t th[256];
	for (long i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	for (long i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	double secs = (double)(t_end.tv_sec - t_start.tv_sec) +
		      (double)(t_end.tv_nsec - t_start.tv_nsec) / 1e9;
	qsort(latency_ms, (size_t)n_total, sizeof *latency_ms, cmp_double);
	double qps = (double)n_total / secs;
	printf(
	    "threads %ld%s, requests %ld (+%ld warm-up), %zu distinct queries, %.2f s, "
	    "%.1f KiB JSON/reply\n",
	    threads, as_daemon ? " (refresh + time limit, as the daemon)" : "", n_total,
	    n_warmup, n_queries, secs,
	    (double)atomic_load(&json_bytes) / 1024.0 / (double)(n_total + n_warmup));
	printf("RESULT t=%ld n=%ld qps=%.1f p50=%.3f p99=%.3f p999=%.3f max=%.3f "
	       "errors=%ld cpu_us=%.1f\n",
	       threads, n_total, qps, pct(latency_ms, n_total, 50),
	       pct(latency_ms, n_total, 99), pct(latency_ms, n_total, 99.9),
	       latency_ms[n_total - 1], atomic_load(&errors),
	       cpu_us_per(n_total + n_warmup));
	return 0;
}
