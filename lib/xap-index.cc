/*
 * xap-index.cc: opening indexes (several shards as one, local or served
 * by xapian-tcpsrv), following a --full switch, and what an open index
 * tells about itself (revision, size, a document's stamp).
 */
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "xap-private.hh"

/* The content of a local index folder's stub (its generation), or "". */
static std::string
read_stub(const std::string &name)
{
	char text[PVDI_STUB_CAP];
	pvdi_stub_read(text, sizeof text, name.c_str());
	return text;
}

static bool remote_address(const char *db, std::string &host, unsigned &port);

static struct stat
stub_stat(const std::string &name)
{
	struct stat sb;
	pvdi_stub_stat(&sb, name.c_str());
	return sb;
}

/* The version file of a local shard's generation: an unchanged stat means
 * no commit since. */
static struct stat
version_stat(const std::string &name, const std::string &stub)
{
	struct stat sb {
	};
	if (!stub.empty())
		pvdi_gen_stat(&sb, name.c_str(), pvdi_stub_gen(stub.c_str()));
	return sb;
}

static bool
same_stat(const struct stat &a, const struct stat &b)
{
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
	       a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
	       a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_size == b.st_size;
}

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

/* Open every shard of ix->names into ix->db. */
static void
open_shards(pvd_index *ix)
{
	Xapian::Database db;
	std::vector<std::string> stubs;
	std::vector<struct stat> stats, versions;
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
			versions.push_back(version_stat(name, stubs.back())); /* none */
		} else {
			/* a stub file of "remote" lines is remote too, and has
			 * no generation of ours to follow */
			bool via_stub = stub_names_remote(name, 0);
			stats.push_back(stub_stat(name));
			stubs.push_back(via_stub ? std::string() : read_stub(name));
			/* seen before the open: a commit in between is seen
			 * again at the next refresh, never missed */
			versions.push_back(version_stat(name, stubs.back()));
			db.add_database(Xapian::Database(name));
			remote = remote || via_stub;
		}
	}
	ix->db = db;
	ix->stubs = stubs;
	ix->stub_stats = stats;
	ix->version_stats = versions;
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

/* The names of every shard, for a message. */
static std::string
all_names(const char *const *dbs, size_t n_dbs)
{
	std::string names;
	for (size_t i = 0; i < n_dbs; i++)
		names += (i ? ", " : "") + std::string(dbs[i]);
	return names;
}

pvd_status
pvdi_index_fail(const pvd_index *ix, std::string &err) noexcept
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
			pvdi_give_msg(errmsg, _("no index named"));
			return PVD_EINVAL;
		}
		for (size_t i = 0; i < n_dbs; i++) {
			struct stat sb;
			std::string host;
			unsigned port;
			if (std::strncmp(dbs[i], "tcp://", 6) == 0 &&
			    !remote_address(dbs[i], host, port)) {
				pvdi_give_msg(errmsg,
					      pvdi_format(_("not a remote index address "
							    "(tcp://HOST:PORT): %s"),
							  dbs[i]));
				return PVD_EINVAL;
			}
			if (!host.empty())
				continue;
			if (stat(dbs[i], &sb) != 0) {
				pvdi_give_msg(errmsg,
					      pvdi_format(_("no index at %s"), dbs[i]));
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
			err = pvdi_format(st == PVD_ENOENT
					      ? _("no index at %s (%s)")
					      : _("cannot open the index %s (%s)"),
					  all_names(dbs, n_dbs).c_str(), err.c_str());
			pvdi_give_msg(errmsg, err);
		} catch (...) {
			pvdi_give_msg(errmsg, _("out of memory"));
		}
		return st;
	}
}

extern "C" pvd_status
pvd_index_refresh(pvd_index *ix)
{
	try {
		bool switched = false;
		/* Xapian's reopen() opens and reads the version file of every
		 * shard: a stat of it tells whether there is anything to read.
		 * A remote shard, or a folder of no generation of pvd's, is
		 * left to reopen(). */
		bool changed = ix->remote;
		for (size_t i = 0; i < ix->names.size() && !switched; i++) {
			if (ix->stubs[i].empty()) {
				changed = true;
				continue;
			}
			/* One stat per shard; the stub is read only when it changed. */
			struct stat now = stub_stat(ix->names[i]);
			if (!same_stat(now, ix->stub_stats[i])) {
				switched = read_stub(ix->names[i]) != ix->stubs[i];
				ix->stub_stats[i] = now;
			}
			struct stat version = version_stat(ix->names[i], ix->stubs[i]);
			/* (no version file: reopen() says what is wrong) */
			if (version.st_ino == 0 ||
			    !same_stat(version, ix->version_stats[i])) {
				changed = true;
				ix->version_stats[i] = version;
			}
		}
		if (switched)
			open_shards(ix); /* pvd-index --full published a new generation */
		else if (changed)
			ix->db.reopen();
		return PVD_OK;
	} catch (...) {
		/* not seen, then: the next refresh tries again */
		for (auto &version : ix->version_stats)
			version.st_size = -1; /* no file's */
		return pvdi_index_fail(ix, ix->err);
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
			std::string gen = pvdi_stub_gen(ix->stubs[i].c_str());
			Xapian::Database one(ix->names[i] + "/" + gen);
			text += gen + ":" + std::to_string(one.get_revision());
			*updated =
			    std::max(*updated,
				     pvdi_gen_changed(ix->names[i].c_str(), gen.c_str()));
		}
		*revision = strdup(text.c_str());
		return *revision ? PVD_OK : PVD_ENOMEM;
	} catch (...) {
		return pvdi_index_fail(ix, ix->err);
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
		pvdi_index_fail(ix, ix->err);
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
		return pvdi_index_fail(ix, ix->err);
	}
}
