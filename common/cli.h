/*
 * cli.h: what the three programs share on their outside: messages in the
 * user's language (gettext, domain "pvd") and the words for a bad option.
 * libpvd's own messages go through the same domain (dgettext).
 */
#ifndef PVD_CLI_H
#define PVD_CLI_H

#include <libintl.h>

#define PVD_TEXTDOMAIN "pvd"
#define _(s) gettext(s)
#define N_(s) (s) /* marked for translation, translated where it is shown */

/* The user's locale for messages and the character set (LC_MESSAGES,
 * LC_CTYPE); every other category, numbers among them, stays "C" (logs,
 * JSON and reports are read by scripts).  The "pvd" domain bound to the first
 * of $PVD_LOCALEDIR, the build tree's locale/ next to the program, and
 * the installed share/locale. */
void cli_init(void);

/* Say on stderr that argv has an option getopt_long() did not take (it
 * returned c, '?' or ':', with opterr = 0), naming the program without
 * its path. */
void cli_bad_option(const char *prog, int c, char *const *argv);

#endif
