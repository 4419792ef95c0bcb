#!/usr/bin/env bash
# test_cli.sh: pvd-index and pvd-search as a user runs them: exit codes,
# messages, the human output and the JSON, on the sample corpus and on
# small corpora made here.
#
# usage: test_cli.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2

. "$(dirname "$0")/../testlib.sh"
test_start cli "$BIN"
DB=$TMP/index
lacks() {
	if grep -qF -- "$2" "$1"; then ko "$3: \"$2\" found in $(basename "$1")"; else ok; fi
}

# ---- the libraries a program loads ------------------------------------
# Started in a folder that holds files named like its libraries (a share of
# documents may hold anything), a program loads the system's, never those:
# CMake's padded RUNPATH once made the build tree's programs look in the
# current folder first.
mkdir -p "$TMP/libs-here"
for lib in libxapian.so.30 libstdc++.so.6 libm.so.6 libc.so.6 libpvd.so.0 \
	libmicrohttpd.so.12 libjansson.so.4 libmagic.so.1; do
	printf 'not a library\n' >"$TMP/libs-here/$lib"
done
cd "$TMP/libs-here" || exit 2
for prog in "$I" "$S" "$BIN/pvd-searchd"; do
	expect_rc 0 "$(basename "$prog") --version in a folder of look-alike libraries" "$prog" --version
done
cd - >/dev/null || exit 2

# ---- pvd-index ----------------------------------------------------------
expect_rc 2 "pvd-index without PATH" "$I" --db "$DB"
contains "$TMP/err" "usage" "pvd-index without PATH says how to call it"
expect_rc 2 "pvd-index with an unknown option" "$I" --bogus "$CORPUS"
expect_rc 0 "pvd-index on the corpus" "$I" --db "$DB" "$CORPUS"
contains "$TMP/err" " 0 updated, 0 unchanged, 0 deleted, 0 skipped, 0 failed in " "pvd-index summary"
expect_rc 0 "pvd-index --quiet" "$I" --quiet --db "$DB" "$CORPUS"
if [ -s "$TMP/err" ]; then ko "--quiet printed: $(cat "$TMP/err")"; else ok; fi

# one missing PATH: reported by name, the rest indexed, exit 2 (a lost share
# is no bad file: cron must tell them apart)
mkdir -p "$TMP/mixed/articles"
printf 'Une friche devient un jardin partagé à Aspet.\n' >"$TMP/mixed/articles/jardin.txt"
head -c 2048 /dev/urandom >"$TMP/mixed/random.bin"
: >"$TMP/mixed/empty.txt"
expect_rc 2 "pvd-index with a missing PATH: the rest indexed, exit 2" "$I" --db "$TMP/mixed-index" --report "$TMP/report.jsonl" "$TMP/mixed" "$TMP/nowhere"
contains "$TMP/err" "pvd-index: $TMP/nowhere: No such file or directory" "a missing PATH is named"
contains "$TMP/err" "1 added, 0 updated, 0 unchanged, 0 deleted, 2 skipped, 1 failed" "summary counts skipped and failed"
if python3 - "$TMP/report.jsonl" <<'EOF'; then ok; else ko "--report lines"; fi
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["path"].rsplit("/", 1)[-1]: r for r in rows}
assert by["random.bin"]["status"] == "skipped", by
assert by["empty.txt"]["status"] == "skipped", by
assert by["nowhere"]["status"] == "failed", by
EOF
expect_rc 0 "the good file of a bad run is searchable" "$S" --db "$TMP/mixed-index" jardin
contains "$TMP/out" "mixed/articles/jardin.txt" "the good file of a bad run"

# ---- pvd-search: human output --------------------------------------------
expect_rc 0 "pvd-search ingénierie" "$S" --db "$DB" -n 100 "ingénierie"
contains "$TMP/out" "about 20 documents for “ingénierie”" "count line"
contains "$TMP/out" "[ingénierie]" "highlight marks when not a terminal"
contains "$TMP/out" "$CORPUS/articles/salies-du-salat-laureate.md" "paths as given"
# every line but the paths (which cannot be cut) fits in 80 columns
if python3 -c "import sys; sys.exit(any(len(l.rstrip('\\n')) > 80 and sys.argv[2] not in l for l in open(sys.argv[1], encoding='utf-8')))" "$TMP/out" "$CORPUS"; then ok; else ko "lines over 80 columns"; fi

