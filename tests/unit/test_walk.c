/*
 * test_walk.c: unit tests for indexer/walk.c, the walker: in a temporary
 * folder with sub-folders, link loops, a link to a parent folder, a hidden
 * folder and a link to a file already reached, the exact paths reported
 * (canonical: absolute, links resolved), in order, each file once; the
 * roots a walk covers and the files under each.
 */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "indexer.h"
#include "unit.h"

/* What a walk reported. */
typedef struct seen {
	char *files[64];
	size_t n_files;
	char *errors[64];
	char *reasons[64];
	size_t n_errors;
} seen;

static char root[4096] = "/tmp/pvd-walk-XXXXXX";

static void
on_file(const char *path, const struct stat *st, void *arg)
{
	seen *s = arg;
	assert_true(S_ISREG(st->st_mode));
	assert_true(s->n_files < 64);
	s->files[s->n_files++] = strdup(path);
}

static void
on_error(const char *path, const char *reason, void *arg)
{
	seen *s = arg;
	assert_true(s->n_errors < 64);
	s->errors[s->n_errors] = strdup(path);
	s->reasons[s->n_errors++] = strdup(reason);
}

static void
seen_clear(seen *s)
{
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	for (size_t i = 0; i < s->n_errors; i++) {
		free(s->errors[i]);
		free(s->reasons[i]);
	}
	memset(s, 0, sizeof *s);
}

static int
walk(seen *s, const char *path)
{
	memset(s, 0, sizeof *s);
	walker *w = walker_new(on_file, on_error, s);
	assert_non_null(w);
	int rc = walker_run(w, path, 0);
	walker_free(w);
	return rc;
}

/* Creates root/rel holding content (a folder when content is NULL). */
static int
make(const char *rel, const char *content)
{
	char *path;
	if (asprintf(&path, "%s/%s", root, rel) < 0)
		return -1;
	int rc;
	if (!content) {
		rc = mkdir(path, 0700);
	} else {
		FILE *f = fopen(path, "w");
		rc = f && fputs(content, f) >= 0 ? 0 : -1;
		if (f && fclose(f) != 0)
			rc = -1;
	}
	free(path);
	return rc;
}

static int
link_to(const char *target, const char *rel)
{
	char *path;
	if (asprintf(&path, "%s/%s", root, rel) < 0)
		return -1;
	int rc = symlink(target, path);
	free(path);
	return rc;
}

/*
 * root/
 *   a.txt  b.md  c/d.txt  c/e/f.html  c/up -> ..  la -> lb  lb -> la
 *   .git/config  .cache.txt  vide/  zz-lien -> a.txt
 */
