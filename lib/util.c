/*
 * util.c: small helpers shared inside lib/: string sets, dates, statuses,
 * the default index location.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "pvd-private.h"

uint64_t
pvdi_fnv1a(uint64_t h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

int
pvdi_strset_has(const pvdi_strset *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

int
pvdi_strset_add(pvdi_strset *s, const char *str)
{
	if (pvdi_strset_has(s, str))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		char **v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(str)))
		return -1;
	s->n++;
	return 0;
}

int
pvdi_strset_add_prefixed(pvdi_strset *s, const char *prefix, const char *str)
{
	char *both;
	if (asprintf(&both, "%s%s", prefix, str) < 0)
		return -1;
	int rc = pvdi_strset_add(s, both);
	free(both);
	return rc;
}

void
pvdi_id_term(char *out, size_t cap, const char *path)
{
	size_t len = strlen(path);
	if (len <= PVDI_TERM_MAX) {
		snprintf(out, cap, "%s%s", PVDI_P_ID, path);
		return;
	}
	/* Long paths go by their start and a 64-bit FNV-1a hash of the whole. */
	uint64_t h = pvdi_fnv1a(PVDI_FNV_START, path, len);
	snprintf(out, cap, "%s%.*s#%016llx", PVDI_P_ID, PVDI_ID_PATH_KEEP, path,
		 (unsigned long long)h);
}

void
pvdi_strset_clear(pvdi_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

int
pvd_date_valid(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

const char *
pvd_status_str(pvd_status st)
{
	switch (st) {
	case PVD_OK:
		return _("success");
	case PVD_DONE:
		return _("no more items");
	case PVD_EINVAL:
		return _("invalid argument");
	case PVD_ENOENT:
		return _("no index");
	case PVD_ELOCKED:
		return _("index locked by another writer");
	case PVD_EMODIFIED:
		return _("index modified during the search");
	case PVD_EQUERY:
		return _("query not understood");
	case PVD_ECORRUPT:
		return _("index damaged");
	case PVD_EXAPIAN:
		return _("Xapian error");
	case PVD_ENOMEM:
		return _("out of memory");
	case PVD_EIO:
		return _("input/output error");
	case PVD_EINTERNAL:
		return _("internal error");
	}
	return _("unknown status");
}

const char *
pvd_version(void)
{
	return PVD_VERSION;
}

char *
pvd_default_db_path(void)
{
	const char *env = getenv("PVD_DB");
	if (env && *env)
		return strdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *path = NULL;
	int n;
	if (xdg && *xdg == '/')
		n = asprintf(&path, "%s/pvd/index", xdg);
	else if (home && *home)
		n = asprintf(&path, "%s/.local/share/pvd/index", home);
	else
		return NULL;
	return n < 0 ? NULL : path;
}

size_t
pvdi_char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

size_t
pvdi_utf8_at(const char *s, size_t len, size_t i, int32_t *c)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
					      (utf8proc_ssize_t)(len - i), &cp);
	if (n <= 0) {
		*c = 0xFFFD;
		return 1;
	}
	*c = cp;
	return (size_t)n;
}

char *
pvdi_utf8_repair(const char *s, size_t len)
{
	/* U+FFFD takes 3 bytes where a bad byte took 1. */
	char *out = malloc(3 * len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len;) {
		int32_t c;
		size_t n = pvdi_utf8_at(s, len, i, &c);
		if (n == 1 && c == 0xFFFD) { /* an invalid byte */
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			memcpy(o, s + i, n);
			o += n;
		}
		i += n;
	}
	*o = '\0';
	return out;
}
