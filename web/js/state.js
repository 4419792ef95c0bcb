// The page's state lives in its URL, and only there: these parameters
// (CONTRACT, "The web page"), so that a search can be bookmarked, shared,
// reloaded, and walked through with Back and Forward.

export const FILTERS = ['type', 'commune', 'departement', 'region'];
const KEYS = ['q', ...FILTERS, 'since', 'until', 'sort', 'page', 'like'];
export const PAGE_SIZE = 10;

export function fromURL(search) {
  const p = new URLSearchParams(search);
  const s = {};
  for (const k of KEYS) {
    const v = (p.get(k) || '').trim();
    if (v) s[k] = v;
  }
  if (s.sort !== 'date') delete s.sort;
  const page = Number(s.page);
  if (Number.isInteger(page) && page > 1) s.page = page;
  else delete s.page;
  return s;
}

// The page's own link for state s: "?q=…", or "./" for the empty page.
export function toQuery(s) {
  const p = new URLSearchParams();
  for (const k of KEYS) if (s[k]) p.set(k, s[k]);
  const t = p.toString();
  return t ? '?' + t : './';
}

// s changed by the given fields (undefined removes one); back to page 1
// unless a page is given.
export function change(s, fields) {
  const n = {...s, page: undefined, ...fields};
  for (const k of Object.keys(n)) if (n[k] === undefined || n[k] === '') delete n[k];
  return n;
}

export function hasSearch(s) {
  return Boolean(s.q || s.like || FILTERS.some((k) => s[k]) || s.since || s.until);
}

// The API's request for s (relative: the page works under any prefix).
export function apiURL(s) {
  const p = new URLSearchParams();
  for (const k of ['q', ...FILTERS, 'since', 'until', 'sort', 'like']) if (s[k]) p.set(k, s[k]);
  if (s.page) p.set('offset', String((s.page - 1) * PAGE_SIZE));
  p.set('limit', String(PAGE_SIZE));
  p.set('facets', '1');
  return 'api/search?' + p.toString();
}

// What activating the value of a facet changes: the year facet is a
// period, the others are filters of their own name.
export function facetFields(facet, value) {
  if (facet === 'year') return {since: value + '-01-01', until: value + '-12-31'};
  return {[facet]: value};
}

export function facetActive(s, facet, value) {
  if (facet === 'year') return s.since === value + '-01-01' && s.until === value + '-12-31';
  return s[facet] === value;
}
