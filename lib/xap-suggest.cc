/*
 * xap-suggest.cc: "did you mean": each word the index does not know
 * replaced by the closest word it does, spelled as the documents spell it.
 */
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "xap-private.hh"

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
		if (*scan == 0 || ((*scan & 1023) == 0 && pvdi_past(deadline))) {
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

} // namespace

std::string
pvdi_suggest(const Xapian::Database &db, const pvdi_query *q, const std::string &text,
	     double deadline, bool *cut)
{
	struct fix {
		const pvdi_qword *w;
		std::string text;
	};
	std::vector<fix> fixes;
	size_t unknown = 0, scan = PVDI_SUGGEST_SCAN;
	for (size_t i = 0; i < q->n_typed; i++) {
		const pvdi_qword &w = q->typed[i];
		if ((!fixes.empty() && w.start < fixes.back().w->end) ||
		    db.term_exists(w.folded) ||
		    (w.stem[0] && db.term_exists(w.stem[0])) ||
		    (w.stem[1] && db.term_exists(w.stem[1])))
			continue;
		if (++unknown > PVDI_SUGGEST_WORDS || scan == 0 || pvdi_past(deadline)) {
			*cut = scan == 0 || pvdi_past(deadline);
			break;
		}
		std::string best = closest(db, w.folded, &scan, deadline);
		if (best.empty())
			continue;
		/* freed too when push_back throws (allocation failures) */
		std::unique_ptr<char, void (*)(void *)> cased(
		    pvdi_suggest_cased(as_written(db, best).c_str(),
				       text.c_str() + w.start, w.end - w.start),
		    free);
		if (!cased)
			throw std::bad_alloc();
		fixes.push_back({&w, cased.get()});
	}
	if (fixes.empty())
		return std::string();
	/* Each written word with its fixes in it, or the commune it then
	 * names as the COG spells it (Saint-Martori: Saint-Martory). */
	std::string out;
	size_t at = 0;
	for (size_t i = 0; i < fixes.size();) {
		const pvdi_qword *w = fixes[i].w;
		std::string word;
		size_t in = w->word_start, j = i;
		for (; j < fixes.size() && fixes[j].w->word_start == w->word_start; j++) {
			word += text.substr(in, fixes[j].w->start - in) + fixes[j].text;
			in = fixes[j].w->end;
		}
		word += text.substr(in, w->word_end - in);
		char first = text[w->word_start];
		int capitalised = (first >= 'A' && first <= 'Z') ||
				  (unsigned char)first >= 0x80 ||
				  word.find('-') != std::string::npos;
		const char *commune =
		    pvdi_suggest_commune(word.data(), word.size(), capitalised);
		out += text.substr(at, w->word_start - at) + (commune ? commune : word);
		at = w->word_end;
		i = j;
	}
	return out + text.substr(at);
}
