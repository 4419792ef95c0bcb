/*
 * snippet.c: the passage shown under a hit, and which of its words to
 * highlight.  Xapian's MSet::snippet() re-tokenises with its own rules and
 * cannot see pvd's folded terms, so the text is walked again with pvd's
 * tokenizer and each word compared with the query's folded words, stems
 * and prefixes: "ingenierie" lights up the "ingénierie" of "l’ingénierie".
 */
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

/* Enough matches to find the best window in any real document. */
#define MAX_MATCHES 4096
/* Room for the matches at first, grown as the walk finds more. */
#define FIRST_ROOM 64
/* How far into a text the passage is looked for: what is stored of it
 * (PVDI_STORED_TEXT); a document whose words come later shows its start. */
#define SCAN_BYTES PVDI_STORED_TEXT
/* Past a word's end, how far the tokenizer may look before it knows the
 * word (an apostrophe, the next character): a word ending that far from
 * the end of a start of the text is the word the whole text has. */
#define LOOK_PAST 64

typedef struct match {
	size_t start, end;
	size_t key; /* which query word matched, to count distinct ones */
} match;

struct pvdi_passage {
	const pvdi_query *q;
	match *m;
	size_t n, room;		     /* matches found, and room for them */
	size_t cap;		     /* matches to stop at */
	unsigned char first[256];    /* first bytes a matching word can start with */
	unsigned char any[128];	     /* a first ASCII byte that any second may follow */
	unsigned char pair[128][16]; /* first and second ASCII bytes, a bit each */
	size_t width;		     /* of the passage */
	size_t enough;		     /* distinct words in one passage to stop looking */
	int oom;		     /* a word could not be stemmed: no snippet */
	size_t base;		     /* where the text being walked starts */
	size_t len;		     /* what has been read of the text */
	size_t stop;		     /* where the walk stopped, or 0: at len */
	size_t done, n_done;	     /* walked up to there, as the whole text would */
};
typedef struct pvdi_passage finder;

/* The first two bytes of each of s's folded forms: a word matches one
 * (key_of) only if its folded form starts with them, or with the one
 * byte of a one-byte form. */
static void
note_first(finder *fd, const pvdi_strset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		unsigned char c0 = (unsigned char)s->v[i][0],
			      c1 = (unsigned char)s->v[i][1];
		fd->first[c0] = 1;
		if (c0 < 0x80 && c1 == '\0')
			fd->any[c0] = 1;
		else if (c0 < 0x80 && c1 < 0x80)
			fd->pair[c0][c1 >> 3] |= (unsigned char)(1u << (c1 & 7));
	}
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Folding every word of a long text is the costly part of a snippet: a
 * word whose first two letters start no query word, stem or prefix cannot
 * match.  Folding keeps ASCII letters and digits as they are but for their
 * case, so only a word that starts with a byte outside ASCII, or whose
 * second byte is one, needs folding to tell. */
static int
worth_folding(const char *word, size_t len, void *arg)
{
	const finder *fd = arg;
	unsigned char c0 = ascii_lower((unsigned char)word[0]);
	if (c0 >= 0x80)
		return 1;
	if (!fd->first[c0])
		return 0;
	if (len < 2 || fd->any[c0] || (unsigned char)word[1] >= 0x80)
		return 1;
	unsigned char c1 = ascii_lower((unsigned char)word[1]);
	return (fd->pair[c0][c1 >> 3] >> (c1 & 7)) & 1;
}

static size_t
set_index(const pvdi_strset *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return i;
	return (size_t)-1;
}

/* Which query word tok matches, as a key, or -1 (also when out of
 * memory: then fd->oom is set). */
static size_t
key_of(finder *fd, const pvdi_forms *f)
{
	const pvdi_query *q = fd->q;
	size_t k = set_index(&q->words, f->folded);
	if (k != (size_t)-1)
		return k;
	for (size_t i = 0; i < q->prefixes.n; i++)
		if (strncmp(f->folded, q->prefixes.v[i], strlen(q->prefixes.v[i])) == 0)
			return q->words.n + i;
	/* Stemming every word of a long text is the costly part: only words
	 * that start like a query stem can stem to it. */
	int maybe = 0;
	for (size_t i = 0; i < q->stems.n && !maybe; i++)
		maybe = strncmp(f->folded, q->stems.v[i], 2) == 0;
	if (!maybe)
		return (size_t)-1;
	pvdi_stems st;
	/* (not "the word is not highlighted": a passage that differs) */
	if (pvdi_stems_of(&st, f) != 0) {
		fd->oom = 1;
		return (size_t)-1;
	}
	for (int i = 0; i < st.n; i++) {
		k = set_index(&q->stems, st.s[i]);
		if (k != (size_t)-1)
			return q->words.n + q->prefixes.n + k;
	}
	return (size_t)-1;
}

