/*
 * xap-search.cc: running a pvd_request through Xapian (filters, facets,
 * the relaxed query, the suggestion from xap-suggest.cc), and handing hits
 * back one at a time with their snippets.  The query tree comes from
 * query.c, the open index from xap-index.cc.
 */
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <time.h>
#include <vector>

#include "places.h"
#include "xap-private.hh"

namespace
{

/* fn(piece) for each piece of a value that joins several with '\n'
 * (communes, départements, régions), empty ones included. */
template <class Fn>
void
each_line(const std::string &v, Fn fn)
{
	size_t from = 0;
	while (from < v.size()) {
		size_t nl = v.find('\n', from);
		if (nl == std::string::npos)
			nl = v.size();
		fn(v.substr(from, nl - from));
		from = nl + 1;
	}
}

/* Counts the values of one slot over every match; a slot may hold several
 * values separated by '\n' (communes). */
class facet_spy : public Xapian::MatchSpy
{
      public:
	explicit facet_spy(Xapian::valueno slot) : slot_(slot)
	{
	}
	void operator()(const Xapian::Document &doc, double) override
	{
		each_line(doc.get_value(slot_), [this](std::string one) {
			if (!one.empty())
				counts_[one]++;
		});
	}
	const std::map<std::string, uint64_t> &counts() const
	{
		return counts_;
	}

      private:
	Xapian::valueno slot_;
	std::map<std::string, uint64_t> counts_;
};

struct facet_list {
	std::vector<std::string> values;
	std::vector<pvd_facet> v;
};

/* The '\n'-joined names of a value slot, as C strings for a hit. */
struct name_list {
	std::vector<std::string> names;
	std::vector<const char *> ptrs;
	void read(const std::string &raw)
	{
		names.clear();
		ptrs.clear();
		each_line(raw, [this](std::string one) { names.push_back(one); });
		for (const auto &n : names)
			ptrs.push_back(n.c_str());
	}
};

} // namespace

struct pvd_results {
	pvd_index *ix = nullptr;
	double deadline = 0;	/* monotonic seconds the answer is due by, 0: none */
	bool partial = false;	/* the deadline cut something short */
	std::string suggestion; /* empty when every word is known */
	pvdi_query *q = nullptr;
	Xapian::MSet mset;
	size_t next = 0; /* pvd_results_next()'s hit: mset's, then mset2's */
	uint64_t offset = 0;
	std::string err;
	std::string query_text;
	uint64_t limit = 10;
	bool facets = false;
	facet_list facet_type, facet_commune, facet_year, facet_dept, facet_region;
	/* When too few documents have every plain word, those missing one
	 * follow (relaxed): n_strict documents first, then mset2. */
	bool relaxed = false;
	uint64_t n_strict = 0;
	Xapian::MSet mset2;
	/* the current hit */
	pvd_hit hit{};
	std::string path, title, type, date, date_source;
	name_list communes, depts, regions;
	pvdi_snippet snippet{};
	pvdi_passage *passage = nullptr; /* finds each hit's snippet */
	pvdi_hit_values page; /* what the page's hits show, read at the first */
	/* mset's hits on the page (it may hold more: see matches()), then
	 * mset2's */
	Xapian::doccount shown() const
	{
		return std::min(mset.size(), Xapian::doccount(limit));
	}
	Xapian::doccount shown2() const
	{
		return std::min(mset2.size(), Xapian::doccount(limit) - shown());
	}

	~pvd_results()
	{
		pvdi_passage_end(passage);
		pvdi_query_free(q);
		pvdi_snippet_clear(&snippet);
	}
};

double
pvdi_now()
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

bool
pvdi_past(double deadline)
{
	return deadline > 0 && pvdi_now() >= deadline;
}

