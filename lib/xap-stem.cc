/*
 * xap-stem.cc: Snowball French through Xapian::Stem, for the C side of the
 * analysis.  One stemmer per thread: Xapian objects never cross threads.
 */
#include <cstring>
#include <new>
#include <string>

#include <xapian.h>

#include "pvd-private.h"

extern "C" size_t
pvdi_stem_fr(char *out, size_t cap, const char *word, size_t len)
{
	try {
		static thread_local Xapian::Stem stem("french");
		std::string s = stem(std::string(word, len));
		if (s.empty() || s.size() >= cap)
			return 0;
		std::memcpy(out, s.data(), s.size());
		out[s.size()] = '\0';
		return s.size();
	} catch (const std::bad_alloc &) {
		return (size_t)-1; /* not "no stem": the caller must know */
	} catch (...) {
		return 0;
	}
}
