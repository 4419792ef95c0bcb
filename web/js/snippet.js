// snippet_html as DOM nodes, without an HTML parser: the API sends the
// passage HTML-escaped, with <mark> and </mark> as its only markup.  Text
// is decoded and set as text; anything else that looks like a tag stays
// text too.  So no string ever reaches an HTML sink (the CSP's Trusted
// Types would refuse it anyway).

const NAMED = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'"};

function decode(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e) => {
    if (NAMED[e.toLowerCase()]) return NAMED[e.toLowerCase()];
    if (e[0] !== '#') return all;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : all;
  });
}

export function snippetNodes(html) {
  const frag = document.createDocumentFragment();
  const parts = String(html || '').split(/(<mark>|<\/mark>)/);
  let mark = null;
  for (const part of parts) {
    if (part === '<mark>') mark = document.createElement('mark');
    else if (part === '</mark>') {
      if (mark) frag.append(mark);
      mark = null;
    } else if (part) (mark || frag).append(decode(part));
  }
  if (mark) frag.append(mark);
  return frag;
}
