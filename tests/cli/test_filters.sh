#!/usr/bin/env bash
# test_filters.sh: filters as a user types them (issue 12, "Filters that
# surprise"): types in any case and plural, refused alike everywhere;
# YYYY and YYYY-MM as dates; a filter repeated means any of its values;
# filters alone as a search, newest first; paging past the end exits 1;
# the daemon's yes/no parameters in any case.
#
# usage: test_filters.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2
DAEMON=

. "$(dirname "$0")/../testlib.sh"
test_start filters "$BIN"
export PVD_INDEX_CONFIG=
IDX=$TMP/idx
"$BIN/pvd-index" --quiet --db "$IDX" "$CORPUS" </dev/null >/dev/null 2>&1 || ko "pvd-index"

paths() { # paths FILE: the hits' paths, sorted, one a line
	python3 -c 'import json,sys; print("\n".join(sorted(h["path"] for h in json.load(open(sys.argv[1]))["hits"])))' "$1"
}
search() { # search NAME ARGS...: pvd-search --json into $TMP/NAME
	local name=$1
	shift
	"$S" --db "$IDX" --json --limit 100 "$@" >"$TMP/$name" 2>"$TMP/err" </dev/null
}
same() { # same A B DESCRIPTION: two answers list the same documents
	if [ "$(paths "$TMP/$1")" = "$(paths "$TMP/$2")" ] && [ -n "$(paths "$TMP/$1")" ]; then ok; else
		ko "$3: $(paths "$TMP/$1" | tr '\n' ' ') vs $(paths "$TMP/$2" | tr '\n' ' ')"; fi
}
union() { # union A B AB DESCRIPTION: AB lists what A or B list
	if [ "$(sort -u <(paths "$TMP/$1") <(paths "$TMP/$2"))" = "$(paths "$TMP/$3")" ] &&
		[ -n "$(paths "$TMP/$1")" ] && [ -n "$(paths "$TMP/$2")" ]; then ok; else
		ko "$4: $(paths "$TMP/$3" | tr '\n' ' ')"; fi
}

# ---- 1. types in any case and plural; a bad one refused alike ----------
W=commune
search texte --type texte $W
json_check "$TMP/texte" "d['hits'] and all(h['type'] == 'texte' for h in d['hits'])" "--type texte"
for t in Texte textes TEXTES; do
	search t --type "$t" $W
	same texte t "--type $t"
	search t "type:$t" $W
	same texte t "type:$t"
done
expect_rc 2 "--type bidule" "$S" --db "$IDX" --type bidule $W
contains "$TMP/err" "article, catalogue or texte" "--type bidule says the types"
expect_rc 2 "type:bidule" "$S" --db "$IDX" "type:bidule" $W
contains "$TMP/err" "article, catalogue or texte" "type:bidule says the types"

# ---- 2. YYYY and YYYY-MM ------------------------------------------------
search a --since 2023-01-01 $W
search b --since 2023 $W
same a b "--since 2023 is 2023-01-01"
search a --until 2023-06-30 $W
search b --until 2023-06 $W
same a b "--until 2023-06 is 2023-06-30"
search a --until 2023-12-31 $W
search b --until 2023 $W
same a b "--until 2023 is 2023-12-31"
expect_rc 2 "--since 2023-13" "$S" --db "$IDX" --since 2023-13 $W
expect_rc 2 "--until 2023-02-30" "$S" --db "$IDX" --until 2023-02-30 $W

# ---- 3. repeated filters: any of them ----------------------------------
search a --commune aspet $W
search b --commune carbonne $W
search ab --commune aspet --commune carbonne $W
union a b ab "--commune aspet --commune carbonne"
search a --type article $W
search b --type texte $W
search ab --type article --type Textes $W
union a b ab "--type article --type textes"
search ab2 --type article --type texte --commune carbonne $W
json_check "$TMP/ab2" "d['hits'] and all('Carbonne' in h['communes'] for h in d['hits'])" \
	"different kinds: all of them"

# ---- 4. filters alone, newest first -------------------------------------
expect_rc 0 "pvd-search --commune aspet" "$S" --db "$IDX" --json --limit 100 --commune aspet
json_check "$TMP/out" "d['hits'] and all('Aspet' in h['communes'] for h in d['hits'])" "filters alone"
json_check "$TMP/out" "[h['date'] for h in d['hits']] == sorted((h['date'] for h in d['hits']), reverse=True)" \
	"filters alone: newest first"
expect_rc 0 "pvd-search --commune aspet (text)" "$S" --db "$IDX" --commune aspet
expect_rc 2 "pvd-search with nothing" "$S" --db "$IDX"

# ---- 5. paging past the end ---------------------------------------------
expect_rc 1 "--offset 100 friche" "$S" --db "$IDX" --offset 100 friche
expect_rc 1 "--offset 100 --json friche" "$S" --db "$IDX" --json --offset 100 friche
expect_rc 0 "friche" "$S" --db "$IDX" friche

# ---- the daemon ---------------------------------------------------------
SOCK=$TMP/s.sock
"$BIN/pvd-searchd" --socket "$SOCK" --db "$IDX" 2>"$TMP/daemon.err" </dev/null &
DAEMON=$!
for _ in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
api() { curl -s --max-time 10 --unix-socket "$SOCK" "http://localhost$1" >"$TMP/$2"; }
post() { curl -s --max-time 10 --unix-socket "$SOCK" -H 'Content-Type: application/json' \
	-d "$1" http://localhost/search >"$TMP/$2"; }
api "/search?q=$W&type=Textes&limit=100" d
same texte d "daemon: type=Textes"
api "/search?q=$W&type=bidule" d
json_check "$TMP/d" "d['error']['code'] == 'bad_parameter' and 'article, catalogue or texte' in d['error']['message']" \
	"daemon: a bad type"
search a --since 2023-01-01 --until 2023-06-30 $W
api "/search?q=$W&since=2023&until=2023-06&limit=100" d
same a d "daemon: since=2023&until=2023-06"
search a --commune aspet $W
search b --commune carbonne $W
api "/search?q=$W&commune=aspet&commune=carbonne&limit=100" d
union a b d "daemon: commune=aspet&commune=carbonne"
post "{\"q\": \"$W\", \"commune\": [\"aspet\", \"carbonne\"], \"limit\": 100}" d
union a b d "daemon: POST commune array"
post "{\"q\": \"$W\", \"commune\": [\"aspet\", 3]}" d
json_check "$TMP/d" "d['error']['code'] == 'bad_parameter'" "daemon: POST array of a non-string"
api "/search?commune=aspet&limit=100" d
json_check "$TMP/d" "d['hits'] and all('Aspet' in h['communes'] for h in d['hits'])" "daemon: filters alone"
api "/search?limit=5" d
json_check "$TMP/d" "d['error']['code'] == 'bad_parameter'" "daemon: nothing at all is refused"
api "/search?q=$W&facets=TRUE&file_dates=True" d
json_check "$TMP/d" "'facets' in d" "daemon: facets=TRUE"
api "/search?q=$W&facets=False" d
json_check "$TMP/d" "'facets' not in d and 'hits' in d" "daemon: facets=False"
kill "$DAEMON" && wait "$DAEMON" 2>/dev/null
DAEMON=

echo "filters: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
