/*
 * pvd.h: the public C interface of libpvd, the library behind pvd-index,
 * pvd-search and pvd-searchd.  It owns the French text analysis and is the
 * only code that talks to Xapian.  C99 and C++ compatible; opaque handles.
 */
#ifndef PVD_H
#define PVD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PVD_API __attribute__((visibility("default")))
#else
#define PVD_API
#endif

/** Every fallible call returns one of these; PVD_OK is 0. */
typedef enum pvd_status {
	PVD_OK = 0,
	PVD_DONE,      /* an iterator has nothing more: not an error */
	PVD_EINVAL,    /* a bad argument: the message says which */
	PVD_ENOENT,    /* no index where one was expected */
	PVD_ELOCKED,   /* another writer holds the index */
	PVD_EMODIFIED, /* the index moved under a reader: reopen and retry */
	PVD_EQUERY,    /* the query could not be understood */
	PVD_ECORRUPT,  /* the index is damaged */
	PVD_EXAPIAN,   /* any other Xapian error */
	PVD_ENOMEM,    /* out of memory */
	PVD_EIO,       /* a system call failed */
	PVD_EINTERNAL  /* a bug */
} pvd_status;

/** Fixed English text for a status; never NULL, never to be freed. */
PVD_API const char *pvd_status_str(pvd_status st);

/** The library's version, "MAJOR.MINOR.PATCH". */
PVD_API const char *pvd_version(void);

/** Whether s is a real calendar date written YYYY-MM-DD (2020-02-30 is not). */
PVD_API int pvd_date_valid(const char *s);

/*
 * Where the index lives when no --db is given: $PVD_DB, else
 * $XDG_DATA_HOME/pvd/index, else $HOME/.local/share/pvd/index.
 * Returns a malloc'ed string (free() it), or NULL when none can be made.
 */
PVD_API char *pvd_default_db_path(void);

/* ------------------------------------------------------------------ */
/* Documents and the writer                                            */
/* ------------------------------------------------------------------ */

/** What the indexer knows of one file.  All strings are UTF-8. */
typedef struct pvd_doc {
	const char *path;	     /* unique key; shown to users */
	const char *title;	     /* may be NULL */
	const char *type;	     /* "article", "catalogue", "texte" or NULL */
	const char *date;	     /* "YYYY-MM-DD" or NULL */
	const char *const *communes; /* n_communes names, may be NULL */
	size_t n_communes;
	const char *text; /* the extracted body text */
	size_t text_len;
	uint64_t size;		 /* file size in bytes */
	int64_t mtime;		 /* seconds since the epoch */
	const char *stamp;	 /* what tells a changed file, or NULL:
				    see pvd_index_stamp() */
	const char *date_source; /* where date came from: "metadata", "text"
				    or "file" (its time: an estimate), or NULL */
} pvd_doc;

/* A document analysed and ready to be written: the costly part of adding
 * it, which any thread may do while one writer writes. */
typedef struct pvd_prepared pvd_prepared;

/**
 * Analyse doc (split, fold, stem) into *out, to be added with
 * pvd_writer_add_prepared().  Thread-safe: it touches no index.  Nothing
 * of doc is kept.  Returns PVD_OK, PVD_EINVAL (no path) or PVD_ENOMEM.
 */
PVD_API pvd_status pvd_prepare(pvd_prepared **out, const pvd_doc *doc);

/** The bytes a prepared document holds, to bound how many are in flight. */
PVD_API size_t pvd_prepared_size(const pvd_prepared *p);

PVD_API void pvd_prepared_free(pvd_prepared *p);

typedef struct pvd_writer pvd_writer;

/** pvd_writer_open() flags. */
enum {
	/* Build a new index beside the live one; pvd_writer_finish() switches
	 * readers to it at once and removes the old one. */
	PVD_WRITER_REBUILD = 1u << 0
};

