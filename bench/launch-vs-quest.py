#!/usr/bin/env python3
"""launch-vs-quest.py: per-launch latency of pvd-search builds and quest, in turn.

Runs every command on every query, in an order that turns round each run, so
that all see the same machine load, and prints each command's median and
90th percentile wall time (posix_spawn from Python to the end of wait4, the
same for all), its ratio to quest's median, and the medians of its CPU time
(user + system) and of its minor page faults, from wait4's rusage.

usage: bench/launch-vs-quest.py [--runs N] --quest OMEGA_DB LABEL=PVD_SEARCH:DB...
  e.g. bench/launch-vs-quest.py --runs 60 --quest /var/tmp/omega \\
         old=/var/tmp/base/pvd-search:/var/tmp/old-index new=build/pvd-search:/var/tmp/new-index
"""
import argparse
import os
import statistics
import time

QUERIES = ["gestionnaire de fenêtres", "noyau", "partition", "ingénierie",
           "comment configurer le réseau"]


def once(argv):
    """Wall ms, CPU ms (user + system) and minor page faults of one run."""
    t = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, _, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - t) * 1000
    return wall, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_minflt


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
    qmed = statistics.median(w for w, _, _ in times["quest"])
    print("| command | p50 ms | p90 ms | / quest p50 | CPU p50 ms | page faults p50 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for k, runs in times.items():
        wall = sorted(w for w, _, _ in runs)
        p50 = statistics.median(wall)
        p90 = wall[int(len(wall) * 0.9)]
        cpu = statistics.median(c for _, c, _ in runs)
        faults = statistics.median(f for _, _, f in runs)
        print(f"| {k} | {p50:.2f} | {p90:.2f} | {p50 / qmed:.2f} | {cpu:.2f} | {faults:.0f} |")

if __name__ == "__main__":
    main()
