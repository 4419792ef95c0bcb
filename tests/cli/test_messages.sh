#!/usr/bin/env bash
# test_messages.sh: the programs speak the user's language (issue 12):
# errors, usage, --help and results in English by default and in French
# under LANGUAGE=fr (and LANG=fr_FR.UTF-8 where that locale exists), the
# program named without its path, the exit codes alike in both; French
# option values; spelling suggestions inside hyphenated names and in the
# user's capitals; and the advice for a --db that is no index works.
#
# usage: test_messages.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2
. "$(dirname "$0")/../testlib.sh"
test_start messages "$BIN"
D="$BIN/pvd-searchd"
DB=$TMP/index
"$I" --quiet --db "$DB" "$CORPUS" || ko "indexing the sample corpus"

# The languages: English is the C.UTF-8 default; French through LANGUAGE
# (which glibc honours in any locale but C), and through LANG alone when
# the system has fr_FR.UTF-8 (locale-gen, scripts/install-deps.sh).
in_en() { env -u LANGUAGE -u LANG -u LC_MESSAGES LC_ALL=C.UTF-8 "$@"; }
in_fr() { env -u LANG -u LC_MESSAGES LC_ALL=C.UTF-8 LANGUAGE=fr "$@"; }
in_fr_lang() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=fr_FR.UTF-8 "$@"; }
LANGS="en fr"
if locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\?8'; then
	LANGS="$LANGS fr_lang"
else
	echo "note: no fr_FR.UTF-8 locale here: LANG=fr_FR.UTF-8 not tested"
fi

# case RC ENGLISH FRENCH CMD...: in each language, CMD exits RC and says
# ENGLISH or FRENCH (on stdout or stderr), never its own path.
case_() {
	local want=$1 en=$2 fr=$3
	shift 3
	for lang in $LANGS; do
		"in_$lang" "$@" >"$TMP/out" 2>"$TMP/err"
		local rc=$? text
		text=$(cat "$TMP/out" "$TMP/err")
		local expect=$fr
		[ "$lang" = en ] && expect=$en
		if [ "$rc" -eq "$want" ]; then ok; else ko "[$lang] $*: exit $rc, want $want"; fi
		if grep -qF -- "$expect" <<<"$text"; then ok; else
			ko "[$lang] $*: no \"$expect\" in: $(head -c 300 <<<"$text")"
		fi
		if grep -qF -- "$BIN/" "$TMP/err"; then ko "[$lang] $*: the program's path in: $(head -c 200 "$TMP/err")"; else ok; fi
	done
}

# ---- errors and usage -------------------------------------------------------
case_ 2 "pvd-search: unknown option --sorte" "pvd-search: option inconnue --sorte" "$S" --sorte x
case_ 2 "pvd-search: unknown option -x" "pvd-search: option inconnue -x" "$S" -x foo
case_ 2 "pvd-search: option --db needs a value" "pvd-search: l’option --db demande une valeur" "$S" --db
case_ 2 "pvd-search: option --json takes no value" "pvd-search: l’option --json ne prend pas de valeur" "$S" --json=oui x
case_ 2 "usage: pvd-search [OPTION]... QUERY..." "usage : pvd-search [OPTION]... REQUÊTE..." "$S" --sorte x
case_ 2 "pvd-search: no query" "pvd-search: aucune requête" "$S" --db "$DB"
case_ 2 "--sort is relevance (or pertinence) or date" "--sort vaut pertinence (ou relevance) ou date" "$S" --db "$DB" --sort pif x
case_ 2 "since is not a date" "since n’est pas une date" "$S" --db "$DB" --since 2023-13 friche
case_ 2 "type is article, catalogue or texte" "le type est article, catalogue ou texte" "$S" --db "$DB" --type lettre friche
case_ 2 "--limit takes a whole number from 1 up" "--limit attend un nombre entier à partir de 1" "$S" --db "$DB" -n 0 friche
case_ 2 "no département is called" "aucun département ne s’appelle" "$S" --db "$DB" --departement Zorglub friche
case_ 2 "no word to search for" "aucun mot à chercher" "$S" --db "$DB" '!!!'
case_ 2 "no index at $TMP/none" "pas d’index dans $TMP/none" "$S" --db "$TMP/none" friche
case_ 2 "run pvd-index --db $TMP/none PATH... to create it" "lancez pvd-index --db $TMP/none CHEMIN... pour le créer" "$S" --db "$TMP/none" friche
case_ 2 "pvd-index: no PATH to index" "pvd-index: aucun CHEMIN à indexer" "$I" --db "$TMP/i2"
case_ 2 "pvd-index: --jobs takes a number from 1 to 256" "pvd-index: --jobs attend un nombre de 1 à 256" "$I" --jobs 0 "$CORPUS"
case_ 2 "pvd-index: unknown option --bogus" "pvd-index: option inconnue --bogus" "$I" --bogus "$CORPUS"
case_ 2 "pvd-searchd: --socket PATH is required" "pvd-searchd: --socket CHEMIN est obligatoire" "$D" --db "$DB"
case_ 2 "pvd-searchd: --threads takes a number from 1 to 256" "pvd-searchd: --threads attend un nombre de 1 à 256" "$D" --threads 0
case_ 2 "pvd-searchd: unknown option --socker" "pvd-searchd: option inconnue --socker" "$D" --socker x

