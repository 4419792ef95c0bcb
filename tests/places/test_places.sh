#!/usr/bin/env bash
# test_places.sh: places and plain questions as staff type them, through
# pvd-index and pvd-search: communes in any spelling (St-, INSEE codes,
# no accents), homonyms and common words, départements and régions in
# hits, filters, fields and facets, documents alike (--like), and plain
# words relaxed when too few documents have them all.
#
# usage: test_places.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2

. "$(dirname "$0")/../testlib.sh"
test_start places "$BIN"

# q PYTHON-EXPRESSION DESCRIPTION ARGS...: pvd-search --json ARGS, the
# expression over d (the answer) and p (the hits' file names) is true
q() {
	local expr=$1 what=$2
	shift 2
	"$S" --db "$DB" --json "$@" >"$TMP/out" 2>"$TMP/err"
	if python3 - "$TMP/out" "$expr" 2>/dev/null <<'PY'; then ok; else ko "$what: $(head -c 600 "$TMP/out") $(head -c 300 "$TMP/err")"; fi
import json, sys
d = json.load(open(sys.argv[1]))
p = [h["path"].rsplit("/", 1)[1] for h in d["hits"]]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}
rc() { # rc WANT DESCRIPTION ARGS...
	local want=$1 what=$2
	shift 2
	"$S" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok; else ko "$what: exit $got, want $want: $(head -c 300 "$TMP/err")"; fi
}

# ---- documents written for these checks -------------------------------------
D=$TMP/docs
mkdir -p "$D/articles"
w() { printf '%s\n' "$2" >"$D/articles/$1"; }
w st-gaudens.txt "La navette de St-Gaudens

La sous-préfecture de St-Gaudens a présenté la navette qui dessert la gare."
w abrege.md "---
title: Une friche à reconvertir
communes: st martory; 31020; Communauté de la vallée
---
La friche de la papeterie sera reconvertie."
w murat.txt "Le tiers-lieu de Murat

Murat (Cantal) a inauguré son tiers-lieu dans l'ancienne gare."
w murat-seul.txt "Un tiers-lieu

Les élus de Murat ont inauguré un tiers-lieu."
w bonnes.txt "Bonnes pratiques

Bonnes pratiques pour monter un dossier : Eu égard aux délais, commencez tôt."
w ajaccio.txt "Ajaccio lauréate

La ville d'Ajaccio rejoint le programme de revitalisation."
w saint-denis.txt "Saint-Denis de La Réunion

Le maire de Saint-Denis (974) a signé la convention de revitalisation."
w luchon.txt "Les thermes

Les thermes de Luchon rouvrent après travaux."
DB=$TMP/index-docs
"$I" --quiet --db "$DB" "$D" || ko "indexing the place documents"

q "p == ['st-gaudens.txt'] and d['hits'][0]['communes'] == ['Saint-Gaudens']" \
	"St-Gaudens in the text: the official commune" navette
q "d['hits'][0]['departements'] == ['Haute-Garonne'] and d['hits'][0]['regions'] == ['Occitanie']" \
	"a commune's département and région in the hit" navette
q "'st-gaudens.txt' in p" "Saint-Gaudens finds a text that writes St-Gaudens" Saint-Gaudens
q "'st-gaudens.txt' in p" "\"saint gaudens\" finds St-Gaudens" saint gaudens
q "d['hits'][0]['communes'] == ['Saint-Martory', 'Aspet', 'Communauté de la vallée']" \
	"metadata: st martory and 31020 in official spelling, a non-commune as written" friche
q "d['hits'][0]['departements'] == ['Haute-Garonne']" "metadata communes give their département" friche
q "p == ['murat.txt'] and d['hits'][0]['communes'] == ['Murat'] and d['hits'][0]['departements'] == ['Cantal']" \
	"a homonym decided by the département next to it" --commune 15138 tiers-lieu
q "[h['communes'] for h in d['hits'] if h['path'].endswith('murat-seul.txt')] == [[]]" \
	"a homonym without context is left out" tiers-lieu
q "d['hits'][0]['communes'] == []" "common words (Bonnes, Eu) make no commune" pratiques
q "p == ['luchon.txt'] and d['hits'][0]['communes'] == ['Bagnères-de-Luchon']" \
	"a usual name (Luchon) is the official commune" thermes
q "p == ['luchon.txt']" "--commune bagneres de luchon" --commune "bagneres de luchon" thermes
q "p == ['luchon.txt']" "Bagnères-de-Luchon finds a text that writes Luchon" Bagnères-de-Luchon
q "p == ['ajaccio.txt']" "--departement 2A" --departement 2A revitalisation
q "p == ['ajaccio.txt']" "--departement corse-du-sud" --departement corse-du-sud revitalisation
q "p == ['saint-denis.txt'] and d['hits'][0]['regions'] == ['La Réunion']" "--departement 974" \
	--departement 974 revitalisation
q "p == ['ajaccio.txt']" "--region corse" --region corse revitalisation
rc 2 "an unknown département is an error" --departement 99 revitalisation
rc 2 "an unknown région is an error" --region Atlantide revitalisation

# ---- a title made of the typed words comes first -------------------------------
T=$TMP/titles
mkdir -p "$T"
{
	printf 'Manuel de notation\n\nLe manuel entier sur une seule page.\n'
	for i in $(seq 1 200); do printf 'Paragraphe %s : clefs, mesures, nuances, ornements et reprises.\n' "$i"; done
} >"$T/manuel.txt" # long: BM25 alone sinks it below its chapters
for i in 1 2 3; do
	printf 'Manuel de notation : chapitre %s, les portées\n\nCe chapitre du manuel de notation détaille la notation, la notation encore, et le manuel.\n' "$i" >"$T/chapitre-$i.txt"
