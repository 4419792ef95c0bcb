#!/usr/bin/env bash
# test_compact.sh: pvd-index leaves its index compacted (full B-tree blocks
# in a new generation, switched to atomically): after a first run and a
# --full, and after an incremental run that has made the index loose; the
# compacted index answers as the loose one did, a reader open across the
# switch goes on answering, and a run killed while compacting leaves the
# index whole.
#
# usage: test_compact.sh BUILD_DIR HOLD_PROGRAM
set -u
BIN=$1
HOLD=$2
. "$(dirname "$0")/../testlib.sh"
test_start compact "$BIN"
absent() { ! grep -q "$@"; }
gens() { find "$1" -maxdepth 1 -name 'gen-*' -printf '%f\n' | sort; }
live() { sed 's/^auto //' "$1/XAPIANDB"; }
# what a user sees of a few queries: totals, and the hits with their titles
# and snippets (as a set: a rebuild numbers documents anew, and equal
# scores come in that order; so every hit, not the first 20, whose last
# ones among equals would depend on that order)
answers() {
	for q in friche "halle commerce" "rénovation du centre" 'territoire -habitat' numéro17; do
		"$S" --db "$1" --json -n 400 "$q"
	done | python3 -c '
import json, sys
for line in sys.stdin.read().replace("}\n{", "}\x00{").split("\x00"):
    d = json.loads(line)
    print(d.get("total"), sorted((h["path"], h["title"], h["snippet"]) for h in d["hits"]))'
}
total() { "$S" --db "$1" --json -n 1 "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

C=$TMP/corpus
mkdir -p "$C/a"
python3 - "$C/a" <<'EOF'
import os, sys, random
random.seed(11)
# a vocabulary as wide as a real one's: each run's new postings land all
# over the B-trees, as real documents' do
words = ("commune ville bourg friche halle commerce habitat mobilité rénovation "
         "revitalisation ingénierie convention projet territoire centre").split()
words += ["".join(random.choice("bcdfglmnprstvaeiou") for _ in range(random.randint(4, 10)))
          for _ in range(4000)]
for i in range(400):
    with open(os.path.join(sys.argv[1], "f%04d.txt" % i), "w") as f:
        f.write("Fichier numéro%d\n\n" % i + " ".join(random.choice(words) for _ in range(200)) + "\n")
EOF

# ---- a first run leaves a compacted index --------------------------------------
DB=$TMP/index
"$I" --jobs 2 --db "$DB" "$C" 2>"$TMP/err"
check "first run: exit 0" [ $? -eq 0 ]
check "first run: the summary says the index was compacted" grep -q "400 added.*; index compacted to [0-9.]* MiB" "$TMP/err"
check "first run: one generation, the compacted one, is live" [ "$(gens "$DB")" = "$(live "$DB")" ]
answers "$DB" >"$TMP/first"
check "first run: the queries find documents" grep -q "f0017.txt" "$TMP/first"

# ---- a small incremental run leaves it as it is ------------------------------
gen=$(live "$DB")
for f in "$C"/a/f00[0-3]*.txt; do printf 'friche ajoutée\n' >>"$f"; done
"$I" --jobs 2 --db "$DB" "$C" 2>"$TMP/err"
check "small update: 40 files updated" grep -q "0 added, 40 updated, 360 unchanged" "$TMP/err"
check "small update: not compacted" absent "compacted" "$TMP/err"
check "small update: the same generation" [ "$(live "$DB")" = "$gen" ]
answers "$DB" >"$TMP/loose"
check "small update: the updated files are found by their new words" [ "$(total "$DB" ajoutée)" = 40 ]

# ---- --full: compacted, same answers as the loose index ---------------------
coproc HOLDER { "$HOLD" "$DB"; }
ask() { echo "$1" >&"${HOLDER[1]}"; read -r -t 10 answer <&"${HOLDER[0]}"; echo "$answer"; }
before=$(ask 'count friche')
"$I" --jobs 2 --full --db "$DB" "$C" 2>"$TMP/err"
check "--full: exit 0" [ $? -eq 0 ]
check "--full: compacted" grep -q "; index compacted to" "$TMP/err"
check "--full: one generation left, the live one" [ "$(gens "$DB")" = "$(live "$DB")" ] && [ "$(live "$DB")" != "$gen" ]
answers "$DB" >"$TMP/full"
check "--full: the compacted index answers as the loose one did" cmp -s "$TMP/loose" "$TMP/full"
check "a reader open across the switch still answers" [ "$(ask 'count friche')" = "$before" ]
check "reopened, it answers the same" [ "$(ask reopen)" = ok ] && [ "$(ask 'count friche')" = "$before" ]
echo quit >&"${HOLDER[1]}" 2>/dev/null
exec {HOLDER[1]}>&-
[ -z "${HOLDER_PID:-}" ] || wait "$HOLDER_PID" 2>/dev/null # unset once it ended

# ---- an incremental run that makes it loose: compacted -------------------------
gen=$(live "$DB")
mkdir -p "$C/b"
for f in "$C"/a/*.txt; do sed 's/numéro/pièce/' "$f" >"$C/b/$(basename "$f")"; done
"$I" --jobs 2 --db "$DB" "$C" 2>"$TMP/err"
check "doubling the index: 400 added" grep -q "400 added, 0 updated, 400 unchanged" "$TMP/err"
check "doubling the index: loose, so compacted" grep -q "; index compacted to" "$TMP/err"
check "doubling the index: a new generation, alone" [ "$(gens "$DB")" = "$(live "$DB")" ] && [ "$(live "$DB")" != "$gen" ]
check "doubling the index: both halves found" [ "$(total "$DB" 'numéro17 OR pièce17')" = 2 ]
"$I" --jobs 2 --db "$DB" "$C" 2>"$TMP/err"
check "the next run, nothing changed: not compacted again" absent "compacted" "$TMP/err"

# ---- killed while compacting: the index is whole -------------------------------
docs=$(echo docs | "$HOLD" "$DB")
gen=$(live "$DB")
"$I" --quiet --jobs 2 --full --db "$DB" "$C" &
pid=$!
caught=0
for _ in $(seq 1 3000); do
	# two generations beside the live one: the rebuild and its compacted copy
	[ "$(gens "$DB" | wc -l)" -ge 3 ] && { kill -9 $pid 2>/dev/null && caught=1; break; }
	kill -0 $pid 2>/dev/null || break
	sleep 0.01
done
wait $pid 2>/dev/null
if [ $caught = 1 ] && [ "$(live "$DB")" != "$gen" ]; then
	# on a busy machine the kill can land just after the switch, while the
	# old generations are being removed: then the new index must be whole
	echo "note: the kill came after the switch to the compacted copy"
	check "killed after the switch: the new index is live and whole" [ "$(echo docs | "$HOLD" "$DB")" = "$docs" ]
elif [ $caught = 1 ]; then
	check "killed while compacting: the old index is live and whole" [ "$(live "$DB")" = "$gen" ] && [ "$(echo docs | "$HOLD" "$DB")" = "$docs" ]
fi
if [ $caught = 1 ]; then
	"$I" --quiet --jobs 2 --db "$DB" "$C"
	check "the next run sweeps the generations left behind" [ "$(gens "$DB")" = "$(live "$DB")" ]
else
	echo "note: pvd-index compacted before it could be killed"
fi
check "the index answers" [ "$(echo docs | "$HOLD" "$DB")" = "$docs" ]

echo "compact: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
