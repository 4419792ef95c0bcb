#!/usr/bin/env python3
"""pvd-search per launch over several indexes side by side, in one run.

    bench/curve-launch.py [--pvd-search build-release/pvd-search] [--rounds 1]
                          [--queries bench/load-queries.txt] DB...

For each query (in order, then reversed every other round) it launches
`pvd-search --db DB QUERY` once per DB, the DBs in turn (their order reversed
from one query to the next), after one untimed pass over every DB and query
(warm cache).  Prints p50 and p99 per DB and their ratios to the first DB: on a
loaded machine the load moves every DB's figures alike, the ratios much less.
"""
import argparse
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pvd-search", default="build-release/pvd-search")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--queries", default="bench/load-queries.txt")
    ap.add_argument("dbs", nargs="+")
    a = ap.parse_args()
    qs = [q.strip() for q in open(a.queries, encoding="utf-8") if q.strip()]

    def run(db, q):
        t = time.perf_counter()
        subprocess.run([a.pvd_search, "--db", db, q], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        return (time.perf_counter() - t) * 1000

    for q in qs:
        for db in a.dbs:
            run(db, q)
    ms = {db: [] for db in a.dbs}
    for r in range(a.rounds):
        for i, q in enumerate(qs if r % 2 == 0 else qs[::-1]):
            for db in (a.dbs if i % 2 == 0 else a.dbs[::-1]):
                ms[db].append(run(db, q))

    def pct(v, p):
        v = sorted(v)
        return v[min(len(v) - 1, int(p / 100 * len(v)))]

    first = a.dbs[0]
    print("| index | launches | p50 ms | p99 ms | p50 / %s | p99 / %s |" % (first, first))
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for db in a.dbs:
        print("| %s | %d | %.2f | %.2f | %.2f | %.2f |" % (
            db, len(ms[db]), pct(ms[db], 50), pct(ms[db], 99),
            pct(ms[db], 50) / pct(ms[first], 50), pct(ms[db], 99) / pct(ms[first], 99)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
