#!/usr/bin/env bash
# test_indexing.sh: pvd-index as archivists use it: encodings with their
# exact characters, metadata fallbacks, incremental runs (unchanged files
# not re-read, changed ones replaced, gone ones deleted), the lock, SIGKILL
# in the middle of a run, and the atomic --full switch under an open reader.
#
# usage: test_indexing.sh BUILD_DIR HOLD_PROGRAM
set -u
BIN=$1
HOLD=$2
. "$(dirname "$0")/../testlib.sh"
test_start indexing "$BIN"
# jq-like: py FILE EXPR over the JSON in FILE (d)
py() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
hits() { # hits DB QUERY: the paths found, one a line, sorted
	"$S" --db "$1" --json -n 100000 "$2" | python3 -c "import json,sys; [print(h['path']) for h in sorted(json.load(sys.stdin)['hits'], key=lambda h: h['path'])]"
}

# ---- encodings, each with its exact characters ----------------------------
E=$TMP/enc
mkdir -p "$E/articles"
printf 'L\x27\xe9t\xe9 \xe0 Aspet : la f\xeate du c\xe6ur.\n' >"$E/articles/latin1.txt"
printf 'Appui \xe0 l\x92ing\xe9nierie du c\x9cur de ville : 5\xa0000 \x80 pour l\x92\x9cuvre.\n' >"$E/articles/cp1252.txt"
printf '\xff\xfe' >"$E/articles/utf16le.txt"
printf 'Le c\u0153ur de Montbard, l\u2019ing\u00e9nierie.\n' | iconv -f UTF-8 -t UTF-16LE >>"$E/articles/utf16le.txt"
printf '\xfe\xff' >"$E/articles/utf16be.txt"
printf 'Une friche \u00e0 Clamecy, l\u2019\u0153uvre de tous.\n' | iconv -f UTF-8 -t UTF-16BE >>"$E/articles/utf16be.txt"
printf '\xef\xbb\xbfTitre avec BOM\nLa halle r\xc3\xa9nov\xc3\xa9e.\n' >"$E/articles/bom.txt"
printf '<html><head><meta charset="windows-1252"><title>D\xe9clar\xe9</title></head><body><p>Le c\x9cur du bourg \x96 l\x92\xe9t\xe9.</p></body></html>\n' >"$E/articles/declared.html"
printf '<?xml version="1.0" encoding="iso-8859-15"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Euro</title></head><body><p>Co\xfbt : 20 \xa4 pour la m\xe9diath\xe8que.</p></body></html>\n' >"$E/articles/latin9.xhtml"
printf 'Une r\xc3\xa9novation \xff\xfe de la m\xc3\xa9diath\xc3\xa8que et de la biblioth\xc3\xa8que.\n' >"$E/articles/broken-utf8.txt"

"$I" --db "$TMP/enc-index" "$E" 2>"$TMP/err"
check "encodings: exit 0" [ $? -eq 0 ]
check "invalid UTF-8: a warning naming the file" grep -q "broken-utf8.txt: warning: 2 invalid byte sequences replaced by U+FFFD" "$TMP/err"
"$S" --db "$TMP/enc-index" --json -n 50 coeur >"$TMP/j"
check "coeur finds the Latin-1 (æ spelled out), CP1252, UTF-16LE and declared-HTML files" \
	py "$TMP/j" "sorted(h['path'].rsplit('/',1)[1] for h in d['hits']) == ['cp1252.txt','declared.html','utf16le.txt']"
check "CP1252 text: ’ œ € and NBSP come out right" \
	py "$TMP/j" "any('l’ingénierie du cœur de ville : 5\u00a0000 € pour l’œuvre.' in h['snippet'] for h in d['hits'])"
check "declared windows-1252 HTML: œ – ’" \
	py "$TMP/j" "any('Le cœur du bourg – l’été.' in h['snippet'] for h in d['hits'])"
