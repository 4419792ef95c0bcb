/*
 * params_oom.c: pvd-searchd's reading of a POST body (searchd-params.c)
 * while allocations fail, the Nth one for N = 1, 2, ... and then the Nth
 * and every one after it, until the parse needs fewer.  Every parse must
 * give the body as it was sent, or out of memory (pm.oom, "out of
 * memory"): never a crash, a string with a character missing, or a
 * client's body called bad JSON.  jansson 2.14's lexer drops a character
 * it cannot keep and, when that was a string's closing quote, writes past
 * a buffer (ASan: SEGV in json_loads): this test crashes on the code
 * before the parser's reserve.
 *
 * usage: params_oom
 */
#include <stdio.h>
#include <string.h>

#include "failalloc.h"
#include "searchd-params.h"

/* jansson's lexer keeps a token in a buffer of 16 bytes that doubles
 * when full: "chef de projet" (16 bytes with its quotes) makes it grow at
 * its closing quote, and the 30-byte "like" at its own (32 bytes); then
 * longer strings, an array, other types. */
static const char body[] = "{\"q\": \"chef de projet\", "
			   "\"like\": \"Petites villes de demain Aspet\", "
			   "\"commune\": [\"Saint-Gaudens\", \"Bagnères-de-Luchon\"], "
			   "\"type\": \"article\", \"facets\": true, \"limit\": 20, "
			   "\"since\": \"2021-03-01\"}";

static int failures;

/* What a parse gave, as one line: each field the request carries. */
static void
describe(const searchd_params *pm, char *out, size_t cap)
{
	const pvd_request *r = &pm->req;
	snprintf(out, cap,
		 "q=%s|like=%s|commune=%s|type=%s|since=%s|facets=%d|limit=%llu",
		 r->query ? r->query : "-", r->like ? r->like : "-",
		 r->commune ? r->commune : "-", r->type ? r->type : "-",
		 r->since ? r->since : "-", r->facets, (unsigned long long)r->limit);
}

static void
check(long nth, int persist, const char *want)
{
	searchd_params pm;
	memset(&pm, 0, sizeof pm);
	if (persist)
		failalloc_arm_from(nth);
	else
		failalloc_arm(nth);
	int rc = searchd_params_body(&pm, body, sizeof body - 1);
	int fired = failalloc_fired();
	failalloc_arm(0);
	char got[512];
	describe(&pm, got, sizeof got);
	if (rc == 0 && strcmp(got, want)) {
		printf("FAIL N=%ld%s: read as %s\n  sent   %s\n", nth,
		       persist ? " (and after)" : "", got, want);
		failures++;
	} else if (rc != 0 && (!fired || !pm.oom || strcmp(pm.msg, "out of memory"))) {
		printf("FAIL N=%ld%s: refused with \"%s\"%s\n", nth,
		       persist ? " (and after)" : "", pm.msg,
		       fired ? "" : " though no allocation failed");
		failures++;
	}
	searchd_params_free(&pm);
}

int
main(void)
{
	searchd_params_init();
	searchd_params pm;
	memset(&pm, 0, sizeof pm);
	failalloc_arm(0);
	if (searchd_params_body(&pm, body, sizeof body - 1) != 0) {
		printf("FAIL the body is refused without failures: %s\n", pm.msg);
		return 1;
	}
	long total = failalloc_count();
	char want[512];
	describe(&pm, want, sizeof want);
	searchd_params_free(&pm);
	/* (the parse's own allocations come after the reserve's, made at
	 * the first parse above) */
	for (long nth = 1; nth <= total + 1; nth++) {
		check(nth, 0, want);
		check(nth, 1, want);
	}
	printf("params_oom: %ld allocations a parse, each made to fail alone and "
	       "from there on: %d wrong\n",
	       total, failures);
	return failures ? 1 : 0;
}
