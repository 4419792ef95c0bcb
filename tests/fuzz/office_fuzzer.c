/*
 * office_fuzzer.c: OpenDocument text and Word DOCX through libzip and
 * libxml2, against any bytes: each input is read as both.
 */
#include "fuzz_input.h"
#include "indexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int docx = 0; docx < 2; docx++) {
		extracted x;
		memset(&x, 0, sizeof x);
		char *reason = NULL;
		if (docx)
			extract_docx(&x, (const char *)data, size, &reason);
		else
			extract_odt(&x, (const char *)data, size, &reason);
		free(reason);
		extracted_clear(&x);
	}
	return 0;
}
