/*
 * query-places.c: the spellings of a commune a query names, so that
 * "St-Gaudens" finds the documents that write "Saint-Gaudens" and back,
 * "Luchon" those that write "Bagnères-de-Luchon" and back.
 */
#include <stdlib.h>
#include <string.h>

#include "places.h"
#include "pvd-private.h"

typedef struct spelling {
	char s[PVDI_PLACE_KEY_CAP * 2];
	size_t len;
} spelling;

static int
add_word(const pvdi_token *tok, void *arg)
{
	spelling *sp = arg;
	size_t n = tok->forms->folded_len;
	if (tok->alt || sp->len + n + 2 > sizeof sp->s)
		return 0;
	if (sp->len)
		sp->s[sp->len++] = ' ';
	memcpy(sp->s + sp->len, tok->forms->folded, n);
	sp->len += n;
	sp->s[sp->len] = '\0';
	return 0;
}

/* Add text to the '\n'-joined list unless it is there or is the typed. */
static int
add_line(char **all, size_t *len, const char *text, const char *typed)
{
	if (!strcmp(text, typed))
		return 0;
	size_t n = strlen(text);
	for (const char *p = *all; p && (p = strstr(p, text)); p += n)
		if ((p == *all || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return 0;
	char *v = realloc(*all, *len + n + 2);
	if (!v)
		return -1;
	if (*len)
		v[(*len)++] = '\n';
	memcpy(v + *len, text, n + 1);
	*len += n;
	*all = v;
	return 0;
}

/* words with each word equal to from[k] written to[k] instead. */
static void
swap_words(char *out, size_t cap, const char *words, const char *const from[2],
	   const char *const to[2])
{
	size_t o = 0;
	for (const char *w = words; *w;) {
		size_t n = strcspn(w, " ");
		const char *rep = NULL;
		for (int k = 0; k < 2 && !rep; k++)
			if (strlen(from[k]) == n && !memcmp(w, from[k], n))
				rep = to[k];
		size_t rn = rep ? strlen(rep) : n;
		if (o + rn + 2 > cap)
			break;
		memcpy(out + o, rep ? rep : w, rn);
		o += rn;
		w += n;
		if (*w == ' ') {
			out[o++] = ' ';
			w++;
		}
	}
	out[o] = '\0';
}

static const char *const long_forms[2] = {"saint", "sainte"};
static const char *const short_forms[2] = {"st", "ste"};

/* The press's forms of a Saint/Sainte name: "st gaudens", "ste croix". */
static void
abbreviated(char *out, size_t cap, const char *words)
{
	swap_words(out, cap, words, long_forms, short_forms);
}

/* words with "st" and "ste" read as "saint" and "sainte". */
static void
expanded(char *out, size_t cap, const char *words)
{
	swap_words(out, cap, words, short_forms, long_forms);
}

char *
pvdi_commune_spellings(const char *const *w, size_t n)
{
	char typed[PVDI_PLACE_KEY_CAP * 2] = "", key[PVDI_PLACE_KEY_CAP];
	size_t tl = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(w[i]);
		if (tl + l + 2 > sizeof typed)
			return NULL;
		if (i)
			typed[tl++] = ' ';
		memcpy(typed + tl, w[i], l + 1);
		tl += l;
	}
	size_t first, many;
	if (!pvdi_place_key(key, sizeof key, typed, tl) ||
	    !(many = pvdi_communes_by_key(key, &first)))
		return NULL;
	/* the typed words with St/Ste read in full, to compare word by word */
	char full[sizeof typed];
	expanded(full, sizeof full, typed);
	char *all = NULL;
	size_t len = 0;
	for (size_t i = first; i < first + many; i++) {
		const pvdi_cog_commune *c = &pvdi_cog_communes[i];
		if (i > first && !strcmp(PVDI_COG_STR(c->name),
					 PVDI_COG_STR(pvdi_cog_communes[i - 1].name)))
			continue;
		spelling sp = {"", 0};
		const char *name = PVDI_COG_STR(c->name);
		pvdi_tokenize(name, strlen(name), 0, add_word, &sp);
		/* "ville bourg" is no way of writing Villebourg, nor "or
		 * ville" Orville: the words must be the name's, but for a
		 * usual name (Luchon) */
		if (strcmp(sp.s, full) && !(c->flags & PVDI_COG_USUAL))
			continue;
		char shortened[sizeof sp.s];
		abbreviated(shortened, sizeof shortened, sp.s);
		if (!sp.len || add_line(&all, &len, sp.s, typed) ||
		    add_line(&all, &len, shortened, typed)) {
			free(all);
			return NULL;
		}
		/* and its usual names: Bagnères-de-Luchon finds Luchon */
		for (size_t u = 0; u < pvdi_cog_n_usuals; u++) {
			if (strcmp(pvdi_cog_usuals[u].code, c->code))
				continue;
			spelling us = {"", 0};
			const char *un = PVDI_COG_STR(pvdi_cog_usuals[u].name);
			pvdi_tokenize(un, strlen(un), 0, add_word, &us);
			if (us.len && add_line(&all, &len, us.s, typed)) {
				free(all);
				return NULL;
			}
		}
	}
	return all;
}
