/*
 * prepare.c: a document's analysis, done apart from the writer so that
 * pvd-index can run it on every core while a single thread writes to
 * Xapian.  The result is plain C data: the terms with their positions and
 * weights, the boolean terms, the values and the stored text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

static int
grow(void **v, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t cap2 = *cap ? *cap : 64;
	while (cap2 < need)
		cap2 *= 2;
	void *nv = realloc(*v, cap2 * elem);
	if (!nv)
		return -1;
	*v = nv;
	*cap = cap2;
	return 0;
}

static uint64_t
hash(const char *prefix, const char *s, size_t len)
{
	return pvdi_fnv1a(pvdi_fnv1a(PVDI_FNV_START, prefix, strlen(prefix)), s, len);
}

/* Double the hash table and put every term back. */
static int
rehash(pvd_prepared *p)
{
	size_t cap = p->slots_cap ? 2 * p->slots_cap : 1024;
	uint32_t *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t t = 0; t < p->n_terms; t++) {
		const char *name = p->arena + p->terms[t].name;
		size_t i = (size_t)hash("", name, strlen(name)) & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = (uint32_t)t + 1;
	}
	free(p->slots);
	p->slots = slots;
	p->slots_cap = cap;
	return 0;
}

/* The index of term prefix + s[0..len), added when new; -1 on ENOMEM.
 * Each distinct term is kept once however often it occurs. */
static long
term_id(pvd_prepared *p, const char *prefix, const char *s, size_t len)
{
	if (2 * (p->n_terms + 1) > p->slots_cap && rehash(p))
		return -1;
	size_t pl = strlen(prefix);
	size_t i = (size_t)hash(prefix, s, len) & (p->slots_cap - 1);
	for (; p->slots[i]; i = (i + 1) & (p->slots_cap - 1)) {
		const char *name = p->arena + p->terms[p->slots[i] - 1].name;
		if (strlen(name) == pl + len && !memcmp(name, prefix, pl) &&
		    !memcmp(name + pl, s, len))
			return (long)p->slots[i] - 1;
	}
	if (grow((void **)&p->arena, &p->arena_cap, p->arena_len + pl + len + 1, 1) ||
	    grow((void **)&p->terms, &p->terms_cap, p->n_terms + 1, sizeof *p->terms))
		return -1;
	p->terms[p->n_terms] = (pvdi_term){(uint32_t)p->arena_len, 0};
	memcpy(p->arena + p->arena_len, prefix, pl);
	memcpy(p->arena + p->arena_len + pl, s, len);
	p->arena_len += pl + len;
	p->arena[p->arena_len++] = '\0';
	p->slots[i] = (uint32_t)++p->n_terms;
	return (long)p->n_terms - 1;
}

/* One occurrence of a term: wdf added, and a position unless pos is 0. */
static int
add_posting(pvd_prepared *p, const char *prefix, const char *s, size_t len, uint32_t pos,
	    uint32_t wdf)
{
	long id = term_id(p, prefix, s, len);
	if (id < 0)
		return -1;
	p->terms[id].wdf += wdf;
	if (!pos)
		return 0;
	if (grow((void **)&p->postings, &p->postings_cap, p->n_postings + 1,
		 sizeof *p->postings))
		return -1;
	p->postings[p->n_postings++] = (pvdi_posting){(uint32_t)id, pos};
	return 0;
}

typedef struct builder {
	pvd_prepared *p;
	int title;
	int failed;
	size_t title_words; /* pvdi_title_words() of the title, as it goes */
} builder;

