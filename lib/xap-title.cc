/*
 * xap-title.cc: a lift for the documents whose title holds every typed
 * word, the more the shorter the title is.  "LilyPond Manuel notation"
 * must find the page titled "GNU LilyPond – Manuel de notation" before its
 * 400 chapters titled "GNU LilyPond – Manuel de notation: 1.7.1 …", and
 * BM25 cannot tell them apart: the words are in every title, and the
 * lengths it weighs are the bodies'.  The share of the title the query
 * covers can.
 */
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
	static int count(const pvdi_token *tok, void *arg)
	{
		if (!tok->alt)
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
	if (all.size() < 2)
		return Xapian::Query();
	Xapian::Query in_title(Xapian::Query::OP_AND, all.begin(), all.end());
	Xapian::Query share((new title_share(scale, all.size()))->release());
	return Xapian::Query(Xapian::Query::OP_FILTER, share, in_title);
}