/* Where a walk on more of the text may go on: after a word that did not
 * stop this walk (the one that did may not stop the next), when the
 * tokenizer read it as the whole text has it. */
static int
go_on(finder *fd, size_t end)
{
	if (end + LOOK_PAST <= fd->len) {
		fd->done = end;
		fd->n_done = fd->n;
	}
	return 0;
}

static int
on_word(const pvdi_token *tok, void *arg)
{
	finder *fd = arg;
	if (tok->alt)
		return 0;
	size_t end = fd->base + tok->end;
	size_t k = key_of(fd, tok->forms);
	if (fd->oom)
		return 1;
	if (k == (size_t)-1)
		return go_on(fd, end);
	if (fd->n == fd->room) { /* most walks find a handful */
		size_t room = fd->room * 2;
		match *m = realloc(fd->m, room * sizeof *m);
		if (!m) {
			fd->oom = 1;
			return 1;
		}
		fd->m = m;
		fd->room = room;
	}
	fd->m[fd->n++] = (match){fd->base + tok->start, end, k};
	if (fd->n == fd->cap) {
		fd->stop = end;
		return 1;
	}
	/* A passage that holds as many different words as the query typed
	 * will not be bettered: stop reading the text there. */
	size_t distinct = 0;
	for (size_t i = fd->n; i-- > 0 && fd->m[i].start + fd->width >= end;) {
		int seen = 0;
		for (size_t j = i + 1; j < fd->n && !seen; j++)
			seen = fd->m[j].key == fd->m[i].key;
		distinct += !seen;
	}
	if (distinct < fd->enough)
		return go_on(fd, end);
	fd->stop = end;
	return 1;
}

static int
is_blank(unsigned char c)
{
	return c <= ' ' || c == 0x7f;
}

/* The window [*from, *to) of about width bytes with the most distinct
 * matched words, then the most matches. */
static void
best_window(const match *m, size_t n, size_t width, size_t *first, size_t *last)
{
	size_t best = 0, best_score = 0, j = 0;
	*first = *last = 0;
	for (size_t i = 0; i < n; i++) {
		if (j < i)
			j = i;
		while (j + 1 < n && m[j + 1].end <= m[i].start + width)
			j++;
		size_t distinct = 0;
		for (size_t a = i; a <= j; a++) {
			int seen = 0;
			for (size_t b = i; b < a && !seen; b++)
				seen = m[b].key == m[a].key;
			distinct += !seen;
		}
		size_t score = distinct * 1000 + (j - i + 1);
		if (score > best_score) {
			best_score = score;
			best = i;
			*last = j;
		}
	}
	*first = best;
}

/* Move a window edge to a blank nearby so that no word is cut. */
static size_t
begin_at_word(const char *t, size_t len, size_t begin, size_t limit)
{
	if (begin == 0)
		return 0;
	for (size_t i = begin; i + 40 > begin && i > 0; i--)
		if (is_blank((unsigned char)t[i - 1]))
			return i;
	for (size_t i = begin; i < limit && i < len; i++)
		if (is_blank((unsigned char)t[i]))
			return i + 1;
	return pvdi_char_start(t, begin);
}

static size_t
end_at_word(const char *t, size_t len, size_t end, size_t floor)
{
	if (end >= len)
		return len;
	for (size_t i = end; i > floor; i--)
		if (is_blank((unsigned char)t[i]))
			return i;
	for (size_t i = end; i < len && i < end + 40; i++)
		if (is_blank((unsigned char)t[i]))
			return i;
	return pvdi_char_start(t, end);
}

typedef struct out {
	char *s;
	size_t len;
} out;

static void
emit_text(out *o, const char *t, size_t from, size_t to, int *pending_space)
{
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)t[i];
		if (is_blank(c)) {
			*pending_space = o->len > 0;
			continue;
		}
		if (*pending_space) {
			o->s[o->len++] = ' ';
			*pending_space = 0;
		}
		o->s[o->len++] = (char)c;
	}
}

static void
walk(finder *fd, const char *text, size_t from, size_t to)
{
	fd->base = from;
	pvdi_tokenize_some(text + from, to - from, 0, on_word, worth_folding, fd);
}

int
pvdi_passage_begin(pvdi_passage **made, const pvdi_query *q, size_t width)
{
	size_t words = q->n_typed + q->prefixes.n;
	finder *fd = calloc(1, sizeof *fd);
	if (!fd || !(fd->m = malloc(FIRST_ROOM * sizeof *fd->m))) {
		free(fd);
		return -1;
	}
	fd->q = q;
	fd->room = FIRST_ROOM;
	fd->cap = MAX_MATCHES;
	fd->width = width;
	fd->enough = words ? words : 1;
	note_first(fd, &q->words);
	note_first(fd, &q->stems);
	note_first(fd, &q->prefixes);
	*made = fd;
	return 0;
}

