/*
 * dates.c: a date written in French near the top of a text ("16 octobre
 * 2020", "1er janvier 2024", "le 3 mars 2021"), the fallback for files
 * whose metadata give none.  Only the first 2,000 bytes are read: a date
 * further down is more often a reference than the document's own.  An
 * administrative act is dated by its signature line instead, else by the
 * "du [date]" of its title, else by that first date.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "indexer.h"
#include "pvd.h"

#define LOOK_BYTES 2000

static const char *const months[][2] = {
    {"janvier", NULL}, {"février", "fevrier"}, {"mars", NULL},
    {"avril", NULL},   {"mai", NULL},	       {"juin", NULL},
    {"juillet", NULL}, {"août", "aout"},       {"septembre", NULL},
    {"octobre", NULL}, {"novembre", NULL},     {"décembre", "decembre"},
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
	static const char *const caps[] = {"FÉVRIER", "AOÛT", "DÉCEMBRE"};
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

/* A date written "3 mars 2022" (or "1er mars 2022") starting at text[at],
 * read no further than end: 1 with out filled and *stop past the year. */
static int
date_at(const char *text, size_t end, size_t at, char out[11], size_t *stop)
{
	if (!isdigit((unsigned char)text[at]) ||
	    (at > 0 && isalnum((unsigned char)text[at - 1])))
		return 0;
	size_t i = at;
	int day = 0;
	while (i < end && isdigit((unsigned char)text[i]) && i - at < 2)
		day = day * 10 + (text[i++] - '0');
	if (i < end && isdigit((unsigned char)text[i]))
		return 0;
	if (i + 1 < end && text[i] == 'e' && text[i + 1] == 'r')
		i += 2; /* 1er */
	if (day < 1 || day > 31 || !skip_spaces(text, end, &i))
		return 0;
	size_t mlen;
	int month = month_at(text + i, end - i, &mlen);
	if (!month)
		return 0;
	i += mlen;
	if (!skip_spaces(text, end, &i))
		return 0;
	int year = 0, digits = 0;
	while (i < end && isdigit((unsigned char)text[i]) && digits < 5) {
		year = year * 10 + (text[i++] - '0');
		digits++;
	}
	if (digits != 4 || year < 1900 || year > 2100)
		return 0;
	char date[32];
	snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
	if (!pvd_date_valid(date))
		return 0;
	memcpy(out, date, 11);
	*stop = i;
	return 1;
}

/* The first date in text[from, end). */
static int
first_date(const char *text, size_t from, size_t end, char out[11], size_t *at,
	   size_t *stop)
{
	for (size_t i = from; i < end; i++)
		if (date_at(text, end, i, out, stop)) {
			*at = i;
			return 1;
		}
	return 0;
}

int
french_date(const char *text, size_t len, char out[11])
{
	size_t at, stop;
	return first_date(text, 0, len < LOOK_BYTES ? len : LOOK_BYTES, out, &at, &stop);
}

/* Whether s[0..n) starts with word, ASCII case aside. */
static int
starts(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);
	return n >= k && !strncasecmp(s, word, k);
}

/* Whether only blanks and a final full stop follow in s[0..n). */
static int
ends_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (isspace((unsigned char)s[i]) || s[i] == '.'))
		i++;
	return i == n;
}

/* Who signs an act, after the date: "Le 3 mars 2022, le préfet". */
static const char *const signers[] = {"le ", "la ", "pour ", "p/", "p. "};

/*
 * The date of a signature line: "Fait à Aspet, le 12 juillet 2021.",
 * "Fait le 3 mars 2022", "Toulouse, le 16 mai 2022" (the line ends with
 * the date), "Le 3 mars 2022, le préfet".  0 when line is none of these.
 */
int
signature_date(const char *line, size_t n, char out[11])
{
	size_t at, stop;
	if (starts(line, n, "fait \xc3\xa0 ") || starts(line, n, "fait a ") ||
	    starts(line, n, "fait le ") || starts(line, n, "fait en ") ||
	    starts(line, n, "fait au "))
		return first_date(line, 0, n, out, &at, &stop);
	if (starts(line, n, "le ")) {
		if (!date_at(line, n, 3, out, &stop))
			return 0;
		if (ends_line(line + stop, n - stop))
			return 1;
		size_t i = stop;
		if (line[i] != ',')
			return 0;
		i++;
		while (i < n && line[i] == ' ')
			i++;
		for (size_t k = 0; k < sizeof signers / sizeof signers[0]; k++)
			if (starts(line + i, n - i, signers[k]))
				return 1;
		return 0;
	}
	/* "Paris, le 20 novembre 2020": a place, ", le ", the date, nothing more */
	if (n > 120 ||
	    (!isupper((unsigned char)line[0]) && (unsigned char)line[0] < 0x80))
		return 0;
	for (size_t i = 1; i + 5 < n; i++) {
		if (memcmp(line + i, ", le ", 5))
			continue;
		return date_at(line, n, i + 5, out, &stop) &&
		       ends_line(line + stop, n - stop);
	}
	return 0;
}

/* The date of a title that names its act's: "Arrêté n° 12 du 3 mars 2022". */
int
title_date(const char *title, size_t n, char out[11])
{
	size_t stop;
	for (size_t i = 0; i + 3 < n; i++)
		if ((i == 0 || !isalnum((unsigned char)title[i - 1])) &&
		    starts(title + i, n - i, "du ") &&
		    date_at(title, n, i + 3, out, &stop))
			return 1;
	return 0;
}

int
act_date(const char *title, const char *text, size_t len, char out[11])
{
	/* The last signature line: an act is signed at its end, and what it
	 * cites ("Vu la convention signée le 24 juin 2021") comes before. */
	int found = 0;
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		size_t s = i;
		while (s < end && (text[s] == ' ' || text[s] == '\t'))
			s++;
		char d[11];
		if (end > s && signature_date(text + s, end - s, d)) {
			memcpy(out, d, 11);
			found = 1;
		}
		i = end + 1;
	}
	if (found)
		return 1;
	/* Then the title's "du [date]": the title, or else the first line. */
	size_t first = 0;
	while (first < len && isspace((unsigned char)text[first]))
		first++;
	size_t eol = first;
	while (eol < len && text[eol] != '\n')
		eol++;
	if (title ? title_date(title, strlen(title), out)
		  : title_date(text + first, eol - first, out))
		return 1;
	return french_date(text, len, out);
}
