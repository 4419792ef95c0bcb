/*
 * query.c: pvd's query language, parsed into a tree of folded terms that
 * xap-search.cc turns into a Xapian::Query.  Xapian's QueryParser splits
 * and stems words its own way, so the words here go through the very
 * analysis the documents went through.
 *
 * The language: words (all required), "phrases", AND/ET, OR/OU, NOT/SAUF
 * (in capitals only), -word, +word, parentheses, word* prefixes, and the
 * fields titre:, type: and commune:.  Nothing a user pastes is an error:
 * an unclosed quote or parenthesis closes at the end, a stray ")" is
 * ignored, an operator with nothing to work on is dropped (or read as a
 * word when the query has nothing else), and a "word:" that names no field
 * is just text.  Only a query with no word at
 * all, or a type: naming no type (refused as --type is), is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "pvd-private.h"

/* ---- Lexing ----------------------------------------------------------- */

typedef enum lkind { L_WORD, L_PHRASE, L_LPAREN, L_RPAREN, L_AND, L_OR, L_NOT } lkind;
typedef enum field { F_NONE, F_TITLE, F_TYPE, F_COMMUNE, F_DEPT, F_REGION } field;

/* Fields that filter (type:, commune:, departement:, region:). */
#define FILTER_FIELD(f) ((f) >= F_TYPE)

typedef struct lexeme {
	lkind kind;
	const char *s; /* the text of a word or phrase (not NUL-terminated) */
	size_t len;
	char sign; /* '-', '+' or 0 */
	field field;
	const char *field_name; /* "titre" of titre:, for when nothing follows */
	size_t field_len;
	int wildcard; /* word ended with '*' */
} lexeme;

typedef struct lexer {
	lexeme *v;
	size_t n, cap;
} lexer;

static int
is_space(utf8proc_int32_t c)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		return 1;
	return c >= 0x80 && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static int
is_letter(utf8proc_int32_t c)
{
	utf8proc_category_t k = utf8proc_category(c);
	return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL ||
	       k == UTF8PROC_CATEGORY_LT || k == UTF8PROC_CATEGORY_LO;
}

static int
push(lexer *lx, lexeme l)
{
	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? 2 * lx->cap : 16;
		lexeme *v = realloc(lx->v, cap * sizeof *v);
		if (!v)
			return -1;
		lx->v = v;
		lx->cap = cap;
	}
	lx->v[lx->n++] = l;
	return 0;
}

static field
field_named(const char *s, size_t len)
{
	static const struct {
		const char *name;
		field f;
	} names[] = {{"titre", F_TITLE},      {"title", F_TITLE},
		     {"type", F_TYPE},	      {"commune", F_COMMUNE},
		     {"departement", F_DEPT}, {"region", F_REGION}};
	/* Staff write the accents ("département:", "Région:"): compare with
	 * case and accents folded away. */
	char folded[32];
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t c;
		i += pvdi_utf8_at(s, len, i, &c);
		utf8proc_int32_t d[4];
		utf8proc_ssize_t m = utf8proc_decompose_char(
		    c, d, 4, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
		    NULL);
		if (m != 1 || d[0] >= 0x80 || n + 1 >= sizeof folded)
			return F_NONE;
		folded[n++] = (char)d[0];
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && memcmp(folded, names[i].name, n) == 0)
			return names[i].f;
	return F_NONE;
}

static lkind
word_kind(const char *s, size_t len)
{
	static const struct {
		const char *w;
		lkind k;
	} ops[] = {{"AND", L_AND}, {"ET", L_AND},  {"OR", L_OR},
		   {"OU", L_OR},   {"NOT", L_NOT}, {"SAUF", L_NOT}};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strlen(ops[i].w) == len && memcmp(s, ops[i].w, len) == 0)
			return ops[i].k;
	return L_WORD;
}

