// Building the page's parts from an answer.  Every text from a document or
// a query goes in as text (textContent, append of strings): only the
// snippet's <mark> becomes markup, through snippet.js.

import {FILTERS, PAGE_SIZE, change, toQuery, facetFields, facetActive} from './state.js';
import {snippetNodes} from './snippet.js';

const nf = new Intl.NumberFormat('fr-FR');
const df = new Intl.DateTimeFormat('fr-FR', {dateStyle: 'long', timeZone: 'UTC'});

const FACET_NAMES = {
  type: 'Type de document', commune: 'Commune', departement: 'Département',
  region: 'Région', year: 'Année',
};
const TYPE_NAMES = {article: 'Article', catalogue: 'Mesure du catalogue', texte: 'Texte officiel'};
const FILTER_NAMES = {type: 'Type', commune: 'Commune', departement: 'Département', region: 'Région'};
// Values shown before "n autres"
const FACET_SHOWN = 6;

export function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === true) e.setAttribute(k, '');
    else if (v !== undefined && v !== false && v !== null) e.setAttribute(k, v);
  }
  e.append(...kids.filter((k) => k !== undefined && k !== null && k !== ''));
  return e;
}

// A link to another state of the page, followed without reloading it.
export function nav(s, attrs, ...kids) {
  return el('a', {href: toQuery(s), 'data-nav': true, ...attrs}, ...kids);
}

export const count = (n) => nf.format(n);

export function day(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return isNaN(d) ? iso : df.format(d);
}

const typeName = (t) => TYPE_NAMES[t] || t;
// A hit's url, if it leads to a web page (never javascript: or data:).
function webURL(u) {
  try {
    return u && ['http:', 'https:'].includes(new URL(u, location.href).protocol) ? u : undefined;
  } catch {
    return undefined;
  }
}
const baseName = (p) => String(p).replace(/\/+$/, '').split('/').pop() || p;

export function totalText(ans, s) {
  const n = ans.total;
  const what = s.like ? (n > 1 ? 'documents proches' : 'document proche')
    : (n > 1 ? 'résultats' : 'résultat');
  return (n > 100 ? 'Environ ' : '') + count(n) + ' ' + what;
}

function hit(h, s) {
  const title = h.title || baseName(h.path || '') || 'Sans titre';
  const link = el('a', {href: webURL(h.url)}, title);
  const meta = [];
  if (h.type) meta.push(el('span', {}, typeName(h.type)));
  if (h.date) {
    meta.push(el('time', {datetime: h.date}, day(h.date)));
    if (h.date_source === 'file') meta.push(el('span', {}, 'date du fichier'));
  }
  if (Array.isArray(h.communes) && h.communes.length)
    meta.push(el('span', {}, h.communes.join(', ')));
  const li = el('li', {},
    el('h3', {}, link),
    el('p', {class: 'meta'}, ...meta.flatMap((m, i) => (i ? [' · ', m] : [m]))),
    el('p', {class: 'extrait'}, snippetNodes(h.snippet_html)));
  if (h.path)
    li.append(el('p', {class: 'proches'},
      nav(change(s, {like: h.path, q: undefined}), {'aria-label': 'Documents proches de « ' + title + ' »'},
        'Documents proches')));
  return li;
}

export function hits(ol, list, s) {
  ol.replaceChildren(...list.map((h) => hit(h, s)));
  ol.start = list.length ? list[0].rank || 1 : 1;
}

// Every facet the API returns, known or not, most frequent value first
// (years newest first).
export function facets(box, all, s) {
  const groups = [];
  for (const [facet, values] of Object.entries(all || {})) {
    let entries = Object.entries(values || {}).filter(([, n]) => typeof n === 'number' && n > 0);
    if (!entries.length) continue;
    if (entries.every(([v]) => /^\d+$/.test(v))) entries.sort((a, b) => b[0] - a[0]);
    else entries.sort((a, b) => b[1] - a[1]);
    const item = ([v, n]) => {
      const on = facetActive(s, facet, v);
      const fields = on ? (facet === 'year' ? {since: undefined, until: undefined}
        : {[facet]: undefined}) : facetFields(facet, v);
      return el('li', {}, nav(change(s, fields), {
        'data-facet': facet, 'data-value': v, 'aria-current': on ? 'true' : undefined,
      }, el('span', {class: 'libelle'}, facet === 'type' ? typeName(v) : v), ' ',
      el('span', {class: 'compte'}, count(n), el('span', {class: 'sr-only'},
        n > 1 ? ' documents' : ' document'))));
    };
    const name = FACET_NAMES[facet] || facet;
    const id = 'facette-' + facet.replace(/[^a-z0-9-]/gi, '_');
    const sec = el('section', {class: 'facette', 'aria-labelledby': id},
      el('h3', {id}, name),
      el('ul', {}, ...entries.slice(0, FACET_SHOWN).map(item)));
    if (entries.length > FACET_SHOWN) {
      const more = entries.length - FACET_SHOWN;
      sec.append(el('details', {},
        el('summary', {}, more + (more > 1 ? ' autres valeurs' : ' autre valeur')),
        el('ul', {}, ...entries.slice(FACET_SHOWN).map(item))));
    }
    groups.push(sec);
  }
  box.replaceChildren(...groups);
  return groups.length;
}

// The active filters, each a link that removes it.
export function tags(ul, s) {
  const out = [];
  const tag = (label, fields) => out.push(el('li', {},
    nav(change(s, fields), {'aria-label': 'Retirer le filtre ' + label, title: 'Retirer ce filtre'},
      label, el('span', {'aria-hidden': 'true', class: 'croix'}, ' ×'))));
  for (const k of FILTERS)
    if (s[k]) tag(FILTER_NAMES[k] + ' : ' + (k === 'type' ? typeName(s[k]) : s[k]), {[k]: undefined});
  const y = /^(\d{4})-01-01$/.exec(s.since || '');
  if (y && s.until === y[1] + '-12-31') tag('Année : ' + y[1], {since: undefined, until: undefined});
  else {
    if (s.since) tag('Depuis le ' + day(s.since), {since: undefined});
    if (s.until) tag('Jusqu’au ' + day(s.until), {until: undefined});
  }
  if (s.like) tag('Proches de : ' + baseName(s.like), {like: undefined});
  ul.replaceChildren(...out);
  return out.length;
}

// Previous, a few pages around this one, next.
export function pages(navEl, total, s) {
  const page = s.page || 1;
  const last = Math.max(1, Math.min(Math.ceil(total / PAGE_SIZE), 10001));
  if (last <= 1 && page <= 1) return false;
  const ul = el('ul', {});
  const go = (p, label, attrs) => ul.append(el('li', {}, nav(change(s, {page: p > 1 ? p : undefined}),
    attrs, label)));
  if (page > 1) go(page - 1, '‹ Précédente', {rel: 'prev'});
  const from = Math.max(1, Math.min(page - 2, last - 4)), to = Math.min(last, from + 4);
  for (let p = from; p <= to; p++) {
    if (p === page) ul.append(el('li', {}, el('a', {'aria-current': 'page',
      'aria-label': 'Page ' + p + ', page actuelle'}, String(p))));
    else go(p, String(p), {'aria-label': 'Page ' + p});
  }
  if (page < last) go(page + 1, 'Suivante ›', {rel: 'next'});
  navEl.replaceChildren(ul);
  return true;
}
