/*
 * xap-writer.cc: writing prepared documents (prepare.c) to Xapian, in the
 * folder that store.c locks and lays out.  Terms come from pvd's own
 * analysis, not from Xapian's TermGenerator, which knows neither elision
 * nor accents.
 */
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "xap-private.hh"

struct pvd_writer {
	pvdi_store store;
	Xapian::WritableDatabase db;
	bool closed = false; /* pvd_writer_finish() closed db to publish it */
	/* A new index or a rebuild, until finished: compacted then, and
	 * meanwhile a document whose id term this run has not written is
	 * surely not in it, so it is added without replace_document()'s
	 * look-up of the term. */
	bool fresh = false;
	bool changed = false;	/* documents added, replaced or deleted */
	uint64_t compacted = 0; /* bytes of the compacted copy finish() made */
	std::unordered_set<uint64_t> written; /* while fresh: the id terms' hashes */
	std::string err;
};

/* The size and document count of the index when it was last compacted,
 * "BYTES DOCS", in the index's metadata. */
static const char COMPACT_KEY[] = "pvd.compacted";

/* An index is loose, and compacted after a run that changed it, when it
 * takes this many times the bytes a document it took when last compacted:
 * each commit splits B-tree blocks that then stay half empty
 * (docs/PERFORMANCE.md measures it). */
static const double LOOSE_RATIO = 1.4;

/* pvdi_fail() for a call on w: a damaged index is named in the message. */
static pvd_status
writer_fail(pvd_writer *w) noexcept
{
	pvd_status st = pvdi_fail(w->err);
	if ((st == PVD_ECORRUPT || st == PVD_EXAPIAN) && w->store.dir) {
		try {
			w->err = std::string("index ") + w->store.dir + ": " + w->err;
		} catch (...) {
		}
	}
	return st;
}

extern "C" pvd_status
pvd_writer_open(pvd_writer **out, const char *dir, unsigned flags, char **errmsg)
{
	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	pvd_writer *w = nullptr;
	try {
		w = new pvd_writer;
		char *msg = nullptr;
		pvd_status st = pvdi_store_open(&w->store, dir,
						(flags & PVD_WRITER_REBUILD) != 0, &msg);
		if (st != PVD_OK) {
			if (errmsg)
				*errmsg = msg;
			else
				free(msg);
			delete w;
			return st;
		}
		int mode = w->store.rebuild ? Xapian::DB_CREATE_OR_OVERWRITE
					    : Xapian::DB_CREATE_OR_OPEN;
		w->fresh = w->store.rebuild || w->store.publish;
		w->db = Xapian::WritableDatabase(w->store.target, mode);
		/* A new index is published at once, empty: readers find it. */
		if (!w->store.rebuild && w->store.publish) {
			w->db.commit();
			st = pvdi_store_publish(&w->store, &msg);
			if (st != PVD_OK) {
				pvdi_give_msg(errmsg,
					      msg ? msg : _("cannot publish the index"));
				free(msg);
				pvd_writer_close(w);
				return st;
			}
		}
		*out = w;
		return PVD_OK;
	} catch (...) {
		std::string err;
		pvd_status st = pvdi_fail(err);
		if (w) {
			/* (the handler allocates too: out of memory, the message
			 * goes without the index's name, never out of here) */
			try {
				err =
				    std::string(w->store.target ? w->store.target : dir) +
				    ": " + err;
			} catch (...) {
			}
			pvdi_store_close(&w->store);
			delete w;
		}
		pvdi_give_msg(errmsg, err);
		return st;
	}
}

/* Whether idterm is surely in no document of w's index.  Two id terms
 * with one hash make the second a replace_document(), which is right
 * either way. */
static bool
first_write(pvd_writer *w, const char *idterm)
{
	if (!w->fresh)
		return false;
	uint64_t h = pvdi_fnv1a(PVDI_FNV_START, idterm, strlen(idterm));
	return w->written.insert(h).second;
}

