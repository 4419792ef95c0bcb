/*
 * render.c: a hit as a person reads it: rank and title, then type, date
 * and communes, the path, and the snippet with its matched words marked,
 * wrapped to the terminal's width without cutting a UTF-8 character.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"
#include "shown.h"

render_style
render_style_for(FILE *out)
{
	render_style st = {"[", "]", 80};
	const char *no_color = getenv("NO_COLOR");
	if (isatty(fileno(out)) && !(no_color && *no_color)) {
		st.hl_on = "\033[1m";
		st.hl_off = "\033[0m";
	}
	return st;
}

/* Columns a UTF-8 string takes: one per character, none for escapes. */
static int
columns(const char *s, size_t len)
{
	int cols = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x1b) {
			while (i < len && s[i] != 'm')
				i++;
			continue;
		}
		cols += (c & 0xC0) != 0x80;
	}
	return cols;
}

/* Print text word by word, indented, breaking lines before width. */
static void
wrap(FILE *out, const char *text, int indent, int first_indent, int width)
{
	int col = first_indent;
	const char *p = text;
	int line_empty = 1;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		int w = columns(p, n);
		if (!line_empty && col + 1 + w > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			line_empty = 1;
		}
		if (!line_empty) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += w;
		line_empty = 0;
		p += n;
	}
	fputc('\n', out);
}

/* The snippet with the style's marks around each highlight. */
static char *
marked(const render_style *st, const pvd_hit *h)
{
	/* control bytes of the text become spaces (same length: the
	 * highlights stay put), before the marks bring their own */
	char *text = strdup(h->snippet);
	if (!text)
		return NULL;
	for (char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	size_t len = strlen(text);
	size_t extra = h->n_highlights * (strlen(st->hl_on) + strlen(st->hl_off));
	char *out = malloc(len + extra + 1), *o = out;
	if (!out) {
		free(text);
		return NULL;
	}
	size_t at = 0;
	for (size_t k = 0; k < h->n_highlights; k++) {
		const pvd_span *sp = &h->highlights[k];
		memcpy(o, text + at, sp->start - at);
		o += sp->start - at;
		o = stpcpy(o, st->hl_on);
		memcpy(o, text + sp->start, sp->end - sp->start);
		o += sp->end - sp->start;
		o = stpcpy(o, st->hl_off);
		at = sp->end;
	}
	memcpy(o, text + at, len - at);
	o[len - at] = '\0';
	free(text);
	return out;
}

void
render_hit(FILE *out, const render_style *st, const pvd_hit *h)
{
	char head[16];
	int n = snprintf(head, sizeof head, "%3llu. ", (unsigned long long)h->rank);
	fputs(head, out);
	char *title = shown_text(*h->title ? h->title : _("(no title)"));
	wrap(out, title ? title : "?", n, n, st->width);
	free(title);

	fprintf(out, "%*s%s", n, "", *h->type ? h->type : "-");
	/* A date taken from the file's time is only an estimate: say so. */
	if (*h->date && h->date_source && !strcmp(h->date_source, "file"))
		fprintf(out, _(" · ≈ %s (file date)"), h->date);
	else if (*h->date)
		fprintf(out, " · %s", h->date);
	for (size_t i = 0; i < h->n_communes; i++) {
		char *c = shown_text(h->communes[i]);
		fprintf(out, "%s%s", i ? ", " : " · ", c ? c : "?");
		free(c);
	}
	char *path = shown_path(h->path);
	fprintf(out, "\n%*s%s\n", n, "", path ? path : "?");
	free(path);

	char *snip = marked(st, h);
	if (snip && *snip) {
		fprintf(out, "%*s", n, "");
		wrap(out, snip, n, n, st->width);
	}
	free(snip);
	fputc('\n', out);
}

void
render_facets(FILE *out, const pvd_results *r)
{
	static const struct {
		const char *name, *label;
	} facets[] = {
	    {"type", N_("Types")}, {"commune", N_("Communes")}, {"year", N_("Years")}};
	for (size_t i = 0; i < sizeof facets / sizeof facets[0]; i++) {
		const pvd_facet *f;
		size_t n = pvd_results_facets(r, facets[i].name, &f);
		fprintf(out, _("%s:"), _(facets[i].label));
		for (size_t k = 0; k < n; k++)
			fprintf(out, "%s %s (%llu)", k ? "," : "", f[k].value,
				(unsigned long long)f[k].count);
		fputs(n ? "\n" : " -\n", out);
	}
	fputc('\n', out);
}
