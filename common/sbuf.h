/*
 * sbuf.h: a growable, NUL-terminated string (common/sbuf.c).
 */
#ifndef PVD_SBUF_H
#define PVD_SBUF_H

#include <stddef.h>

typedef struct sbuf {
	char *s;
	size_t len, cap;
	int oom; /* an append failed: the text is cut, every later append too */
} sbuf;

/* Appends n bytes of s, keeping b->s NUL-terminated; sets b->oom instead of
 * failing. */
void sbuf_put(sbuf *b, const char *s, size_t n);

#endif
