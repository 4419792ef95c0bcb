/*
 * test_doctype.c: unit tests for indexer/doctype.c: a document's type from
 * its content when neither its metadata nor its folder give one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "indexer.h"

static void
check(const char *title, const char *text, const char *want)
{
	assert_string_equal(type_from_content(title, text, strlen(text)), want);
}

static void
acts(void **state)
{
	(void)state;
	check("Arrêté municipal n° 12 portant règlement du marché",
	      "Le maire,\n\nVu le code général des collectivités territoriales ;\n"
	      "Vu la délibération du 6 juillet 2021 ;\n\nARRÊTE\n\nArticle 1er\nLe "
	      "marché…\n",
	      "texte");
	/* no title clue: the form alone, accents or not */
	check(NULL, "vu le code ;\nvu la loi ;\narrete :\narticle 1 - objet\n", "texte");
	check("Décret n° 2021-1234 relatif aux subventions de l'État",
	      "Article 1\nLes subventions…\nArticle 2\nLe montant…\n", "texte");
	check("Circulaire relative aux contrats de relance",
	      "Paris, le 20 novembre 2020\n\nLe Premier ministre à Mesdames et Messieurs "
	      "les préfets\n",
	      "texte");
	check("Instruction du 16 octobre 2020 relative au programme",
	      "Mesdames et Messieurs,\n", "texte");
	check("Convention d'adhésion", "Entre les soussignés\n\nArticle 1 – Objet\n",
	      "texte");
	/* capitals, and an accent after the first letters */
	check(NULL, "CONSIDÉRANT que la halle menace ruine ;\nDÉCIDE :\n", "texte");
}

static void
measure_sheets(void **state)
{
	(void)state;
	check("Aide à l'adaptation des logements",
	      "Partenaire : Anah\nBénéficiaires : propriétaires occupants\nMontant : 50 "
	      "%\n",
	      "catalogue");
	/* NBSP before the colon, list marks, plural, a definition list's term */
	check(NULL,
	      "- Partenaires\xc2\xa0: Banque des territoires\n• Type d’aide : prêt\n",
	      "catalogue");
	check(NULL, "Nature de l'aide\nsubvention\nTaux\n40 %\n", "catalogue");
	check(NULL, "* MONTANT : 10 000 €\n• Éligibilité : communes\n", "catalogue");
}

static void
articles(void **state)
{
	(void)state;
	check("Lectoure : la halle rouvre", "La halle aux grains a rouvert samedi.\n",
	      "article");
	/* one clue is not an act: a programming statement, a news title */
	check("Instruction If...Then...Else", "Syntaxe :\nIf condition Then\n",
	      "article");
	check("Instructions d'utilisation de LibreOffice Calc",
	      "Vu d'ici, tout est simple.\n", "article");
	check("Arrêté de péril : la rue fermée",
	      "Le maire a pris un arrêté de péril lundi.\n", "article");
	/* one label is not a sheet */
	check("Le Club fait étape", "Contact : la mairie\nLe Club s'est réuni jeudi.\n",
	      "article");
	check(NULL, "", "article");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(acts),
	    cmocka_unit_test(measure_sheets),
	    cmocka_unit_test(articles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
