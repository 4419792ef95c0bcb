/*
 * xap-private.hh: what the C++ files of the Xapian shim share.  Only the
 * xap-*.cc files include it.
 */
#ifndef PVD_XAP_PRIVATE_H
#define PVD_XAP_PRIVATE_H

#include <string>

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

/* The lift for documents whose title holds every typed word, scale x the
 * share of the title they make, section numbers and stopwords left out of
 * the title's words (xap-title.cc); empty when a word has no stem.  Local
 * indexes only: a remote shard knows no such source. */
Xapian::Query pvdi_title_share(const pvdi_query *q, double scale);

/* A typed word's title stems as one OP_SYNONYM, or an empty query when it
 * has none (xap-title.cc). */
Xapian::Query pvdi_title_stems(const pvdi_qword &w);

/* What lifts a document whose title holds the query's words, whatever the
 * length of its body (xap-title.cc); fixed false weighs the title's terms
 * by BM25 instead.  Empty when there is nothing to lift. */
Xapian::Query pvdi_title_boost(const pvdi_query *q, const Xapian::Database &db, bool fixed);

/*
 * "More like this" (xap-like.cc): the query that finds the documents
 * about the same things as the indexed document at path, that document
 * left out, into out, and its unique term into idterm; *q gets a query whose stems are the terms chosen,
 * for the snippets.  Returns PVD_OK, or PVD_EINVAL (no such document, in
 * err).  May throw Xapian errors.
 */
pvd_status pvdi_like(const Xapian::Database &db, const char *path, Xapian::Query &out,
		     std::string &idterm, pvdi_query **q, std::string &err);


#endif
