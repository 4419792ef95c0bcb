#!/usr/bin/env bash
# test_allocator.sh: which malloc pvd-index's allocations reach, as the
# dynamic loader binds them during a real indexing run (LD_DEBUG=bindings).
# Built for use, every library's malloc (Xapian's, libxml2's, glibc's own)
# must be mimalloc's, none glibc's: the libraries would otherwise share two
# allocators, or the faster one would silently drop out of the link.  In a
# sanitizer build the sanitizer must see every allocation: no mimalloc.
#
# usage: test_allocator.sh BUILD_DIR CORPUS_DIR mimalloc|glibc|sanitizer
set -u
BIN=$1
CORPUS=$2
WANT=$3
. "$(dirname "$0")/../testlib.sh"
test_start allocator "$BIN"

# a few files of each kind whose library allocates most: HTML (libxml2),
# Markdown, PDF (poppler); Xapian writes them all
mkdir -p "$TMP/c"
for kind in html md pdf; do
	for f in $(find "$CORPUS" -type f -name "*.$kind" | sort | head -4); do
		cp "$f" "$TMP/c/"
	done
done
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$TMP/ld" "$I" --quiet --db "$TMP/db" "$TMP/c" \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
if [ $rc -eq 0 ]; then ok; else ko "pvd-index: exit $rc: $(head -c 300 "$TMP/err")"; fi
"$S" --db "$TMP/db" --json -n 1 ville >"$TMP/hits" 2>"$TMP/err"
json_check "$TMP/hits" 'd["total"] > 0' "the index made with LD_DEBUG answers"

# "binding file A [0] to B [0]: normal symbol `malloc' [GLIBC_2.2.5]", for
# malloc and operator new (_Znwm): "A B SYMBOL", once each
cat "$TMP"/ld.* 2>/dev/null |
	sed -n "s/.*binding file \([^ ]*\) \[[0-9]*\] to \([^ ]*\) \[[0-9]*\]: normal symbol \`\(malloc\|_Znwm\)'.*/\1 \2 \3/p" |
	sort -u >"$TMP/bound"
bound_to() { # bound_to LIBRARY SYMBOL: where LIBRARY's SYMBOL went, or nothing
	awk -v lib="$1" -v sym="$2" 'index($1, lib) && $3 == sym { print $2 }' "$TMP/bound"
}
case $WANT in
mimalloc)
	# Xapian's term maps (new), libxml2's nodes (malloc), poppler's objects (new)
	for pair in libxapian:_Znwm libxml2:malloc libpoppler.so:_Znwm libc.so:malloc; do
		to=$(bound_to "${pair%%:*}" "${pair##*:}")
		case $to in
		*libmimalloc*) ok ;;
		*) ko "${pair%%:*}'s ${pair##*:} bound to ${to:-nothing seen}, not mimalloc" ;;
		esac
	done
	if awk '$2 ~ /libc\.so|libstdc\+\+/' "$TMP/bound" | grep -q .; then
		ko "allocations left to glibc or libstdc++: $(awk '$2 ~ /libc\.so|libstdc\+\+/' "$TMP/bound" | head -3 | tr '\n' ';')"
	else
		ok
	fi
	;;
glibc | sanitizer)
	if grep -q 'libmimalloc' "$TMP/bound"; then ko "malloc bound to mimalloc in a $WANT build"; else ok; fi
	if ldd "$I" | grep -q libmimalloc; then ko "pvd-index loads libmimalloc in a $WANT build"; else ok; fi
	;;
*)
	ko "unknown allocator $WANT"
	;;
esac
echo "allocator ($WANT): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
