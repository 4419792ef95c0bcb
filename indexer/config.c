/*
 * config.c: pvd-index's optional configuration file, for what a site sets
 * once rather than on every command line (a cron job, a service):
 *
 *     # /etc/pvd/pvd-index.conf
 *     type-dir = Arrêtés*=texte
 *     type-dir = Fiches mesures=catalogue
 *
 * The first that exists of $PVD_INDEX_CONFIG (which must exist when set;
 * empty: no file), $XDG_CONFIG_HOME/pvd/pvd-index.conf (else
 * ~/.config/pvd/pvd-index.conf), /etc/pvd/pvd-index.conf.  Its names come
 * after those of the command line, which therefore win.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "indexer.h"

#define SYSTEM_CONFIG "/etc/pvd/pvd-index.conf"

/* The file to read (malloc'ed), NULL when none; *must: it was named. */
static char *
config_path(int *must)
{
	const char *env = getenv("PVD_INDEX_CONFIG");
	*must = 0;
	if (env) {
		*must = *env != '\0';
		return *env ? strdup(env) : NULL;
	}
	char *p = NULL;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (xdg && xdg[0] == '/') {
		if (asprintf(&p, "%s/pvd/pvd-index.conf", xdg) < 0)
			p = NULL;
	} else if (home && home[0] == '/') {
		if (asprintf(&p, "%s/.config/pvd/pvd-index.conf", home) < 0)
			p = NULL;
	}
	if (p && access(p, F_OK) == 0)
		return p;
	free(p);
	return access(SYSTEM_CONFIG, F_OK) == 0 ? strdup(SYSTEM_CONFIG) : NULL;
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
		     s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int
config_load(void)
{
	int must;
	char *path = config_path(&must);
	if (!path)
		return 0;
	FILE *f = fopen(path, "re");
	if (!f) {
		int e = errno;
		if (e == ENOENT && !must) {
			free(path);
			return 0;
		}
		fprintf(stderr, "pvd-index: %s: %s\n", path, strerror(e));
		free(path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	for (unsigned no = 1; rc == 0 && getline(&line, &cap, f) >= 0; no++) {
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		const char *msg = NULL;
		if (eq) {
			*eq = '\0';
			char *key = trim(s), *value = trim(eq + 1);
			if (strcmp(key, "type-dir"))
				msg = _("unknown setting (known: type-dir)");
			else if (type_dir_add(value, &msg) == 0)
				continue;
		} else {
			msg = _("not a setting: write type-dir = NAME=TYPE");
		}
		fprintf(stderr, "pvd-index: %s:%u: %s\n", path, no, msg);
		rc = -1;
	}
	free(line);
	fclose(f);
	free(path);
	return rc;
}