static int
lex(lexer *lx, const char *q, size_t len)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t c;
		size_t n = pvdi_utf8_at(q, len, i, &c);
		if (is_space(c)) {
			i += n;
			continue;
		}
		if (c == '(' || c == ')') {
			lexeme l = {c == '(' ? L_LPAREN : L_RPAREN,
				    q + i,
				    1,
				    0,
				    F_NONE,
				    NULL,
				    0,
				    0};
			if (push(lx, l))
				return -1;
			i++;
			continue;
		}
		lexeme l = {L_WORD, NULL, 0, 0, F_NONE, NULL, 0, 0};
		/* A sign counts only in front of something. */
		if ((c == '-' || c == '+') && i + 1 < len) {
			utf8proc_int32_t next;
			pvdi_utf8_at(q, len, i + 1, &next);
			if (!is_space(next) && next != ')') {
				l.sign = (char)c;
				i++;
				if (next == '(') {
					/* -( ... ): the sign applies to the group */
					lexeme p = {L_LPAREN, q + i, 1, l.sign,
						    F_NONE,   NULL,  0, 0};
					if (push(lx, p))
						return -1;
					i++;
					continue;
				}
			}
		}
		/* field:value, where value is a word or a "phrase" */
		size_t j = i;
		while (j < len) {
			utf8proc_int32_t d;
			size_t m = pvdi_utf8_at(q, len, j, &d);
			if (!is_letter(d))
				break;
			j += m;
		}
		if (j > i && j + 1 < len && q[j] == ':' && q[j + 1] != ' ') {
			field f = field_named(q + i, j - i);
			if (f != F_NONE) {
				l.field = f;
				l.field_name = q + i;
				l.field_len = j - i;
				i = j + 1;
			}
		}
		if (q[i] == '"') {
			size_t end = i + 1;
			while (end < len && q[end] != '"')
				end++;
			l.kind = L_PHRASE;
			l.s = q + i + 1;
			l.len = end - i - 1;
			i = end < len ? end + 1 : end;
		} else {
			size_t end = i;
			while (end < len) {
				utf8proc_int32_t d;
				size_t m = pvdi_utf8_at(q, len, end, &d);
				if (is_space(d) || d == '(' || d == ')' || d == '"')
					break;
				end += m;
			}
			l.s = q + i;
			l.len = end - i;
			if (l.len > 1 && l.s[l.len - 1] == '*') {
				l.wildcard = 1;
				l.len--;
			}
			if (!l.sign && l.field == F_NONE && !l.wildcard)
				l.kind = word_kind(l.s, l.len);
			i = end;
		}
		if (push(lx, l))
			return -1;
	}
	return 0;
}

/* ---- The tree ---------------------------------------------------------- */

static pvdi_qnode *
node(pvdi_qkind kind, const char *prefix, const char *term)
{
	pvdi_qnode *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	n->kind = kind;
	if (term) {
		size_t pl = prefix ? strlen(prefix) : 0, tl = strlen(term);
		if (!(n->term = malloc(pl + tl + 1))) {
			free(n);
			return NULL;
		}
		if (pl)
			memcpy(n->term, prefix, pl);
		memcpy(n->term + pl, term, tl + 1);
	}
	return n;
}

static void
node_free(pvdi_qnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->term);
	free(n);
}

/* Adopt kid (freeing it on failure); -1 when out of memory or kid is NULL. */
static int
adopt(pvdi_qnode *parent, pvdi_qnode *kid)
{
	if (!kid)
		return -1;
	pvdi_qnode **v = realloc(parent->kids, (parent->n_kids + 1) * sizeof *v);
	if (!v) {
		node_free(kid);
		return -1;
	}
	parent->kids = v;
	parent->kids[parent->n_kids++] = kid;
	return 0;
}

/* A node of kind over kids; a group of one is the one. */
static pvdi_qnode *
group(pvdi_qkind kind, pvdi_qnode **kids, size_t n)
{
	if (n == 1)
		return kids[0];
	pvdi_qnode *g = node(kind, NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (!g || adopt(g, kids[i])) {
			for (size_t j = i + (g != NULL); j < n; j++)
				node_free(kids[j]);
			node_free(g);
			return NULL;
		}
	}
	return g;
}

/* ---- Parsing -------------------------------------------------------------- */

typedef struct parser {
	const lexer *lx;
	const char *text; /* the query, for the offsets of typed words */
	size_t pos;
	pvdi_query *q;
	int negated; /* inside a NOT: its words are not highlighted */
	int oom;
	int depth;	   /* parentheses open around pos (0: the query's own level) */
	int too_deep;	   /* past PVDI_MAX_DEPTH: the query is refused */
	char bad_type[64]; /* a type: naming no type, refused as --type is */
} parser;

/* What one query item turned into, before its group decides on stopwords. */
typedef struct item {
	pvdi_qnode *node;
	char *word;   /* a plain word, folded: synonyms may span several */
	int stopword; /* a lone stopword: dropped if the group has better */
	int negative;
	int filter;
	int plain; /* a plain word (or a hyphenated one): may be relaxed */
} item;

typedef struct words {
	pvdi_forms *v;
	size_t (*at)[2]; /* each word's bytes in the lexeme */
	size_t n, cap;
	int oom; /* a word could not be kept: the query would be cut short */
} words;

