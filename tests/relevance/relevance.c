/*
 * relevance.c: runs the relevance table (queries.tsv) against an index of
 * corpus/ built by pvd-index, through the public API only.  Each row says
 * which documents a query must return and which it must not; a row fails
 * if a required document is missing from all the hits or a forbidden one
 * is among them.  Only the documents that have every word count: those
 * listed after them for lacking one (pvd_hit.missing_word) do not.
 *
 * Given a ranking table too (ranking.tsv: query<TAB>best document), it runs
 * each query with limit 10, finds the rank of the one best document, prints
 * the queries that miss it (not in the top 10) and the totals MRR@10 and
 * success@10.  It fails when MRR@10 is below MIN_MRR or success@10 below
 * MIN_SUCCESS (both 0 unless given).  A ranking query counts as passed in
 * the closing line when the best document is in the top 10; a miss alone
 * does not fail the run, the thresholds do.
 *
 * usage: relevance INDEX TABLE [RANKING [MIN_MRR [MIN_SUCCESS]]]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"

/* Paths in the index are canonical: /where/the/clone/is/corpus/articles/x.md.
 * The table names them from corpus/ on: the last "/corpus/" counts, the
 * clone itself may lie under a folder of that name. */
static const char *
corpus_relative(const char *path)
{
	const char *last = NULL;
	for (const char *p = path; (p = strstr(p, "/corpus/")); p++)
		last = p;
	return last ? last + strlen("/corpus/") : path;
}

static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Each space-separated word of list, checked against the hits. */
static int
check_list(const char *query, const char *list, const char *hits, int must)
{
	int bad = 0;
	if (!strcmp(list, "-"))
		return 0;
	char *copy = strdup(list), *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (listed(hits, w) != must) {
			printf("FAIL %-30s %s %s\n", query,
			       must ? "misses" : "wrongly returns", w);
			bad = 1;
		}
	}
	free(copy);
	return bad;
}

/* Reads a threshold between 0 and 1 into *out; 0 on success. */
static int
threshold(double *out, const char *arg)
{
	char *end;
	errno = 0;
	*out = strtod(arg, &end);
	if (errno || end == arg || *end || !(*out >= 0 && *out <= 1)) {
		fprintf(stderr, "relevance: %s: not a threshold between 0 and 1\n", arg);
		return -1;
	}
	return 0;
}

/* The rank of best among the first limit hits of query, 0 when it is not
 * there, -1 on an error (printed).  *first gets the top hit, for the miss
 * report (a static copy, or "-" when there is none). */
static long
rank_of(pvd_index *ix, const char *query, const char *best, uint64_t limit,
	const char **first)
{
	static char top[512];
	pvd_request req = {.query = query, .limit = limit};
	pvd_results *r;
	if (pvd_search(&r, ix, &req) != PVD_OK) {
		printf("FAIL %-40s error: %s\n", query, pvd_index_errmsg(ix));
		return -1;
	}
	long rank = 0;
	const pvd_hit *h;
	pvd_status st;
	snprintf(top, sizeof top, "-");
	while ((st = pvd_results_next(r, &h)) == PVD_OK) {
		const char *rel = corpus_relative(h->path);
		if (h->rank == 1)
			snprintf(top, sizeof top, "%s", rel);
		if (!rank && !strcmp(rel, best))
			rank = (long)h->rank;
	}
	if (st != PVD_DONE) {
		printf("FAIL %-40s error: %s\n", query, pvd_results_errmsg(r));
		rank = -1;
	}
	pvd_results_free(r);
	if (first)
		*first = top;
	return rank;
}

/* Runs the ranking table; adds to *passed and *failed.  Returns -2 when
 * the table cannot be read, -1 when a row is malformed or a search fails,
 * else 1 when a threshold is not met, else 0. */