namespace
{

Xapian::Query
to_xapian(const pvdi_qnode *n, unsigned wildcard_limit)
{
	std::vector<Xapian::Query> kids;
	switch (n->kind) {
	case PVDI_Q_TERM:
		if (n->scale > 0)
			return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
					     Xapian::Query(n->term), n->scale);
		return Xapian::Query(n->term);
	case PVDI_Q_FILTER:
		return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
				     Xapian::Query(n->term), 0.0);
	case PVDI_Q_WILDCARD:
		/* Bounded: a two-letter prefix must not expand to the whole
		 * vocabulary, and all the wildcards share one budget. */
		return Xapian::Query(Xapian::Query::OP_WILDCARD, n->term, wildcard_limit,
				     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
				     Xapian::Query::OP_SYNONYM);
	case PVDI_Q_ALL:
		return Xapian::Query::MatchAll;
	default:
		break;
	}
	for (size_t i = 0; i < n->n_kids; i++)
		kids.push_back(to_xapian(n->kids[i], wildcard_limit));
	switch (n->kind) {
	case PVDI_Q_SYNONYM:
		return Xapian::Query(Xapian::Query::OP_SYNONYM, kids.begin(), kids.end());
	case PVDI_Q_PHRASE:
		return Xapian::Query(Xapian::Query::OP_PHRASE, kids.begin(), kids.end(),
				     kids.size());
	case PVDI_Q_OR:
		return Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
	case PVDI_Q_AND_NOT:
		return Xapian::Query(Xapian::Query::OP_AND_NOT, kids.begin(), kids.end());
	case PVDI_Q_AND_MAYBE:
		return Xapian::Query(Xapian::Query::OP_AND_MAYBE, kids.begin(),
				     kids.end());
	case PVDI_Q_AND: {
		/* Filters restrict without weighing in. */
		std::vector<Xapian::Query> scored, filters;
		for (size_t i = 0; i < n->n_kids; i++)
			(n->kids[i]->kind == PVDI_Q_FILTER ? filters : scored)
			    .push_back(kids[i]);
		if (scored.empty())
			return Xapian::Query(Xapian::Query::OP_AND, filters.begin(),
					     filters.end());
		Xapian::Query q(Xapian::Query::OP_AND, scored.begin(), scored.end());
		if (filters.empty())
			return q;
		return Xapian::Query(
		    Xapian::Query::OP_FILTER, q,
		    Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
	}
	default:
		return Xapian::Query();
	}
}

Xapian::Query
boolean_term(const char *prefix, const char *value)
{
	char key[PVDI_FORM_CAP];
	pvdi_filter_key(key, sizeof key, value);
	return Xapian::Query(std::string(prefix) + key);
}

/* Each value of a filter: values joined by PVD_FILTER_SEP ("\n") are
 * several, any of which will do. */
std::vector<std::string>
filter_values(const char *joined)
{
	std::vector<std::string> v;
	if (!joined)
		return v;
	for (const char *p = joined;;) {
		const char *sep = std::strchr(p, PVD_FILTER_SEP);
		std::string one(p, sep ? (size_t)(sep - p) : std::strlen(p));
		if (one.find_first_not_of(" \t") != std::string::npos)
			v.push_back(one);
		if (!sep)
			break;
		p = sep + 1;
	}
	return v;
}

/* Whether req has a filter with a value. */
bool
has_filter(const pvd_request *req)
{
	const char *v[] = {req->type,	req->commune, req->departement,
			   req->region, req->since,   req->until};
	for (const char *one : v)
		if (one && one[strspn(one, " \t\n")])
			return true;
	return false;
}

/* The request's filters, or an empty query when there are none: any value
 * of one kind, and every kind. */
