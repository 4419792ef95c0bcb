/*
 * xap-private.hh: what the C++ files of the Xapian shim share.  Only the
 * xap-*.cc files include it.
 */
#ifndef PVD_XAP_PRIVATE_H
#define PVD_XAP_PRIVATE_H

#include <string>
#include <sys/stat.h>
#include <vector>

#include <xapian.h>

#include "pvd-private.h"

/*
 * Call from inside a catch block: rethrows the exception in flight, maps it
 * to a status (most specific type first) and stores its message in err.
 * No exception leaves it.
 */
pvd_status pvdi_fail(std::string &err) noexcept;

/* Hand a message to a caller that has no handle yet (char **errmsg). */
void pvdi_give_msg(char **errmsg, const std::string &msg) noexcept;

/* printf into a string (for the translated messages, whose words may
 * come in another order).  May throw std::bad_alloc. */
std::string pvdi_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The lift for documents whose title holds every typed word, scale x the
 * share of the title they make, section numbers and stopwords left out of
 * the title's words (xap-title.cc); empty when a word has no stem, and with
 * a remote shard (remote) when db's titles are not all counted. */
Xapian::Query pvdi_title_share(const pvdi_query *q, double scale,
			       const Xapian::Database &db, bool remote);

/* A typed word's title stems as one OP_SYNONYM, or an empty query when it
 * has none (xap-title.cc). */
Xapian::Query pvdi_title_stems(const pvdi_qword &w);

/* What lifts a document whose title holds the query's words, whatever the
 * length of its body: each word by a fixed weight, its idf (xap-title.cc).
 * Empty when there is nothing to lift. */
Xapian::Query pvdi_title_boost(const pvdi_query *q, const Xapian::Database &db);

/*
 * "More like this" (xap-like.cc): the query that finds the documents
 * about the same things as the indexed document at path, that document
 * left out, into out, and its unique term into idterm; *q gets a query
 * whose stems are the terms chosen, for the snippets.  Returns PVD_OK, or
 * PVD_EINVAL (no such document, in err).  May throw Xapian errors and
 * std::bad_alloc; *q, once set, is the caller's to free, thrown or not.
 */
pvd_status pvdi_like(const Xapian::Database &db, const char *path, Xapian::Query &out,
		     std::string &idterm, pvdi_query **q, std::string &err);


/* An open index: one or several shards as one database (xap-index.cc). */
struct pvd_index {
	Xapian::Database db;
	bool remote = false;		     /* a shard is served by xapian-tcpsrv
					      * (tcp://, or a stub's remote line) */
	std::vector<std::string> names;	     /* as given, to open them again */
	std::vector<std::string> stubs;	     /* each local shard's stub, as last read */
	std::vector<struct stat> stub_stats; /* and its inode and time then */
	std::vector<struct stat> version_stats; /* its generation's iamglass, as
						 * last seen by refresh */
	mutable std::string err;	     /* set by const calls too (doccount) */
};

/* The values a page of hits shows (xap-hitvalues.cc), read from the value
 * streams for the documents of indexes whose stored text has no head
 * (hit-fields.c): made before it. */
struct pvdi_hit_values {
	bool ready = false;		 /* read() was called */
	std::vector<Xapian::docid> ids;	 /* the page's documents, ascending */
	std::vector<std::string> values; /* PVDI_SHOWN_SLOTS for each, "" for none */
	std::string one[PVDI_SHOWN_SLOTS]; /* of() for a document not read */
	/* Read the shown values of the page's hits, the first n of mset and
	 * n2 of mset2 (a remote shard's are left to of()); throws as Xapian
	 * does. */
	void read(const pvd_index *ix, const Xapian::MSet &mset, Xapian::doccount n,
		  const Xapian::MSet &mset2, Xapian::doccount n2);
	/* The PVDI_SHOWN_SLOTS values of did, whose document is doc. */
	const std::string *of(Xapian::docid did, const Xapian::Document &doc);
};

/* pvdi_fail() for a call on ix: a damaged index is named in the message,
 * since the daemon's log and pvd-search show only the message. */
pvd_status pvdi_index_fail(const pvd_index *ix, std::string &err) noexcept;

/* Monotonic seconds, and whether a deadline in them (0: none) has passed
 * (xap-search.cc). */
double pvdi_now();
bool pvdi_past(double deadline);

/* The query with each word the index does not know replaced by its closest
 * known word, or "" when there is nothing to suggest (xap-suggest.cc).
 * Bounded: the first PVDI_SUGGEST_WORDS unknown words, PVDI_SUGGEST_SCAN
 * terms of the vocabulary read in all, and the deadline; *cut says when a
 * bound left words unexamined. */
std::string pvdi_suggest(const Xapian::Database &db, const pvdi_query *q,
			 const std::string &text, double deadline, bool *cut);

#endif
