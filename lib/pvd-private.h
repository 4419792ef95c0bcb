/*
 * pvd-private.h: what the files of lib/ share and nothing outside lib/
 * (but the unit tests) may use.  Everything here is pvdi_-prefixed and has
 * hidden visibility.
 */
#ifndef PVD_PRIVATE_H
#define PVD_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "pvd.h"

#include <libintl.h>

/* libpvd's messages, in the domain the programs bind (common/cli.c). */
#define _(s) dgettext("pvd", s)
#define N_(s) (s)

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The layout of a document in Xapian ------------------------------ */

/* Term prefixes.  Unprefixed terms are folded words, with positions. */
#define PVDI_P_STEM "Z"		/* stems of body and title words */
#define PVDI_P_TITLE "S"	/* folded title words, with positions */
#define PVDI_P_TITLE_STEM "SZ"	/* stems of title words */
#define PVDI_P_ID "Q"		/* the path: one per document */
#define PVDI_P_TYPE "XT"	/* article, catalogue, texte */
#define PVDI_P_COMMUNE "XC"	/* commune key: see pvdi_filter_key() */
#define PVDI_P_YEAR "XY"	/* year of the document's date */
#define PVDI_P_DATE_SOURCE "XO" /* where the date came from: metadata, text, file */
#define PVDI_P_INSEE "XI"	/* INSEE code of an official commune */
#define PVDI_P_DEPT "XD"	/* département code (31, 2A, 974) */
#define PVDI_P_REGION "XR"	/* région code (76) */
/* How an accented word is written: "XA" + folded + "\t" + lower
 * ("XApate\tpâte").  Ranks exact spellings first for accented queries,
 * and gives a suggestion back its accents. */
#define PVDI_P_ACCENT "XA"

/* Value slots. */
enum {
	PVDI_V_PATH = 0,
	PVDI_V_TITLE = 1,
	PVDI_V_TYPE = 2,
	PVDI_V_DATE = 3,     /* "YYYY-MM-DD": sorts as a string */
	PVDI_V_COMMUNES = 4, /* names joined by '\n' */
	PVDI_V_SIZE = 5,
	PVDI_V_MTIME = 6,
	PVDI_V_YEAR = 7,	 /* "YYYY", for facets */
	PVDI_V_STAMP = 8,	 /* pvd_doc.stamp: what tells a changed file */
	PVDI_V_DATE_SOURCE = 9,	 /* "metadata", "text" or "file" */
	PVDI_V_DATE_SORT = 10,	 /* "1YYYY-MM-DD" for a date the document gives,
				    "0YYYY-MM-DD" for one estimated from the
				    file's time: sorted descending, real dates
				    first (a value, as remote shards sort no key) */
	PVDI_V_DEPTS = 11,	 /* département names joined by '\n' */
	PVDI_V_REGIONS = 12,	 /* région names joined by '\n' */
	PVDI_V_TITLE_WORDS = 13, /* pvdi_title_words() of the title, in decimal
				    (capped), for the title share: a value
				    remote shards can weigh too */
	PVDI_V_COUNT
};

/* The stored text (stored.c) is a value too, not the document data: Xapian
 * deflates document data at every write and again at every compaction,
 * and zstd's output never shrinks, while value streams go uncompressed.
 * Indexes written before keep it in the document data. */
#define PVDI_V_TEXT 14

/* Xapian refuses terms over 245 bytes. A word's form, or a path in its
 * "Q" term, is kept to PVDI_TERM_MAX bytes so that a prefix and a stem
 * still fit; a longer path keeps its first PVDI_ID_PATH_KEEP bytes and a
 * hash. */
#define PVDI_TERM_MAX 200
#define PVDI_ID_PATH_KEEP 180

/* The unique term of the document at a path: "Q" + the path, or for a
 * path too long for a Xapian term, its first PVDI_ID_PATH_KEEP bytes and a
 * hash. */
#define PVDI_ID_TERM_CAP 256
void pvdi_id_term(char *out, size_t cap, const char *path);

/* The stored text, packed with zstd (stored.c), after a head (NULL: none,
 * as indexes made before wrote): 0, or -1 when out of memory.  *out is
 * malloc'ed. */
int pvdi_stored_pack(const char *head, size_t head_len, const char *text, size_t len,
		     char **out, size_t *out_len);
