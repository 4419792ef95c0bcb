/*
 * filter-values.c: a filter's value as a user types it, read the one way
 * for pvd-search's options, the query's type: field and pvd-searchd's
 * parameters: a type in any case, accents or plural ("Textes"), a date as
 * a year or a month as well as a day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

const char *
pvdi_type_of(const char *text)
{
	static const char *const types[] = {"article", "catalogue", "texte"};
	char key[64];
	pvdi_filter_key(key, sizeof key, text ? text : "");
	size_t n = strlen(key);
	if (n > 1 && key[n - 1] == 's')
		key[--n] = '\0'; /* the plural a folder or a user gives */
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (!strcmp(key, types[i]))
			return types[i];
	return NULL;
}

/* Whether s[0..n) are n digits. */
static int
digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
pvdi_date_bound(char out[11], const char *in, int until)
{
	size_t n = strlen(in);
	if (n == 10) {
		if (!pvd_date_valid(in))
			return 0;
		memcpy(out, in, 11);
		return 1;
	}
	if (!((n == 4 && digits(in, 4)) ||
	      (n == 7 && digits(in, 4) && in[4] == '-' && digits(in + 5, 2))))
		return 0;
	int m = n == 7 ? atoi(in + 5) : until ? 12 : 1;
	if (m < 1 || m > 12)
		return 0;
	char day[32];
	/* the period's first day, or its last: the 31st backed off until valid */
	for (int d = until ? 31 : 1;; d--) {
		snprintf(day, sizeof day, "%.4s-%02d-%02d", in, m, d);
		if (pvd_date_valid(day) || !until || d <= 28)
			break;
	}
	if (!pvd_date_valid(day))
		return 0;
	memcpy(out, day, 11);
	return 1;
}