static int
setup(void **state)
{
	(void)state;
	if (!mkdtemp(root))
		return -1;
	/* paths come out canonical: compare with the real name of the folder */
	char *real = realpath(root, NULL);
	if (!real || strlen(real) >= sizeof root) {
		free(real);
		return -1;
	}
	strcpy(root, real);
	free(real);
	int rc = 0;
	rc |= make("a.txt", "Aspet\n");
	rc |= make("b.md", "# Saint-Martory\n");
	rc |= make("c", NULL);
	rc |= make("c/d.txt", "pont\n");
	rc |= make("c/e", NULL);
	rc |= make("c/e/f.html", "<p>moulin</p>\n");
	rc |= link_to("..", "c/up");
	rc |= link_to("lb", "la");
	rc |= link_to("la", "lb");
	rc |= make(".git", NULL);
	rc |= make(".git/config", "[core]\n");
	rc |= make(".cache.txt", "cache\n");
	rc |= make("vide", NULL);
	rc |= link_to("a.txt", "zz-lien");
	return rc ? -1 : 0;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Checks that the walk reported exactly the files rel[0..n), in order,
 * under prefix, and the two links of the loop as errors. */
static void
check_tree(const seen *s, const char *prefix)
{
	static const char *const rel[] = {"a.txt", "b.md", "c/d.txt", "c/e/f.html"};
	assert_int_equal(s->n_files, 4);
	for (size_t i = 0; i < 4; i++) {
		char *want;
		assert_true(asprintf(&want, "%s/%s", prefix, rel[i]) > 0);
		assert_str(s->files[i], want);
		free(want);
		assert_null(strstr(s->files[i], "//"));
	}
	assert_int_equal(s->n_errors, 2);
	static const char *const loop[] = {"la", "lb"};
	for (size_t i = 0; i < 2; i++) {
		char *want;
		assert_true(asprintf(&want, "%s/%s", prefix, loop[i]) > 0);
		assert_str(s->errors[i], want);
		free(want);
		assert_str(s->reasons[i], strerror(ELOOP));
	}
}

static void
whole_tree(void **state)
{
	(void)state;
	seen s;
	walk(&s, root);
	check_tree(&s, root);
	seen_clear(&s);
}

static void
root_with_trailing_slash(void **state)
{
	(void)state;
	char *path;
	seen s;
	assert_true(asprintf(&path, "%s/", root) > 0);
	walk(&s, path);
	check_tree(&s, root);
	seen_clear(&s);
	free(path);

	assert_true(asprintf(&path, "%s//", root) > 0);
	walk(&s, path);
	check_tree(&s, root);
	seen_clear(&s);
	free(path);
}

static void
relative_root(void **state)
{
	(void)state;
	char *cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	assert_int_equal(chdir(root), 0);
	seen s;
	walk(&s, "c/");
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	/* absolute; c/up leads back to root, which this walk had not reached
	 * yet (c itself it had): its files under their own names */
	static const char *const want[] = {"c/d.txt", "c/e/f.html", "a.txt", "b.md"};
	assert_int_equal(s.n_files, 4);
	for (size_t i = 0; i < 4; i++) {
		char *path;
		assert_true(asprintf(&path, "%s/%s", root, want[i]) > 0);
		assert_str(s.files[i], path);
		free(path);
	}
	assert_int_equal(s.n_errors, 2);
	seen_clear(&s);
}

/* Every spelling of a folder or a file gives the same canonical paths. */
static void
spellings(void **state)
{
	(void)state;
	static const char *const folders[] = {"/c/../c/./e", "//c/e/", "/c/up/c/e"};
	for (size_t i = 0; i < 3; i++) {
		char *path, *want;
		seen s;
		assert_true(asprintf(&path, "%s%s", root, folders[i]) > 0);
		walk(&s, path);
		assert_int_equal(s.n_files, 1);
		assert_true(asprintf(&want, "%s/c/e/f.html", root) > 0);
		assert_str(s.files[0], want);
		seen_clear(&s);
		free(path);
		free(want);
	}
	/* a link to a file, named directly */
	char *path, *want;
	seen s;
	assert_true(asprintf(&path, "%s/zz-lien", root) > 0);
	walk(&s, path);
	assert_int_equal(s.n_files, 1);
	assert_true(asprintf(&want, "%s/a.txt", root) > 0);
	assert_str(s.files[0], want);
	seen_clear(&s);
	free(path);
	free(want);
}

/* The roots a walk covers: the PATH, and a folder reached through a link,
 * with the files found under each. */
static void
roots(void **state)
{
	(void)state;
	char *path;
	seen s;
	memset(&s, 0, sizeof s);
	walker *w = walker_new(on_file, on_error, &s);
	assert_non_null(w);
	assert_true(asprintf(&path, "%s/c/", root) > 0);
	assert_int_equal(walker_run(w, path, 3), 0);
	free(path);
	assert_true(asprintf(&path, "%s/vide", root) > 0);
	assert_int_equal(walker_run(w, path, 4), 0);
	assert_int_equal(walker_run(w, "/nulle/part/ici", 5), -1);
	const walk_root *r;
	assert_int_equal(walker_roots(w, &r), 3);
	char *c;
	assert_true(asprintf(&c, "%s/c", root) > 0);
	assert_str(r[0].path, c);
	free(c);
	assert_int_equal(r[0].path_arg, 3);
	assert_int_equal(r[0].files, 4); /* c's two, and root's two through c/up */
	assert_int_equal(r[1].path_arg, -1);
	assert_int_equal(r[1].parent, 0);
	assert_str(r[1].path, root);
	assert_int_equal(r[1].files, 2);
	assert_str(r[2].path, path);
	assert_int_equal(r[2].path_arg, 4);
	assert_int_equal(r[2].files, 0); /* an empty PATH */
	free(path);
	walker_free(w);
	seen_clear(&s);
}

static void
root_is_a_file(void **state)
{
	(void)state;
	char *path;
	seen s;
	assert_true(asprintf(&path, "%s/c/d.txt", root) > 0);
	walk(&s, path);
	assert_int_equal(s.n_files, 1);
	assert_str(s.files[0], path);
	assert_int_equal(s.n_errors, 0);
	seen_clear(&s);
	free(path);
}

static void
missing_root(void **state)
{
	(void)state;
	char *path;
	seen s;
	assert_true(asprintf(&path, "%s/absent", root) > 0);
	assert_int_equal(walk(&s, path), -1);
	assert_int_equal(s.n_files, 0);
	assert_int_equal(s.n_errors, 1);
	assert_str(s.errors[0], path);
	assert_str(s.reasons[0], strerror(ENOENT));
	seen_clear(&s);
	free(path);
}

/* A second PATH that leads to files already reached adds nothing. */
static void
same_root_twice(void **state)
{
	(void)state;
	seen s;
	memset(&s, 0, sizeof s);
	walker *w = walker_new(on_file, on_error, &s);
	assert_non_null(w);
	assert_int_equal(walker_run(w, root, 0), 0);
	assert_int_equal(walker_run(w, root, 1), 0);
	const walk_root *r;
	assert_int_equal(walker_roots(w, &r), 2);
	assert_false(r[0].reached_before);
	assert_true(r[1].reached_before);
	walker_free(w);
	check_tree(&s, root);
	seen_clear(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(whole_tree),    cmocka_unit_test(root_with_trailing_slash),
	    cmocka_unit_test(relative_root), cmocka_unit_test(root_is_a_file),
	    cmocka_unit_test(missing_root),  cmocka_unit_test(same_root_twice),
	    cmocka_unit_test(spellings),     cmocka_unit_test(roots),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
