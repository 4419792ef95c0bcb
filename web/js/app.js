// The search page: reads its state from the URL, asks the API, shows the
// answer; links and forms change the URL (pushState) and search again, so
// Back, Forward, reload and bookmarks all work.  One request per search
// (on submit, never per keystroke); a newer search cancels an older one.

import {fromURL, toQuery, change, hasSearch, apiURL} from './state.js';
import {search, supportsLike} from './api.js';
import * as render from './render.js';

const $ = (id) => document.getElementById(id);
const el = render.el;
const TITLE = document.title;
let current = null; // the AbortController of the search in flight
let likeOK = null; // does the API answer like=PATH? (null: not known yet)
let likeAsked = false;
let firstShown = false;

function setText(id, text) {
  $(id).textContent = text;
}

function clearAnswer() {
  $('resultats').replaceChildren();
  setText('total', '');
  setText('etat', '');
  $('alerte').replaceChildren();
  $('suggestion').hidden = true;
  $('pages').hidden = true;
  $('affiner').hidden = true;
  $('bloc-tri').hidden = true;
}

// The form's fields follow the URL (after Back, a shared link…).
function syncForm(s) {
  $('q').value = s.q || '';
  $('tri').value = s.sort || 'relevance';
  $('since').value = s.since || '';
  $('until').value = s.until || '';
  $('filtres').hidden = !render.tags($('filtres-actifs'), s);
  document.title = s.q ? '« ' + s.q + ' » – ' + TITLE : s.like ? 'Documents proches – ' + TITLE : TITLE;
}

function showAnswer(ans, s) {
  render.hits($('resultats'), ans.hits, s);
  setText('total', ans.hits.length || ans.total ? render.totalText(ans, s) : '');
  const sug = $('suggestion');
  sug.hidden = !ans.suggestion;
  if (ans.suggestion)
    sug.replaceChildren('Essayez : ', render.nav(change(s, {q: ans.suggestion}), {}, ans.suggestion));
  if (!ans.hits.length) {
    const st = $('etat');
    if (ans.total > 0 && s.page)
      st.replaceChildren('Cette page est vide. ',
        render.nav(change(s, {}), {}, 'Revenir à la première page'));
    else
      st.replaceChildren(s.q ? 'Aucun document ne correspond à « ' + s.q + ' ».'
        : 'Aucun document ne correspond.',
      $('filtres').hidden ? '' : ' Retirez un filtre pour élargir la recherche.');
  }
  $('pages').hidden = !ans.hits.length || !render.pages($('pages'), ans.total, s);
  $('bloc-tri').hidden = !ans.hits.length || Boolean(s.like);
  $('affiner').hidden = !render.facets($('facettes'), ans.facets, s) && !ans.hits.length;
  if (!firstShown && ans.hits.length) {
    firstShown = true;
    performance.mark('pvd-premiers-resultats');
  }
  showLikeLinks(ans, s);
}

// "Documents proches" links appear once the API is known to answer like.
async function showLikeLinks(ans, s) {
  if (s.like) likeOK = true;
  if (likeOK === null && !likeAsked && ans.hits.length && ans.hits[0].path) {
    likeAsked = true; // once per page load
    likeOK = await supportsLike(ans.hits[0].path);
  }
  // Said on the list, for the stylesheet (and for tests, once known).
  if (likeOK !== null) $('resultats').dataset.proches = likeOK ? 'oui' : 'non';
}

function showError(e) {
  const box = $('alerte');
  if (e.kind === 'requete') {
    box.replaceChildren(el('p', {}, 'Cette recherche n’a pas pu être comprise',
      e.message ? ' : ' : '.', e.message ? el('span', {lang: 'en'}, e.message) : ''));
    return;
  }
  const retry = el('button', {type: 'button'}, 'Réessayer');
  retry.addEventListener('click', () => run());
  box.replaceChildren(el('p', {},
    'Le service de recherche ne répond pas pour le moment',
    e.message ? ' (' : '', e.message ? el('span', {lang: 'en'}, e.message) : '',
    e.message ? ')' : '', '. Réessayez dans un instant.'), retry);
}
async function run(focusResults = false) {
  const s = fromURL(location.search);
  syncForm(s);
  if (current) current.abort();
  if (!hasSearch(s)) {
    current = null;
    clearAnswer();
    return;
  }
  const ctrl = (current = new AbortController());
  const zone = $('zone-resultats');
  zone.setAttribute('aria-busy', 'true');
  try {
    const ans = await search(apiURL(s), ctrl.signal);
    if (ctrl !== current) return;
    clearAnswer();
    showAnswer(ans, s);
  } catch (e) {
    if (e.name === 'AbortError' || ctrl !== current) return;
    clearAnswer();
    showError(e);
  } finally {
    if (ctrl === current) zone.removeAttribute('aria-busy');
  }
  if (focusResults) {
    $('titre-resultats').focus();
    $('zone-resultats').scrollIntoView({block: 'start'});
  }
}

function go(s, focusResults) {
  const url = toQuery(s);
  if (url !== toQuery(fromURL(location.search)))
    history.pushState(null, '', url);
  run(focusResults);
}

$('recherche').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const s = fromURL(location.search);
  go(change(s, {q: $('q').value.trim(), like: undefined}), false);
});

$('periode').addEventListener('submit', (ev) => {
  ev.preventDefault();
  let since = $('since').value, until = $('until').value;
  if (since && until && since > until) [since, until] = [until, since]; // typed the wrong way round
  go(change(fromURL(location.search), {since, until}), true);
});

$('tri').addEventListener('change', () => {
  const v = $('tri').value;
  go(change(fromURL(location.search), {sort: v === 'date' ? 'date' : undefined}), false);
});

// Links to other states of the page (facets, filters, pages, suggestion,
// documents alike): followed in place; a modified click opens a tab.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest && ev.target.closest('a[data-nav]');
  if (!a || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  const next = fromURL(new URL(a.href).search);
  history.pushState(null, '', toQuery(next));
  run(true);
});

window.addEventListener('popstate', () => run(false));
$('titre-resultats').tabIndex = -1;
run(false);
