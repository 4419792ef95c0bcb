#!/usr/bin/env python3
"""watch-bench.py: what pvd-index --watch costs.

  1. latency: N files written one after the other into a watched folder;
     for each, the time from its close() to the moment pvd-searchd (polled
     every 5 ms over its socket) returns it.  Prints the median and max.
  2. memory: the watcher's resident set (VmRSS, and its peak VmHWM, from
     /proc) once it watches a tree of FILES files in FILES/100 folders, the
     first run over it done.

Usage: bench/watch-bench.py BUILD_DIR [N=200] [FILES=10000]   (0 skips a part)
(a Release build: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release)
"""
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

BUILD = os.path.abspath(sys.argv[1])
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
FILES = int(sys.argv[3]) if len(sys.argv) > 3 else 10000


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=30)
        self.sock_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.sock_path)


def hits(sock, word):
    try:
        c = UnixHTTP(sock)
        c.request("GET", "/search?" + urllib.parse.urlencode({"q": word}))
        body = json.loads(c.getresponse().read())
        c.close()
        return body.get("total", 0) if "hits" in body else None
    except (OSError, ValueError, http.client.HTTPException):
        return None


def wait_for(pred, deadline=120.0, step=0.005):
    end = time.monotonic() + deadline
    while not pred():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        time.sleep(step)


def start_watch(work, db, tree):
    err = open(os.path.join(work, "watch.err"), "w")
    p = subprocess.Popen([os.path.join(BUILD, "pvd-index"), "--db", db, "--watch", tree],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)

    def ready():
        with open(os.path.join(work, "watch.err")) as f:
            return "watching" in f.read()
    wait_for(ready, deadline=600, step=0.05)
    return p, err


def latency(work):
    tree, db, sock = (os.path.join(work, x) for x in ("partage", "index", "s.sock"))
    os.makedirs(tree)
    with open(os.path.join(tree, "premier.txt"), "w") as f:
        f.write("Un premier fichier.\n")
    watch, err = start_watch(work, db, tree)
    daemon = subprocess.Popen([os.path.join(BUILD, "pvd-searchd"), "--socket", sock, "--db",
                               db, "--quiet"], stdin=subprocess.DEVNULL)
    wait_for(lambda: hits(sock, "premier") is not None)
    delays = []
    for i in range(N):
        word = f"mesure{i}x"
        with open(os.path.join(tree, f"fiche-{i:03d}.txt"), "w") as f:
            f.write(f"Fiche de mesure {word} pour la revitalisation du centre-bourg.\n")
        t0 = time.monotonic()  # just after close()
        wait_for(lambda: hits(sock, word) == 1)
        delays.append(time.monotonic() - t0)
    for p in (watch, daemon):
        p.terminate()
        p.wait()
    err.close()
    delays.sort()
    print(f"latency over {N} files: median {statistics.median(delays) * 1000:.0f} ms, "
          f"p90 {delays[int(0.9 * (N - 1))] * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms")


def memory(work):
    tree, db = os.path.join(work, "grand"), os.path.join(work, "index-grand")
    for i in range(FILES):
        d = os.path.join(tree, f"dossier-{i // 100:03d}")
        if i % 100 == 0:
            os.makedirs(d)
        with open(os.path.join(d, f"f{i:05d}.txt"), "w") as f:
            f.write(f"Document {i} du partage, une note sur la commune numéro {i}.\n")
    # first over a new index (the first run indexes everything), then a
    # restart over the same index (every file unchanged), as a service restarts
    for case in ("new index", "restart, all unchanged"):
        t0 = time.monotonic()
        watch, err = start_watch(work, db, tree)
        took = time.monotonic() - t0
        status = {}
        with open(f"/proc/{watch.pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                status[k] = v.strip()
        with open(os.path.join(work, "watch.err")) as f:
            said = f.read().strip().splitlines()
        watch.terminate()
        rc = watch.wait()
        err.close()
        print(f"memory with {FILES} files in {FILES // 100} folders under watch ({case}): "
              f"VmRSS {status['VmRSS']}, VmHWM (peak, first run included) "
              f"{status['VmHWM']}; first run and watches set in {took:.1f} s; exit {rc}")
        print("  " + "\n  ".join(said))


work = tempfile.mkdtemp(prefix="pvd-watch-bench-")
try:
    if N:
        latency(work)
    if FILES:
        memory(work)
finally:
    shutil.rmtree(work, ignore_errors=True)
