/*
 * unit.h: helpers the indexer's unit tests share (after <cmocka.h>):
 * string assertions, reading a fixture file whole, and comparing extracted
 * text by its words.
 */
#ifndef PVD_UNIT_H
#define PVD_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* got is not NULL and equals want. */
#define assert_str(got, want)                                                            \
	do {                                                                             \
		assert_non_null(got);                                                    \
		assert_string_equal(got, want);                                          \
	} while (0)

/* got contains want, shown in full when it does not. */
#define assert_contains(got, want)                                                       \
	do {                                                                             \
		assert_non_null(got);                                                    \
		if (!strstr(got, want))                                                  \
			fail_msg("\"%s\" not found in:\n%s", want, got);                 \
	} while (0)

/* got starts with want. */
#define assert_prefix(got, want)                                                         \
	do {                                                                             \
		assert_non_null(got);                                                    \
		if (strncmp(got, want, strlen(want)) != 0)                               \
			fail_msg("\"%s\" does not start with \"%s\"", got, want);        \
	} while (0)

#ifdef PVD_FIXTURES
/* A file of tests/fixtures (or a path relative to it), read whole. */
static inline char *
slurp(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", PVD_FIXTURES, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}
#endif

/* text with its runs of ASCII white space made single spaces and the ends
 * trimmed, so that tests compare words, not layout.  Freed by the caller. */
static inline char *
squash(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	int space = 0;
	assert_non_null(out);
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

#endif
