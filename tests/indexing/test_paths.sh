#!/usr/bin/env bash
# test_paths.sh: one file, one document, nothing lost.  The same file named
# in every way a user may name it (relative, absolute, through a link, "."
# from inside, from another folder, the file itself) stays one document
# under its canonical path; deleted and moved files go whichever spelling
# the next run uses; --prune; an empty PATH (an unmounted share) and a
# missing one delete nothing and exit 2; --full PATH rebuilds from scratch
# and counts what it drops; a full disk leaves the index as it was and the
# summary exact; a Latin-1 file name is found and can be opened from the
# hit; an index of an older pvd-index (paths as given) is converted.
#
# usage: test_paths.sh BUILD_DIR CORPUS HOLD_PROGRAM OLD_INDEX_PROGRAM
set -u
BIN=$(cd "$1" && pwd)
CORPUS=$2
HOLD=$(realpath "$3")
OLD=$(realpath "$4")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvd-paths-XXXXXX") || exit 2
TMP=$(cd "$TMP" && pwd -P) || exit 2 # where the files really are
[ -d "$TMP" ] && [ "$TMP" != / ] || exit 2
MNT=
cleanup() {
	cd /
	if [ -n "$MNT" ]; then umount "$MNT"; fi
	rm -rf "$TMP"
}
trap cleanup EXIT
I="$BIN/pvd-index"
S="$BIN/pvd-search"
. "$(dirname "$0")/../testlib.sh"
docs() { echo docs | "$HOLD" "$1"; }
# paths DB QUERY: the paths found, one a line, sorted
paths() {
	"$S" --db "$1" --json -n 100000 "$2" |
		python3 -c "import json,sys; [print(h['path']) for h in sorted(json.load(sys.stdin)['hits'], key=lambda h: h['path'])]"
}
summary_is() { # summary_is WHAT: the last run's summary says WHAT
	grep -q -- "$1" "$TMP/err" || { echo "  summary: $(grep ' added, ' "$TMP/err")"; return 1; }
}

C=$TMP/corpus
cp -r "$CORPUS" "$C"
N=$(find "$C" -type f ! -name '.*' | wc -l)

# ---- the reproduction: three spellings of one folder -------------------------
DB=$TMP/d
(cd "$TMP" && "$I" --quiet --db "$DB" corpus)
"$I" --quiet --db "$DB" "$C"
(cd "$C" && "$I" --quiet --db "$DB" .)
check "corpus, \$PWD/corpus, . from inside: $N documents, not $((3 * N)) ($(docs "$DB"))" \
	[ "$(docs "$DB")" -eq "$N" ]
check "each article once" [ "$(paths "$DB" friche | sort -u | wc -l)" -eq "$(paths "$DB" friche | wc -l)" ]
check "paths are canonical and absolute" [ -z "$(paths "$DB" friche | grep -v "^$C/")" ]

# ---- every other spelling ------------------------------------------------------
ln -s "$C" "$TMP/lien"
mkdir -p "$TMP/ailleurs"
ln -s "$C/articles/salies-du-salat-laureate.md" "$TMP/lien-fichier.md"
for spelling in "$TMP/lien" "$TMP/lien/" "$TMP//corpus/./articles/../" "other-cwd" \
	"$C/articles/salies-du-salat-laureate.md" "$TMP/lien-fichier.md" "$TMP/lien/textes"; do
	if [ "$spelling" = other-cwd ]; then
		(cd "$TMP/ailleurs" && "$I" --db "$DB" ../corpus/articles) 2>"$TMP/err"
	else
		"$I" --db "$DB" "$spelling" 2>"$TMP/err"
	fi
	check "$spelling: exit 0" [ $? -eq 0 ]
	check "$spelling: nothing added" summary_is " 0 added, 0 updated, "
	check "$spelling: still $N documents" [ "$(docs "$DB")" -eq "$N" ]
done

# ---- a deleted file goes whichever spelling the next run uses ------------------
rm "$C/articles/salies-du-salat-laureate.md" "$TMP/lien-fichier.md"
(cd "$TMP/ailleurs" && "$I" --db "$DB" ../lien/articles) 2>"$TMP/err"
check "deleted, indexed through a link: counted" summary_is " 1 deleted"
check "deleted, indexed through a link: gone" [ -z "$(paths "$DB" salies | grep laureate)" ]
check "deleted, indexed through a link: $((N - 1)) documents" [ "$(docs "$DB")" -eq $((N - 1)) ]
N=$((N - 1))