for q in ingenierie INGÉNIERIE Ingénierie "l’ingénierie" "l'ingénierie"; do
	expect_rc 0 "pvd-search $q" "$S" --db "$DB" --json -n 100 "$q"
	json_check "$TMP/out" "d['total'] == 20 and len(d['hits']) == 20" "$q finds the 20 documents"
done

expect_rc 1 "a query with no hit" "$S" --db "$DB" zorglub
contains "$TMP/out" "No document matches." "no-hit message"
expect_rc 2 "a query with no word" "$S" --db "$DB" '!!!'
contains "$TMP/err" "no word to search for" "no-word message"
expect_rc 2 "no query" "$S" --db "$DB"
expect_rc 2 "no index" "$S" --db "$TMP/none" ingénierie
contains "$TMP/err" "no index at $TMP/none" "no-index message names the folder"
contains "$TMP/err" "run pvd-index" "no-index message says how to make one"
expect_rc 2 "-n 0" "$S" --db "$DB" -n 0 ville
expect_rc 2 "-n abc" "$S" --db "$DB" -n abc ville
expect_rc 2 "a bad date" "$S" --db "$DB" --since 2020-02-30 ville
contains "$TMP/err" "2020-02-30" "bad date named"
expect_rc 2 "a bad type" "$S" --db "$DB" --type blog ville

# ---- pvd-search --json ----------------------------------------------------
expect_rc 0 "--json" "$S" --db "$DB" --json ingenierie
json_check "$TMP/out" "sorted(d) == ['hits','limit','offset','query','total'] and d['limit'] == 10 and d['offset'] == 0 and d['query'] == 'ingenierie'" "JSON top level"
json_check "$TMP/out" "len(d['hits']) == 10 and [h['rank'] for h in d['hits']] == list(range(1, 11))" "ten ranked hits"
json_check "$TMP/out" "all(sorted(h) == ['communes','date','date_source','departements','path','rank','regions','score','snippet','snippet_html','title','type'] for h in d['hits'])" "hit fields"
json_check "$TMP/out" "all('<mark>' in h['snippet_html'] and '<' not in h['snippet'] for h in d['hits'])" "snippet plain, snippet_html marked"
expect_rc 0 "highlight through elision" "$S" --db "$DB" --json -n 100 ingenierie
json_check "$TMP/out" "any('l’<mark>ingénierie</mark>' in h['snippet_html'] for h in d['hits'] if h['path'].endswith('salies-du-salat-laureate.md'))" "ingenierie highlights the ingénierie of l’ingénierie"

expect_rc 0 "-n 100000" "$S" --db "$DB" --json -n 100000 commune
json_check "$TMP/out" "len(d['hits']) == d['total'] and d['limit'] == 100000" "-n 100000 lists every hit"

"$S" --db "$DB" --json -n 5 ville >"$TMP/p1"
"$S" --db "$DB" --json -n 5 --offset 5 ville >"$TMP/p2"
if python3 - "$TMP/p1" "$TMP/p2" <<'EOF'; then ok; else ko "page 2 repeats page 1"; fi
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
pa, pb = [h["path"] for h in a["hits"]], [h["path"] for h in b["hits"]]
assert len(pa) == 5 and len(pb) == 5 and not set(pa) & set(pb), (pa, pb)
assert [h["rank"] for h in b["hits"]] == [6, 7, 8, 9, 10]
EOF