static int
collect(const pvdi_token *tok, void *arg)
{
	words *w = arg;
	if (tok->alt)
		return 0; /* "20 000" stays the phrase 20 000 */
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		pvdi_forms *v = realloc(w->v, cap * sizeof *v);
		if (v)
			w->v = v;
		size_t(*at)[2] = v ? realloc(w->at, cap * sizeof *at) : NULL;
		if (!at) {
			w->oom = 1;
			return 1;
		}
		w->at = at;
		w->cap = cap;
	}
	w->at[w->n][0] = tok->start;
	w->at[w->n][1] = tok->end;
	w->v[w->n++] = *tok->forms;
	return 0;
}

static void
note(parser *p, pvdi_strset *set, const char *s)
{
	if (!p->negated && pvdi_strset_add(set, s))
		p->oom = 1;
}

/* A word to highlight; "de" lit up all over a snippet helps nobody, so
 * stopwords are kept apart. */
static void
note_word(parser *p, const pvdi_forms *f)
{
	int stop = pvdi_is_stopword(f->folded, f->folded_len) ||
		   pvdi_is_question_word(f->folded, f->folded_len);
	note(p, stop ? &p->q->stopwords : &p->q->words, f->folded);
}

/* One word, matched through its stems (or itself when it has none). */
static pvdi_qnode *
word_node(parser *p, const pvdi_forms *f, field fld, int exact)
{
	const char *plain = fld == F_TITLE ? PVDI_P_TITLE : "";
	const char *stem = fld == F_TITLE ? PVDI_P_TITLE_STEM : PVDI_P_STEM;
	pvdi_stems st;

	note_word(p, f);
	if (exact || pvdi_is_stopword(f->folded, f->folded_len))
		return node(PVDI_Q_TERM, plain, f->folded);
	if (pvdi_stems_of(&st, f) != 0) {
		p->oom = 1; /* not the word alone: the query would find less */
		return NULL;
	}
	if (st.n == 0)
		return node(PVDI_Q_TERM, plain, f->folded);
	pvdi_qnode *kids[2];
	for (int i = 0; i < st.n; i++) {
		note(p, &p->q->stems, st.s[i]);
		if (!(kids[i] = node(PVDI_Q_TERM, stem, st.s[i]))) {
			if (i)
				node_free(kids[0]);
			return NULL;
		}
	}
	pvdi_qnode *syn = group(PVDI_Q_SYNONYM, kids, (size_t)st.n);
	if (!syn || fld == F_TITLE || !strcmp(f->lower, f->folded))
		return syn;
	/* Written with accents: documents that spell it so come first
	 * (pâte over pâté and pate); unaccented queries treat all alike. */
	char spelled[2 * PVDI_FORM_CAP + 2];
	snprintf(spelled, sizeof spelled, "%s\t%s", f->folded, f->lower);
	pvdi_qnode *maybe = node(PVDI_Q_AND_MAYBE, NULL, NULL);
	pvdi_qnode *as_written = node(PVDI_Q_TERM, PVDI_P_ACCENT, spelled);
	if (!maybe || !as_written) {
		/* (not the words without the boost: other scores) */
		node_free(maybe);
		node_free(as_written);
		node_free(syn);
		return NULL;
	}
	as_written->scale = 0.5;
	if (adopt(maybe, syn)) {
		node_free(as_written);
		node_free(maybe);
		return NULL;
	}
	if (adopt(maybe, as_written)) {
		node_free(maybe);
		return NULL;
	}
	return maybe;
}

static pvdi_qnode *
phrase_node(parser *p, const words *w, field fld)
{
	const char *plain = fld == F_TITLE ? PVDI_P_TITLE : "";
	pvdi_qnode *ph = node(PVDI_Q_PHRASE, NULL, NULL);
	for (size_t i = 0; ph && i < w->n; i++) {
		note_word(p, &w->v[i]);
		if (adopt(ph, node(PVDI_Q_TERM, plain, w->v[i].folded))) {
			node_free(ph);
			return NULL;
		}
	}
	return ph;
}

static int
filter_item(parser *p, item *it, const lexeme *l)
{
	char text[PVDI_FORM_CAP], key[PVDI_FORM_CAP];
	size_t n = l->len < sizeof text - 1 ? l->len : sizeof text - 1;
	memcpy(text, l->s, n);
	text[n] = '\0';
	pvdi_filter_key(key, sizeof key, text);
	if (!key[0])
		return 0; /* "type:" with nothing usable after it */
	if (l->field != F_TYPE) {
		/* a place in any spelling; one no place is matches nothing */
		static const char *const kinds[] = {"commune", "departement", "region"};
		char term[PVDI_FORM_CAP + 8];
		pvdi_place_filter(term, sizeof term, kinds[l->field - F_COMMUNE], text);
		it->node = node(PVDI_Q_FILTER, NULL, term);
	} else {
		const char *type = pvdi_type_of(text);
		if (!type) {
			if (!p->bad_type[0])
				snprintf(p->bad_type, sizeof p->bad_type, "%.60s", text);
			return 0;
		}
		it->node = node(PVDI_Q_FILTER, PVDI_P_TYPE, type);
	}
	it->filter = 1;
	return it->node ? 0 : -1;
}

