#!/usr/bin/env bash
# test_dates_types.sh: where a document's date and type come from, as a
# user sees it (issue 12): date_source in the JSON of pvd-search and
# pvd-searchd, estimated dates marked, sorted after real ones and left out
# of --since/--until unless --file-dates; acts dated by their signature;
# types from the content (accuracy on the sample corpus with its folder
# names removed) and from a site's own folders (--type-dir); and the
# acronyms the issue found missing (CRTE, ACV).
#
# usage: test_dates_types.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2
DAEMON=

. "$(dirname "$0")/../testlib.sh"
test_start dates "$BIN"
# No configuration file of the machine's or the user's (set below).
export PVD_INDEX_CONFIG=

# by_name FILE: "name date date_source type" per hit, for the checks below
hits() {
	python3 -c '
import json, sys
for h in json.load(open(sys.argv[1]))["hits"]:
    print(h["path"].rsplit("/", 1)[-1], h["date"], h.get("date_source"), h["type"])' "$1"
}
has_hit() { # has_hit LINE DESCRIPTION: hits of $TMP/out include LINE
	if hits "$TMP/out" | grep -xF -- "$1" >/dev/null; then ok; else ko "$2: want \"$1\", got: $(hits "$TMP/out" | tr '\n' ';')"; fi
}

# ---- a small share: real dates, estimated ones, acts -------------------
D=$TMP/partage
mkdir -p "$D/Arrêtés 2024" "$D/divers" "$D/catalogues"
cat >"$D/divers/fete-du-pain.md" <<'EOF'
---
title: "La fête du pain revient à Aspet"
date: 2024-05-01
---
Le four banal d'Aspet reprend du service pour la fête du pain.
EOF
printf 'Montmorillon rénove sa halle du pain\nPublié le 8 mars 2022\n\nLes travaux de la halle du pain commencent lundi.\n' \
	>"$D/divers/halle-du-pain.txt"
# A measure sheet with no date of its own, copied in 2030 (its file time).
printf 'Mesure : aide au four à pain communal\n\nPartenaire : Région\nMontant : 40 %% des travaux\n\nLe pain du four communal, une aide pour le rénover.\n' \
	>"$D/catalogues/aide-four-a-pain.txt"
touch -d 2030-01-02T12:00:00 "$D/catalogues/aide-four-a-pain.txt"
# An act citing an older date before it is signed (Aspet's arrêté, reduced).
cat >"$D/Arrêtés 2024/arrêté halle.txt" <<'EOF'
Arrêté municipal n° 2024-012 réglementant le marché au pain sous la halle

Le maire,

Vu la convention signée le 24 juin 2021 avec la communauté de communes ;
Vu la délibération du conseil municipal du 6 juillet 2021 ;

ARRÊTE

Article 1er
Le marché au pain se tient sous la halle le samedi matin.

Fait à Aspet, le 12 juillet 2021.
Le maire
EOF
# An act with no signature line: the "du [date]" of its title.
cat >"$D/divers/arrete-du-3-mars.txt" <<'EOF'
Arrêté n° 2022-15 du 3 mars 2022 portant ouverture du fournil municipal

Vu le code général des collectivités territoriales ;
Vu l'avis du comité du 2 février 2020 ;

Arrête :

Article 1er – Le fournil municipal ouvre ses portes au pain des habitants.
EOF
# An act signed the préfecture's way: place and date, then the signer.
cat >"$D/divers/arrete-prefecture.txt" <<'EOF'
Arrêté portant attribution d'une subvention au fournil de Carbonne

Vu la demande de la commune du 12 janvier 2022 ;

ARRÊTE

Article 1er
Une subvention est attribuée au fournil pour son four à pain.

Toulouse, le 16 mai 2022
Le préfet
EOF

