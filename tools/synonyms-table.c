/*
 * synonyms-table.c: writes data/synonymes.txt as a C table of groups of
 * folded words, at build time, so that libpvd carries its synonyms ready
 * to search: splitting the lines with the tokenizer at each launch of
 * pvd-search cost 0.47 M instructions, 7 % of a launch.
 *
 * usage: pvd-synonyms-table IN OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synonyms-parse.h"

/* s as a C string literal: bytes outside printable ASCII, quotes and
 * backslashes as octal escapes (three digits, so the next byte can never
 * be read as part of one). */
static void
put_literal(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\' || *p == '?')
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	fputc('"', out);
}

static void
put_words(FILE *out, const char *name, size_t g, size_t f, char **words, size_t n)
{
	fprintf(out, "static char *g%zuf%zu%s[] = {", g, f, name);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", out);
		put_literal(out, words[i]);
	}
	fputs("};\n", out);
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s IN OUT\n", argv[0]);
		return 2;
	}
	FILE *in = fopen(argv[1], "r");
	if (!in) {
		perror(argv[1]);
		return 1;
	}
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		fclose(in);
		return 1;
	}
	fputs("/* Generated from data/synonymes.txt by tools/synonyms-table.c: "
	      "do not edit. */\n#include \"pvd-private.h\"\n\n",
	      out);
	char *line = NULL;
	size_t cap = 0, ng = 0;
	int rc = 0;
	while (getline(&line, &cap, in) != -1) {
		if (!pvdi_syn_data_line(line))
			continue;
		pvdi_syn_group g;
		if (pvdi_syn_parse_line(line, &g) != 0) {
			fputs("out of memory\n", stderr);
			rc = 1;
			break;
		}
		if (g.n == 0)
			continue;
		for (size_t f = 0; f < g.n; f++) {
			put_words(out, "w", ng, f, g.forms[f].words, g.forms[f].n);
			put_words(out, "l", ng, f, g.forms[f].lowers, g.forms[f].n);
		}
		fprintf(out, "static pvdi_syn_form g%zu[] = {\n", ng);
		for (size_t f = 0; f < g.n; f++)
			fprintf(out, "\t{g%zuf%zuw, g%zuf%zul, %zu},\n", ng, f, ng, f,
				g.forms[f].n);
		fputs("};\n\n", out);
		fprintf(out, "#define G%zu {g%zu, %zu}\n", ng, ng, g.n);
		pvdi_syn_group_free(&g);
		ng++;
	}
	free(line);
	fputs("\nconst pvdi_syn_group pvdi_synonym_groups[] = {\n", out);
	for (size_t i = 0; i < ng; i++)
		fprintf(out, "\tG%zu,\n", i);
	if (ng == 0)
		fputs("\t{NULL, 0},\n", out);
	fprintf(out, "};\nconst size_t pvdi_n_synonym_groups = %zu;\n", ng);
	if (ferror(in) || fclose(out) != 0) {
		perror(argv[2]);
		rc = 1;
	}
	fclose(in);
	return rc;
}
