/*
 * fold.c: the one folding that documents and queries share.  A word becomes
 * two forms: "lower" (NFKC, case-folded, ligatures œ and æ spelled out,
 * accents kept) for the stemmer, and "folded" (lower without combining
 * marks) for matching, so that ingénierie, INGÉNIERIE, ingenierie and a
 * decomposed e + U+0301 all meet.
 */
#include <string.h>

#include <utf8proc.h>

#include "pvd-private.h"

/* Code points one word may decompose into.  NFKD can multiply a word's
 * length (U+FDFA gives 18 code points), so this bounds the work. */
#define CP_CAP 192

static int
is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Most French words are plain ASCII: lower-case them without utf8proc. */
static int
fold_ascii(pvdi_forms *out, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		out->lower[n++] = (char)c;
	}
	out->lower[n] = '\0';
	memcpy(out->folded, out->lower, n + 1);
	out->lower_len = out->folded_len = n;
	return n ? 0 : -1;
}

/* Compose cps[0..n) and write it as UTF-8 into dst; returns the length or -1. */
static ssize_t
encode(char *dst, size_t cap, utf8proc_int32_t *cps, size_t n)
{
	utf8proc_ssize_t r = utf8proc_reencode(cps, (utf8proc_ssize_t)n,
					       UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	if (r < 0 || (size_t)r >= cap)
		return -1;
	memcpy(dst, cps, (size_t)r);
	dst[r] = '\0';
	return r;
}

static int
is_mark(utf8proc_int32_t c)
{
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
	       cat == UTF8PROC_CATEGORY_ME;
}

int
pvdi_fold_word(pvdi_forms *out, const char *s, size_t len)
{
	utf8proc_int32_t nfkd[CP_CAP], lower[2 * CP_CAP], bare[2 * CP_CAP];
	size_t n_lower = 0, n_bare = 0;

	out->lower[0] = out->folded[0] = '\0';
	out->lower_len = out->folded_len = 0;
	if (len == 0 || len > PVDI_WORD_MAX)
		return -1;
	if (is_ascii(s, len))
		return fold_ascii(out, s, len);

	utf8proc_ssize_t n = utf8proc_decompose(
	    (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, nfkd, CP_CAP,
	    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE |
		UTF8PROC_STABLE);
	if (n <= 0 || n > CP_CAP)
		return -1;

	for (utf8proc_ssize_t i = 0; i < n; i++) {
		utf8proc_int32_t c = nfkd[i];
		/* utf8proc keeps œ and æ as letters of their own. */
		if (c == 0x0153 || c == 0x00E6) {
			lower[n_lower++] = c == 0x0153 ? 'o' : 'a';
			lower[n_lower++] = 'e';
		} else {
			lower[n_lower++] = c;
		}
	}
	for (size_t i = 0; i < n_lower; i++)
		if (!is_mark(lower[i]))
			bare[n_bare++] = lower[i];
	if (n_bare == 0)
		return -1;

	ssize_t lr = encode(out->lower, sizeof out->lower, lower, n_lower);
	ssize_t fr = encode(out->folded, sizeof out->folded, bare, n_bare);
	if (lr <= 0 || fr <= 0 || lr > PVDI_TERM_MAX || fr > PVDI_TERM_MAX) {
		out->lower[0] = out->folded[0] = '\0';
		return -1;
	}
	out->lower_len = (size_t)lr;
	out->folded_len = (size_t)fr;
	return 0;
}
