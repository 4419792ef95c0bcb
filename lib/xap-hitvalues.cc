/*
 * xap-hitvalues.cc: the values a page of hits shows (path, title, type,
 * dates, places), read one value stream at a time, for documents indexed
 * before their stored text had them in its head (hit-fields.c).
 *
 * Document::get_value() looks each value up from the B-tree's root with a
 * cursor of its own: eight values for each of ten hits cost 80 searches
 * and as many block reads again.  A value stream walked in docid order
 * keeps its cursor and its chunk, so the hits of a page share them.
 */
#include <algorithm>

#include "xap-private.hh"

void
pvdi_hit_values::read(const pvd_index *ix, const Xapian::MSet &mset, Xapian::doccount n,
		      const Xapian::MSet &mset2, Xapian::doccount n2)
{
	ready = true;
	/* Xapian's remote backend has no value streams: it would emulate one
	 * by fetching every document.  of() reads a remote hit's own. */
	if (ix->remote)
		return;
	std::vector<Xapian::docid> page;
	for (Xapian::doccount i = 0; i < n; i++)
		page.push_back(*mset[i]);
	for (Xapian::doccount i = 0; i < n2; i++)
		page.push_back(*mset2[i]);
	std::sort(page.begin(), page.end());
	page.erase(std::unique(page.begin(), page.end()), page.end());
	std::vector<std::string> got(page.size() * PVDI_SHOWN_SLOTS);
	for (int k = 0; k < PVDI_SHOWN_SLOTS; k++) {
		Xapian::ValueIterator v =
		    ix->db.valuestream_begin(Xapian::valueno(pvdi_shown_slots[k]));
		Xapian::ValueIterator end =
		    ix->db.valuestream_end(Xapian::valueno(pvdi_shown_slots[k]));
		for (size_t i = 0; i < page.size() && v != end; i++) {
			v.skip_to(page[i]); /* the first docid >= page[i] with a value */
			if (v != end && v.get_docid() == page[i])
				got[i * PVDI_SHOWN_SLOTS + k] = *v;
		}
	}
	ids.swap(page);
	values.swap(got);
}

const std::string *
pvdi_hit_values::of(Xapian::docid did, const Xapian::Document &doc)
{
	auto at = std::lower_bound(ids.begin(), ids.end(), did);
	if (at != ids.end() && *at == did)
		return &values[size_t(at - ids.begin()) * PVDI_SHOWN_SLOTS];
	for (int k = 0; k < PVDI_SHOWN_SLOTS; k++)
		one[k] = doc.get_value(Xapian::valueno(pvdi_shown_slots[k]));
	return one;
}
