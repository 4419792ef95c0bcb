/*
 * questions.c: the words that only make a query a question.  Staff type
 * "comment financer un chef de projet" or "quelles aides pour les
 * commerces ?": a document that answers says neither "comment" nor
 * "quelles", so these words are left out of the words to match, like
 * stopwords (which already cover "que", "qui", "quel", "est", "ce").
 * Folded forms (no accents), sorted for bsearch.
 */
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

static const char *const questions[] = {
    "combien", "comment",  "laquelle", "lequel",  "lesquelles", "lesquels",
    "ou",      "pourquoi", "quand",    "quelles", "quels",	"quoi",
};

static int
cmp(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int
pvdi_is_question_word(const char *folded, size_t len)
{
	char word[16];
	if (len == 0 || len >= sizeof word)
		return 0;
	memcpy(word, folded, len);
	word[len] = '\0';
	return bsearch(word, questions, sizeof questions / sizeof questions[0],
		       sizeof questions[0], cmp) != NULL;
}