/* Keep a typed word for spelling suggestions: where it is in the query
 * and the terms it is searched under. */
static void
note_typed(parser *p, const lexeme *l, const pvdi_forms *f, size_t start, size_t end)
{
	pvdi_query *q = p->q;
	pvdi_qword *v = realloc(q->typed, (q->n_typed + 1) * sizeof *v);
	if (!v) {
		p->oom = 1;
		return;
	}
	q->typed = v;
	pvdi_qword *w = &v[q->n_typed];
	memset(w, 0, sizeof *w);
	w->word_start = (size_t)(l->s - p->text);
	w->word_end = w->word_start + l->len;
	w->start = w->word_start + start;
	w->end = w->word_start + end;
	pvdi_stems st;
	if (pvdi_stems_of(&st, f) != 0 || !(w->folded = strdup(f->folded))) {
		p->oom = 1;
		return;
	}
	for (int i = 0; i < st.n; i++)
		if (asprintf(&w->stem[i], "%s%s", PVDI_P_STEM, st.s[i]) < 0) {
			w->stem[i] = NULL;
			p->oom = 1;
		}
	q->n_typed++;
}

/* The query for one form of a synonym group: a word through its stems,
 * several words as a phrase. */
static pvdi_qnode *
form_node(parser *p, const pvdi_syn_form *f)
{
	pvdi_forms one;
	if (f->n == 1)
		return pvdi_fold_word(&one, f->lowers[0], strlen(f->lowers[0])) == 0
			   ? word_node(p, &one, F_NONE, 0)
			   : NULL;
	pvdi_qnode *ph = node(PVDI_Q_PHRASE, NULL, NULL);
	for (size_t i = 0; ph && i < f->n; i++) {
		if (pvdi_fold_word(&one, f->lowers[i], strlen(f->lowers[i])) == 0)
			note_word(p, &one);
		if (adopt(ph, node(PVDI_Q_TERM, "", f->words[i]))) {
			node_free(ph);
			return NULL;
		}
	}
	return ph;
}

/* nd OR every form of synonym group g but form f (the one typed), or NULL
 * when out of memory (nd is then freed). */
static pvdi_qnode *
or_other_forms(parser *p, pvdi_qnode *nd, size_t g, size_t f)
{
	size_t ng;
	const pvdi_syn_group *grp = &pvdi_synonyms(&ng)[g];
	pvdi_qnode *any = node(PVDI_Q_OR, NULL, NULL);
	if (!any) {
		node_free(nd);
		return NULL;
	}
	if (adopt(any, nd)) {
		node_free(any);
		return NULL;
	}
	for (size_t k = 0; k < grp->n; k++)
		if (k != f && adopt(any, form_node(p, &grp->forms[k]))) {
			node_free(any);
			return NULL;
		}
	return any;
}

/* When words[0..n) is exactly one form of a synonym group, *nd becomes
 * *nd OR each other form.  Returns -1 when out of memory. */
static int
expand_synonyms(parser *p, pvdi_qnode **nd, const char *const *seq, size_t n)
{
	size_t g, f;
	if (!*nd || n == 0 || pvdi_synonyms_longest(seq, n, &g, &f) != n)
		return 0;
	*nd = or_other_forms(p, *nd, g, f);
	return *nd ? 0 : -1;
}

/* A phrase (or a word) of folded words separated by spaces. */
static pvdi_qnode *
spelled_node(parser *p, const char *spelled)
{
	pvdi_qnode *ph = node(PVDI_Q_PHRASE, NULL, NULL);
	const char *w = spelled;
	while (ph && *w) {
		size_t n = strcspn(w, " ");
		char one[PVDI_FORM_CAP];
		snprintf(one, sizeof one, "%.*s", (int)n, w);
		if (!pvdi_is_stopword(one, n))
			note(p, &p->q->words, one);
		if (adopt(ph, node(PVDI_Q_TERM, "", one))) {
			node_free(ph);
			return NULL;
		}
		w += n + (w[n] == ' ');
	}
	if (ph && ph->n_kids == 1) {
		pvdi_qnode *only = ph->kids[0];
		ph->n_kids = 0;
		node_free(ph);
		return only;
	}
	return ph;
}

/* When words[0..n) spell a commune, *nd becomes *nd OR its other
 * spellings (St-Gaudens, Saint-Gaudens).  -1 when out of memory. */
