/*
 * test_synonyms.c: the synonyms table compiled into libpvd (written at
 * build time by tools/synonyms-table.c) is what the tokenizer makes of
 * data/synonymes.txt, group for group and word for word; and the parse of
 * one line, the acronym's dotted form included.
 *
 * usage: test_lib_synonyms DATA/synonymes.txt
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pvd-private.h"
#include "synonyms-parse.h"

static const char *data_path;

static void
same_form(const pvdi_syn_form *got, const pvdi_syn_form *want)
{
	assert_int_equal(got->n, want->n);
	for (size_t i = 0; i < want->n; i++) {
		assert_string_equal(got->words[i], want->words[i]);
		assert_string_equal(got->lowers[i], want->lowers[i]);
	}
}

/* The compiled table against the file, parsed now. */
static void
table_is_the_file(void **state)
{
	(void)state;
	FILE *in = fopen(data_path, "r");
	assert_non_null(in);
	size_t ng, seen = 0, cap = 0;
	const pvdi_syn_group *table = pvdi_synonyms(&ng);
	char *line = NULL;
	while (getline(&line, &cap, in) != -1) {
		if (!pvdi_syn_data_line(line))
			continue;
		pvdi_syn_group g;
		assert_int_equal(pvdi_syn_parse_line(line, &g), 0);
		if (g.n == 0)
			continue;
		assert_true(seen < ng);
		assert_int_equal(table[seen].n, g.n);
		for (size_t k = 0; k < g.n; k++)
			same_form(&table[seen].forms[k], &g.forms[k]);
		pvdi_syn_group_free(&g);
		seen++;
	}
	free(line);
	fclose(in);
	assert_int_equal(seen, ng);
	assert_true(ng > 0);
}

static void
one_line(void **state)
{
	(void)state;
	pvdi_syn_group g;
	char line[] = "  ACV = Action cœur de ville ; l'Action Cœur-de-Ville \r\n";
	assert_true(pvdi_syn_data_line(line));
	assert_string_equal(line, "ACV = Action cœur de ville ; l'Action Cœur-de-Ville");
	assert_int_equal(pvdi_syn_parse_line(line, &g), 0);
	/* acv, a c v (its dotted form), then the two spellings */
	assert_int_equal(g.n, 4);
	assert_int_equal(g.forms[0].n, 1);
	assert_string_equal(g.forms[0].words[0], "acv");
	assert_int_equal(g.forms[1].n, 3);
	assert_string_equal(g.forms[1].words[2], "v");
	assert_int_equal(g.forms[2].n, 4);
	assert_string_equal(g.forms[2].words[1], "coeur");
	assert_string_equal(g.forms[2].lowers[1], "coeur");
	/* the elided article goes, the hyphens split */
	same_form(&g.forms[3], &g.forms[2]);
	pvdi_syn_group_free(&g);

	/* accents kept in the lower forms (for the stems), folded away in the
	 * words; a lone form (not an acronym, which has its dotted one), or a
	 * comment, makes no group */
	char accented[] = "ORT = opération de revitalisation";
	assert_int_equal(pvdi_syn_parse_line(accented, &g), 0);
	assert_string_equal(g.forms[2].words[0], "operation");
	assert_string_equal(g.forms[2].lowers[0], "opération");
	pvdi_syn_group_free(&g);
	char lone[] = "Petites villes de demain";
	assert_int_equal(pvdi_syn_parse_line(lone, &g), 0);
	assert_int_equal(g.n, 0);
	char comment[] = " # PVD = Petites villes de demain";
	assert_false(pvdi_syn_data_line(comment));
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s synonymes.txt\n", argv[0]);
		return 2;
	}
	data_path = argv[1];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_is_the_file),
	    cmocka_unit_test(one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