void
pvdi_passage_restart(pvdi_passage *fd)
{
	fd->done = fd->n_done = 0; /* make() starts the walk from there */
	fd->oom = 0;
}

void
pvdi_passage_end(pvdi_passage *fd)
{
	if (fd)
		free(fd->m);
	free(fd);
}

/* The passage's text, from the matches m[first..last] of the walk. */
static int
cut_passage(pvdi_snippet *res, finder *fd, const char *text, size_t len)
{
	static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
	size_t begin = 0, end, first = 0, last = 0;
	match *marks = NULL;
	const match *m = fd->m;
	size_t n = fd->n;
	if (n > 0) {
		size_t width = fd->width;
		best_window(m, n, width, &first, &last);
		size_t span = m[last].end - m[first].start;
		size_t spare = span < width ? width - span : 0;
		begin = m[first].start > spare / 3 ? m[first].start - spare / 3 : 0;
		begin = begin_at_word(text, len, begin, m[first].start);
		end = end_at_word(text, len, begin + width, m[last].end);
		if (end < m[last].end)
			end = m[last].end;
		/* The walk may have stopped early: mark every match the
		 * passage holds, by walking just the passage again (its own
		 * list: the walk's may go on). */
		finder again = *fd;
		again.cap = again.room = end - begin + 1; /* a match a byte at most */
		if (!(again.m = marks = malloc(again.cap * sizeof *marks)))
			return -1;
		again.n = 0;
		again.enough = (size_t)-1;
		again.len = end;
		walk(&again, text, begin, end);
		if (again.oom) {
			free(marks);
			return -1;
		}
		m = marks;
		n = again.n;
		first = 0;
		last = n ? n - 1 : 0;
	} else {
		end = end_at_word(text, len, fd->width, 0);
	}

	out o = {malloc(end - begin + 2 * sizeof ellipsis + 1), 0};
	res->spans = n ? malloc((last - first + 1) * sizeof *res->spans) : NULL;
	if (!o.s || (n && !res->spans)) {
		free(o.s);
		free(res->spans);
		free(marks);
		res->spans = NULL;
		return -1;
	}
	int pending_space = 0;
	if (begin > 0) {
		memcpy(o.s, ellipsis, 3);
		o.len = 3;
		pending_space = 1;
	}
	size_t at = begin;
	for (size_t i = first; n && i <= last; i++) {
		if (m[i].start < at)
			continue;
		emit_text(&o, text, at, m[i].start, &pending_space);
		if (pending_space) {
			o.s[o.len++] = ' ';
			pending_space = 0;
		}
		size_t s = o.len;
		emit_text(&o, text, m[i].start, m[i].end, &pending_space);
		res->spans[res->n_spans++] = (pvd_span){s, o.len};
		at = m[i].end;
	}
	emit_text(&o, text, at, end, &pending_space);
	if (end < len) {
		if (o.len)
			o.s[o.len++] = ' ';
		memcpy(o.s + o.len, ellipsis, 3);
		o.len += 3;
	}
	o.s[o.len] = '\0';
	res->text = o.s;
	free(marks);
	return 0;
}

int
pvdi_passage_make(pvdi_passage *fd, pvdi_snippet *res, const char *text, size_t len,
		  int start_only)
{
	memset(res, 0, sizeof *res);
	/* Go on from where the last walk was as the whole text would be: the
	 * same text, read further. */
	fd->n = fd->n_done;
	fd->stop = 0;
	fd->len = len < SCAN_BYTES ? len : SCAN_BYTES;
	walk(fd, text, fd->done, fd->len);
	if (fd->oom)
		return -1;
	/* From a start of the text, the passage is known when the walk
	 * stopped early enough: what follows can change nothing. */
	if (start_only && !(fd->stop > 0 && fd->stop + fd->width + LOOK_PAST <= len))
		return PVDI_SNIPPET_MORE;
	return cut_passage(res, fd, text, len);
}

int
pvdi_snippet_make(pvdi_snippet *res, const char *text, size_t len, const pvdi_query *q,
		  size_t width)
{
	pvdi_passage *fd;
	memset(res, 0, sizeof *res);
	if (pvdi_passage_begin(&fd, q, width) != 0)
		return -1;
	int rc = pvdi_passage_make(fd, res, text, len, 0);
	pvdi_passage_end(fd);
	return rc;
}

void
pvdi_snippet_clear(pvdi_snippet *s)
{
	free(s->text);
	free(s->spans);
	memset(s, 0, sizeof *s);
}
