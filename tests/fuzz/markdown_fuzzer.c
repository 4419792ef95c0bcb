/*
 * markdown_fuzzer.c: plain text and Markdown with their front matter
 * (title, date, type, communes), and the "Tags :" line, against any bytes.
 * The first byte says Markdown (odd) or plain text (even).
 */
#include "fuzz_input.h"
#include "indexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	extracted x;
	memset(&x, 0, sizeof x);
	if (extract_text(&x, (const char *)data + 1, size - 1, data[0] & 1) == 0)
		communes_from_tags(&x);
	extracted_clear(&x);
	return 0;
}
