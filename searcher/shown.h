/*
 * shown.h: names and titles as pvd-search prints them for a person: never
 * a raw control byte (a file name may hold an escape sequence that would
 * drive the terminal), a Latin-1 name readable, a path below the current
 * folder relative to it.
 */
#ifndef PVD_SHOWN_H
#define PVD_SHOWN_H

/* s with every control character written \xNN or \u00NN (\n, \t as
 * such): malloc'ed, NULL when out of memory. */
char *shown_text(const char *s);

/* An indexed path as shown: read with pvd_path_display(), relative to the
 * current folder when below it, then through shown_text(). */
char *shown_path(const char *path);

#endif