extern "C" pvd_status
pvd_writer_add_prepared(pvd_writer *w, const pvd_prepared *p)
{
	try {
		Xapian::Document doc;
		std::vector<std::string> names(p->n_terms);
		/* Each Xapian call on a term looks it up in the document's map
		 * of terms: a term with positions enters the map at its first
		 * one, which brings its whole wdf, and the others add none. */
		enum { NO_POSITIONS, POSITIONS, ADDED };
		std::vector<unsigned char> state(p->n_terms, NO_POSITIONS);
		for (size_t i = 0; i < p->n_postings; i++)
			state[p->postings[i].term] = POSITIONS;
		for (size_t t = 0; t < p->n_terms; t++) {
			names[t] = p->arena + p->terms[t].name;
			if (state[t] == NO_POSITIONS)
				doc.add_term(names[t], p->terms[t].wdf);
		}
		for (size_t i = 0; i < p->n_postings; i++) {
			uint32_t t = p->postings[i].term;
			Xapian::termcount wdf =
			    state[t] == POSITIONS ? p->terms[t].wdf : 0;
			state[t] = ADDED;
			doc.add_posting(names[t], p->postings[i].pos, wdf);
		}
		for (size_t i = 0; i < p->booleans.n; i++)
			doc.add_boolean_term(p->booleans.v[i]);
		for (int i = 0; i < PVDI_V_COUNT; i++)
			if (p->values[i][0])
				doc.add_value(i, p->values[i]);
		/* The text itself, for snippets (see PVDI_V_TEXT). */
		doc.add_value(PVDI_V_TEXT, std::string(p->data, p->data_len));
		char idterm[PVDI_ID_TERM_CAP];
		pvdi_id_term(idterm, sizeof idterm, p->values[PVDI_V_PATH]);
		if (first_write(w, idterm))
			w->db.add_document(doc);
		else
			w->db.replace_document(idterm, doc);
		w->changed = true;
		return PVD_OK;
	} catch (const Xapian::DatabaseCorruptError &) {
		return pvdi_fail(w->err);
	} catch (const Xapian::DatabaseError &e) {
		/* a block the disk would not take: the index's trouble, not the
		 * document's */
		w->err = e.get_description();
		return PVD_EIO;
	} catch (...) {
		return writer_fail(w);
	}
}

extern "C" pvd_status
pvd_writer_add(pvd_writer *w, const pvd_doc *d)
{
	pvd_prepared *p = nullptr;
	try {
		pvd_status st = pvd_prepare(&p, d);
		if (st != PVD_OK) {
			w->err = st == PVD_EINVAL ? _("a document needs a path")
						  : pvd_status_str(st);
			return st;
		}
		st = pvd_writer_add_prepared(w, p);
		pvd_prepared_free(p);
		return st;
	} catch (...) {
		pvd_prepared_free(p);
		return writer_fail(w);
	}
}

extern "C" pvd_status
pvd_writer_delete(pvd_writer *w, const char *path)
{
	try {
		char idterm[PVDI_ID_TERM_CAP];
		pvdi_id_term(idterm, sizeof idterm, path);
		w->db.delete_document(idterm);
		w->changed = true;
		return PVD_OK;
	} catch (...) {
		return writer_fail(w);
	}
}

extern "C" pvd_status
pvd_writer_each_path(pvd_writer *w, const char *prefix,
		     void (*fn)(const char *path, void *arg), void *arg)
{
	try {
		std::string want(prefix ? prefix : "");
		std::vector<std::string> paths;
		/* Q terms sort by path; a long path's term holds its start. */
		std::string start =
		    std::string(PVDI_P_ID) + want.substr(0, PVDI_ID_PATH_KEEP);
		for (auto t = w->db.allterms_begin(start); t != w->db.allterms_end(start);
		     ++t) {
			Xapian::PostingIterator pi = w->db.postlist_begin(*t);
			if (pi == w->db.postlist_end(*t))
				continue;
			std::string path = w->db.get_document(*pi).get_value(PVDI_V_PATH);
			if (!prefix || path == want ||
			    (path.size() > want.size() &&
			     path.compare(0, want.size(), want) == 0 &&
			     path[want.size()] == '/'))
				paths.push_back(path);
		}
		for (const auto &p : paths)
			fn(p.c_str(), arg);
		return PVD_OK;
	} catch (...) {
		return writer_fail(w);
	}
}

extern "C" pvd_status
pvd_writer_get_meta(pvd_writer *w, const char *key, char **value)
{
	*value = nullptr;
	try {
		std::string v = w->db.get_metadata(key);
		*value = strdup(v.c_str());
		return *value ? PVD_OK : PVD_ENOMEM;
	} catch (...) {
		return pvdi_fail(w->err);
	}
}

extern "C" pvd_status
pvd_writer_set_meta(pvd_writer *w, const char *key, const char *value)
{
	try {
		w->db.set_metadata(key, value);
		return PVD_OK;
	} catch (...) {
		return pvdi_fail(w->err);
	}
}

extern "C" pvd_status
pvd_writer_carry_over(pvd_writer *w, int (*keep)(const char *path, void *arg), void *arg)
{
	if (!w->store.rebuild || !w->store.old_gen)
		return PVD_OK; /* nothing is being replaced */
	try {
		std::string old = std::string(w->store.dir) + "/gen-" +
				  std::to_string(w->store.old_gen);
		Xapian::Database from(old);
		std::string prefix(PVDI_P_ID);
		for (auto t = from.allterms_begin(prefix); t != from.allterms_end(prefix);
		     ++t) {
			/* already written afresh by this rebuild */
			if (w->db.term_exists(*t))
				continue;
			Xapian::PostingIterator pi = from.postlist_begin(*t);
			if (pi == from.postlist_end(*t))
				continue;
			Xapian::Document doc = from.get_document(*pi);
			if (keep(doc.get_value(PVDI_V_PATH).c_str(), arg)) {
				(void)first_write(w, (*t).c_str());
				w->db.replace_document(*t, doc);
				w->changed = true;
			}
		}
		return PVD_OK;
	} catch (...) {
		return pvdi_fail(w->err);
	}
}