/**
 * Open the index in dir for writing, creating dir and its parents when
 * needed.  dir holds a stub file (XAPIANDB) naming the live generation of
 * the index, so that a rebuild can replace it in one rename.  The lock
 * (dir/lock) is held until pvd_writer_close(): a second writer gets
 * PVD_ELOCKED at once, with a message naming the lock.
 * Returns PVD_OK, PVD_ELOCKED, PVD_EINVAL (dir holds something else than
 * an index), PVD_EIO, PVD_ECORRUPT, PVD_EXAPIAN or PVD_ENOMEM.  On failure
 * *errmsg gets a malloc'ed message (free() it) when errmsg is not NULL.
 */
PVD_API pvd_status pvd_writer_open(pvd_writer **out, const char *dir, unsigned flags,
				   char **errmsg);

/**
 * Analyse doc and add it, replacing any document with the same path.
 * Nothing of doc is kept after the call returns.
 */
PVD_API pvd_status pvd_writer_add(pvd_writer *w, const pvd_doc *doc);

/** Add a prepared document, replacing any with the same path. */
PVD_API pvd_status pvd_writer_add_prepared(pvd_writer *w, const pvd_prepared *p);

/** Delete the document with this path; PVD_OK also when there was none. */
PVD_API pvd_status pvd_writer_delete(pvd_writer *w, const char *path);

/**
 * Call fn with the path of every document whose path is prefix or starts
 * with prefix + "/" (every document when prefix is NULL), in path order.
 * fn must not change the index.
 */
PVD_API pvd_status pvd_writer_each_path(pvd_writer *w, const char *prefix,
					void (*fn)(const char *path, void *arg),
					void *arg);

/**
 * For a rebuild (PVD_WRITER_REBUILD): offer keep() the path of each
 * document of the index being replaced that the new one does not hold;
 * those it returns non-zero for are copied into the new index as they
 * are, the others left out.  Does nothing for other writers.
 */
PVD_API pvd_status pvd_writer_carry_over(pvd_writer *w,
					 int (*keep)(const char *path, void *arg),
					 void *arg);

/** The index's own metadata: *value is malloc'ed, "" for a key never set. */
PVD_API pvd_status pvd_writer_get_meta(pvd_writer *w, const char *key, char **value);
/** Set a metadata key; written with the next commit. */
PVD_API pvd_status pvd_writer_set_meta(pvd_writer *w, const char *key, const char *value);

/**
 * A file name as people read it: UTF-8 as it is, every byte that is not
 * part of valid UTF-8 read as Windows-1252 (a Latin-1 name from an old
 * share).  Malloc'ed (free() it), or NULL when out of memory.
 */
PVD_API char *pvd_path_display(const char *path);

/**
 * A path's real bytes, every one but ASCII letters, digits and -._~/
 * percent-encoded ("caf%E9.txt"), from which a program can open the file;
 * malloc'ed (free() it), or NULL when out of memory.
 */
PVD_API char *pvd_path_bytes(const char *path);

/** Make every change so far durable and visible to readers. */
PVD_API pvd_status pvd_writer_commit(pvd_writer *w);

/**
 * Commit, and for a rebuild switch readers to the new index and remove the
 * old one.  Without it, a rebuild is thrown away by pvd_writer_close().
 * A rebuild, a new index, and an index that has grown loose since it was
 * last compacted are first compacted into a new generation (readers switch
 * to it as to a rebuild); w writes on in it.
 */
PVD_API pvd_status pvd_writer_finish(pvd_writer *w);

/** The bytes on disk of the compacted index pvd_writer_finish() made, or 0. */
PVD_API uint64_t pvd_writer_compacted(const pvd_writer *w);

/**
 * Close w and release the lock; w may be NULL.  Pending changes are
 * committed first, but a rebuild that was not finished is thrown away.
 * Returns PVD_OK, or the status of the failed final commit (the changes
 * since the last successful commit are then lost); w is freed either way.
 */
PVD_API pvd_status pvd_writer_close(pvd_writer *w);

/** The last error on w; owned by w, valid until the next call on it. */
PVD_API const char *pvd_writer_errmsg(const pvd_writer *w);

