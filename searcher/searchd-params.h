/*
 * searchd-params.h: a /search request's parameters, from the raw query
 * string of a GET or the JSON body of a POST, checked.  No libmicrohttpd
 * here: the parsers take bytes, so that a fuzzer can call them.
 */
#ifndef PVD_SEARCHD_PARAMS_H
#define PVD_SEARCHD_PARAMS_H

#include <stddef.h>

#include <jansson.h>

#include "cli.h"
#include "pvd.h"
#include "utf8.h"

/* More parameters than this in one query string is a flood: 400. */
#define SEARCHD_MAX_PARAMS 64
/* The largest offset worth paging to. */
#define SEARCHD_MAX_OFFSET 100000

typedef struct searchd_params {
	pvd_request req;
	json_t *json;	 /* a POST body, owning its strings */
	char *decoded;	 /* a query string's values, decoded */
	char *joined[4]; /* type, commune, departement, region given several
			    times: their values joined by PVD_FILTER_SEP */
	char msg[256];	 /* what is wrong, when something is */
	int oom;	 /* what is wrong is an allocation that failed */
} searchd_params;

/*
 * Fill pm from qs, the query string of a GET as it came on the wire (after
 * '?', not decoded, len bytes, NUL bytes included).  Names match exactly;
 * unknown ones are ignored; the first of a repeated name counts.  Returns
 * 0, or -1 with pm->msg: malformed percent-encoding, a NUL byte, invalid
 * UTF-8, more than SEARCHD_MAX_PARAMS parameters, a bad value; or out of
 * memory, with pm->oom set.  pm must be
 * zeroed first and searchd_params_free()d after, whatever the result.
 */
int searchd_params_query(searchd_params *pm, const char *qs, size_t len);

/* The same from the JSON object of a POST body. */
int searchd_params_body(searchd_params *pm, const char *body, size_t len);

void searchd_params_free(searchd_params *pm);

/* jansson's allocations through a malloc that notes a failure, so that a
 * body that could not be parsed for want of memory is not called bad JSON
 * (once, before any thread parses). */
void searchd_params_init(void);

/* json_loadb() that survives a want of memory and says so: jansson 2.14's
 * parser reports a failed allocation as bad JSON, drops a character whose
 * copy could not grow ("chef deprojet"), or writes past a buffer when that
 * character closed a string.  Here its failed allocations are served from
 * the thread's reserve (after searchd_params_init()) and any of them fails
 * the whole: NULL with *oom set. */
json_t *searchd_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err,
			   int *oom);

/*
 * Percent-decode in[0..len) into out (at least len + 1 bytes), '+' as a
 * space when plus is set, NUL-terminated.  Returns the decoded length, or
 * -1 for a '%' not followed by two hex digits or a decoded NUL byte.
 */
long searchd_unescape(char *out, const char *in, size_t len, int plus);

#endif
