/*
 * dates_fuzzer.c: dates written in French ("1er janvier 2024") and the
 * ISO dates of metadata, against any bytes.  What is found must be a real
 * YYYY-MM-DD date.
 */
#include "fuzz_input.h"
#include "indexer.h"
#include "pvd.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	if (!text)
		return 0;
	char out[11];
	if (french_date(text, size, out) && !pvd_date_valid(out))
		abort();
	extracted x;
	memset(&x, 0, sizeof x);
	set_date(&x, text);
	if (x.date && !pvd_date_valid(x.date))
		abort();
	extracted_clear(&x);
	free(text);
	return 0;
}