/* What reading a stored text returns besides 0 and -1 (out of memory):
 * damaged, a hit shows no passage; but an answer that lacks memory is an
 * error, not a hit without its passage. */
#define PVDI_STORED_DAMAGED 1

/* The stored text's first zstd frame: a hit reads this much of the text
 * before the rest, when its first block is not enough. */
#define PVDI_STORED_FRAME ((size_t)8192)

/* The text's first block: a hit reads this much first, which is most
 * often enough to know its passage (snippet.c). */
#define PVDI_STORED_BLOCK ((size_t)1024)

/* A stored text read a part at a time: open reads the head; each read
 * decompresses on from where the last stopped, a zstd block at a time,
 * until at least the text's first want bytes (0: all) are out; text[0..len)
 * is what is out, cut to whole characters.  data must stay as it is, and
 * the thread read no other stored text, until the last read (the thread's
 * zstd context holds the reading's state).  Neither head nor text is
 * NUL-ended.  Both return 0, -1 or PVDI_STORED_DAMAGED; after a damaged
 * read, text[0..len) is what was read before. */
typedef struct pvdi_stored_reader {
	char *head, *text;
	size_t head_len, len;
	size_t n, got;	/* the text's length; bytes of it decompressed */
	char *buf;	/* the head, then the text */
	size_t out;	/* bytes of buf decompressed */
	const char *in; /* the frames */
	size_t in_len, in_pos;
	int in_frame;
	void *dctx;
} pvdi_stored_reader;
int pvdi_stored_open(pvdi_stored_reader *rd, const char *data, size_t len);
int pvdi_stored_read(pvdi_stored_reader *rd, size_t want);
void pvdi_stored_close(pvdi_stored_reader *rd);

/* The values a hit shows, in this order (hit-fields.c): path, title, type,
 * date, date source, communes, départements, régions.  Packed into the
 * stored text's head, each as its length (a varint) and its bytes. */
#define PVDI_SHOWN_SLOTS 8
extern const int pvdi_shown_slots[PVDI_SHOWN_SLOTS];
/* 0, or -1 when out of memory; *out malloc'ed. */
int pvdi_shown_pack(char *const values[PVDI_V_COUNT], char **out, size_t *out_len);
/* The fields of a packed head, pointing into it: 0, or -1 when it is not
 * well formed. */
int pvdi_shown_unpack(const char *head, size_t len, const char *field[PVDI_SHOWN_SLOTS],
		      size_t field_len[PVDI_SHOWN_SLOTS]);

/* How much of a document's text is stored for its snippets. */
#define PVDI_STORED_TEXT ((size_t)64 << 10)

/* Title words count this many times a body word does (BM25 wdf). */
#define PVDI_TITLE_WDF 3
/* Body positions start after the title's, with a gap so that no phrase
 * spans the two. */
#define PVDI_BODY_POS_GAP 100

/* ---- The index folder (store.c) ------------------------------------ */

typedef struct pvdi_store {
	char *dir;	  /* the folder the user named */
	int lock_fd;	  /* flock()ed while the writer lives */
	int rebuild;	  /* writing a new generation beside the live one */
	int publish;	  /* the stub must (still) be written to name target */
	unsigned gen;	  /* the generation written to */
	unsigned old_gen; /* the one a rebuild replaces, removed once published */
	char *live;	  /* a pre-generation index: the folder itself */
	char *target;	  /* the Xapian database to open for writing */
} pvdi_store;

/* Lock dir and decide where to write.  Returns PVD_OK, PVD_ELOCKED,
 * PVD_EINVAL, PVD_ECORRUPT, PVD_EIO or PVD_ENOMEM with *msg malloc'ed. */
pvd_status pvdi_store_open(pvdi_store *st, const char *dir, int rebuild, char **msg);
/* Point the stub at the generation written, and remove the replaced one. */
pvd_status pvdi_store_publish(pvdi_store *st, char **msg);
/* Unlock; an unpublished rebuild is removed. */
void pvdi_store_close(pvdi_store *st);
/* The folder of the next free generation, for a compacted copy of target:
 * malloc'ed, or NULL (no generations: a pre-generation index, or out of
 * memory). */
char *pvdi_store_next_target(const pvdi_store *st, unsigned *gen);
/* Switch readers to generation gen, a compacted copy of target: the stub
 * names it, and target and the generation it replaces are removed.  On
 * failure nothing changed but gen's removal. */
