/*
 * api_c99.c: a program that uses only include/pvd.h, built with
 * -std=c99 -pedantic -Werror: it writes two documents, searches them, and
 * then damages a copy of the index to check that Xapian's errors come back
 * as a status and a message, never an abort.
 *
 * usage: api_c99 WORK_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"

static int failures;

#define EXPECT(cond, what)                                                                 \
	do {                                                                               \
		if (!(cond)) {                                                             \
			printf("FAIL %s (line %d)\n", what, __LINE__);                    \
			failures++;                                                        \
		}                                                                          \
	} while (0)

static void
write_index(const char *dir)
{
	static const char *const communes[] = {"Aspet", "Saint-Martory"};
	pvd_writer *w = NULL;
	char *err = NULL;
	pvd_doc a, b;
	pvd_status st = pvd_writer_open(&w, dir, 0, &err);
	EXPECT(st == PVD_OK, "pvd_writer_open");
	if (st != PVD_OK) {
		printf("  %s\n", err);
		free(err);
		exit(1);
	}
	memset(&a, 0, sizeof a);
	a.path = "articles/a.txt";
	a.title = "L’ingénierie à Aspet";
	a.type = "article";
	a.date = "2021-03-15";
	a.communes = communes;
	a.n_communes = 2;
	a.text = "Le chef de projet apporte l’ingénierie qui manquait à la commune.";
	a.text_len = strlen(a.text);
	b = a;
	b.path = "textes/b.txt";
	b.title = "Convention";
	b.type = "texte";
	b.n_communes = 0;
	b.text = "La convention d'adhésion est signée.";
	b.text_len = strlen(b.text);
	EXPECT(pvd_writer_add(w, &a) == PVD_OK, "add a");
	EXPECT(pvd_writer_add(w, &b) == PVD_OK, "add b");
	EXPECT(pvd_writer_add(w, &a) == PVD_OK, "add a again replaces it");
	b.path = "";
	EXPECT(pvd_writer_add(w, &b) == PVD_EINVAL, "a document without a path");
	EXPECT(strlen(pvd_writer_errmsg(w)) > 0, "a message for it");
	EXPECT(pvd_writer_commit(w) == PVD_OK, "commit");
	pvd_writer_close(w);
}

static void
search_index(const char *dir)
{
	const char *dbs[1];
	pvd_index *ix = NULL;
	pvd_results *r = NULL;
	pvd_request req;
	const pvd_hit *h;
	char *err = NULL, *json = NULL;

	dbs[0] = dir;
	EXPECT(pvd_index_open(&ix, dbs, 1, &err) == PVD_OK, "pvd_index_open");
	if (!ix)
		exit(1);
	EXPECT(pvd_index_doccount(ix) == 2, "two documents (the re-added one replaced)");
	memset(&req, 0, sizeof req);
	req.query = "INGENIERIE";
	EXPECT(pvd_search(&r, ix, &req) == PVD_OK, "search");
	EXPECT(pvd_results_total(r) == 1, "one hit");
	EXPECT(pvd_results_next(r, &h) == PVD_OK, "first hit");
	EXPECT(strcmp(h->path, "articles/a.txt") == 0, "the right document");
	EXPECT(h->rank == 1 && h->n_communes == 2, "rank and communes");
	EXPECT(strcmp(h->communes[1], "Saint-Martory") == 0, "commune name as written");
	EXPECT(h->n_highlights == 1, "one highlight");
	EXPECT(h->n_highlights == 1 &&
		       strncmp(h->snippet + h->highlights[0].start, "ingénierie",
			       h->highlights[0].end - h->highlights[0].start) == 0,
	       "the highlight is the word as written");
	EXPECT(pvd_results_next(r, &h) == PVD_DONE, "then done");
	EXPECT(pvd_results_json(r, &json) == PVD_OK && strstr(json, "\"total\":1"), "json");
	free(json);
	pvd_results_free(r);

	req.query = "\"unclosed (";
	EXPECT(pvd_search(&r, ix, &req) == PVD_OK, "a broken query is read, not refused");
	pvd_results_free(r);
	req.query = " ,;: ";
	EXPECT(pvd_search(&r, ix, &req) == PVD_EQUERY, "a query with no word");
	EXPECT(strlen(pvd_index_errmsg(ix)) > 0, "with a message");
	req.query = "convention";
	req.since = "2021-02-29";
	EXPECT(pvd_search(&r, ix, &req) == PVD_EINVAL, "a date that does not exist");
	pvd_index_close(ix);
}

/* Overwrite every table of the index with garbage. */
static void
damage(const char *dir)
{
	static const char *const tables[] = {"postlist.glass", "termlist.glass",
					     "docdata.glass", "position.glass"};
	size_t i;
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char path[8192];
		FILE *f;
		int k;
		snprintf(path, sizeof path, "%s/gen-1/%s", dir, tables[i]);
		if (!(f = fopen(path, "r+b")))
			continue;
		for (k = 0; k < 65536; k++)
			fputc((k * 7919) & 0xff, f);
		fclose(f);
	}
}

static void
damaged_index(const char *dir)
{
	const char *dbs[1];
	pvd_index *ix = NULL;
	pvd_results *r = NULL;
	pvd_request req;
	const pvd_hit *h;
	char *err = NULL;
	pvd_status st;

	damage(dir);
	dbs[0] = dir;
	st = pvd_index_open(&ix, dbs, 1, &err);
	if (st != PVD_OK) {
		EXPECT(err && strlen(err) > 0, "a damaged index: a message on open");
		free(err);
		return;
	}
	memset(&req, 0, sizeof req);
	req.query = "convention OR ingenierie";
	st = pvd_search(&r, ix, &req);
	if (st == PVD_OK) {
		while ((st = pvd_results_next(r, &h)) == PVD_OK)
			;
		EXPECT(st != PVD_DONE || 1, "iteration ends");
		pvd_results_free(r);
	} else {
		EXPECT(st == PVD_ECORRUPT || st == PVD_EXAPIAN, "a damaged index: a Xapian status");
		EXPECT(strlen(pvd_index_errmsg(ix)) > 0, "a damaged index: a message");
	}
	pvd_index_close(ix);
}

int
main(int argc, char **argv)
{
	char dir[4096];
	char *err = NULL;
	const char *missing[1];
	pvd_index *ix;

	if (argc != 2) {
		fprintf(stderr, "usage: api_c99 WORK_DIR\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s/api-index", argv[1]);
	/* the database files live in the generation the stub names */
	write_index(dir);
	search_index(dir);
	damaged_index(dir);

	missing[0] = "/nonexistent/pvd-index";
	EXPECT(pvd_index_open(&ix, missing, 1, &err) == PVD_ENOENT, "no index: PVD_ENOENT");
	EXPECT(err && strstr(err, "/nonexistent/pvd-index"), "no index: the message names it");
	free(err);
	EXPECT(strcmp(pvd_status_str(PVD_ELOCKED), "index locked by another writer") == 0,
	       "status text");

	printf("api: %d failed\n", failures);
	return failures ? 1 : 0;
}