# ---- a moved corpus, --prune ----------------------------------------------------
mv "$C" "$TMP/corpus-deplace"
"$I" --db "$DB" "$TMP/corpus-deplace" 2>"$TMP/err"
check "moved: without --prune, the old paths stay ($(docs "$DB"))" [ "$(docs "$DB")" -eq $((2 * N)) ]
"$I" --db "$DB" --prune "$TMP/corpus-deplace" 2>"$TMP/err"
check "--prune: the old paths are deleted, counted" summary_is " $N deleted"
check "--prune: each file once" [ "$(docs "$DB")" -eq "$N" ]
check "--prune: under the new folder" [ -z "$(paths "$DB" friche | grep -v "^$TMP/corpus-deplace/")" ]
mv "$TMP/corpus-deplace" "$C"
"$I" --quiet --db "$DB" --prune "$TMP/ailleurs"
check "--prune over another PATH: the moved-away paths go too" [ "$(docs "$DB")" -eq 0 ]
"$I" --quiet --db "$DB" "$C"

# ---- an empty PATH: an unmounted share --------------------------------------------
mv "$C/textes" "$TMP/textes.bak"
mkdir "$C/textes"
before=$(docs "$DB")
"$I" --db "$DB" "$C/textes" 2>"$TMP/err"
check "an empty PATH holding documents: exit 2" [ $? -eq 2 ]
check "... says why" grep -q "textes: no file found here, but the index holds [0-9]* documents under it (an unmounted share?): none deleted; give --allow-empty" "$TMP/err"
check "... and keeps its documents" [ "$(docs "$DB")" -eq "$before" ]
"$I" --db "$DB" --full "$C/textes" 2>"$TMP/err"
check "--full over an empty PATH: exit 2" [ $? -eq 2 ]
check "--full over an empty PATH: its documents kept" [ "$(docs "$DB")" -eq "$before" ]
check "--full over an empty PATH: not switched, and said so" grep -q -- "--full not switched: the index is left as it was" "$TMP/err"
rmdir "$C/textes"
"$I" --db "$DB" "$C/textes" 2>"$TMP/err"
check "a missing PATH: exit 2" [ $? -eq 2 ]
check "... named" grep -q "textes: No such file or directory" "$TMP/err"
check "... its documents kept" [ "$(docs "$DB")" -eq "$before" ]
mkdir "$C/textes"
n_textes=$(find "$TMP/textes.bak" -type f | wc -l)
"$I" --db "$DB" --allow-empty "$C/textes" 2>"$TMP/err"
check "--allow-empty: exit 0" [ $? -eq 0 ]
check "--allow-empty: the documents go, counted" summary_is " $n_textes deleted"
rmdir "$C/textes"
mv "$TMP/textes.bak" "$C/textes"

# ---- --full PATH rebuilds from scratch, counts what it drops -------------------------
F=$TMP/full
"$I" --quiet --db "$F" "$C/articles"
"$I" --quiet --db "$F" "$C/textes"
n_art=$(find "$C/articles" -type f | wc -l)
n_tex=$(find "$C/textes" -type f | wc -l)
check "two PATHs: $((n_art + n_tex)) documents" [ "$(docs "$F")" -eq $((n_art + n_tex)) ]
mv "$C/textes/circulaire-crte.txt" "$TMP/"
"$I" --db "$F" --full "$C/textes" 2>"$TMP/err"
check "--full PATH: exit 0" [ $? -eq 0 ]
check "--full PATH: re-read files are updated; the gone one and the other PATH's deleted" \
	summary_is " 0 added, $((n_tex - 1)) updated, 0 unchanged, $((n_art + 1)) deleted"
check "--full PATH: $((n_tex - 1)) documents" [ "$(docs "$F")" -eq $((n_tex - 1)) ]
mv "$TMP/circulaire-crte.txt" "$C/textes/"

# ---- a Latin-1 file name ------------------------------------------------------------
L=$TMP/partage
mkdir -p "$L"
printf 'Compte rendu du conseil : la passerelle du moulin sera r\xc3\xa9nov\xc3\xa9e.\n' \
	>"$L/$(printf 'compte-rendu-d\xe9cembre.txt')"
printf 'Un titre\x07 sonore\nLa passerelle encore.\n' >"$L/$(printf 'cloche\x1b[31m.txt')"
: >"$L/$(printf 'vid\xe9.txt')"
"$I" --db "$TMP/latin" --report "$TMP/report" "$L" 2>"$TMP/err"
check "Latin-1 name: indexed" [ $? -eq 0 ]
check "Latin-1 name in --report: shown, and its bytes" python3 -c "
import json, sys
row = json.loads(open(sys.argv[1]).readline())
assert row['path'] == sys.argv[2] + '/vidé.txt' and row['path_bytes'].endswith('/vid%E9.txt'), row
" "$TMP/report" "$L"
"$S" --db "$TMP/latin" --json passerelle >"$TMP/j"
if python3 - "$TMP/j" "$L" <<'PY'; then ok; else ko "Latin-1 name: path shown as Windows-1252, opened from path_bytes"; fi
import json, os, sys, urllib.parse
d = json.load(open(sys.argv[1]))
hit = [h for h in d["hits"] if "compte-rendu" in h["path"]][0]
assert hit["path"] == sys.argv[2] + "/compte-rendu-décembre.txt", hit["path"]
raw = urllib.parse.unquote_to_bytes(hit["path_bytes"])
assert raw == os.fsencode(sys.argv[2]) + b"/compte-rendu-d\xe9cembre.txt", raw
with open(raw, "rb") as f:
    assert b"passerelle du moulin" in f.read()