IDX=$TMP/index
expect_rc 0 "pvd-index on the share" "$I" --quiet --db "$IDX" "$D"
expect_rc 0 "pvd-search pain --json" "$S" --db "$IDX" --json -n 50 pain
json_check "$TMP/out" "all(h['date_source'] in ('metadata', 'text', 'file') for h in d['hits'])" \
	"every hit says where its date came from"
has_hit "fete-du-pain.md 2024-05-01 metadata article" "a front matter date is metadata"
has_hit "halle-du-pain.txt 2022-03-08 text article" "a date from the text"
has_hit "aide-four-a-pain.txt 2030-01-02 file catalogue" "no date of its own: the file's time"
has_hit "arrêté halle.txt 2021-07-12 text texte" "an act: its signature line, not what it cites"
has_hit "arrete-du-3-mars.txt 2022-03-03 text texte" "an act without signature: the date of its title"
has_hit "arrete-prefecture.txt 2022-05-16 text texte" "an act signed 'Toulouse, le …' then 'Le préfet'"

# The human output marks the estimate.
expect_rc 0 "pvd-search four" "$S" --db "$IDX" four
contains "$TMP/out" "≈ 2030-01-02 (file date)" "an estimated date is shown as such"
if grep -q "· 2030-01-02" "$TMP/out"; then ko "an estimated date passes for a real one"; else ok; fi
contains "$TMP/out" "· 2024-05-01" "a real date is shown plainly"

# --sort date: newest first, estimated dates after every real one.
expect_rc 0 "pvd-search --sort date" "$S" --db "$IDX" --json -n 50 --sort date pain
json_check "$TMP/out" "[h['date'] for h in d['hits']] == ['2024-05-01', '2022-05-16', '2022-03-08', '2022-03-03', '2021-07-12', '2030-01-02']" \
	"--sort date lists the estimated 2030 date last"

# --since/--until leave file-time dates out unless --file-dates.
expect_rc 0 "pvd-search --since 2023-01-01" "$S" --db "$IDX" --json --since 2023-01-01 pain
json_check "$TMP/out" "[h['path'].rsplit('/', 1)[-1] for h in d['hits']] == ['fete-du-pain.md']" \
	"--since ignores a date from a file's time"
expect_rc 0 "pvd-search --since --file-dates" "$S" --db "$IDX" --json --since 2023-01-01 --file-dates pain
json_check "$TMP/out" "sorted(h['path'].rsplit('/', 1)[-1] for h in d['hits']) == ['aide-four-a-pain.txt', 'fete-du-pain.md']" \
	"--file-dates keeps it"
expect_rc 0 "pvd-search --facets" "$S" --db "$IDX" --json --facets pain
json_check "$TMP/out" "d['facets']['year'] == {'2024': 1, '2022': 3, '2021': 1}" \
	"the year facet counts only dates the documents give"
expect_rc 1 "pvd-search --until 2040 --type catalogue" "$S" --db "$IDX" --until 2040-12-31 --type catalogue pain
expect_rc 0 "pvd-search --until --file-dates" "$S" --db "$IDX" --until 2040-12-31 --type catalogue --file-dates pain
expect_rc 0 "pvd-search --help" "$S" --help
contains "$TMP/out" "--file-dates" "--help lists --file-dates"

# pvd-searchd: date_source in its hits, file_dates as a parameter.
SOCK=$TMP/s.sock
"$BIN/pvd-searchd" --socket "$SOCK" --db "$IDX" 2>"$TMP/daemon.err" </dev/null &
DAEMON=$!
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
api() { curl -s --max-time 10 --unix-socket "$SOCK" "http://localhost$1" >"$TMP/out"; }
api "/search?q=pain&limit=50"
json_check "$TMP/out" "sorted((h['path'].rsplit('/', 1)[-1], h['date_source']) for h in d['hits'])[0] == ('aide-four-a-pain.txt', 'file')" \
	"pvd-searchd: date_source in each hit"