pvd_status pvdi_store_switch(pvdi_store *st, unsigned gen, char **msg);
/* Remove a folder and all it holds. */
void pvdi_remove_tree(const char *path);
/* Bytes on disk under path (what du counts), or 0. */
uint64_t pvdi_dir_bytes(const char *path);

/* For readers: the text of dir's stub ("auto gen-N", trailing blanks cut;
 * "" without one) in out; the stub's inode and times (zeroed without one:
 * a --full switch renames a new stub over the old, which changes them);
 * the generation's folder name within a stub's text; and when that
 * generation's database last changed (0 when unknown). */
#define PVDI_STUB_CAP 257
struct stat;
void pvdi_stub_read(char *out, size_t cap, const char *dir);
void pvdi_stub_stat(struct stat *out, const char *dir);
const char *pvdi_stub_gen(const char *stub);
/* The stat of generation gen's version file (zeroed when there is none):
 * Xapian renames a new one into place at every commit. */
void pvdi_gen_stat(struct stat *out, const char *dir, const char *gen);
int64_t pvdi_gen_changed(const char *dir, const char *gen);

/* ---- Folding one word ------------------------------------------------ */

/* The longest word kept, in bytes of the original text.  Longer runs of
 * letters are not words (base64, hashes, a 2 MB line) and are dropped. */
#define PVDI_WORD_MAX 64
/* Room for a folded form: NFKC can make a word longer. */
#define PVDI_FORM_CAP 512

/* The two forms of a word that everything else is built from. */
typedef struct pvdi_forms {
	char lower[PVDI_FORM_CAP]; /* NFKC, case-folded, œ→oe, æ→ae; accents kept */
	char folded[PVDI_FORM_CAP]; /* lower without combining marks */
	size_t lower_len, folded_len;
} pvdi_forms;

/*
 * Fold the UTF-8 word s[0..len) into out.  Default-ignorable characters
 * (soft hyphen, zero-width joiners) vanish.  Returns 0, or -1 when the word
 * is too long or folds to nothing; out is then left empty.
 */
int pvdi_fold_word(pvdi_forms *out, const char *s, size_t len);

/* ---- Splitting text into words --------------------------------------- */

typedef struct pvdi_token {
	size_t start, end;	 /* the word's bytes in the analysed text */
	uint32_t pos;		 /* word position */
	int alt;		 /* non-zero: an extra term at an earlier word's
				    position (a number written "20 000") */
	const pvdi_forms *forms; /* valid during the callback only */
} pvdi_token;

/* Called for each word; a non-zero return stops the walk. */
typedef int (*pvdi_token_fn)(const pvdi_token *tok, void *arg);

/*
 * Split UTF-8 text into words, French style: elided articles (l' d' qu'
 * jusqu' ... with ' ’ or ʼ) are dropped, hyphens and every other
 * punctuation separate words, digit groups separated by one space
 * ("20 000", also with U+00A0 or U+202F) also yield the joined number as an
 * alt token.  Positions start at first_pos.  Returns the position after the
 * last word.
 */
uint32_t pvdi_tokenize(const char *text, size_t len, uint32_t first_pos, pvdi_token_fn fn,
		       void *arg);

/* Decides from a word's raw bytes whether it is worth folding at all;
 * words it refuses still take their position. */
typedef int (*pvdi_accept_fn)(const char *word, size_t len, void *arg);

/* pvdi_tokenize, calling fn only for the words accept lets through. */
uint32_t pvdi_tokenize_some(const char *text, size_t len, uint32_t first_pos,
			    pvdi_token_fn fn, pvdi_accept_fn accept, void *arg);

/* Whether a folded word is a French stopword. */
int pvdi_is_stopword(const char *folded, size_t len);

/* The words of a title that a query could hold, at most
 * PVDI_TITLE_WORDS_CAP: section numbers ("7.23.") and stopwords do not
 * make a title longer (title-words.c). */
#define PVDI_TITLE_WORDS_CAP 255
size_t pvdi_title_words(const char *title, size_t len);
/* Whether a word of a title counts among them. */
int pvdi_is_title_word(const pvdi_token *tok);

/* Whether a folded word only makes a question ("comment", "pourquoi",
 * "quelles"): not a word to match when the query has others
 * (questions.c). */
