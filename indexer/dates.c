/*
 * dates.c: a date written in French near the top of a text ("16 octobre
 * 2020", "1er janvier 2024", "le 3 mars 2021"), the fallback for files
 * whose metadata give none.  Only the first 2,000 bytes are read: a date
 * further down is more often a reference than the document's own.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "indexer.h"
#include "pvd.h"

#define LOOK_BYTES 2000

static const char *const months[][2] = {
	{"janvier", NULL},  {"février", "fevrier"}, {"mars", NULL},
	{"avril", NULL},    {"mai", NULL},          {"juin", NULL},
	{"juillet", NULL},  {"août", "aout"},       {"septembre", NULL},
	{"octobre", NULL},  {"novembre", NULL},     {"décembre", "decembre"},
};

/* The month named at s (any case), its length in *len, or 0. */
static int
month_at(const char *s, size_t avail, size_t *len)
{
	for (int m = 0; m < 12; m++)
		for (int k = 0; k < 2 && months[m][k]; k++) {
			size_t n = strlen(months[m][k]);
			if (n <= avail && !strncasecmp(s, months[m][k], n) &&
			    (n == avail || !isalpha((unsigned char)s[n]))) {
				*len = n;
				return m + 1;
			}
		}
	/* capitals with accents: FÉVRIER, AOÛT, DÉCEMBRE */
	static const char *const caps[] = {"F\xc3\x89VRIER", "AO\xc3\x9bT", "D\xc3\x89" "CEMBRE"};
	static const int nums[] = {2, 8, 12};
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(caps[i]);
		if (n <= avail && !strncmp(s, caps[i], n)) {
			*len = n;
			return nums[i];
		}
	}
	return 0;
}

static int
skip_spaces(const char *s, size_t avail, size_t *i)
{
	size_t start = *i;
	while (*i < avail) {
		if (s[*i] == ' ' || s[*i] == '\t')
			(*i)++;
		else if (*i + 1 < avail && !memcmp(s + *i, "\xc2\xa0", 2))
			*i += 2; /* NBSP */
		else if (*i + 2 < avail && !memcmp(s + *i, "\xe2\x80\xaf", 3))
			*i += 3; /* narrow NBSP */
		else
			break;
	}
	return *i > start;
}

int
french_date(const char *text, size_t len, char out[11])
{
	size_t end = len < LOOK_BYTES ? len : LOOK_BYTES;
	for (size_t at = 0; at < end; at++) {
		if (!isdigit((unsigned char)text[at]) || (at > 0 && isalnum((unsigned char)text[at - 1])))
			continue;
		size_t i = at;
		int day = 0;
		while (i < end && isdigit((unsigned char)text[i]) && i - at < 2)
			day = day * 10 + (text[i++] - '0');
		if (i < end && isdigit((unsigned char)text[i]))
			continue;
		if (i + 1 < end && text[i] == 'e' && text[i + 1] == 'r')
			i += 2; /* 1er */
		if (day < 1 || day > 31 || !skip_spaces(text, end, &i))
			continue;
		size_t mlen;
		int month = month_at(text + i, end - i, &mlen);
		if (!month)
			continue;
		i += mlen;
		if (!skip_spaces(text, end, &i))
			continue;
		int year = 0, digits = 0;
		while (i < end && isdigit((unsigned char)text[i]) && digits < 5) {
			year = year * 10 + (text[i++] - '0');
			digits++;
		}
		if (digits != 4 || year < 1900 || year > 2100)
			continue;
		char date[32];
		snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
		if (pvd_date_valid(date)) {
			memcpy(out, date, 11);
			return 1;
		}
	}
	return 0;
}
