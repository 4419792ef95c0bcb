/*
 * analysis.c: runs the French analysis table (analysis.tsv).  Each row is
 * one case, tab-separated, with \uXXXX escapes for invisible characters:
 *
 *   terms  TEXT   WORDS    the words TEXT yields, folded, in order; a
 *                          joined number is written +20000
 *   stems  WORD   STEMS    the stems WORD is indexed and searched under
 *   query  QUERY  TREE     how QUERY is read (pvdi_query_describe)
 *   match  TEXT   QUERY  yes|no
 *                          whether QUERY finds a document saying TEXT
 *   order  QUERY  TEXT1 | TEXT2 | ...
 *                          in an index of just these texts, QUERY ranks
 *                          TEXT1 first
 *
 * The match rows go into one real index in a temporary folder, written
 * and searched through the public API.
 *
 * usage: analysis TABLE
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvd-private.h"

/* Decode \uXXXX, \t and \\ in place. */
static void
unescape(char *s)
{
	char *o = s;
	while (*s) {
		if (s[0] == '\\' && s[1] == 'u') {
			unsigned cp = (unsigned)strtoul(
			    (char[]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
			if (cp < 0x80) {
				*o++ = (char)cp;
			} else if (cp < 0x800) {
				*o++ = (char)(0xC0 | cp >> 6);
				*o++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*o++ = (char)(0xE0 | cp >> 12);
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (char)(0x80 | (cp & 0x3F));
			}
			s += 6;
		} else if (s[0] == '\\' && s[1] == 't') {
			*o++ = '\t';
			s += 2;
		} else if (s[0] == '\\' && s[1] == '\\') {
			*o++ = '\\';
			s += 2;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

typedef struct words {
	char buf[8192];
	size_t len;
} words;

static int
add_word(const pvdi_token *tok, void *arg)
{
	words *w = arg;
	int n = snprintf(w->buf + w->len, sizeof w->buf - w->len, "%s%s%s",
			 w->len ? " " : "", tok->alt ? "+" : "", tok->forms->folded);
	if (n > 0 && (size_t)n < sizeof w->buf - w->len)
		w->len += (size_t)n;
	return 0;
}

static int
check(int line, const char *what, const char *input, const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 0;
	printf("FAIL line %d %s \"%s\"\n  got:  %s\n  want: %s\n", line, what, input, got,
	       want);
	return 1;
}

static int
row_terms(int line, const char *text, const char *want)
{
	words w = {.len = 0};
	w.buf[0] = '\0';
	pvdi_tokenize(text, strlen(text), 0, add_word, &w);
	return check(line, "terms", text, w.buf, want);
}

static int
row_stems(int line, const char *word, const char *want)
{
	pvdi_forms f;
	pvdi_stems st;
	char got[2 * PVDI_FORM_CAP + 2] = "";
	if (pvdi_fold_word(&f, word, strlen(word)) == 0) {
		pvdi_stems_of(&st, &f);
		for (int i = 0; i < st.n; i++) {
			if (i)
				strcat(got, " ");
			strcat(got, st.s[i]);
		}
	}
	return check(line, "stems", word, got, want);
}

static int
row_query(int line, const char *query, const char *want)
{
	pvdi_query *q;
	char *err = NULL;
	pvd_status st = pvdi_query_parse(&q, query, &err);
	if (st != PVD_OK) {
		int bad = check(line, "query", query, "(error)", want);
		free(err);
		return bad;
	}
	char *got = pvdi_query_describe(q->root);
	int bad = check(line, "query", query, got ? got : "(oom)", want);
	free(got);
	pvdi_query_free(q);
	return bad;
}

static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

typedef struct match_row {
	int line;
	char *text, *query;
	int want;
} match_row;

static int
run_matches(match_row *rows, size_t n)
{
	char dir[] = "/tmp/pvd-analysis-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return (int)n;
	}
	char db[sizeof dir + 8];
	snprintf(db, sizeof db, "%s/index", dir);
	pvd_writer *w;
	char *err = NULL;
	int failed = 0;
	if (pvd_writer_open(&w, db, 0, &err) != PVD_OK) {
		printf("FAIL cannot open %s: %s\n", db, err);
		free(err);
		return (int)n;
	}
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof path, "row-%d", rows[i].line);
		pvd_doc doc = {
		    .path = path, .text = rows[i].text, .text_len = strlen(rows[i].text)};
		if (pvd_writer_add(w, &doc) != PVD_OK)
			printf("FAIL line %d: add: %s\n", rows[i].line,
			       pvd_writer_errmsg(w));
	}
	pvd_writer_commit(w);
	pvd_writer_close(w);

	pvd_index *ix;
	const char *dbs[] = {db};
	if (pvd_index_open(&ix, dbs, 1, &err) != PVD_OK) {
		printf("FAIL cannot read %s: %s\n", db, err);
		free(err);
		return (int)n;
	}
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof path, "row-%d", rows[i].line);
		pvd_request req = {.query = rows[i].query, .limit = 1000};
		pvd_results *r;
		int found = 0;
		if (pvd_search(&r, ix, &req) == PVD_OK) {
			const pvd_hit *h;
			/* what the words match: not the documents listed after
			 * them for lacking one word */
			while (pvd_results_next(r, &h) == PVD_OK)
				found |= !h->missing_word && !strcmp(h->path, path);
			pvd_results_free(r);
		}
		if (found != rows[i].want) {
			printf("FAIL line %d: \"%s\" %s \"%s\"\n", rows[i].line,
			       rows[i].query, found ? "wrongly finds" : "misses",
			       rows[i].text);
			failed++;
		}
	}
	pvd_index_close(ix);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return failed;
}

