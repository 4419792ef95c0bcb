/*
 * recognise.c: the communes a document names, for documents whose metadata
 * names none.  A name counts when it is written as a place is: capitalised
 * ("Aspet", "ST-MARTORY", "St-Gaudens"), whole (never the start of a longer
 * hyphenated name), with its article when it has one ("Le Mas-d'Azil").
 * Then, since a wrong commune is worse than none:
 *   - a name that is also a common word, French or English (Bonnes, Eu,
 *     Y, Le Port, This) needs the département next to it ("Bonnes (86)",
 *     "Bonnes, dans la Vienne", a postcode) or a commune of its
 *     département ("Saint-Gaudens, Valentine et Montréjeau"), unless it is
 *     a town of 10,000 or more written mid-sentence (never at a sentence
 *     start or in capitals: "Orange a installé");
 *   - a name several communes share (Murat, Valence) is the one of the
 *     département named next to it, else the only one in a département the
 *     document names or whose communes it cites, else the one that
 *     outweighs all the others (at most two) ten to one and has 20,000
 *     inhabitants, else none;
 *   - a name in a street or building ("allées d'Étigny", "église
 *     Saint-Pierre") or in a person's name ("Marie Dupont", "M. Murat") is
 *     no commune.
 * Only capitalised words are looked at, so the cost is a few hash look-ups
 * per capitalised word of the text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "places.h"

#define NEAR 160	/* bytes: "next to it" */
#define MAX_COMPOUNDS 6 /* words of a name separated by spaces */
#define MAX_FOUND 4096	/* mentions kept per document */
#define MAX_EVENTS 1024 /* département mentions kept per document */
/* A common word capitalised mid-sentence is the town when it has this
 * many inhabitants (Tulle, Tours), and needs its département otherwise. */
#define COMMON_TOWN 10000

typedef struct mention {
	size_t pos;
	size_t first, n; /* the communes of its key */
	int weak;	 /* at a sentence start or in capitals */
	long chosen;	 /* official entry, -1 until decided */
} mention;

typedef struct event {
	size_t pos;
	unsigned dept;
} event;

typedef struct scan {
	mention *m;
	size_t n_m;
	event *e;
	size_t n_e;
	size_t base; /* offset of the segment in the document's positions */
} scan;

/* ---- characters ---------------------------------------------------------- */

/* Length of the letter at s[i] (ASCII or Latin-1/Extended-A), 0 if none. */
static size_t
letter_at(const unsigned char *s, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	unsigned char c = s[i];
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return 1;
	if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < len &&
	    (s[i + 1] & 0xC0) == 0x80) {
		if (c == 0xC3 && (s[i + 1] == 0x97 || s[i + 1] == 0xB7))
			return 0; /* × ÷ */
		return 2;
	}
	return 0;
}

static int
upper_at(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	if (c >= 'A' && c <= 'Z')
		return 1;
	if (c == 0xC3 && i + 1 < len)
		return s[i + 1] >= 0x80 && s[i + 1] <= 0x9E && s[i + 1] != 0x97;
	if ((c == 0xC4 || c == 0xC5) && i + 1 < len)
		return !(s[i + 1] & 1) &&
		       !(c == 0xC5 && s[i + 1] == 0x93); /* Œ is 0x92 */
	return 0;
}

/* An apostrophe (' or ’) at s[i]: its length, else 0. */
static size_t
apostrophe_at(const unsigned char *s, size_t len, size_t i)
{
	if (i < len && s[i] == '\'')
		return 1;
	if (i + 2 < len && s[i] == 0xE2 && s[i + 1] == 0x80 && s[i + 2] == 0x99)
		return 3;
	return 0;
}

/* A space between two words of a name: ' ' or a no-break space. */
static size_t
space_at(const unsigned char *s, size_t len, size_t i)
{
	if (i < len && s[i] == ' ')
		return 1;
	if (i + 1 < len && s[i] == 0xC2 && s[i + 1] == 0xA0)
		return 2;
	return 0;
}