api "/search?q=pain&since=2023-01-01"
json_check "$TMP/out" "d['total'] == 1" "pvd-searchd: since ignores file-time dates"
api "/search?q=pain&since=2023-01-01&file_dates=1"
json_check "$TMP/out" "d['total'] == 2" "pvd-searchd: file_dates=1 keeps them"
curl -s --max-time 10 --unix-socket "$SOCK" -H 'Content-Type: application/json' \
	-d '{"q": "pain", "since": "2023-01-01", "file_dates": true}' http://localhost/search >"$TMP/out"
json_check "$TMP/out" "d['total'] == 2" "pvd-searchd: POST file_dates"
api "/search?q=pain&file_dates=oui"
json_check "$TMP/out" "d['error']['code'] == 'bad_parameter' and 'file_dates' in d['error']['message']" \
	"pvd-searchd: a bad file_dates is named"
kill "$DAEMON" && wait "$DAEMON" 2>/dev/null
DAEMON=

# ---- the sample corpus: Aspet's arrêté --------------------------------
expect_rc 0 "pvd-index on the corpus" "$I" --quiet --db "$TMP/corpus-index" "$CORPUS"
expect_rc 0 "pvd-search comité de projet Aspet" "$S" --db "$TMP/corpus-index" --json -n 100 -- -zzzq
has_hit "arrete-comite-de-projet-aspet.txt 2021-07-12 text texte" "Aspet's arrêté is dated by its signature"

# ---- acronyms of data/synonymes.txt ------------------------------------
# The circular that defines the CRTE writes it in full, in the plural and
# as "contrats territoriaux …": it must come first, not last.
expect_rc 0 "pvd-search CRTE" "$S" --db "$TMP/corpus-index" --json CRTE
json_check "$TMP/out" "d['hits'][0]['path'].endswith('/textes/circulaire-crte.txt')" "CRTE: the CRTE circular first"
expect_rc 0 "pvd-search ACV" "$S" --db "$TMP/corpus-index" --json ACV
json_check "$TMP/out" "d['hits'][0]['path'].endswith('/textes/circulaire-crte.txt')" "ACV finds « Action cœur de ville »"

# ---- types: the share's own folders ------------------------------------
# A news item in a folder the site calls its acts' folder.
printf 'La halle du pain a rouvert samedi, et les habitants sont venus nombreux.\n' \
	>"$D/Arrêtés 2024/reouverture.txt"
expect_rc 0 "pvd-index without --type-dir" "$I" --quiet --db "$TMP/t1" "$D"
expect_rc 0 "pvd-search rouvert" "$S" --db "$TMP/t1" --json rouvert
json_check "$TMP/out" "d['hits'][0]['type'] == 'article'" "a news item: article from its content"
expect_rc 0 "pvd-index --type-dir" "$I" --quiet --db "$TMP/t2" --type-dir 'arretes*=Textes' "$D"
expect_rc 0 "pvd-search rouvert" "$S" --db "$TMP/t2" --json rouvert
json_check "$TMP/out" "d['hits'][0]['type'] == 'texte'" "--type-dir 'arretes*=Textes' names 'Arrêtés 2024' (case, accents, plural aside)"
expect_rc 0 "pvd-index --type-dir twice" "$I" --quiet --db "$TMP/t3" --type-dir 'divers=catalogue' --type-dir 'Arrêtés 2024=texte' "$D"
expect_rc 0 "pvd-search pain" "$S" --db "$TMP/t3" --json -n 50 pain
has_hit "halle-du-pain.txt 2022-03-08 text catalogue" "--type-dir is repeatable"
has_hit "fete-du-pain.md 2024-05-01 metadata catalogue" "the site's folder before the content"
expect_rc 2 "--type-dir with no type" "$I" --db "$TMP/t4" --type-dir 'Arrêtés' "$D"
contains "$TMP/err" "NAME=TYPE" "--type-dir says its form"
expect_rc 2 "--type-dir with a bad type" "$I" --db "$TMP/t4" --type-dir 'Arrêtés=loi' "$D"
contains "$TMP/err" "article, catalogue or texte" "--type-dir names the types"

