#!/bin/sh
# pvd-searchd under load, beside the in-process floor (issue 5, "Speed and load").
#
#   bench/load-run.sh [--runs R] [--requests N] [--warmup W] [--mem-requests M]
#                     [--connections "1 16 64"] [--db DIR] [--bin DIR]
#   bench/load-run.sh --make-queries     # rewrite bench/load-queries.txt from manifest.tsv
#
# Builds bench/loadgen.c and bench/inprocess.c into build-release/ (against
# build-release/libpvd.so), starts
#   build-release/pvd-searchd --socket /tmp/pvd-load.sock --db DB --quiet --threads 2
# and, R rounds (default 3), runs:
#   loadgen  --connections C --requests N --warmup W   for C in 1 16 64
#   inprocess --threads 1 and --threads 2 (same queries, the daemon idle)
#   inprocess --threads 2 --as-daemon     (plus refresh + match time limit)
# then the memory check: the daemon's VmRSS before and after M requests
# (default 100,000) at C = 16, twice; SIGTERM; the table of medians, and
# the CPU a request of the daemon's threads (from /proc), of loadgen and of
# the floor: on a machine whose speed drifts from one run to the next, that
# split says where the daemon's share of the CPUs goes better than q/s do.
# Queries: bench/load-queries.txt (200, from the page titles of manifest.tsv).
set -eu

cd "$(dirname "$0")/.."
RUNS=3
N=20000
W=2000
MEM_N=100000
CONNS="1 16 64"
BENCH=/var/tmp/pvd-bench
DB=$BENCH/pvd-index
BIN=build-release
SOCK=/tmp/pvd-load.sock
QUERIES=bench/load-queries.txt

make_queries() {
	# Deterministic: word and bigram counts over the titles of the French
	# pages, sorted, and a fixed seed for the samples.  30 most frequent
	# title words, 30 mid-frequency, 30 rare (1-2 titles), 25 accented, 25
	# most frequent bigrams, 30 rare bigrams, 30 three-word runs.
	python3 - "$BENCH/manifest.tsv" "$QUERIES" <<'EOF'
import collections, random, re, sys
manifest, out = sys.argv[1], sys.argv[2]
STOP = set("""a à au aux avec ce ces cet cette d dans de des du e en et est il l la le les leur leurs
lui mais n ne ni nos notre on ou où par pas plus pour qu que qui s sa se ses si son sous sur ta te
un une vos votre y chapitre partie annexe section the of and to in for with on by is an or be from as
at this that it page index vs via non""".split())
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.U)
titles = []
with open(manifest, encoding="utf-8") as f:
    next(f)
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 7: continue
        fr, en, title = int(cols[4] or 0), int(cols[5] or 0), cols[6]
        if fr >= en: titles.append(title)
def words(t):
    return [w.lower() for w in WORD.findall(t.replace("\u2019", "'").replace("'", " "))]
df = collections.Counter(); bi = collections.Counter(); tri = collections.Counter()
ok = lambda w: w not in STOP and len(w) >= 3
for t in titles:
    ws = words(t)
    df.update(set(w for w in ws if ok(w)))
    for i in range(len(ws) - 1):
        if ok(ws[i]) and ok(ws[i + 1]):
            bi[(ws[i], ws[i + 1])] += 1
        if i + 2 < len(ws) and ok(ws[i]) and ok(ws[i + 2]):
            tri[(ws[i], ws[i + 1], ws[i + 2])] += 1
accented = lambda w: any(ord(ch) > 127 for ch in w)
key = lambda kv: (-kv[1], kv[0])
singles = sorted(df.items(), key=key)
frequent = [w for w, n in singles if n >= 20]
middle = [w for w, n in singles if 4 <= n < 20]
rare = [w for w, n in singles if n <= 2 and len(w) >= 5]
acc = [w for w, n in singles if accented(w) and n >= 2]
rng = random.Random(5)
pick = lambda seq, k: rng.sample(seq, min(k, len(seq)))
qs = frequent[:30] + pick(middle, 30) + pick(rare, 30)
qs += pick([w for w in acc if w not in qs], 25)
bis = sorted(bi.items(), key=key)
qs += [" ".join(b) for b, n in bis[:25]]
qs += [" ".join(b) for b in pick([b for b, n in bis[25:] if n <= 2], 30)]
qs += [" ".join(t) for t in pick([t for t, n in sorted(tri.items(), key=key)], 30)]
seen = set(); final = []
for q in qs:
    if q not in seen: seen.add(q); final.append(q)
