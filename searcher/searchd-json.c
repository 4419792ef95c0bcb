/*
 * searchd-json.c: json_dumps() for the daemon's own answers (errors,
 * /stats, /health, --docs links) that fails as a whole.  jansson 2.14 goes
 * on writing after a failed write of an object's key, so its json_dumps()
 * can return a damaged text when memory runs out (tests/daemon/test_oom.py
 * caught `{"error":{"code":"too_large",":"...`); libpvd's answers go through
 * the same kind of buffer (lib/json.c).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "searchd.h"

typedef struct whole_buf {
	char *s;
	size_t len, cap;
	int failed; /* a write failed: every later one does too */
} whole_buf;

static int
append(const char *bytes, size_t n, void *arg)
{
	whole_buf *b = arg;
	if (b->failed)
		return -1;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = 1;
			return -1;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, bytes, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

char *
searchd_json_dumps(const json_t *j, size_t flags)
{
	whole_buf b = {NULL, 0, 0, 0};
	if (!j || json_dump_callback(j, append, &b, flags) != 0 || b.failed || !b.s) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
