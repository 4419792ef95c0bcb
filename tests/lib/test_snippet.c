/*
 * test_snippet.c: the passage shown under a hit (lib/snippet.c): it holds
 * the best stretch of matches, cuts at word boundaries and never inside a
 * UTF-8 character, and its highlights are exactly the matched words; read
 * a part at a time, it is the passage of the whole text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pvd-private.h"

typedef struct shot {
	pvdi_query *q;
	pvdi_snippet s;
} shot;

static void
take(shot *sh, const char *text, const char *query, size_t width)
{
	char *err = NULL;
	assert_int_equal(pvdi_query_parse(&sh->q, query, &err), PVD_OK);
	assert_int_equal(pvdi_snippet_make(&sh->s, text, strlen(text), sh->q, width), 0);
}

static void
done(shot *sh)
{
	pvdi_snippet_clear(&sh->s);
	pvdi_query_free(sh->q);
}

/* The highlighted words, joined by '|'. */
static void
marked(const shot *sh, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < sh->s.n_spans; i++) {
		size_t n = sh->s.spans[i].end - sh->s.spans[i].start;
		size_t len = strlen(out);
		assert_true(len + n + 2 < cap);
		if (i)
			out[len++] = '|';
		memcpy(out + len, sh->s.text + sh->s.spans[i].start, n);
		out[len + n] = '\0';
	}
}

static void
short_text_whole(void **state)
{
	(void)state;
	shot sh;
	char m[256];
	take(&sh, "La commune mise sur l’ingénierie territoriale.", "ingenierie", 200);
	assert_string_equal(sh.s.text, "La commune mise sur l’ingénierie territoriale.");
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "ingénierie"); /* not the l’ */
	done(&sh);
}

static void
stems_prefixes_and_case(void **state)
{
	(void)state;
	shot sh;
	char m[256];
	take(&sh, "Les VILLES et la ville ; l'INGÉNIERIE, les ingénieurs.", "ville ingé*",
	     200);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "VILLES|ville|INGÉNIERIE|ingénieurs");
	done(&sh);
}

static void
negated_words_not_marked(void **state)
{
	(void)state;
	shot sh;
	char m[256];
	take(&sh, "friche et halle", "friche -halle", 200);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "friche");
	done(&sh);
}

static void
stopwords_marked_only_alone(void **state)
{
	(void)state;
	shot sh;
	char m[256];
	take(&sh, "le chef de projet de la ville", "\"chef de projet\"", 200);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "chef|projet");
	done(&sh);
	take(&sh, "Paris ou Lyon", "ou", 200);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "ou");
	done(&sh);
}

static void
white_space_collapsed(void **state)
{
	(void)state;
	shot sh;
	take(&sh, "  un\n\n\tdeux \r\n trois\0", "deux", 200);
	assert_string_equal(sh.s.text, "un deux trois");
	assert_int_equal(sh.s.spans[0].start, 3);
	assert_int_equal(sh.s.spans[0].end, 7);
	done(&sh);
}

/* A long text with the match far in: an ellipsis on both sides, whole
 * words only, about width bytes. */
static void
long_text_window(void **state)
{
	(void)state;
	char text[8192] = "";
	for (int i = 0; i < 60; i++)
		strcat(text, "élément générique ");
	strcat(text, "la friche industrielle ");
	for (int i = 0; i < 60; i++)
		strcat(text, "réhabilitée ensuite ");
	shot sh;
	char m[256];
	take(&sh, text, "friche", 200);
	assert_true(pvdi_path_is_utf8(sh.s.text));
	assert_memory_equal(sh.s.text, "\xe2\x80\xa6 ", 4);
	size_t len = strlen(sh.s.text);
	assert_string_equal(sh.s.text + len - 4, " \xe2\x80\xa6");
	assert_true(len <= 200 + 8);
	assert_true(len >= 150);
	/* whole words: every word of the snippet is a word of the text */
	char *copy = strdup(sh.s.text), *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		assert_true(!strcmp(w, "\xe2\x80\xa6") || !strcmp(w, "élément") ||
			    !strcmp(w, "générique") || !strcmp(w, "la") ||
			    !strcmp(w, "friche") || !strcmp(w, "industrielle") ||
			    !strcmp(w, "réhabilitée") || !strcmp(w, "ensuite"));
	free(copy);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "friche");
	done(&sh);
}

