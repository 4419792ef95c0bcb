#!/usr/bin/env bash
# test_bad_input.sh: one bad file never stops a run.  Each bad input sits in
# a folder beside a good document; pvd-index must name the bad file in one
# line on stderr (or skip it on purpose), index and commit the rest, end
# with the right exit status, and neither crash nor hang.
#
# usage: test_bad_input.sh BUILD_DIR FIXTURES_DIR
set -u
BIN=$1
FIX=$2
. "$(dirname "$0")/../testlib.sh"
test_start bad "$BIN"

# run_case NAME WANT_RC WANT_STDERR_REGEX: index $TMP/NAME (prepared by the
# caller, with good.txt beside the bad input) within 120 s.
run_case() {
	local name=$1 want_rc=$2 want_err=$3
	printf 'Un document sain sur la revitalisation du bourg.\n' >"$TMP/$name/good.txt"
	timeout 120 "$I" --db "$TMP/$name.index" "$TMP/$name" >"$TMP/$name.out" 2>"$TMP/$name.err"
	local rc=$?
	if [ "$rc" -eq 124 ]; then
		ko "$name: pvd-index hung"
		return
	fi
	if [ "$rc" -eq "$want_rc" ]; then ok; else ko "$name: exit $rc, want $want_rc: $(head -c 400 "$TMP/$name.err")"; fi
	if [ -n "$want_err" ]; then
		if grep -Eq -- "$want_err" "$TMP/$name.err"; then ok; else ko "$name: stderr lacks /$want_err/: $(head -c 400 "$TMP/$name.err")"; fi
	fi
	if "$S" --db "$TMP/$name.index" revitalisation >/dev/null 2>&1; then ok; else ko "$name: the good file was not committed"; fi
}
mk() { mkdir -p "$TMP/$1"; }
found() { # found NAME QUERY: the query finds something in NAME's index
	if "$S" --db "$TMP/$1.index" "$2" >/dev/null 2>&1; then ok; else ko "$1: \"$2\" is not found"; fi
}

mk binary && head -c 65536 /dev/urandom >"$TMP/binary/random.bin"
run_case binary 0 ""
grep -q random.bin "$TMP/binary.err" && ko "binary: a skipped file is quiet, yet: $(cat "$TMP/binary.err")" || ok

mk empty && : >"$TMP/empty/empty.txt"
run_case empty 0 ""

mk huge && python3 -c "
import random; random.seed(3)
w = 'commune ville friche bourg halle projet mobilité'.split()
open('$TMP/huge/big.txt', 'w').write(' '.join(random.choice(w) for _ in range(4300000)) + ' mot-final-unique')"
run_case huge 0 ""
found huge "mot-final-unique"

mk longword && python3 -c "open('$TMP/longword/word.txt', 'w').write('début ' + 'a' * 2000000 + ' et la fin du texte')"
run_case longword 0 ""
found longword "fin du texte"

mk deep && python3 -c "
open('$TMP/deep/deep.html', 'w').write('<html><body><p>avant</p>' + '<div>' * 200000 + 'au fond du puits' + '</div>' * 200000 + '<p>après le puits</p></body></html>')"
run_case deep 0 ""
found deep "\"au fond du puits\""
found deep "\"après le puits\""

mk attr && python3 -c "
open('$TMP/attr/attr.html', 'w').write('<html><body><p title=\"' + 'x' * 10000000 + '\">texte visible</p><p>paragraphe suivant</p></body></html>')"
run_case attr 0 ""
found attr "\"paragraphe suivant\""

mk nul && printf 'avant le nul\0\0après le nul, la friche.\n' >"$TMP/nul/nul.txt"
run_case nul 0 ""
found nul "\"après le nul\""