# a name that is UTF-8 carries no path_bytes
assert all("path_bytes" not in h for h in d["hits"] if "cloche" in h["path"]), d["hits"]
PY
check "Latin-1 name: found by a word of its name" \
	[ "$("$S" --db "$TMP/latin" --json decembre | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')" -eq 1 ]
"$S" --db "$TMP/latin" -n 10 passerelle >"$TMP/out"
check "human output: the Latin-1 name readable" grep -q "compte-rendu-décembre.txt" "$TMP/out"
check "human output: no raw control byte from a name or a title" \
	python3 -c "import sys; t=open(sys.argv[1],'rb').read(); sys.exit(any(c < 0x20 and c != 0x0a for c in t))" "$TMP/out"
(cd "$TMP" && "$S" --db "$TMP/latin" -n 10 passerelle) >"$TMP/out"
check "human output: relative to the current folder below it" grep -q "^ *partage/compte-rendu-décembre.txt$" "$TMP/out"

# ---- a full disk ---------------------------------------------------------------------
mkdir "$TMP/mnt"
if ! mount -t tmpfs -o size=6m tmpfs "$TMP/mnt" 2>"$TMP/mount.err"; then
	echo "SKIP: full disk: cannot mount a small tmpfs here: $(head -1 "$TMP/mount.err")"
else
	MNT=$TMP/mnt
	G=$TMP/gros
	mkdir "$G"
	python3 - "$G" <<'PY'
import os, random, sys
random.seed(3)
words = ("commune ville bourg friche halle commerce habitat mobilité rénovation "
         "revitalisation ingénierie convention projet territoire centre").split()
for i in range(3000):
    with open(os.path.join(sys.argv[1], "g%04d.txt" % i), "w") as f:
        f.write("Fichier %d mot%d. " % (i, i) + " ".join(random.choice(words) for _ in range(400)) + "\n")
PY
	"$I" --quiet --db "$MNT/idx" "$C/articles"
	n0=$(docs "$MNT/idx")
	"$I" --db "$MNT/idx" "$G" 2>"$TMP/err"
	rc=$?
	n1=$(docs "$MNT/idx")
	check "full disk: exit 2 ($rc)" [ "$rc" -eq 2 ]
	check "full disk: the commit failure is said" grep -q "commit failed: .*No space left on device" "$TMP/err"
	check "full disk: the index opens ($n1 documents)" [ "$n1" -ge "$n0" ]
	added=$(sed -n 's/.*: \([0-9]*\) added, .*/\1/p' "$TMP/err")
	check "full disk: the summary counts what was committed ($added added, $((n1 - n0)) in the index)" \
		[ "$added" = $((n1 - n0)) ]
	check "full disk: and says what was lost" grep -q "changes\? lost with the failed commit: the index is as of its last commit" "$TMP/err"
	lost=$(sed -n 's/.*; \([0-9]*\) changes\? lost.*/\1/p' "$TMP/err")
	check "full disk: lost + committed = every file (${lost:-?} + $added)" [ "$((${lost:-0} + added))" -eq 3000 ]
	check "full disk: searchable as of the last commit" \
		[ "$("$S" --db "$MNT/idx" --json -n 1 friche >/dev/null; echo $?)" -eq 0 ]
fi

# ---- an index of an older pvd-index: paths as given -----------------------------------
O=$TMP/old
(cd "$TMP" && "$OLD" "$O" corpus/articles/*.md ./corpus/textes/*.txt lien/articles/*.html)
n_old=$(docs "$O")
check "older index: written ($n_old documents)" [ "$n_old" -gt 10 ]
(cd "$TMP" && "$I" --db "$O" corpus) 2>"$TMP/err"
check "older index: converted on the next run, one document per file" [ "$(docs "$O")" -eq "$N" ]
check "older index: said" grep -q "$n_old documents of an older pvd-index replaced by the same files under their canonical path" "$TMP/err"
check "older index: no relative path left" [ -z "$(paths "$O" friche | grep -v "^/")" ]
O2=$TMP/old2
"$OLD" "$O2" "$TMP/corpus/../corpus/articles/aspet-place-du-foirail.md"
(cd "$TMP" && "$OLD" "$O2" corpus-parti/x.md 2>/dev/null)
"$I" --db "$O2" "$C/articles" 2>"$TMP/err"
check "older index, unmatched: said, with the way out" \
	grep -q "1 document keeps a path written by an older pvd-index (corpus-parti/x.md) .* --prune" "$TMP/err"
check "older index, unmatched: the .. spelling converted" [ "$(docs "$O2")" -eq $((n_art + 1)) ]
"$I" --db "$O2" --prune "$C/articles" 2>"$TMP/err"
check "--prune deletes the older path that leads nowhere" [ "$(docs "$O2")" -eq "$n_art" ]

echo "paths: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