extern "C" pvd_status
pvd_writer_commit(pvd_writer *w)
{
	try {
		w->db.commit();
		return PVD_OK;
	} catch (...) {
		return writer_fail(w);
	}
}

/* Whether the committed index takes LOOSE_RATIO times the bytes a
 * document it took when last compacted, or was never compacted. */
static bool
grown_loose(pvd_writer *w)
{
	unsigned long long bytes = 0, docs = 0;
	std::string v = w->db.get_metadata(COMPACT_KEY);
	if (sscanf(v.c_str(), "%llu %llu", &bytes, &docs) != 2 || !bytes)
		return true;
	double now = (double)pvdi_dir_bytes(w->store.target);
	double count = (double)w->db.get_doccount();
	if (!docs) /* compacted empty: any growth is new content */
		return now > LOOSE_RATIO * (double)bytes;
	return now / (count > 0 ? count : 1) > LOOSE_RATIO * (double)bytes / (double)docs;
}

/* Rewrite the committed index into the next generation with full B-tree
 * blocks (Xapian's compaction) and switch readers to it, as atomically as
 * a rebuild: a reader sees the loose index or the compacted one.  The
 * writer goes on in the compacted copy unless finishing a rebuild.  When
 * compaction fails, the loose index stays (and a rebuild is published
 * loose): it is whole, only bigger. */
static void
compact_switch(pvd_writer *w)
{
	unsigned gen = 0;
	char *next = pvdi_store_next_target(&w->store, &gen);
	if (!next)
		return; /* a pre-generation index stays in place */
	std::string dest;
	try {
		dest = next;
	} catch (...) {
		free(next);
		return;
	}
	free(next);
	bool rebuild = w->store.rebuild && w->store.publish;
	try {
		w->db.close();
		w->closed = true;
		{
			Xapian::Database src(w->store.target);
			src.compact(dest, Xapian::DBCOMPACT_NO_RENUMBER |
					      Xapian::Compactor::FULL);
		}
		uint64_t bytes = pvdi_dir_bytes(dest.c_str());
		{
			Xapian::WritableDatabase out(dest, Xapian::DB_OPEN);
			out.set_metadata(COMPACT_KEY,
					 std::to_string(bytes) + " " +
					     std::to_string(out.get_doccount()));
			out.commit();
		}
		char *msg = nullptr;
		if (pvdi_store_switch(&w->store, gen, &msg) != PVD_OK) {
			free(msg); /* the loose index goes on, whole */
		} else {
			w->compacted = bytes;
		}
	} catch (...) {
		std::string ignored;
		pvdi_fail(ignored);
		pvdi_remove_tree(dest.c_str());
	}
	if (rebuild && !w->compacted)
		return; /* the caller publishes the loose rebuild */
	if (w->store.rebuild)
		return; /* finished: nothing more is written */
	/* an incremental run, maybe followed by --watch, writes on */
	w->db = Xapian::WritableDatabase(w->store.target, Xapian::DB_OPEN);
	w->closed = false;
}

extern "C" pvd_status
pvd_writer_finish(pvd_writer *w)
{
	try {
		w->db.commit();
		if (w->fresh || (w->changed && grown_loose(w)))
			compact_switch(w);
		w->fresh = w->changed = false;
		std::unordered_set<uint64_t>().swap(w->written); /* (--watch goes on) */
		if (!w->store.publish)
			return PVD_OK;
		if (!w->closed)
			w->db.close();
		w->closed = true;
		char *msg = nullptr;
		pvd_status st = pvdi_store_publish(&w->store, &msg);
		if (st != PVD_OK)
			w->err = msg ? msg : _("cannot publish the index");
		free(msg);
		return st;
	} catch (...) {
		return writer_fail(w);
	}
}

extern "C" uint64_t
pvd_writer_compacted(const pvd_writer *w)
{
	return w->compacted;
}

extern "C" pvd_status
pvd_writer_close(pvd_writer *w)
{
	if (!w)
		return PVD_OK;
	pvd_status st = PVD_OK;
	try {
		/* The final commit, unless it is an unfinished rebuild's, which
		 * pvdi_store_close() throws away. */
		if (!w->closed && !(w->store.rebuild && w->store.publish))
			w->db.commit();
	} catch (...) {
		std::string err;
		st = pvdi_fail(err);
	}
	try {
		w->db.close();
	} catch (...) {
	}
	pvdi_store_close(&w->store);
	delete w;
	return st;
}

extern "C" const char *
pvd_writer_errmsg(const pvd_writer *w)
{
	return w->err.c_str();
}