# ---- results and summaries --------------------------------------------------
case_ 0 "documents for “ingénierie”" "documents environ pour « ingénierie »" "$S" --db "$DB" ingénierie
case_ 1 "No document matches." "Aucun document ne correspond." "$S" --db "$DB" zorglub
case_ 0 "documents, newest first" "documents, du plus récent au plus ancien" "$S" --db "$DB" --commune Aspet
case_ 0 "Years:" "Années :" "$S" --db "$DB" --facets friche
mkdir -p "$TMP/one" && echo "Une friche à Aspet." >"$TMP/one/a.txt"
# a new index each time: one file added
case_ 0 "1 added, 0 updated" "1 ajout(s), 0 mise(s) à jour" bash -c 'rm -rf "$2" && exec "$1" --db "$2" "$3"' - "$I" "$TMP/one-index" "$TMP/one"

# ---- French option values ---------------------------------------------------
for v in pertinence Pertinence relevance date DATE; do
	expect=0
	in_fr "$S" --db "$DB" --sort "$v" friche >/dev/null 2>"$TMP/err" || expect=$?
	if [ "$expect" -eq 0 ]; then ok; else ko "--sort $v refused: $(cat "$TMP/err")"; fi
done
a=$(in_en "$S" --db "$DB" --json --sort pertinence friche | python3 -c 'import json,sys; print([h["path"] for h in json.load(sys.stdin)["hits"]])')
b=$(in_en "$S" --db "$DB" --json --sort relevance friche | python3 -c 'import json,sys; print([h["path"] for h in json.load(sys.stdin)["hits"]])')
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else ko "--sort pertinence is not --sort relevance"; fi

# ---- --help: every option, in both languages --------------------------------
for prog in pvd-search pvd-index pvd-searchd; do
	src=$(dirname "$0")/../..
	case $prog in
	pvd-search) file=$src/searcher/search-main.c ;;
	pvd-index) file=$src/indexer/main.c ;;
	pvd-searchd) file=$src/searcher/searchd-main.c ;;
	esac
	opts=$(grep -o '{"[a-z-]*", *[a-z_]*argument' "$file" | sed 's/{"\([a-z-]*\)".*/\1/')
	[ -n "$opts" ] || ko "$prog: no option table found in $file"
	for lang in en fr; do
		"in_$lang" "$BIN/$prog" --help >"$TMP/help" 2>&1 || ko "[$lang] $prog --help fails"
		for o in $opts; do
			if grep -q -- "--$o\b" "$TMP/help"; then ok; else ko "[$lang] $prog --help lacks --$o"; fi
		done
	done
	in_fr "$BIN/$prog" --help | grep -q "affiche cette aide" && ok || ko "$prog --help is not in French"
done

