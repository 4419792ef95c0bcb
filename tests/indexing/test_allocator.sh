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

# a few files of each kind the indexer parses: HTML, Markdown, PDF
mkdir -p "$TMP/c"
for f in $(find "$CORPUS" -type f \( -name '*.html' -o -name '*.md' -o -name '*.pdf' \) | sort | head -12); do
	cp "$f" "$TMP/c/"
done
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$TMP/ld" "$I" --quiet --db "$TMP/db" "$TMP/c" \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
if [ $rc -eq 0 ]; then ok; else ko "pvd-index: exit $rc: $(head -c 300 "$TMP/err")"; fi
"$S" --db "$TMP/db" --json -n 1 ville >"$TMP/hits" 2>"$TMP/err"
json_check "$TMP/hits" 'd["total"] > 0' "the index made with LD_DEBUG answers"

# "binding file A [0] to B [0]: normal symbol `malloc' [GLIBC_2.2.5]": B, once each
cat "$TMP"/ld.* 2>/dev/null |
	sed -n "s/.* to \([^ ]*\) \[[0-9]*\]: normal symbol \`malloc'.*/\1/p" | sort -u >"$TMP/to"
callers=$(cat "$TMP"/ld.* 2>/dev/null | grep -c "normal symbol \`malloc'")
case $WANT in
mimalloc)
	if grep -q 'libmimalloc' "$TMP/to"; then ok; else ko "no malloc bound to mimalloc: $(tr '\n' ' ' <"$TMP/to")"; fi
	if grep -q 'libc\.so' "$TMP/to"; then ko "a malloc bound to glibc's: $(tr '\n' ' ' <"$TMP/to")"; else ok; fi
	# libstdc++, Xapian, libxml2, libc itself...: not pvd-index's calls alone
	if [ "$callers" -ge 3 ]; then ok; else ko "only $callers bindings of malloc seen"; fi
	;;
glibc | sanitizer)
	if grep -q 'libmimalloc' "$TMP/to"; then ko "malloc bound to mimalloc in a $WANT build"; else ok; fi
	if ldd "$I" | grep -q libmimalloc; then ko "pvd-index loads libmimalloc in a $WANT build"; else ok; fi
	;;
*)
	ko "unknown allocator $WANT"
	;;
esac
echo "allocator ($WANT): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