static int
add_spellings(parser *p, pvdi_qnode **nd, const char *const *seq, size_t n)
{
	char *all = pvdi_commune_spellings(seq, n);
	if (!all)
		return 0;
	pvdi_qnode *any = node(PVDI_Q_OR, NULL, NULL);
	int rc = !any || adopt(any, *nd) ? -1 : 0;
	if (rc) {
		node_free(any);
		node_free(*nd);
		*nd = NULL;
	} else {
		*nd = any;
	}
	for (char *line = all; !rc && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		rc = adopt(any, spelled_node(p, line));
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(all);
	return rc;
}

/* Turn a word or phrase lexeme into an item; an item with no node had
 * nothing to search for (punctuation). */
static int
text_item(parser *p, item *it, const lexeme *l)
{
	if (FILTER_FIELD(l->field)) {
		int rc = filter_item(p, it, l);
		if (rc || it->node)
			return rc;
	}

	words w = {NULL, NULL, 0, 0, 0};
	if (!FILTER_FIELD(l->field))
		pvdi_tokenize(l->s, l->len, 0, collect, &w);
	if (w.oom) {
		free(w.v);
		free(w.at);
		return -1;
	}
	if (w.n == 0 && l->field != F_NONE) {
		/* titre:"" with nothing in it: the word titre, as typed */
		lexeme plain = *l;
		plain.s = l->field_name;
		plain.len = l->field_len;
		plain.field = F_NONE;
		plain.kind = L_WORD;
		free(w.v);
		free(w.at);
		return text_item(p, it, &plain);
	}
	if (w.n == 0) {
		free(w.v);
		free(w.at);
		return 0;
	}
	if (l->wildcard && l->kind == L_WORD) {
		/* saint-mar*: the words before, then the prefix */
		pvdi_qnode *kids[2] = {NULL, NULL};
		size_t k = 0;
		if (w.n > 1) {
			w.n--;
			kids[k++] = w.n == 1 ? word_node(p, &w.v[0], l->field, 0)
					     : phrase_node(p, &w, l->field);
			w.n++;
		}
		const char *pfx = w.v[w.n - 1].folded;
		note(p, &p->q->prefixes, pfx);
		kids[k++] =
		    node(PVDI_Q_WILDCARD, l->field == F_TITLE ? PVDI_P_TITLE : "", pfx);
		if (!kids[0] || !kids[k - 1]) {
			node_free(kids[0]);
			node_free(k > 1 ? kids[1] : NULL);
			free(w.v);
			free(w.at);
			return -1;
		}
		it->node = group(PVDI_Q_AND, kids, k);
	} else if (w.n == 1) {
		/* a quoted single word matches as written, unstemmed */
		it->node = word_node(p, &w.v[0], l->field, l->kind == L_PHRASE);
		/* stopwords and question words ("comment", "quelles") */
		it->stopword = l->kind == L_WORD && !l->sign &&
			       (pvdi_is_stopword(w.v[0].folded, w.v[0].folded_len) ||
				pvdi_is_question_word(w.v[0].folded, w.v[0].folded_len));
		if (l->kind == L_WORD && !l->sign && l->field == F_NONE &&
		    !(it->word = strdup(w.v[0].folded)))
			p->oom = 1;
		if (l->kind == L_WORD && !FILTER_FIELD(l->field) && !p->negated &&
		    !it->stopword)
			note_typed(p, l, &w.v[0], 0, l->len);
	} else {
		it->node = phrase_node(p, &w, l->field);
		/* Saint-Martori: each part may get a suggestion */
		if (l->kind == L_WORD && l->field == F_NONE && !p->negated && !l->sign)
			for (size_t i = 0; i < w.n; i++)
				if (!pvdi_is_stopword(w.v[i].folded, w.v[i].folded_len))
					note_typed(p, l, &w.v[i], w.at[i][0], w.at[i][1]);
	}
	/* ANCT, "agence nationale ...", A.N.C.T.: each finds the others */
	if (it->node && l->field == F_NONE && !l->wildcard) {
		const char *seq[64];
		size_t n = w.n < 64 ? w.n : 64;
		for (size_t i = 0; i < n; i++)
			seq[i] = w.v[i].folded;
		if (n == w.n && expand_synonyms(p, &it->node, seq, n))
			p->oom = 1;
		/* St-Gaudens finds Saint-Gaudens, and back */
		if (n == w.n && l->kind == L_WORD && w.n >= 2 &&
		    add_spellings(p, &it->node, seq, n))
			p->oom = 1;
	}
	it->plain = l->kind == L_WORD && !l->sign && l->field == F_NONE && !l->wildcard;
	free(w.v);
	free(w.at);
	return it->node && !p->oom ? 0 : -1;
}

static pvdi_qnode *parse_or(parser *p);

static const lexeme *
peek(const parser *p, size_t ahead)
{
	return p->pos + ahead < p->lx->n ? &p->lx->v[p->pos + ahead] : NULL;
}

/* Whether an operand follows at pos+ahead, so that an operator there is
 * really one. */
static int
operand_at(const parser *p, size_t ahead)
{
	const lexeme *l = peek(p, ahead);
	if (!l)
		return 0;
	if (l->kind == L_NOT)
		return operand_at(p, ahead + 1);
	return l->kind == L_WORD || l->kind == L_PHRASE || l->kind == L_LPAREN;
}

/* One operand: a group in parentheses, a word or a phrase. */
static int
parse_unary(parser *p, item *it)
{
	const lexeme *l = peek(p, 0);
	p->pos++;
	if (l->kind == L_LPAREN) {
		/* Each group recurses: a cap keeps "((((…" off the stack. */
		if (++p->depth > PVDI_MAX_DEPTH) {
			p->too_deep = 1;
			return -1;
		}
		it->negative = l->sign == '-';
		int saved = p->negated;
		p->negated |= it->negative;
		it->node = parse_or(p);
		p->negated = saved;
		p->depth--;
		const lexeme *r = peek(p, 0);
		if (r && r->kind == L_RPAREN)
			p->pos++;
		return p->oom ? -1 : 0;
	}
	lexeme w = *l;
	int stray_operator = w.kind != L_PHRASE && w.kind != L_WORD;
	if (stray_operator)
		w.kind = L_WORD;
	it->negative = w.sign == '-';
	int saved = p->negated;
	p->negated |= it->negative;
	int rc = text_item(p, it, &w);
	p->negated = saved;
	/* "ville AND": the operator goes; "OU" alone: the word "ou" */
	if (stray_operator)
		it->stopword = 1;
	return rc;
}

static void
items_free(item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		node_free(v[i].node);
		free(v[i].word);
	}
	free(v);
}

