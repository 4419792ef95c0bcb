/*
 * synonyms.c: the groups of equivalent forms of data/synonymes.txt (an
 * acronym and its spelled-out name, mostly), compiled into the library as
 * lines and split into folded words on first use.  The query parser asks
 * whether a run of query words is one of the forms, and searches the
 * others too: ANCT finds "Agence nationale de la cohésion des territoires"
 * and A.N.C.T., and the other way round.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

extern const char *const pvdi_synonym_lines[];

static pvdi_syn_group *groups;
static size_t n_groups;
static pthread_once_t once = PTHREAD_ONCE_INIT;

typedef struct collector {
	pvdi_syn_form *form;
	int failed;
} collector;

static int
collect(const pvdi_token *tok, void *arg)
{
	collector *c = arg;
	if (tok->alt)
		return 0;
	pvdi_syn_form *f = c->form;
	char **w = realloc(f->words, (f->n + 1) * sizeof *w);
	if (w)
		f->words = w;
	char **l = realloc(f->lowers, (f->n + 1) * sizeof *l);
	if (l)
		f->lowers = l;
	if (!w || !l || !(w[f->n] = strdup(tok->forms->folded))) {
		c->failed = 1;
		return 1;
	}
	if (!(l[f->n] = strdup(tok->forms->lower))) {
		free(w[f->n]);
		c->failed = 1;
		return 1;
	}
	f->n++;
	return 0;
}

static void
free_form(pvdi_syn_form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->words[i]);
		free(f->lowers[i]);
	}
	free(f->words);
	free(f->lowers);
	memset(f, 0, sizeof *f);
}

static int
add_form(pvdi_syn_group *g, const char *text, size_t len)
{
	pvdi_syn_form *v = realloc(g->forms, (g->n + 1) * sizeof *v);
	if (!v)
		return -1;
	g->forms = v;
	pvdi_syn_form *f = &g->forms[g->n];
	memset(f, 0, sizeof *f);
	collector c = {f, 0};
	pvdi_tokenize(text, len, 0, collect, &c);
	/* a form cut short by a failed allocation is not kept (nor leaked) */
	if (c.failed || f->n == 0) {
		free_form(f);
		return c.failed ? -1 : 0;
	}
	g->n++;
	return 0;
}

/* An acronym written in capitals (ANCT, PLUi) is also written dotted
 * (A.N.C.T.), which the tokenizer splits into letters. */
static int
add_dotted(pvdi_syn_group *g, const char *text, size_t len)
{
	size_t upper = 0;
	char letters[2 * PVDI_WORD_MAX];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return 0; /* spaces, digits, accents: not an acronym */
		upper += c >= 'A' && c <= 'Z';
		if (n + 2 < sizeof letters) {
			letters[n++] = c;
			letters[n++] = ' ';
		}
	}
	return upper >= 2 ? add_form(g, letters, n) : 0;
}

static void
load(void)
{
	size_t count = 0;
	while (pvdi_synonym_lines[count])
		count++;
	groups = calloc(count ? count : 1, sizeof *groups);
	if (!groups)
		return;
	for (size_t i = 0; i < count; i++) {
		pvdi_syn_group *g = &groups[n_groups];
		const char *p = pvdi_synonym_lines[i];
		while (*p) {
			size_t len = strcspn(p, "=;");
			size_t s = 0, e = len;
			while (s < e && p[s] == ' ')
				s++;
			while (e > s && p[e - 1] == ' ')
				e--;
			if (e > s &&
			    (add_form(g, p + s, e - s) || add_dotted(g, p + s, e - s)))
				break;
			p += len;
			if (*p)
				p++;
		}
		if (g->n >= 2) {
			n_groups++;
			continue;
		}
		/* a lone form (or none, out of memory) makes no group: its slot
		 * is the next group's */
		for (size_t k = 0; k < g->n; k++)
			free_form(&g->forms[k]);
		free(g->forms);
		memset(g, 0, sizeof *g);
	}
}

const pvdi_syn_group *
pvdi_synonyms(size_t *n)
{
	pthread_once(&once, load);
	*n = groups ? n_groups : 0;
	return groups;
}

size_t
pvdi_synonyms_longest(const char *const *words, size_t n, size_t *group, size_t *form)
{
	size_t ng, best = 0;
	const pvdi_syn_group *g = pvdi_synonyms(&ng);
	for (size_t i = 0; i < ng; i++)
		for (size_t k = 0; k < g[i].n; k++) {
			const pvdi_syn_form *f = &g[i].forms[k];
			if (f->n > n || f->n <= best)
				continue;
			size_t j = 0;
			while (j < f->n && !strcmp(f->words[j], words[j]))
				j++;
			if (j == f->n) {
				best = f->n;
				*group = i;
				*form = k;
			}
		}
	return best;
}
