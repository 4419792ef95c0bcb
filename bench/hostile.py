#!/usr/bin/env python3
"""What hostile requests cost pvd-searchd, and what a normal client sees
meanwhile.

    bench/hostile.py [--build DIR] [--corpus DIR] [--db DIR] [--seconds S]
                     [--attackers N] [--timeout S]

Indexes CORPUS (default corpus/) with DIR/pvd-index unless --db names an
index, starts DIR/pvd-searchd (default build/, --threads 2) on a socket in
a temporary folder, then for each kind of hostile request of issue 9:

  - sends it once alone: its status and time (the "alone" columns);
  - has N attackers (default 2, one per worker) send it back to back for S
    seconds (default 5) while one normal client searches "ingénierie" in a
    loop: the normal client's latency, median, 90th percentile and worst,
    and how many of its requests failed (the "normal client" columns).

The slow-connection rows open that many connections which trickle a
request head a byte every half second, and measure the normal client the
same way.  Each request waits at most --timeout seconds (default 60): a
row showing ">60000" did not finish.

Standard library only.  Point --build at an older build to compare.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SOCK = None
TIMEOUT = 60.0


def request(data, timeout=None):
    """Send bytes, read one answer: (status or None, ms)."""
    t = time.monotonic()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout or TIMEOUT)
    status = None
    try:
        s.connect(SOCK)
        s.sendall(data)
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = s.recv(65536)
            if not d:
                break
            buf += d
        head, _, body = buf.partition(b"\r\n\r\n")
        if head.startswith(b"HTTP/1.1 "):
            status = int(head[9:12])
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    n = int(line.split(b":")[1])
                    while len(body) < n:
                        d = s.recv(65536)
                        if not d:
                            break
                        body += d
    except OSError:
        pass
    finally:
        s.close()
    return status, (time.monotonic() - t) * 1e3


def get(target):
    return b"GET " + target.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"


def post(q):
    body = json.dumps({"q": q}, ensure_ascii=False).encode("utf-8")
    return (b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n"
            % len(body) + body)


NORMAL = get("/search?q=ing%C3%A9nierie")


def two_letters(n):
    return " ".join("%s%s*" % (chr(97 + i % 26), chr(97 + (i // 26) % 26)) for i in range(n))


KINDS = [
    ("1,150 co* joined by OU (GET)", get("/search?q=" + "+OU+".join(["co*"] * 1150))),
    ("6,558 two-letter wildcards (POST, 46 KB)", post(two_letters(6558))),
    ("16,000 U+FDFA (POST)", post("\ufdfa" * 16000)),
    ("6,500 unknown words (POST)", post(" ".join("zq%dx" % i for i in range(6500)))),
    ("3,000 '&' then q=ville (GET)", get("/search?" + "&" * 3000 + "q=ville")),
    # the worst the budget lets through
    ("20 two-letter wildcards OU'ed (budget's most)", post(" OU ".join(
        "%s%s*" % (a, b) for a, b in zip("cpdmrstlvaecpdmrstlv", "oeoaeoaaiinrrieuuiue")))),
    ("280 unknown words (within the budget)", post(" ".join("zq%dx" % i for i in range(280)))),
    # last: it took the daemon down before issue 9
    ("45,000 '(' then a word (POST)", post("(" * 45000 + "ville")),
]


def hammer(data, seconds, attackers):
    """Attackers send data back to back while a normal client searches."""
    stop = threading.Event()

    def attack():
        while not stop.is_set():
            request(data)

    threads = [threading.Thread(target=attack, daemon=True) for _ in range(attackers)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    return normal_meanwhile(seconds, stop, threads)


def normal_meanwhile(seconds, stop, threads):
    lat, bad = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        st, ms = request(NORMAL)
        lat.append(ms)
        bad += st != 200
    stop.set()
    for t in threads:
        t.join(timeout=TIMEOUT + 5)
    return lat, bad


def slow_connections(n, seconds):
    conns = []
    for _ in range(n):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(SOCK)
        except (BlockingIOError, OSError):
            pass
        conns.append(s)
    stop = threading.Event()
    head = b"GET /search?q=ville HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 100000

    def trickle():
        i = 0
        while not stop.wait(0.5):
            for s in conns:
                try:
                    s.send(head[i:i + 1])
                except OSError:
                    pass
            i += 1

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    time.sleep(1.0)
    lat, bad = normal_meanwhile(seconds, stop, [t])
    for s in conns:
        s.close()
    return lat, bad


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")


def main():
    global SOCK, TIMEOUT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--db")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--attackers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--slow", default="905,1030",
                    help="numbers of slow connections, one row each (default 905,1030)")
    ap.add_argument("--only-slow", action="store_true",
                    help="only the slow-connection rows")
    a = ap.parse_args()
    TIMEOUT = a.timeout
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    tmp = tempfile.mkdtemp(prefix="pvd-hostile-bench-")
    daemon = None
    try:
        db = a.db
        if not db:
            db = os.path.join(tmp, "index")
            subprocess.run([os.path.join(a.build, "pvd-index"), "--quiet", "--db", db, a.corpus],
                           check=True)
        SOCK = os.path.join(tmp, "s.sock")
        daemon = subprocess.Popen([os.path.join(a.build, "pvd-searchd"), "--socket", SOCK,
                                   "--db", db, "--threads", "2", "--quiet"],
                                  stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while request(get("/health"), 1.0)[0] != 200:
            if time.monotonic() > deadline or daemon.poll() is not None:
                sys.exit("pvd-searchd did not start")
            time.sleep(0.1)
        print("machine: nproc=%d; build %s; %d attackers for %.0f s per row"
              % (os.cpu_count(), a.build, a.attackers, a.seconds))
        base, bad = normal_meanwhile(a.seconds, threading.Event(), [])
        print()
        print("| hostile request | alone: status | alone: ms | normal client meanwhile: "
              "p50 ms | p90 ms | worst ms | failed |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        print("| (none: the normal client alone) | | | %.1f | %.1f | %.1f | %d of %d |"
              % (pct(base, .5), pct(base, .9), max(base), bad, len(base)))
        for name, data in [] if a.only_slow else KINDS:
            if daemon.poll() is not None:
                print("| %s | the daemon is gone (exit %r) | | | | | |" % (name, daemon.returncode))
                continue
            st, ms = request(data)
            lat, bad = hammer(data, a.seconds, a.attackers)
            print("| %s | %s | %s | %.1f | %.1f | %.1f | %d of %d |" % (
                name, st if st else "none", ("%.1f" % ms) if ms < TIMEOUT * 1e3 else
                ">%d" % (TIMEOUT * 1e3), pct(lat, .5), pct(lat, .9), max(lat), bad, len(lat)))
            sys.stdout.flush()
        for n in [int(x) for x in a.slow.split(",") if x]:
            if daemon.poll() is not None:
                break
            lat, bad = slow_connections(n, a.seconds)
            print("| %d slow connections (a head byte every 0.5 s) | | | %.1f | %.1f | %.1f | "
                  "%d of %d |" % (n, pct(lat, .5), pct(lat, .9), max(lat), bad, len(lat)))
            sys.stdout.flush()
    finally:
        if daemon and daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