int pvdi_is_question_word(const char *folded, size_t len);

/* When the folded words w[0..n) spell a commune with Saint/Sainte/St/Ste
 * or in another spelling than its official one, the other ways of
 * writing it, as folded words separated by spaces ("saint gaudens",
 * "st gaudens"), '\n' between spellings; NULL otherwise (malloc'ed;
 * query-places.c). */
char *pvdi_commune_spellings(const char *const *w, size_t n);

/* fix (a suggested word, lower case) cased as the user typed the word it
 * replaces, typed[0..typed_len): all capitals, a capital first, or as it
 * is.  malloc'ed; NULL when out of memory (suggest-case.c). */
char *pvdi_suggest_cased(const char *fix, const char *typed, size_t typed_len);

/* When written[0..len) names a commune in some spelling, its official
 * name (borrowed, static); NULL otherwise, or when the name is also a
 * common word and the user did not write it with a capital. */
const char *pvdi_suggest_commune(const char *written, size_t len, int capitalised);

/* ---- Stemming -------------------------------------------------------- */

/*
 * The stems of a word.  Snowball's French rules expect accents, yet users
 * leave them out, so a word has up to two: fold(stem(lower)) keeps
 * inflection families together, stem(folded) matches what an unaccented
 * query gives.  n is 1 when both are the same.
 */
typedef struct pvdi_stems {
	char s[2][PVDI_FORM_CAP];
	int n;
} pvdi_stems;

/* 0, or -1 when memory ran out (out->n is then 0, and nothing is kept in
 * the cache: the next call stems the word again). */
int pvdi_stems_of(pvdi_stems *out, const pvdi_forms *f);

/* Snowball French through Xapian (xap-stem.cc): writes the NUL-terminated
 * stem of word into out and returns its length; 0 when it has none that
 * fits, (size_t)-1 when memory ran out. */
size_t pvdi_stem_fr(char *out, size_t cap, const char *word, size_t len);

/* The key a filter value (a commune, a type, a place) is filed under:
 * folded, letters and digits only ("Saint-Martory" → "saintmartory").
 * Writes at most cap bytes. */
void pvdi_filter_key(char *out, size_t cap, const char *name);

/* A type as a user types it ("Textes", "article") as the index files it
 * ("texte"), or NULL when it names no type (filter-values.c). */
const char *pvdi_type_of(const char *text);
#define PVDI_TYPE_ERROR_FMT N_("type is article, catalogue or texte, not \"%s\"")

/* A date of a period's bound, "YYYY", "YYYY-MM" or "YYYY-MM-DD", as a day
 * into out: a year or month's first day for since, its last for until
 * (non-zero).  Returns 0 when in is no such date. */
int pvdi_date_bound(char out[11], const char *in, int until);

/* ---- Queries ---------------------------------------------------------- */

typedef enum pvdi_qkind {
	PVDI_Q_TERM,	/* term */
	PVDI_Q_SYNONYM, /* kids, weighted as one term */
	PVDI_Q_PHRASE,	/* kids are TERMs, adjacent in order */
	PVDI_Q_AND,
	PVDI_Q_OR,
	PVDI_Q_AND_NOT,	 /* kid 0 minus every other kid */
	PVDI_Q_FILTER,	 /* boolean term: restricts, adds no weight */
	PVDI_Q_WILDCARD, /* term is a prefix of unprefixed terms */
	PVDI_Q_ALL,	 /* every document */
	PVDI_Q_AND_MAYBE /* kid 0, ranked higher when the others match too */
} pvdi_qkind;

typedef struct pvdi_qnode {
	pvdi_qkind kind;
	double scale; /* weight factor when not 0 */
	char *term;
	struct pvdi_qnode **kids;
	size_t n_kids;
	int loose; /* a plain word of the top-level AND: may be missing
		      when too few documents have every word */
} pvdi_qnode;

/* A growable set of strings. */
typedef struct pvdi_strset {
	char **v;
	size_t n, cap;
} pvdi_strset;

int pvdi_strset_add(pvdi_strset *s, const char *str);
int pvdi_strset_add_prefixed(pvdi_strset *s, const char *prefix, const char *str);
int pvdi_strset_has(const pvdi_strset *s, const char *str);
void pvdi_strset_clear(pvdi_strset *s);

