/*
 * synonyms.c: the groups of equivalent forms of data/synonymes.txt (an
 * acronym and its spelled-out name, mostly), split into folded words at
 * build time (tools/synonyms-table.c) and compiled into the library as a
 * table.  The query parser asks whether a run of query words is one of the
 * forms, and searches the others too: ANCT finds "Agence nationale de la
 * cohésion des territoires" and A.N.C.T., and the other way round.
 */
#include <string.h>

#include "pvd-private.h"

extern const pvdi_syn_group pvdi_synonym_groups[];
extern const size_t pvdi_n_synonym_groups;

const pvdi_syn_group *
pvdi_synonyms(size_t *n)
{
	*n = pvdi_n_synonym_groups;
	return pvdi_synonym_groups;
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
