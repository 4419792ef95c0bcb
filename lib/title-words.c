/*
 * title-words.c: how many words a title has, as the title share counts
 * them.  pvd-index stores the count in a value slot so that the share is
 * a map from that value to a weight, which xapian-tcpsrv can apply to a
 * remote shard as well as libpvd to a local one.
 */
#include <string.h>

#include "pvd-private.h"

int
pvdi_is_title_word(const pvdi_token *tok)
{
	const pvdi_forms *f = tok->forms;
	return !tok->alt && !pvdi_is_stopword(f->folded, f->folded_len) &&
	       strspn(f->folded, "0123456789") != f->folded_len;
}

static int
count(const pvdi_token *tok, void *arg)
{
	size_t *n = arg;
	if (pvdi_is_title_word(tok))
		++*n;
	return *n >= PVDI_TITLE_WORDS_CAP;
}

size_t
pvdi_title_words(const char *title, size_t len)
{
	size_t n = 0;
	pvdi_tokenize(title, len, 0, count, &n);
	return n;
}
