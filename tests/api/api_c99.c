/*
 * api_c99.c: a program that uses only include/pvd.h, built with
 * -std=c99 -pedantic -Werror: it writes two documents, searches them, and
 * then damages each table of copies of the index to check that Xapian's errors come back
 * as a status and a message, never an abort.
 *
 * usage: api_c99 WORK_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"

static int failures;

#define EXPECT(cond, what)                                                               \
	do {                                                                             \
		if (!(cond)) {                                                           \
			printf("FAIL %s (line %d)\n", what, __LINE__);                   \
			failures++;                                                      \
		}                                                                        \
	} while (0)

/* A document of a path and a text, nothing else. */
static pvd_doc
text_doc(const char *path, const char *text)
{
	pvd_doc d;
	memset(&d, 0, sizeof d);
	d.path = path;
	d.text = text;
	d.text_len = strlen(text);
	return d;
}

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
	a = text_doc("articles/a.txt",
		     "Le chef de projet apporte l’ingénierie qui manquait à la commune.");
	a.title = "L’ingénierie à Aspet";
	a.type = "article";
	a.date = "2021-03-15";
	a.communes = communes;
	a.n_communes = 2;
	b = text_doc("textes/b.txt", "La convention d'adhésion est signée.");
	b.title = "Convention";
	b.type = "texte";
	b.date = a.date;
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
	EXPECT(pvd_results_json(r, &json) == PVD_OK && strstr(json, "\"total\":1"),
	       "json");
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

/* A rebuild writes into an empty index, where a document is added
 * without looking its path up: a path written twice, or written, deleted
 * and written again, must still be one document. */
static void
rebuild_index(const char *work)
{
	char dir[4096];
	const char *dbs[1];
	pvd_writer *w = NULL;
	pvd_index *ix = NULL;
	pvd_results *r = NULL;
	pvd_request req;
	pvd_doc a1 = text_doc("articles/a.txt", "Une première version.");
	pvd_doc a2 = text_doc("articles/a.txt", "La revitalisation du centre-bourg.");
	pvd_doc b = text_doc("textes/b.txt", "La convention d'adhésion est signée.");

	snprintf(dir, sizeof dir, "%s/rebuilt-index", work);
	write_index(dir);
	EXPECT(pvd_writer_open(&w, dir, PVD_WRITER_REBUILD, NULL) == PVD_OK,
	       "open for a rebuild");
	if (!w)
		return;
	EXPECT(pvd_writer_add(w, &a1) == PVD_OK, "rebuild: add a");
	EXPECT(pvd_writer_delete(w, a1.path) == PVD_OK, "rebuild: delete a");
	EXPECT(pvd_writer_add(w, &a2) == PVD_OK, "rebuild: add a again");
	EXPECT(pvd_writer_add(w, &b) == PVD_OK, "rebuild: add b");
	EXPECT(pvd_writer_commit(w) == PVD_OK, "rebuild: commit");
	EXPECT(pvd_writer_add(w, &b) == PVD_OK, "rebuild: add b after a commit");
	EXPECT(pvd_writer_finish(w) == PVD_OK, "rebuild: finish");
	pvd_writer_close(w);

	dbs[0] = dir;
	EXPECT(pvd_index_open(&ix, dbs, 1, NULL) == PVD_OK, "open the rebuilt index");
	if (!ix)
		return;
	EXPECT(pvd_index_doccount(ix) == 2, "rebuild: one document a path");
	memset(&req, 0, sizeof req);
	req.query = "revitalisation";
	EXPECT(pvd_search(&r, ix, &req) == PVD_OK && pvd_results_total(r) == 1,
	       "rebuild: a's last text");
	pvd_results_free(r);
	req.query = "première";
	EXPECT(pvd_search(&r, ix, &req) == PVD_OK && pvd_results_total(r) == 0,
	       "rebuild: nothing of a's deleted text");
	pvd_results_free(r);
	pvd_index_close(ix);
}

