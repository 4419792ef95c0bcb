/*
 * indexer.h: what the files of pvd-index share: walking folders, telling a
 * file's kind, decoding it to UTF-8 and extracting its text and metadata.
 */
#ifndef PVD_INDEXER_H
#define PVD_INDEXER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "cli.h"
#include "sbuf.h" /* the extractors' growable text */
#include "utf8.h"

/* ---- walk.c ------------------------------------------------------------ */

/* Called for each regular file reached, with its canonical path (links,
 * "." and ".." resolved, absolute). */
typedef void (*walk_file_fn)(const char *path, const struct stat *st, void *arg);
/* Called for what cannot be walked, with a reason. */
typedef void (*walk_error_fn)(const char *path, const char *reason, void *arg);

typedef struct walker walker;

/* A folder (or file) a walk covered: a PATH, or a folder reached through
 * a link, which lives under its own name.  What the index holds under it
 * and the walk did not reach is gone. */
typedef struct walk_root {
	char *path;	     /* canonical */
	unsigned long files; /* regular files reached under it (its links' too) */
	int parent;	     /* the root it was reached from, or -1 */
	int path_arg;	     /* which PATH (walker_run's path_arg), or -1 for a link */
	int reached_before;  /* through another root: its files counted there */
} walk_root;

walker *walker_new(walk_file_fn on_file, walk_error_fn on_error, void *arg);
/* Walk root (a file or a folder), in name order, following links but
 * never reaching the same file or folder twice.  Returns 0, or -1 when
 * root itself cannot be reached (on_error said why). */
int walker_run(walker *w, const char *root, int path_arg);
/* The roots walked so far, in the order met. */
size_t walker_roots(const walker *w, const walk_root **out);
/* The folders that could not be listed (canonical). */
size_t walker_unreadable(const walker *w, char *const **out);
void walker_free(walker *w);

/* Whether path is dir or lies under it ("/" and "" hold every absolute
 * path). */
int path_under(const char *path, const char *dir);

/* ---- detect.c ------------------------------------------------------------ */

typedef enum file_kind {
	KIND_TEXT,
	KIND_MARKDOWN,
	KIND_HTML,
	KIND_PDF,
	KIND_ODT,  /* OpenDocument text */
	KIND_DOCX, /* Word 2007 and later */
	KIND_EMPTY,
	KIND_OTHER
} file_kind;

typedef struct detector detector;

detector *detector_new(char **errmsg);
void detector_free(detector *d);
/* How many files libmagic was asked about (most are decided before it). */
size_t detector_magic_calls(const detector *d);
/* The kind of a file from its first bytes (libmagic, corrected by a sniff
 * and the name as a hint).  mime receives libmagic's answer, for reasons. */
file_kind detect_kind(detector *d, const char *path, const char *buf, size_t len,
		      char *mime, size_t mime_cap);

/* ---- decode.c ------------------------------------------------------------ */

/*
 * Decode buf to UTF-8: a BOM decides first, then a declared charset (may be
 * NULL), then valid UTF-8 stays UTF-8 (a few bad sequences become U+FFFD,
 * counted in *n_bad), and anything else is read as Windows-1252.
 * Returns malloc'ed NUL-terminated text, its length in *out_len, or NULL.
 */
char *decode_text(const char *buf, size_t len, const char *charset, size_t *out_len,
		  size_t *n_bad);

/* utf8_valid() and utf8_seq_len(): common/utf8.h */

/* ---- extraction ---------------------------------------------------------- */

/* What a file yields.  Every string is malloc'ed UTF-8, or NULL. */
typedef struct extracted {
	char *text;
	size_t text_len;
	char *title;
	char *date;
	char *type;
	char *description; /* HTML <meta name="description">: indexed with the text */
	char **communes;
	size_t n_communes;
	size_t n_bad; /* invalid UTF-8 sequences replaced */
} extracted;

void extracted_clear(extracted *x);

/* Split "Aspet; Saint-Martory, Salies-du-Salat" into x->communes. */
int add_communes(extracted *x, const char *list);

/* Set x->date from a date written YYYY-MM-DD at the start of s (a time may
 * follow, as in 2021-03-04T10:00:00Z); ignores anything else. */
void set_date(extracted *x, const char *s);

/* Plain text and Markdown: front matter, then the body. */
int extract_text(extracted *x, const char *buf, size_t len, int markdown);

