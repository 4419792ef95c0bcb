/*
 * seen.c: a growable set of 64-bit keys with open addressing.
 */
#include <stdlib.h>

#include "seen.h"

static size_t
slot(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

static int
insert(seen_set *s, uint64_t key)
{
	size_t i = slot(key, s->cap);
	while (s->v[i]) {
		if (s->v[i] == key)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = key;
	s->n++;
	return 1;
}

int
seen_add(seen_set *s, uint64_t key)
{
	if (!key)
		key = 1;
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		seen_set bigger = {calloc(cap, sizeof(uint64_t)), 0, cap};
		if (!bigger.v)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				insert(&bigger, s->v[i]);
		free(s->v);
		*s = bigger;
	}
	return insert(s, key);
}

int
seen_has(const seen_set *s, uint64_t key)
{
	if (!key)
		key = 1;
	if (!s->cap)
		return 0;
	for (size_t i = slot(key, s->cap); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == key)
			return 1;
	return 0;
}

void
seen_clear(seen_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

uint64_t
seen_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}
