/*
 * test_budget.c: what a query may cost (lib/budget.c, the depth cap of
 * lib/query.c) and the deadline of a whole search (lib/xap-search.cc):
 * queries past a limit are refused with a message naming it, repeated
 * operands count once, and a search past its time_limit says it is
 * partial.  Usage: test_lib_budget INDEX (the sample corpus, indexed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pvd-private.h"

static const char *index_dir;

/* q repeated n times, joined by sep, in a malloc'ed string */
static char *
repeat(const char *q, const char *sep, size_t n)
{
	size_t ql = strlen(q), sl = strlen(sep);
	char *s = malloc(n * (ql + sl) + 1), *p = s;
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		if (i) {
			memcpy(p, sep, sl);
			p += sl;
		}
		memcpy(p, q, ql);
		p += ql;
	}
	*p = '\0';
	return s;
}

/* The status of parsing text; *msg gets the message (freed by caller). */
static pvd_status
parse(const char *text, char **msg)
{
	pvdi_query *q = NULL;
	*msg = NULL;
	pvd_status st = pvdi_query_parse(&q, text, msg);
	pvdi_query_free(q);
	return st;
}

static void
refused_naming(const char *text, const char *words)
{
	char *msg;
	assert_int_equal(parse(text, &msg), PVD_EQUERY);
	assert_non_null(msg);
	if (!strstr(msg, words))
		fail_msg("message %s names no %s", msg, words);
	free(msg);
}

static void
depth(void **state)
{
	(void)state;
	char text[512];
	/* 45,000 open parentheses: refused, not a stack overflow */
	char *deep = repeat("(", "", 45000);
	char *msg;
	assert_int_equal(parse(deep, &msg), PVD_EQUERY);
	free(msg);
	free(deep);
	snprintf(
	    text, sizeof text, "%.*sville", PVDI_MAX_DEPTH + 1,
	    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((");
	refused_naming(text, "parentheses");
	snprintf(
	    text, sizeof text, "%.*sville", PVDI_MAX_DEPTH,
	    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((");
	assert_int_equal(parse(text, &msg), PVD_OK);
	free(msg);
}

static void
length(void **state)
{
	(void)state;
	/* U+FDFA is one character, eighteen once normalised */
	char *q = repeat("\xef\xb7\xba", "", PVDI_MAX_QUERY_CHARS / 18 + 1);
	refused_naming(q, "too long");
	free(q);
	q = repeat("\xef\xb7\xba", "", PVDI_MAX_QUERY_CHARS / 18 - 1);
	char *msg;
	pvd_status st = parse(q, &msg);
	assert_true(st == PVD_OK || st == PVD_EQUERY);
	if (msg && strstr(msg, "too long"))
		fail_msg("%s", msg);
	free(msg);
	free(q);
}

static void
operands(void **state)
{
	(void)state;
	char buf[8 * PVDI_MAX_TERMS], *p = buf;
	for (int i = 0; i < PVDI_MAX_TERMS + 20; i++)
		p += sprintf(p, "%sm%d", i ? " " : "", i);
	refused_naming(buf, "too many words");
	/* the same wildcard 250 times is one operand */
	char *same = repeat("co*", " OU ", 250);
	char *msg;
	assert_true(strlen(same) > PVDI_MAX_QUERY_CHARS / 2);
	assert_int_equal(parse(same, &msg), PVD_OK);
	free(msg);
	free(same);
}

static void
wildcards(void **state)
{
	(void)state;
	char buf[1024], *p = buf;
	for (int i = 0; i <= PVDI_MAX_WILDCARDS; i++)
		p += sprintf(p, "%s%c%c*", i ? " OU " : "", 'a' + i % 26, 'b' + i / 26);
	refused_naming(buf, "wildcards");
	pvdi_query *q = NULL;
	char *msg = NULL;
	assert_int_equal(pvdi_query_parse(&q, "ing* OU vil* OU cen* OU ing*", &msg),
			 PVD_OK);
	/* three different prefixes share the total */
	assert_int_equal(q->wildcard_limit, PVDI_MAX_EXPANSIONS / 3);
	pvdi_query_free(q);
	assert_int_equal(pvdi_query_parse(&q, "ing*", &msg), PVD_OK);
	assert_int_equal(q->wildcard_limit, PVDI_MAX_PER_WILDCARD);
	pvdi_query_free(q);
}

static void
partial(void **state)
{
	(void)state;
	pvd_index *ix = NULL;
	const char *dbs[] = {index_dir};
	assert_int_equal(pvd_index_open(&ix, dbs, 1, NULL), PVD_OK);
	pvd_request req = {.query = "ville OU commune OU centre OU ingénierie",
			   .limit = 20};
	pvd_results *r = NULL;
	char *json = NULL;
	/* no limit: whole, no flag */
	assert_int_equal(pvd_search(&r, ix, &req), PVD_OK);
	assert_int_equal(pvd_results_json(r, &json), PVD_OK);
	assert_false(pvd_results_partial(r));
	assert_null(strstr(json, "\"partial\""));
	free(json);
	pvd_results_free(r);
	/* a deadline already past: whatever was found, flagged */
	req.time_limit = 1e-9;
	assert_int_equal(pvd_search(&r, ix, &req), PVD_OK);
	assert_int_equal(pvd_results_json(r, &json), PVD_OK);
	assert_true(pvd_results_partial(r));
	assert_non_null(strstr(json, "\"partial\":true"));
	free(json);
	pvd_results_free(r);
	pvd_index_close(ix);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_lib_budget INDEX\n");
		return 2;
	}
	index_dir = argv[1];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(depth),	cmocka_unit_test(length),
	    cmocka_unit_test(operands), cmocka_unit_test(wildcards),
	    cmocka_unit_test(partial),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