/* The places of a document (doc-places.c): its communes in official
 * spelling (from its metadata, else from its title and text), their
 * départements and régions, as boolean terms added to booleans and as
 * '\n'-joined names (malloc'ed).  Returns 0, or -1 when out of memory. */
int pvdi_doc_places(const pvd_doc *d, pvdi_strset *booleans, char **communes,
		    char **depts, char **regions);

/* The boolean term a filter value means ("commune", "departement",
 * "region"): a commune in any spelling or its INSEE code, a département
 * code or name, a région name.  Returns 1 when the value names a known
 * place, 0 when it does not (*out then matches the value as written), -1
 * for an unknown kind. */
int pvdi_place_filter(char *out, size_t cap, const char *kind, const char *value);

/* ---- A prepared document (prepare.c), written by xap-writer.cc ------ */

typedef struct pvdi_term {
	uint32_t name; /* offset of the NUL-terminated term in the arena */
	uint32_t wdf;  /* occurrences, weighted (title words count more) */
} pvdi_term;

typedef struct pvdi_posting {
	uint32_t term; /* index in terms */
	uint32_t pos;
} pvdi_posting;

struct pvd_prepared {
	char *arena; /* the terms, NUL-terminated, one after the other */
	size_t arena_len, arena_cap;
	pvdi_term *terms; /* each distinct term once */
	size_t n_terms, terms_cap;
	uint32_t *slots; /* hash table over terms: index + 1, 0 when empty */
	size_t slots_cap;
	pvdi_posting *postings; /* every position of every positional term */
	size_t n_postings, postings_cap;
	pvdi_strset booleans; /* the id term, type, communes, year */
	char *values[PVDI_V_COUNT];
	char *data; /* the text, for snippets */
	size_t data_len;
};

/* A word of the query as the user typed it: where, and its forms. */
typedef struct pvdi_qword {
	size_t start, end;	     /* bytes of the query text */
	size_t word_start, word_end; /* the whole written word (Saint-Martori) */
	char *folded;
	char *stem[2]; /* what it is searched under; NULL when unused */
} pvdi_qword;

/* A parsed query, and what its positive words look like, for highlights. */
typedef struct pvdi_query {
	pvdi_qnode *root;
	pvdi_strset words;     /* folded words */
	pvdi_strset stems;     /* stems */
	pvdi_strset prefixes;  /* folded wildcard prefixes */
	pvdi_strset stopwords; /* highlighted only when there is nothing else */
	pvdi_qword *typed;     /* plain words as typed, for spelling suggestions */
	size_t n_typed;
	unsigned wildcard_limit; /* terms each wildcard may expand to (budget.c) */
} pvdi_query;

/*
 * Parse text in pvd's query language.  Returns PVD_OK, PVD_EQUERY with a
 * malloc'ed *errmsg, or PVD_ENOMEM.
 */
pvd_status pvdi_query_parse(pvdi_query **out, const char *text, char **errmsg);
void pvdi_query_free(pvdi_query *q);

/* A printable form of a query tree, for tests: malloc'ed. */
char *pvdi_query_describe(const pvdi_qnode *n);

/* ---- What a query may cost (budget.c), checked before any search ------ */

#define PVDI_MAX_DEPTH 64	   /* parentheses within parentheses */
#define PVDI_MAX_QUERY_CHARS 2000  /* characters once NFKC-normalised */
#define PVDI_MAX_TERMS 300	   /* operands once expanded and de-duplicated */
#define PVDI_MAX_WILDCARDS 20	   /* different word* prefixes */
#define PVDI_MAX_EXPANSIONS 2000   /* terms all the wildcards expand to, together */
#define PVDI_MAX_PER_WILDCARD 1000 /* terms one wildcard expands to */
#define PVDI_SUGGEST_WORDS 8	   /* unknown words a suggestion is looked for */
#define PVDI_SUGGEST_SCAN 50000	   /* vocabulary terms read for suggestions, in all */

/* PVD_OK, or PVD_EQUERY with *errmsg when text is too long once
 * normalised; reads no further than the limit. */
pvd_status pvdi_budget_length(const char *text, char **errmsg);

/* Drop repeated operands from q's tree, then PVD_OK (and
 * q->wildcard_limit set), PVD_EQUERY with *errmsg naming the limit, or
 * PVD_ENOMEM. */
