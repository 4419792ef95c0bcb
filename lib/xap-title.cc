/*
 * xap-title.cc: what the title weighs in the ranking, apart from the body.
 *
 * Each typed word in the title lifts a document by the word's idf, whatever
 * the length of its body: BM25 divides a title term's weight by the length
 * of the whole document, and a whole manual on one page ("GNU LilyPond –
 * Manuel de notation", 7 MB) lost its title to its 400 chapters.  The word
 * itself (not another of its stem) and the words as a phrase lift it more.
 *
 * The title share lifts a document whose title holds every typed word, the
 * more the shorter the title is: "LilyPond Manuel notation" finds the page
 * titled "GNU LilyPond – Manuel de notation" before its chapters titled
 * "GNU LilyPond – Manuel de notation: 1.7.1 …".
 */
#include <cmath>
#include <cstring>

#include "xap-private.hh"

namespace
{

/* Weight = scale × typed words / title words, over the titles (slot). */
class title_share : public Xapian::ValuePostingSource
{
      public:
	title_share(double scale, size_t n_words)
	    : Xapian::ValuePostingSource(PVDI_V_TITLE), scale_(scale), n_words_(n_words)
	{
		set_maxweight(scale);
	}
	double get_weight() const override
	{
		std::string title = get_value();
		size_t words = 0;
		pvdi_tokenize(title.data(), title.size(), 0, count, &words);
		if (words == 0)
			return 0;
		double share = (double)n_words_ / (double)words;
		return scale_ * (share > 1 ? 1 : share);
	}
	title_share *clone() const override
	{
		return new title_share(scale_, n_words_);
	}

      private:
	/* The words a query could hold: a section number ("7.23.") or a
	 * stopword does not make a title longer. */
	static int count(const pvdi_token *tok, void *arg)
	{
		const pvdi_forms *f = tok->forms;
		if (tok->alt || pvdi_is_stopword(f->folded, f->folded_len) ||
		    std::strspn(f->folded, "0123456789") == f->folded_len)
			return 0;
		++*static_cast<size_t *>(arg);
		return 0;
	}
	double scale_;
	size_t n_words_;
};

} // namespace

Xapian::Query
pvdi_title_stems(const pvdi_qword &w)
{
	std::vector<Xapian::Query> stems;
	for (int k = 0; k < 2; k++)
		if (w.stem[k])
			stems.push_back(
			    Xapian::Query(std::string(PVDI_P_TITLE) + w.stem[k]));
	if (stems.empty())
		return Xapian::Query();
	return Xapian::Query(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end());
}

Xapian::Query
pvdi_title_share(const pvdi_query *q, double scale)
{
	std::vector<Xapian::Query> all;
	for (size_t i = 0; i < q->n_typed; i++) {
		Xapian::Query stems = pvdi_title_stems(q->typed[i]);
		if (stems.empty())
			return Xapian::Query();
		all.push_back(stems);
	}
	/* One typed word and other words (a phrase: "Fonction ARRONDI.INF"
	 * types only "fonction"): the share of that word alone would lift
	 * "Fonction TRONQUE" above the page sought. */
	if (all.empty() || (all.size() == 1 && q->words.n > 1))
		return Xapian::Query();
	Xapian::Query in_title(Xapian::Query::OP_AND, all.begin(), all.end());
	Xapian::Query share((new title_share(scale, all.size()))->release());
	return Xapian::Query(Xapian::Query::OP_FILTER, share, in_title);
}

namespace
{

/* BM25's idf of a term (Xapian's formula, no relevance set). */
double
idf(const Xapian::Database &db, Xapian::doccount n)
{
	double all = db.get_doccount();
	double w = std::log((all - n + 0.5) / (n + 0.5));
	return w > 0.1 ? w : 0.1;
}

/* q weighing w wherever it matches, whatever the document's length. */
Xapian::Query
fixed_weight(const Xapian::Query &q, double w)
{
	Xapian::Query one((new Xapian::FixedWeightPostingSource(w))->release());
	return Xapian::Query(Xapian::Query::OP_FILTER, one, q);
}

/* The idf of the most common of q's terms: a word's stems are one. */
double
idf_of(const Xapian::Database &db, const Xapian::Query &q)
{
	Xapian::doccount n = 0;
	for (Xapian::TermIterator t = q.get_unique_terms_begin();
	     t != q.get_unique_terms_end(); ++t) {
		Xapian::doccount f = db.get_termfreq(*t);
		if (f > n)
			n = f;
	}
	return idf(db, n);
}

/* Whether a stem of w differs from w: then other words share it. */
bool
stemmed(const pvdi_qword &w)
{
	size_t skip = std::strlen(PVDI_P_STEM);
	for (int k = 0; k < 2; k++)
		if (w.stem[k] && std::strcmp(w.stem[k] + skip, w.folded) != 0)
			return true;
	return false;
}

} // namespace

Xapian::Query
pvdi_title_boost(const pvdi_query *q, const Xapian::Database &db)
{
	std::vector<Xapian::Query> words, phrase;
	double phrase_w = 0;
	for (size_t i = 0; i < q->n_typed; i++) {
		const pvdi_qword &w = q->typed[i];
		Xapian::Query stems = pvdi_title_stems(w);
		if (!stems.empty())
			words.push_back(fixed_weight(stems, idf_of(db, stems)));
		Xapian::Query word(std::string(PVDI_P_TITLE) + w.folded);
		double idf_w = idf_of(db, word);
		phrase_w += idf_w;
		/* the word itself beats another of its stem: "Ondulation" finds
		 * "Ondulation" before "Onduler"; a word that is its own stem
		 * ("2021", "DETR") is lifted once */
		if (stemmed(w))
			words.push_back(fixed_weight(word, idf_w));
		phrase.push_back(word);
	}
	if (words.empty())
		return Xapian::Query();
	Xapian::Query boost(Xapian::Query::OP_OR, words.begin(), words.end());
	if (phrase.size() >= 2) {
		/* stopwords left out of the typed words may sit between them */
		Xapian::Query near(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(),
				   phrase.size() + 3);
		boost = Xapian::Query(Xapian::Query::OP_OR, boost,
				      fixed_weight(near, phrase_w));
	}
	return boost;
}
