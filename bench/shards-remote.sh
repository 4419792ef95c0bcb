#!/bin/sh
# The 100k corpus as 4 shards behind 4 xapian-tcpsrv on 127.0.0.1 (issue 16),
# against the single index of the same documents.
#
#   bench/shards-remote.sh [--size 100k|50k] [--shards S] [--bin build-release]
#                          [--scale /var/tmp/pvd-scale] [--rounds R] [--limit N]
#                          [--rebuild] [--build-only]
#
# Needs SCALE/idx-SIZE (bench/curve.sh --sizes SIZE) over SCALE/x20/copy-*
# (default 100k: copy-00..19; 50k: copy-00..09).
# 1. Builds or brings up to date S shards (default 4), each over an equal run of
#    the copies (100k in 4: shard-0 is copy-00..04, ...; 50k in 2 makes the same
#    shard-0 and shard-1; use --rebuild after changing the split), timed:
#      pvd-index --quiet --jobs 2 --db SCALE/shard-K COPY...
#    an incremental run when the shard exists (--rebuild: into an empty folder), so
#    the shards hold the same files as the single index, the curve's 1,000-file
#    update included.  --build-only stops there (to build the shards while the
#    single index is being made).
# 2. Starts xapian-tcpsrv --interface 127.0.0.1 on 4 free ports, one a shard, and
#    writes the Xapian stub file SCALE/shards.stub ("remote 127.0.0.1:PORT", 4 lines).
# 3. For each of the 200 queries of bench/load-queries.txt:
#      pvd-search --json -n N --db SCALE/idx-100k QUERY                  (single)
#      pvd-search --json -n N --db SCALE/shard-0 ... --db SCALE/shard-3   (4 local)
#      pvd-search --json -n N --db tcp://127.0.0.1:P0 ... (4 remote)
#      pvd-search --json -n N --db SCALE/shards.stub QUERY                 (the stub)
#    compares totals and hits (paths, in order, and as sets) with the single
#    index (and the scores in order: the copies make ties, which sharding
#    breaks in another order), then times R rounds (0: none) of all four per launch, alternating, and prints
#    p50 and p99 of each and the ratios.  Default N 10, R 2.
# Logs under SCALE/logs/; the table goes to stdout and SCALE/shards.tsv.
set -eu

cd "$(dirname "$0")/.."
BIN=build-release
SCALE=/var/tmp/pvd-scale
ROUNDS=2
SIZE=100k
NSH=4
LIMIT=10
REBUILD=0
ONLY=0
while [ $# -gt 0 ]; do
	case $1 in
	--bin) BIN=$2; shift 2 ;;
	--scale) SCALE=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--limit) LIMIT=$2; shift 2 ;;
	--size) SIZE=$2; shift 2 ;;
	--shards) NSH=$2; shift 2 ;;
	--rebuild) REBUILD=1; shift ;;
	--build-only) ONLY=1; shift ;;
	-h|--help) sed -n '2,31p' "$0"; exit 0 ;;
	*) echo "shards-remote.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
command -v xapian-tcpsrv >/dev/null || { echo "shards-remote.sh: xapian-tcpsrv missing (apt-get install xapian-tools)" >&2; exit 2; }
case $SIZE in 100k) COPIES=20 ;; 50k) COPIES=10 ;; 5k) COPIES=1 ;; *) echo "shards-remote.sh: size 5k, 50k or 100k" >&2; exit 2 ;; esac
PER=$((COPIES / NSH))
[ $((PER * NSH)) -eq $COPIES ] || { echo "shards-remote.sh: $COPIES copies do not split in $NSH" >&2; exit 2; }
[ "$ONLY" = 1 ] || [ -d "$SCALE/idx-$SIZE" ] || { echo "shards-remote.sh: no $SCALE/idx-$SIZE (bench/curve.sh --sizes $SIZE)" >&2; exit 2; }
LOGS=$SCALE/logs
mkdir -p "$LOGS"
echo "nproc $(nproc); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M) UTC"

k=0
while [ $k -lt "$NSH" ]; do
	[ "$REBUILD" = 0 ] || rm -rf "$SCALE/shard-$k"
	set --
	c=$((k * PER))
	while [ $c -lt $((k * PER + PER)) ]; do
		set -- "$@" "$(printf '%s/x20/copy-%02d' "$SCALE" $c)"
		c=$((c + 1))
	done
	/usr/bin/time -f '%U %S %e %M' -o "$LOGS/shard-$k.time" \
		"$BIN/pvd-index" --quiet --jobs 2 --db "$SCALE/shard-$k" "$@" >"$LOGS/shard-$k.log" 2>&1
	cat "$LOGS/shard-$k.time" >>"$LOGS/shard-$k.times"
	echo "shard-$k: $(awk '{ printf "CPU %.1f s, wall %.1f s, peak RSS %.0f MiB", $1 + $2, $3, $4 / 1024 }' "$LOGS/shard-$k.time"), $(du -sm "$SCALE/shard-$k" | cut -f1) MiB"
	k=$((k + 1))
done
[ "$ONLY" = 0 ] || exit 0