static int
run_ranking(pvd_index *ix, const char *path, double min_mrr, double min_success,
	    int *passed, int *failed)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int n = 0, found = 0, broken = 0;
	double rr = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		char *query = line, *best = strchr(line, '\t');
		if (!best || !best[1] || strchr(best + 1, '\t')) {
			printf("FAIL malformed ranking row: %s\n", line);
			(*failed)++;
			broken = 1;
			continue;
		}
		*best++ = '\0';
		const char *first;
		long rank = rank_of(ix, query, best, 10, &first);
		if (rank < 0) {
			(*failed)++;
			broken = 1;
			continue;
		}
		n++;
		if (rank) {
			found++;
			rr += 1.0 / (double)rank;
			(*passed)++;
			continue;
		}
		(*failed)++;
		/* where it is, for whoever improves the ranking */
		long deep = rank_of(ix, query, best, 100000, NULL);
		if (deep > 0)
			printf("MISS %-40s %s at rank %ld (first: %s)\n", query, best,
			       deep, first);
		else if (!deep)
			printf("MISS %-40s %s absent (first: %s)\n", query, best, first);
	}
	free(line);
	fclose(f);
	double mrr = n ? rr / n : 0, success = n ? (double)found / n : 0;
	printf("MRR@10 = %.3f, success@10 = %.3f over %d queries\n", mrr, success, n);
	if (broken)
		return -1;
	int low = 0;
	if (mrr < min_mrr) {
		printf("FAIL MRR@10 %.3f is below the threshold %.3f\n", mrr, min_mrr);
		low = 1;
	}
	if (success < min_success) {
		printf("FAIL success@10 %.3f is below the threshold %.3f\n", success,
		       min_success);
		low = 1;
	}
	return low;
}

int
main(int argc, char **argv)
{
	double min_mrr = 0, min_success = 0;
	if (argc < 3 || argc > 6) {
		fprintf(
		    stderr,
		    "usage: relevance INDEX TABLE [RANKING [MIN_MRR [MIN_SUCCESS]]]\n");
		return 2;
	}
	if ((argc > 4 && threshold(&min_mrr, argv[4])) ||
	    (argc > 5 && threshold(&min_success, argv[5])))
		return 2;
	const char *dbs[] = {argv[1]};
	pvd_index *ix;
	char *err = NULL;
	if (pvd_index_open(&ix, dbs, 1, &err) != PVD_OK) {
		fprintf(stderr, "relevance: %s\n", err);
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int passed = 0, failed = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		char *query = line, *must = strchr(line, '\t');
		char *must_not = must ? strchr(must + 1, '\t') : NULL;
		if (!must || !must_not) {
			printf("FAIL malformed row: %s\n", line);
			failed++;
			continue;
		}
		*must++ = '\0';
		*must_not++ = '\0';

		pvd_request req = {.query = query, .limit = 1000};
		pvd_results *r;
		if (pvd_search(&r, ix, &req) != PVD_OK) {
			printf("FAIL %-30s error: %s\n", query, pvd_index_errmsg(ix));
			failed++;
			continue;
		}
		/* the hits, as one space-separated list */
		size_t hcap = 1, hlen = 0;
		char *hits = calloc(1, 1);
		const pvd_hit *h;
		while (hits && pvd_results_next(r, &h) == PVD_OK) {
			if (h->missing_word)
				break; /* the table is about what has every word */
			const char *rel = corpus_relative(h->path);
			size_t n = strlen(rel);
			char *more = realloc(hits, hcap += n + 1);
			if (!more)
				break;
			hits = more;
			if (hlen)
				hits[hlen++] = ' ';
			memcpy(hits + hlen, rel, n + 1);
			hlen += n;
		}
		int bad = !hits || check_list(query, must, hits, 1) |
				       check_list(query, must_not, hits, 0);
		bad ? failed++ : passed++;
		free(hits);
		pvd_results_free(r);
	}
	free(line);
	fclose(f);
	/* the must/must-not rows decide the status on their own; the ranking
	 * rows through the thresholds */
	int status = failed ? 1 : 0;
	if (argc > 3) {
		int ranked =
		    run_ranking(ix, argv[3], min_mrr, min_success, &passed, &failed);
		if (ranked == -2)
			status = 2;
		else if (ranked)
			status = 1;
	}
	pvd_index_close(ix);
	printf("relevance: %d passed, %d failed\n", passed, failed);
	return status;
}