/* The end of the hyphenated compound starting at i ("Mas-d'Azil"). */
static size_t
compound_end(const unsigned char *s, size_t len, size_t i)
{
	for (;;) {
		size_t n;
		while ((n = letter_at(s, len, i)))
			i += n;
		size_t sep = s[i] == '-' && i < len ? 1 : apostrophe_at(s, len, i);
		if (!sep || !letter_at(s, len, i + sep))
			return i;
		i += sep;
	}
}

/* Whether the compound s[a..b) is all capitals (a title or a heading). */
static int
all_caps(const unsigned char *s, size_t a, size_t b)
{
	int letters = 0;
	for (size_t i = a; i < b; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			return 0;
		if (s[i] == 0xC3 && i + 1 < b && s[i + 1] >= 0xA0)
			return 0;
		letters += s[i] >= 'A' && s[i] <= 'Z';
	}
	return letters > 1;
}

static int
word_is(const unsigned char *s, size_t a, size_t b, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == b - a &&
		    !strncasecmp((const char *)s + a, *list, b - a))
			return 1;
	return 0;
}

/* Lower-case words that may sit inside a name: "Salies du Salat". */
static const char *const linkers[] = {"de",  "du",   "des", "la", "le",		"les",
				      "sur", "sous", "en",  "et", "l\xc3\xa8s", "lez",
				      "aux", "au",   "d",   "l",  NULL};

/* ---- what comes before a name -------------------------------------------- */

/* The word that ends just before i (skipping spaces and one elided
 * article), as [*a, *b); 0 when there is none on the line. */
static int
word_before(const unsigned char *s, size_t i, size_t *a, size_t *b)
{
	size_t j = i;
	if (j >= 2 && s[j - 1] == '\'' && (s[j - 2] | 0x20) >= 'a' &&
	    (s[j - 2] | 0x20) <= 'z')
		j -= 1;
	else if (j >= 4 && s[j - 3] == 0xE2 && s[j - 2] == 0x80 && s[j - 1] == 0x99)
		j -= 3;
	else {
		while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == 0xA0 || s[j - 1] == 0xC2))
			j--;
	}
	size_t end = j;
	while (j > 0 && (letter_at(s, end, j - 1) || (s[j - 1] & 0xC0) == 0x80 ||
			 (s[j - 1] >= 0xC3 && s[j - 1] <= 0xC5) || s[j - 1] == '.'))
		j--;
	*a = j;
	*b = end;
	return end > j;
}

/* Whether a sentence (or the text, a line, a quotation) starts at i. */
static int
sentence_start(const unsigned char *s, size_t i)
{
	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '*' ||
			 s[i - 1] == '#' || s[i - 1] == '"' || s[i - 1] == '(' ||
			 s[i - 1] == 0xA0 || s[i - 1] == 0xC2 || s[i - 1] == 0xAB))
		i--;
	return i == 0 || (s[i - 1] && strchr(".!?:;\n\r", s[i - 1]) != NULL);
}

/* Words that make what follows a street's name ("rue de Toulouse", "allées
 * d'Étigny"), and those that make the name right after them a dedication
 * or a person ("église Saint-Pierre", "M. Murat"); "l'école d'Aspet" is
 * Aspet's. */
static const char *const streets[] = {"rue",
				      "place",
				      "avenue",
				      "boulevard",
				      "bd",
				      "all\xc3\xa9"
				      "e",
				      "all\xc3\xa9"
				      "es",
				      "quai",
				      "cours",
				      "impasse",
				      "chemin",
				      "square",
				      "route",
				      "pont",
				      "porte",
				      NULL};
static const char *const dedications[] = {"\xc3\xa9glise",
					  "chapelle",
					  "coll\xc3\xa8ge",
					  "lyc\xc3\xa9"
					  "e",
					  "\xc3\xa9"
					  "cole",
					  "h\xc3\xb4pital",
					  "abbaye",
					  "cath\xc3\xa9"
					  "drale",
					  "basilique",
					  "salle",
					  "stade",
					  "parc",
					  "M.",
					  "Mme",
					  "Mlle",
					  "Madame",
					  "Monsieur",
					  "Me",
					  "Dr",
					  "docteur",
					  "saint",
					  "sainte",
					  NULL};