# The same names in the configuration file; the command line wins.
CONF=$TMP/pvd-index.conf
printf '# noms de dossiers du partage\n\ntype-dir = arretes*=texte\n' >"$CONF"
expect_rc 0 "pvd-index with a configuration file" env PVD_INDEX_CONFIG="$CONF" "$I" --quiet --db "$TMP/t5" "$D"
expect_rc 0 "pvd-search rouvert" "$S" --db "$TMP/t5" --json rouvert
json_check "$TMP/out" "d['hits'][0]['type'] == 'texte'" "type-dir in the configuration file"
expect_rc 0 "pvd-index --type-dir over the file" env PVD_INDEX_CONFIG="$CONF" "$I" --quiet --db "$TMP/t6" --type-dir 'Arrêtés 2024=article' "$D"
expect_rc 0 "pvd-search rouvert" "$S" --db "$TMP/t6" --json rouvert
json_check "$TMP/out" "d['hits'][0]['type'] == 'article'" "the command line wins over the file"
mkdir -p "$TMP/xdg/pvd"
printf 'type-dir = arretes*=texte\n' >"$TMP/xdg/pvd/pvd-index.conf"
expect_rc 0 "pvd-index with \$XDG_CONFIG_HOME/pvd/pvd-index.conf" env -u PVD_INDEX_CONFIG XDG_CONFIG_HOME="$TMP/xdg" "$I" --quiet --db "$TMP/t7" "$D"
expect_rc 0 "pvd-search rouvert" "$S" --db "$TMP/t7" --json rouvert
json_check "$TMP/out" "d['hits'][0]['type'] == 'texte'" "the user's configuration file is read"
printf 'type-dir = arretes*=texte\ntype_dir = x=texte\n' >"$CONF"
expect_rc 2 "a bad setting" env PVD_INDEX_CONFIG="$CONF" "$I" --quiet --db "$TMP/t8" "$D"
contains "$TMP/err" "$CONF:2: unknown setting" "a bad setting is named by file and line"
expect_rc 2 "a configuration file that is not there" env PVD_INDEX_CONFIG="$TMP/nowhere.conf" "$I" --quiet --db "$TMP/t8" "$D"
contains "$TMP/err" "nowhere.conf: No such file" "a missing configuration file named is an error"

# ---- types from the content: the sample corpus, folders removed ---------
# Every file in one folder, and no "type:" of its own: the content alone
# must say.  Labels: the folder each file comes from.
FLAT=$TMP/plat
mkdir -p "$FLAT"
for f in "$CORPUS"/*/*; do
	cp "$f" "$FLAT/"
	case $f in *.md | *.txt) sed -i '/^type:/d' "$FLAT/$(basename "$f")" ;; esac
done
expect_rc 0 "pvd-index on the flat corpus" "$I" --quiet --db "$TMP/flat-index" "$FLAT"
expect_rc 0 "pvd-search everything" "$S" --db "$TMP/flat-index" --json -n 1000 -- -zzzq
if python3 - "$TMP/out" "$CORPUS" <<'EOF'; then ok; else ko "type accuracy on the corpus below 90 %"; fi
import json, os, sys
labels = {}
for folder in os.listdir(sys.argv[2]):
    for name in os.listdir(os.path.join(sys.argv[2], folder)):
        labels[name] = folder.rstrip("s")
hits = json.load(open(sys.argv[1]))["hits"]
right = 0
for h in hits:
    name = h["path"].rsplit("/", 1)[-1]
    if labels[name] == h["type"]:
        right += 1
    else:
        print(f"  {name}: {h['type']}, labelled {labels[name]}")
share = 100.0 * right / len(labels)
print(f"type accuracy (content alone, {len(labels)} files): {right}/{len(labels)} = {share:.1f} %")
sys.exit(0 if len(hits) == len(labels) and share >= 90 else 1)
EOF

echo "dates_types: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
