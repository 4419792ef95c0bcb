/*
 * xap-search.cc: opening indexes (several shards as one), running a
 * pvd_request through Xapian, and handing hits back one at a time with
 * their snippets.  The query tree comes from query.c.
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

struct pvd_index {
	Xapian::Database db;
	bool remote = false;		     /* a shard is served by xapian-tcpsrv
					      * (tcp://, or a stub's remote line) */
	std::vector<std::string> names;	     /* as given, to open them again */
	std::vector<std::string> stubs;	     /* each local shard's stub, as last read */
	std::vector<struct stat> stub_stats; /* and its inode and time then */
	mutable std::string err;	     /* set by const calls too (doccount) */
};

/* The content of a local index folder's stub (its generation), or "". */
static std::string
read_stub(const std::string &name)
{
	std::string path = name + "/XAPIANDB", text;
	FILE *f = fopen(path.c_str(), "re");
	if (!f)
		return text;
	char buf[256];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	text.assign(buf, n);
	while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
		text.pop_back();
	return text;
}

static bool remote_address(const char *db, std::string &host, unsigned &port);

/* Whether the Xapian stub at path (a stub file, or a folder's XAPIANDB)
 * names a remote database, directly ("remote HOST:PORT") or through "auto"
 * lines: pvd must then keep its posting source and match spies on this
 * side, as for tcp://.  A pvd index folder's "auto gen-N" is local. */
static bool
stub_names_remote(const std::string &path, int depth)
{
	struct stat sb;
	if (depth > 4 || stat(path.c_str(), &sb) != 0)
		return false;
	std::string file = S_ISDIR(sb.st_mode) ? path + "/XAPIANDB" : path;
	FILE *f = fopen(file.c_str(), "re");
	if (!f)
		return false;
	size_t slash = file.rfind('/');
	std::string dir = slash == std::string::npos ? "" : file.substr(0, slash + 1);
	bool remote = false;
	char line[1024];
	while (!remote && fgets(line, sizeof line, f)) {
		line[std::strcspn(line, "\r\n")] = '\0';
		if (std::strncmp(line, "remote ", 7) == 0)
			remote = true;
		else if (std::strncmp(line, "auto ", 5) == 0 && line[5])
			remote = stub_names_remote(line[5] == '/' ? std::string(line + 5)
								  : dir + (line + 5),
						   depth + 1);
	}
	fclose(f);
	return remote;
}

/* The stub's inode and modification time: a --full switch renames a new
 * stub over the old, which changes both. */
static struct stat
stub_stat(const std::string &name)
{
	struct stat sb;
	if (stat((name + "/XAPIANDB").c_str(), &sb) != 0)
		std::memset(&sb, 0, sizeof sb);
	return sb;
}

static bool
same_stat(const struct stat &a, const struct stat &b)
{
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
	       a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
	       a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_size == b.st_size;
}

/* Open every shard of ix->names into ix->db. */
static void
open_shards(pvd_index *ix)
{
	Xapian::Database db;
	std::vector<std::string> stubs;
	std::vector<struct stat> stats;
	bool remote = false;
	for (const auto &name : ix->names) {
		std::string host;
		unsigned port;
		if (remote_address(name.c_str(), host, port)) {
			/* 10 s to answer, 5 s to connect: a dead shard is an error,
			 * not a hang. */
			db.add_database(Xapian::Remote::open(host, port, 10000, 5000));
			remote = true;
			stubs.push_back(std::string());
			stats.push_back(stub_stat(name));
		} else {
			/* a stub file of "remote" lines is remote too, and has
			 * no generation of ours to follow */
			bool via_stub = stub_names_remote(name, 0);
			stats.push_back(stub_stat(name));
			stubs.push_back(via_stub ? std::string() : read_stub(name));
			db.add_database(Xapian::Database(name));
			remote = remote || via_stub;
		}
	}
	ix->db = db;
	ix->stubs = stubs;
	ix->stub_stats = stats;
	ix->remote = remote;
}

/* "tcp://HOST:PORT": a shard served by xapian-tcpsrv. */
static bool
remote_address(const char *db, std::string &host, unsigned &port)
{
	const char *p = std::strncmp(db, "tcp://", 6) == 0 ? db + 6 : nullptr;
	const char *colon = p ? std::strrchr(p, ':') : nullptr;
	if (!colon || colon == p)
		return false;
	char *end;
	unsigned long n = std::strtoul(colon + 1, &end, 10);
	if (*end || n == 0 || n > 65535)
		return false;
	host.assign(p, (size_t)(colon - p));
	if (host.size() > 2 && host.front() == '[' && host.back() == ']')
		host = host.substr(1, host.size() - 2); /* [::1] */
	port = (unsigned)n;
	return true;
}

