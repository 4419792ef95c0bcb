#!/usr/bin/env bash
# index-bench.sh: index one corpus from scratch with pvd-index and with
# Xapian's omindex, alternating in the same run, and compare CPU, wall time,
# peak RSS, index size and documents per second.  See bench/README.md.
#
# usage: bench/index-bench.sh [options] [CORPUS [ROUNDS]]
set -euo pipefail

CORPUS=/var/tmp/pvd-bench/corpus
ROUNDS=3
PVD_INDEX=./build-release/pvd-index
JOBS=2
WORK=
KEEP=0
NOPDF=0
BASELINE=
OMINDEX=1
REPORT_OUT=

usage() {
	cat <<'EOF'
usage: bench/index-bench.sh [options] [CORPUS [ROUNDS]]

Indexes CORPUS from scratch ROUNDS times with each tool, alternating
pvd-index and omindex, each run into a fresh empty folder, and prints one
line per run, then the medians and the ratios pvd/omindex.

  -c, --corpus DIR      corpus folder (default /var/tmp/pvd-bench/corpus)
  -n, --rounds N        rounds (default 3)
  -p, --pvd-index PATH  pvd-index binary (default ./build-release/pvd-index,
                        built with -DCMAKE_BUILD_TYPE=Release)
  -j, --jobs N          pvd-index --jobs N (default 2)
  -w, --work DIR        where the indexes go (default: a new folder under
                        /var/tmp, removed at the end unless --keep)
  -k, --keep            keep the indexes and logs
  -r, --report FILE     copy pvd-index's --report (JSON lines, last round) here
      --omindex-nopdf   also run omindex with PDFs skipped (-Mpdf:skip), the
                        same work as a pvd-index that does not read PDFs yet
  -b, --baseline PATH   also run this other pvd-index (an older build), in
                        turn with the others, and print the ratios pvd/pvd-base
      --no-omindex      leave omindex out (with --baseline: old against new)
  -h, --help            this help

Needs: GNU time (/usr/bin/time, package time), omindex and xapian-delve
(packages xapian-omega, xapian-tools), pdftotext (poppler-utils) so that
omindex reads PDFs.  ../shared/bench-corpus/make-corpus.sh installs them.
EOF
}

die() { echo "index-bench: $*" >&2; exit 2; }

POS=()
while [ $# -gt 0 ]; do
	case $1 in
	-c | --corpus) CORPUS=$2; shift 2 ;;
	-n | --rounds) ROUNDS=$2; shift 2 ;;
	-p | --pvd-index) PVD_INDEX=$2; shift 2 ;;
	-j | --jobs) JOBS=$2; shift 2 ;;
	-w | --work) WORK=$2; shift 2 ;;
	-k | --keep) KEEP=1; shift ;;
	-r | --report) REPORT_OUT=$2; shift 2 ;;
	--omindex-nopdf) NOPDF=1; shift ;;
	-b | --baseline) BASELINE=$2; shift 2 ;;
	--no-omindex) OMINDEX=0; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; POS+=("$@"); break ;;
	-*) usage >&2; exit 2 ;;
	*) POS+=("$1"); shift ;;
	esac