pvd_status
filters_of(Xapian::Query &out, const pvd_request *req, std::string &err)
{
	std::vector<Xapian::Query> f;
	std::vector<Xapian::Query> any;
	for (const auto &t : filter_values(req->type)) {
		const char *type = pvdi_type_of(t.c_str());
		if (!type) {
			err = pvdi_format(_(PVDI_TYPE_ERROR_FMT), t.c_str());
			return PVD_EINVAL;
		}
		any.push_back(boolean_term(PVDI_P_TYPE, type));
	}
	if (!any.empty())
		f.push_back(Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()));
	/* places in any spelling: a commune, a département, a région */
	const char *kinds[] = {"commune", "departement", "region"};
	const char *values[] = {req->commune, req->departement, req->region};
	for (int i = 0; i < 3; i++) {
		any.clear();
		for (const auto &value : filter_values(values[i])) {
			char term[PVDI_PLACE_KEY_CAP + 8];
			int known =
			    pvdi_place_filter(term, sizeof term, kinds[i], value.c_str());
			if (!known && i > 0) {
				err = pvdi_format(
				    i == 1
					? _("no département is called \"%s\" (a code "
					    "such as 31, 2A, 974, or a name)")
					: _("no région is called \"%s\" (a name such as "
					    "Occitanie)"),
				    value.c_str());
				return PVD_EINVAL;
			}
			any.push_back(Xapian::Query(term));
		}
		if (!any.empty())
			f.push_back(
			    Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end()));
	}
	const char *dates[2] = {req->since, req->until};
	std::vector<Xapian::Query> period;
	for (int i = 0; i < 2; i++) {
		if (!dates[i] || !*dates[i])
			continue;
		char day[11];
		if (!pvdi_date_bound(day, dates[i], i == 1)) {
			err = pvdi_format(_("%s is not a date (YYYY, YYYY-MM or "
					    "YYYY-MM-DD): %s"),
					  i ? "until" : "since", dates[i]);
			return PVD_EINVAL;
		}
		period.push_back(Xapian::Query(i == 0 ? Xapian::Query::OP_VALUE_GE
						      : Xapian::Query::OP_VALUE_LE,
					       PVDI_V_DATE, day));
	}
	if (!period.empty()) {
		Xapian::Query in(Xapian::Query::OP_AND, period.begin(), period.end());
		/* A date guessed from the file's time (a copy made today) says
		 * nothing of the document: a period leaves it out unless asked. */
		if (!req->file_dates)
			in = Xapian::Query(
			    Xapian::Query::OP_AND_NOT, in,
			    Xapian::Query(std::string(PVDI_P_DATE_SOURCE) + "file"));
		f.push_back(in);
	}
	if (!f.empty())
		out = Xapian::Query(Xapian::Query::OP_AND, f.begin(), f.end());
	return PVD_OK;
}

void
fill_facet(facet_list &fl, const facet_spy &spy)
{
	for (const auto &kv : spy.counts())
		fl.values.push_back(kv.first);
	size_t i = 0;
	for (const auto &kv : spy.counts())
		fl.v.push_back(pvd_facet{fl.values[i++].c_str(), kv.second});
	std::stable_sort(
	    fl.v.begin(), fl.v.end(),
	    [](const pvd_facet &a, const pvd_facet &b) { return a.count > b.count; });
}

} // namespace

/* How much a title made only of the typed words lifts its document (the
 * BM25 weights of a hit are 2 to 20).  On the Debian corpus
 * (bench/known-item.py, 2-3 rarest title words) 2 gives MRR@10 0.878, 15
 * 0.899, 40 0.903, 100 0.910: 40 leaves the body's BM25 a say between two
 * titles that both hold every word (docs/PERFORMANCE.md). */
#ifndef PVD_TITLE_SHARE
#define PVD_TITLE_SHARE 40.0
#endif
#define PVDI_TITLE_SHARE PVD_TITLE_SHARE

namespace
{

/* The AND of the query's own level, whose loose kids may be relaxed. */
const pvdi_qnode *
top_and(const pvdi_qnode *root)
{
	if (root && root->kind == PVDI_Q_AND_NOT && root->n_kids > 0)
		root = root->kids[0];
	return root && root->kind == PVDI_Q_AND ? root : nullptr;
}

/*
 * The documents that lack exactly one of the query's plain words: for
 * each loose word, every other kid of the AND (filters, phrases, +words
 * included), the negatives still taken away; empty when the query has
 * fewer than two plain words.
 */
Xapian::Query
relaxed_query(const pvdi_qnode *root, unsigned wildcard_limit)
{
	const pvdi_qnode *all = top_and(root);
	if (!all)
		return Xapian::Query();
	std::vector<size_t> loose;
	for (size_t i = 0; i < all->n_kids; i++)
		if (all->kids[i]->loose)
			loose.push_back(i);
	if (loose.size() < 2 || loose.size() > 12)
		return Xapian::Query();
	std::vector<Xapian::Query> variants;
	std::vector<pvdi_qnode *> kids;
	for (size_t drop : loose) {
		kids.clear();
		for (size_t i = 0; i < all->n_kids; i++)
			if (i != drop)
				kids.push_back(all->kids[i]);
		pvdi_qnode part{};
		part.kind = PVDI_Q_AND;
		part.kids = kids.data();
		part.n_kids = kids.size();
		Xapian::Query q =
		    to_xapian(kids.size() == 1 ? kids[0] : &part, wildcard_limit);
		if (kids.size() == 1 && kids[0]->kind == PVDI_Q_FILTER)
			continue; /* nothing left to match but a filter */
		variants.push_back(q);
	}
	if (variants.empty())
		return Xapian::Query();
	Xapian::Query q(Xapian::Query::OP_OR, variants.begin(), variants.end());
	if (root->kind == PVDI_Q_AND_NOT) {
		std::vector<Xapian::Query> minus{q};
		for (size_t i = 1; i < root->n_kids; i++)
			minus.push_back(to_xapian(root->kids[i], wildcard_limit));
		q = Xapian::Query(Xapian::Query::OP_AND_NOT, minus.begin(), minus.end());
	}
	return q;
}

} // namespace

