/*
 * test_fields.c: unit tests for indexer/fields.c: type_from_path() (with
 * the site's names of type_dir_add()), valid_type(), add_communes() and
 * set_date().
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

/* type_from_path() must give expected, NULL included. */
static void
check_type(const char *path, const char *expected)
{
	const char *t = type_from_path(path);
	if (!expected)
		assert_null(t);
	else
		assert_str(t, expected);
}

static void
type_from_folder(void **state)
{
	(void)state;
	check_type("corpus/articles/x.md", "article");
	check_type("corpus/catalogues/sub/y.html", "catalogue");
	check_type("textes/z.txt", "texte");
	check_type("/srv/corpus/article/x.md", "article");
	check_type("corpus/catalogue/y.html", "catalogue");
	check_type("corpus/texte/z.txt", "texte");
}

static void
type_not_from_file_name(void **state)
{
	(void)state;
	check_type("articles.md", NULL);
	check_type("corpus/articles", NULL);
	check_type("corpus/textes.txt", NULL);
	check_type("corpus/mes-articles/x.md", NULL);
	check_type("corpus/x.md", NULL);
	check_type("", NULL);
}

static void
nearest_folder_wins(void **state)
{
	(void)state;
	check_type("articles/textes/a.txt", "texte");
	check_type("textes/articles/a.txt", "article");
	check_type("catalogues/textes/sub/a.txt", "texte");
	check_type("textes/sub/catalogues/more/a.html", "catalogue");
}

static void
three_types(void **state)
{
	(void)state;
	assert_true(valid_type("article"));
	assert_true(valid_type("catalogue"));
	assert_true(valid_type("texte"));
	assert_false(valid_type("articles"));
	assert_false(valid_type("roman"));
	assert_false(valid_type(""));
	assert_false(valid_type(NULL));
}

static void
check_communes(const extracted *x, const char *const *names, size_t n)
{
	assert_int_equal(x->n_communes, n);
	for (size_t i = 0; i < n; i++)
		assert_str(x->communes[i], names[i]);
}

static void
communes_split(void **state)
{
	(void)state;
	extracted x = {0};
	static const char *const three[] = {"Aspet", "Saint-Martory", "Salies-du-Salat"};
	assert_int_equal(add_communes(&x, "Aspet; Saint-Martory, Salies-du-Salat"), 0);
	check_communes(&x, three, 3);
	extracted_clear(&x);

	assert_int_equal(
	    add_communes(&x, "  Aspet ;;  , \tSaint-Martory  ,Salies-du-Salat;  "), 0);
	check_communes(&x, three, 3);
	extracted_clear(&x);

	/* names keep their inner blanks and accents */
	static const char *const spaced[] = {"Saint-Martin d\xe2\x80\x99"
					     "Ary",
					     "L\xc3\xa9ran"};
	assert_int_equal(add_communes(&x, "Saint-Martin d\xe2\x80\x99"
					  "Ary;L\xc3\xa9ran"),
			 0);
	check_communes(&x, spaced, 2);
	extracted_clear(&x);
}

static void
communes_add_up(void **state)
{
	(void)state;
	extracted x = {0};
	static const char *const two[] = {"Aspet", "Saint-Martory"};
	assert_int_equal(add_communes(&x, "Aspet"), 0);
	assert_int_equal(add_communes(&x, "Saint-Martory"), 0);
	check_communes(&x, two, 2);
	extracted_clear(&x);

	assert_int_equal(add_communes(&x, ""), 0);
	assert_int_equal(add_communes(&x, " ; , "), 0);
	assert_int_equal(x.n_communes, 0);
	extracted_clear(&x);
}

static void
date_accepted(void **state)
{
	(void)state;
	extracted x = {0};
	set_date(&x, "2021-03-04");
	assert_str(x.date, "2021-03-04");
	set_date(&x, "  1999-12-31T23:59:59Z");
	assert_str(x.date, "1999-12-31");
	extracted_clear(&x);
}

static void
date_ignored(void **state)
{
	(void)state;
	extracted x = {0};
	set_date(&x, "2021-3-4");
	assert_null(x.date);
	set_date(&x, "hier");
	assert_null(x.date);
	set_date(&x, "");
	assert_null(x.date);
	set_date(&x, "2021");
	assert_null(x.date);
	set_date(&x, "04/03/2021");
	assert_null(x.date);
	/* the shape of a date, but no such day (found by tests/fuzz/dates) */
	set_date(&x, "2023-10-00");
	assert_null(x.date);
	set_date(&x, "2023-02-29");
	assert_null(x.date);
	set_date(&x, "2023-13-01");
	assert_null(x.date);

	/* a bad date leaves a good one in place */
	set_date(&x, "2021-03-04");
	set_date(&x, "hier");
	assert_str(x.date, "2021-03-04");
	extracted_clear(&x);
}

static void
site_folder_names(void **state)
{
	(void)state;
	const char *msg = NULL;
	assert_int_equal(type_dir_add("Arr\xc3\xaat\xc3\xa9s*=texte", &msg), 0);
	assert_int_equal(type_dir_add("Aides=Catalogues", &msg), 0);
	/* case and accents aside, a pattern */
	check_type(
	    "/srv/partage/Arr\xc3\xaat\xc3\xa9s 2024/arr\xc3\xaat\xc3\xa9 halle.txt",
	    "texte");
	check_type("/srv/partage/ARRETES/x.txt", "texte");
	check_type("/srv/partage/aides/x.txt", "catalogue");
	/* the nearest folder wins, site names and built-in ones alike */
	check_type("/srv/aides/articles/x.txt", "article");
	check_type("/srv/articles/aides/x.txt", "catalogue");
	/* the file's own name is no folder */
	check_type("/srv/partage/aides", NULL);
	check_type("/srv/partage/mes aides/x.txt", NULL);
	type_dirs_clear();
	check_type("/srv/partage/aides/x.txt", NULL);
}

static void
site_folder_names_refused(void **state)
{
	(void)state;
	const char *msg = NULL;
	assert_int_equal(type_dir_add("Arr\xc3\xaat\xc3\xa9s", &msg), -1);
	assert_non_null(strstr(msg, "NAME=TYPE"));
	assert_int_equal(type_dir_add("=texte", &msg), -1);
	assert_int_equal(type_dir_add("Lois=loi", &msg), -1);
	assert_non_null(strstr(msg, "article, catalogue or texte"));
	assert_int_equal(type_dir_add("a/b=texte", &msg), -1);
	check_type("/srv/Lois/x.txt", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(type_from_folder),
	    cmocka_unit_test(type_not_from_file_name),
	    cmocka_unit_test(nearest_folder_wins),
	    cmocka_unit_test(three_types),
	    cmocka_unit_test(communes_split),
	    cmocka_unit_test(communes_add_up),
	    cmocka_unit_test(date_accepted),
	    cmocka_unit_test(date_ignored),
	    cmocka_unit_test(site_folder_names),
	    cmocka_unit_test(site_folder_names_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
