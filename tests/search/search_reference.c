/*
 * search_reference.c: a query's total and the paths of its first 100 hits,
 * one a line, through libpvd as pvd-searchd links it (Debian's shared
 * libxapian): the reference test_search_linkage.sh holds pvd-search to.
 *
 * usage: search_reference DB QUERY
 */
#include <stdio.h>
#include <string.h>

#include "pvd.h"

int
main(int argc, char **argv)
{
	const char *dbs[1];
	pvd_index *ix = NULL;
	pvd_results *r = NULL;
	pvd_request req;
	const pvd_hit *h;

	if (argc != 3) {
		fprintf(stderr, "usage: search_reference DB QUERY\n");
		return 2;
	}
	dbs[0] = argv[1];
	if (pvd_index_open(&ix, dbs, 1, NULL) != PVD_OK)
		return 2;
	memset(&req, 0, sizeof req);
	req.query = argv[2];
	req.limit = 100;
	pvd_status st = pvd_search(&r, ix, &req);
	if (st == PVD_OK) {
		printf("%llu\n", (unsigned long long)pvd_results_total(r));
		while (pvd_results_next(r, &h) == PVD_OK)
			printf("%s\n", h->path);
	}
	pvd_results_free(r);
	pvd_index_close(ix);
	return st == PVD_OK ? 0 : 2;
}