"$S" --db "$TMP/enc-index" --json ete >"$TMP/j"
check "Latin-1 text: été à fête" py "$TMP/j" "any(\"L'été à Aspet : la fête du cæur.\" in h['snippet'] for h in d['hits'])"
"$S" --db "$TMP/enc-index" --json oeuvre >"$TMP/j"
check "UTF-16BE text" py "$TMP/j" "any('Une friche à Clamecy, l’œuvre de tous.' in h['snippet'] for h in d['hits'])"
"$S" --db "$TMP/enc-index" --json halle >"$TMP/j"
check "UTF-8 with BOM: no BOM in the title" py "$TMP/j" "d['hits'][0]['title'] == 'Titre avec BOM'"
"$S" --db "$TMP/enc-index" --json mediatheque -n 10 >"$TMP/j"
check "ISO-8859-15 XHTML: €; broken UTF-8 still indexed" \
	py "$TMP/j" "any('Coût : 20 € pour la médiathèque.' in h['snippet'] for h in d['hits']) and any('broken-utf8' in h['path'] and '\ufffd' in h['snippet'] for h in d['hits'])"

# ---- metadata fallbacks ------------------------------------------------------
M=$TMP/meta
mkdir -p "$M/textes" "$M/ailleurs"
printf 'Arrêté préfectoral\n\nFait à Toulouse, le 16 octobre 2020.\nLe préfet nomme les membres du comité.\n' >"$M/textes/arrete.txt"
printf 'Compte rendu\n\nRéunion du 1er janvier 2024 à Aspet.\n\nTags : Aspet, Saint-Martory\n' >"$M/ailleurs/blog.txt"
printf -- '---\ntitle: "Un titre déclaré"\ndate: 2022-05-04\ntype: catalogue\ncommunes: Revel\n---\nLe 3 mars 2019, rien.\n' >"$M/textes/front.md"
printf '<html><head><title>Page</title><meta name="description" content="Résumé : la passerelle piétonne"><meta name="keywords" content="Murat; Allanche"></head><body><p>Le corps de la page.</p></body></html>\n' >"$M/ailleurs/page.html"
touch -d 2021-07-08T12:00:00 "$M/textes/arrete.txt" "$M/ailleurs/blog.txt" "$M/ailleurs/page.html"
printf 'Sans date ni rien, juste une friche.\n' >"$M/ailleurs/nue.txt"
touch -d 2019-02-03T12:00:00 "$M/ailleurs/nue.txt"
"$I" --quiet --db "$TMP/meta-index" "$M"
"$S" --db "$TMP/meta-index" --json -n 10 'préfet OR compte OR titre OR friche' >"$TMP/j"
meta() { py "$TMP/j" "{h['path'].rsplit('/',1)[1]: (h['type'], h['date'], h['communes'], h['title']) for h in d['hits']}['$1'] == $2"; }
check "date from the text, type from the folder, commune from the text" meta arrete.txt "('texte', '2020-10-16', ['Toulouse'], 'Arrêté préfectoral')"
check "1er janvier, communes from a Tags line, default type" meta blog.txt "('article', '2024-01-01', ['Aspet', 'Saint-Martory'], 'Compte rendu')"
check "front matter wins over folder and text" meta front.md "('catalogue', '2022-05-04', ['Revel'], 'Un titre déclaré')"
check "date from mtime as the last resort" meta nue.txt "('article', '2019-02-03', [], 'Sans date ni rien, juste une friche.')"
# Issue 8: a text that quotes HTML stays a text: front matter, title, date, the tags as written.
printf -- '---\ntitle: <img src="logo.png"> Avis sur la halle\ndate: 2023-04-05\n---\nLe conseil cite la balise <script> du site.\n' >"$M/ailleurs/avis.md"
printf 'Consignes au prestataire\n\nRetirer la balise <script> et le <iframe> de la page de la mairie.\n' >"$M/ailleurs/consignes.txt"
"$I" --quiet --db "$TMP/meta-index" "$M"
"$S" --db "$TMP/meta-index" --json -n 10 balise >"$TMP/j"
check "front matter quoting HTML: read as Markdown, title and date kept" \
	meta avis.md "('article', '2023-04-05', [], '<img src=\"logo.png\"> Avis sur la halle')"
