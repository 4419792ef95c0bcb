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

#include "sbuf.h"
#include "searchd.h"

/* jansson's writer: every write after a failed one fails too (sbuf.oom) */
static int
append(const char *bytes, size_t n, void *arg)
{
	sbuf *b = arg;
	sbuf_put(b, bytes, n);
	return b->oom ? -1 : 0;
}

char *
searchd_json_dumps(const json_t *j, size_t flags)
{
	sbuf b = {NULL, 0, 0, 0};
	if (!j || json_dump_callback(j, append, &b, flags) != 0 || b.oom || !b.s) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
