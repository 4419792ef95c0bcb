/*
 * analysis_fuzzer.c: the French analysis of a document's text against any
 * bytes: pvd_prepare() tokenizes, folds, stems and packs them (terms,
 * positions, stored text), as pvd-index does for every file.
 */
#include "fuzz_input.h"
#include "pvd.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	if (!text)
		return 0;
	pvd_doc d;
	memset(&d, 0, sizeof d);
	d.path = "fuzz.txt";
	d.title = text; /* up to the first NUL */
	d.text = text;
	d.text_len = size;
	pvd_prepared *p = NULL;
	if (pvd_prepare(&p, &d) == PVD_OK)
		pvd_prepared_free(p);
	free(text);
	return 0;
}