/* Capitalised words before a name that are no first name. */
static const char *const not_first_names[] = {
    "\xc3\x80", "A",	 "En",	 "Dans",	 "Pour",  "Par",   "Vers",  "Sur",
    "Depuis",	"Entre", "Chez", "Pr\xc3\xa8s",	 "Avec",  "Et",	   "Ou",    "Mais",
    "Donc",	"Ni",	 "Car",	 "Apr\xc3\xa8s", "Avant", "Comme", "Ville", "Commune",
    "Mairie",	"Maire", NULL};

/* Words after which a département, not its homonymous commune, is meant. */
static const char *const dept_articles[] = {"la",  "le", "les",	 "l", "du",
					    "des", "en", "dans", NULL};

static int
after_street_or_title(const unsigned char *s, size_t i)
{
	size_t a, b;
	if (!word_before(s, i, &a, &b))
		return 0;
	if (word_is(s, a, b, streets) || word_is(s, a, b, dedications))
		return 1;
	/* "place de la Mairie", "rue du Foirail": one more word back */
	if (word_is(s, a, b, linkers) && word_before(s, a, &a, &b)) {
		if (word_is(s, a, b, linkers) && !word_before(s, a, &a, &b))
			return 0;
		return word_is(s, a, b, streets);
	}
	return 0;
}

/* "Marie Dupont", "Jean Murat": a lone capitalised word next to another
 * one that is no article and starts no sentence is a person's name. */
static int
in_person_name(const unsigned char *s, size_t len, size_t a, size_t b, int one_word)
{
	if (!one_word)
		return 0;
	size_t sp = space_at(s, len, b);
	if (sp && b + sp < len && upper_at(s, len, b + sp)) {
		size_t e = compound_end(s, len, b + sp);
		if (e > b + sp + 1 && !all_caps(s, a, b))
			return 1;
	}
	size_t pa, pb;
	if (word_before(s, a, &pa, &pb) && pb < a && s[pb] == ' ' &&
	    upper_at(s, len, pa) && !word_is(s, pa, pb, linkers) &&
	    !word_is(s, pa, pb, not_first_names) && !all_caps(s, pa, pb) && pb - pa > 1)
		return 1;
	return 0;
}

/* ---- départements next to a name ------------------------------------------ */

static void
add_event(scan *sc, size_t pos, long dept)
{
	if (dept < 0 || sc->n_e >= MAX_EVENTS)
		return;
	sc->e[sc->n_e++] = (event){sc->base + pos, (unsigned)dept};
}

