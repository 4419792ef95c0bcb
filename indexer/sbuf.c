/*
 * sbuf.c: a growable, NUL-terminated string buffer for the extractors,
 * which remember running out of memory instead of checking every append.
 */
#include <stdlib.h>
#include <string.h>

#include "indexer.h"

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