/*
 * The matches from first on, of which the page is the first limit.  Xapian 1.4's matcher
 * can leave a document out of a page of fewer items than check_at_least: an AND_MAYBE of
 * two terms on the bench corpus (Zfenetr, SZfenetr) gave, for "-n 3", the 1st, 2nd and
 * 4th hits of "-n 100"; 38 pages of 1,725 (the bench queries' words, pages
 * of 1 to 20, checks of 50 to 300) left one out, none when Xapian is asked
 * for check_at_least items.  So it is, and the page is their head.  A
 * check of every document (facets) prunes nothing: 0 of 1,150, and a
 * page of thousands would cost a heap of them.
 */
static Xapian::MSet
matches(const Xapian::Enquire &enq, uint64_t first, uint64_t limit,
	Xapian::doccount check, uint64_t docs)
{
	Xapian::doccount want = Xapian::doccount(limit);
	if (check < docs)
		want = std::max(want, check);
	return enq.get_mset(Xapian::doccount(first), want, check);
}

extern "C" pvd_status
pvd_search(pvd_results **out, pvd_index *ix, const pvd_request *req)
{
	*out = nullptr;
	pvd_results *r = nullptr;
	pvdi_query *q = nullptr; /* freed here until r holds it */
	try {
		char *msg = nullptr;
		bool words = req->query && req->query[strspn(req->query, " \t\n")];
		Xapian::Query query, like;
		std::string like_id;
		pvd_status st = PVD_OK;
		if (req->like && *req->like) {
			st = pvdi_like(ix->db, req->like, like, like_id, &q, ix->err);
			if (st != PVD_OK)
				return st;
		}
		/* Filters alone: every document they keep, newest first. */
		bool filters_only =
		    !words && !(req->like && *req->like) && has_filter(req);
		if (filters_only) {
			if (!(q = static_cast<pvdi_query *>(calloc(1, sizeof *q))))
				return PVD_ENOMEM;
			query = Xapian::Query::MatchAll;
		} else if (words || !(req->like && *req->like)) {
			pvdi_query *parsed = nullptr;
			st =
			    pvdi_query_parse(&parsed, req->query ? req->query : "", &msg);
			if (st != PVD_OK) {
				std::unique_ptr<char, void (*)(void *)> hold(msg, free);
				ix->err = msg ? msg : pvd_status_str(st);
				pvdi_query_free(q); /* a like's terms */
				return st;
			}
			pvdi_query_free(
			    q); /* the words' highlights win over the like terms' */
			q = parsed;
		}
		r = new pvd_results;
		r->q = q; /* r frees it from now on */
		if (req->time_limit > 0)
			r->deadline = pvdi_now() + req->time_limit;
		r->ix = ix;
		r->query_text = req->query ? req->query : "";
		r->offset = req->offset;
		r->limit = req->limit ? req->limit : 10;
		r->facets = req->facets != 0;

		Xapian::Query filters, relaxed;
		if (words) {
			query = to_xapian(q->root, q->wildcard_limit);
			relaxed = relaxed_query(q->root, q->wildcard_limit);
			Xapian::Query boost = pvdi_title_boost(q, ix->db);
			Xapian::Query share =
			    pvdi_title_share(q, PVDI_TITLE_SHARE, ix->db, ix->remote);
			if (!share.empty())
				boost = boost.empty()
					    ? share
					    : Xapian::Query(Xapian::Query::OP_OR, boost,
							    share);
			if (!boost.empty()) {
				query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
						      boost);
				if (!relaxed.empty())
					relaxed = Xapian::Query(
					    Xapian::Query::OP_AND_MAYBE, relaxed, boost);
			}
			if (!like.empty()) {
				/* the words decide, the likeness ranks */
				query = Xapian::Query(
				    Xapian::Query::OP_AND_MAYBE,
				    Xapian::Query(Xapian::Query::OP_AND_NOT, query,
						  Xapian::Query(like_id)),
				    like);
				relaxed = Xapian::Query();
			}
		} else if (!filters_only) {
			query = like;
		}
		st = filters_of(filters, req, ix->err);
		if (st != PVD_OK) {
			delete r;
			return st;
		}
		if (!filters.empty()) {
			query = Xapian::Query(Xapian::Query::OP_FILTER, query, filters);
			if (!relaxed.empty())
				relaxed = Xapian::Query(Xapian::Query::OP_FILTER, relaxed,
							filters);
		}

		Xapian::Enquire enq(ix->db);
		enq.set_query(query);
		/* BM25 with far less length normalisation than Xapian's default
		 * (b 0.2, not 0.75): a long page here is a whole manual or a
		 * whole guide on one page, about what its title says as much as
		 * its chapters are, not a page that rambles.  On the Debian
		 * corpus (bench/known-item.py) b 0.5 → 0.3 → 0.2 → 0.1
		 * lifts every form a little (third form 0.904 → 0.906 → 0.908 →
		 * 0.909); 0.2 keeps some normalisation for prose. */
		enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.2, 0.5));
		/* Newest first, dates estimated from file times after every
		 * real one; an index made before that key existed sorts by
		 * its dates alone. */
		if (req->sort == PVD_SORT_DATE || filters_only)
			enq.set_sort_by_value_then_relevance(
			    ix->db.get_value_freq(PVDI_V_DATE_SORT) ? PVDI_V_DATE_SORT
								    : PVDI_V_DATE,
			    true);
		facet_spy types(PVDI_V_TYPE), communes(PVDI_V_COMMUNES),
		    years(PVDI_V_YEAR), depts(PVDI_V_DEPTS), regions(PVDI_V_REGIONS);
		facet_spy *spies[] = {&types, &communes, &years, &depts, &regions};
		/* Count matches exactly up to a hundred: "12 documents" is
		 * then what it says; beyond, Xapian's estimate (a thousand cost
		 * 7 % of a query's time). */
		Xapian::doccount check = 100;
		/* A remote shard runs only the match spies it knows: ours are
		 * counted here over every match instead. */
		if (r->facets && !ix->remote) {
			for (auto *spy : spies)
				enq.add_matchspy(spy);
			check = std::max<Xapian::doccount>(check, ix->db.get_doccount());
		}
		/* The match gets what is left of the request's time; Xapian
		 * returns the best hits found when it runs out. */
		if (r->deadline > 0)
			enq.set_time_limit(std::max(0.001, r->deadline - pvdi_now()));
		/* Xapian keeps offset + limit candidates: both are bounded by
		 * the number of documents, whatever was asked. */
		uint64_t docs = ix->db.get_doccount();
		uint64_t limit = std::min<uint64_t>(r->limit, docs + 1);
		uint64_t first = std::min<uint64_t>(r->offset, docs);
		if (!relaxed.empty())
			check = std::max<Xapian::doccount>(
			    check, (Xapian::doccount)(first + limit));
		r->mset = matches(enq, first, limit, check, docs);
		if (pvdi_past(r->deadline))
			r->partial = true; /* the match itself was stopped */
		/* Fewer than a page have every word: those that lack one follow. */
		uint64_t exact = r->mset.get_matches_upper_bound();
		if (!relaxed.empty() && exact == r->mset.get_matches_lower_bound() &&
		    exact < r->limit && !pvdi_past(r->deadline)) {
			r->relaxed = true;
			r->n_strict = exact;
			uint64_t shown = r->shown();
			uint64_t from = first > exact ? first - exact : 0;
			relaxed =
			    Xapian::Query(Xapian::Query::OP_AND_NOT, relaxed, query);
			enq.set_query(relaxed);
			if (r->deadline > 0)
				enq.set_time_limit(
				    std::max(0.001, r->deadline - pvdi_now()));
			if (limit > shown)
				r->mset2 = matches(enq, from, limit - shown, check, docs);
			else
				r->mset2 = enq.get_mset(from, 0, check);
			if (pvdi_past(r->deadline))
				r->partial = true;
		}
		if (words) {
			bool cut = false;
			r->suggestion =
			    pvdi_suggest(ix->db, q, r->query_text, r->deadline, &cut);
			r->partial = r->partial || cut;
		}
		if (r->facets && ix->remote) {
			std::vector<Xapian::Query> each{query};
			if (r->relaxed)
				each.push_back(relaxed);
			for (const auto &one : each) {
				enq.set_query(one);
				Xapian::MSet all = enq.get_mset(0, ix->db.get_doccount());
				for (auto it = all.begin(); it != all.end(); ++it) {
					if (pvdi_past(r->deadline)) {
						r->partial = true;
						break;
					}
					Xapian::Document doc = it.get_document();
					for (auto *spy : spies)
						(*spy)(doc, 0);
				}
			}
		}
		if (r->facets) {
			fill_facet(r->facet_type, types);
			fill_facet(r->facet_commune, communes);
			fill_facet(r->facet_year, years);
			fill_facet(r->facet_dept, depts);
			fill_facet(r->facet_region, regions);
		}
		*out = r;
		return PVD_OK;
	} catch (...) {
		if (r)
			delete r;
		else
			pvdi_query_free(q);
		return pvdi_index_fail(ix, ix->err);
	}
}