/* ------------------------------------------------------------------ */
/* Reading and searching                                               */
/* ------------------------------------------------------------------ */

typedef struct pvd_index pvd_index;

/**
 * Open n_dbs indexes (shards) as one, read-only.  Each entry is a folder,
 * or anything else Xapian can open (a stub file naming remote shards).
 * Returns PVD_OK, PVD_ENOENT (a folder holds no index), PVD_ECORRUPT,
 * PVD_EXAPIAN, PVD_EINVAL or PVD_ENOMEM; *errmsg as for pvd_writer_open.
 */
PVD_API pvd_status pvd_index_open(pvd_index **out, const char *const *dbs, size_t n_dbs,
				  char **errmsg);

/** Close ix, after freeing the results it gave; ix may be NULL. */
PVD_API void pvd_index_close(pvd_index *ix);

/**
 * The last error on ix; owned by ix, valid until the next call on it.
 * With ix NULL (pvd_index_open() failed), "no index".
 */
PVD_API const char *pvd_index_errmsg(const pvd_index *ix);

/**
 * Number of documents in all shards, or 0 when it cannot be read: then
 * pvd_index_errmsg() is not empty and says why (it is emptied on success).
 */
PVD_API uint64_t pvd_index_doccount(const pvd_index *ix);

/**
 * Move ix to the latest commit of its indexes, and to a new generation
 * when pvd-index --full has switched one (it then opens it afresh).
 * Cheap when nothing changed: a long-lived reader calls it before each
 * search.  Returns PVD_OK or an error (ix stays as it was).
 */
PVD_API pvd_status pvd_index_refresh(pvd_index *ix);

/**
 * Where ix stands, for monitoring: *revision gets a malloc'ed text naming
 * each local shard's generation and Xapian revision ("gen-3:14"; "remote"
 * for a remote shard, whose address it does not give away), and
 * *updated the time of the newest commit (seconds since the epoch, 0 when
 * unknown).  Returns PVD_OK or an error.
 */
PVD_API pvd_status pvd_index_revision(pvd_index *ix, char **revision, int64_t *updated);

/**
 * The stamp the document at path was indexed with (pvd_doc.stamp): *out
 * is malloc'ed (free() it).  Returns PVD_OK, PVD_DONE when no document has
 * this path, or an error.
 */
PVD_API pvd_status pvd_index_stamp(pvd_index *ix, const char *path, char **out);

/** How results are ordered. */
typedef enum pvd_sort { PVD_SORT_RELEVANCE = 0, PVD_SORT_DATE } pvd_sort;

/** One search request.  Zero-initialise, then set what you need. */
/* Separates the values of one filter (type, commune, departement, region
 * of a pvd_request): "aspet\ncarbonne" keeps the documents of either. */
#define PVD_FILTER_SEP '\n'

/* A search.  Filters of different kinds must all hold; the values of one
 * kind, joined by PVD_FILTER_SEP, are alternatives. */
typedef struct pvd_request {
	const char *query;   /* the user's words, in pvd's query language; may
				be NULL or empty when a filter or like is given:
				the filtered documents, newest first */
	uint64_t offset;     /* hits to skip */
	uint64_t limit;	     /* hits to return; 0 means 10 */
	const char *type;    /* keep only this type (article, catalogue, texte,
				in any case, singular or plural), or NULL */
	const char *commune; /* keep only documents of this commune (any spelling,
				or its INSEE code), or NULL */
	const char *since;   /* "YYYY-MM-DD", "YYYY-MM" or "YYYY" inclusive (a
				month or year from its first day), or NULL */
	const char *until;   /* the same, a month or year up to its last day */
	pvd_sort sort;
	int facets;		 /* non-zero: count types, communes, years */
	double time_limit;	 /* seconds the whole search may take (match,
				    suggestion, facets, snippets), or 0 for no
				    limit: past it, the best hits found so far,
				    flagged by pvd_results_partial() */
	int file_dates;		 /* non-zero: since and until also keep dates
				    estimated from file times (left out otherwise) */
	const char *departement; /* keep only this département (code or name), or NULL */
	const char *region;	 /* keep only this région (name), or NULL */
	const char *like;	 /* the path of an indexed document: list the documents
				    about the same things, it left out; query may then
				    be NULL or empty */
} pvd_request;

