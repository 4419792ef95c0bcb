/*
 * synonyms-parse.h: the lines of data/synonymes.txt made into groups of
 * forms (synonyms-parse.c), at build time.
 */
#ifndef PVD_SYNONYMS_PARSE_H
#define PVD_SYNONYMS_PARSE_H

#include "pvd-private.h"

/* Strip line in place of its surrounding blanks; non-zero when what is
 * left holds a group (not empty, not a # comment). */
int pvdi_syn_data_line(char *line);

/* Parse one stripped line ("ANCT = Agence nationale ... ; ...") into *g,
 * allocated; g->n is 0 when the line holds fewer than two forms.  Returns
 * -1 when out of memory (*g is then empty). */
int pvdi_syn_parse_line(const char *line, pvdi_syn_group *g);

/* Free what pvdi_syn_parse_line allocated. */
void pvdi_syn_group_free(pvdi_syn_group *g);

#endif
