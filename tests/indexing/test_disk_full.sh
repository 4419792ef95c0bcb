#!/usr/bin/env bash
# test_disk_full.sh: writes that fail for want of room (RLIMIT_FSIZE: each
# write past the limit fails with EFBIG, as on a full disk) stop pvd-index
# with a message and exit 2, never a crash, and the live index stays whole:
# a rebuild (--full) and an incremental run on a full disk lose nothing.
#
# usage: test_disk_full.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2
. "$(dirname "$0")/../testlib.sh"
test_start full "$BIN"

cp -r "$CORPUS" "$TMP/c"
"$I" --quiet --db "$TMP/db" "$TMP/c" || { ko "the first index"; exit 1; }
before=$("$S" --db "$TMP/db" --json friche | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

# full_run ARGS...: pvd-index with room for 64 KiB per file, SIGXFSZ ignored
# so that writes fail with EFBIG instead of killing it.
full_run() {
	(trap '' XFSZ; ulimit -f 64; exec "$I" "$@") >"$TMP/out" 2>"$TMP/err"
}

full_run --db "$TMP/db" --full "$TMP/c"
rc=$?
if [ $rc -eq 2 ]; then ok; else ko "--full on a full disk: exit $rc, want 2: $(head -c 300 "$TMP/err")"; fi
if grep -q "$TMP/db" "$TMP/err"; then ok; else ko "--full on a full disk: no message naming the index: $(head -c 300 "$TMP/err")"; fi
after=$("$S" --db "$TMP/db" --json friche | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
if [ "$after" = "$before" ] && [ "$before" -gt 0 ]; then ok; else ko "after a failed --full: $after hits for friche, $before before"; fi

# An incremental run: a new file too big for the room left.
python3 -c 'import sys; sys.stdout.write("Un long compte rendu sur la friche. " * 20000)' >"$TMP/c/articles/long.txt"
full_run --db "$TMP/db" "$TMP/c"
rc=$?
if [ $rc -ne 0 ] && [ $rc -lt 128 ]; then ok; else ko "an update on a full disk: exit $rc: $(head -c 300 "$TMP/err")"; fi
after=$("$S" --db "$TMP/db" --json friche | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
if [ "$after" -ge "$before" ]; then ok; else ko "after a failed update: $after hits for friche, $before before"; fi
# With room again, the next run completes it.
"$I" --quiet --db "$TMP/db" "$TMP/c"
rc=$?
if [ $rc -eq 0 ]; then ok; else ko "with room again: exit $rc"; fi
after=$("$S" --db "$TMP/db" --json friche | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
if [ "$after" -gt "$before" ]; then ok; else ko "with room again: the long file is not found ($after hits)"; fi

echo "disk full: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
