/*
 * stopwords.c: French words too common to rank by.  They are still indexed
 * with their positions, so phrases such as "petites villes de demain" work;
 * a query drops them from its required words unless it has nothing else.
 * The list holds folded forms (no accents), sorted for bsearch.
 */
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

static const char *const stopwords[] = {
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

static int
cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int
pvdi_is_stopword(const char *folded, size_t len)
{
	char word[16];
	if (len == 0 || len >= sizeof word)
		return 0;
	memcpy(word, folded, len);
	word[len] = '\0';
	return bsearch(word, stopwords, sizeof stopwords / sizeof stopwords[0],
		       sizeof stopwords[0], cmp) != NULL;
}
