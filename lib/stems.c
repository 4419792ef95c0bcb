/*
 * stems.c: the stems a word is indexed and searched under, and the key a
 * commune is filed under.  Snowball's French stemmer reads accents
 * ("dernière" and "derniere" stem apart), so a word is stemmed both with
 * its accents (then folded) and without them, and both stems are kept when
 * they differ: accented and unaccented queries then both find it.
 */
#include <string.h>

#include "pvd-private.h"

void
pvdi_stems_of(pvdi_stems *out, const pvdi_forms *f)
{
	char accented[PVDI_FORM_CAP];
	pvdi_forms ff;

	out->n = 0;
	if (f->folded_len == 0)
		return;
	/* stem(folded) */
	if (pvdi_stem_fr(out->s[0], sizeof out->s[0], f->folded, f->folded_len) == 0)
		return;
	out->n = 1;
	if (f->lower_len == f->folded_len && memcmp(f->lower, f->folded, f->lower_len) == 0)
		return;
	/* fold(stem(lower)) */
	size_t n = pvdi_stem_fr(accented, sizeof accented, f->lower, f->lower_len);
	if (n == 0 || pvdi_fold_word(&ff, accented, n) != 0)
		return;
	if (strcmp(ff.folded, out->s[0]) != 0) {
		memcpy(out->s[1], ff.folded, ff.folded_len + 1);
		out->n = 2;
	}
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
pvdi_commune_key(char *out, size_t cap, const char *name)
{
	keybuf k = {out, cap, 0};
	if (cap == 0)
		return;
	out[0] = '\0';
	pvdi_tokenize(name, strlen(name), 0, add_part, &k);
}