/* Build the AND group: positives (stopwords dropped when anything else is
 * required), filters, then the negatives taken away. */
/* A run of plain words that spells a synonym form ("agence nationale de
 * la cohésion des territoires" typed without quotes) becomes one item:
 * the words, or the other forms. */
static void
merge_synonym_runs(parser *p, item *v, size_t n)
{
	for (size_t k = 0; k + 1 < n; k++) {
		const char *seq[64];
		size_t m = 0;
		while (k + m < n && m < 64 && v[k + m].word && v[k + m].node &&
		       !v[k + m].negative) {
			seq[m] = v[k + m].word;
			m++;
		}
		size_t g, f, len = m >= 2 ? pvdi_synonyms_longest(seq, m, &g, &f) : 0;
		if (len < 2)
			continue;
		pvdi_qnode *all = node(PVDI_Q_AND, NULL, NULL);
		size_t strong = 0;
		for (size_t t = k; t < k + len; t++)
			strong += !v[t].stopword;
		for (size_t t = k; all && t < k + len; t++) {
			if (v[t].stopword && strong) {
				node_free(v[t].node);
			} else if (adopt(all, v[t].node)) {
				node_free(all);
				all = NULL;
			}
			v[t].node = NULL;
		}
		if (!all) {
			p->oom = 1;
			return;
		}
		if (all->n_kids == 1) {
			pvdi_qnode *only = all->kids[0];
			all->n_kids = 0;
			node_free(all);
			all = only;
		}
		pvdi_qnode *any = or_other_forms(p, all, g, f);
		if (!any) {
			p->oom = 1;
			return;
		}
		v[k].node = any;
		v[k].stopword = 0;
		k += len - 1;
	}
}

/* A run of plain words that spells a commune another way than its
 * official name ("st gaudens", "ste croix volvestre") becomes one item:
 * the words as typed, or the commune's spellings. */
static void
merge_commune_runs(parser *p, item *v, size_t n)
{
	enum { LONGEST = 6 };
	for (size_t k = 0; k < n; k++) {
		size_t m = 0;
		const char *seq[LONGEST];
		while (k + m < n && m < LONGEST && v[k + m].word && v[k + m].node &&
		       !v[k + m].negative) {
			seq[m] = v[k + m].word;
			m++;
		}
		for (; m >= 2; m--) {
			char *all = pvdi_commune_spellings(seq, m);
			if (!all)
				continue;
			free(all);
			/* the words as typed, stopwords left out as build_and would */
			pvdi_qnode *typed = node(PVDI_Q_AND, NULL, NULL);
			size_t strong = 0;
			for (size_t t = k; t < k + m; t++)
				strong += !v[t].stopword;
			for (size_t t = k; t < k + m; t++) {
				if ((v[t].stopword && strong) || !typed)
					node_free(v[t].node);
				else if (adopt(typed, v[t].node))
					p->oom = 1;
				v[t].node = NULL;
			}
			if (p->oom || !typed) {
				node_free(typed);
				p->oom = 1;
				return;
			}
			if (typed->n_kids == 1) {
				pvdi_qnode *only = typed->kids[0];
				typed->n_kids = 0;
				node_free(typed);
				typed = only;
			}
			if (add_spellings(p, &typed, seq, m)) {
				p->oom = 1;
				return;
			}
			v[k].node = typed;
			v[k].stopword = 0;
			k += m - 1;
			break;
		}
	}
}