namespace
{

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

/* The '\n'-joined names of a value slot, as C strings for a hit. */
struct name_list {
	std::vector<std::string> names;
	std::vector<const char *> ptrs;
	void read(const std::string &raw)
	{
		names.clear();
		ptrs.clear();
		size_t from = 0;
		while (from < raw.size()) {
			size_t nl = raw.find('\n', from);
			if (nl == std::string::npos)
				nl = raw.size();
			names.push_back(raw.substr(from, nl - from));
			from = nl + 1;
		}
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
	Xapian::MSetIterator it;
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
	Xapian::MSetIterator it2;
	/* the current hit */
	pvd_hit hit{};
	std::string path, title, type, date, date_source;
	name_list communes, depts, regions;
	pvdi_snippet snippet{};

	~pvd_results()
	{
		pvdi_query_free(q);
		pvdi_snippet_clear(&snippet);
	}
};

/* The names of every shard, for a message. */
static std::string
all_names(const char *const *dbs, size_t n_dbs)
{
	std::string names;
	for (size_t i = 0; i < n_dbs; i++)
		names += (i ? ", " : "") + std::string(dbs[i]);
	return names;
}

/* pvdi_fail() for a call on ix: a damaged index is named in the message,
 * since the daemon's log and pvd-search show only the message. */
static pvd_status
index_fail(const pvd_index *ix, std::string &err) noexcept
{
	pvd_status st = pvdi_fail(err);
	if (st != PVD_ECORRUPT && st != PVD_EXAPIAN)
		return st;
	try {
		std::string names;
		for (size_t i = 0; i < ix->names.size(); i++)
			names += (i ? ", " : "") + ix->names[i];
		err = "index " + names + ": " + err;
	} catch (...) {
	}
	return st;
}

extern "C" pvd_status
pvd_index_open(pvd_index **out, const char *const *dbs, size_t n_dbs, char **errmsg)
{
	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	pvd_index *ix = nullptr;
	try {
		if (n_dbs == 0) {
			pvdi_give_msg(errmsg, "no index named");
			return PVD_EINVAL;
		}
		for (size_t i = 0; i < n_dbs; i++) {
			struct stat sb;
			std::string host;
			unsigned port;
			if (std::strncmp(dbs[i], "tcp://", 6) == 0 &&
			    !remote_address(dbs[i], host, port)) {
				pvdi_give_msg(errmsg,
					      std::string("not a remote index address "
							  "(tcp://HOST:PORT): ") +
						  dbs[i]);
				return PVD_EINVAL;
			}
			if (!host.empty())
				continue;
			if (stat(dbs[i], &sb) != 0) {
				pvdi_give_msg(errmsg,
					      std::string("no index at ") + dbs[i]);
				return PVD_ENOENT;
			}
		}
		ix = new pvd_index;
		for (size_t i = 0; i < n_dbs; i++)
			ix->names.push_back(dbs[i]);
		open_shards(ix);
		*out = ix;
		return PVD_OK;
	} catch (...) {
		std::string err;
		pvd_status st = pvdi_fail(err);
		delete ix;
		try {
			/* A folder that holds no index is PVD_ENOENT; a damaged
			 * one keeps its own status (ECORRUPT, EXAPIAN). */
			err = (st == PVD_ENOENT ? "no index at "
						: "cannot open the index ") +
			      all_names(dbs, n_dbs) + " (" + err + ")";
			pvdi_give_msg(errmsg, err);
		} catch (...) {
			pvdi_give_msg(errmsg, "out of memory");
		}
		return st;
	}
}

extern "C" pvd_status
pvd_index_refresh(pvd_index *ix)
{
	try {
		bool switched = false;
		/* One stat per shard; the stub is read only when it changed. */
		for (size_t i = 0; i < ix->names.size() && !switched; i++) {
			if (ix->stubs[i].empty())
				continue;
			struct stat now = stub_stat(ix->names[i]);
			if (same_stat(now, ix->stub_stats[i]))
				continue;
			switched = read_stub(ix->names[i]) != ix->stubs[i];
			ix->stub_stats[i] = now;
		}
		if (switched)
			open_shards(ix); /* pvd-index --full published a new generation */
		else
			ix->db.reopen();
		return PVD_OK;
	} catch (...) {
		return index_fail(ix, ix->err);
	}
}

extern "C" pvd_status
pvd_index_revision(pvd_index *ix, char **revision, int64_t *updated)
{
	*revision = nullptr;
	*updated = 0;
	try {
		std::string text;
		for (size_t i = 0; i < ix->names.size(); i++) {
			if (i)
				text += ' ';
			if (ix->stubs[i].empty()) {
				/* a remote shard: its revision is the server's, and
				 * its address is nobody else's business */
				text += "remote";
				continue;
			}
			std::string gen = ix->stubs[i].substr(ix->stubs[i].find(' ') + 1);
			std::string path = ix->names[i] + "/" + gen;
			Xapian::Database one(path);
			text += gen + ":" + std::to_string(one.get_revision());
			struct stat sb;
			if (stat((path + "/iamglass").c_str(), &sb) == 0 &&
			    sb.st_mtime > *updated)
				*updated = sb.st_mtime;
		}
		*revision = strdup(text.c_str());
		return *revision ? PVD_OK : PVD_ENOMEM;
	} catch (...) {
		return index_fail(ix, ix->err);
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
	return ix ? ix->err.c_str() : "no index";
}

extern "C" uint64_t
pvd_index_doccount(const pvd_index *ix)
{
	try {
		ix->err.clear();
		return ix->db.get_doccount();
	} catch (...) {
		index_fail(ix, ix->err);
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
		return index_fail(ix, ix->err);
	}
}

namespace
{

double
now_s()
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

bool
past(double deadline)
{
	return deadline > 0 && now_s() >= deadline;
}

Xapian::Query
to_xapian(const pvdi_qnode *n, const Xapian::Database &db, unsigned wildcard_limit)
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
	(void)db;
	for (size_t i = 0; i < n->n_kids; i++)
		kids.push_back(to_xapian(n->kids[i], db, wildcard_limit));
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

/*
 * What lifts a document whose title holds the query's words: each typed
 * word's stems among the title's (SZ), and the words together as a phrase
 * of the title (S).  Title words already weigh more in the body's terms,
 * but BM25 flattens that out; a title of its own, being short, stands out.
 */
Xapian::Query
title_boost(const pvdi_query *q)
{
	std::vector<Xapian::Query> words, phrase;
	for (size_t i = 0; i < q->n_typed; i++) {
		const pvdi_qword &w = q->typed[i];
		Xapian::Query stems = pvdi_title_stems(w);
		if (!stems.empty())
			words.push_back(stems);
		phrase.push_back(Xapian::Query(std::string(PVDI_P_TITLE) + w.folded));
	}
	if (words.empty())
		return Xapian::Query();
	Xapian::Query boost(Xapian::Query::OP_OR, words.begin(), words.end());
	if (phrase.size() >= 2)
		/* stopwords left out of the typed words may sit between them */
		boost =
		    Xapian::Query(Xapian::Query::OP_OR, boost,
				  Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(),
						phrase.end(), phrase.size() + 3));
	return boost;
}

Xapian::Query
boolean_term(const char *prefix, const char *value)
{
	char key[PVDI_FORM_CAP];
	pvdi_commune_key(key, sizeof key, value);
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
			err = std::string(PVDI_TYPE_ERROR ", not \"") + t + "\"";
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
				err =
				    std::string(i == 1 ? "no département is called \""
						       : "no région is called \"") +
				    value +
				    (i == 1 ? "\" (a code such as 31, 2A, 974, or a name)"
					    : "\" (a name such as Occitanie)");
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
			err = std::string("not a date (YYYY, YYYY-MM or YYYY-MM-DD): ") +
			      dates[i];
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

namespace
{

/* Damerau-Levenshtein distance of a and b, or max + 1 once it is over. */
unsigned
distance(const std::string &a, const std::string &b, unsigned max)
{
	size_t n = a.size(), m = b.size();
	if ((n > m ? n - m : m - n) > max)
		return max + 1;
	std::vector<std::vector<unsigned>> d(n + 1, std::vector<unsigned>(m + 1));
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		unsigned row_min = max + 1;
		for (size_t j = 1; j <= m; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = std::min(
			    {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				v = std::min(v, d[i - 2][j - 2] + 1);
			d[i][j] = v;
			row_min = std::min(row_min, v);
		}
		if (row_min > max)
			return max + 1;
	}
	return d[n][m];
}

/* The indexed word closest to word (same first two letters, one edit for
 * short words, two for longer ones, the most frequent on a tie).  Reads at
 * most *scan terms of the vocabulary, counting them off. */
std::string
closest(const Xapian::Database &db, const std::string &word, size_t *scan,
	double deadline)
{
	if (word.size() < 4)
		return std::string();
	unsigned max = word.size() < 7 ? 1 : 2, best_d = max + 1;
	Xapian::doccount best_tf = 0;
	std::string best, prefix = word.substr(0, 2);
	for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
		if (*scan == 0 || ((*scan & 1023) == 0 && past(deadline))) {
			*scan = 0;
			break;
		}
		--*scan;
		unsigned d = distance(word, *t, max);
		if (d > max || d == 0)
			continue;
		Xapian::doccount tf = t.get_termfreq();
		if (d < best_d || (d == best_d && tf > best_tf)) {
			best_d = d;
			best_tf = tf;
			best = *t;
		}
	}
	return best;
}

/* The folded word as the corpus mostly writes it: with its accents when
 * most documents that have it put them. */
std::string
as_written(const Xapian::Database &db, const std::string &folded)
{
	std::string prefix = std::string(PVDI_P_ACCENT) + folded + "\t", best = folded;
	Xapian::doccount best_tf = 0, all = db.get_termfreq(folded);
	for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t)
		if (t.get_termfreq() > best_tf) {
			best_tf = t.get_termfreq();
			best = (*t).substr(prefix.size());
		}
	return 2 * best_tf >= all ? best : folded;
}

/* The query with each word the index does not know replaced by its
 * closest known word, or "" when there is nothing to suggest.  Bounded:
 * the first PVDI_SUGGEST_WORDS unknown words, PVDI_SUGGEST_SCAN terms of
 * the vocabulary read in all, and the deadline; *cut says when a bound
 * left words unexamined. */
std::string
suggest(const Xapian::Database &db, const pvdi_query *q, const std::string &text,
	double deadline, bool *cut)
{
	std::string out;
	size_t at = 0, unknown = 0, scan = PVDI_SUGGEST_SCAN;
	bool changed = false;
	for (size_t i = 0; i < q->n_typed; i++) {
		const pvdi_qword &w = q->typed[i];
		if (w.start < at || db.term_exists(w.folded) ||
		    (w.stem[0] && db.term_exists(w.stem[0])) ||
		    (w.stem[1] && db.term_exists(w.stem[1])))
			continue;
		if (++unknown > PVDI_SUGGEST_WORDS || scan == 0 || past(deadline)) {
			*cut = scan == 0 || past(deadline);
			break;
		}
		std::string fix = closest(db, w.folded, &scan, deadline);
		if (fix.empty())
			continue;
		out += text.substr(at, w.start - at) + as_written(db, fix);
		at = w.end;
		changed = true;
	}
	return changed ? out + text.substr(at) : std::string();
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
relaxed_query(const pvdi_qnode *root, const Xapian::Database &db, unsigned wildcard_limit)
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
		    to_xapian(kids.size() == 1 ? kids[0] : &part, db, wildcard_limit);
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
			minus.push_back(to_xapian(root->kids[i], db, wildcard_limit));
		q = Xapian::Query(Xapian::Query::OP_AND_NOT, minus.begin(), minus.end());
	}
	return q;
}

} // namespace

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
			r->deadline = now_s() + req->time_limit;
		r->ix = ix;
		r->query_text = req->query ? req->query : "";
		r->offset = req->offset;
		r->limit = req->limit ? req->limit : 10;
		r->facets = req->facets != 0;