/* The window with the most distinct query words wins over one with many
 * repeats of a single word. */
static void
densest_distinct_window(void **state)
{
	(void)state;
	char text[8192] = "";
	for (int i = 0; i < 30; i++)
		strcat(text, "halle halle remplissage ");
	for (int i = 0; i < 30; i++)
		strcat(text, "texte de remplissage sans rien ");
	strcat(text, "la halle et la friche voisines ");
	for (int i = 0; i < 30; i++)
		strcat(text, "texte de remplissage sans rien ");
	shot sh;
	take(&sh, text, "halle friche", 120);
	assert_non_null(strstr(sh.s.text, "la halle et la friche"));
	done(&sh);
}

/* No space for hundreds of bytes: the cut still falls between characters. */
static void
no_blank_no_broken_character(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 600; i++)
		strcat(text, "é");
	strcat(text, " friche ");
	for (int i = 0; i < 600; i++)
		strcat(text, "œ");
	shot sh;
	take(&sh, text, "friche", 200);
	assert_true(pvdi_path_is_utf8(sh.s.text));
	assert_non_null(strstr(sh.s.text, "friche"));
	done(&sh);
	take(&sh, text, "absent", 200);
	assert_true(pvdi_path_is_utf8(sh.s.text));
	assert_int_equal(sh.s.n_spans, 0);
	done(&sh);
}

static void
no_match_gives_the_start(void **state)
{
	(void)state;
	shot sh;
	take(&sh, "Le début du texte. Puis la suite.", "absent", 200);
	assert_string_equal(sh.s.text, "Le début du texte. Puis la suite.");
	assert_int_equal(sh.s.n_spans, 0);
	done(&sh);
	take(&sh, "", "absent", 200);
	assert_string_equal(sh.s.text, "");
	done(&sh);
}

/* Only words whose first two letters may match are folded: in any case,
 * and whatever the second byte is. */
static void
first_two_letters_in_any_case(void **state)
{
	(void)state;
	shot sh;
	char m[256];
	const char *text = "La FRICHE, la Friche, la fRiche et la friche ; l’ÉTUDE, "
			   "l’Étude, une étude, un étage ; 2e étage, 2E ÉTAGE.";
	take(&sh, text, "friche étude", 400);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "FRICHE|Friche|fRiche|friche|ÉTUDE|Étude|étude");
	done(&sh);
	take(&sh, text, "ét* 2e", 400);
	marked(&sh, m, sizeof m);
	assert_string_equal(m, "et|ÉTUDE|Étude|étude|étage|2e|étage|2E|ÉTAGE");
	done(&sh);
}

static void
same_snippet(const pvdi_snippet *a, const pvdi_snippet *b)
{
	assert_string_equal(a->text, b->text);
	assert_int_equal(a->n_spans, b->n_spans);
	for (size_t i = 0; i < a->n_spans; i++) {
		assert_int_equal(a->spans[i].start, b->spans[i].start);
		assert_int_equal(a->spans[i].end, b->spans[i].end);
	}
}

/* Where to cut next after at: every 97 bytes, and at every byte in and
 * just after a word the queries below look for (a start that ends in a
 * word, or just past it). */