typedef struct pvd_results pvd_results;

/**
 * Run req on ix.  Returns PVD_OK, PVD_EQUERY (the message says what is
 * wrong with the query), PVD_EINVAL (a bad filter), PVD_EMODIFIED, or a
 * Xapian status.  *out belongs to the caller: pvd_results_free() it,
 * before closing ix.
 */
PVD_API pvd_status pvd_search(pvd_results **out, pvd_index *ix, const pvd_request *req);

PVD_API void pvd_results_free(pvd_results *r);

/** Xapian's estimate of the number of matching documents. */
PVD_API uint64_t pvd_results_total(const pvd_results *r);

/** A highlighted stretch of a snippet, as byte offsets into it. */
typedef struct pvd_span {
	size_t start, end;
} pvd_span;

/** One hit.  Every pointer is owned by the results and valid until the
 * next pvd_results_next() or pvd_results_free(). */
typedef struct pvd_hit {
	uint64_t rank; /* 1-based, counting the offset */
	double score;
	const char *path;
	const char *title;
	const char *type;
	const char *date; /* "YYYY-MM-DD" or "" */
	const char *const *communes;
	size_t n_communes;
	const char *snippet;	    /* plain text, no markup */
	const pvd_span *highlights; /* sorted, not overlapping */
	size_t n_highlights;
	const char *date_source;	 /* "metadata", "text", "file" (estimated from
					    the file's time), or "" when the index does
					    not say (made before pvd kept it) */
	const char *const *departements; /* names, from the communes */
	size_t n_departements;
	const char *const *regions; /* names, from the communes */
	size_t n_regions;
	int missing_word; /* non-zero: the document lacks one of the query's
			     plain words (listed after those that have them all) */
} pvd_hit;

/**
 * Step to the next hit.  Returns PVD_OK with *out set, PVD_DONE after the
 * last one, or an error (PVD_EMODIFIED: the index moved, run the search
 * again).
 */
PVD_API pvd_status pvd_results_next(pvd_results *r, const pvd_hit **out);

/**
 * The whole answer as the JSON object of the contract (query, total,
 * offset, limit, hits, facets when asked, suggestion when one exists).
 * Iterates the hits itself, from the first, without moving the place of
 * pvd_results_next() (a hit it gave before is no longer valid).  *out is
 * malloc'ed: free() it.
 */
PVD_API pvd_status pvd_results_json(pvd_results *r, char **out);

/** One value of a facet and the number of matching documents that have it. */
typedef struct pvd_facet {
	const char *value;
	uint64_t count;
} pvd_facet;

/**
 * The counts of facet name ("type", "commune", "departement", "region" or
 * "year") over every
 * matching document, most frequent first, when the request asked for
 * facets.  *out is owned by r, valid until pvd_results_free().  Returns the
 * number of entries (0 for an unknown name or when none were asked for).
 */
PVD_API size_t pvd_results_facets(const pvd_results *r, const char *name,
				  const pvd_facet **out);

/**
 * The query with its unknown words replaced by the closest words of the
 * index, accents as the documents write them ("ingenieire" → "ingénierie"),
 * or NULL when every word is known.  Owned by r.
 */
PVD_API const char *pvd_results_suggestion(const pvd_results *r);

/**
 * Non-zero when the request's time_limit cut the answer short: the match
 * stopped early, a suggestion was not looked for, or hits went without
 * their snippet.  Settled once pvd_results_json() or the last
 * pvd_results_next() has run.
 */
PVD_API int pvd_results_partial(const pvd_results *r);

/** The last error on r; owned by r, valid until the next call on it. */
PVD_API const char *pvd_results_errmsg(const pvd_results *r);

#ifdef __cplusplus
}
#endif

#endif /* PVD_H */
