#!/bin/sh
# One-shot query latency, process launch included: pvd-search against
# Xapian's own `quest` on an omindex index of the same corpus.
#
#   bench/search-latency.sh [--runs N] [--pvd-search PATH] [--pvd-db DIR]
#                           [--omega-db DIR] [--loop]
#
# For each of 5 typical queries it times, N runs each (default 200):
#   pvd-search --db PVD_DB QUERY           (human output, default -n)
#   pvd-search --db PVD_DB --json QUERY
#   quest --db OMEGA_DB --stemmer=french QUERY
# output to /dev/null, and prints p50 and p90 in ms per tool and query, and
# the ratio pvd/quest.
#
# With hyperfine (apt-get install hyperfine) the runs are done with
# `hyperfine -N` (no shell in between), in 2 rounds of N/2 runs whose command
# order is reversed in round 2 (pvd, json, quest; then quest, json, pvd), 10
# warm-up runs each.  Without hyperfine, or with --loop, a shell loop
# alternates the three commands run by run and times each with date +%s%N
# (this adds the cost of the fork of `date` around every run: compare tools
# within one method only).
#
# Indexes (built once, not by this script):
#   build-release/pvd-index --quiet --db /var/tmp/pvd-bench/pvd-index /var/tmp/pvd-bench/corpus
#   omindex --db /var/tmp/pvd-bench/omega-index --url / --stemmer=french /var/tmp/pvd-bench/corpus
set -eu

RUNS=200
PVD=./build-release/pvd-search
PVD_DB=/var/tmp/pvd-bench/pvd-index
OMEGA_DB=/var/tmp/pvd-bench/omega-index
METHOD=hyperfine
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) RUNS=$2; shift 2 ;;
	--pvd-search) PVD=$2; shift 2 ;;
	--pvd-db) PVD_DB=$2; shift 2 ;;
	--omega-db) OMEGA_DB=$2; shift 2 ;;
	--loop) METHOD=loop; shift ;;
	-h|--help) sed -n '2,27p' "$0"; exit 0 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
command -v hyperfine >/dev/null 2>&1 || METHOD=loop
for f in "$PVD_DB" "$OMEGA_DB"; do
	[ -d "$f" ] || { echo "no index at $f (see the header of $0)" >&2; exit 2; }
done
[ -x "$PVD" ] || { echo "$PVD: not built (cmake --build build-release)" >&2; exit 2; }

echo "machine: nproc=$(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(grep MemTotal /proc/meminfo | tr -s ' ')"
echo "method: $METHOD, $RUNS runs per command and query; $(quest --version 2>/dev/null | head -1 || true)"

WORK=$(mktemp -d /tmp/search-latency.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# percentiles of a file of times in ms (one per line): p50 p90
pct() {
	sort -g "$1" | awk '{ v[NR] = $1 } END {
		i50 = int(0.50 * NR + 0.999999); i90 = int(0.90 * NR + 0.999999);
		printf "%.2f %.2f\n", v[i50], v[i90] }'
}

# hyperfine JSON -> one time per line in ms, for command index $2
hf_times() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]
for t in r["times"]:
    print(f"{t * 1000:.4f}")
EOF
}

printf '| query | pvd p50 | pvd p90 | pvd --json p50 | pvd --json p90 | quest p50 | quest p90 | pvd/quest p50 | pvd/quest p90 |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
qn=0
for Q in "installation du paquet" "configuration réseau" "gestionnaire de fenêtres" "noyau" "partition"; do
	qn=$((qn + 1))
	: >"$WORK/pvd.$qn"; : >"$WORK/json.$qn"; : >"$WORK/quest.$qn"
	CP="$PVD --db $PVD_DB '$Q'"
	CJ="$PVD --db $PVD_DB --json '$Q'"
	CQ="quest --db $OMEGA_DB --stemmer=french '$Q'"
	if [ "$METHOD" = hyperfine ]; then
		half=$((RUNS / 2))
		hyperfine -N -i --style none --warmup 10 --runs "$half" \
			--export-json "$WORK/r1.json" "$CP" "$CJ" "$CQ" >/dev/null 2>&1
		hyperfine -N -i --style none --warmup 10 --runs "$half" \
			--export-json "$WORK/r2.json" "$CQ" "$CJ" "$CP" >/dev/null 2>&1
		hf_times "$WORK/r1.json" 0 >>"$WORK/pvd.$qn"; hf_times "$WORK/r2.json" 2 >>"$WORK/pvd.$qn"
		hf_times "$WORK/r1.json" 1 >>"$WORK/json.$qn"; hf_times "$WORK/r2.json" 1 >>"$WORK/json.$qn"
		hf_times "$WORK/r1.json" 2 >>"$WORK/quest.$qn"; hf_times "$WORK/r2.json" 0 >>"$WORK/quest.$qn"
	else
		i=0
		while [ $i -lt $((RUNS + 10)) ]; do
			t0=$(date +%s%N); "$PVD" --db "$PVD_DB" "$Q" >/dev/null 2>&1 || true; t1=$(date +%s%N)
			"$PVD" --db "$PVD_DB" --json "$Q" >/dev/null 2>&1 || true; t2=$(date +%s%N)
			quest --db "$OMEGA_DB" --stemmer=french "$Q" >/dev/null 2>&1 || true; t3=$(date +%s%N)
			if [ $i -ge 10 ]; then  # first 10 rounds: warm-up
				echo "$(( (t1 - t0) / 1000 ))" | awk '{ print $1 / 1000 }' >>"$WORK/pvd.$qn"
				echo "$(( (t2 - t1) / 1000 ))" | awk '{ print $1 / 1000 }' >>"$WORK/json.$qn"
				echo "$(( (t3 - t2) / 1000 ))" | awk '{ print $1 / 1000 }' >>"$WORK/quest.$qn"
			fi
			i=$((i + 1))
		done
	fi
	cat "$WORK/pvd.$qn" >>"$WORK/pvd.all"; cat "$WORK/json.$qn" >>"$WORK/json.all"
	cat "$WORK/quest.$qn" >>"$WORK/quest.all"
	set -- $(pct "$WORK/pvd.$qn") $(pct "$WORK/json.$qn") $(pct "$WORK/quest.$qn")
	printf '| %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f |\n' "$Q" "$1" "$2" "$3" "$4" "$5" "$6" \
		"$(echo "$1 $5" | awk '{ print $1 / $2 }')" "$(echo "$2 $6" | awk '{ print $1 / $2 }')"
done
set -- $(pct "$WORK/pvd.all") $(pct "$WORK/json.all") $(pct "$WORK/quest.all")
printf '| **all 5** | %s | %s | %s | %s | %s | %s | %.2f | %.2f |\n' "$1" "$2" "$3" "$4" "$5" "$6" \
	"$(echo "$1 $5" | awk '{ print $1 / $2 }')" "$(echo "$2 $6" | awk '{ print $1 / $2 }')"
