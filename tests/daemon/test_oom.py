#!/usr/bin/env python3
"""pvd-searchd while its allocations fail: every answer is whole.

Usage: test_oom.py SEARCHD_FAILALLOC BUILD_DIR CORPUS_DIR

SEARCHD_FAILALLOC is pvd-searchd linked with the allocation-failure hook
(tests/alloc/failalloc.h): started with PVD_FAIL_ALLOC_EVERY=K, every Kth
allocation of the daemon, libpvd, jansson and the C++ library fails from a
SIGUSR1 on, until a SIGUSR2.  For several K, each kind of request (searches
by GET, POST and HEAD, with facets, a suggestion and --docs links; /stats;
/health; a 400, a 404, a 405) is sent while failures are on, and every
answer must be one of two things:
  - the answer the daemon gives when nothing fails (the same status, the
    same hits and members), or
  - the out-of-memory answer: 503 with the contract's JSON shape
    ({"error": {"code": "out_of_memory", ...}}, or /health's
    {"status": "out_of_memory", ...}), `Connection: close`;
never a closed connection without an answer, a cut or empty body, another
error, or a crash.  Then failures are turned off: the daemon answers as
before, stops with exit 0 on SIGTERM, and no sanitizer (LeakSanitizer among
them) reported anything.  No check measures time; waits are bounded.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_daemon import Conn, SANITIZER_MARKS  # noqa: E402

CT_JSON = "application/json; charset=utf-8"
OOM_ERROR = {"error": {"code": "out_of_memory",
                       "message": "the daemon is out of memory: try again"}}
OOM_HEALTH = {"status": "out_of_memory", "message": "the daemon is out of memory"}
# every Kth allocation fails: 1 is no memory at all.  Past the small K,
# the K at which a sweep over every prime to 3,999 found answers that
# came back wrong (docs/RELIABILITY.md); PVD_OOM_EVERY="K ..." for others.
EVERY = tuple(int(k) for k in os.environ.get(
    "PVD_OOM_EVERY", "1 2 3 5 7 11 13 17 23 31 41 43 61 79 127 137 251 509 743 787 "
    "967 1013 1021 1171 1279 2579").split())
ROUNDS = int(os.environ.get("PVD_OOM_ROUNDS", "3"))  # each request, this many times per K

REQUESTS = [
    ("search GET", b"GET /search?q=commerce&facets=1&limit=20 HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("search POST", None),  # built below (Content-Length)
    ("search HEAD", b"HEAD /search?q=commerce HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("suggestion", b"GET /search?q=comerce%20centre-bourg HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("wildcard", b"GET /search?q=r%C3%A9nov*&type=article HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("stats", b"GET /stats HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("health", b"GET /health HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("bad parameter", b"GET /search?q=x&limit=0 HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("bad body", None),
    ("not found", b"GET /nope HTTP/1.1\r\nHost: l\r\n\r\n"),
    ("not allowed", b"DELETE /search HTTP/1.1\r\nHost: l\r\n\r\n"),
]
POST_BODY = json.dumps({"q": "chef de projet", "facets": True}).encode()
BAD_BODY = b"not json"
REQUESTS[1] = ("search POST", b"POST /search HTTP/1.1\r\nHost: l\r\nContent-Type: "
               b"application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(POST_BODY), POST_BODY))
REQUESTS[8] = ("bad body", b"POST /search HTTP/1.1\r\nHost: l\r\nContent-Length: %d\r\n\r\n%s"
               % (len(BAD_BODY), BAD_BODY))

passed = failed = 0


def log(msg):
    print(msg, flush=True)


def ask(sock, data):
    """One request on a new connection: (status, headers, body)."""
    c = Conn(sock, 30.0)
    try:
        c.send(data)
        r = c.response(30.0, head=data.startswith(b"HEAD "))
        return r
    finally:
        c.close()


def comparable(name, r):
    """What must not change between two answers made without failures."""
    if r.status != 200 or name == "search HEAD":
        return (r.status, r.body)
    j = json.loads(r.body)
    for k in ("took_ms", "uptime_s", "requests"):
        j.pop(k, None)
    return (r.status, json.dumps(j, sort_keys=True))


def whole(name, r, want):
    """The answer is want's, or the out-of-memory answer; else why not."""
    if r.headers.get("content-type") != CT_JSON:
        return "Content-Type %r" % r.headers.get("content-type")
    if name == "search HEAD":
        if r.status == 200 and r.status == want[0]:
            return None
        if r.status == 503 and r.headers.get("connection", "").lower() == "close":
            return None
        return "HEAD answered %d" % r.status
    try:
        j = json.loads(r.body)
    except ValueError:
        return "a body that is not JSON: %r" % r.body[:300]
    if r.status == 503 and j == (OOM_HEALTH if name == "health" else OOM_ERROR):
        if r.headers.get("connection", "").lower() != "close":
            return "the out-of-memory answer keeps the connection"
        return "oom"
    if r.status != want[0]:
        return "status %d instead of %d or 503: %r" % (r.status, want[0], r.body[:300])
    if comparable(name, r) != want:
        return "an answer unlike the one without failures: %s" % difference(r.body, want[1])
    return None


