/*
 * tokenize.c: French word splitting, the same for documents, queries and
 * highlighting.  Stock Xapian keeps "l'ingénierie" as one term and splits
 * "ma<U+00AD>nagement" in two; here elided articles go, soft hyphens join,
 * and "20 000" also yields 20000.
 */
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "pvd-private.h"

enum cls { C_SEP, C_WORD, C_IGNORE, C_APOS };

/* Articles and conjunctions that French elides before a vowel.  They carry
 * nothing a user searches for, so the word after them stands alone. */
static const char *const elisions[] = {
    "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"};

/* ASCII letters and digits: 1; the other ASCII bytes separate words. */
static const unsigned char ascii_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1};

static enum cls
classify(utf8proc_int32_t c)
{
	if ((uint32_t)c < 0x80) /* (never negative: U+FFFD stands for a bad byte) */
		return ascii_word[c] ? C_WORD : c == '\'' ? C_APOS : C_SEP;
	/* ’ and the modifier letter ʼ both stand for the apostrophe. */
	if (c == 0x2019 || c == 0x02BC || c == 0xFF07)
		return C_APOS;
	/* Soft hyphen and zero-width characters join rather than split. */
	if (c == 0x00AD || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF)
		return C_IGNORE;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return C_WORD;
	default:
		return C_SEP;
	}
}

/* The spaces that may stand between the digit groups of one number. */
static int
is_group_space(utf8proc_int32_t c)
{
	return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007;
}

static int
is_elision(const char *s, size_t len)
{
	for (size_t i = 0; i < sizeof elisions / sizeof elisions[0]; i++)
		if (strlen(elisions[i]) == len && strncasecmp(s, elisions[i], len) == 0)
			return 1;
	return 0;
}

typedef struct walker {
	const char *text;
	size_t len;
	pvdi_token_fn fn;
	pvdi_accept_fn accept;
	void *arg;
	uint32_t pos;
	int stopped;
	size_t prev_end; /* end of the last word, to see what separates the next */
	int have_prev;
	/* the digit groups of a number being read: "1 000 000" */
	char num[PVDI_WORD_MAX + 1];
	size_t num_len, num_start, num_end;
	int num_groups;
	uint32_t num_pos;
	pvdi_forms forms;
} walker;

static void
emit(walker *w, size_t start, size_t end, uint32_t pos, int alt, const char *s,
     size_t len)
{
	if (w->stopped || (w->accept && !w->accept(s, len, w->arg)) ||
	    pvdi_fold_word(&w->forms, s, len) != 0)
		return;
	pvdi_token tok = {start, end, pos, alt, &w->forms};
	if (w->fn(&tok, w->arg))
		w->stopped = 1;
}

static void
flush_number(walker *w)
{
	if (w->num_groups >= 2)
		emit(w, w->num_start, w->num_end, w->num_pos, 1, w->num, w->num_len);
	w->num_groups = 0;
	w->num_len = 0;
}

static int
all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return len > 0;
}

/* Whether exactly one group space lies between the previous word and start. */
static int
one_space_before(const walker *w, size_t start)
{
	if (!w->have_prev || start <= w->prev_end)
		return 0;
	utf8proc_int32_t c;
	size_t n = pvdi_utf8_at(w->text, w->len, w->prev_end, &c);
	return w->prev_end + n == start && is_group_space(c);
}

static void
track_number(walker *w, size_t start, size_t end, uint32_t pos)
{
	const char *s = w->text + start;
	size_t len = end - start;
	int digits = all_digits(s, len);

	if (w->num_groups > 0 && digits && len == 3 && one_space_before(w, start) &&
	    w->num_len + 3 <= PVDI_WORD_MAX) {
		memcpy(w->num + w->num_len, s, 3);
		w->num_len += 3;
		w->num_end = end;
		w->num_groups++;
		return;
	}
	flush_number(w);
	if (digits && len <= 3) {
		memcpy(w->num, s, len);
		w->num_len = len;
		w->num_start = start;
		w->num_end = end;
		w->num_pos = pos;
		w->num_groups = 1;
	}
}

static void
word(walker *w, size_t start, size_t end)
{
	uint32_t pos = w->pos++;
	track_number(w, start, end, pos);
	emit(w, start, end, pos, 0, w->text + start, end - start);
	w->prev_end = end;
	w->have_prev = 1;
}

uint32_t
pvdi_tokenize(const char *text, size_t len, uint32_t first_pos, pvdi_token_fn fn,
	      void *arg)
{
	return pvdi_tokenize_some(text, len, first_pos, fn, NULL, arg);
}

uint32_t
pvdi_tokenize_some(const char *text, size_t len, uint32_t first_pos, pvdi_token_fn fn,
		   pvdi_accept_fn accept, void *arg)
{
	walker w;
	memset(&w, 0, sizeof w);
	w.text = text;
	w.len = len;
	w.fn = fn;
	w.accept = accept;
	w.arg = arg;
	w.pos = first_pos;

	size_t i = 0, start = 0;
	int in_word = 0;
	while (i < len && !w.stopped) {
		/* Most bytes are ASCII: read them here, not through a call
		 * that decodes UTF-8 (a third of a snippet's cost); a run of
		 * ASCII letters in a word, or of ASCII separators between
		 * words, changes nothing: over it at once. */
		unsigned char b = (unsigned char)text[i];
		if (b < 0x80 && ascii_word[b] == in_word) {
			do
				i++;
			while (i < len && (unsigned char)text[i] < 0x80 &&
			       ascii_word[(unsigned char)text[i]] == in_word);
			continue;
		}
		utf8proc_int32_t c = b;
		size_t n = b < 0x80 ? 1 : pvdi_utf8_at(text, len, i, &c);
		enum cls k = classify(c);

		if (k == C_WORD) {
			if (!in_word) {
				in_word = 1;
				start = i;
			}
		} else if (k == C_IGNORE) {
			/* neither starts nor ends a word */
		} else if (k == C_APOS && in_word && i + n < len) {
			utf8proc_int32_t next;
			pvdi_utf8_at(text, len, i + n, &next);
			if (classify(next) != C_WORD) {
				word(&w, start, i);
				in_word = 0;
			} else if (is_elision(text + start, i - start)) {
				start = i + n; /* "l'" goes, the word goes on */
			} else {
				word(&w, start, i); /* aujourd'hui: two words */
				in_word = 0;
			}
		} else if (in_word) {
			word(&w, start, i);
			in_word = 0;
		}
		i += n;
	}
	if (in_word && !w.stopped)
		word(&w, start, len);
	if (!w.stopped)
		flush_number(&w);
	return w.pos;
}
