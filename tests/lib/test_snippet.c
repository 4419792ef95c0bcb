/*
 * test_snippet.c: the passage shown under a hit (lib/snippet.c): it holds
 * the best stretch of matches, cuts at word boundaries and never inside a
 * UTF-8 character, and its highlights are exactly the matched words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
