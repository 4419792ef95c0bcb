#!/usr/bin/env bash
# test_title_rank.sh: the title in the ranking, on documents written here.
# A title the typed words make entirely comes before a longer one (section
# numbers and stopwords do not make a title longer), a whole manual on one
# very long page keeps the lift of its title, and the word as typed in a
# title comes before another word of the same stem.
#
# usage: test_title_rank.sh BUILD_DIR
set -u
BIN=$1

. "$(dirname "$0")/../testlib.sh"
test_start title-rank "$BIN"

# first WANT DESCRIPTION WORDS...: pvd-search --json WORDS lists the file
# WANT first
first() {
	local want=$1 what=$2
	shift 2
	"$S" --db "$DB" --json -- "$*" >"$TMP/out" 2>"$TMP/err"
	if python3 - "$TMP/out" "$want" 2>/dev/null <<'PY'; then ok; else ko "$what: $(head -c 600 "$TMP/out") $(head -c 300 "$TMP/err")"; fi
import json, sys
d = json.load(open(sys.argv[1]))
p = [h["path"].rsplit("/", 1)[1] for h in d["hits"]]
sys.exit(0 if p and p[0] == sys.argv[2] else 1)
PY
}

D=$TMP/docs
mkdir -p "$D"

# A whole guide on one page, thousands of paragraphs long, and its chapters,
# whose titles hold the same words and more.  BM25 divides a term's weight
# by the length of the document: the title's terms of the long page weighed
# next to nothing, and the chapters came first.
{
	printf 'Guide de gravure\n\n'
	for i in $(seq 1 3000); do
		printf 'Paragraphe %s : clefs, mesures, nuances, ornements, reprises et liaisons.\n' "$i"
	done
	printf 'Ce guide de gravure tient sur une seule page.\n'
} >"$D/guide-entier.txt"
# Short pages around them, as in a real index: next to their length, the
# guide is hundreds of times longer than the average page.
mkdir -p "$D/notes"
for i in $(seq 1 300); do
	printf 'Note %s\n\nUne note brève sur les clefs et les mesures.\n' "$i" >"$D/notes/note-$i.txt"
done
for i in 1 2 3 4; do
	printf 'Guide de gravure : chapitre %s, les portées\n\nCe chapitre du guide de gravure détaille la gravure des portées : gravure, guide, gravure.\n' \
		"$i" >"$D/chapitre-$i.txt"
done

# A section numbered as help pages number them, and a longer title.
printf '12.4. Ajouter un masque\n\nAjoute un masque au calque.\n' >"$D/section.txt"
printf 'Ajouter un masque flou\n\nAjouter un masque flou : ajouter, masque, masque flou, ajouter un masque.\n' \
	>"$D/masque-flou.txt"

# One word typed: the title that holds it as typed before the one that
# holds another word of its stem, though this one says it more often.
printf 'Ondulation\n\nUn effet animé.\n' >"$D/ondulation.txt"
printf 'Onduler\n\nOnduler : des ondulations, les ondulations, une ondulation.\n' >"$D/onduler.txt"

# A dotted name is a phrase, not a typed word: "fonction" alone must not
# lift the shorter title that holds it.
printf 'Fonction ARRONDI.INF\n\nArrondit vers le bas. Voir aussi TRONQUE.\n' >"$D/arrondi-inf.txt"
printf 'Fonction TRONQUE\n\nTronque un nombre, comme ARRONDI.INF pour un nombre positif ; ARRONDI.INF arrondit, TRONQUE coupe.\n' \
	>"$D/tronque.txt"

DB=$TMP/index
"$I" --quiet --db "$DB" "$D" || ko "indexing"

first guide-entier.txt "the whole guide on one long page before its chapters" guide gravure
first guide-entier.txt "the same, in capitals" "Guide de gravure"
first section.txt "a section number does not make a title longer" ajouter masque
first ondulation.txt "the word as typed before another of its stem" Ondulation
first arrondi-inf.txt "a dotted name, the title that holds it" "Fonction ARRONDI.INF"

echo "title_rank: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