static size_t
next_cut(const char *text, size_t len, size_t at)
{
	static const char *sought[] = {"friche", "halle", "ingénierie", "Cœur",
				       "revitalisation"};
	for (size_t i = 0; i < sizeof sought / sizeof *sought; i++) {
		size_t n = strlen(sought[i]);
		for (size_t back = 0; back <= n + 8 && back <= at; back++)
			if (strncmp(text + at - back, sought[i], n) == 0)
				return at + 1;
	}
	size_t next = at + 97;
	for (size_t i = 0; i < sizeof sought / sizeof *sought; i++) {
		const char *w = strstr(text + at + 1, sought[i]);
		if (w && (size_t)(w - text) < next)
			next = (size_t)(w - text);
	}
	return next < len ? next : len;
}

/* Read a part at a time, the passage is the whole text's: from every start
 * that says it is sure, and by going on from a start that is not, to a
 * longer start (as if it were whole), then to the whole. */
static void
starts_give_the_whole_passage(void **state)
{
	(void)state;
	static const char *filler[] = {"la",	"commune", "d’un",    "bourg", "été",
				       "étude", "des",	   "façades", "et",    "îlots"};
	static const char *queries[] = {"friche", "halle friche", "ingénierie cœur bourg",
					"revitalis*", "absent"};
	char text[6000];
	size_t len = 0;
	uint32_t seed = 7;
	while (len < sizeof text - 32) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 16) % 100;
		const char *w = r == 0	 ? "friche"
				: r == 1 ? "halle"
				: r == 2 ? "l’ingénierie"
				: r == 3 ? "Cœur"
				: r == 4 ? "revitalisation"
					 : filler[r % 10];
		len += (size_t)snprintf(text + len, sizeof text - len, "%s ", w);
	}
	int sure = 0, more = 0;
	for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
		char *err = NULL;
		pvdi_query *q;
		assert_int_equal(pvdi_query_parse(&q, queries[k], &err), PVD_OK);
		pvdi_snippet whole, s;
		assert_int_equal(pvdi_snippet_make(&whole, text, len, q, 200), 0);
		for (size_t at = 1; at < len; at = next_cut(text, len, at)) {
			/* cut before a character, as pvdi_stored_read cuts */
			size_t start = pvdi_char_start(text, at);
			pvdi_passage *p;
			assert_int_equal(pvdi_passage_begin(&p, q, 200), 0);
			int rc = pvdi_passage_make(p, &s, text, start, 1);
			if (rc == 0) {
				sure++;
				same_snippet(&s, &whole);
				pvdi_snippet_clear(&s);
			} else {
				assert_int_equal(rc, PVDI_SNIPPET_MORE);
				assert_null(s.text);
				more++;
				size_t longer =
				    pvdi_char_start(text, start + (len - start) / 2);
				pvdi_snippet fresh;
				assert_int_equal(
				    pvdi_snippet_make(&fresh, text, longer, q, 200), 0);
				assert_int_equal(
				    pvdi_passage_make(p, &s, text, longer, 0), 0);
				same_snippet(&s, &fresh);
				pvdi_snippet_clear(&s);
				pvdi_snippet_clear(&fresh);
				assert_int_equal(pvdi_passage_make(p, &s, text, len, 0),
						 0);
				same_snippet(&s, &whole);
				pvdi_snippet_clear(&s);
			}
			pvdi_passage_end(p);
		}
		pvdi_snippet_clear(&whole);
		pvdi_query_free(q);
	}
	/* both ways were taken */
	assert_true(sure > 10);
	assert_true(more > 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(short_text_whole),
	    cmocka_unit_test(stems_prefixes_and_case),
	    cmocka_unit_test(negated_words_not_marked),
	    cmocka_unit_test(stopwords_marked_only_alone),
	    cmocka_unit_test(white_space_collapsed),
	    cmocka_unit_test(long_text_window),
	    cmocka_unit_test(densest_distinct_window),
	    cmocka_unit_test(no_blank_no_broken_character),
	    cmocka_unit_test(no_match_gives_the_start),
	    cmocka_unit_test(starts_give_the_whole_passage),
	    cmocka_unit_test(first_two_letters_in_any_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