/* "(31)", "(2A)", and postcodes before a capitalised name ("31160 Aspet"). */
static size_t
numbers(scan *sc, const unsigned char *s, size_t len, size_t i)
{
	if (s[i] == '(') {
		size_t j = i + 1;
		while (j < len && j - i <= 4 &&
		       ((s[j] >= '0' && s[j] <= '9') || s[j] == 'A' || s[j] == 'B'))
			j++;
		if (j < len && s[j] == ')' && j - i >= 3) {
			char code[5] = ""; /* up to 4 characters: "(2022)" is read too */
			memcpy(code, s + i + 1, j - i - 1);
			add_event(sc, i, pvdi_dept_find(code));
		}
		return i + 1;
	}
	size_t j = i;
	while (j < len && s[j] >= '0' && s[j] <= '9')
		j++;
	if (j - i == 5 && (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9')) &&
	    space_at(s, len, j) && j + 1 < len &&
	    upper_at(s, len, j + space_at(s, len, j))) {
		char code[4] = {(char)s[i], (char)s[i + 1], 0, 0};
		if (code[0] == '9' && code[1] == '7')
			code[2] = (char)s[i + 2];
		else if (code[0] == '2' && code[1] == '0')
			code[1] = s[i + 2] <= '1' ? 'A' : 'B';
		add_event(sc, i, pvdi_dept_find(code));
	}
	return j;
}

/* ---- names ----------------------------------------------------------------- */

/* Try the name starting at i; returns where to go on. */
static size_t
name_at(scan *sc, const unsigned char *s, size_t len, size_t i)
{
	/* most capitalised words (The, Debian, Chapitre) start no name */
	size_t w = i, wl;
	while ((wl = letter_at(s, len, w)))
		w += wl;
	if (!pvdi_place_first_word((const char *)s + i, w - i))
		return w > i ? w : i + 1;
	size_t ends[MAX_COMPOUNDS], n_c = 0, at = i;
	int caps[MAX_COMPOUNDS];
	/* compounds joined by single spaces, linkers allowed in between */
	while (n_c < MAX_COMPOUNDS) {
		size_t e = compound_end(s, len, at);
		if (e == at)
			break;
		int cap = upper_at(s, len, at);
		if (!cap && !word_is(s, at, e, linkers))
			break;
		ends[n_c] = e;
		caps[n_c++] = cap;
		size_t sp = space_at(s, len, e);
		if (!sp)
			break;
		at = e + sp;
	}
	if (n_c == 0)
		return i + 1;
	char key[PVDI_PLACE_KEY_CAP];
	for (size_t k = n_c; k-- > 0;) {
		if (!caps[k])
			continue; /* a name ends on a capitalised word */
		size_t e = ends[k];
		if (e < len && (s[e] == '-' || apostrophe_at(s, len, e)) &&
		    letter_at(s, len, e + 1))
			continue;
		if (!pvdi_place_key(key, sizeof key, (const char *)s + i, e - i))
			continue;
		size_t first, n = pvdi_communes_by_key(key, &first);
		/* a département's name is one compound (Haute-Garonne) */
		long dept = n == 0 && k == 0 ? pvdi_dept_find(key) : -1;
		if (n) {
			/* "la Vienne", "en Corrèze": the département */
			size_t a, b;
			long as_dept = pvdi_dept_find(key);
			int article =
			    word_before(s, i, &a, &b) && word_is(s, a, b, dept_articles);
			if (as_dept >= 0 && article) {
				add_event(sc, i, as_dept);
				return e;
			}
			/* "la Gartempe", "le Salat": a river, a massif, a
			 * district; a commune's own article is capitalised */
			if (article && b > a &&
			    ((s[a] >= 'a' && s[a] <= 'z') || sentence_start(s, a)) &&
			    !word_is(
				s, a, b,
				(const char *const[]){"en", "dans", "du", "des", NULL}))
				return e;
			if (after_street_or_title(s, i) ||
			    in_person_name(s, len, i, e,
					   k == 0 && !memchr(s + i, '-', e - i)))
				return e;
			if (sc->n_m < MAX_FOUND)
				sc->m[sc->n_m++] = (mention){
				    sc->base + i, first, n,
				    sentence_start(s, i) || all_caps(s, i, e), -1};
			if (as_dept >= 0)
				add_event(sc, i, as_dept); /* Paris */
			return e;
		}
		if (dept >= 0) {
			add_event(sc, i, dept);
			return e;
		}
	}
	/* "L'Ariège", "D'Aspet" at a sentence start: the name after the article */
	size_t ap = apostrophe_at(s, len, i + 1);
	if (ap && (s[i] == 'L' || s[i] == 'D'))
		return i + 1 + ap;
	return ends[0];
}

static void
scan_text(scan *sc, const char *text, size_t len, size_t base)
{
	const unsigned char *s = (const unsigned char *)text;
	sc->base = base;
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		if (c == '(' || (c >= '0' && c <= '9')) {
			i = numbers(sc, s, len, i);
			continue;
		}
		if (!upper_at(s, len, i)) {
			i++;
			continue;
		}
		/* a word inside another (McDo, a hyphenated name's tail) is no
		 * start; after an elided article (d'Aspet, l’Ariège) it is,
		 * unless that article is inside a name (Mas-d'Azil) */
		if (i > 0) {
			size_t back = s[i - 1] == '\'' ? 1
				      : i >= 3 && s[i - 3] == 0xE2 && s[i - 2] == 0x80 &&
					      s[i - 1] == 0x99
					  ? 3
					  : 0;
			int inside;
			if (back) {
				size_t j = i - back;
				while (j > 0 && (s[j - 1] | 0x20) >= 'a' &&
				       (s[j - 1] | 0x20) <= 'z')
					j--;
				inside = j > 0 && s[j - 1] == '-';
			} else {
				inside = letter_at(s, len, i - 1) ||
					 (s[i - 1] & 0xC0) == 0x80 || s[i - 1] == '-' ||
					 (s[i - 1] >= '0' && s[i - 1] <= '9');
			}
			if (inside) {
				i++;
				continue;
			}
		}
		i = name_at(sc, s, len, i);
	}
}

