/*
 * suggest-case.c: a spelling suggestion written the way the user wrote
 * the word it replaces ("Monrejeau" gives "Montréjeau", "MONREJEAU"
 * "MONTRÉJEAU"), and a commune's official spelling when the corrected
 * word names one ("Bagneres-de-Luchin" gives "Bagnères-de-Luchon").
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "places.h"
#include "pvd-private.h"

/* How the letters of s[0..len) are cased. */
typedef enum { CASE_LOWER, CASE_FIRST, CASE_ALL } casing;

static casing
casing_of(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t at = 0;
	size_t upper = 0, lower = 0;
	int first_upper = -1;
	while ((size_t)at < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n =
		    utf8proc_iterate(p + at, (utf8proc_ssize_t)len - at, &c);
		if (n <= 0)
			break;
		at += n;
		if (utf8proc_isupper(c))
			upper++;
		else if (utf8proc_islower(c))
			lower++;
		else
			continue;
		if (first_upper < 0)
			first_upper = utf8proc_isupper(c);
	}
	if (upper >= 2 && lower == 0)
		return CASE_ALL;
	return first_upper == 1 ? CASE_FIRST : CASE_LOWER;
}

char *
pvdi_suggest_cased(const char *fix, const char *typed, size_t typed_len)
{
	casing k = casing_of(typed, typed_len);
	size_t len = strlen(fix);
	/* upper case is at most 3 bytes longer a character in UTF-8 */
	char *out = malloc(4 * len + 1), *o = out;
	if (!out)
		return NULL;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)fix;
	utf8proc_ssize_t at = 0;
	int first = 1;
	while ((size_t)at < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t n =
		    utf8proc_iterate(p + at, (utf8proc_ssize_t)len - at, &c);
		if (n <= 0) {
			c = p[at];
			n = 1;
			*o++ = (char)c; /* not UTF-8: as it is */
			at += n;
			continue;
		}
		at += n;
		if (k == CASE_ALL || (k == CASE_FIRST && first))
			c = utf8proc_toupper(c);
		first = first && !utf8proc_isupper(c) && !utf8proc_islower(c);
		o += utf8proc_encode_char(c, (utf8proc_uint8_t *)o);
	}
	*o = '\0';
	return out;
}

const char *
pvdi_suggest_commune(const char *written, size_t len, int capitalised)
{
	char key[PVDI_PLACE_KEY_CAP];
	size_t first;
	if (!pvdi_place_key(key, sizeof key, written, len) ||
	    !pvdi_communes_by_key(key, &first))
		return NULL;
	const pvdi_cog_commune *c = &pvdi_cog_communes[first];
	/* École, Eu: a common word typed in lower case stays a word */
	if ((c->flags & PVDI_COG_COMMON) && !capitalised)
		return NULL;
	return PVDI_COG_STR(c->name);
}
