// index-anatomy.cc: what an index holds, by term prefix and value slot, to
// see what each costs: terms, postings (documents a term is in), and the
// sum of wdf (for a term with positions, about its positions), and for each
// value slot the documents that have it and their bytes.  The prefix of a
// term is its leading capitals (pvd's and omindex's convention).
//
//   c++ -O2 -o index-anatomy bench/index-anatomy.cc $(pkg-config --cflags --libs
//   xapian-core)
//   ./index-anatomy DB
#include <cctype>
#include <cstdio>
#include <map>
#include <string>

#include <xapian.h>

struct tally {
	unsigned long long terms = 0, postings = 0, wdf = 0, key_bytes = 0;
};

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: index-anatomy DB\n");
		return 2;
	}
	try {
		Xapian::Database db(argv[1]);
		std::map<std::string, tally> by;
		for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
			std::string term = *t;
			size_t n = 0;
			while (n < term.size() && isupper((unsigned char)term[n]))
				n++;
			tally &x = by[term.substr(0, n)];
			x.terms++;
			x.postings += t.get_termfreq();
			x.wdf += db.get_collection_freq(term);
			x.key_bytes += term.size();
		}
		printf("| prefix | terms | postings | sum of wdf | term bytes |\n");
		printf("| --- | ---: | ---: | ---: | ---: |\n");
		for (auto &p : by)
			printf("| `%s` | %llu | %llu | %llu | %llu |\n",
			       p.first.empty() ? "(none)" : p.first.c_str(),
			       p.second.terms, p.second.postings, p.second.wdf,
			       p.second.key_bytes);
		printf("\n| value slot | documents | bytes |\n| ---: | ---: | ---: |\n");
		for (Xapian::valueno s = 0; s < 64; s++) {
			unsigned long long docs = 0, bytes = 0;
			for (auto v = db.valuestream_begin(s); v != db.valuestream_end(s);
			     ++v) {
				docs++;
				bytes += (*v).size();
			}
			if (docs)
				printf("| %u | %llu | %llu |\n", s, docs, bytes);
		}
		unsigned long long data = 0;
		for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d)
			data += db.get_document(*d).get_data().size();
		printf("\ndocuments %u, document data %llu bytes\n", db.get_doccount(),
		       data);
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "index-anatomy: %s\n", e.get_description().c_str());
		return 1;
	}
	return 0;
}
