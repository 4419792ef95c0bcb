/*
 * cli.c: the programs' language and their option errors (cli.h).
 */
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef PVD_LOCALEDIR
#define PVD_LOCALEDIR "/usr/local/share/locale"
#endif

static int
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A program run from its build tree finds the catalogues built beside
 * it, wherever the clone is, before any installed (older) ones. */
static const char *
locale_dir(char *buf, size_t cap)
{
	const char *env = getenv("PVD_LOCALEDIR");
	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", buf, cap - sizeof "/locale");
	if (n > 0) {
		buf[n] = '\0';
		char *slash = strrchr(buf, '/');
		if (slash) {
			strcpy(slash, "/locale");
			if (is_dir(buf))
				return buf;
		}
	}
	return PVD_LOCALEDIR;
}

void
cli_init(void)
{
	char buf[PATH_MAX];
	/* Only what the messages need: the language and the terminal's
	 * character set.  The other categories are not read here (numbers in
	 * JSON stay "C"), and loading all twelve costs a launch twelve files. */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	bindtextdomain(PVD_TEXTDOMAIN, locale_dir(buf, sizeof buf));
	textdomain(PVD_TEXTDOMAIN);
}

void
cli_bad_option(const char *prog, int c, char *const *argv)
{
	const char *arg = optind > 0 && argv[optind - 1] ? argv[optind - 1] : "?";
	int named_len = (int)strcspn(arg, "=");
	int is_long = !strncmp(arg, "--", 2);
	if (c == ':')
		fprintf(stderr, _("%s: option %.*s needs a value\n"), prog, named_len,
			arg);
	else if (is_long && arg[named_len] == '=' && optopt)
		fprintf(stderr, _("%s: option %.*s takes no value\n"), prog, named_len,
			arg);
	else if (is_long || !optopt)
		fprintf(stderr, _("%s: unknown option %.*s\n"), prog, named_len, arg);
	else
		fprintf(stderr, _("%s: unknown option -%c\n"), prog, optopt);
}
