/*
 * pdf_fuzzer.c: PDF through our poppler glue (pages, hyphens, ligatures,
 * document information), against any bytes.
 */
#include "fuzz_input.h"
#include "indexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	extracted x;
	memset(&x, 0, sizeof x);
	char *reason = NULL;
	int skip = 0;
	extract_pdf(&x, (const char *)data, size, &reason, &skip);
	free(reason);
	extracted_clear(&x);
	return 0;
}