with open(out, "w", encoding="utf-8") as f:
    for q in final: f.write(q + "\n")
print(len(final), "queries,", sum(map(accented, final)), "with accents ->", out, file=sys.stderr)
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--requests) N=$2; shift 2 ;;
	--warmup) W=$2; shift 2 ;;
	--mem-requests) MEM_N=$2; shift 2 ;;
	--connections) CONNS=$2; shift 2 ;;
	--db) DB=$2; shift 2 ;;
	--bin) BIN=$2; shift 2 ;;
	--make-queries) make_queries; exit 0 ;;
	-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
	*) echo "load-run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

[ -s "$QUERIES" ] || make_queries
[ -x "$BIN/pvd-searchd" ] || { echo "load-run.sh: no $BIN/pvd-searchd: build Release first" >&2; exit 2; }
[ -d "$DB" ] || { echo "load-run.sh: no index at $DB" >&2; exit 2; }

LIB=$(cd "$BIN" && pwd)
cc -O2 -Wall -pthread -o "$BIN/loadgen" bench/loadgen.c
cc -O2 -Wall -pthread -I include -o "$BIN/inprocess" bench/inprocess.c -L "$BIN" -lpvd -Wl,-rpath,"$LIB"

OUT=$(mktemp -d /tmp/pvd-load.XXXXXX)
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/\t//'); $(grep MemTotal /proc/meminfo | tr -s ' ')"
echo "index $DB ($(du -sm "$DB" | cut -f1) MiB), $(wc -l <"$QUERIES") queries, N=$N W=$W, $RUNS rounds; raw output in $OUT"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