/* Overwrite one table of the index in dir with garbage, for real: a
 * table that is not there fails the test. */
static void
damage(const char *dir, const char *table)
{
	char path[8192];
	FILE *f;
	long k;
	snprintf(path, sizeof path, "%s/gen-1/%s.glass", dir, table);
	f = fopen(path, "r+b");
	EXPECT(f != NULL, "the table to damage is there");
	if (!f) {
		printf("  cannot open %s\n", path);
		return;
	}
	fseek(f, 0, SEEK_END);
	k = ftell(f);
	EXPECT(k > 0, "the table to damage holds something");
	rewind(f);
	/* every block, headers and all: no checksum or level can hold */
	for (k = k < 65536 ? 65536 : k; k > 0; k--)
		fputc((int)((k * 7919) & 0xff), f);
	fclose(f);
}

/* What a damaged table does to a reader or a writer: a status that says
 * so, and a message that names the index. */
static void
expect_damage(const char *what, pvd_status st, const char *msg, const char *dir)
{
	char label[256];
	snprintf(label, sizeof label, "damaged %s: PVD_ECORRUPT or PVD_EXAPIAN", what);
	EXPECT(st == PVD_ECORRUPT || st == PVD_EXAPIAN, label);
	snprintf(label, sizeof label, "damaged %s: the message names the index", what);
	EXPECT(msg && strstr(msg, dir), label);
	if (st != PVD_ECORRUPT && st != PVD_EXAPIAN)
		printf("  %s: status %s, message %s\n", what, pvd_status_str(st),
		       msg ? msg : "-");
}

/* Open dir and run query, reading every hit; the first failure's status,
 * its message in msg. */
static pvd_status
read_all(const char *dir, const char *query, char *msg, size_t cap)
{
	const char *dbs[1];
	pvd_index *ix = NULL;
	pvd_results *r = NULL;
	pvd_request req;
	const pvd_hit *h;
	char *err = NULL;
	pvd_status st;

	dbs[0] = dir;
	msg[0] = '\0';
	st = pvd_index_open(&ix, dbs, 1, &err);
	if (st != PVD_OK) {
		snprintf(msg, cap, "%s", err ? err : "");
		free(err);
		return st;
	}
	memset(&req, 0, sizeof req);
	req.query = query;
	req.sort = PVD_SORT_DATE;
	st = pvd_search(&r, ix, &req);
	if (st != PVD_OK) {
		snprintf(msg, cap, "%s", pvd_index_errmsg(ix));
	} else {
		while ((st = pvd_results_next(r, &h)) == PVD_OK)
			;
		if (st == PVD_DONE)
			st = PVD_OK;
		else
			snprintf(msg, cap, "%s", pvd_results_errmsg(r));
		pvd_results_free(r);
	}
	pvd_index_close(ix);
	return st;
}

/* Each table damaged in its own copy of the index, and the call that
 * has to read it. */
static void
damaged_index(const char *work)
{
	static const char *const readers[][2] = {
	    /* the terms' posting lists, document lengths and values, the
	     * stored text among them (read for the snippet) */
	    {"postlist", "convention OR ingenierie"},
	    /* word positions, read by a phrase */
	    {"position", "\"chef de projet\""},
	};
	char dir[4096], msg[4096];
	size_t i;
	pvd_writer *w = NULL;
	pvd_doc d;
	pvd_status st;
	char *err = NULL;

	for (i = 0; i < sizeof readers / sizeof readers[0]; i++) {
		snprintf(dir, sizeof dir, "%s/damaged-%s", work, readers[i][0]);
		write_index(dir);
		EXPECT(read_all(dir, readers[i][1], msg, sizeof msg) == PVD_OK,
		       "the index reads before it is damaged");
		damage(dir, readers[i][0]);
		st = read_all(dir, readers[i][1], msg, sizeof msg);
		expect_damage(readers[i][0], st, msg, dir);
	}

	/* The terms of each document, read by a writer replacing it. */
	snprintf(dir, sizeof dir, "%s/damaged-termlist", work);
	write_index(dir);
	damage(dir, "termlist");
	/* Xapian may notice on opening, or when it reads the old terms */
	st = pvd_writer_open(&w, dir, 0, &err);
	if (st != PVD_OK) {
		expect_damage("termlist (open)", st, err, dir);
		free(err);
		return;
	}
	d = text_doc("articles/a.txt", "Le chef de projet revient.");
	st = pvd_writer_add(w, &d);
	if (st == PVD_OK)
		st = pvd_writer_commit(w);
	expect_damage("termlist", st, pvd_writer_errmsg(w), dir);
	pvd_writer_close(w);
}