static pvdi_qnode *
build_and(parser *p, item *v, size_t n, int explicit_and)
{
	size_t n_strong = 0, n_pos = 0, n_neg = 0;
	merge_synonym_runs(p, v, n);
	merge_commune_runs(p, v, n);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].node)
			continue;
		if (v[i].negative)
			n_neg++;
		else if (!v[i].stopword)
			n_strong++;
	}
	pvdi_qnode **pos = calloc(n + 1, sizeof *pos), **neg = calloc(n + 1, sizeof *neg);
	if (!pos || !neg) {
		free(pos);
		free(neg);
		items_free(v, n);
		p->oom = 1;
		return NULL;
	}
	n_neg = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].node)
			continue;
		if (v[i].negative)
			neg[n_neg++] = v[i].node;
		else if (v[i].stopword && n_strong > 0)
			node_free(v[i].node);
		else {
			/* plain words of the query's own level may be missing
			 * when too few documents have them all */
			v[i].node->loose = v[i].plain && !v[i].stopword &&
					   !explicit_and && p->depth == 0;
			pos[n_pos++] = v[i].node;
		}
		v[i].node = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].word);
	free(v);

	pvdi_qnode *res = NULL;
	if (n_pos > 0)
		res = group(PVDI_Q_AND, pos, n_pos);
	else if (n_neg > 0)
		res = node(PVDI_Q_ALL, NULL, NULL); /* "-word" alone: all but */
	if (res && n_neg > 0) {
		pvdi_qnode *minus = node(PVDI_Q_AND_NOT, NULL, NULL);
		int failed = !minus || adopt(minus, res);
		if (!minus)
			node_free(res);
		for (size_t i = 0; i < n_neg; i++) {
			if (failed)
				node_free(neg[i]);
			else
				failed = adopt(minus, neg[i]);
		}
		if (failed) {
			node_free(minus);
			res = NULL;
		} else {
			res = minus;
		}
	} else {
		for (size_t i = 0; i < n_neg; i++)
			node_free(neg[i]);
	}
	if (!res && (n_pos || n_neg))
		p->oom = 1;
	free(pos);
	free(neg);
	return res;
}

static pvdi_qnode *
parse_and(parser *p)
{
	item *v = NULL;
	size_t n = 0, cap = 0;
	const lexeme *l;
	int explicit_and = 0;

	while ((l = peek(p, 0)) && l->kind != L_RPAREN) {
		if (l->kind == L_OR && n > 0 && operand_at(p, 1))
			break; /* parse_or takes it */
		if (l->kind == L_AND && n > 0 && operand_at(p, 1)) {
			p->pos++;
			explicit_and = 1;
			continue;
		}
		int negate = 0;
		if (l->kind == L_NOT && operand_at(p, 1)) {
			p->pos++;
			negate = 1;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			item *nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				items_free(v, n);
				p->oom = 1;
				return NULL;
			}
			v = nv;
		}
		memset(&v[n], 0, sizeof v[n]);
		if (negate)
			p->negated++;
		int rc = parse_unary(p, &v[n]);
		if (negate) {
			p->negated--;
			v[n].negative = !v[n].negative;
		}
		n++;
		if (rc) {
			items_free(v, n);
			p->oom = 1;
			return NULL;
		}
	}
	return build_and(p, v, n, explicit_and);
}

static pvdi_qnode *
parse_or(parser *p)
{
	pvdi_qnode **alts = NULL;
	size_t n = 0;
	for (;;) {
		pvdi_qnode *a = parse_and(p);
		if (p->oom) {
			node_free(a);
			break;
		}
		if (a) {
			pvdi_qnode **v = realloc(alts, (n + 1) * sizeof *v);
			if (!v) {
				node_free(a);
				p->oom = 1;
				break;
			}
			alts = v;
			alts[n++] = a;
		}
		const lexeme *l = peek(p, 0);
		if (!l || l->kind != L_OR)
			break;
		p->pos++;
	}
	pvdi_qnode *res = NULL;
	if (p->oom) {
		for (size_t i = 0; i < n; i++)
			node_free(alts[i]);
	} else if (n > 0) {
		res = group(PVDI_Q_OR, alts, n);
		if (!res)
			p->oom = 1;
	}
	free(alts);
	return res;
}

