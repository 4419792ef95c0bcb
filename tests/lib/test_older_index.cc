// test_older_index.cc: indexes made before the stored text moved from the
// document data to a value (PVDI_V_TEXT), with a head (lib/hit-fields.c) or
// before it had one, still show every field of their hits and their
// passages, and so does a page that mixes the layouts (an index updated in
// place since).  Xapian is used directly only to write documents back in
// the older layouts.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <xapian.h>

#include "pvd-private.h"
#include "pvd.h"

static int failures;

#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			std::fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__,     \
				     #cond);                                             \
			std::fprintf(stderr, __VA_ARGS__);                               \
			std::fputc('\n', stderr);                                        \
			failures++;                                                      \
		}                                                                        \
	} while (0)

struct sample {
	const char *path, *title, *type, *date, *commune, *text;
};

static const sample samples[] = {
    {"/corpus/ancien.txt", "Un diagnostic de l'ingénierie", "article", "2025-03-14",
     "Vitré", "Le diagnostic porte sur l'ingénierie des bourgs et sur leurs commerces."},
    {"/corpus/nouveau.txt", "Une convention d'ingénierie", "texte", "2026-01-09",
     "Fougères", "La convention finance l'ingénierie de la revitalisation du centre."},
    {"/corpus/recent.txt", "Un bilan de l'ingénierie", "catalogue", "2026-06-02", "Redon",
     "Le bilan recense les mesures d'ingénierie ouvertes aux petites villes."},
};

static void
build(const std::string &dir)
{
	pvd_writer *w = nullptr;
	char *err = nullptr;
	pvd_status st = pvd_writer_open(&w, dir.c_str(), 0, &err);
	CHECK(st == PVD_OK, "open %s: %s", dir.c_str(), err ? err : "");
	std::free(err);
	if (st != PVD_OK)
		std::exit(1);
	for (const sample &s : samples) {
		const char *communes[] = {s.commune};
		pvd_doc d{};
		d.path = s.path;
		d.title = s.title;
		d.type = s.type;
		d.date = s.date;
		d.date_source = "metadata";
		d.communes = communes;
		d.n_communes = 1;
		d.text = s.text;
		d.text_len = std::strlen(s.text);
		CHECK(pvd_writer_add(w, &d) == PVD_OK, "add %s", s.path);
	}
	CHECK(pvd_writer_finish(w) == PVD_OK, "finish");
	CHECK(pvd_writer_close(w) == PVD_OK, "close");
}

// The first two samples written back as pvd-index wrote them before: the
// first with the text alone in the document data, no head; the second with
// the head and the text in the document data.  The third stays as it is.
static void
make_older(const std::string &dir)
{
	char stub[PVDI_STUB_CAP];
	pvdi_stub_read(stub, sizeof stub, dir.c_str());
	Xapian::WritableDatabase db(dir + "/" + pvdi_stub_gen(stub));
	Xapian::PostingIterator p = db.postlist_begin("");
	for (; p != db.postlist_end(""); ++p) {
		Xapian::Document doc = db.get_document(*p);
		std::string path = doc.get_value(PVDI_V_PATH);
		std::string packed = doc.get_value(PVDI_V_TEXT);
		CHECK(!packed.empty() && doc.get_data().empty(),
		      "a new document keeps its text in a value, no document data");
		if (path == samples[2].path)
			continue;
		bool first = path == samples[0].path;
		doc.remove_value(PVDI_V_TEXT);
		if (!first) {
			doc.set_data(packed);
			db.replace_document(*p, doc);
			continue;
		}
		pvdi_stored_reader rd;
		char *older = nullptr;
		size_t older_len = 0;
		CHECK(pvdi_stored_open(&rd, packed.data(), packed.size()) == 0 &&
			  pvdi_stored_read(&rd, 0) == 0,
		      "unpack");
		CHECK(rd.head != nullptr, "a new document's text has a head");
		CHECK(pvdi_stored_pack(nullptr, 0, rd.text, rd.len, &older, &older_len) ==
			  0,
		      "pack");
		doc.set_data(std::string(older, older_len));
		db.replace_document(*p, doc);
		pvdi_stored_close(&rd);
		std::free(older);
	}
	db.commit();
}

static void
search_shows_all(const std::string &dir, const char *what)
{
	const char *dbs[] = {dir.c_str()};
	pvd_index *ix = nullptr;
	char *err = nullptr;
	CHECK(pvd_index_open(&ix, dbs, 1, &err) == PVD_OK, "%s: open: %s", what,
	      err ? err : "");
	std::free(err);
	if (!ix)
		return;
	pvd_request req{};
	req.query = "ingénierie";
	pvd_results *r = nullptr;
	CHECK(pvd_search(&r, ix, &req) == PVD_OK, "%s: search", what);
	int seen = 0;
	const pvd_hit *h = nullptr;
	while (r && pvd_results_next(r, &h) == PVD_OK) {
		const sample *s = nullptr;
		for (const sample &one : samples)
			if (!std::strcmp(h->path, one.path))
				s = &one;
		CHECK(s != nullptr, "%s: a hit of no sample: %s", what, h->path);
		if (!s)
			continue;
		seen++;
		CHECK(!std::strcmp(h->title, s->title), "%s: %s: title %s", what, s->path,
		      h->title);
		CHECK(!std::strcmp(h->type, s->type), "%s: %s: type %s", what, s->path,
		      h->type);
		CHECK(!std::strcmp(h->date, s->date), "%s: %s: date %s", what, s->path,
		      h->date);
		CHECK(!std::strcmp(h->date_source, "metadata"), "%s: %s: date source %s",
		      what, s->path, h->date_source);
		CHECK(h->n_communes == 1 && !std::strcmp(h->communes[0], s->commune),
		      "%s: %s: %zu communes", what, s->path, h->n_communes);
		CHECK(h->n_departements == 1 && h->n_regions == 1,
		      "%s: %s: %zu départements, %zu régions", what, s->path,
		      h->n_departements, h->n_regions);
		CHECK(std::strstr(h->snippet, "ingénierie") && h->n_highlights > 0,
		      "%s: %s: snippet %s", what, s->path, h->snippet);
	}
	CHECK(seen == 3, "%s: %d hits", what, seen);
	pvd_results_free(r);
	pvd_index_close(ix);
}

int
main()
{
	const char *tmp = std::getenv("TMPDIR");
	std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/pvd-older-XXXXXX";
	const char *base = mkdtemp(&tmpl[0]);
	if (!base)
		return 1;
	std::string dir = std::string(base) + "/index";
	build(dir);
	search_shows_all(dir, "new layout");
	try {
		make_older(dir);
	} catch (const Xapian::Error &e) {
		CHECK(false, "%s", e.get_description().c_str());
	}
	search_shows_all(dir, "the two older layouts and the new one");
	std::string rm = "rm -rf '" + std::string(base) + "'";
	if (std::system(rm.c_str()) != 0)
		std::fprintf(stderr, "could not remove %s\n", base);
	if (failures)
		std::fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