static int
on_token(const pvdi_token *tok, void *arg)
{
	builder *b = arg;
	const pvdi_forms *f = tok->forms;
	uint32_t wdf = b->title ? PVDI_TITLE_WDF : 1;
	/* Xapian positions start at 1. */
	uint32_t pos = tok->pos + 1;
	if (b->title && b->title_words < PVDI_TITLE_WORDS_CAP && pvdi_is_title_word(tok))
		b->title_words++;

	if (add_posting(b->p, "", f->folded, f->folded_len, pos, wdf) ||
	    (b->title &&
	     add_posting(b->p, PVDI_P_TITLE, f->folded, f->folded_len, pos, 1))) {
		b->failed = 1;
		return 1;
	}
	/* Stopwords keep their positions for phrases, but no stems. */
	if (pvdi_is_stopword(f->folded, f->folded_len))
		return 0;
	if (f->lower_len != f->folded_len || memcmp(f->lower, f->folded, f->lower_len)) {
		char spelled[2 * PVDI_FORM_CAP + 2];
		int n = snprintf(spelled, sizeof spelled, "%s\t%s", f->folded, f->lower);
		if (n > 0 && n < PVDI_TERM_MAX &&
		    add_posting(b->p, PVDI_P_ACCENT, spelled, (size_t)n, 0, 1)) {
			b->failed = 1;
			return 1;
		}
	}
	pvdi_stems st;
	if (pvdi_stems_of(&st, f) != 0) {
		b->failed = 1; /* out of memory: not a document without stems */
		return 1;
	}
	for (int i = 0; i < st.n; i++) {
		size_t n = strlen(st.s[i]);
		if (add_posting(b->p, PVDI_P_STEM, st.s[i], n, 0, wdf) ||
		    (b->title &&
		     add_posting(b->p, PVDI_P_TITLE_STEM, st.s[i], n, 0, 1))) {
			b->failed = 1;
			return 1;
		}
	}
	return 0;
}

