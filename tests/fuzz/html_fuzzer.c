/*
 * html_fuzzer.c: the HTML extraction (libxml2's HTML parser, our walk of
 * the tree, meta tags, dates, communes) against any bytes.
 */
#include "fuzz_input.h"
#include "indexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	extracted x;
	memset(&x, 0, sizeof x);
	char *reason = NULL;
	extract_html(&x, (const char *)data, size, &reason);
	free(reason);
	extracted_clear(&x);
	return 0;
}