pvd_status
pvdi_query_parse(pvdi_query **out, const char *text, char **errmsg)
{
	*out = NULL;
	if (errmsg)
		*errmsg = NULL;
	pvd_status st = pvdi_budget_length(text, errmsg);
	if (st != PVD_OK)
		return st;
	pvdi_query *q = calloc(1, sizeof *q);
	lexer lx = {NULL, 0, 0};
	if (!q || lex(&lx, text, strlen(text))) {
		free(q);
		free(lx.v);
		return PVD_ENOMEM;
	}
	parser p = {&lx, text, 0, q, 0, 0, 0, 0, {0}};
	pvdi_qnode **top = NULL;
	size_t n = 0;
	/* A stray ")" ends parse_or early: skip it and read on. */
	while (p.pos < lx.n && !p.oom) {
		pvdi_qnode *t = parse_or(&p);
		if (t) {
			pvdi_qnode **v = realloc(top, (n + 1) * sizeof *v);
			if (!v) {
				node_free(t);
				p.oom = 1;
				break;
			}
			top = v;
			top[n++] = t;
		}
		if (p.pos < lx.n && lx.v[p.pos].kind == L_RPAREN)
			p.pos++;
	}
	free(lx.v);
	if (!p.oom && n > 0 && !(q->root = group(PVDI_Q_AND, top, n)))
		p.oom = 1;
	else if (p.oom)
		for (size_t i = 0; i < n; i++)
			node_free(top[i]);
	free(top);
	if (p.too_deep) {
		pvdi_query_free(q);
		if (errmsg &&
		    asprintf(errmsg,
			     _("the query nests parentheses too deep: %d levels at most"),
			     PVDI_MAX_DEPTH) < 0)
			*errmsg = NULL;
		return PVD_EQUERY;
	}
	if (p.oom) {
		pvdi_query_free(q);
		return PVD_ENOMEM;
	}
	if (p.bad_type[0]) {
		pvdi_query_free(q);
		if (errmsg && asprintf(errmsg, _(PVDI_TYPE_ERROR_FMT), p.bad_type) < 0)
			*errmsg = NULL;
		return PVD_EQUERY;
	}
	if (!q->root) {
		pvdi_query_free(q);
		if (errmsg &&
		    asprintf(errmsg, _("the query has no word to search for: \"%s\""),
			     text) < 0)
			*errmsg = NULL;
		return PVD_EQUERY;
	}
	/* A query of stopwords only ("ou") highlights them. */
	if (q->words.n + q->stems.n + q->prefixes.n == 0) {
		pvdi_strset tmp = q->words;
		q->words = q->stopwords;
		q->stopwords = tmp;
	}
	if ((st = pvdi_query_budget(q, errmsg)) != PVD_OK) {
		pvdi_query_free(q);
		return st;
	}
	*out = q;
	return PVD_OK;
}

void
pvdi_query_free(pvdi_query *q)
{
	if (!q)
		return;
	node_free(q->root);
	pvdi_strset_clear(&q->words);
	pvdi_strset_clear(&q->stems);
	pvdi_strset_clear(&q->prefixes);
	pvdi_strset_clear(&q->stopwords);
	for (size_t i = 0; i < q->n_typed; i++) {
		free(q->typed[i].folded);
		free(q->typed[i].stem[0]);
		free(q->typed[i].stem[1]);
	}
	free(q->typed);
	free(q);
}

/* ---- Describing, for tests --------------------------------------------- */

static void
put(sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

static void
describe(sbuf *b, const pvdi_qnode *n)
{
	static const char *const names[] = {"",	   "SYN",    "PHRASE", "AND", "OR",
					    "NOT", "FILTER", "",       "ALL", "MAYBE"};
	switch (n->kind) {
	case PVDI_Q_TERM:
		put(b, n->term);
		return;
	case PVDI_Q_WILDCARD:
		put(b, n->term);
		put(b, "*");
		return;
	case PVDI_Q_FILTER:
		put(b, "FILTER ");
		put(b, n->term);
		return;
	case PVDI_Q_ALL:
		put(b, "ALL");
		return;
	default:
		break;
	}
	put(b, names[n->kind]);
	put(b, "(");
	for (size_t i = 0; i < n->n_kids; i++) {
		if (i)
			put(b, " ");
		describe(b, n->kids[i]);
	}
	put(b, ")");
}

char *
pvdi_query_describe(const pvdi_qnode *n)
{
	sbuf b = {NULL, 0, 0, 0};
	put(&b, "");
	if (n)
		describe(&b, n);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
