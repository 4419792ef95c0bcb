/*
 * doctype.c: a document's type from what it says, for files that neither
 * their metadata nor their folder type.  Administrative acts and measure
 * sheets have a form that news articles do not: an act cites its grounds
 * ("Vu …"), decides ("Arrête"), numbers its articles ("Article 1er") and
 * is signed and dated ("Fait à …, le …"); a measure sheet is a list of
 * labelled fields ("Partenaire :", "Bénéficiaires :", "Montant :").  The
 * lines are compared folded (no case, no accents), so "ARRÊTE", "Arrête"
 * and "arrete" are one.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"
#include "utf8.h"

/* Only the start of a document is read: its form shows there. */
#define LOOK_BYTES 16384
/* Bytes of a line's start that are folded and compared. */
#define LINE_HEAD 96

/* Titles that name an act (folded). */
static const char *const act_titles[] = {
    "arrete",
    "decret",
    "circulaire",
    "instruction",
    "deliberation",
    "ordonnance",
    "loi n",
    "convention",
    "avenant",
    "decision n",
    "note aux",
    "note d'information",
    "note d\xe2\x80\x99information",
    "note de service",
    "note technique",
};

/* The words by which an act decides, alone on their line (folded). */
static const char *const decides[] = {"arrete", "arretent", "decrete", "decide",
				      "decident"};

/* Labels of a measure sheet's fields (folded); the first ones are the
 * sheet's own, the others back them up. */
static const char *const labels[] = {
    "partenaire",
    "beneficiaire",
    "montant",
    "nature de l'aide",
    "nature de l\xe2\x80\x99"
    "aide",
    "type d'aide",
    "type d\xe2\x80\x99"
    "aide",
    "financeur",
    "porteur",
    /* supporting */
    "type",
    "forme",
    "taux",
    "plafond",
    "eligibilite",
    "criteres d'eligibilite",
    "criteres d\xe2\x80\x99"
    "eligibilite",
    "depenses eligibles",
    "date limite",
    "contact",
    "duree",
    "modalites",
};
#define CORE_LABELS 9

/* s[0..len) folded (NFD, marks stripped, case-folded), or NULL. */
static char *
fold(const char *s, size_t len)
{
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--; /* cut between two characters */
	return utf8_fold(s, len);
}

static int
starts(const char *s, const char *word)
{
	return !strncmp(s, word, strlen(word));
}

/* Whether s is word and nothing else but blanks, a colon or a full stop. */
static int
alone(const char *s, const char *word)
{
	if (!starts(s, word))
		return 0;
	for (s += strlen(word); *s; s++)
		if (!isspace((unsigned char)*s) && *s != ':' && *s != '.')
			return 0;
	return 1;
}

/* Whether the folded line opens with label: "Partenaires :", "Montant :",
 * "Partenaire" alone (a definition list's term), NBSP before the colon. */
static int
labelled(const char *s, const char *label)
{
	if (!starts(s, label))
		return 0;
	s += strlen(label);
	if (*s == 's')
		s++;
	while (*s == ' ' || *s == '\t' || !strncmp(s, "\xc2\xa0", 2) ||
	       !strncmp(s, "\xe2\x80\xaf", 3))
		s += *s == ' ' || *s == '\t' ? 1 : (unsigned char)s[0] == 0xc2 ? 2 : 3;
	return *s == ':' || *s == '\0';
}

typedef struct clues {
	int vu, decides, first_article, articles, considering, signed_, letter;
	unsigned sheet; /* bit i: labels[i] seen */
} clues;

/* What opens a line of an act or of a letter to the prefects (folded). */
static const char vu[] = "vu ", vu_comma[] = "vu,", article[] = "article ",
		  considering[] = "considerant", done_at[] = "fait ",
		  to_prefects[] = "mesdames et messieurs les prefets";
static const char *const openings[] = {vu,	    vu_comma, article,
				       considering, done_at,  to_prefects};

/* Bytes of list marks at s's start: "- Montant :", "• Partenaire :". */
static size_t
list_marks(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == '-' || s[i] == '*' || s[i] == ' ' ||
			 (n - i >= 3 && !strncmp(s + i, "\xe2\x80\xa2", 3))))
		i += s[i] == '\xe2' ? 3 : 1;
	return i;
}

