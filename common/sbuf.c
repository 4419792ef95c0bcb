/*
 * sbuf.c: a growable, NUL-terminated string buffer that remembers running
 * out of memory instead of having every append checked.  One source, built
 * into libpvd (which exports only pvd_*) and into the programs that need it
 * (the extractors, pvd-searchd's JSON writer).
 */
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

void
sbuf_put(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}
