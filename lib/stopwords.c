/*
 * stopwords.c: French words too common to rank by.  They are still indexed
 * with their positions, so phrases such as "petites villes de demain" work;
 * a query drops them from its required words unless it has nothing else.
 * The list holds folded forms (no accents), in byte order, each in 8 bytes
 * padded with NULs: read as a big-endian number, such a word sorts as its
 * string does, so the search compares numbers.  Every word of every
 * document is looked up here: a search through strcmp() calls was 1.6 % of
 * an indexing run's CPU.
 */
#include <stdint.h>
#include <string.h>

#include "pvd-private.h"

static const char stopwords[][8] = {
    "a",      "ai",    "aie",	 "aient", "ait",   "as",    "au",    "aux",  "avait",
    "avec",   "avez",  "avons",	 "c",	  "ca",	   "ce",    "ceci",  "cela", "celle",
    "celles", "celui", "ces",	 "cet",	  "cette", "ceux",  "d",     "dans", "de",
    "des",    "du",    "elle",	 "elles", "en",	   "es",    "est",   "et",   "etaient",
    "etait",  "ete",   "etre",	 "eu",	  "eux",   "il",    "ils",   "j",    "je",
    "l",      "la",    "le",	 "les",	  "leur",  "leurs", "lui",   "m",    "ma",
    "mais",   "me",    "mes",	 "moi",	  "mon",   "n",	    "ne",    "ni",   "nos",
    "notre",  "nous",  "on",	 "ont",	  "ou",	   "par",   "pas",   "pour", "qu",
    "que",    "quel",  "quelle", "qui",	  "s",	   "sa",    "sans",  "se",   "sera",
    "ses",    "si",    "son",	 "sont",  "sur",   "t",	    "ta",    "te",   "tes",
    "toi",    "ton",   "tu",	 "un",	  "une",   "vos",   "votre", "vous", "y",
};

/* The 8 bytes at s as a big-endian number. */
static uint64_t
key_of(const char *s)
{
	uint64_t k;
	memcpy(&k, s, sizeof k);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	k = __builtin_bswap64(k);
#endif
	return k;
}

int
pvdi_is_stopword(const char *folded, size_t len)
{
	char word[8] = {0};
	if (len == 0 || len >= sizeof word) /* none has 8 letters or more */
		return 0;
	memcpy(word, folded, len);
	uint64_t k = key_of(word);
	size_t lo = 0, hi = sizeof stopwords / sizeof stopwords[0];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t m = key_of(stopwords[mid]);
		if (m == k)
			return 1;
		if (m < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
