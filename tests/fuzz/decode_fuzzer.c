/*
 * decode_fuzzer.c: the file-kind detection (libmagic and our sniffing) and
 * the decoding to UTF-8 against any bytes.  The first byte picks the
 * declared charset, as an HTML meta or front matter would give it.
 */
#include "fuzz_input.h"
#include "indexer.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = {NULL,	       "utf-8",	 "ISO-8859-1",
					       "windows-1252", "UTF-16", "UTF-16BE",
					       "macintosh",    "bogus"};
	static detector *det;
	char *msg = NULL;
	if (!det && !(det = detector_new(&msg)))
		abort(); /* libmagic's database is missing: nothing to fuzz */
	if (size == 0)
		return 0;
	const char *cs = charsets[data[0] % (sizeof charsets / sizeof charsets[0])];
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	char mime[128];
	detect_kind(det, "fuzz.bin", buf, len, mime, sizeof mime);
	size_t out_len = 0, n_bad = 0;
	char *text = decode_text(buf, len, cs, &out_len, &n_bad);
	if (text && !utf8_valid(text, out_len))
		abort(); /* decoding promises UTF-8 */
	free(text);
	return 0;
}