/* ---- deciding ------------------------------------------------------------- */

static int
dept_near(const scan *sc, size_t pos, unsigned dept)
{
	for (size_t k = 0; k < sc->n_e; k++) {
		size_t d = sc->e[k].pos > pos ? sc->e[k].pos - pos : pos - sc->e[k].pos;
		if (d <= NEAR && sc->e[k].dept == dept)
			return 1;
	}
	return 0;
}

/* Whether a commune of département dept was chosen next to pos. */
static int
commune_near(const scan *sc, size_t pos, unsigned dept)
{
	for (size_t k = 0; k < sc->n_m; k++) {
		const mention *o = &sc->m[k];
		size_t d = o->pos > pos ? o->pos - pos : pos - o->pos;
		if (o->chosen >= 0 && d <= NEAR &&
		    pvdi_cog_communes[o->chosen].dept == dept)
			return 1;
	}
	return 0;
}

/* The official entry of a commune entry (a usual name points to it). */
static long
official(size_t i)
{
	if (!(pvdi_cog_communes[i].flags & PVDI_COG_USUAL))
		return (long)i;
	return pvdi_commune_by_code(pvdi_cog_communes[i].code);
}

/* How many distinct communes share the mention's key. */
static size_t
distinct(const mention *m)
{
	size_t d = 0;
	for (size_t k = 0; k < m->n; k++) {
		int seen = 0;
		for (size_t j = 0; j < k && !seen; j++)
			seen = !strcmp(pvdi_cog_communes[m->first + j].code,
				       pvdi_cog_communes[m->first + k].code);
		d += !seen;
	}
	return d;
}

/* Choose each mention's commune; -1 when out of memory. */
static int
decide(scan *sc)
{
	unsigned char *named =
	    calloc(pvdi_cog_n_depts, 1); /* départements of the document */
	if (!named)
		return -1;
	for (size_t k = 0; k < sc->n_e; k++)
		named[sc->e[k].dept] = 1;
	/* first the names that tell themselves apart */
	for (size_t k = 0; k < sc->n_m; k++) {
		mention *m = &sc->m[k];
		const pvdi_cog_commune *c = &pvdi_cog_communes[m->first];
		int common = c->flags & PVDI_COG_COMMON;
		if (distinct(m) == 1) {
			if (!common || dept_near(sc, m->pos, c->dept) ||
			    (c->population >= COMMON_TOWN && !m->weak))
				m->chosen = official(m->first);
		} else {
			long pick = -1;
			for (size_t j = 0; j < m->n; j++)
				if (dept_near(sc, m->pos,
					      pvdi_cog_communes[m->first + j].dept))
					pick = pick < 0 ? official(m->first + j) : -2;
			if (pick >= 0)
				m->chosen = pick;
		}
		if (m->chosen >= 0)
			named[pvdi_cog_communes[m->chosen].dept] = 1;
	}
	/* common words next to a commune of their département ("Saint-Gaudens,
	 * Valentine et Montréjeau", "Revel et Villefranche-de-Lauragais") */
	for (size_t k = 0; k < sc->n_m; k++) {
		mention *m = &sc->m[k];
		if (m->chosen >= 0 ||
		    !(pvdi_cog_communes[m->first].flags & PVDI_COG_COMMON))
			continue;
		long pick = -1;
		for (size_t j = 0; j < m->n; j++)
			if (commune_near(sc, m->pos,
					 pvdi_cog_communes[m->first + j].dept))
				pick = pick < 0 ? official(m->first + j) : -2;
		if (pick >= 0)
			m->chosen = pick;
	}
	/* then homonyms by the départements of the whole document */
	for (size_t k = 0; k < sc->n_m; k++) {
		mention *m = &sc->m[k];
		int common = pvdi_cog_communes[m->first].flags & PVDI_COG_COMMON;
		size_t homonyms = distinct(m);
		if (m->chosen >= 0 || homonyms == 1 || (common && m->weak))
			continue;
		long pick = -1;
		uint64_t others = 0;
		for (size_t j = 0; j < m->n; j++) {
			const pvdi_cog_commune *c = &pvdi_cog_communes[m->first + j];
			if (named[c->dept])
				pick = pick < 0 ? official(m->first + j) : -2;
			if (j > 0)
				others += c->population;
		}
		const pvdi_cog_commune *top = &pvdi_cog_communes[m->first];
		if (pick == -1 && homonyms <= 3 &&
		    top->population >= (common ? COMMON_TOWN : 20000) &&
		    top->population >= 10 * others)
			pick = official(m->first);
		if (pick >= 0)
			m->chosen = pick;
	}
	free(named);
	return 0;
}

