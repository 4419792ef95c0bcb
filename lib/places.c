/*
 * places.c: place names in any spelling to the official communes,
 * départements and régions of the COG tables that tools/cog-table.py
 * compiles in.  The key rule here must be the generator's: see there.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "places.h"

/* One code point of s[i..len) into *cp; returns its length (1 for a bad
 * byte, read as no letter). */
static size_t
next_cp(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
	unsigned char c = s[i];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
		return 2;
	}
	size_t n = (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	*cp = 0xFFFD;
	for (size_t k = 1; k < n; k++)
		if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* Append one finished word to the key, st/ste read in full. */
static size_t
end_word(char *out, size_t cap, size_t at, size_t word_start)
{
	const char *w = out + word_start;
	size_t n = at - word_start;
	const char *full = n == 2 && !memcmp(w, "st", 2)    ? "saint"
			   : n == 3 && !memcmp(w, "ste", 3) ? "sainte"
							    : NULL;
	if (!full)
		return at;
	size_t fl = strlen(full);
	if (word_start + fl >= cap)
		return word_start;
	memcpy(out + word_start, full, fl);
	return word_start + fl;
}

size_t
pvdi_place_key(char *out, size_t cap, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t at = 0, word_start = 0;
	int in_word = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += next_cp(u, len, i, &cp);
		char one[2] = {0, 0};
		const char *f = "";
		if (cp < 0x80 && isalnum((int)cp)) {
			one[0] = (char)tolower((int)cp);
			f = one;
		} else if (cp >= 0xC0 && cp <= 0x17F) {
			f = pvdi_cog_fold[cp - 0xC0];
		}
		if (!*f) {
			if (in_word)
				at = end_word(out, cap, at, word_start);
			in_word = 0;
			continue;
		}
		if (!in_word) {
			word_start = at;
			in_word = 1;
		}
		for (; *f && at + 1 < cap; f++)
			out[at++] = *f;
	}
	if (in_word)
		at = end_word(out, cap, at, word_start);
	if (cap)
		out[at < cap ? at : cap - 1] = '\0';
	return at;
}

static uint32_t
fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int
pvdi_place_first_word(const char *s, size_t len)
{
	char key[PVDI_PLACE_KEY_CAP];
	if (!pvdi_place_key(key, sizeof key, s, len))
		return 0;
	uint32_t h = fnv1a(key), bits = 1u << 18;
	uint32_t b1 = h & (bits - 1), b2 = (h >> 14) & (bits - 1);
	return (pvdi_cog_first_words[b1 / 8] >> (b1 % 8) & 1) &&
	       (pvdi_cog_first_words[b2 / 8] >> (b2 % 8) & 1);
}

size_t
pvdi_communes_by_key(const char *key, size_t *first)
{
	if (!*key)
		return 0;
	size_t mask = pvdi_cog_hash_size - 1;
	for (size_t h = fnv1a(key) & mask;; h = (h + 1) & mask) {
		uint32_t slot = pvdi_cog_hash[h];
		if (!slot)
			return 0;
		size_t i = slot - 1;
		const char *k = PVDI_COG_STR(pvdi_cog_communes[i].key);
		if (strcmp(k, key))
			continue;
		size_t n = 1;
		while (i + n < pvdi_cog_n_communes &&
		       pvdi_cog_communes[i + n].key == pvdi_cog_communes[i].key)
			n++;
		*first = i;
		return n;
	}
}

/* "31020", "2a004": an INSEE code's shape. */
static int
insee_shaped(const char *s)
{
	if (strlen(s) != 5)
		return 0;
	int corsica = s[0] == '2' && strchr("aAbB", s[1]);
	for (int i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]) && !(i == 1 && corsica))
			return 0;
	return 1;
}

long
pvdi_commune_by_code(const char *code)
{
	char c[6];
	if (!insee_shaped(code))
		return -1;
	for (int i = 0; i < 6; i++)
		c[i] = (char)toupper((unsigned char)code[i]);
	size_t lo = 0, hi = pvdi_cog_n_by_code;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(pvdi_cog_communes[pvdi_cog_by_code[mid]].code, c);
		if (d == 0)
			return (long)pvdi_cog_by_code[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A département code as written by people: "31", "2a", "974", "1" (01). */
static int
dept_code(char out[4], const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 3)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int corsica = i == 1 && n == 2 && s[0] == '2' && strchr("aAbB", s[1]);
		if (!isdigit((unsigned char)s[i]) && !corsica)
			return 0;
	}
	if (n == 1) {
		out[0] = '0';
		out[1] = s[0];
		out[2] = '\0';
	} else {
		for (size_t i = 0; i <= n; i++)
			out[i] = (char)toupper((unsigned char)s[i]);
	}
	return 1;
}

long
pvdi_dept_find(const char *s)
{
	char code[4], key[PVDI_PLACE_KEY_CAP];
	if (dept_code(code, s)) {
		for (size_t i = 0; i < pvdi_cog_n_depts; i++)
			if (!strcmp(pvdi_cog_depts[i].code, code))
				return (long)i;
		return -1;
	}
	if (!pvdi_place_key(key, sizeof key, s, strlen(s)))
		return -1;
	for (size_t i = 0; i < pvdi_cog_n_depts; i++) {
		const char *k = PVDI_COG_STR(pvdi_cog_depts[i].key);
		if (k[0] == key[0] && !strcmp(k, key))
			return (long)i;
	}
	return -1;
}

long
pvdi_region_find(const char *s)
{
	char key[PVDI_PLACE_KEY_CAP];
	size_t n = pvdi_place_key(key, sizeof key, s, strlen(s));
	for (size_t i = 0; n && i < pvdi_cog_n_regions; i++)
		if (!strcmp(PVDI_COG_STR(pvdi_cog_regions[i].key), key) ||
		    !strcmp(pvdi_cog_regions[i].code, key))
			return (long)i;
	return -1;
}

long
pvdi_commune_resolve(const char *s, size_t *n)
{
	char key[PVDI_PLACE_KEY_CAP];
	size_t first;
	long code = pvdi_commune_by_code(s);
	*n = code >= 0;
	if (code >= 0)
		return code;
	pvdi_place_key(key, sizeof key, s, strlen(s));
	*n = pvdi_communes_by_key(key, &first);
	return *n == 1 ? (long)first : -1;
}