done
[ ${#POS[@]} -ge 1 ] && CORPUS=${POS[0]}
[ ${#POS[@]} -ge 2 ] && ROUNDS=${POS[1]}

[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive number"
[ -d "$CORPUS" ] || die "$CORPUS: no such folder (run ../shared/bench-corpus/make-corpus.sh)"
[ -x "$PVD_INDEX" ] || die "$PVD_INDEX: not executable (build with -DCMAKE_BUILD_TYPE=Release)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing: apt-get install time"
[ -z "$BASELINE" ] || [ -x "$BASELINE" ] || die "$BASELINE: not executable"
for t in omindex xapian-delve; do
	command -v "$t" >/dev/null || die "$t missing: apt-get install xapian-omega xapian-tools"
done
command -v pdftotext >/dev/null || echo "index-bench: warning: no pdftotext, omindex will skip PDFs" >&2
CORPUS=$(cd "$CORPUS" && pwd)
PVD_INDEX=$(cd "$(dirname "$PVD_INDEX")" && pwd)/$(basename "$PVD_INDEX")
[ -z "$BASELINE" ] || BASELINE=$(cd "$(dirname "$BASELINE")" && pwd)/$(basename "$BASELINE")

if [ -z "$WORK" ]; then
	WORK=$(mktemp -d /var/tmp/pvd-index-bench.XXXXXX)
else
	mkdir -p "$WORK"
fi
# shellcheck disable=SC2317 # called by the trap
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

# omindex decides by extension first: name the three kinds explicitly so
# that it indexes what pvd-index is meant to (HTML/XHTML, text, PDF).
OMINDEX_TYPES=(-Mhtml:text/html -Mhtm:text/html -Mxhtml:text/html -Mtxt:text/plain
	-Mpdf:application/pdf)

n_files=$(find "$CORPUS" -type f | wc -l)
n_bytes=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)"
echo "# corpus: $CORPUS ($n_files files, $(awk -v b="$n_bytes" 'BEGIN {printf "%.1f MiB", b/1048576}'))"
echo "# pvd-index: $PVD_INDEX --quiet --jobs $JOBS ($("$PVD_INDEX" --version 2>/dev/null || echo '?'))"
[ -z "$BASELINE" ] || echo "# pvd-base: $BASELINE --quiet --jobs $JOBS"
[ "$OMINDEX" = 0 ] || echo "# omindex: $(omindex --version | head -1), --url / --stemmer=french ${OMINDEX_TYPES[*]}"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS rounds, warm cache"

# Warm the page cache so that the first run is not the only cold one.
find "$CORPUS" -type f -print0 | xargs -0 cat >/dev/null

RESULTS=$WORK/results.tsv
: >"$RESULTS"

# run TOOL ROUND: one timed run into a fresh folder; appends to RESULTS.
run() {
	local tool=$1 round=$2 db=$WORK/$1-$2 tf=$WORK/$1-$2.time log=$WORK/$1-$2.log rc=0
	rm -rf "$db"
	mkdir -p "$db"
	case $tool in
	pvd | pvd-base)
		local bin=$PVD_INDEX
		[ "$tool" = pvd ] || bin=$BASELINE
		/usr/bin/time -o "$tf" -f '%e %U %S %M' "$bin" --quiet --jobs "$JOBS" \
			--report "$WORK/$tool-$round.report" --db "$db" "$CORPUS" >"$log" 2>&1 || rc=$?
		# 1: some files failed, the rest is indexed (reported below)
		[ $rc -le 1 ] || { cat "$log" >&2; die "pvd-index exited $rc"; }
		;;
	omindex | omindex-nopdf)
		local extra=()
		[ "$tool" = omindex-nopdf ] && extra=(-Mpdf:skip)
		/usr/bin/time -o "$tf" -f '%e %U %S %M' omindex --db "$db" --url / \
			--stemmer=french "${OMINDEX_TYPES[@]}" "${extra[@]}" "$CORPUS" \
			>"$log" 2>&1 || rc=$?
		[ $rc -eq 0 ] || { cat "$log" >&2; die "omindex exited $rc"; }
		;;
	esac
	local wall user sys rss size docs
	read -r wall user sys rss <"$tf"
	size=$(du -sm "$db" | cut -f1)
	docs=$(xapian-delve "$db" | awk -F' = ' '/^number of documents/ {print $2}')
	# tool round cpu wall rss_mib size_mib docs docs_per_s
	awk -v t="$tool" -v r="$round" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
		-v z="$size" -v d="$docs" 'BEGIN {
		printf "%s\t%d\t%.2f\t%.2f\t%.1f\t%d\t%d\t%.1f\n", t, r, u + s, w, m / 1024, z, d,
			(w > 0 ? d / w : 0) }' >>"$RESULTS"
	tail -1 "$RESULTS" | awk -F'\t' '{printf "%-14s %5d %8.2f %8.2f %9.1f %8d %6d %8.1f\n", $1, $2, $3, $4, $5, $6, $7, $8}'
	[ "$KEEP" = 1 ] || rm -rf "$db"
}

TOOLS=(pvd)
[ -z "$BASELINE" ] || TOOLS+=(pvd-base)
[ "$OMINDEX" = 1 ] && TOOLS+=(omindex)
[ "$OMINDEX" = 1 ] && [ "$NOPDF" = 1 ] && TOOLS+=(omindex-nopdf)

printf '%-14s %5s %8s %8s %9s %8s %6s %8s\n' tool round cpu_s wall_s rss_MiB size_MiB docs docs/s
for ((i = 1; i <= ROUNDS; i++)); do
	# alternate the order too, so that neither tool always runs first
	if ((i % 2)); then order=("${TOOLS[@]}"); else order=(); for ((k = ${#TOOLS[@]} - 1; k >= 0; k--)); do order+=("${TOOLS[k]}"); done; fi
	for t in "${order[@]}"; do run "$t" "$i"; done
done

echo
echo "# medians over $ROUNDS rounds"
printf '%-14s %8s %8s %9s %8s %6s %8s\n' tool cpu_s wall_s rss_MiB size_MiB docs docs/s
MEDIANS=$WORK/medians.tsv
: >"$MEDIANS"
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for t in "${TOOLS[@]}"; do
	line=$t
	for col in 3 4 5 6 7 8; do
		line+=$'\t'$(awk -F'\t' -v t="$t" -v c="$col" '$1 == t {print $c}' "$RESULTS" | median)
	done
	echo "$line" >>"$MEDIANS"
	echo "$line" | awk -F'\t' '{printf "%-14s %8.2f %8.2f %9.1f %8d %6d %8.1f\n", $1, $2, $3, $4, $5, $6, $7}'
done

echo
ratio() { # ratio TOOL_A TOOL_B
	awk -F'\t' -v a="$1" -v b="$2" '
		$1 == a {ca = $2; wa = $3; ra = $4; za = $5; da = $7}
		$1 == b {cb = $2; wb = $3; rb = $4; zb = $5; db = $7}
		END {printf "# %s/%s: wall %.2f, CPU %.2f, peak RSS %.2f, index size %.2f, docs/s %.2f\n",
			a, b, wa / wb, ca / cb, ra / rb, za / zb, da / db}' "$MEDIANS"
}
[ -z "$BASELINE" ] || ratio pvd pvd-base
if [ "$OMINDEX" = 1 ]; then
	ratio pvd omindex
	[ "$NOPDF" = 1 ] && ratio pvd omindex-nopdf
	echo "# targets (issue 16): CPU <= 0.60, wall <= 0.50, peak RSS <= 200 MiB, index size <= 1.00, every document indexed"
fi

# What pvd-index did not index, grouped by reason (last round).
last=$WORK/pvd-$ROUNDS.report
if [ -f "$last" ]; then
	echo
	pvd_docs=$(awk -F'\t' '$1 == "pvd" {print $6}' "$MEDIANS")
	echo "# pvd-index: $pvd_docs of $n_files files indexed; $(grep -c '"status":"skipped"' "$last" || true) skipped, $(grep -c '"status":"failed"' "$last" || true) failed"
	sed -n 's/.*"status":"\([a-z]*\)","reason":"\(.*\)"}$/\1: \2/p' "$last" | sort | uniq -c | sort -rn
	[ -z "$REPORT_OUT" ] || cp "$last" "$REPORT_OUT"
fi
[ "$KEEP" = 1 ] && echo "# logs and reports kept in $WORK"
exit 0
