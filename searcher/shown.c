/*
 * shown.c: see shown.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvd.h"
#include "shown.h"

char *
shown_text(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(4 * len + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '\n')
			o = stpcpy(o, "\\n");
		else if (*c == '\t')
			o = stpcpy(o, "\\t");
		else if (*c < 0x20 || *c == 0x7f)
			o += sprintf(o, "\\x%02x", *c);
		else
			*o++ = (char)*c;
	}
	*o = '\0';
	return out;
}

char *
shown_path(const char *path)
{
	/* getcwd() gives the physical folder, as canonical as the paths */
	char *cwd = getcwd(NULL, 0);
	size_t n = cwd ? strlen(cwd) : 0;
	const char *rest = path;
	if (cwd && n > 1 && !strncmp(path, cwd, n) && path[n] == '/' && path[n + 1])
		rest = path + n + 1;
	free(cwd);
	char *display = pvd_path_display(rest);
	char *out = display ? shown_text(display) : NULL;
	free(display);
	return out;
}
