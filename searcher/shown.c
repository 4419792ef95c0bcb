/*
 * shown.c: see shown.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvd.h"
#include "shown.h"
#include "utf8.h"

char *
shown_text(const char *s)
{
	return utf8_escape_controls(s, 0);
}

/* The current folder, asked once: pvd-search never changes it, and a
 * page of hits would ask for each.  NULL when it cannot be had. */
static const char *
current_folder(void)
{
	static char *cwd;
	static int asked;
	if (!asked) {
		/* getcwd() gives the physical folder, as canonical as the paths */
		cwd = getcwd(NULL, 0);
		asked = 1;
	}
	return cwd;
}

char *
shown_path(const char *path)
{
	const char *cwd = current_folder();
	size_t n = cwd ? strlen(cwd) : 0;
	const char *rest = path;
	if (cwd && n > 1 && !strncmp(path, cwd, n) && path[n] == '/' && path[n + 1])
		rest = path + n + 1;
	char *display = pvd_path_display(rest);
	char *out = display ? shown_text(display) : NULL;
	free(display);
	return out;
}
