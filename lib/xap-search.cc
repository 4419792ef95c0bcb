/*
 * xap-search.cc: opening indexes (several shards as one), running a
 * pvd_request through Xapian, and handing hits back one at a time with
 * their snippets.  The query tree comes from query.c.
 */
#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "xap-private.h"

struct pvd_index {
	Xapian::Database db;
	std::string err;
};

namespace {

/* Counts the values of one slot over every match; a slot may hold several
 * values separated by '\n' (communes). */
class facet_spy : public Xapian::MatchSpy {
      public:
	explicit facet_spy(Xapian::valueno slot) : slot_(slot)
	{
	}
	void operator()(const Xapian::Document &doc, double) override
	{
		std::string v = doc.get_value(slot_);
		size_t from = 0;
		while (from < v.size()) {
			size_t nl = v.find('\n', from);
			if (nl == std::string::npos)
				nl = v.size();
			if (nl > from)
				counts_[v.substr(from, nl - from)]++;
			from = nl + 1;
		}
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

} // namespace

struct pvd_results {
	pvd_index *ix = nullptr;
	pvdi_query *q = nullptr;
	Xapian::MSet mset;
	Xapian::MSetIterator it;
	uint64_t offset = 0;
	std::string err;
	std::string query_text;
	uint64_t limit = 10;
	bool facets = false;
	facet_list facet_type, facet_commune, facet_year;
	/* the current hit */
	pvd_hit hit{};
	std::string path, title, type, date, communes_raw;
	std::vector<std::string> communes;
	std::vector<const char *> commune_ptrs;
	pvdi_snippet snippet{};

