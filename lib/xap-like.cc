/*
 * xap-like.cc: documents like a given one.  The document's most telling
 * stems (tf-idf over the index: used often by it, seldom elsewhere) make
 * a weighted OR query; the documents that share most of them, the rarest
 * counting most, come first.  Xapian's relevance feedback (ESet) with a
 * single document picks the stems no other document has, which find
 * nothing: tf-idf over shared stems does better on the sample corpus.
 */
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "xap-private.hh"

namespace
{

/* A term of the document and how well it tells what the document is about. */
struct telling {
	std::string term;
	double weight;
};

/* The document with this path, as given or as the file's real path. */
Xapian::docid
find_doc(const Xapian::Database &db, const char *path, std::string &idterm)
{
	std::vector<std::string> tries{path};
	errno = 0;
	std::unique_ptr<char, void (*)(void *)> real(realpath(path, nullptr), free);
	if (real)
		tries.push_back(real.get());
	else if (errno == ENOMEM)
		throw std::bad_alloc(); /* not "no such document" */
	for (const auto &p : tries) {
		char id[PVDI_ID_TERM_CAP];
		pvdi_id_term(id, sizeof id, p.c_str());
		Xapian::PostingIterator pi = db.postlist_begin(id);
		if (pi != db.postlist_end(id)) {
			idterm = id;
			return *pi;
		}
	}
	return 0;
}

} // namespace

pvd_status
pvdi_like(const Xapian::Database &db, const char *path, Xapian::Query &out,
	  std::string &idterm, pvdi_query **q, std::string &err)
{
	enum { TERMS = 30 };
	*q = nullptr;
	Xapian::docid did = find_doc(db, path, idterm);
	if (!did) {
		err = pvdi_format(_("no document with the path \"%s\" in the index "
				    "(give it as pvd-search lists it)"),
				  path);
		return PVD_EINVAL;
	}
	/* Its word stems (Z...: no titles, ids, filters, accent forms), each
	 * weighed by how often the document uses it and how rare it is;
	 * left out, those no other document has (they would find nothing)
	 * and those half the documents have (they tell nothing). */
	double n = (double)db.get_doccount();
	std::vector<telling> v;
	for (auto t = db.termlist_begin(did); t != db.termlist_end(did); ++t) {
		const std::string &term = *t;
		if (term.size() < 4 || term[0] != 'Z' || term[1] < 'a' || term[1] > 'z')
			continue;
		double tf = t.get_termfreq();
		if (tf < 2 || tf > n / 2)
			continue;
		v.push_back(
		    {term, (1 + std::log((double)t.get_wdf())) * std::log(n / tf)});
	}
	std::sort(v.begin(), v.end(),
		  [](const telling &a, const telling &b) { return a.weight > b.weight; });
	if (v.size() > TERMS)
		v.resize(TERMS);
	/* the caller's from here, freed by it whatever is thrown */
	pvdi_query *like = static_cast<pvdi_query *>(calloc(1, sizeof *like));
	if (!(*q = like))
		throw std::bad_alloc();
	std::vector<Xapian::Query> terms;
	for (const auto &t : v) {
		terms.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
					      Xapian::Query(t.term),
					      t.weight / v[0].weight));
		if (pvdi_strset_add(&like->stems, t.term.c_str() + 1))
			throw std::bad_alloc();
	}
	Xapian::Query any = terms.empty() ? Xapian::Query::MatchNothing
					  : Xapian::Query(Xapian::Query::OP_OR,
							  terms.begin(), terms.end());
	out = Xapian::Query(Xapian::Query::OP_AND_NOT, any, Xapian::Query(idterm));
	return PVD_OK;
}
