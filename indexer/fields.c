/*
 * fields.c: metadata that does not come from a file's content: the type
 * its folder gives (built-in names and the site's own, --type-dir), and
 * small helpers to set fields from text.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indexer.h"
#include "pvd.h"
#include "utf8.h"

static const struct {
	const char *folder;
	const char *type;
} folders[] = {
    {"articles", "article"},	{"article", "article"}, {"catalogues", "catalogue"},
    {"catalogue", "catalogue"}, {"textes", "texte"},	{"texte", "texte"},
};

/* The site's own names (--type-dir), in the order given; read-only once
 * the workers run. */
static struct {
	char *pattern; /* folded */
	const char *type;
} * site_dirs;
static size_t n_site_dirs;

/* s[0..len) without case or accents (NFD, marks stripped, case-folded);
 * bytes that are not UTF-8 are kept, ASCII letters lowered. */
static char *
folded(const char *s, size_t len)
{
	char *out = utf8_fold(s, len);
	if (out)
		return out;
	char *copy = strndup(s, len);
	for (char *c = copy; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return copy;
}

/* "texte", "Textes", "TEXTE" → "texte"; NULL when no type. */
static const char *
type_named(const char *s)
{
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
		if (!strcasecmp(s, folders[i].folder))
			return folders[i].type;
	return NULL;
}

int
type_dir_add(const char *spec, const char **msg)
{
	const char *eq = strrchr(spec, '=');
	if (!eq || eq == spec) {
		*msg =
		    _("--type-dir takes NAME=TYPE, like \"Arr\xc3\xaat\xc3\xa9s=texte\"");
		return -1;
	}
	const char *type = type_named(eq + 1);
	if (!type) {
		*msg = _("--type-dir: TYPE is article, catalogue or texte");
		return -1;
	}
	if (memchr(spec, '/', (size_t)(eq - spec))) {
		*msg = _("--type-dir: NAME is a folder's name (or a pattern), without /");
		return -1;
	}
	void *v = realloc(site_dirs, (n_site_dirs + 1) * sizeof *site_dirs);
	char *pattern = v ? folded(spec, (size_t)(eq - spec)) : NULL;
	if (v)
		site_dirs = v;
	if (!pattern) {
		*msg = _("out of memory");
		return -1;
	}
	site_dirs[n_site_dirs].pattern = pattern;
	site_dirs[n_site_dirs++].type = type;
	return 0;
}

void
type_dirs_clear(void)
{
	for (size_t i = 0; i < n_site_dirs; i++)
		free(site_dirs[i].pattern);
	free(site_dirs);
	site_dirs = NULL;
	n_site_dirs = 0;
}

/* The type the folder name p[0..len) gives: the site's names first. */
static const char *
folder_type(const char *p, size_t len)
{
	if (n_site_dirs) {
		char *name = folded(p, len);
		const char *type = NULL;
		for (size_t i = 0; name && !type && i < n_site_dirs; i++)
			if (!fnmatch(site_dirs[i].pattern, name, FNM_PERIOD))
				type = site_dirs[i].type;
		free(name);
		if (type)
			return type;
	}
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
		if (strlen(folders[i].folder) == len &&
		    strncasecmp(p, folders[i].folder, len) == 0)
			return folders[i].type;
	return NULL;
}

const char *
type_from_path(const char *path)
{
	const char *type = NULL;
	const char *p = path;
	while (*p) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break; /* the file name itself is no folder */
		const char *t = slash > p ? folder_type(p, (size_t)(slash - p)) : NULL;
		if (t)
			type = t; /* the nearest folder wins */
		p = slash + 1;
	}
	return type;
}

int
valid_type(const char *s)
{
	return s &&
	       (!strcmp(s, "article") || !strcmp(s, "catalogue") || !strcmp(s, "texte"));
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
    "tags",
    "tag",
    "tag(s)",
    "\xc3\xa9tiquettes",
    "\xc3\x89tiquettes",
    "mots-cl\xc3\xa9s",
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
