#!/bin/sh
# The curve (issue 16): pvd at 5k, 50k and 100k documents, one row a size.
#
#   bench/curve.sh [--sizes "5k 50k 100k"] [--bin build-release] [--scale /var/tmp/pvd-scale]
#                  [--tsv FILE] [--launch-rounds R] [--requests N] [--load-rounds L]
#
# Corpora: bench/scale-corpus.py (run it first): 5k = copy-00, 50k = copy-00..09,
# 100k = copy-00..19 of SCALE/x20 (5,013 HTML and text files a copy, no PDF).
# For each size, in order:
#   1. a full index into an empty folder SCALE/idx-SIZE, timed by GNU time:
#        pvd-index --quiet --jobs 2 --db SCALE/idx-SIZE COPY...
#      CPU (user + sys), wall, peak RSS (%M), the index's size (du -sm), documents
#      (xapian-delve);
#   2. pvd-search per launch: each of the 200 queries of bench/load-queries.txt
#      run R times (default 2; the query order reversed every other round) as
#        pvd-search --db SCALE/idx-SIZE QUERY >/dev/null
#      after one untimed pass (warm cache); p50 and p99 over all launches;
#   3. pvd-searchd --threads 2 under bench/loadgen at 16 connections, N requests
#      (default 20,000, after N/10 warm-up), L rounds (default 3): median QPS, p50, p99;
#   4. a 1,000-file incremental update: 1,000 files spread evenly over the
#      size's files get a sentence more (in HTML, before </body>), then the same
#      pvd-index command runs again, timed as in 1.
# Appends one row a size to the TSV (default SCALE/curve.tsv; header if new) and
# prints it. Logs and reports: SCALE/logs/.
set -eu

cd "$(dirname "$0")/.."
SIZES="5k 50k 100k"
BIN=build-release
SCALE=/var/tmp/pvd-scale
TSV=
LAUNCH_ROUNDS=2
REQUESTS=20000
LOAD_ROUNDS=3
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) SIZES=$2; shift 2 ;;
	--bin) BIN=$2; shift 2 ;;
	--scale) SCALE=$2; shift 2 ;;
	--tsv) TSV=$2; shift 2 ;;
	--launch-rounds) LAUNCH_ROUNDS=$2; shift 2 ;;
	--requests) REQUESTS=$2; shift 2 ;;
	--load-rounds) LOAD_ROUNDS=$2; shift 2 ;;
	-h|--help) sed -n '2,27p' "$0"; exit 0 ;;
	*) echo "curve.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
TSV=${TSV:-$SCALE/curve.tsv}
QUERIES=bench/load-queries.txt
LOGS=$SCALE/logs
mkdir -p "$LOGS"
for t in pvd-index pvd-search pvd-searchd; do
	[ -x "$BIN/$t" ] || { echo "curve.sh: no $BIN/$t (cmake --build $BIN)" >&2; exit 2; }
done
command -v xapian-delve >/dev/null || { echo "curve.sh: xapian-delve missing (xapian-tools)" >&2; exit 2; }
cc -O2 -Wall -pthread -o "$BIN/loadgen" bench/loadgen.c

copies_of() {
	case $1 in
	5k) n=1 ;; 50k) n=10 ;; 100k) n=20 ;;
	*) echo "curve.sh: size $1 is not 5k, 50k or 100k" >&2; exit 2 ;;
	esac
	i=0
	while [ $i -lt $n ]; do
		d=$(printf '%s/x20/copy-%02d' "$SCALE" $i)
		[ -f "$d.done" ] || { echo "curve.sh: $d missing: run bench/scale-corpus.py" >&2; exit 2; }
		printf '%s\n' "$d"
		i=$((i + 1))
	done
}

# GNU time of a pvd-index run: "cpu_s wall_s rss_MiB"
timed_index() {
	log=$1; shift
	/usr/bin/time -f '%U %S %e %M' -o "$log.time" "$BIN/pvd-index" "$@" >"$log" 2>&1
	awk '{ printf "%.2f %.2f %.1f\n", $1 + $2, $3, $4 / 1024 }' "$log.time"
}

doccount() { xapian-delve "$1" | awk '/number of documents/ { print $NF }'; }

[ -s "$TSV" ] || printf 'size\tdocs\tindex_cpu_s\tindex_wall_s\tcpu_ms_doc\twall_ms_doc\tindex_rss_MiB\tindex_MiB\tlaunch_p50_ms\tlaunch_p99_ms\tc16_qps\tc16_p50_ms\tc16_p99_ms\tincr_files\tincr_cpu_s\tincr_wall_s\tincr_rss_MiB\tindex_MiB_after_incr\tloadavg\tutc\n' >"$TSV"
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/\t//'); $(grep MemTotal /proc/meminfo | tr -s ' ')"

