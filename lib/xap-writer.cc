/*
 * xap-writer.cc: turning a pvd_doc into a Xapian document and writing it.
 * Terms come from pvd's own analysis (tokenize.c, fold.c, stems.c), not
 * from Xapian's TermGenerator, which knows neither elision nor accents.
 */
#include <cerrno>
#include <cstring>
#include <string>
#include <sys/stat.h>

#include "xap-private.h"

struct pvd_writer {
	Xapian::WritableDatabase db;
	std::string err;
};

/* mkdir -p for the folders above the index. */
static int
make_parents(const std::string &dir, std::string &err)
{
	for (size_t i = 1; i < dir.size(); i++) {
		if (dir[i] != '/')
			continue;
		std::string part = dir.substr(0, i);
		if (mkdir(part.c_str(), 0777) != 0 && errno != EEXIST) {
			err = "cannot create " + part + ": " + std::strerror(errno);
			return -1;
		}
	}
	return 0;
}

extern "C" pvd_status
pvd_writer_open(pvd_writer **out, const char *dir, char **errmsg)
{
	std::string err;
	*out = nullptr;
	if (errmsg)
		*errmsg = nullptr;
	try {
		if (make_parents(dir, err) != 0) {
			pvdi_give_msg(errmsg, err);
			return PVD_EIO;
		}
		pvd_writer *w = new pvd_writer;
		try {
			w->db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
		} catch (...) {
			delete w;
			throw;
		}
		*out = w;
		return PVD_OK;
	} catch (...) {
		pvd_status st = pvdi_fail(err);
		if (st == PVD_ELOCKED)
			err = std::string("index ") + dir +
			      " is locked: another pvd-index is writing to it (" + err + ")";
		pvdi_give_msg(errmsg, err);
		return st;
	}
}

namespace {

/* What the tokenizer callback needs to fill one document. */
struct builder {
	Xapian::Document *doc;
	bool title;
	std::string *err;
	bool failed;
};

void
add_word(builder *b, const pvdi_token *tok)
{
	const pvdi_forms *f = tok->forms;
	std::string word(f->folded, f->folded_len);
	Xapian::termcount wdf = b->title ? PVDI_TITLE_WDF : 1;

	b->doc->add_posting(word, tok->pos + 1, wdf);
	if (b->title)
		b->doc->add_posting(PVDI_P_TITLE + word, tok->pos + 1);
	/* Stopwords keep their positions for phrases, but no stems. */
	if (pvdi_is_stopword(f->folded, f->folded_len))
		return;
	pvdi_stems st;
	pvdi_stems_of(&st, f);
	for (int i = 0; i < st.n; i++) {
		b->doc->add_term(std::string(PVDI_P_STEM) + st.s[i], wdf);
		if (b->title)
			b->doc->add_term(std::string(PVDI_P_TITLE_STEM) + st.s[i]);
	}
}

extern "C" int
on_token(const pvdi_token *tok, void *arg)
{
	builder *b = static_cast<builder *>(arg);
	/* An exception must not unwind through the C tokenizer. */
	try {
		add_word(b, tok);
		return 0;
	} catch (...) {
		pvdi_fail(*b->err);
		b->failed = true;
		return 1;
	}
}

std::string
year_of(const char *date)
{
	return date && pvdi_valid_date(date) ? std::string(date, 4) : std::string();
}

void
add_boolean(Xapian::Document &doc, const char *prefix, const char *value)
{
	char key[PVDI_FORM_CAP];
	pvdi_commune_key(key, sizeof key, value);
	if (key[0])
		doc.add_boolean_term(std::string(prefix) + key);
}

} // namespace

extern "C" pvd_status
pvd_writer_add(pvd_writer *w, const pvd_doc *d)
{
	try {
		if (!d->path || !*d->path) {
			w->err = "a document needs a path";
			return PVD_EINVAL;
		}
		Xapian::Document doc;
		builder b = {&doc, true, &w->err, false};
		uint32_t pos = 0;
		if (d->title)
			pos = pvdi_tokenize(d->title, std::strlen(d->title), 0, on_token, &b);
		b.title = false;
		if (!b.failed && d->text)
			pvdi_tokenize(d->text, d->text_len, pos + PVDI_BODY_POS_GAP, on_token, &b);
		if (b.failed)
			return PVD_EXAPIAN;

		std::string idterm = pvdi_id_term(d->path);
		doc.add_boolean_term(idterm);
		std::string communes;
		for (size_t i = 0; i < d->n_communes; i++) {
			add_boolean(doc, PVDI_P_COMMUNE, d->communes[i]);
			if (i)
				communes += '\n';
			communes += d->communes[i];
		}
		if (d->type && *d->type)
			add_boolean(doc, PVDI_P_TYPE, d->type);
		std::string year = year_of(d->date);
		if (!year.empty())
			doc.add_boolean_term(PVDI_P_YEAR + year);

		doc.add_value(PVDI_V_PATH, d->path);
		doc.add_value(PVDI_V_TITLE, d->title ? d->title : "");
		doc.add_value(PVDI_V_TYPE, d->type ? d->type : "");
		if (d->date && pvdi_valid_date(d->date)) {
			doc.add_value(PVDI_V_DATE, d->date);
			doc.add_value(PVDI_V_YEAR, year);
		}
		doc.add_value(PVDI_V_COMMUNES, communes);
		doc.add_value(PVDI_V_SIZE, std::to_string(d->size));
		doc.add_value(PVDI_V_MTIME, std::to_string(d->mtime));
		/* The text itself, for snippets: Xapian compresses it. */
		doc.set_data(d->text ? std::string(d->text, d->text_len) : std::string());

		w->db.replace_document(idterm, doc);
		return PVD_OK;
	} catch (...) {
		return pvdi_fail(w->err);
	}
}

extern "C" pvd_status
pvd_writer_delete(pvd_writer *w, const char *path)
{
	try {
		w->db.delete_document(pvdi_id_term(path));
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
		return pvdi_fail(w->err);
	}
}

extern "C" void
pvd_writer_close(pvd_writer *w)
{
	if (!w)
		return;
	try {
		/* Xapian commits what is pending when it closes. */
		w->db.close();
	} catch (...) {
	}
	delete w;
}

extern "C" const char *
pvd_writer_errmsg(const pvd_writer *w)
{
	return w->err.c_str();
}