extern "C" void
pvd_results_free(pvd_results *r)
{
	delete r;
}

extern "C" uint64_t
pvd_results_total(const pvd_results *r)
{
	if (r->relaxed)
		return r->n_strict + r->mset2.get_matches_estimated();
	return r->mset.get_matches_estimated();
}

extern "C" int
pvd_results_partial(const pvd_results *r)
{
	return r->partial;
}

extern "C" const char *
pvd_results_suggestion(const pvd_results *r)
{
	return r->suggestion.empty() ? nullptr : r->suggestion.c_str();
}

extern "C" const char *
pvd_results_errmsg(const pvd_results *r)
{
	return r->err.c_str();
}

extern "C" size_t
pvd_results_facets(const pvd_results *r, const char *name, const pvd_facet **out)
{
	const facet_list *fl = nullptr;
	*out = nullptr;
	if (std::strcmp(name, "type") == 0)
		fl = &r->facet_type;
	else if (std::strcmp(name, "commune") == 0)
		fl = &r->facet_commune;
	else if (std::strcmp(name, "year") == 0)
		fl = &r->facet_year;
	else if (std::strcmp(name, "departement") == 0)
		fl = &r->facet_dept;
	else if (std::strcmp(name, "region") == 0)
		fl = &r->facet_region;
	if (!fl || fl->v.empty())
		return 0;
	*out = fl->v.data();
	return fl->v.size();
}

