/*
 * query_fuzzer.c: the query front end and the text analysis against any
 * bytes: parse them as a query, describe the tree, tokenize and fold them
 * as a text, and make a snippet of them for the query.  Nothing may crash,
 * leak or read out of bounds (run under the sanitizers).
 *
 * Built two ways: with -fsanitize=fuzzer as a libFuzzer target
 * (LLVMFuzzerTestOneInput), or, as here under ctest, with the standalone
 * driver below, which replays the seeds in tests/fuzz/seeds/ and a fixed
 * number of deterministic mutations of them.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

static int
count_word(const pvdi_token *tok, void *arg)
{
	(*(size_t *)arg) += tok->forms->folded_len > 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same(const pvdi_snippet *a, const pvdi_snippet *b)
{
	if (strcmp(a->text, b->text) != 0 || a->n_spans != b->n_spans)
		return 0;
	for (size_t i = 0; i < a->n_spans; i++)
		if (a->spans[i].start != b->spans[i].start ||
		    a->spans[i].end != b->spans[i].end)
			return 0;
	return 1;
}

/* Read a part at a time (half, then all), the passage is the whole
 * text's: when the start says it is sure, and after going on. */
static void
same_from_a_start(const pvdi_query *q, const char *text, size_t size,
		  const pvdi_snippet *whole)
{
	size_t half = size / 2;
	while (half > 0 && ((unsigned char)text[half] & 0xC0) == 0x80)
		half--;
	pvdi_passage *p;
	if (pvdi_passage_begin(&p, q, 200) != 0)
		return;
	pvdi_snippet s;
	int rc = pvdi_passage_make(p, &s, text, half, 1);
	if (rc == PVDI_SNIPPET_MORE)
		rc = pvdi_passage_make(p, &s, text, size, 0);
	if (rc == 0) {
		if (!same(&s, whole))
			abort();
		pvdi_snippet_clear(&s);
	}
	pvdi_passage_end(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	size_t words = 0;
	pvdi_tokenize(text, size, 0, count_word, &words);

	pvdi_query *q = NULL;
	char *err = NULL;
	/* the query is what comes before a NUL, as a C string */
	if (pvdi_query_parse(&q, text, &err) == PVD_OK) {
		char *d = pvdi_query_describe(q->root);
		free(d);
		pvdi_snippet s;
		if (pvdi_snippet_make(&s, text, size, q, 200) == 0) {
			same_from_a_start(q, text, size, &s);
			pvdi_snippet_clear(&s);
		}
		pvdi_query_free(q);
	}
	free(err);
	char key[PVDI_FORM_CAP];
	pvdi_filter_key(key, sizeof key, text);
	free(text);
	return 0;
}

#ifndef PVD_LIBFUZZER
#include "mutate.h"

static const char *const pieces[] = {
    "\"",
    "(",
    ")",
    "-",
    "+",
    "*",
    "AND ",
    " OR ",
    "NOT ",
    "SAUF ",
    "titre:",
    "type:",
    "commune:",
    "l'",
    "l\xe2\x80\x99",
    "\xcc\x81",
    "\xc2\xad",
    "\xe2\x80\xaf",
    "20 000",
    "\xff",
    "\xc3",
    "\xe2\x80",
    "\xf0\x9f\x98\x80",
    "ANCT",
    "A.N.C.T.",
    "\t",
    "\n",
    " ",
    "ing\xc3\xa9nierie",
    "\xc5\x93",
    "\xef\xac\x81",
    "petites villes de demain",
    "\0",
};

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: query_fuzzer SEEDS_DIR MUTATIONS\n");
		return 2;
	}
	long mutations = atol(argv[2]);
	mutator mut = {0x9E3779B97F4A7C15ULL, pieces, sizeof pieces / sizeof pieces[0]};
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 2;
	}
	struct dirent *e;
	long runs = 0;
	char buf[8192];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof buf / 2, f);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		runs++;
		for (long m = 0; m < mutations; m++) {
			char work[sizeof buf];
			size_t wl = len;
			memcpy(work, buf, len);
			mutate(&mut, work, &wl, sizeof work, 0);
			LLVMFuzzerTestOneInput((const uint8_t *)work, wl);
			runs++;
		}
	}
	closedir(d);
	printf("fuzz: %ld passed, 0 failed\n", runs);
	return 0;
}
#endif