# ---- man pages: every option, in English and French --------------------------
src=$(dirname "$0")/../..
for page in pvd-search.1 pvd-index.1 pvd-searchd.8; do
	prog=${page%.*}
	case $prog in
	pvd-search) file=$src/searcher/search-main.c ;;
	pvd-index) file=$src/indexer/main.c ;;
	pvd-searchd) file=$src/searcher/searchd-main.c ;;
	esac
	for man in "$src/docs/$page" "$src/docs/fr/$page"; do
		[ -f "$man" ] || { ko "$man is missing"; continue; }
		for o in $(grep -o '{"[a-z-]*", *[a-z_]*argument' "$file" | sed 's/{"\([a-z-]*\)".*/\1/'); do
			esc=$(sed 's/-/\\\\-/g' <<<"$o")
			if grep -q -- "\\\\-\\\\-$esc" "$man"; then ok; else ko "$man lacks --$o"; fi
		done
		if command -v groff >/dev/null; then
			warn=$(groff -k -man -Tutf8 -ww "$man" 2>&1 >/dev/null)
			if [ -z "$warn" ]; then ok; else ko "$man: groff: $(head -c 300 <<<"$warn")"; fi
		fi
	done
done

# ---- cmake --install puts the catalogue and the French man pages in place -------
if cmake --install "$BIN" --prefix "$TMP/inst" >"$TMP/install.log" 2>&1; then ok; else ko "cmake --install: $(tail -c 300 "$TMP/install.log")"; fi
for f in share/locale/fr/LC_MESSAGES/pvd.mo share/man/fr/man1/pvd-search.1 share/man/fr/man1/pvd-index.1 \
	share/man/fr/man8/pvd-searchd.8 share/man/man1/pvd-search.1; do
	[ -f "$TMP/inst/$f" ] && ok || ko "not installed: $f"
done
# installed, the programs find the catalogue where PVD_LOCALEDIR says
out=$(in_fr env PVD_LOCALEDIR="$TMP/inst/share/locale" LD_LIBRARY_PATH="$TMP/inst/lib:$TMP/inst/lib64" \
	"$TMP/inst/bin/pvd-search" --db "$DB" zorglub)
grep -qF "Aucun document ne correspond." <<<"$out" && ok || ko "installed pvd-search with PVD_LOCALEDIR: $out"

# ---- suggestions --------------------------------------------------------------
# suggest QUERY WANT: the English and French suggestions are WANT
suggest() {
	local got
	got=$(in_en "$S" --db "$DB" --json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("suggestion", ""))')
	if [ "$got" = "$2" ]; then ok; else ko "suggestion for $1: \"$got\", want \"$2\""; fi
}
suggest Saint-Martori Saint-Martory
suggest Bagneres-de-Luchin Bagnères-de-Luchon
suggest "saint gaudins" "saint gaudens"
suggest Monrejeau Montréjeau
# a commune is suggested as the COG spells it
suggest "friche monrejeau" "friche Montréjeau"
suggest "FINANCEMANT" "FINANCEMENT"
case_ 1 "Try: Saint-Martory" "Essayez : Saint-Martory" "$S" --db "$DB" Saint-Martori

# ---- the advice for a --db that is no index works --------------------------------
mkdir -p "$TMP/share" && echo "notes" >"$TMP/share/notes.txt"
in_en "$S" --db "$TMP/share" friche >/dev/null 2>"$TMP/err"
rc=$?
[ "$rc" -eq 2 ] && ok || ko "--db on a folder of other files: exit $rc"
cmd=$(grep -o 'pvd-index --db [^ ]* PATH\.\.\.' "$TMP/err" | head -1)
if [ -n "$cmd" ]; then ok; else ko "no pvd-index command advised: $(cat "$TMP/err")"; fi
advised_db=$(sed 's/pvd-index --db \([^ ]*\) PATH\.\.\./\1/' <<<"$cmd")
if in_en "$I" --quiet --db "$advised_db" "$CORPUS" 2>"$TMP/err2"; then ok; else ko "the advised command fails: $cmd: $(cat "$TMP/err2")"; fi
in_en "$S" --db "$advised_db" friche >/dev/null && ok || ko "searching the advised index fails"
[ -f "$TMP/share/notes.txt" ] && ok || ko "the user's file went away"

echo "messages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
