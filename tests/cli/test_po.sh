#!/usr/bin/env bash
# test_po.sh: the French catalogue is complete: every message marked in the
# sources (xgettext, as `cmake --build build -t pot` runs it) has a French
# translation, none fuzzy, and po/pvd.pot is up to date.
#
# usage: test_po.sh SOURCE_DIR
set -u
SRC=$1
TMP=$(mktemp -d /tmp/pvd-po-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/../testlib.sh"
cd "$SRC" || exit 1
files=$(ls common/*.c indexer/*.c searcher/*.c lib/*.c lib/*.cc lib/*.h | LC_ALL=C sort)
# shellcheck disable=SC2086
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
	--package-name=pvd --msgid-bugs-address=- --sort-by-file -o "$TMP/pvd.pot" $files ||
	ko "xgettext fails"
if msgcmp po/fr.po "$TMP/pvd.pot" 2>"$TMP/err"; then ok; else ko "po/fr.po lacks messages: $(head -c 600 "$TMP/err")"; fi
if msgcmp --use-untranslated po/pvd.pot "$TMP/pvd.pot" 2>"$TMP/err"; then ok; else ko "po/pvd.pot is out of date (cmake --build build -t pot): $(head -c 400 "$TMP/err")"; fi
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null po/fr.po 2>&1)
case $stats in
*fuzzy* | *untranslated*) ko "po/fr.po: $stats" ;;
*" translated message"*) ok ;;
*) ko "msgfmt: $stats" ;;
esac
echo "po: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