pvd_status
pvd_prepare(pvd_prepared **out, const pvd_doc *d)
{
	*out = NULL;
	if (!d->path || !*d->path)
		return PVD_EINVAL;
	pvd_prepared *p = calloc(1, sizeof *p);
	if (!p)
		return PVD_ENOMEM;
	builder b = {p, 1, 0, 0};
	uint32_t pos = 0;
	if (d->title)
		pos = pvdi_tokenize(d->title, strlen(d->title), 0, on_token, &b);
	b.title = 0;
	if (!b.failed && d->text)
		pos = pvdi_tokenize(d->text, d->text_len, pos + PVDI_BODY_POS_GAP,
				    on_token, &b);
	/* The file's name, which people remember ("salies-du-salat-laureate"),
	 * counts as words of the body, after it. */
	const char *base = strrchr(d->path, '/');
	base = base ? base + 1 : d->path;
	/* a Latin-1 name is read as people see it: "d\xe9cembre" is décembre */
	char *shown = pvdi_path_is_utf8(base) ? NULL : pvd_path_display(base);
	if (shown)
		base = shown;
	const char *dot = strrchr(base, '.');
	size_t base_len = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	if (!b.failed)
		pvdi_tokenize(base, base_len, pos + PVDI_BODY_POS_GAP, on_token, &b);
	free(shown);

	char idterm[PVDI_ID_TERM_CAP], key[PVDI_FORM_CAP], year[5] = "";
	pvdi_id_term(idterm, sizeof idterm, d->path);
	int failed = b.failed || pvdi_strset_add(&p->booleans, idterm);
	/* communes in official spelling, their départements and régions */
	char *communes = NULL, *depts = NULL, *regions = NULL;
	failed = failed || pvdi_doc_places(d, &p->booleans, &communes, &depts, &regions);
	if (!failed && d->type && *d->type) {
		pvdi_filter_key(key, sizeof key, d->type);
		if (key[0])
			failed = pvdi_strset_add_prefixed(&p->booleans, PVDI_P_TYPE, key);
	}
	int dated = d->date && pvd_date_valid(d->date);
	if (dated) {
		memcpy(year, d->date, 4);
		failed =
		    failed || pvdi_strset_add_prefixed(&p->booleans, PVDI_P_YEAR, year);
	}
	/* Where the date came from: a date guessed from the file's time must
	 * not pass for one the document gives (filters and sort tell them). */
	const char *source = "";
	if (dated && d->date_source &&
	    (!strcmp(d->date_source, "metadata") || !strcmp(d->date_source, "text") ||
	     !strcmp(d->date_source, "file")))
		source = d->date_source;
	if (*source)
		failed = failed || pvdi_strset_add_prefixed(&p->booleans,
							    PVDI_P_DATE_SOURCE, source);
	char sort_key[12] = "";
	if (dated)
		snprintf(sort_key, sizeof sort_key, "%c%s",
			 strcmp(source, "file") ? '1' : '0', d->date);

	/* every title gets its count, "0" included: a search can then tell an
	 * index where each title has one (xap-title.cc) */
	char title_words[8] = "";
	if (d->title && *d->title)
		snprintf(title_words, sizeof title_words, "%zu", b.title_words);
	char size[24], mtime[24];
	snprintf(size, sizeof size, "%llu", (unsigned long long)d->size);
	snprintf(mtime, sizeof mtime, "%lld", (long long)d->mtime);
	const char *values[PVDI_V_COUNT] = {
	    [PVDI_V_PATH] = d->path,
	    [PVDI_V_TITLE] = d->title ? d->title : "",
	    [PVDI_V_TYPE] = d->type ? d->type : "",
	    [PVDI_V_DATE] = dated ? d->date : "",
	    [PVDI_V_COMMUNES] = communes ? communes : "",
	    [PVDI_V_SIZE] = size,
	    [PVDI_V_MTIME] = mtime,
	    /* the year facet counts only dates a document gives, as since
	     * and until do: a click on a year finds what it counted */
	    [PVDI_V_YEAR] = strcmp(source, "file") ? year : "",
	    [PVDI_V_STAMP] = d->stamp ? d->stamp : "",
	    [PVDI_V_DATE_SOURCE] = source,
	    [PVDI_V_DATE_SORT] = sort_key,
	    [PVDI_V_DEPTS] = depts ? depts : "",
	    [PVDI_V_REGIONS] = regions ? regions : "",
	    [PVDI_V_TITLE_WORDS] = title_words,
	};
	for (int i = 0; i < PVDI_V_COUNT; i++)
		failed = failed || !(p->values[i] = strdup(values[i] ? values[i] : ""));
	free(communes);
	free(depts);
	free(regions);

	/* The text kept for snippets: its first 64 KiB, cut between two
	 * characters.  Every hit shown inflates what is kept, so a 4 MB
	 * manual kept whole would cost milliseconds per query; the words
	 * past it are still indexed and found. */
	p->data_len = d->text ? d->text_len : 0;
	if (p->data_len > PVDI_STORED_TEXT)
		p->data_len = pvdi_char_start(d->text, PVDI_STORED_TEXT);
	char *packed = NULL, *head = NULL;
	size_t packed_len = 0, head_len = 0;
	if (!failed && pvdi_shown_pack(p->values, &head, &head_len) == 0 &&
	    pvdi_stored_pack(head, head_len, d->text ? d->text : "", p->data_len, &packed,
			     &packed_len) == 0) {
		p->data = packed;
		p->data_len = packed_len;
	} else {
		p->data = NULL;
	}
	free(head);
	if (failed || !p->data) {
		pvd_prepared_free(p);
		return PVD_ENOMEM;
	}
	*out = p;
	return PVD_OK;
}

size_t
pvd_prepared_size(const pvd_prepared *p)
{
	return sizeof *p + p->arena_cap + p->postings_cap * sizeof *p->postings +
	       p->terms_cap * sizeof *p->terms + p->slots_cap * sizeof *p->slots +
	       p->data_len;
}

void
pvd_prepared_free(pvd_prepared *p)
{
	if (!p)
		return;
	free(p->arena);
	free(p->postings);
	free(p->terms);
	free(p->slots);
	pvdi_strset_clear(&p->booleans);
	for (int i = 0; i < PVDI_V_COUNT; i++)
		free(p->values[i]);
	free(p->data);
	free(p);
}
