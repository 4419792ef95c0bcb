#!/usr/bin/env python3
"""launch-compare.py: per-launch latency of two pvd-search builds, compared.

Runs each build on each query, alternating A, B, B, A... so that both see the
same machine load, and prints the median and 90th percentile wall time per
build (process start, library loading, index opening, search, output), and
the ratio B/A.  What it measures is what a script calling pvd-search once per
query pays; timing uses fork/exec from Python, the same for both builds.

usage: bench/launch-compare.py A_PVD_SEARCH A_DB B_PVD_SEARCH B_DB [RUNS]
  (RUNS per build and query, default 100)
"""
import statistics
import subprocess
import sys
import time

QUERIES = ["gestionnaire de fenêtres", "noyau", "partition", "ingénierie",
           "St-Gaudens", "comment configurer le réseau"]


def once(binary, db, q):
    t = time.perf_counter()
    subprocess.run([binary, "--db", db, "--", q], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000


def main():
    a, adb, b, bdb = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    times = {"A": [], "B": []}
    for q in QUERIES:  # warm the page cache
        once(a, adb, q)
        once(b, bdb, q)
    for i in range(runs):
        for q in QUERIES:
            order = [("A", a, adb), ("B", b, bdb)]
            if i % 2:
                order.reverse()
            for name, binary, db in order:
                times[name].append(once(binary, db, q))
    for name in ("A", "B"):
        t = sorted(times[name])
        print("%s: p50 %.2f ms, p90 %.2f ms over %d runs" % (
            name, statistics.median(t), t[int(len(t) * 0.9)], len(t)))
    print("B/A p50: %.3f" % (statistics.median(times["B"]) / statistics.median(times["A"])))


if __name__ == "__main__":
    main()