	~pvd_results()
	{
		pvdi_query_free(q);
		pvdi_snippet_clear(&snippet);
	}
};

extern "C" pvd_status
pvd_index_open(pvd_index **out, const char *const *dbs, size_t n_dbs, char **errmsg)
{
	std::string err;
	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	if (n_dbs == 0) {
		pvdi_give_msg(errmsg, "no index named");
		return PVD_EINVAL;
	}
	for (size_t i = 0; i < n_dbs; i++) {
		struct stat sb;
		if (stat(dbs[i], &sb) != 0) {
			pvdi_give_msg(errmsg, std::string("no index at ") + dbs[i]);
			return PVD_ENOENT;
		}
	}
	pvd_index *ix = nullptr;
	try {
		ix = new pvd_index;
		for (size_t i = 0; i < n_dbs; i++)
			ix->db.add_database(Xapian::Database(dbs[i]));
		*out = ix;
		return PVD_OK;
	} catch (...) {
		pvd_status st = pvdi_fail(err);
		if (st == PVD_ENOENT || st == PVD_EXAPIAN) {
			/* DatabaseOpeningError: a folder that holds no index */
			std::string names;
			for (size_t i = 0; i < n_dbs; i++)
				names += (i ? ", " : "") + std::string(dbs[i]);
			err = "no index at " + names + " (" + err + ")";
			st = PVD_ENOENT;
		}
		delete ix;
		pvdi_give_msg(errmsg, err);
		return st;
	}
}

extern "C" void
pvd_index_close(pvd_index *ix)
{
	delete ix;
}

extern "C" const char *
pvd_index_errmsg(const pvd_index *ix)
{
	return ix->err.c_str();
}

extern "C" uint64_t
pvd_index_doccount(const pvd_index *ix)
{
	try {
		return ix->db.get_doccount();
	} catch (...) {
		return 0;
	}
}

extern "C" pvd_status
pvd_index_stamp(pvd_index *ix, const char *path, char **out)
{
	*out = nullptr;
	try {
		char idterm[PVDI_ID_TERM_CAP];
		pvdi_id_term(idterm, sizeof idterm, path);
		Xapian::PostingIterator pi = ix->db.postlist_begin(idterm);
		if (pi == ix->db.postlist_end(idterm))
			return PVD_DONE;
		std::string stamp = ix->db.get_document(*pi).get_value(PVDI_V_STAMP);
		if (!(*out = strdup(stamp.c_str())))
			return PVD_ENOMEM;
		return PVD_OK;
	} catch (...) {
		return pvdi_fail(ix->err);
	}
}

namespace {

Xapian::Query
to_xapian(const pvdi_qnode *n, const Xapian::Database &db)
{
	std::vector<Xapian::Query> kids;
	switch (n->kind) {
	case PVDI_Q_TERM:
		if (n->scale > 0)
			return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(n->term),
					     n->scale);
		return Xapian::Query(n->term);
	case PVDI_Q_FILTER:
		return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(n->term), 0.0);
	case PVDI_Q_WILDCARD:
		/* Bounded: a two-letter prefix must not expand to the whole
		 * vocabulary. */
		return Xapian::Query(Xapian::Query::OP_WILDCARD, n->term, 1000,
				     Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
				     Xapian::Query::OP_SYNONYM);
	case PVDI_Q_ALL:
		return Xapian::Query::MatchAll;
	default:
		break;
	}
	(void)db;
	for (size_t i = 0; i < n->n_kids; i++)
		kids.push_back(to_xapian(n->kids[i], db));
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
		return Xapian::Query(Xapian::Query::OP_AND_MAYBE, kids.begin(), kids.end());
	case PVDI_Q_AND: {
		/* Filters restrict without weighing in. */
		std::vector<Xapian::Query> scored, filters;
		for (size_t i = 0; i < n->n_kids; i++)
			(n->kids[i]->kind == PVDI_Q_FILTER ? filters : scored).push_back(kids[i]);
		if (scored.empty())
			return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
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
	pvdi_commune_key(key, sizeof key, value);
	return Xapian::Query(std::string(prefix) + key);
}

/* The request's filters, or an empty query when there are none. */
pvd_status
filters_of(Xapian::Query &out, const pvd_request *req, std::string &err)
{
	std::vector<Xapian::Query> f;
	if (req->type && *req->type)
		f.push_back(boolean_term(PVDI_P_TYPE, req->type));
	if (req->commune && *req->commune)
		f.push_back(boolean_term(PVDI_P_COMMUNE, req->commune));
	const char *dates[2] = {req->since, req->until};
	for (int i = 0; i < 2; i++) {
		if (!dates[i] || !*dates[i])
			continue;
		if (!pvd_date_valid(dates[i])) {
			err = std::string("not a date (YYYY-MM-DD): ") + dates[i];
			return PVD_EINVAL;
		}
		f.push_back(Xapian::Query(i == 0 ? Xapian::Query::OP_VALUE_GE
						 : Xapian::Query::OP_VALUE_LE,
					  PVDI_V_DATE, dates[i]));
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
	std::stable_sort(fl.v.begin(), fl.v.end(), [](const pvd_facet &a, const pvd_facet &b) {
		return a.count > b.count;
	});
}

} // namespace

extern "C" pvd_status
pvd_search(pvd_results **out, pvd_index *ix, const pvd_request *req)
{
	*out = nullptr;
	pvd_results *r = nullptr;
	try {
		char *msg = nullptr;
		pvdi_query *q = nullptr;
		pvd_status st = pvdi_query_parse(&q, req->query ? req->query : "", &msg);
		if (st != PVD_OK) {
			ix->err = msg ? msg : pvd_status_str(st);
			free(msg);
			return st;
		}
		r = new pvd_results;
		r->q = q;
		r->ix = ix;
		r->query_text = req->query ? req->query : "";
		r->offset = req->offset;
		r->limit = req->limit ? req->limit : 10;
		r->facets = req->facets != 0;

		Xapian::Query query = to_xapian(q->root, ix->db), filters;
		st = filters_of(filters, req, ix->err);
		if (st != PVD_OK) {
			delete r;
			return st;
		}
		if (!filters.empty())
			query = Xapian::Query(Xapian::Query::OP_FILTER, query, filters);

		Xapian::Enquire enq(ix->db);
		enq.set_query(query);
		if (req->sort == PVD_SORT_DATE)
			enq.set_sort_by_value_then_relevance(PVDI_V_DATE, true);
		facet_spy types(PVDI_V_TYPE), communes(PVDI_V_COMMUNES), years(PVDI_V_YEAR);
		Xapian::doccount check = 0;
		if (r->facets) {
			enq.add_matchspy(&types);
			enq.add_matchspy(&communes);
			enq.add_matchspy(&years);
			check = ix->db.get_doccount();
		}
		uint64_t limit = std::min<uint64_t>(r->limit, ix->db.get_doccount() + 1);
		r->mset = enq.get_mset(r->offset, limit, check);
		r->it = r->mset.begin();
		if (r->facets) {
			fill_facet(r->facet_type, types);
			fill_facet(r->facet_commune, communes);
			fill_facet(r->facet_year, years);
		}
		*out = r;
		return PVD_OK;
	} catch (...) {
		delete r;
		return pvdi_fail(ix->err);
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
	return r->mset.get_matches_estimated();
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
	if (!fl || fl->v.empty())
		return 0;
	*out = fl->v.data();
	return fl->v.size();
}

extern "C" pvd_status
pvd_results_next(pvd_results *r, const pvd_hit **out)
{
	*out = nullptr;
	try {
		if (r->it == r->mset.end())
			return PVD_DONE;
		Xapian::Document doc = r->it.get_document();
		r->path = doc.get_value(PVDI_V_PATH);
		r->title = doc.get_value(PVDI_V_TITLE);
		r->type = doc.get_value(PVDI_V_TYPE);
		r->date = doc.get_value(PVDI_V_DATE);
		r->communes_raw = doc.get_value(PVDI_V_COMMUNES);
		r->communes.clear();
		r->commune_ptrs.clear();
		size_t from = 0;
		while (from < r->communes_raw.size()) {
			size_t nl = r->communes_raw.find('\n', from);
			if (nl == std::string::npos)
				nl = r->communes_raw.size();
			r->communes.push_back(r->communes_raw.substr(from, nl - from));
			from = nl + 1;
		}
		for (const auto &c : r->communes)
			r->commune_ptrs.push_back(c.c_str());

		std::string text = doc.get_data();
		pvdi_snippet_clear(&r->snippet);
		if (pvdi_snippet_make(&r->snippet, text.data(), text.size(), r->q, 200) != 0)
			throw std::bad_alloc();

		pvd_hit &h = r->hit;
		h.rank = r->it.get_rank() + 1; /* get_rank() counts the offset */
		h.score = r->it.get_weight();
		h.path = r->path.c_str();
		h.title = r->title.c_str();
		h.type = r->type.c_str();
		h.date = r->date.c_str();
		h.communes = r->commune_ptrs.data();
		h.n_communes = r->commune_ptrs.size();
		h.snippet = r->snippet.text;
		h.highlights = r->snippet.spans;
		h.n_highlights = r->snippet.n_spans;
		++r->it;
		*out = &r->hit;
		return PVD_OK;
	} catch (...) {
		return pvdi_fail(r->err);
	}
}

/* Start the hits over, for pvd_results_json(). */
extern "C" void
pvdi_results_rewind(pvd_results *r)
{
	r->it = r->mset.begin();
}

extern "C" const char *
pvdi_results_query(const pvd_results *r)
{
	return r->query_text.c_str();
}

extern "C" uint64_t
pvdi_results_offset(const pvd_results *r)
{
	return r->offset;
}

extern "C" uint64_t
pvdi_results_limit(const pvd_results *r)
{
	return r->limit;
}

extern "C" int
pvdi_results_has_facets(const pvd_results *r)
{
	return r->facets;
}