mk pdf && cp "$FIX/pdf-tronque.pdf" "$TMP/pdf/tronque.pdf" && printf '%%PDF-1.4\n%s\n' "$(head -c 3000 /dev/urandom | base64 -w0)" >"$TMP/pdf/garbage.pdf"
run_case pdf 1 "tronque.pdf: .*PDF"
if grep -q "garbage.pdf: .*PDF" "$TMP/pdf.err"; then ok; else ko "pdf: garbage after a PDF header is not named: $(cat "$TMP/pdf.err")"; fi

mk loops && mkdir -p "$TMP/loops/sub" && printf 'Un fichier dans sub.\n' >"$TMP/loops/sub/f.txt" &&
	ln -s ../sub "$TMP/loops/sub/up" && ln -s "$TMP/loops" "$TMP/loops/sub/root" &&
	ln -s a "$TMP/loops/b" && ln -s b "$TMP/loops/a"
run_case loops 1 "loops/(a|b): "
if grep -q "2 added" "$TMP/loops.err"; then ok; else ko "loops: each file once: $(cat "$TMP/loops.err")"; fi

mk names && printf 'Nom en latin-1 : la halle.\n' >"$TMP/names/caf$(printf '\xe9').txt" &&
	printf 'Nom avec un saut de ligne : la grange.\n' >"$TMP/names/deux
lignes.txt"
run_case names 0 ""
"$S" --db "$TMP/names.index" --json halle >"$TMP/names.json"
if python3 -c "import json; d=json.load(open('$TMP/names.json')); h=d['hits'][0]; assert h['path'].endswith('/café.txt') and h['path_bytes'].endswith('/caf%E9.txt'), h"; then ok; else ko "names: a file name that is not UTF-8 comes out as valid JSON, read as Windows-1252, its bytes in path_bytes"; fi
found names grange

mk dangling && ln -s nowhere.txt "$TMP/dangling/gone.txt"
run_case dangling 1 "dangling/gone.txt: No such file or directory"

# Unreadable: only a user who is not root can be refused.
mk unreadable && printf 'Secret.\n' >"$TMP/unreadable/secret.txt" && chmod 000 "$TMP/unreadable/secret.txt"
if [ "$(id -u)" -ne 0 ]; then
	run_case unreadable 1 "secret.txt: Permission denied"
elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	printf 'Un document sain sur la revitalisation du bourg.\n' >"$TMP/unreadable/good.txt"
	chmod 755 "$TMP" "$TMP/unreadable" && chmod 644 "$TMP/unreadable/good.txt"
	mkdir -p "$TMP/unreadable.index" && chown nobody "$TMP/unreadable.index"
	# The build folder may sit where nobody cannot go (a clone under a
	# 0700 mktemp -d): nobody runs a copy of pvd-index and libpvd from
	# $TMP, found through LD_LIBRARY_PATH (the build's RUNPATH yields).
	mkdir -p "$TMP/nobody-bin" && cp "$I" "$BIN"/libpvd.so* "$TMP/nobody-bin/" &&
		chmod -R a+rX "$TMP/nobody-bin"
	as_nobody() {
		LD_LIBRARY_PATH="$TMP/nobody-bin" setpriv --reuid=nobody --regid=nogroup \
			--clear-groups "$@"
	}
	if ! as_nobody "$TMP/nobody-bin/pvd-index" --version >"$TMP/nobody.out" 2>&1; then
		echo "SKIP: unreadable file: nobody cannot run a copy of pvd-index from $TMP: $(cat "$TMP/nobody.out")"
	else
		as_nobody "$TMP/nobody-bin/pvd-index" --db "$TMP/unreadable.index" "$TMP/unreadable" \
			2>"$TMP/unreadable.err"
		rc=$?
		if [ $rc -eq 1 ] && grep -q "secret.txt: Permission denied" "$TMP/unreadable.err"; then ok; else ko "unreadable: exit $rc: $(cat "$TMP/unreadable.err")"; fi
	fi
else
	echo "SKIP: unreadable file: running as root without setpriv"
fi

echo "bad input: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