pvd_status pvdi_query_budget(pvdi_query *q, char **errmsg);

/* ---- Synonyms (synonyms.c) ------------------------------------------ */

typedef struct pvdi_syn_form {
	char **words;  /* folded */
	char **lowers; /* as folded but with their accents, for the stems */
	size_t n;
} pvdi_syn_form;

typedef struct pvdi_syn_group {
	pvdi_syn_form *forms;
	size_t n;
} pvdi_syn_group;

/* Every group of equivalent forms of data/synonymes.txt. */
const pvdi_syn_group *pvdi_synonyms(size_t *n);

/* The length of the longest form that words[0..n) starts with (0 when
 * none), with its group and form. */
size_t pvdi_synonyms_longest(const char *const *words, size_t n, size_t *group,
			     size_t *form);

/* ---- Snippets ------------------------------------------------------- */

typedef struct pvdi_snippet {
	char *text;
	pvd_span *spans;
	size_t n_spans;
} pvdi_snippet;

/*
 * The passage of text (about width bytes) where q's words are densest, cut
 * at word boundaries, with white space runs made single spaces and every
 * word that matches q (by its folded form, a stem, or a prefix) marked.
 * Returns 0 or -1 (out of memory).
 */
int pvdi_snippet_make(pvdi_snippet *out, const char *text, size_t len,
		      const pvdi_query *q, size_t width);
/*
 * The same for a text read a part at a time (pvdi_stored_read): begin
 * (once for a query), restart for each text, then make from each longer
 * start text[0..len) of it, which goes on walking where the last left
 * off.  start_only: the passage
 * pvdi_snippet_make would make from the whole text, or PVDI_SNIPPET_MORE
 * (nothing made) when what follows len might change it; otherwise the
 * passage of text[0..len) as if it were whole.
 */
#define PVDI_SNIPPET_MORE 1
typedef struct pvdi_passage pvdi_passage;
int pvdi_passage_begin(pvdi_passage **out, const pvdi_query *q, size_t width);
int pvdi_passage_make(pvdi_passage *p, pvdi_snippet *out, const char *text, size_t len,
		      int start_only);
void pvdi_passage_restart(pvdi_passage *p);
void pvdi_passage_end(pvdi_passage *p);
void pvdi_snippet_clear(pvdi_snippet *s);

/* ---- Results (xap-search.cc), for json.c --------------------------- */

/* What an answer says besides its hits. */
typedef struct pvdi_head {
	const char *query; /* as typed */
	uint64_t offset, limit;
	int facets; /* facets were asked for */
} pvdi_head;
void pvdi_results_head(const pvd_results *r, pvdi_head *out);
/* The i-th hit from the first (0), whatever pvd_results_next() has given:
 * PVD_OK with *out valid until the next call, PVD_DONE past the last. */
pvd_status pvdi_results_hit(pvd_results *r, size_t i, const pvd_hit **out);
/* Out of memory on r: its message says so; returns PVD_ENOMEM. */
pvd_status pvdi_results_oom(pvd_results *r);

/* ---- Small helpers --------------------------------------------------- */

/* The code point at s[i] (of s[0..len)) in *c, and its length in bytes;
 * an invalid byte is U+FFFD one byte long. */
size_t pvdi_utf8_at(const char *s, size_t len, size_t i, int32_t *c);

/* The start of the character that holds s[i]: i, or before it while s[i]
 * continues a UTF-8 sequence.  A text cut there keeps whole characters. */
size_t pvdi_char_start(const char *s, size_t i);

/* A copy of s[0..len) in which every invalid UTF-8 sequence is U+FFFD:
 * malloc'ed, NULL when out of memory. */
char *pvdi_utf8_repair(const char *s, size_t len);

/* ---- Paths (pathname.c) --------------------------------------------- */

/* Whether a path is valid UTF-8 throughout. */
int pvdi_path_is_utf8(const char *path);

/* A growable, NUL-terminated string: sbuf and sbuf_put (common/sbuf.h). */
#include "sbuf.h"

/* ---- Hashing (util.c) ------------------------------------------------ */

/* 64-bit FNV-1a: continue hash h over s[0..len); start from PVDI_FNV_START. */
#define PVDI_FNV_START 1469598103934665603ULL
uint64_t pvdi_fnv1a(uint64_t h, const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* PVD_PRIVATE_H */