def difference(got, want):
    """Where two JSON answers part: the first member that differs, both ways."""
    def walk(a, b, where):
        if type(a) is not type(b):
            return "%s: %r instead of %r" % (where, a, b)
        if isinstance(a, dict):
            for k in sorted(set(a) | set(b)):
                if k in ("took_ms", "uptime_s", "requests"):
                    continue
                if k not in a or k not in b:
                    return "%s.%s: %s" % (where, k, "missing" if k not in a else "extra")
                d = walk(a[k], b[k], "%s.%s" % (where, k))
                if d:
                    return d
            return None
        if isinstance(a, list):
            for i, (x, y) in enumerate(zip(a, b)):
                d = walk(x, y, "%s[%d]" % (where, i))
                if d:
                    return d
            if len(a) != len(b):
                return "%s: %d items instead of %d" % (where, len(a), len(b))
            return None
        return None if a == b else "%s: %r instead of %r" % (where, a, b)
    try:
        return walk(json.loads(got), json.loads(want), "answer") or "(same members)"
    except ValueError:
        return repr(got[:400])


def sanitizer_report(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return [m for m in SANITIZER_MARKS if m in text], text


def switched(p, errpath, what):
    """Wait until the hook says it has turned failures `what` (on, off):
    a signal can be handled well after kill() returns on a busy machine."""
    line = ("failalloc: failures %s\n" % what).encode()
    deadline = time.monotonic() + 60
    while True:
        with open(errpath, "rb") as f:
            if line in f.read():
                return
        assert p.poll() is None, "the daemon exited %r" % p.returncode
        assert time.monotonic() < deadline, "the hook never said: failures %s" % what
        time.sleep(0.02)


def start(binary, sock, db, corpus, errpath, every):
    env = dict(os.environ, PVD_FAIL_ALLOC_EVERY=str(every))
    errf = open(errpath, "wb")
    p = subprocess.Popen([binary, "--socket", sock, "--threads", "2", "--db", db,
                          "--docs", "%s=/docs/" % corpus],
                         stdin=subprocess.DEVNULL, stdout=errf, stderr=errf, env=env)
    errf.close()
    deadline = time.monotonic() + 60
    while True:
        assert p.poll() is None, "the daemon exited %r at start" % p.returncode
        try:
            if ask(sock, REQUESTS[6][1]).status == 200:
                return p
        except OSError:
            pass
        assert time.monotonic() < deadline, "the daemon does not answer on %s" % sock
        time.sleep(0.05)


def run_one(binary, tmp, db, corpus, every, baseline):
    """One daemon, failures every `every` allocations; returns the count of
    out-of-memory answers; raises on anything else."""
    global passed, failed
    sock = os.path.join(tmp, "oom-%d.sock" % every)
    errpath = os.path.join(tmp, "oom-%d.err" % every)
    p = start(binary, sock, db, corpus, errpath, every)
    oom = 0
    problems = []
    try:
        p.send_signal(signal.SIGUSR1)
        switched(p, errpath, "on")
        for _ in range(ROUNDS):
            for name, data in REQUESTS:
                try:
                    r = ask(sock, data)
                except (OSError, ValueError) as e:
                    problems.append("%s: no answer (%s)" % (name, e))
                    continue
                why = whole(name, r, baseline[name])
                if why == "oom":
                    oom += 1
                elif why:
                    problems.append("%s: %s" % (name, why))
                if p.poll() is not None:
                    problems.append("the daemon died: exit %r" % p.returncode)
                    break
            if p.poll() is not None:
                break
        if p.poll() is None:
            p.send_signal(signal.SIGUSR2)
            switched(p, errpath, "off")  # then every answer as before
            for name, data in REQUESTS:
                r = ask(sock, data)
                if comparable(name, r) != baseline[name]:
                    problems.append("after the failures, %s: %r" % (name, r.body[:300]))
    except Exception as e:  # noqa: BLE001 - whatever it was, this K failed
        problems.append("%s: %s" % (type(e).__name__, e))
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                rc = p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
                problems.append("no exit within 60 s of SIGTERM")
            if rc != 0:
                problems.append("exit %r after SIGTERM" % rc)
    marks, text = sanitizer_report(errpath)
    if marks:
        problems.append("sanitizer: %s\n%s" % (marks, text[-3000:]))
    elif problems and p.returncode not in (0, None):
        problems.insert(0, "the daemon's last words:\n%s" % text[-3000:])
    if oom and "out of memory" not in text:
        problems.append("no log line says out of memory")
    if problems:
        failed += 1
        log("FAIL every %d: %s" % (every, "\n     ".join(problems[:8])))
    else:
        passed += 1
        log("ok   every %d allocations fails: %d out-of-memory answers, every other "
            "answer as without failures" % (every, oom))
    return oom


def main():
    global failed
    if len(sys.argv) != 4:
        print("usage: test_oom.py SEARCHD_FAILALLOC BUILD_DIR CORPUS_DIR", file=sys.stderr)
        return 2
    # PVD_OOM_EVERY="K ...", PVD_OOM_ROUNDS=N: other failure rates (to
    # look at one again: with PVD_FAIL_ALLOC_TRACE=1 and PVD_OOM_KEEP=1,
    # each failed allocation's stack stays in the kept oom-K.err)
    binary, build, corpus = (os.path.abspath(a) for a in sys.argv[1:])
    tmp = tempfile.mkdtemp(prefix="pvd-oom-")
    try:
        docs = os.path.join(tmp, "docs")
        shutil.copytree(os.path.join(corpus, "articles"), docs)
        db = os.path.join(tmp, "index")
        subprocess.run([os.path.join(build, "pvd-index"), "--quiet", "--db", db, docs],
                       stdin=subprocess.DEVNULL, check=True, timeout=300)
        # the answers without failures (the hook armed at no K: a SIGUSR1
        # is never sent to this one)
        sock = os.path.join(tmp, "base.sock")
        errpath = os.path.join(tmp, "base.err")
        p = start(binary, sock, db, docs, errpath, 0)
        try:
            baseline = {name: comparable(name, ask(sock, data)) for name, data in REQUESTS}
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=60)
        for name in ("search GET", "search POST", "suggestion", "wildcard"):
            assert baseline[name][0] == 200, "%s: %r" % (name, baseline[name])
            assert json.loads(baseline[name][1])["hits"], "%s finds nothing" % name
        assert "/docs/" in baseline["search GET"][1], "no --docs url in the hits"
        total = 0
        for every in EVERY:
            total += run_one(binary, tmp, db, docs, every, baseline)
        # K = 1: nothing can be allocated, every answer is the one made at start
        if total == 0:
            failed += 1
            log("FAIL no request ever met a failed allocation: the hook is not armed")
    finally:
        if os.environ.get("PVD_OOM_KEEP"):
            log("kept: %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
