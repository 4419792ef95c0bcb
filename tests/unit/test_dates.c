/*
 * test_dates.c: unit tests for indexer/dates.c: the first French date of a
 * text, and an act's date (signature line, then the "du [date]" of its
 * title, then the first date).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "indexer.h"

/* french_date() on text gives want (NULL: no date). */
static void
check_first(const char *text, const char *want)
{
	char out[11] = "";
	int found = french_date(text, strlen(text), out);
	if (!want) {
		assert_false(found);
		return;
	}
	assert_true(found);
	assert_string_equal(out, want);
}

/* act_date() on title and text gives want (NULL: no date). */
static void
check_act(const char *title, const char *text, const char *want)
{
	char out[11] = "";
	int found = act_date(title, text, strlen(text), out);
	if (!want) {
		assert_false(found);
		return;
	}
	assert_true(found);
	assert_string_equal(out, want);
}

static void
first_date_in_text(void **state)
{
	(void)state;
	check_first("Publié le 8 mars 2022\n\nLe marché rouvre.", "2022-03-08");
	check_first("le 1er janvier 2024", "2024-01-01");
	check_first("3 AOÛT 2021", "2021-08-03");
	check_first("16 octobre 2020 puis 3 mars 2022", "2020-10-16");
	check_first("le 31 février 2021", NULL); /* no such day */
	check_first("en 2021, au printemps", NULL);
	check_first("n° 123 mars 2021", NULL); /* a day has two digits at most */
}

static void
act_signed_at_its_end(void **state)
{
	(void)state;
	/* Aspet's arrêté: what it cites comes first, its signature last. */
	check_act(
	    "Arrêté municipal n° 2021-047 portant composition du comité de projet",
	    "Vu la convention d'adhésion signée le 24 juin 2021 ;\n"
	    "Vu la délibération du conseil municipal du 6 juillet 2021 ;\n\nARRÊTE\n\n"
	    "Article 1er\nIl est institué un comité de projet.\n\n"
	    "Fait à Aspet, le 12 juillet 2021.\nLe maire,\n",
	    "2021-07-12");
	check_act(NULL,
		  "Vu le code ;\n  Fait a Clamecy, le 17 septembre 2024, en trois "
		  "exemplaires.\n",
		  "2024-09-17");
	check_act(NULL,
		  "Vu la demande du 12 janvier 2022 ;\nARRÊTE\nToulouse, le 16 mai "
		  "2022\nLe préfet\n",
		  "2022-05-16");
	check_act(NULL,
		  "Vu la demande du 12 janvier 2022 ;\nLe 3 mars 2022, le préfet de la "
		  "Haute-Garonne\n",
		  "2022-03-03");
	check_act(NULL,
		  "Paris, le 20 novembre 2020\n\nLe Premier ministre à Mesdames et "
		  "Messieurs les préfets\n",
		  "2020-11-20");
	/* The last signature wins: an annex may quote an older one first. */
	check_act(NULL,
		  "Fait à Paris, le 2 mars 2020\n...\nFait à Paris, le 5 mai 2021\n",
		  "2021-05-05");
}

static void
act_dated_by_its_title(void **state)
{
	(void)state;
	check_act("Arrêté n° 2022-15 du 3 mars 2022 portant ouverture du fournil",
		  "Vu l'avis du comité du 2 février 2020 ;\nArrête :\n", "2022-03-03");
	/* no title given: the first line is the title */
	check_act(NULL,
		  "Instruction du 1er avril 2021 relative au programme\n\nVu la loi du 2 "
		  "mai 2019.\n",
		  "2021-04-01");
	/* "du" must be a word: "Prix du 3 mars" reads, "radu 3 mars" does not */
	check_act("Marché radu 4 mars 2022", "Vu la loi du 2 mai 2019.\n", "2019-05-02");
}

static void
not_a_signature(void **state)
{
	(void)state;
	/* A place line that goes on after the date is a dateline, not a
	 * signature: the first date of the text decides. */
	check_act(NULL,
		  "Vu le décret du 2 juin 2020 ;\nLectoure, le 14 mai 2022. Depuis "
		  "samedi, le marché…\n",
		  "2020-06-02");
	/* "Le 3 mars 2022 se tiendra…" is a sentence, not a signer */
	check_act(
	    NULL,
	    "Vu le décret du 2 juin 2020 ;\nLe 3 mars 2022 se tiendra la réunion.\n",
	    "2020-06-02");
	check_act(NULL, "Aucune date ici.\nFait à Aspet.\n", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(first_date_in_text),
	    cmocka_unit_test(act_signed_at_its_end),
	    cmocka_unit_test(act_dated_by_its_title),
	    cmocka_unit_test(not_a_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