PIDS=
PORTS=
trap 'for p in $PIDS; do kill $p 2>/dev/null || true; done' EXIT
k=0
while [ $k -lt "$NSH" ]; do
	started=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		# its own session: on SIGTERM xapian-tcpsrv signals its whole group
		setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$SCALE/shard-$k" >"$LOGS/tcpsrv-$k.log" 2>&1 &
		pid=$!
		i=0
		while [ $i -lt 100 ] && ! grep -q Listening "$LOGS/tcpsrv-$k.log"; do
			kill -0 $pid 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		if grep -q Listening "$LOGS/tcpsrv-$k.log"; then started=1; break; fi
		kill $pid 2>/dev/null || true
	done
	[ -n "$started" ] || { echo "shards-remote.sh: xapian-tcpsrv did not start: $(cat "$LOGS/tcpsrv-$k.log")" >&2; exit 1; }
	PIDS="$PIDS $pid"
	PORTS="$PORTS $port"
	k=$((k + 1))
done
: >"$SCALE/shards.stub"
for p in $PORTS; do echo "remote 127.0.0.1:$p" >>"$SCALE/shards.stub"; done
echo "xapian-tcpsrv on 127.0.0.1, ports$PORTS; stub $SCALE/shards.stub"

python3 - "$BIN/pvd-search" "$SCALE" "$ROUNDS" "$LIMIT" "$PORTS" "$SIZE" <<'EOF'
import json, subprocess, sys, time
exe, scale, rounds, limit, ports, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5].split(), sys.argv[6]
nsh = len(ports)
qs = [q.strip() for q in open("bench/load-queries.txt", encoding="utf-8") if q.strip()]
dbs = {
    "single": ["--db", "%s/idx-%s" % (scale, size)],
    "%d local shards" % nsh: sum((["--db", "%s/shard-%d" % (scale, k)] for k in range(nsh)), []),
    "%d remote shards" % nsh: sum((["--db", "tcp://127.0.0.1:" + p] for p in ports), []),
    "stub file": ["--db", scale + "/shards.stub"],
}
def run(name, q, js=True):
    args = [exe] + dbs[name] + (["--json", "-n", limit] if js else []) + [q]
    return subprocess.run(args, capture_output=True, stdin=subprocess.DEVNULL)
same = {n: [0, 0, 0, 0, 0] for n in dbs if n != "single"}   # total, order, set, errors, scores
diffs = []
for q in qs:
    ref = json.loads(run("single", q).stdout)
    rp = [h["path"] for h in ref["hits"]]
    rs = ["%.4g" % h["score"] for h in ref["hits"]]
    for n in same:
        p = run(n, q)
        if p.returncode != 0:
            same[n][3] += 1
            diffs.append("%s: %r: exit %d %s" % (n, q, p.returncode, p.stderr.decode()[:200]))
            continue
        d = json.loads(p.stdout)
        hp = [h["path"] for h in d["hits"]]
        same[n][0] += d["total"] == ref["total"]
        same[n][1] += hp == rp
        same[n][2] += set(hp) == set(rp)
        # the copies make ties: equal scores rank in docid order, which
        # sharding changes; the same scores in order is the same ranking
        same[n][4] += ["%.4g" % h["score"] for h in d["hits"]] == rs
        if hp != rp or d["total"] != ref["total"]:
            diffs.append("%s: %r: total %s vs %s; first differing rank %s" % (
                n, q, d["total"], ref["total"],
                next((i + 1 for i, (a, b) in enumerate(zip(hp, rp)) if a != b), "-")))
with open(scale + "/logs/shards-diffs.txt", "w") as f:
    f.write("\n".join(diffs) + "\n")
print("\nagreement with the single index over %d queries (-n %s; differences in %s/logs/shards-diffs.txt)" % (len(qs), limit, scale))
print("| databases | same total | same scores in order | same hits, same order | same hits as a set | errors |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for n, (t, o, s, e, sc) in same.items():
    print("| %s | %d | %d | %d | %d | %d |" % (n, t, sc, o, s, e))
if rounds == 0:
    sys.exit(0)
ms = {n: [] for n in dbs}
names = list(dbs)
for r in range(rounds):
    for i, q in enumerate(qs if r % 2 == 0 else qs[::-1]):
        order = names if (i + r) % 2 == 0 else names[::-1]
        for n in order:
            t = time.perf_counter(); run(n, q, js=False); ms[n].append((time.perf_counter() - t) * 1000)
pct = lambda v, p: sorted(v)[min(len(v) - 1, int(p / 100 * len(v)))]
base = pct(ms["single"], 50), pct(ms["single"], 99)
print("\npvd-search per launch (default output, %d launches each, alternating)" % len(ms["single"]))
print("| databases | p50 ms | p99 ms | p50 / single | p99 / single |")
print("| --- | ---: | ---: | ---: | ---: |")
with open(scale + "/shards.tsv", "w") as f:
    f.write("databases\tp50_ms\tp99_ms\tsame_total\tsame_order\tsame_set\terrors\tsame_scores\n")
    for n in names:
        a, b = pct(ms[n], 50), pct(ms[n], 99)
        print("| %s | %.2f | %.2f | %.2f | %.2f |" % (n, a, b, a / base[0], b / base[1]))
        s = same.get(n, [len(qs), len(qs), len(qs), 0, len(qs)])
        f.write("%s\t%.2f\t%.2f\t%d\t%d\t%d\t%d\t%d\n" % (n, a, b, *s))
EOF