/* Markdown to plain text, in place; returns the new length. */
size_t markdown_to_text(char *text, size_t len);

/* Read a front matter block at the very top of text; returns how many
 * bytes it took (0 when there is none) and fills x's fields. */
size_t read_front_matter(extracted *x, const char *text, size_t len);

/* HTML and XHTML through libxml2. */
int extract_html(extracted *x, const char *buf, size_t len, char **reason);

/* ---- fields.c -------------------------------------------------------------- */

/* The type a folder gives: articles/ → article, catalogues/ → catalogue,
 * textes/ → texte (the nearest such folder in path wins), else NULL. */
const char *type_from_path(const char *path);

/* Whether s is one of the three types. */
int valid_type(const char *s);

/* A site's own folder names (pvd-index --type-dir NAME=TYPE): NAME is a
 * folder name or a shell pattern (Arrêtés*), case and accents aside as
 * Unicode folds them.  type_from_path() tries them before the built-in
 * names.  Call before any thread reads them.  0, or -1 with *msg (static). */
int type_dir_add(const char *spec, const char **msg);
void type_dirs_clear(void);

/* ---- config.c ---------------------------------------------------------- */

/* Read pvd-index's configuration file, if any ($PVD_INDEX_CONFIG, else
 * $XDG_CONFIG_HOME/pvd/pvd-index.conf or ~/.config/pvd/pvd-index.conf, else
 * /etc/pvd/pvd-index.conf): "type-dir = NAME=TYPE" lines.  0, or -1 after
 * printing which line is wrong. */
int config_load(void);

/* ---- doctype.c --------------------------------------------------------- */

/* The type a document's content gives when nothing else does: "texte" for
 * an act (Vu…, Arrête, Article 1er; a title opening with Arrêté, Décret,
 * Circulaire, Instruction…), "catalogue" for a measure sheet (Partenaire :,
 * Bénéficiaires :, Montant :, Nature de l'aide :…), else "article". */
const char *type_from_content(const char *title, const char *text, size_t len);

/* Communes from a "Tags : Aspet, Saint-Martory" line of x->text, as blog
 * platforms print them (also Tag(s), Étiquettes, Mots-clés). */
int communes_from_tags(extracted *x);

/* ---- dates.c ----------------------------------------------------------- */

/* A date written in French ("16 octobre 2020", "1er janvier 2024") in the
 * first 2,000 bytes of text, as YYYY-MM-DD in out; 1 when found. */
int french_date(const char *text, size_t len, char out[11]);

/* The date of an administrative act: its (last) signature line ("Fait à
 * Aspet, le 12 juillet 2021", "Toulouse, le 16 mai 2022", "Le 3 mars 2022,
 * le préfet"), else the "du [date]" of its title (title, or the text's
 * first line when NULL), else french_date().  1 when found. */
int act_date(const char *title, const char *text, size_t len, char out[11]);

/* The date of one line (no newline in it) when it is a signature line. */
int signature_date(const char *line, size_t n, char out[11]);

/* The "du [date]" of a title ("Arrêté n° 12 du 3 mars 2022"). */
int title_date(const char *title, size_t n, char out[11]);

/* ---- extract-pdf.c, extract-office.c ----------------------------------------- */

/*
 * These fill x (text, title, date) from a whole file in memory and return 0,
 * or -1 when the file cannot be read, with *reason a malloc'ed message for
 * the user (NULL when memory ran out).  The caller frees *reason.
 */

/*
 * PDF through poppler: the pages' text in order, one newline between
 * pages, hyphenated line ends joined, ligatures expanded; Title and
 * CreationDate from the document information.  A PDF with no text at all
 * (a scan) or one locked by a password returns 0 with *skip = 1 and the
 * *reason for skipping it ("no text"); x then holds no text.  At most
 * 5,000 pages and 64 MiB of text are read.
 */
int extract_pdf(extracted *x, const char *buf, size_t len, char **reason, int *skip);

/* OpenDocument text: content.xml, then dc:title and meta:creation-date (else
 * dc:date) from meta.xml.  A zip entry inflating past 256 MiB is refused. */
int extract_odt(extracted *x, const char *buf, size_t len, char **reason);

/* Word (DOCX): word/document.xml, then dc:title and dcterms:created from
 * docProps/core.xml.  A zip entry inflating past 256 MiB is refused. */
int extract_docx(extracted *x, const char *buf, size_t len, char **reason);

#endif
