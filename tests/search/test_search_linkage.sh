#!/usr/bin/env bash
# test_search_linkage.sh: the Xapian pvd-search runs on.  Built for use, it
# has Xapian and libstdc++ linked in (scripts/build-xapian-static.sh): the
# dynamic loader must find neither to load, or every launch pays for
# relocating them again.  Linked in, Xapian must still answer as Debian's
# shared library does for pvd-searchd, and its errors (C++ exceptions,
# thrown and caught inside the executable) must still become a message and
# an exit status, never an abort.  In a sanitizer build, or one configured
# with -DPVD_SEARCH_XAPIAN=shared, it loads the shared library.
#
# usage: test_search_linkage.sh BUILD_DIR CORPUS_DIR static|shared REFERENCE
# (REFERENCE: tests/search/search_reference.c, built against libpvd)
set -u
BIN=$1
CORPUS=$2
WANT=$3
REF=$4
. "$(dirname "$0")/../testlib.sh"
test_start search_linkage "$BIN"

needed=$(readelf -d "$S" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $WANT in
static)
	for lib in libxapian libstdc++ libgcc_s; do
		case " $needed" in
		*" $lib"*) ko "pvd-search loads $lib (needs: $needed)" ;;
		*) ok ;;
		esac
	done
	;;
shared)
	case " $needed" in
	*" libxapian"*) ok ;;
	*) ko "pvd-search does not load libxapian (needs: $needed)" ;;
	esac
	;;
*)
	ko "unknown linkage $WANT"
	;;
esac

# The same answers as the library pvd-searchd runs (libpvd, shared Xapian):
# the paths of every hit, in order, and the totals, for a few queries.
mkdir -p "$TMP/c"
cp -r "$CORPUS"/. "$TMP/c/"
expect_rc 0 "pvd-index" "$I" --quiet --db "$TMP/db" "$TMP/c"
for q in ingénierie "revitalisation du centre-bourg" "petites villes" 'commune OR ville' \
	'"centre-bourg"' 'patrimoine -église'; do
	"$REF" "$TMP/db" "$q" >"$TMP/want" 2>"$TMP/err"
	"$S" --db "$TMP/db" --json -n 100 -- "$q" >"$TMP/got.json" 2>"$TMP/err"
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['total']); [print(h['path']) for h in d['hits']]" \
		"$TMP/got.json" >"$TMP/got" 2>>"$TMP/err"
	if [ -s "$TMP/want" ] && cmp -s "$TMP/want" "$TMP/got"; then
		ok
	else
		ko "\"$q\": pvd-search gives $(head -c 200 "$TMP/got" | tr '\n' ' '), libpvd $(head -c 200 "$TMP/want" | tr '\n' ' ')"
	fi
done
"$REF" "$TMP/db" ingénierie | head -1 >"$TMP/n"
check "the reference finds ingénierie" [ "$(cat "$TMP/n")" -gt 0 ]

# A broken index: Xapian's exception, thrown in the linked-in library and
# caught by libpvd's shim, is a message naming the index and exit 2.
cp -a "$TMP/db" "$TMP/broken"
gen=$(ls -d "$TMP/broken"/gen-* | head -1)
head -c 40000 /dev/urandom >"$gen/postlist.glass"
expect_rc 2 "a broken index" "$S" --db "$TMP/broken" -- ingénierie
contains "$TMP/err" "$TMP/broken" "the message names the index"

echo "search_linkage ($WANT): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
