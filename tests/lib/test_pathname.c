/*
 * test_pathname.c: file names as people read them and as programs open
 * them (lib/pathname.c): UTF-8 names as they are, other bytes read as
 * Windows-1252, the five bytes it leaves undefined as U+FFFD, and the real
 * bytes percent-encoded, back to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pvd-private.h"

static void
shown(const char *path, const char *want)
{
	char *got = pvd_path_display(path);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
display(void **state)
{
	(void)state;
	/* UTF-8 stays as it is */
	shown("/srv/partage/Réunions/café.txt", "/srv/partage/Réunions/café.txt");
	assert_true(pvdi_path_is_utf8("/srv/partage/Réunions/café.txt"));
	/* Latin-1 and Windows-1252 bytes, next to UTF-8 ones */
	shown("/srv/R\xc3\xa9unions/compte-rendu-d\xe9"
	      "cembre.txt",
	      "/srv/Réunions/compte-rendu-décembre.txt");
	assert_false(pvdi_path_is_utf8("/srv/compte-rendu-d\xe9"
				       "cembre.txt"));
	shown("/srv/\x80-\x9c"
	      "uvre-l\x92"
	      "\xe9t\xe9",
	      "/srv/€-œuvre-l’été");
	/* bytes that Windows-1252 leaves undefined */
	shown("/srv/\x81\x8d\x8f\x90\x9d",
	      "/srv/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* a truncated UTF-8 sequence is two Windows-1252 characters */
	shown("a\xc3", "aÃ");
}

static void
bytes(void **state)
{
	(void)state;
	char *got = pvd_path_bytes("/srv/part age/d\xe9"
				   "cembre-100%_~.txt");
	assert_non_null(got);
	assert_string_equal(got, "/srv/part%20age/d%E9cembre-100%25_~.txt");
	free(got);
	got = pvd_path_bytes("/srv/café?#\n");
	assert_non_null(got);
	assert_string_equal(got, "/srv/caf%C3%A9%3F%23%0A");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(display),
	    cmocka_unit_test(bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