done
DB=$TMP/index-titles
"$I" --quiet --db "$DB" "$T" || ko "indexing the titles"
q "p[0] == 'manuel.txt'" "the page titled just so before its chapters" manuel notation

# ---- the sample corpus --------------------------------------------------------
DB=$TMP/index
"$I" --quiet --db "$DB" "$CORPUS" || ko "indexing the corpus"
for spelling in St-Gaudens "st gaudens" "ST GAUDENS" "saint-gaudens" "Saint Gaudens"; do
	q "'saint-gaudens-ort-signature.md' in p and 'convention-cadre-ort-saint-gaudens.html' in p" \
		"$spelling finds the Saint-Gaudens documents" "$spelling"
done
q "'saint-martory-friche-papeterie.md' in p" "ST-MARTORY finds Saint-Martory" ST-MARTORY
q "p[0] == 'luchon-thermes-centre-bourg.html'" "bagneres de luchon, no accents" bagneres de luchon
for c in St-Gaudens "saint gaudens" 31483 SAINT-GAUDENS; do
	q "'saint-gaudens-ort-signature.md' in p and all('Saint-Gaudens' in h['communes'] for h in d['hits'])" \
		"--commune $c" --commune "$c" -n 50 projet OR convention OR commune
done
q "d['hits'] and all('Haute-Garonne' in h['departements'] for h in d['hits'])" \
	"--departement \"haute garonne\"" --departement "haute garonne" -n 50 ville OR commune
q "d['hits'] and all('Haute-Garonne' in h['departements'] for h in d['hits'])" \
	"--departement 31" --departement 31 -n 50 ville OR commune
q "d['hits'] and all('Occitanie' in h['regions'] for h in d['hits']) and 'figeac-mobilite-navette-velo.md' in p" \
	"--region occitanie" --region occitanie -n 50 ville OR commune OR gare
q "d['hits'] and all('Cantal' in h['departements'] for h in d['hits'])" \
	"departement: field" -n 50 'departement:cantal (ville OR commune)'
q "d['hits'] and all('Bourgogne-Franche-Comté' in h['regions'] for h in d['hits'])" \
	"region: field, quoted and unaccented" -n 50 'region:"bourgogne franche comte" ville'
q "d['hits'] and all('Haute-Garonne' in h['departements'] for h in d['hits'])" \
	"département: field written with its accent" -n 50 'département:31 (ville OR commune)'
q "d['hits'] and all('Occitanie' in h['regions'] for h in d['hits']) and 'figeac-mobilite-navette-velo.md' in p" \
	"Région: field, accent and capital" -n 50 'Région:occitanie (ville OR commune OR gare)'
q "d['hits'] and all('Cantal' in h['departements'] for h in d['hits'])" \
	"DÉPARTEMENT: field in capitals" -n 50 'DÉPARTEMENT:cantal (ville OR commune)'
q "d['facets']['departement'].get('Haute-Garonne', 0) >= 5 and 'Occitanie' in d['facets']['region'] and sum(d['facets']['region'].values()) >= d['facets']['departement']['Haute-Garonne']" \
	"facets by département and région, display names" --facets -n 1 ville OR commune

# ---- plain words and questions ---------------------------------------------------
q "p[0] == 'banque-des-territoires-chef-de-projet.md'" \
	"a question: the measure sheet first" "comment financer un chef de projet"
q "p[0] == 'banque-des-territoires-chef-de-projet.md'" \
	"question words do not count" "quelles aides pour cofinancer un chef de projet ?"
q "len(d['hits']) == d['total'] and sum(not h.get('missing_word') for h in d['hits']) == 1 and {'etat-dsil-detr-equipements.md', 'arrete-subvention-detr-carbonne.html', 'aspet-place-du-foirail.md'} <= set(p[:5])" \
	"DETR 2021: the one with both, then those with DETR, total as listed" -n 100 DETR 2021
q "all(h.get('missing_word') for h in d['hits'][1:]) and not d['hits'][0].get('missing_word')" \
	"documents lacking a word come after and say so" -n 100 DETR 2021
q "d['total'] == 1 and len(d['hits']) == 1" "+word is never relaxed" +DETR +2021
q "d['total'] == 1" "explicit AND is never relaxed" DETR AND 2021
q "d['total'] == 1" "a phrase is never relaxed" DETR '"2021"'
q "d['hits'] and all(h['type'] == 'catalogue' for h in d['hits'])" "a field is never relaxed" -n 100 type:catalogue DETR 2021
q "not any(h.get('missing_word') for h in d['hits'])" "a page of full matches: nothing relaxed" -n 5 ville commune

# ---- documents alike --------------------------------------------------------------
LIKE=$CORPUS/articles/saint-martory-friche-papeterie.md # as indexed
q "d['hits'] and 'saint-martory-friche-papeterie.md' not in p and 'fonds-friches-recyclage-foncier.md' in p[:3]" \
	"--like: the same subject, the document left out" --like "$LIKE"
q "d['hits'] and all(h['type'] == 'catalogue' for h in d['hits'])" "--like with a filter" \
	--like "$LIKE" --type catalogue
q "d['hits'] and all('Haute-Garonne' in h['departements'] for h in d['hits']) and 'saint-martory-friche-papeterie.md' not in p" \
	"--like with --departement" --like "$LIKE" --departement 31
rc 2 "--like of a document not in the index" --like "$TMP/nowhere.md"
rc 0 "--like, human output" --like "$LIKE"
if grep -q "documents like" "$TMP/out"; then ok; else ko "--like says what it lists: $(head -c 200 "$TMP/out")"; fi
echo "places: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
