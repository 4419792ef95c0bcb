/*
 * fuzz_input.h: what the libFuzzer targets of tests/fuzz/ share: their
 * entry point, and the input as a NUL-terminated copy.
 */
#ifndef PVD_FUZZ_INPUT_H
#define PVD_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a malloc'ed string (a NUL may sit inside), or NULL */
static inline char *
fuzz_copy(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