/* A hit's stored text (pvdi_stored_reader): its head, then as much of its
 * text as read asks.  Damaged, or skipped, it is an empty text: a hit
 * without a passage; out of memory, std::bad_alloc. */
struct stored_text {
	pvdi_stored_reader rd;
	bool empty = false;

	explicit stored_text(const std::string &data)
	{
		check(pvdi_stored_open(&rd, data.data(), data.size()));
	}
	~stored_text()
	{
		pvdi_stored_close(&rd);
	}
	stored_text(const stored_text &) = delete;
	stored_text &operator=(const stored_text &) = delete;

	void skip()
	{
		empty = true;
	}
	void read(size_t want)
	{
		if (!empty)
			check(pvdi_stored_read(&rd, want));
	}
	const char *text() const
	{
		return empty ? "" : rd.text;
	}
	size_t len() const
	{
		return empty ? 0 : rd.len;
	}
	bool whole() const
	{
		return empty || rd.got == rd.n;
	}

      private:
	void check(int got)
	{
		if (got < 0)
			throw std::bad_alloc();
		empty = empty || got != 0;
	}
};

/* The current hit's passage from what st has read: false when that is a
 * start of the text too short to know it (start_only). */
static bool
make_passage(pvd_results *r, const stored_text &st, bool start_only)
{
	pvdi_snippet_clear(&r->snippet);
	int got = pvdi_passage_make(r->passage, &r->snippet, st.text(), st.len(),
				    start_only && !st.whole());
	if (got < 0)
		throw std::bad_alloc();
	return got == 0;
}

/* Set the current hit's fields from the head of its stored text, or, for
 * a document indexed before heads (or a damaged head), from the value
 * streams, read once for the whole page. */
