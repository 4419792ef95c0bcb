/*
 * decode.c: any text to UTF-8 through iconv.  8-bit text that is not UTF-8
 * and declares nothing is read as Windows-1252, not ISO-8859-1, so that
 * its 0x92, 0x9C and 0x80 come out as ’, œ and € (Omega reads them as
 * Latin-1 control characters and indexes "cœur" as "c" + "ur").
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indexer.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Counts valid multi-byte sequences and invalid bytes. */
static void
utf8_census(const char *buf, size_t len, size_t *multi, size_t *bad)
{
	*multi = *bad = 0;
	for (size_t i = 0; i < len;) {
		/* ASCII, most of a French text, without a call */
		size_t n =
		    (unsigned char)buf[i] < 0x80 ? 1 : utf8_seq_len(buf + i, len - i);
		if (!n) {
			(*bad)++;
			i++;
		} else {
			*multi += n > 1;
			i += n;
		}
	}
}

/* UTF-8 with each invalid byte replaced by U+FFFD; NULs become spaces. */
static char *
utf8_repair(const char *buf, size_t len, size_t bad, size_t *out_len, size_t *n_bad)
{
	const unsigned char *s = (const unsigned char *)buf;
	/* U+FFFD takes 3 bytes where the bad byte took 1 */
	char *out = malloc(len + 2 * bad + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t n = s[i] < 0x80 ? 1 : utf8_seq_len(buf + i, len - i);
		if (!n) {
			memcpy(o, replacement, 3);
			o += 3;
			(*n_bad)++;
			i++;
		} else {
			memcpy(o, s + i, n);
			if (n == 1 && s[i] == 0)
				*o = ' ';
			o += n;
			i += n;
		}
	}
	*o = '\0';
	*out_len = (size_t)(o - out);
	return out;
}

/* iconv from charset; a byte it cannot convert becomes U+FFFD. */
static char *
convert(const char *buf, size_t len, const char *charset, size_t *out_len, size_t *n_bad)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = 4 * len + 16;
	char *out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	char *in = (char *)buf, *o = out;
	size_t in_left = len, out_left = cap - 1;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			/* cannot happen with 4 bytes per input byte; stay safe */
			break;
		}
		/* EILSEQ or EINVAL (truncated at the end): skip one byte */
		if (out_left < 3)
			break;
		memcpy(o, replacement, 3);
		o += 3;
		out_left -= 3;
		in++;
		in_left--;
		(*n_bad)++;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	*o = '\0';
	*out_len = (size_t)(o - out);
	/* NUL bytes (UTF-16 text with NULs, broken files) end C strings early. */
	for (size_t i = 0; i < *out_len; i++)
		if (!out[i])
			out[i] = ' ';
	return out;
}

char *
decode_text(const char *buf, size_t len, const char *charset, size_t *out_len,
	    size_t *n_bad)
{
	*n_bad = 0;
	size_t multi, bad;
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3)) {
		utf8_census(buf + 3, len - 3, &multi, &bad);
		return utf8_repair(buf + 3, len - 3, bad, out_len, n_bad);
	}
	if (len >= 2 && !memcmp(buf, "\xff\xfe", 2))
		return convert(buf + 2, len - 2, "UTF-16LE", out_len, n_bad);
	if (len >= 2 && !memcmp(buf, "\xfe\xff", 2))
		return convert(buf + 2, len - 2, "UTF-16BE", out_len, n_bad);
	if (charset && *charset && strcasecmp(charset, "utf-8") &&
	    strcasecmp(charset, "utf8")) {
		/* Latin-1 is a subset of Windows-1252 in practice: pages that
		 * say iso-8859-1 use 0x92 for ’ too. */
		const char *cs =
		    !strcasecmp(charset, "iso-8859-1") || !strcasecmp(charset, "latin1")
			? "WINDOWS-1252"
			: charset;
		char *out = convert(buf, len, cs, out_len, n_bad);
		if (out)
			return out;
	}
	utf8_census(buf, len, &multi, &bad);
	/* UTF-8 with a few broken sequences stays UTF-8. */
	if (bad == 0 || (multi > 0 && bad <= 3 + multi / 20))
		return utf8_repair(buf, len, bad, out_len, n_bad);
	return convert(buf, len, "WINDOWS-1252", out_len, n_bad);
}