/* Whether folded text that starts with raw[0..n) may start with one of
 * the strings of list: folding keeps ASCII bytes but for their case, and a byte outside
 * ASCII may fold to anything. */
static int
may_start(const char *raw, size_t n, const char *const *list, size_t n_list)
{
	for (size_t k = 0; k < n_list; k++) {
		size_t i = 0;
		while (list[k][i] && i < n && (unsigned char)raw[i] < 0x80 &&
		       tolower((unsigned char)raw[i]) == (unsigned char)list[k][i])
			i++;
		if (!list[k][i] || i == n || (unsigned char)raw[i] >= 0x80)
			return 1;
	}
	return 0;
}

#define COUNT(a) (sizeof a / sizeof a[0])

static void
read_line(clues *c, const char *raw, size_t n)
{
	/* Folding (utf8proc) costs some 100 instructions a byte, and most
	 * lines are prose that cannot open with a clue: such a line is read
	 * as an empty one, which may still hold a letter's date. */
	size_t marks = list_marks(raw, n);
	int may = may_start(raw + marks, n - marks, openings, COUNT(openings)) ||
		  may_start(raw + marks, n - marks, decides, COUNT(decides)) ||
		  may_start(raw + marks, n - marks, labels, COUNT(labels));
	char *f = may ? fold(raw, n < LINE_HEAD ? n : LINE_HEAD) : NULL;
	if (may && !f)
		return;
	const char *s = f ? f : "";
	s += list_marks(s, strlen(s));
	char date[11];
	if (starts(s, vu) || starts(s, vu_comma))
		c->vu++;
	for (size_t i = 0; i < COUNT(decides); i++)
		c->decides |= alone(s, decides[i]);
	if (starts(s, article)) {
		const char *a = s + strlen(article);
		if (starts(a, "1er") || starts(a, "premier") ||
		    (a[0] == '1' && !isdigit((unsigned char)a[1])))
			c->first_article = 1;
		if (isdigit((unsigned char)a[0]) || starts(a, "premier"))
			c->articles++;
	}
	c->considering |= starts(s, considering);
	if (signature_date(raw, n, date)) {
		if (starts(s, done_at))
			c->signed_ = 1;
		else
			c->letter = 1; /* "Paris, le 20 novembre 2020" */
	}
	c->letter |= starts(s, to_prefects);
	for (size_t i = 0; i < COUNT(labels); i++)
		if (labelled(s, labels[i]))
			c->sheet |= 1u << i;
	free(f);
}

static int
bits(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

const char *
type_from_content(const char *title, const char *text, size_t len)
{
	clues c = {0};
	size_t end = len < LOOK_BYTES ? len : LOOK_BYTES;
	for (size_t i = 0; text && i < end;) {
		size_t e = i;
		while (e < end && text[e] != '\n')
			e++;
		size_t s = i;
		while (s < e && (text[s] == ' ' || text[s] == '\t'))
			s++;
		if (e > s)
			read_line(&c, text + s, e - s);
		i = e + 1;
	}
	int act = (c.vu >= 2 ? 2 : c.vu) + 3 * c.decides + 2 * c.first_article +
		  (c.articles >= 2) + c.considering + c.signed_ + c.letter;
	if (title) {
		char *t =
		    fold(title, strlen(title) < LINE_HEAD ? strlen(title) : LINE_HEAD);
		for (size_t i = 0; t && i < COUNT(act_titles); i++)
			if (starts(t, act_titles[i]) &&
			    !isalpha((unsigned char)t[strlen(act_titles[i])])) {
				act += 2;
				break;
			}
		free(t);
		char date[11];
		if (title_date(title, strlen(title), date))
			act++;
	}
	int core = bits(c.sheet & ((1u << CORE_LABELS) - 1)), all = bits(c.sheet);
	/* One clue is not enough: "Instruction If...Then" names a statement
	 * of a programming language, not an act. */
	if (act >= 3)
		return "texte";
	if (core >= 1 && all >= 2)
		return "catalogue";
	return "article";
}
