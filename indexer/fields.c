/*
 * fields.c: metadata that does not come from a file's content: the type
 * its folder gives, and small helpers to set fields from text.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"
#include "pvd.h"

static const struct {
	const char *folder;
	const char *type;
} folders[] = {
	{"articles", "article"},     {"article", "article"},
	{"catalogues", "catalogue"}, {"catalogue", "catalogue"},
	{"textes", "texte"},         {"texte", "texte"},
};

const char *
type_from_path(const char *path)
{
	const char *type = NULL;
	const char *p = path;
	while (*p) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break; /* the file name itself is no folder */
		size_t len = (size_t)(slash - p);
		for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
			if (strlen(folders[i].folder) == len &&
			    strncasecmp(p, folders[i].folder, len) == 0)
				type = folders[i].type;
		p = slash + 1;
	}
	return type;
}

int
valid_type(const char *s)
{
	return s && (!strcmp(s, "article") || !strcmp(s, "catalogue") || !strcmp(s, "texte"));
}

static char *
trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return strndup(s, len);
}

int
add_communes(extracted *x, const char *list)
{
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ";,");
		char *name = trimmed(p, n);
		if (!name)
			return -1;
		if (*name) {
			char **v = realloc(x->communes, (x->n_communes + 1) * sizeof *v);
			if (!v) {
				free(name);
				return -1;
			}
			x->communes = v;
			x->communes[x->n_communes++] = name;
		} else {
			free(name);
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

void
set_date(extracted *x, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	for (int i = 0; i < 10; i++) {
		int dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return;
	}
	char date[11];
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!pvd_date_valid(date))
		return; /* 2023-10-00: the shape of a date, but no such day */
	free(x->date);
	x->date = strdup(date);
}

void
extracted_clear(extracted *x)
{
	free(x->text);
	free(x->title);
	free(x->date);
	free(x->type);
	free(x->description);
	for (size_t i = 0; i < x->n_communes; i++)
		free(x->communes[i]);
	free(x->communes);
	memset(x, 0, sizeof *x);
}

/* Labels blog platforms print before a post's tags. */
static const char *const tag_labels[] = {
	"tags", "tag", "tag(s)", "\xc3\xa9tiquettes", "\xc3\x89tiquettes", "mots-cl\xc3\xa9s",
	"mots cl\xc3\xa9s",
};

/* The tags of a "Tags : Aspet, Saint-Martory" line, if the line is one. */
static const char *
tag_list(const char *line, size_t n)
{
	for (size_t i = 0; i < sizeof tag_labels / sizeof tag_labels[0]; i++) {
		size_t k = strlen(tag_labels[i]);
		if (n <= k || strncasecmp(line, tag_labels[i], k))
			continue;
		size_t j = k;
		while (j < n && (line[j] == ' ' || line[j] == '\t'))
			j++;
		if (j + 1 < n && !memcmp(line + j, "\xc2\xa0", 2))
			j += 2; /* French typography: NBSP before the colon */
		if (j < n && line[j] == ':')
			return line + j + 1;
	}
	return NULL;
}

int
communes_from_tags(extracted *x)
{
	const char *t = x->text;
	size_t len = x->text_len;
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && t[end] != '\n')
			end++;
		size_t s = i;
		while (s < end && (t[s] == ' ' || t[s] == '\t'))
			s++;
		const char *list = tag_list(t + s, end - s);
		if (list) {
			char *copy = strndup(list, (size_t)(t + end - list));
			int rc = copy ? add_communes(x, copy) : -1;
			free(copy);
			return rc;
		}
		i = end + 1;
	}
	return 0;
}