"$BIN/pvd-searchd" --socket "$SOCK" --db "$DB" --quiet --threads 2 2>"$OUT/daemon.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
i=0
while [ ! -S "$SOCK" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$SOCK" ] || { echo "load-run.sh: pvd-searchd did not start" >&2; cat "$OUT/daemon.err" >&2; exit 1; }
rss() { awk '/^VmRSS/ {print $2}' /proc/$PID/status; }
# The daemon's CPU so far, in clock ticks: "HTTP WORKERS", libmicrohttpd's
# thread (named MHD-*) apart from all the others (the workers; the main
# thread and the guard sleep).
daemon_ticks() {
	for t in /proc/$PID/task/*; do
		printf '%s %s\n' "$(cat "$t/comm")" "$(cut -d')' -f2 "$t/stat")"
	done | awk '{ if ($1 ~ /^MHD/) h += $13 + $14; else w += $13 + $14 }
		END { print h + 0, w + 0 }'
}
HZ=$(getconf CLK_TCK)
echo "daemon pid $PID, VmRSS at start $(rss) kB"

r=1
while [ $r -le "$RUNS" ]; do
	for c in $CONNS; do
		before=$(daemon_ticks)
		"$BIN/loadgen" --socket "$SOCK" --connections "$c" --requests "$N" --warmup "$W" \
			--queries "$QUERIES" >"$OUT/c$c.$r"
		# the daemon's CPU a request, warm-up included, as loadgen counts its own
		echo "$before $(daemon_ticks)" | awk -v hz="$HZ" -v n=$((N + W)) \
			'{ printf "http_us=%.1f workers_us=%.1f\n", ($3 - $1) * 1e6 / hz / n,
			   ($4 - $2) * 1e6 / hz / n }' >"$OUT/cpu$c.$r"
		echo "round $r: $(tail -1 "$OUT/c$c.$r") $(cat "$OUT/cpu$c.$r") ($(tail -2 "$OUT/c$c.$r" | head -1))"
	done
	for t in 1 2; do
		"$BIN/inprocess" --db "$DB" --queries "$QUERIES" --threads $t --requests "$N" \
			--warmup "$W" >"$OUT/t$t.$r"
		echo "round $r: $(tail -1 "$OUT/t$t.$r")"
	done
	"$BIN/inprocess" --db "$DB" --queries "$QUERIES" --threads 2 --requests "$N" \
		--warmup "$W" --as-daemon >"$OUT/d2.$r"
	echo "round $r: $(tail -1 "$OUT/d2.$r") (as-daemon)"
	r=$((r + 1))
done

# Memory: VmRSS before and after MEM_N requests at C = 16, twice over.
R0=$(rss)
"$BIN/loadgen" --socket "$SOCK" --connections 16 --requests "$MEM_N" --queries "$QUERIES" >"$OUT/mem1"
R1=$(rss)
"$BIN/loadgen" --socket "$SOCK" --connections 16 --requests "$MEM_N" --queries "$QUERIES" >"$OUT/mem2"
R2=$(rss)
HWM=$(awk '/^VmHWM/ {print $2}' /proc/$PID/status)
echo "memory: $(tail -1 "$OUT/mem1")"
echo "memory: $(tail -1 "$OUT/mem2")"

kill -TERM $PID
wait $PID && STATUS=0 || STATUS=$?
trap - EXIT
echo "pvd-searchd stopped by SIGTERM, exit status $STATUS"

# Medians over the rounds, and the ratio to the in-process floor (2 threads).
python3 - "$OUT" "$RUNS" "$CONNS" "$R0" "$R1" "$R2" "$HWM" "$MEM_N" <<'EOF'
import statistics, sys
out, runs, conns = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
r0, r1, r2, hwm, memn = (int(x) for x in sys.argv[4:9])
def parse(name, extra=None):
    rows = []
    for r in range(1, runs + 1):
        line = open(f"{out}/{name}.{r}").read().strip().splitlines()[-1].split()[1:]
        if extra:
            line += open(f"{out}/{extra}.{r}").read().split()
        rows.append({k: float(v) for k, v in (kv.split("=") for kv in line)})
    return {k: statistics.median(row[k] for row in rows) for k in rows[0]}
floor1, floor2, d2 = parse("t1"), parse("t2"), parse("d2")
print()
print(f"medians of {runs} rounds")
print("| run | queries/s | p50 ms | p99 ms | p999 ms | errors | reconnects | / floor 2 thr | / floor 1 thr |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in conns:
    m = parse(f"c{c}")
    print(f"| pvd-searchd C={c} | {m['qps']:.0f} | {m['p50']:.2f} | {m['p99']:.2f} | {m['p999']:.2f} "
          f"| {m['errors']:.0f} | {m['reconnects']:.0f} | {100*m['qps']/floor2['qps']:.0f} % | {100*m['qps']/floor1['qps']:.0f} % |")
for name, m in (("in-process, 1 thread", floor1), ("in-process, 2 threads", floor2),
                ("in-process, 2 threads, as the daemon (refresh + time limit)", d2)):
    print(f"| {name} | {m['qps']:.0f} | {m['p50']:.2f} | {m['p99']:.2f} | {m['p999']:.2f} | {m['errors']:.0f} | | | |")
print()
print("CPU a request, in µs (user + system, warm-up included; medians): where the daemon's")
print("share of the 2 CPUs goes, beside the floor's")
print("| run | pvd-searchd workers | its HTTP thread | load generator | all | floor, 2 threads |")
print("|---|---:|---:|---:|---:|---:|")
for c in conns:
    m = parse(f"c{c}", f"cpu{c}")
    total = m["workers_us"] + m["http_us"] + m["cpu_us"]
    print(f"| C={c} | {m['workers_us']:.0f} | {m['http_us']:.0f} | {m['cpu_us']:.0f} | {total:.0f} "
          f"| {floor2['cpu_us']:.0f} |")
print()
print(f"daemon VmRSS: {r0} kB before, {r1} kB after {memn} requests (C=16), {r2} kB after {2*memn}; VmHWM {hwm} kB")
EOF