/* An index in a new temporary folder, holding texts as documents t-0, t-1... */
static int
mini_index(char *dir, size_t cap, char **texts, size_t n)
{
	char tmpl[] = "/tmp/pvd-order-XXXXXX";
	if (!mkdtemp(tmpl))
		return -1;
	snprintf(dir, cap, "%s", tmpl);
	char db[64];
	snprintf(db, sizeof db, "%s/index", tmpl);
	pvd_writer *w;
	char *err = NULL;
	if (pvd_writer_open(&w, db, 0, &err) != PVD_OK) {
		free(err);
		return -1;
	}
	/* Last text first: on a tie Xapian ranks the older document first, so
	 * TEXT1 must earn its place. */
	for (size_t i = n; i-- > 0;) {
		char path[32];
		snprintf(path, sizeof path, "t-%zu", i);
		pvd_doc doc = {
		    .path = path, .text = texts[i], .text_len = strlen(texts[i])};
		pvd_writer_add(w, &doc);
	}
	int rc = pvd_writer_commit(w) == PVD_OK ? 0 : -1;
	pvd_writer_close(w);
	return rc;
}

static int
row_order(int line, const char *query, char *texts)
{
	char *v[16], *save = NULL, dir[64], db[80];
	size_t n = 0;
	for (char *t = strtok_r(texts, "|", &save); t && n < 16;
	     t = strtok_r(NULL, "|", &save)) {
		while (*t == ' ')
			t++;
		v[n++] = t;
	}
	if (mini_index(dir, sizeof dir, v, n) != 0) {
		printf("FAIL line %d: cannot make an index\n", line);
		return 1;
	}
	snprintf(db, sizeof db, "%s/index", dir);
	const char *dbs[] = {db};
	pvd_index *ix;
	char *err = NULL;
	char first[32] = "(none)";
	if (pvd_index_open(&ix, dbs, 1, &err) == PVD_OK) {
		pvd_request req = {.query = query, .limit = 1};
		pvd_results *r;
		const pvd_hit *h;
		if (pvd_search(&r, ix, &req) == PVD_OK) {
			if (pvd_results_next(r, &h) == PVD_OK)
				snprintf(first, sizeof first, "%s", h->path);
			pvd_results_free(r);
		}
		pvd_index_close(ix);
	}
	free(err);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (!strcmp(first, "t-0"))
		return 0;
	printf("FAIL line %d: \"%s\" ranks %s first, not \"%s\"\n", line, query, first,
	       v[0]);
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: analysis TABLE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0, n_match = 0;
	ssize_t len;
	int lineno = 0, passed = 0, failed = 0;
	match_row *matches = NULL;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		char *field[4] = {line, NULL, NULL, NULL};
		int nf = 1;
		for (char *p = line; *p && nf < 4; p++)
			if (*p == '\t') {
				*p = '\0';
				field[nf++] = p + 1;
			}
		for (int i = 1; i < nf; i++)
			unescape(field[i]);
		int bad;
		if (!strcmp(field[0], "terms") && nf == 3) {
			bad = row_terms(lineno, field[1], field[2]);
		} else if (!strcmp(field[0], "stems") && nf == 3) {
			bad = row_stems(lineno, field[1], field[2]);
		} else if (!strcmp(field[0], "query") && nf == 3) {
			bad = row_query(lineno, field[1], field[2]);
		} else if (!strcmp(field[0], "order") && nf == 3) {
			bad = row_order(lineno, field[1], field[2]);
		} else if (!strcmp(field[0], "match") && nf == 4 &&
			   (!strcmp(field[3], "yes") || !strcmp(field[3], "no"))) {
			match_row *v = realloc(matches, (n_match + 1) * sizeof *v);
			if (!v)
				return 2;
			matches = v;
			matches[n_match++] =
			    (match_row){lineno, strdup(field[1]), strdup(field[2]),
					!strcmp(field[3], "yes")};
			continue;
		} else {
			printf("FAIL line %d: malformed row\n", lineno);
			bad = 1;
		}
		bad ? failed++ : passed++;
	}
	free(line);
	fclose(f);
	int match_failed = run_matches(matches, n_match);
	failed += match_failed;
	passed += (int)n_match - match_failed;
	for (size_t i = 0; i < n_match; i++) {
		free(matches[i].text);
		free(matches[i].query);
	}
	free(matches);
	printf("analysis: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