expect_rc 0 "--type texte" "$S" --db "$DB" --json --type texte -n 100 ville
json_check "$TMP/out" "d['hits'] and all(h['type'] == 'texte' for h in d['hits'])" "--type keeps one type"
expect_rc 0 "--commune" "$S" --db "$DB" --json --commune "saint martory" -n 100 friche
json_check "$TMP/out" "d['hits'] and all('Saint-Martory' in h['communes'] for h in d['hits'])" "--commune ignores case and hyphens"
expect_rc 0 "--since/--until" "$S" --db "$DB" --json --since 2021-01-01 --until 2021-12-31 -n 100 ville
json_check "$TMP/out" "d['hits'] and all('2021-01-01' <= h['date'] <= '2021-12-31' for h in d['hits'])" "date range"
expect_rc 0 "--sort date" "$S" --db "$DB" --json --sort date -n 100 ville
json_check "$TMP/out" "(lambda real, guessed: [h['date'] for h in d['hits']] == sorted(real, reverse=True) + sorted(guessed, reverse=True))([h['date'] for h in d['hits'] if h['date_source'] != 'file'], [h['date'] for h in d['hits'] if h['date_source'] == 'file'])" "newest first, dates estimated from file times last"
expect_rc 0 "--facets" "$S" --db "$DB" --json --facets ingénierie
json_check "$TMP/out" "sum(d['facets']['type'].values()) == d['total'] == 20 and set(d['facets']) == {'type','commune','departement','region','year'}" "facets count every match"

# ---- snippets never carry markup from the documents ------------------------
mkdir -p "$TMP/evil/articles"
cat >"$TMP/evil/articles/piege.html" <<'EOF'
<!DOCTYPE html><html><head><title>Piège</title></head><body>
<p>La revitalisation &lt;script&gt;alert("x")&lt;/script&gt; &amp; l’ingénierie d'Aspet.</p>
</body></html>
EOF
"$I" --quiet --db "$TMP/evil-index" "$TMP/evil"
expect_rc 0 "escaping" "$S" --db "$TMP/evil-index" --json revitalisation
json_check "$TMP/out" "'<script>' not in d['hits'][0]['snippet_html'] and '&lt;script&gt;' in d['hits'][0]['snippet_html'] and '&amp;' in d['hits'][0]['snippet_html']" "snippet_html is escaped"
json_check "$TMP/out" "'<script>alert' in d['hits'][0]['snippet']" "snippet keeps the text as written"

# ---- where the index lives ------------------------------------------------
mkdir -p "$TMP/home"
(cd "$TMP" && env -u PVD_DB -u XDG_DATA_HOME HOME="$TMP/home" "$I" --quiet "$CORPUS") && ok || ko "pvd-index to the default place"
if [ -d "$TMP/home/.local/share/pvd/index" ]; then ok; else ko "no index in ~/.local/share/pvd/index"; fi
expect_rc 0 "default index" env -u PVD_DB -u XDG_DATA_HOME HOME="$TMP/home" "$S" friche
expect_rc 0 "XDG_DATA_HOME" env -u PVD_DB XDG_DATA_HOME="$TMP/xdg" HOME="$TMP/home" "$I" --quiet "$CORPUS"
if [ -d "$TMP/xdg/pvd/index" ]; then ok; else ko "no index in \$XDG_DATA_HOME/pvd/index"; fi
expect_rc 0 "PVD_DB" env PVD_DB="$DB" HOME="$TMP/nohome" "$S" friche
expect_rc 2 "PVD_DB with no index" env PVD_DB="$TMP/nothing" "$S" friche

# ---- on a terminal: bold, unless NO_COLOR -----------------------------------
ON_TTY="$(dirname "$0")/on-tty.py"
expect_rc 0 "on a terminal" python3 "$ON_TTY" "$S" --db "$DB" friche
python3 "$ON_TTY" "$S" --db "$DB" friche >"$TMP/tty" 2>&1
contains "$TMP/tty" $'\033[1m' "bold highlights on a terminal"
contains "$TMP/tty" "document" "the whole answer on a terminal"
NO_COLOR=1 python3 "$ON_TTY" "$S" --db "$DB" friche >"$TMP/tty" 2>&1
lacks "$TMP/tty" $'\033[1m' "NO_COLOR turns bold off"
contains "$TMP/tty" "[friche]" "NO_COLOR uses brackets"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