for size in $SIZES; do
	set -- $(copies_of "$size")
	DB=$SCALE/idx-$size
	L0=$(cut -d' ' -f1 /proc/loadavg)
	echo "== $size: $# copies, load $L0, $(date -u +%H:%M:%S) UTC"

	# 1. full index
	rm -rf "$DB"
	set -- $(timed_index "$LOGS/index-$size.log" --quiet --jobs 2 --report "$LOGS/index-$size.report" --db "$DB" "$@") "$@"
	CPU=$1; WALL=$2; RSS=$3; shift 3
	DOCS=$(doccount "$DB")
	MIB=$(du -sm "$DB" | cut -f1)
	echo "index: $DOCS docs, CPU $CPU s, wall $WALL s, peak RSS $RSS MiB, $MIB MiB"

	# 2. pvd-search per launch
	LAUNCH=$(python3 - "$BIN/pvd-search" "$DB" "$QUERIES" "$LAUNCH_ROUNDS" <<'EOF'
import subprocess, sys, time
exe, db, qfile, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
qs = [q.strip() for q in open(qfile, encoding="utf-8") if q.strip()]
run = lambda q: subprocess.run([exe, "--db", db, q], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
for q in qs:
    run(q)                                  # warm the cache, untimed
ms = []
for r in range(rounds):
    for q in (qs if r % 2 == 0 else qs[::-1]):
        t = time.perf_counter(); run(q); ms.append((time.perf_counter() - t) * 1000)
ms.sort()
pct = lambda p: ms[min(len(ms) - 1, int(p / 100 * len(ms)))]
print("%.2f %.2f" % (pct(50), pct(99)))
EOF
)
	set -- $LAUNCH "$@"
	LP50=$1; LP99=$2; shift 2
	echo "pvd-search per launch: p50 $LP50 ms, p99 $LP99 ms"

	# 3. the daemon at 16 connections
	SOCK=$SCALE/curve-$size.sock
	rm -f "$SOCK"
	"$BIN/pvd-searchd" --socket "$SOCK" --db "$DB" --quiet --threads 2 2>"$LOGS/daemon-$size.err" &
	PID=$!
	i=0
	while [ ! -S "$SOCK" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	r=1
	: >"$LOGS/load-$size.txt"
	while [ $r -le "$LOAD_ROUNDS" ]; do
		"$BIN/loadgen" --socket "$SOCK" --connections 16 --requests "$REQUESTS" \
			--warmup $((REQUESTS / 10)) --queries "$QUERIES" | grep '^RESULT' >>"$LOGS/load-$size.txt"
		r=$((r + 1))
	done
	kill -TERM $PID
	wait $PID || true
	LOAD=$(python3 - "$LOGS/load-$size.txt" <<'EOF'
import statistics, sys
rows = [dict(kv.split("=") for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.strip()]
m = lambda k: statistics.median(float(r[k]) for r in rows)
print("%.0f %.2f %.2f" % (m("qps"), m("p50"), m("p99")))
EOF
)
	set -- $LOAD "$@"
	QPS=$1; CP50=$2; CP99=$3; shift 3
	echo "pvd-searchd, 16 connections: $QPS queries/s, p50 $CP50 ms, p99 $CP99 ms"

	# 4. 1,000 files changed, then the same pvd-index run
	NCH=$(python3 - "$size" "$@" <<'EOF'
import os, re, sys
tag, roots = sys.argv[1], sys.argv[2:]
files = []
for root in roots:
    for d, dirs, names in os.walk(root):
        dirs.sort()
        files += [os.path.join(d, n) for n in sorted(names)]
step = max(1, len(files) // 1000)
picked = files[::step][:1000]
body = re.compile(rb"</body\s*>", re.I)
for n, path in enumerate(picked):
    with open(path, "rb") as f:
        data = f.read()
    line = ("Mise à jour de la courbe %s, révision %d.\n" % (tag, n)).encode()
    if path.lower().endswith((".html", ".htm", ".xhtml")):
        m = None
        for m in body.finditer(data):
            pass
        at = m.start() if m else len(data)
        data = data[:at] + b"<p>" + line + b"</p>\n" + data[at:]
    else:
        data += line
    with open(path, "wb") as f:
        f.write(data)
print(len(picked))
EOF
)
	set -- $(timed_index "$LOGS/incr-$size.log" --quiet --jobs 2 --report "$LOGS/incr-$size.report" --db "$DB" "$@") "$@"
	ICPU=$1; IWALL=$2; IRSS=$3; shift 3
	IMIB=$(du -sm "$DB" | cut -f1)
	echo "incremental, $NCH files changed: CPU $ICPU s, wall $IWALL s, peak RSS $IRSS MiB, index $IMIB MiB"

	L1=$(cut -d' ' -f1 /proc/loadavg)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$size" "$DOCS" "$CPU" "$WALL" \
		"$(echo "$CPU $DOCS" | awk '{ printf "%.3f", 1000 * $1 / $2 }')" \
		"$(echo "$WALL $DOCS" | awk '{ printf "%.3f", 1000 * $1 / $2 }')" \
		"$RSS" "$MIB" "$LP50" "$LP99" "$QPS" "$CP50" "$CP99" \
		"$NCH" "$ICPU" "$IWALL" "$IRSS" "$IMIB" "$L0-$L1" "$(date -u +%Y-%m-%dT%H:%M)" | tee -a "$TSV"
done
