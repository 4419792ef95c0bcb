/*
 * hold.c: a reader that keeps an index open while pvd-index works on it,
 * as pvd-searchd does, for test_indexing.sh.  Reads commands on stdin:
 *   count QUERY   the number of documents QUERY finds, with the handle
 *                 opened at the start (or at the last reopen)
 *   docs          the number of documents in the index
 *   reopen        close and open the index again
 * and answers each with one line: a number, or "error: message".
 *
 * usage: hold DB
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"

static pvd_index *
open_index(const char *db)
{
	pvd_index *ix = NULL;
	char *err = NULL;
	const char *dbs[] = {db};
	if (pvd_index_open(&ix, dbs, 1, &err) != PVD_OK) {
		printf("error: %s\n", err ? err : "cannot open");
		free(err);
		return NULL;
	}
	return ix;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: hold DB\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	pvd_index *ix = open_index(argv[1]);
	char line[1024];
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "reopen")) {
			pvd_index_close(ix);
			ix = open_index(argv[1]);
			if (ix)
				printf("ok\n");
		} else if (!ix) {
			printf("error: no index\n");
		} else if (!strcmp(line, "docs")) {
			printf("%llu\n", (unsigned long long)pvd_index_doccount(ix));
		} else if (!strncmp(line, "count ", 6)) {
			pvd_request req = {.query = line + 6, .limit = 100000};
			pvd_results *r;
			pvd_status st = pvd_search(&r, ix, &req);
			if (st != PVD_OK) {
				printf("error: %s\n", pvd_index_errmsg(ix));
				continue;
			}
			const pvd_hit *h;
			unsigned long n = 0;
			while ((st = pvd_results_next(r, &h)) == PVD_OK)
				n++;
			if (st == PVD_DONE)
				printf("%lu\n", n);
			else
				printf("error: %s\n", pvd_results_errmsg(r));
			pvd_results_free(r);
		} else {
			printf("error: unknown command\n");
		}
	}
	pvd_index_close(ix);
	return 0;
}
