/*
 * relevance.c: runs the relevance table (queries.tsv) against an index of
 * corpus/ built by pvd-index, through the public API only.  Each row says
 * which documents a query must return and which it must not; a row fails
 * if a required document is missing from all the hits or a forbidden one
 * is among them.
 *
 * usage: relevance INDEX TABLE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"

/* Paths in the index are as given to pvd-index: .../corpus/articles/x.md.
 * The table names them from corpus/ on. */
static const char *
corpus_relative(const char *path)
{
	const char *p = strstr(path, "corpus/");
	return p ? p + strlen("corpus/") : path;
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
			printf("FAIL %-30s %s %s\n", query, must ? "misses" : "wrongly returns", w);
			bad = 1;
		}
	}
	free(copy);
	return bad;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: relevance INDEX TABLE\n");
		return 2;
	}
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
	pvd_index_close(ix);
	printf("relevance: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
