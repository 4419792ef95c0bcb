/*
 * test_frontmatter.c: unit tests for indexer/frontmatter.c,
 * read_front_matter(), and indexer/extract-text.c, extract_text(): the
 * "key: value" block between "---" lines, and the title of a text or
 * Markdown file without one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "indexer.h"
#include "unit.h"

/* Reads the front matter of s and checks that it ends where body starts. */
static void
read_fm(extracted *x, const char *s, const char *body)
{
	size_t len = strlen(s);
	size_t took = read_front_matter(x, s, len);
	assert_int_equal(took, len - strlen(body));
	assert_str(s + took, body);
}

static void
check_communes(const extracted *x)
{
	assert_int_equal(x->n_communes, 2);
	assert_str(x->communes[0], "Aspet");
	assert_str(x->communes[1], "Saint-Martory");
}

static void
all_fields(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x,
		"---\n"
		"title: Le pont de pierre\n"
		"date: 2021-03-04\n"
		"type: article\n"
		"communes: Aspet; Saint-Martory\n"
		"---\n"
		"Corps du texte.\n",
		"Corps du texte.\n");
	assert_str(x.title, "Le pont de pierre");
	assert_str(x.date, "2021-03-04");
	assert_str(x.type, "article");
	check_communes(&x);
	assert_null(x.text);
	extracted_clear(&x);
}

static void
quoted_values(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x,
		"---\n"
		"title: \"Le pont de pierre\"\n"
		"date: '2021-03-04'\n"
		"type: \"catalogue\"\n"
		"---\n"
		"Corps\n",
		"Corps\n");
	assert_str(x.title, "Le pont de pierre");
	assert_str(x.date, "2021-03-04");
	assert_str(x.type, "catalogue");
	assert_int_equal(x.n_communes, 0);
	extracted_clear(&x);
}

/* French titles are full of apostrophes: they belong to the title. */
static void
title_keeps_apostrophes(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x, "---\ntitle: L'\xc3\xa9glise d'Aspet\n---\n", "");
	assert_str(x.title, "L'\xc3\xa9glise d'Aspet");
	extracted_clear(&x);

	read_fm(&x, "---\ntitle: \"L'\xc3\xa9glise d'Aspet\"\n---\nx", "x");
	assert_str(x.title, "L'\xc3\xa9glise d'Aspet");
	extracted_clear(&x);
}

static void
communes_semicolons(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x, "---\ncommunes: Aspet; Saint-Martory\n---\n", "");
	check_communes(&x);
	extracted_clear(&x);
}

static void
communes_yaml_list(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x, "---\ncommunes: [\"Aspet\", \"Saint-Martory\"]\n---\nsuite\n",
		"suite\n");
	check_communes(&x);
	extracted_clear(&x);

	read_fm(&x, "---\ncommunes: ['Aspet', 'Saint-Martory']\n---\n", "");
	check_communes(&x);
	extracted_clear(&x);
}

static void
no_closing_fence(void **state)
{
	(void)state;
	static const char in[] =
	    "---\ntitle: Pas un bloc\ndate: 2021-03-04\n\nLe texte.\n";
	extracted x = {0};
	assert_int_equal(read_front_matter(&x, in, strlen(in)), 0);
	assert_null(x.title);
	assert_null(x.date);
	assert_int_equal(x.n_communes, 0);

	/* extract_text keeps every byte of it as text */
	assert_int_equal(extract_text(&x, in, strlen(in), 0), 0);
	assert_str(x.text, in);
	assert_int_equal(x.text_len, strlen(in));
	assert_null(x.date);
	extracted_clear(&x);
}

static void
not_at_the_top(void **state)
{
	(void)state;
	static const char in[] = "\n---\ntitle: Trop bas\n---\n";
	extracted x = {0};
	assert_int_equal(read_front_matter(&x, in, strlen(in)), 0);
	assert_null(x.title);
	extracted_clear(&x);
}

static void
crlf_line_ends(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x,
		"---\r\n"
		"title: Le moulin\r\n"
		"date: 2020-12-31\r\n"
		"type: texte\r\n"
		"communes: Aspet, Saint-Martory\r\n"
		"---\r\n"
		"Corps\r\n",
		"Corps\r\n");
	assert_str(x.title, "Le moulin");
	assert_str(x.date, "2020-12-31");
	assert_str(x.type, "texte");
	check_communes(&x);
	extracted_clear(&x);
}

static void
invalid_type_ignored(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x, "---\ntype: roman\ntitle: Un roman\n---\n", "");
	assert_null(x.type);
	assert_str(x.title, "Un roman");
	extracted_clear(&x);
}

static void
date_with_time(void **state)
{
	(void)state;
	extracted x = {0};
	read_fm(&x, "---\ndate: 2021-03-04T10:00:00Z\n---\n", "");
	assert_str(x.date, "2021-03-04");
	extracted_clear(&x);

	read_fm(&x, "---\ndate: hier\n---\n", "");
	assert_null(x.date);
	extracted_clear(&x);
}

static void
markdown_title_from_heading(void **state)
{
	(void)state;
	static const char in[] = "\n# Titre ici\n\nLe premier paragraphe.\n";
	extracted x = {0};
	assert_int_equal(extract_text(&x, in, strlen(in), 1), 0);
	assert_str(x.title, "Titre ici");
	assert_int_equal(x.text_len, strlen(x.text));
	char *words = squash(x.text);
	assert_str(words, "Titre ici Le premier paragraphe.");
	free(words);
	extracted_clear(&x);

	/* the heading wins over a first line before it */
	static const char later[] = "Une introduction.\n\n## Titre ici\n\nLa suite.\n";
	assert_int_equal(extract_text(&x, later, strlen(later), 1), 0);
	assert_str(x.title, "Titre ici");
	extracted_clear(&x);
}

static void
markdown_front_matter_title_wins(void **state)
{
	(void)state;
	static const char in[] = "---\ntitle: Le vrai titre\ncommune: Aspet\n---\n"
				 "# Titre ici\n\nLe corps.\n";
	extracted x = {0};
	assert_int_equal(extract_text(&x, in, strlen(in), 1), 0);
	assert_str(x.title, "Le vrai titre");
	assert_int_equal(x.text_len, strlen(x.text));
	char *words = squash(x.text);
	assert_str(words, "Titre ici Le corps.");
	free(words);
	assert_int_equal(x.n_communes, 1);
	assert_str(x.communes[0], "Aspet");
	extracted_clear(&x);
}

static void
text_title_is_first_line(void **state)
{
	(void)state;
	static const char in[] =
	    "\n  \n\t\n  Le canal du Midi  \nDeuxi\xc3\xa8me ligne.\n";
	extracted x = {0};
	assert_int_equal(extract_text(&x, in, strlen(in), 0), 0);
	assert_str(x.title, "Le canal du Midi");
	assert_str(x.text, in);
	extracted_clear(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(all_fields),
	    cmocka_unit_test(quoted_values),
	    cmocka_unit_test(title_keeps_apostrophes),
	    cmocka_unit_test(communes_semicolons),
	    cmocka_unit_test(communes_yaml_list),
	    cmocka_unit_test(no_closing_fence),
	    cmocka_unit_test(not_at_the_top),
	    cmocka_unit_test(crlf_line_ends),
	    cmocka_unit_test(invalid_type_ignored),
	    cmocka_unit_test(date_with_time),
	    cmocka_unit_test(markdown_title_from_heading),
	    cmocka_unit_test(markdown_front_matter_title_wins),
	    cmocka_unit_test(text_title_is_first_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
