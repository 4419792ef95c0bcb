/*
 * mutate.h: the mutations of the query and params targets when they run as
 * ordinary ctest programs (without libFuzzer): the same on every run
 * (xorshift), each inserting one of the target's pieces, deleting a byte or
 * changing one, from byte `from` on (params keeps its first byte, which
 * says GET or POST).
 */
#ifndef PVD_FUZZ_MUTATE_H
#define PVD_FUZZ_MUTATE_H

#include <stdint.h>
#include <string.h>

typedef struct mutator {
	uint64_t state; /* not 0 */
	const char *const *pieces;
	size_t n_pieces; /* a piece "" stands for one NUL byte */
} mutator;

static uint64_t
mutator_next(mutator *m)
{
	m->state ^= m->state << 13;
	m->state ^= m->state >> 7;
	m->state ^= m->state << 17;
	return m->state;
}

/* 1 to 8 changes to buf[0..*len), which holds cap bytes at most. */
static void
mutate(mutator *m, char *buf, size_t *len, size_t cap, size_t from)
{
	for (int n = 1 + (int)(mutator_next(m) % 8); n > 0; n--) {
		if (*len < from)
			return;
		size_t at = from + mutator_next(m) % (*len - from + 1);
		switch (mutator_next(m) % 3) {
		case 0: { /* insert a piece */
			const char *p = m->pieces[mutator_next(m) % m->n_pieces];
			size_t pl = *p ? strlen(p) : 1;
			if (*len + pl >= cap)
				break;
			memmove(buf + at + pl, buf + at, *len - at);
			memcpy(buf + at, p, pl);
			*len += pl;
			break;
		}
		case 1: /* delete a byte */
			if (at < *len) {
				memmove(buf + at, buf + at + 1, *len - at - 1);
				(*len)--;
			}
			break;
		default: /* change a byte */
			if (at < *len)
				buf[at] = (char)(mutator_next(m) & 0xff);
		}
	}
}

#endif
