/*
 * stems.c: the stems a word is indexed and searched under, and the key a
 * commune is filed under.  Snowball's French stemmer reads accents
 * ("dernière" and "derniere" stem apart), so a word is stemmed both with
 * its accents (then folded) and without them, and both stems are kept when
 * they differ: accented and unaccented queries then both find it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

/*
 * Stemming is the costly part of the analysis, and a corpus uses the same
 * few thousand words over and over: each thread keeps the stems of the
 * words it met in a direct-mapped cache keyed by the word's lower form.
 * The cache starts small: a pvd-search stems a few dozen words, and each
 * page of a large table it touched would cost it a page fault (a big share
 * of a launch); a thread that stems more moves to the large table.
 */
#define CACHE_SLOTS 8192
#define CACHE_SLOTS_FIRST 128
#define CACHE_WORD 32

typedef struct cache_entry {
	char word[CACHE_WORD]; /* "" when empty */
	char stem[2][CACHE_WORD];
	int n;
} cache_entry;

typedef struct stem_cache {
	size_t slots;	 /* a power of 2 */
	unsigned misses; /* while small: when to move to the large table */
	cache_entry slot[];
} stem_cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void
make_key(void)
{
	pthread_key_create(&cache_key, free);
}

/* This thread's cache made anew with the given slots, in place of old;
 * old (maybe NULL) when out of memory. */
static stem_cache *
cache_with(stem_cache *old, size_t slots)
{
	stem_cache *c = calloc(1, sizeof *c + slots * sizeof c->slot[0]);
	if (!c || pthread_setspecific(cache_key, c)) {
		free(c);
		return old;
	}
	c->slots = slots;
	free(old);
	return c;
}

static cache_entry *
cache_slot(const char *word, size_t len)
{
	pthread_once(&cache_once, make_key);
	stem_cache *c = pthread_getspecific(cache_key);
	if (!c && !(c = cache_with(NULL, CACHE_SLOTS_FIRST)))
		return NULL;
	uint64_t h = pvdi_fnv1a(PVDI_FNV_START, word, len);
	return &c->slot[h & (c->slots - 1)];
}

/* A word was stemmed, not found in the cache. */
static void
cache_missed(void)
{
	stem_cache *c = pthread_getspecific(cache_key);
	if (c && c->slots < CACHE_SLOTS && ++c->misses == 4 * CACHE_SLOTS_FIRST)
		cache_with(c, CACHE_SLOTS);
}

static int stems_uncached(pvdi_stems *out, const pvdi_forms *f);

int
pvdi_stems_of(pvdi_stems *out, const pvdi_forms *f)
{
	cache_entry *e =
	    f->lower_len < CACHE_WORD ? cache_slot(f->lower, f->lower_len) : NULL;
	if (e && !strcmp(e->word, f->lower)) {
		out->n = e->n;
		for (int i = 0; i < e->n; i++)
			strcpy(out->s[i], e->stem[i]);
		return 0;
	}
	if (stems_uncached(out, f) != 0)
		return -1; /* not cached: "no stem" would stick to the word */
	if (!e)
		return 0;
	for (int i = 0; i < out->n; i++)
		if (strlen(out->s[i]) >= CACHE_WORD)
			return 0;
	memcpy(e->word, f->lower, f->lower_len + 1);
	e->n = out->n;
	for (int i = 0; i < out->n; i++)
		strcpy(e->stem[i], out->s[i]);
	cache_missed(); /* (e may be gone after it) */
	return 0;
}

static int
stems_uncached(pvdi_stems *out, const pvdi_forms *f)
{
	char accented[PVDI_FORM_CAP];
	pvdi_forms ff;

	out->n = 0;
	if (f->folded_len == 0)
		return 0;
	/* stem(folded) */
	size_t n = pvdi_stem_fr(out->s[0], sizeof out->s[0], f->folded, f->folded_len);
	if (n == (size_t)-1)
		return -1;
	if (n == 0)
		return 0;
	out->n = 1;
	if (f->lower_len == f->folded_len &&
	    memcmp(f->lower, f->folded, f->lower_len) == 0)
		return 0;
	/* fold(stem(lower)) */
	n = pvdi_stem_fr(accented, sizeof accented, f->lower, f->lower_len);
	if (n == (size_t)-1) {
		out->n = 0;
		return -1;
	}
	if (n == 0 || pvdi_fold_word(&ff, accented, n) != 0)
		return 0;
	if (strcmp(ff.folded, out->s[0]) != 0) {
		memcpy(out->s[1], ff.folded, ff.folded_len + 1);
		out->n = 2;
	}
	return 0;
}

typedef struct keybuf {
	char *out;
	size_t cap, len;
} keybuf;

static int
add_part(const pvdi_token *tok, void *arg)
{
	keybuf *k = arg;
	if (tok->alt)
		return 0;
	size_t n = tok->forms->folded_len;
	if (k->len + n + 1 > k->cap)
		return 1;
	memcpy(k->out + k->len, tok->forms->folded, n);
	k->len += n;
	k->out[k->len] = '\0';
	return 0;
}

void
pvdi_filter_key(char *out, size_t cap, const char *name)
{
	keybuf k = {out, cap, 0};
	if (cap == 0)
		return;
	out[0] = '\0';
	pvdi_tokenize(name, strlen(name), 0, add_part, &k);
}
