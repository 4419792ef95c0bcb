/*
 * synonyms-parse.c: one line of data/synonymes.txt made into a group of
 * forms, each split into folded words by the tokenizer that reads the
 * documents.  Run at build time by tools/synonyms-table.c, which writes the
 * groups out as a C table (so that no launch of pvd-search pays for it),
 * and by the unit test that checks the table against the file.
 */
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"
#include "synonyms-parse.h"

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

void
pvdi_syn_group_free(pvdi_syn_group *g)
{
	for (size_t k = 0; k < g->n; k++)
		free_form(&g->forms[k]);
	free(g->forms);
	memset(g, 0, sizeof *g);
}

int
pvdi_syn_parse_line(const char *line, pvdi_syn_group *g)
{
	memset(g, 0, sizeof *g);
	const char *p = line;
	while (*p) {
		size_t len = strcspn(p, "=;");
		size_t s = 0, e = len;
		while (s < e && p[s] == ' ')
			s++;
		while (e > s && p[e - 1] == ' ')
			e--;
		if (e > s && (add_form(g, p + s, e - s) || add_dotted(g, p + s, e - s))) {
			pvdi_syn_group_free(g);
			return -1;
		}
		p += len;
		if (*p)
			p++;
	}
	/* a lone form makes no group */
	if (g->n < 2)
		pvdi_syn_group_free(g);
	return 0;
}

int
pvdi_syn_data_line(char *line)
{
	size_t n = strlen(line);
	while (n > 0 && strchr(" \t\r\n", line[n - 1]))
		line[--n] = '\0';
	size_t s = strspn(line, " \t");
	memmove(line, line + s, n - s + 1);
	return line[0] != '\0' && line[0] != '#';
}
