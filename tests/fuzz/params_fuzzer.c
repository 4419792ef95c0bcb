/*
 * params_fuzzer.c: pvd-searchd's parameter parsers (searchd-params.c)
 * against any bytes.  The first byte says which: even, a GET query string
 * as it came on the wire; odd, a POST body.  Nothing may crash, leak or
 * read out of bounds (run under the sanitizers), and what is accepted must
 * hold: words, a filter or a like; no NUL byte, valid UTF-8; limit and
 * offset in their bounds.
 *
 * A libFuzzer target (LLVMFuzzerTestOneInput) or, under ctest, the
 * standalone driver below: built-in seeds and deterministic mutations.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchd-params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int post = data[0] & 1;
	const char *in = (const char *)data + 1;
	size_t len = size - 1;
	searchd_params pm;
	memset(&pm, 0, sizeof pm);
	int rc =
	    post ? searchd_params_body(&pm, in, len) : searchd_params_query(&pm, in, len);
	if (rc == 0) {
		const pvd_request *r = &pm.req;
		int filtered = (r->type && *r->type) || (r->commune && *r->commune) ||
			       (r->departement && *r->departement) ||
			       (r->region && *r->region) || (r->since && *r->since) ||
			       (r->until && *r->until) || (r->like && *r->like);
		/* no words is fine only with a filter or like */
		if ((!filtered && (!r->query || !*r->query)) ||
		    (r->query && !utf8_valid(r->query, strlen(r->query))) ||
		    (r->like && !utf8_valid(r->like, strlen(r->like))) || r->limit < 1 ||
		    r->limit > 100 || r->offset > SEARCHD_MAX_OFFSET) {
			fprintf(stderr, "params_fuzzer: accepted a bad request\n");
			abort();
		}
	} else if (!pm.msg[0]) {
		fprintf(stderr, "params_fuzzer: refused without a message\n");
		abort();
	}
	searchd_params_free(&pm);
	return 0;
}

#ifndef PVD_LIBFUZZER
#include "mutate.h"

static const char *const seeds[] = {
    "\0q=ing%C3%A9nierie&limit=3&offset=2&facets=1",
    "\0q=ville+OR+bourg&since=2022-01-01&until=2023-12-31&sort=date&type=article",
    "\0&&&q=ville&&limit=1&",
    "\0q=%zz&limit=1%00x&Q=a&q=b",
    "\0q=\xff\xfe&commune=Saint-Martory",
    "\1{\"q\": \"friche OU halle\", \"limit\": 5, \"facets\": true, \"sort\": \"date\"}",
    "\1{\"q\": \"vil\\u0000le\", \"limit\": \"5\"}",
    "\1[\"q\"]",
    "\1{\"q\": 1, \"q\": 2}",
};

static const char *const pieces[] = {"%",
				     "%0",
				     "%00",
				     "%C3",
				     "%A9",
				     "&",
				     "=",
				     "+",
				     "q=",
				     "limit=",
				     "offset=",
				     "facets=",
				     "\"",
				     "{",
				     "}",
				     "\\u",
				     "\xc3",
				     "\xff",
				     "99999999999999999999",
				     "-1",
				     "\0"};

int
main(int argc, char **argv)
{
	long mutations = argc > 1 ? atol(argv[1]) : 2000, runs = 0;
	mutator mut = {0x2545F4914F6CDD1DULL, pieces, sizeof pieces / sizeof pieces[0]};
	for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
		char buf[512];
		/* the seeds' first byte may be NUL: their length is the rest + 1 */
		size_t len = 1 + strlen(seeds[s] + 1);
		memcpy(buf, seeds[s], len);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		runs++;
		for (long m = 0; m < mutations; m++) {
			char work[sizeof buf];
			size_t wl = len;
			memcpy(work, buf, len);
			mutate(&mut, work, &wl, sizeof work, 1);
			LLVMFuzzerTestOneInput((const uint8_t *)work, wl);
			runs++;
		}
	}
	printf("params fuzz: %ld passed, 0 failed\n", runs);
	return 0;
}
#endif