check "a text quoting tags: its first line is its title" \
	meta consignes.txt "('article', '$(date -r "$M/ailleurs/consignes.txt" +%F)', [], 'Consignes au prestataire')"
check "... and the quoted tags are its text" \
	py "$TMP/j" "any('<script>' in h['snippet'] for h in d['hits'] if h['path'].endswith('consignes.txt'))"
"$S" --db "$TMP/meta-index" --json passerelle >"$TMP/j"
check "HTML description is searchable; keywords give communes" \
	py "$TMP/j" "d['total'] == 1 and d['hits'][0]['communes'] == ['Murat', 'Allanche'] and d['hits'][0]['date'] == '2021-07-08'"

# ---- incremental runs ---------------------------------------------------------
C=$TMP/corpus
DB=$TMP/index
mkdir -p "$C/articles" "$C/textes"
for i in $(seq 1 30); do
	printf 'Document %d sur la revitalisation du centre-bourg numéro%d.\n' "$i" "$i" >"$C/articles/doc$i.txt"
done
printf 'La halle couverte de Lectoure.\n' >"$C/textes/lieu.txt"
"$I" --db "$DB" "$C" 2>"$TMP/err"
check "first run: 31 added" grep -q "31 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped, 0 failed" "$TMP/err"
"$I" --db "$DB" "$C" 2>"$TMP/err"
check "second run: all unchanged" grep -q "0 added, 0 updated, 31 unchanged, 0 deleted" "$TMP/err"

# Same size, same time, same inode: not re-read (the old words stay).
stamp=$(stat -c %y "$C/textes/lieu.txt")
printf 'La salle couverte de Lectoure.\n' >"$C/textes/lieu.txt"
touch -d "$stamp" "$C/textes/lieu.txt"
"$I" --db "$DB" "$C" 2>"$TMP/err"
check "an unchanged stamp is not re-read" grep -q "0 updated, 31 unchanged" "$TMP/err"
check "so the old text is still what is found" [ "$(hits "$DB" halle | wc -l)" -eq 1 ]

printf 'La grange rénovée de Lectoure, devenue marché.\n' >"$C/textes/lieu.txt"
rm "$C/articles/doc7.txt"
mv "$C/articles/doc8.txt" "$C/articles/doc8-renamed.txt"
"$I" --db "$DB" "$C" 2>"$TMP/err"
check "changed, deleted, renamed: counted" grep -q "1 added, 1 updated, 28 unchanged, 2 deleted" "$TMP/err"
check "the changed file is found by its new words" [ "$(hits "$DB" grange)" = "$C/textes/lieu.txt" ]
check "and no more by its old ones" [ -z "$(hits "$DB" halle)" ]
check "the deleted file is gone" [ -z "$(hits "$DB" numéro7)" ]
check "the renamed file is found under its new name" [ "$(hits "$DB" numéro8)" = "$C/articles/doc8-renamed.txt" ]
"$I" --db "$DB" "$C/textes" 2>"$TMP/err"
check "a run over one folder leaves the others alone" grep -q "0 added, 0 updated, 1 unchanged, 0 deleted" "$TMP/err"
check "... and their documents" [ "$(hits "$DB" revitalisation | wc -l)" -eq 29 ]

# ---- the lock ---------------------------------------------------------------
# The lock is held until this test lets it go: a pvd-index that waited for
# it would still be waiting (timeout ends it with 124), instead of exiting 2
# while the holder lives.  No clock: what is asserted is the order.
rm -f "$TMP/held"
flock -o "$DB/lock" sh -c 'echo $$ >"$1.tmp" && mv "$1.tmp" "$1" && exec sleep 600' \
	sh "$TMP/held" &
