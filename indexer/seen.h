/*
 * seen.h: a set of 64-bit keys (open addressing), for what pvd-index has
 * met already: folders and files by device and inode, paths by hash.
 */
#ifndef PVD_SEEN_H
#define PVD_SEEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct seen_set {
	uint64_t *v; /* 0 marks an empty slot; key 0 is stored as 1 */
	size_t n, cap;
} seen_set;

/* 1 when key was new, 0 when it was there, -1 when out of memory. */
int seen_add(seen_set *s, uint64_t key);
int seen_has(const seen_set *s, uint64_t key);
void seen_clear(seen_set *s);

/* 64-bit FNV-1a of a string. */
uint64_t seen_hash(const char *s);

#endif