/* A folder whose stub names a generation that holds no database is
 * PVD_ENOENT; one whose stub is garbage is a Xapian error, not "no index". */
static void
open_statuses(const char *work)
{
	char dir[4096], path[8192];
	const char *dbs[1];
	pvd_index *ix = NULL;
	char *err = NULL;
	pvd_status st;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/stub-garbage", work);
	write_index(dir);
	snprintf(path, sizeof path, "%s/XAPIANDB", dir);
	f = fopen(path, "wb");
	EXPECT(f != NULL, "the stub can be rewritten");
	if (!f)
		return;
	fputs("auto gen-1\nthis is not a backend\n", f);
	fclose(f);
	dbs[0] = dir;
	st = pvd_index_open(&ix, dbs, 1, &err);
	EXPECT(st == PVD_EXAPIAN || st == PVD_ECORRUPT, "a garbage stub: not PVD_ENOENT");
	EXPECT(err && strstr(err, dir) && !strstr(err, "no index"),
	       "a garbage stub: the message names the index, and does not say it is "
	       "missing");
	if (st != PVD_EXAPIAN && st != PVD_ECORRUPT)
		printf("  garbage stub: %s: %s\n", pvd_status_str(st), err ? err : "-");
	free(err);
	err = NULL;
	pvd_index_close(ix);
}

/* A final commit that fails is reported by pvd_writer_close(): here the
 * generation's folder is gone under the writer. */
static void
close_reports(const char *work)
{
	char dir[4096], cmd[8192];
	pvd_writer *w = NULL;
	pvd_doc d;
	pvd_status st;

	snprintf(dir, sizeof dir, "%s/close-fails", work);
	write_index(dir);
	EXPECT(pvd_writer_open(&w, dir, 0, NULL) == PVD_OK, "reopen for writing");
	if (!w)
		return;
	d = text_doc("textes/c.txt", "Une délibération du conseil municipal.");
	EXPECT(pvd_writer_add(w, &d) == PVD_OK, "add before the folder goes");
	snprintf(cmd, sizeof cmd, "rm -rf '%s/gen-1'", dir);
	EXPECT(system(cmd) == 0, "remove the generation under the writer");
	st = pvd_writer_close(w);
	EXPECT(st != PVD_OK, "pvd_writer_close reports the failed final commit");
	printf("  close after the folder went: %s\n", pvd_status_str(st));
	EXPECT(pvd_writer_close(NULL) == PVD_OK, "closing NULL");
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
	rebuild_index(argv[1]);
	damaged_index(argv[1]);
	open_statuses(argv[1]);
	close_reports(argv[1]);

	missing[0] = "/nonexistent/pvd-index";
	EXPECT(pvd_index_open(&ix, missing, 1, &err) == PVD_ENOENT,
	       "no index: PVD_ENOENT");
	EXPECT(err && strstr(err, "/nonexistent/pvd-index"),
	       "no index: the message names it");
	free(err);
	EXPECT(strcmp(pvd_status_str(PVD_ELOCKED), "index locked by another writer") == 0,
	       "status text");

	printf("api: %d failed\n", failures);
	return failures ? 1 : 0;
}