holder=$!
n=0
while [ ! -s "$TMP/held" ] && [ "$n" -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
timeout 120 "$I" --db "$DB" "$C" 2>"$TMP/err"
rc=$?
check "a second pvd-index exits 2" [ "$rc" -eq 2 ]
check "without waiting for the lock (its holder still holds it)" kill -0 "$holder"
check "naming the lock" grep -q "locked by another pvd-index.*$DB/lock" "$TMP/err"
kill "$(cat "$TMP/held")" 2>/dev/null # the sleep: flock then ends, the lock free
wait "$holder" 2>/dev/null

# ---- --full under an open reader --------------------------------------------
coproc HOLDER { "$HOLD" "$DB"; }
ask() { echo "$1" >&"${HOLDER[1]}"; read -r -t 10 answer <&"${HOLDER[0]}"; echo "$answer"; }
check "reader sees the old index" [ "$(ask 'count grange')" = "1" ]
printf 'Une grange et un marché couvert à Fleurance.\n' >"$C/textes/fleurance.txt"
"$I" --quiet --db "$DB" --full "$C"
check "--full exits 0" [ $? -eq 0 ]
check "the open reader still answers from the old index" [ "$(ask 'count grange')" = "1" ]
check "reopened, it sees the new one" [ "$(ask reopen)" = ok ] && check "with the new file" [ "$(ask 'count grange')" = "2" ]
check "the old generation's space is reclaimed" [ "$(find "$DB" -maxdepth 1 -name 'gen-*' | wc -l)" -eq 1 ]
echo quit >&"${HOLDER[1]}" 2>/dev/null
exec {HOLDER[1]}>&-
# (bash unsets HOLDER_PID once the coprocess has ended: it may be gone already)
[ -z "${HOLDER_PID:-}" ] || wait "$HOLDER_PID" 2>/dev/null

# ---- SIGKILL in the middle of a run -------------------------------------------
K=$TMP/big
mkdir -p "$K"
python3 - "$K" <<'EOF'
import os, sys, random
random.seed(7)
words = ("commune ville bourg friche halle commerce habitat mobilité rénovation "
         "revitalisation ingénierie convention projet territoire centre").split()
for i in range(6000):
    with open(os.path.join(sys.argv[1], "f%05d.txt" % i), "w") as f:
        f.write("Fichier %d. " % i + " ".join(random.choice(words) for _ in range(600)) + "\n")
EOF
KDB=$TMP/kill-index
"$I" --quiet --jobs 2 --db "$KDB" "$K" &
pid=$!
for _ in $(seq 1 600); do
	n=$(echo docs | "$HOLD" "$KDB" 2>/dev/null)
	case "$n" in '' | error*) n=0 ;; esac
	[ "$n" -ge 1000 ] && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
if kill -9 $pid 2>/dev/null; then
	wait $pid 2>/dev/null
	n=$(echo docs | "$HOLD" "$KDB")
	check "killed: the index opens, as of a commit ($n documents)" [ "$n" -ge 1000 ] && [ "$n" -lt 6000 ]
	check "killed: it answers queries" [ "$("$S" --db "$KDB" --json -n 1 friche >/dev/null; echo $?)" -eq 0 ]
	"$I" --db "$KDB" "$K" 2>"$TMP/err"
	check "run again, it finishes the job" [ "$(echo docs | "$HOLD" "$KDB")" = 6000 ]
	check "... re-reading only what was not committed" grep -q "$((6000 - n)) added, 0 updated, $n unchanged" "$TMP/err"
else
	ko "pvd-index ended before it could be killed: make the corpus bigger"
fi

# Killed during --full: the live index is untouched.
"$I" --quiet --full --db "$KDB" "$K" &
pid=$!
sleep 0.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
check "killed --full: the old index is whole" [ "$(echo docs | "$HOLD" "$KDB")" = 6000 ]
"$I" --quiet --db "$KDB" "$K"
check "the next run sweeps the half-built generation" [ "$(find "$KDB" -maxdepth 1 -name 'gen-*' | wc -l)" -eq 1 ]

# ---- an index folder that is not one ----------------------------------------
mkdir -p "$TMP/docs" && echo x >"$TMP/docs/important.txt"
"$I" --db "$TMP/docs" "$C" 2>"$TMP/err"
check "refuses a --db folder holding other files" [ $? -eq 2 ] && grep -q "not a pvd index" "$TMP/err"
check "and leaves it alone" [ "$(ls "$TMP/docs")" = important.txt ]

echo "indexing: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
