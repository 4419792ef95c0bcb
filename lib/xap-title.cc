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

/* The share of a title holding n_words of the typed words: the whole
 * scale when it has no other word. */
double
share_of(double scale, size_t n_words, size_t title_words)
{
	if (title_words == 0)
		return 0;
	double share = (double)n_words / (double)title_words;
	return scale * (share > 1 ? 1 : share);
}

/* The share read from the title itself, for local indexes (those made
 * before titles had their count, PVDI_V_TITLE_WORDS, included): pvd's own
 * source, which xapian-tcpsrv does not know. */
class title_share : public Xapian::ValuePostingSource
{
      public:
	title_share(double scale, size_t n_words)
	    : Xapian::ValuePostingSource(PVDI_V_TITLE), scale_(scale), n_words_(n_words)
	{
		set_maxweight(scale);
	}
	/* ValuePostingSource::init() sets the bound to DBL_MAX: restored,
	 * the matcher finds the same first hits as with Xapian's own map */
	void init(const Xapian::Database &index) override
	{
		Xapian::ValuePostingSource::init(index);
		set_maxweight(scale_);
	}
	double get_weight() const override
	{
		std::string title = get_value();
		return share_of(scale_, n_words_,
				pvdi_title_words(title.data(), title.size()));
	}
	title_share *clone() const override
	{
		return new title_share(scale_, n_words_);
	}

      private:
	double scale_;
	size_t n_words_;
};

/* The share as a map from the title's count to its weight: one of
 * Xapian's own sources, so a remote shard weighs it as a local one. */
Xapian::PostingSource *
counted_share(double scale, size_t n_words)
{
	auto *map = new Xapian::ValueMapPostingSource(PVDI_V_TITLE_WORDS);
	for (size_t words = 1; words <= PVDI_TITLE_WORDS_CAP; words++)
		map->add_mapping(std::to_string(words), share_of(scale, n_words, words));
	return map;
}

/* Whether every titled document of db has its title's count: an index
 * (or a shard) made before the count, or updated since without --full,
 * has titles without one. */
bool
titles_counted(const Xapian::Database &db)
{
	Xapian::doccount counted = db.get_value_freq(PVDI_V_TITLE_WORDS);
	return counted > 0 && counted == db.get_value_freq(PVDI_V_TITLE);
}

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
pvdi_title_share(const pvdi_query *q, double scale, const Xapian::Database &db,
		 bool remote)
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
	/* Locally, the title itself: the same weights, without reading the
	 * count's statistics or building the map at each launch. */
	Xapian::PostingSource *source;
	if (!remote)
		source = new title_share(scale, all.size());
	else if (titles_counted(db))
		source = counted_share(scale, all.size());
	else
		return Xapian::Query(); /* see docs/SCALING.md, "Ranking" */
	Xapian::Query in_title(Xapian::Query::OP_AND, all.begin(), all.end());
	Xapian::Query share(source->release());
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