		Xapian::Query filters, relaxed;
		if (words) {
			query = to_xapian(q->root, ix->db, q->wildcard_limit);
			relaxed = relaxed_query(q->root, ix->db, q->wildcard_limit);
			Xapian::Query boost = title_boost(q);
			Xapian::Query share = ix->remote
						  ? Xapian::Query()
						  : pvdi_title_share(q, PVDI_TITLE_SHARE);
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
			enq.set_time_limit(std::max(0.001, r->deadline - now_s()));
		/* Xapian keeps offset + limit candidates: both are bounded by
		 * the number of documents, whatever was asked. */
		uint64_t docs = ix->db.get_doccount();
		uint64_t limit = std::min<uint64_t>(r->limit, docs + 1);
		uint64_t first = std::min<uint64_t>(r->offset, docs);
		if (!relaxed.empty())
			check = std::max<Xapian::doccount>(
			    check, (Xapian::doccount)(first + limit));
		r->mset = enq.get_mset(first, limit, check);
		r->it = r->mset.begin();
		if (past(r->deadline))
			r->partial = true; /* the match itself was stopped */
		/* Fewer than a page have every word: those that lack one follow. */
		uint64_t exact = r->mset.get_matches_upper_bound();
		if (!relaxed.empty() && exact == r->mset.get_matches_lower_bound() &&
		    exact < r->limit && !past(r->deadline)) {
			r->relaxed = true;
			r->n_strict = exact;
			uint64_t shown = r->mset.size();
			uint64_t from = first > exact ? first - exact : 0;
			relaxed =
			    Xapian::Query(Xapian::Query::OP_AND_NOT, relaxed, query);
			enq.set_query(relaxed);
			if (r->deadline > 0)
				enq.set_time_limit(
				    std::max(0.001, r->deadline - now_s()));
			if (limit > shown)
				r->mset2 = enq.get_mset(from, limit - shown, check);
			else
				r->mset2 = enq.get_mset(from, 0, check);
			r->it2 = r->mset2.begin();
			if (past(r->deadline))
				r->partial = true;
		}
		if (words) {
			bool cut = false;
			r->suggestion =
			    suggest(ix->db, q, r->query_text, r->deadline, &cut);
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
					if (past(r->deadline)) {
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
		return index_fail(ix, ix->err);
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

extern "C" pvd_status
pvd_results_next(pvd_results *r, const pvd_hit **out)
{
	*out = nullptr;
	try {
		bool missing = r->it == r->mset.end(); /* in the relaxed list */
		if (missing && (!r->relaxed || r->it2 == r->mset2.end()))
			return PVD_DONE;
		Xapian::MSetIterator &at = missing ? r->it2 : r->it;
		Xapian::Document doc = at.get_document();
		r->path = doc.get_value(PVDI_V_PATH);
		r->title = doc.get_value(PVDI_V_TITLE);
		r->type = doc.get_value(PVDI_V_TYPE);
		r->date = doc.get_value(PVDI_V_DATE);
		r->date_source = doc.get_value(PVDI_V_DATE_SOURCE);
		r->communes.read(doc.get_value(PVDI_V_COMMUNES));
		r->depts.read(doc.get_value(PVDI_V_DEPTS));
		r->regions.read(doc.get_value(PVDI_V_REGIONS));

		std::string data = doc.get_data();
		/* Past the deadline, the hit goes without its passage. */
		bool late = past(r->deadline);
		if (late)
			data.clear();
		r->partial = r->partial || late;
		/* The passage is most often near the start: unpack 8 KiB, and
		 * the rest only when some typed word is not found there. */
		int rc = -1;
		for (size_t want = 8192;; want = 0) {
			char *text = nullptr;
			size_t text_len = 0;
			int whole = 1;
			pvdi_snippet_clear(&r->snippet);
			if (pvdi_stored_unpack(data.data(), data.size(), want, &text,
					       &text_len, &whole) != 0) {
				/* damaged stored text: a hit without a passage */
				text = strdup("");
				text_len = 0;
				whole = 1;
			}
			rc = text ? pvdi_snippet_make(&r->snippet, text, text_len, r->q,
						      200)
				  : -1;
			free(text);
			if (rc != 0 || whole || want == 0 ||
			    r->snippet.n_spans >= std::max<size_t>(1, r->q->n_typed))
				break;
		}
		if (rc != 0)
			throw std::bad_alloc();

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
		++at;
		*out = &r->hit;
		return PVD_OK;
	} catch (...) {
		return index_fail(r->ix, r->err);
	}
}

/* Start the hits over, for pvd_results_json(). */
extern "C" void
pvdi_results_rewind(pvd_results *r)
{
	r->it = r->mset.begin();
	r->it2 = r->mset2.begin();
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

extern "C" pvd_status
pvdi_results_oom(pvd_results *r)
{
	try {
		r->err = "out of memory";
	} catch (...) {
	}
	return PVD_ENOMEM;
}

extern "C" int
pvdi_results_has_facets(const pvd_results *r)
{
	return r->facets;
}