/* ---- the API --------------------------------------------------------------- */

typedef struct tally {
	long commune;
	size_t count, first;
} tally;

static int
by_count(const void *a, const void *b)
{
	const tally *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static int
scan_init(scan *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->m = malloc(MAX_FOUND * sizeof *sc->m);
	sc->e = malloc(MAX_EVENTS * sizeof *sc->e);
	return sc->m && sc->e ? 0 : -1;
}

static void
scan_free(scan *sc)
{
	free(sc->m);
	free(sc->e);
}

size_t
pvdi_recognise_communes(const char *title, const char *text, size_t len, uint32_t *out,
			size_t cap)
{
	scan sc;
	if (scan_init(&sc)) {
		scan_free(&sc);
		return (size_t)-1;
	}
	size_t tlen = title ? strlen(title) : 0;
	if (title)
		scan_text(&sc, title, tlen, 0);
	if (text)
		scan_text(&sc, text, len,
			  tlen + 2 * NEAR); /* the title is not next to the text */
	tally *t = decide(&sc) ? NULL : calloc(sc.n_m + 1, sizeof *t);
	if (!t) {
		scan_free(&sc);
		return (size_t)-1;
	}
	size_t n_t = 0;
	for (size_t k = 0; k < sc.n_m; k++) {
		if (sc.m[k].chosen < 0)
			continue;
		size_t j = 0;
		while (j < n_t && t[j].commune != sc.m[k].chosen)
			j++;
		if (j == n_t)
			t[n_t++] = (tally){sc.m[k].chosen, 0, k};
		t[j].count++;
	}
	qsort(t, n_t, sizeof *t, by_count);
	size_t n = 0;
	for (size_t k = 0; k < n_t && n < cap; k++)
		out[n++] = (uint32_t)t[k].commune;
	free(t);
	scan_free(&sc);
	return n;
}

int
pvdi_resolve_named(const char *const *names, size_t n, const char *text, size_t len,
		   long *out)
{
	scan sc;
	unsigned char *named = NULL;
	if (scan_init(&sc) || !(named = calloc(pvdi_cog_n_depts, 1))) {
		scan_free(&sc);
		return -1;
	}
	if (text)
		scan_text(&sc, text, len, 0);
	/* the names that are one commune, and the départements around */
	for (size_t k = 0; k < n; k++) {
		size_t many;
		out[k] = pvdi_commune_resolve(names[k], &many);
		if (out[k] >= 0)
			out[k] = official((size_t)out[k]);
		if (out[k] >= 0)
			named[pvdi_cog_communes[out[k]].dept] = 1;
	}
	for (size_t k = 0; k < sc.n_e; k++)
		named[sc.e[k].dept] = 1;
	for (size_t k = 0; k < sc.n_m; k++)
		if (distinct(&sc.m[k]) == 1)
			named[pvdi_cog_communes[sc.m[k].first].dept] = 1;
	/* homonyms: the one in a département of the document */
	for (size_t k = 0; k < n; k++) {
		if (out[k] >= 0)
			continue;
		char key[PVDI_PLACE_KEY_CAP];
		size_t first, many;
		pvdi_place_key(key, sizeof key, names[k], strlen(names[k]));
		many = pvdi_communes_by_key(key, &first);
		long pick = -1;
		for (size_t j = 0; j < many; j++)
			if (named[pvdi_cog_communes[first + j].dept])
				pick = pick < 0 ? official(first + j) : -2;
		out[k] = pick >= 0 ? pick : -1;
	}
	free(named);
	scan_free(&sc);
	return 0;
}
