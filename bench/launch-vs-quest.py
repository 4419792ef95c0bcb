#!/usr/bin/env python3
"""launch-vs-quest.py: per-launch latency of pvd-search builds and quest, in turn.

Runs every command on every query, in an order that turns round each run, so
that all see the same machine load, and prints each command's median and
90th percentile wall time (fork/exec from Python, the same for all) and its
ratio to quest's median.

usage: bench/launch-vs-quest.py [--runs N] --quest OMEGA_DB LABEL=PVD_SEARCH:DB...
  e.g. bench/launch-vs-quest.py --runs 60 --quest /var/tmp/omega \\
         old=/var/tmp/base/pvd-search:/var/tmp/old-index new=build/pvd-search:/var/tmp/new-index
"""
import argparse
import statistics
import subprocess
import time

QUERIES = ["gestionnaire de fenêtres", "noyau", "partition", "ingénierie",
           "comment configurer le réseau"]


def once(argv):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--quest", required=True, help="omindex's index of the same corpus")
    ap.add_argument("pvd", nargs="+", help="LABEL=PVD_SEARCH:DB")
    a = ap.parse_args()
    cmds = {}
    for spec in a.pvd:
        label, rest = spec.split("=", 1)
        binary, db = rest.rsplit(":", 1)
        cmds[label] = lambda q, b=binary, d=db: [b, "--db", d, "--", q]
    cmds["quest"] = lambda q: ["quest", "--db", a.quest, "--stemmer=french", q]
    times = {k: [] for k in cmds}
    for q in QUERIES:  # the page cache
        for k in cmds:
            once(cmds[k](q))
    order = list(cmds)
    for i in range(a.runs):
        for q in QUERIES:
            for k in order:
                times[k].append(once(cmds[k](q)))
            order = order[1:] + order[:1]
    qmed = statistics.median(times["quest"])
    print("| command | p50 ms | p90 ms | / quest p50 |")
    print("| --- | ---: | ---: | ---: |")
    for k, t in times.items():
        t.sort()
        p50 = statistics.median(t)
        p90 = t[int(len(t) * 0.9)]
        print(f"| {k} | {p50:.2f} | {p90:.2f} | {p50 / qmed:.2f} |")


if __name__ == "__main__":
    main()