static void
show_fields(pvd_results *r, Xapian::docid did, const Xapian::Document &doc,
	    const char *head, size_t head_len)
{
	const char *field[PVDI_SHOWN_SLOTS];
	size_t len[PVDI_SHOWN_SLOTS];
	std::string from_head[PVDI_SHOWN_SLOTS];
	const std::string *v = from_head;
	if (head && pvdi_shown_unpack(head, head_len, field, len) == 0) {
		for (int k = 0; k < PVDI_SHOWN_SLOTS; k++)
			from_head[k].assign(field[k], len[k]);
	} else {
		if (!r->page.ready)
			r->page.read(r->ix, r->mset, r->shown(), r->mset2, r->shown2());
		v = r->page.of(did, doc);
	}
	r->path = v[0];
	r->title = v[1];
	r->type = v[2];
	r->date = v[3];
	r->date_source = v[4];
	r->communes.read(v[5]);
	r->depts.read(v[6]);
	r->regions.read(v[7]);
}

extern "C" pvd_status
pvdi_results_hit(pvd_results *r, size_t i, const pvd_hit **out)
{
	*out = nullptr;
	try {
		Xapian::doccount shown = r->shown();
		bool missing = i >= shown; /* in the relaxed list */
		if (missing && (!r->relaxed || i - shown >= r->shown2()))
			return PVD_DONE;
		Xapian::MSetIterator at = missing ? r->mset2[Xapian::doccount(i - shown)]
						  : r->mset[Xapian::doccount(i)];
		Xapian::Document doc = at.get_document();
		std::string data = doc.get_value(PVDI_V_TEXT);
		if (data.empty())
			data = doc.get_data(); /* an index written before */
		/* Past the deadline, the hit goes without its passage. */
		bool late = pvdi_past(r->deadline);
		r->partial = r->partial || late;
		/* The head that comes with the text holds what the hit shows.
		 * The passage is most often near the start: read the first
		 * block, then 8 KiB when the passage may go on past it, and the
		 * rest only when some typed word is not found there. */
		stored_text st(data);
		show_fields(r, *at, doc, st.rd.head, st.rd.head_len);
		if (late)
			st.skip();
		else
			st.read(PVDI_STORED_BLOCK);
		/* the query's passage finder, made at the first hit */
		if (!r->passage && pvdi_passage_begin(&r->passage, r->q, 200) != 0)
			throw std::bad_alloc();
		pvdi_passage_restart(r->passage);
		if (!make_passage(r, st, true)) {
			st.read(PVDI_STORED_FRAME);
			make_passage(r, st, false);
			if (!st.whole() &&
			    r->snippet.n_spans < std::max<size_t>(1, r->q->n_typed)) {
				st.read(0);
				make_passage(r, st, false);
			}
		}

		pvd_hit &h = r->hit;
		/* get_rank() counts the offset; the relaxed list comes after
		 * every document that has all the words */
		h.rank = at.get_rank() + 1 + (missing ? r->n_strict : 0);
		h.score = at.get_weight();
		h.missing_word = missing;
		h.path = r->path.c_str();
		h.title = r->title.c_str();
		h.type = r->type.c_str();
		h.date = r->date.c_str();
		h.date_source = r->date_source.c_str();
		h.communes = r->communes.ptrs.data();
		h.n_communes = r->communes.ptrs.size();
		h.departements = r->depts.ptrs.data();
		h.n_departements = r->depts.ptrs.size();
		h.regions = r->regions.ptrs.data();
		h.n_regions = r->regions.ptrs.size();
		h.snippet = r->snippet.text;
		h.highlights = r->snippet.spans;
		h.n_highlights = r->snippet.n_spans;
		*out = &r->hit;
		return PVD_OK;
	} catch (...) {
		return pvdi_index_fail(r->ix, r->err);
	}
}

extern "C" pvd_status
pvd_results_next(pvd_results *r, const pvd_hit **out)
{
	pvd_status st = pvdi_results_hit(r, r->next, out);
	if (st == PVD_OK)
		r->next++;
	return st;
}

extern "C" void
pvdi_results_head(const pvd_results *r, pvdi_head *out)
{
	out->query = r->query_text.c_str();
	out->offset = r->offset;
	out->limit = r->limit;
	out->facets = r->facets;
}

extern "C" pvd_status
pvdi_results_oom(pvd_results *r)
{
	try {
		r->err = _("out of memory");
	} catch (...) {
	}
	return PVD_ENOMEM;
}
