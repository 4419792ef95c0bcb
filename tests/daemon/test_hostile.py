#!/usr/bin/env python3
"""pvd-searchd against hostile clients (issue 9), over a real Unix socket.

Usage: test_hostile.py BUILD_DIR CORPUS_DIR

Each check sends what an attacker would (raw bytes where http.client would
not send them) and asserts what a user of the daemon notices: the status
and JSON of the answer, the connection closed or kept, the log, the exit
status, that a normal client is still answered, and, at the end, that no
sanitizer (LeakSanitizer among them) reported anything.  No check measures
time: the deadlines below only bound waits, so that a hang fails instead of
blocking the run; bench/hostile.py measures.
"""

import json
import os
import re
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_daemon import Conn, SANITIZER_MARKS  # noqa: E402

BUILD = CORPUS = TMP = SOCK = LOG = None
DAEMON = None
CT_JSON = "application/json; charset=utf-8"
passed = failed = 0
STDERRS = []  # (what, path or text)


def log(msg):
    print(msg, flush=True)


def check(name, fn, *args):
    global passed, failed
    t = time.monotonic()
    try:
        revive()
        fn(*args)
        if DAEMON is not None and DAEMON.poll() is None:
            normal_client()
        elif DAEMON is not None:
            raise AssertionError("the daemon died: exit %r" % DAEMON.returncode)
    except Exception as e:  # noqa: BLE001 - a failed check, whatever it raised
        failed += 1
        log("FAIL %s: %s: %s" % (name, type(e).__name__, str(e)[:600]))
        return
    passed += 1
    log("ok   %s (%.2f s)" % (name, time.monotonic() - t))


def revive():
    """A daemon that died in an earlier check (a failure already counted)
    is started again, so that each check says its own result."""
    global DAEMON, LOG
    if DAEMON is not None and DAEMON.poll() is not None:
        LOG = os.path.join(TMP, "searchd-%d.err" % len(STDERRS))
        if os.path.lexists(SOCK):
            os.unlink(SOCK)
        DAEMON = start(SOCK, [DB], LOG)


# ---- talking to the daemon -------------------------------------------------


def raw(data, timeout=10.0, path=None):
    c = Conn(path or SOCK, timeout)
    try:
        c.send(data)
        return c.response(timeout)
    finally:
        c.close()


def get(target, timeout=10.0, path=None):
    if isinstance(target, str):
        target = target.encode("utf-8")
    return raw(b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n\r\n", timeout, path)


def post(body, timeout=10.0):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return raw(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body) + body, timeout)


def expect(r, status, code=None, headers=False):
    """The status, a JSON body with the error code; with headers, also
    nosniff and no-store (checked apart, so that each check fails for its
    own reason on a daemon that lacks them)."""
    assert r.status == status, "status %d, expected %d: %r" % (r.status, status, r.body[:300])
    assert r.headers.get("content-type") == CT_JSON, "Content-Type %r" % r.headers
    if headers:
        assert r.headers.get("x-content-type-options") == "nosniff", "no nosniff: %r" % r.headers
        assert r.headers.get("cache-control") == "no-store", "no Cache-Control: %r" % r.headers
    j = json.loads(r.body.decode("utf-8"))
    if code:
        assert j.get("error", {}).get("code") == code, "code %r, expected %r" % (j, code)
    return j


def normal_client():
    """The next normal search is answered, 200 with hits."""
    j = expect(get("/search?q=ing%C3%A9nierie", timeout=15.0), 200)
    assert j["hits"], "no hit for ingénierie"


def closed_after(c, timeout=10.0):
    """Whether the daemon closed c after its answer (nothing more comes)."""
    c.sock.settimeout(timeout)
    try:
        data = c.buf + c.sock.recv(4096)
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    assert not data, "more bytes after the answer: %r" % data[:200]
    return True


def log_text():
    with open(LOG, "rb") as f:
        return f.read().decode("utf-8", "replace")


def wait_log(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        text = log_text()
        if pred(text):
            return text
        if time.monotonic() > deadline:
            return text
        time.sleep(0.05)


# ---- 1. the parser's depth ---------------------------------------------------


def deep_parentheses():
    body = json.dumps({"q": "(" * 45000 + "ville"})
    assert len(body) < 64 * 1024
    # over the length budget first: 400, not a crash
    expect(post(body), 400, "bad_query")
    # within the length budget, the depth cap speaks
    j = expect(post(json.dumps({"q": "(" * 200 + "ville"})), 400, "bad_query")
    assert "64" in j["error"]["message"] and "paren" in j["error"]["message"], j
    j = expect(post(json.dumps({"q": "(" * 64 + "ville" + ")" * 64})), 200)
    assert j["hits"], "64 levels of parentheses around ville found nothing"


# ---- 2. queries that cost too much ------------------------------------------

COSTLY = {
    # 1,150 co* joined by OU, in a GET (raw '*' keeps it under 8 KiB)
    "1150 co* OU": ("GET", "/search?q=" + "+OU+".join(["co*"] * 1150)),
    # 6,558 two-letter wildcards in a 46 KB POST
    "6558 wildcards": ("POST", json.dumps({"q": " ".join(
        "%s%s*" % (chr(97 + i % 26), chr(97 + (i // 26) % 26)) for i in range(6558))})),
    # 16,000 U+FDFA, which NFKC turns into 18 characters each
    "16000 U+FDFA": ("POST", json.dumps({"q": "\ufdfa" * 16000}, ensure_ascii=False)),
    # 6,500 words no document has
    "6500 unknown words": ("POST", json.dumps({"q": " ".join(
        "zq%sx" % i for i in range(6500))})),
    # within the length, more operands than the budget
    "400 words": ("POST", json.dumps({"q": " ".join("m%d" % i for i in range(400))})),
    # within the length, more wildcards than the budget
    "30 wildcards": ("POST", json.dumps({"q": " OU ".join(
        "%s%s*" % (chr(97 + i % 26), chr(98 + i // 26)) for i in range(30))})),
}


def costly(name):
    method, what = COSTLY[name]
    r = get(what) if method == "GET" else post(what)
    j = expect(r, 400, "bad_query")
    msg = j["error"]["message"]
    assert re.search(r"too (long|many)|at most", msg), "message names no limit: %r" % msg


def costly_cli(name):
    method, what = COSTLY[name]
    q = (urllib.parse.unquote_plus(what.split("=", 1)[1]) if method == "GET"
         else json.loads(what)["q"])
    p = subprocess.run([os.path.join(BUILD, "pvd-search"), "--db", DB, "--", q],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=float(os.environ.get("PVD_HOSTILE_CLI_TIMEOUT", "120")))
    err = p.stderr.decode("utf-8", "replace")
    STDERRS.append(("pvd-search", err))
    assert p.returncode == 2, "pvd-search exit %d: %s" % (p.returncode, err[-300:])
    assert re.search(r"too (long|many)", err), "pvd-search said: %r" % err[-300:]


def wildcards_within_budget():
    # twenty different prefixes share the expansions, and still match
    q = " OU ".join(["vil*", "cen*", "bou*", "com*", "ing*", "fri*", "hal*", "mar*", "pro*",
                     "log*", "hab*", "com*", "tra*", "ser*", "rev*", "act*", "dév*", "pla*",
                     "con*", "pet*"])
    j = expect(get("/search?" + urllib.parse.urlencode({"q": q})), 200)
    assert j["total"] > 0 and j["hits"], j


# ---- 3. parameter floods -------------------------------------------------------


def parameter_flood():
    j = expect(raw(b"GET /search?" + b"&" * 3000 + b"q=ville HTTP/1.1\r\nHost: localhost\r\n\r\n"),
               400, "bad_parameter")
    assert "parameters" in j["error"]["message"], j
    expect(get("/search?" + "&" * 3900 + "q=ville"), 400, "bad_parameter")
    # past what libmicrohttpd holds for one connection (256 KiB, some 4,000
    # parameters) it closes the connection itself: still one log line,
    # nothing leaked (the sanitizers say at the end), and the daemon serves on
    before = log_text().count("refused or dropped by libmicrohttpd")
    try:
        r = get("/search?" + "&" * 8000 + "q=ville")
        expect(r, 400, "bad_parameter")
    except ConnectionError:
        text = wait_log(lambda t: t.count("refused or dropped by libmicrohttpd") > before)
        assert text.count("refused or dropped by libmicrohttpd") == before + 1, \
            "no log line for the dropped request"
    # a few empty ones are no flood
    j = expect(get("/search?&&&q=ville&&limit=1&"), 200)
    assert len(j["hits"]) == 1, j


# ---- 4. the log ------------------------------------------------------------------


def log_forgery():
    forged = "2026-01-01T00:00:00Z GET /search q=\"forged\" status=200"
    target = "/x%0a" + urllib.parse.quote(forged) + "%1b[31mred"
    expect(get(target), 404, "not_found")
    text = wait_log(lambda t: "forged" in t)
    lines = [ln for ln in text.splitlines() if "forged" in ln]
    assert len(lines) == 1, "the forged request made %d lines: %r" % (len(lines), lines)
    assert not any(ln.startswith("2026-01-01T00:00:00Z") for ln in text.splitlines()), \
        "a forged line is in the log"
    assert "\x1b" not in text, "an ESC byte reached the log"
    assert "\\n2026-01-01T00:00:00Z" in lines[0] and "\\u001b" in lines[0], lines[0]
    # a method is escaped the same way
    r = raw(b"G\x1bT /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert r.status in (400, 404, 405, 501), r
    assert "\x1b" not in wait_log(lambda t: False, 0.2), "an ESC byte in the method reached the log"


def query_escaped_in_log():
    expect(get("/search?q=ville%0a2026-01-01T00:00:00Z%20POST&limit=1"), 200)
    text = wait_log(lambda t: 'q="ville\\n2026' in t)
    assert 'q="ville\\n2026-01-01T00:00:00Z POST"' in text, text[-500:]


def bad_parameter_logged():
    # the log line of a 400 names the parameter, as the client is told
    for query, name in (("q=marqueurlimit&limit=0", "limit"),
                        ("q=marqueursince&since=2023-13", "since"),
                        ("q=marqueursort&sort=pif", "sort"),
                        ("q=marqueurfacets&facets=peut-etre", "facets")):
        expect(get("/search?" + query), 400, "bad_parameter")
        mark = 'q="%s"' % query.split("&")[0][2:]
        text = wait_log(lambda t: mark in t)
        lines = [ln for ln in text.splitlines() if mark in ln]
        assert lines and "status=400" in lines[-1], lines
        assert "detail=" in lines[-1] and name in lines[-1].split("detail=", 1)[1], lines[-1]


# ---- 5. a body announced too large -------------------------------------------


def announced_body():
    before = log_text().count("status=413")
    c = Conn(SOCK, 10.0)
    try:
        c.send(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\n\r\n")
        r = c.response(10.0)
        expect(r, 413, "too_large")
        assert r.headers.get("connection", "").lower() == "close", r.headers
        assert closed_after(c), "the connection stays open after the 413"
    finally:
        c.close()
    text = wait_log(lambda t: t.count("status=413") > before)
    assert text.count("status=413") == before + 1, "the 413 is logged %d times" % (
        text.count("status=413") - before)


def expect_100_continue():
    c = Conn(SOCK, 10.0)
    try:
        c.send(b"POST /search HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
               b"Content-Length: 5000000\r\n\r\n")
        r = c.response(10.0)
        assert r.status != 100, "100 Continue for a body over the limit"
        expect(r, 413, "too_large")
        assert r.headers.get("connection", "").lower() == "close", r.headers
    finally:
        c.close()


def body_just_over_limit():
    body = b'{"q": "' + b"a" * (65 * 1024) + b'"}'
    c = Conn(SOCK, 10.0)
    try:
        c.send(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n"
               % len(body))
        r = c.response(10.0)
        expect(r, 413, "too_large")
    finally:
        c.close()


# ---- 6. NUL bytes, malformed escapes, names ----------------------------------

REFUSED = [
    "/search?q=ville&limit=1%00x",
    "/search?q=ville&since=2020-01-01%00junk",
    "/search?q=ville&sort=date%00x",
    "/search?q=ville&type=%00",
    "/search?q=vil%00le",
    "/search?q=%zz",
    "/search?q=ville%2",
    "/search?q=ville&li%00mit=1",
    "/search%00/foo?q=ville",
    "/search%zz?q=ville",
    "/search?Q=ville",
]


def refused(target):
    r = get(target)
    assert r.status == 400, "%s: status %d, expected 400: %r" % (target, r.status, r.body[:200])
    expect(r, 400)


def names_exact():
    # "Limit" is not "limit": ignored, so the default 10, not a 400 for 0
    j = expect(get("/search?q=ville&Limit=0"), 200)
    assert j["limit"] == 10, j["limit"]
    j = expect(get("/search?q=ville&limit=2&LIMIT=0"), 200)
    assert j["limit"] == 2, j["limit"]


def post_nul():
    expect(post('{"q": "vil\\u0000le"}'), 400, "bad_parameter")


# ---- 7. framing -----------------------------------------------------------------


def answer_then_closed(data):
    """One JSON 400, Connection: close, and nothing after it."""
    c = Conn(SOCK, 10.0)
    try:
        c.send(data)
        r = c.response(10.0)
        expect(r, 400)
        assert r.headers.get("connection", "").lower() == "close", r.headers
        assert closed_after(c), "the connection stays open"
    finally:
        c.close()


def length_and_chunked():
    answer_then_closed(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                       b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")


def two_lengths():
    answer_then_closed(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                       b"Content-Length: 15\r\n\r\n{}"
                       b"GET /health HTTP/1.1\r\n\r\n")


def other_codings():
    for te in (b"gzip, chunked", b"identity", b"chunked, chunked", b"gzip"):
        answer_then_closed(b"POST /search HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: " +
                           te + b"\r\n\r\n0\r\n\r\n")


def json_everywhere():
    for target in ("/search?q=ville", "/search", "/health", "/stats", "/nowhere"):
        expect(get(target), {"/search": 400, "/nowhere": 404}.get(target, 200), headers=True)
    expect(raw(b"DELETE /search HTTP/1.1\r\nHost: localhost\r\n\r\n"), 405, headers=True)
    expect(post("not json"), 400, headers=True)


def malformed_length_survived():
    # libmicrohttpd answers this itself (see docs/PROTOCOL.md): the
    # daemon goes on serving
    c = Conn(SOCK, 10.0)
    try:
        c.send(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5x\r\n\r\n")
        r = c.response(10.0)
        assert r.status == 400, r
    finally:
        c.close()


# ---- 8. slow connections -----------------------------------------------------------


class Slow:
    """n connections that each send their request head a byte at a time."""

    def __init__(self, n):
        self.conns = []
        self.stop = threading.Event()
        deadline = time.monotonic() + 30
        for _ in range(n):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.setblocking(False)
            # a full listen queue says EAGAIN: try again, so that all n are
            # really open
            while True:
                try:
                    s.connect(SOCK)
                    break
                except BlockingIOError:
                    assert time.monotonic() < deadline, "cannot open %d connections" % n
                    time.sleep(0.01)
            self.conns.append(s)
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        head = b"GET /search?q=ville HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 4000
        i = 0
        while not self.stop.wait(0.5):
            for s in self.conns:
                try:
                    s.send(head[i % len(head):i % len(head) + 1])
                except OSError:
                    pass
            i += 1

    def close(self):
        self.stop.set()
        self.t.join(timeout=5)
        for s in self.conns:
            s.close()


def slowloris(n):
    slow = Slow(n)
    try:
        time.sleep(1.5)  # let them all be open and trickling
        normal_client()
        normal_client()
    finally:
        slow.close()


# ---- 9. the socket's mode, and what is stale ----------------------------------


def no_chmod_through_path():
    sock = os.path.join(TMP, "strace.sock")
    trace = os.path.join(TMP, "strace.txt")
    p = subprocess.Popen(["strace", "-f", "-o", trace, "-e", "trace=chmod,fchmodat,lchown",
                          os.path.join(BUILD, "pvd-searchd"), "--socket", sock, "--db", DB,
                          "--threads", "1", "--quiet", "--mode", "0600"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE,
                         # LeakSanitizer cannot work under ptrace
                         env=dict(os.environ, ASAN_OPTIONS=os.environ.get(
                             "ASAN_OPTIONS", "") + ":detect_leaks=0"))
    try:
        deadline = time.monotonic() + 30
        while not os.path.exists(sock):
            assert p.poll() is None, "pvd-searchd under strace exited %r" % p.returncode
            assert time.monotonic() < deadline, "no socket under strace"
            time.sleep(0.05)
        expect(get("/health", path=sock), 200)
        assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600, oct(os.stat(sock).st_mode)
    finally:
        # the signal goes to the daemon, strace's child: strace itself
        # would only let go of it
        try:
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            kids = []
        for kid in kids:
            os.kill(kid, signal.SIGTERM)
        if not kids:
            p.kill()
        _, err = p.communicate(timeout=30)
        STDERRS.append(("pvd-searchd under strace", err.decode("utf-8", "replace")))
    with open(trace) as f:
        calls = [ln for ln in f if "strace.sock" in ln]
    assert not calls, "a chmod through the socket's path: %r" % calls


def full_queue_not_stale():
    """A listener that does not accept, its queue full: connect() waits or
    says EAGAIN, which does not mean nobody is there."""
    path = os.path.join(TMP, "busy.sock")
    lst = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    lst.bind(path)
    lst.listen(0)
    fill = []
    try:
        for _ in range(64):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.connect(path)
            except (BlockingIOError, OSError):
                s.close()
                break
            fill.append(s)
        ino = os.lstat(path).st_ino
        p = subprocess.run([os.path.join(BUILD, "pvd-searchd"), "--socket", path, "--db", DB],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        err = p.stderr.decode("utf-8", "replace")
        STDERRS.append(("pvd-searchd on a busy socket", err))
        assert p.returncode == 2, "exit %d on a busy socket: %s" % (p.returncode, err)
        assert os.path.lexists(path) and os.lstat(path).st_ino == ino, "the busy socket was replaced"
    finally:
        for s in fill:
            s.close()
        lst.close()


# ---- 10. what clients learn ------------------------------------------------------


def start(sock, dbs, errpath, *extra):
    args = [os.path.join(BUILD, "pvd-searchd"), "--socket", sock, "--threads", "2"]
    for db in dbs:
        args += ["--db", db]
    errf = open(errpath, "wb")
    p = subprocess.Popen(args + list(extra), stdin=subprocess.DEVNULL, stdout=errf, stderr=errf)
    errf.close()
    STDERRS.append(("pvd-searchd", errpath))
    deadline = time.monotonic() + 30
    while True:
        assert p.poll() is None, "pvd-searchd exited %r" % p.returncode
        try:
            if get("/health", 2.0, sock).status in (200, 503):
                return p
        except OSError:
            pass
        assert time.monotonic() < deadline, "pvd-searchd does not answer on %s" % sock
        time.sleep(0.05)


def stop(p):
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=30)
    assert rc == 0, "exit %d after SIGTERM" % rc


def no_index_readiness():
    db = os.path.join(TMP, "gone-index")
    shutil.copytree(DB, db)
    sock = os.path.join(TMP, "gone.sock")
    errpath = os.path.join(TMP, "gone.err")
    p = start(sock, [db], errpath)
    try:
        expect(get("/health", path=sock), 200)
        shutil.rmtree(db)
        for target in ("/search?q=ville", "/stats"):
            r = get(target, path=sock)
            j = expect(r, 503, "no_index")
            assert TMP not in r.body.decode() and "gone-index" not in r.body.decode(), \
                "a server path in the answer: %r" % r.body
        r = get("/health", path=sock)
        assert r.status == 503, "/health says %d while the index is gone" % r.status
        j = json.loads(r.body)
        assert j.get("status") == "no_index" and j.get("message"), j
        assert "gone-index" not in r.body.decode(), r.body
        for h in ("x-content-type-options", "cache-control"):
            assert h in r.headers, r.headers
    finally:
        stop(p)
    with open(errpath, encoding="utf-8", errors="replace") as f:
        assert "gone-index" in f.read(), "the log does not keep the detail"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def remote_revision():
    if not shutil.which("xapian-tcpsrv"):
        raise AssertionError("xapian-tcpsrv is not installed (xapian-tools)")
    port = free_port()
    srv = subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                            DB], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    sock = os.path.join(TMP, "remote.sock")
    p = None
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                assert srv.poll() is None and time.monotonic() < deadline, "no xapian-tcpsrv"
                time.sleep(0.1)
        p = start(sock, ["tcp://127.0.0.1:%d" % port], os.path.join(TMP, "remote.err"))
        j = expect(get("/stats", path=sock), 200)
        assert "127.0.0.1" not in j["revision"] and str(port) not in j["revision"], j
    finally:
        if p:
            stop(p)
        os.killpg(srv.pid, signal.SIGTERM)
        srv.wait(timeout=10)


# ---- the end ----------------------------------------------------------------------


def sigterm_and_sanitizers():
    global DAEMON
    p, DAEMON = DAEMON, None
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=30)
    assert rc == 0, "exit %d after SIGTERM" % rc
    reports = []
    for what, src in STDERRS:
        text = src
        if os.path.isabs(src) and os.path.exists(src):
            with open(src, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        for m in SANITIZER_MARKS:
            if m in text:
                i = text.index(m)
                reports.append("%s: %s" % (what, text[max(0, i - 200):i + 1500]))
                break
    assert not reports, "sanitizer reports:\n" + "\n".join(reports)


def main():
    global BUILD, CORPUS, TMP, SOCK, LOG, DAEMON, DB, failed
    if len(sys.argv) != 3:
        print("usage: test_hostile.py BUILD_DIR CORPUS_DIR", file=sys.stderr)
        return 2
    BUILD, CORPUS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096 and hard >= 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (4096, hard))
    TMP = tempfile.mkdtemp(prefix="pvd-hostile-")
    t0 = time.monotonic()
    try:
        DB = os.path.join(TMP, "index")
        p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--quiet", "--db", DB, CORPUS],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        assert p.returncode == 0, p.stderr
        SOCK = os.path.join(TMP, "pvd.sock")
        LOG = os.path.join(TMP, "searchd.err")
        DAEMON = start(SOCK, [DB], LOG)

        check("1. 45,000 parentheses: 400, and 64 levels are the cap", deep_parentheses)
        for name in COSTLY:
            check("2. %s: 400 bad_query naming the limit" % name, costly, name)
            check("2. %s: pvd-search exits 2 naming the limit" % name, costly_cli, name)
        check("2. twenty wildcards share the budget and match", wildcards_within_budget)
        check("3. 3,000 '&': 400, not a silent close; 8,000: one log line", parameter_flood)
        check("4. %0a and ESC in the path: one escaped log line", log_forgery)
        check("4. %0a in q: escaped in the log", query_escaped_in_log)
        check("4. a 400's log line names the parameter", bad_parameter_logged)
        check("5. Content-Length 2000000, no body: 413 at once, close, logged once",
              announced_body)
        check("5. Expect: 100-continue over the limit: 413, no 100", expect_100_continue)
        check("5. a body a little over 64 KiB: 413", body_just_over_limit)
        for target in REFUSED:
            check("6. %s: 400" % target, refused, target)
        check("6. parameter names match exactly", names_exact)
        check("6. \\u0000 in a POST body: 400", post_nul)
        check("7. Content-Length and Transfer-Encoding: 400, closed", length_and_chunked)
        check("7. two Content-Lengths: 400, closed", two_lengths)
        check("7. codings other than chunked: 400, closed", other_codings)
        check("7. every answer of ours is JSON, nosniff, no-store", json_everywhere)
        check("7. a malformed Content-Length: the daemon serves on", malformed_length_survived)
        check("8. 950 slow connections: a normal client gets 200", slowloris, 950)
        check("8. 1,030 slow connections: a normal client gets 200", slowloris, 1030)
        check("9. no chmod through the socket's path (strace)", no_chmod_through_path)
        check("9. a socket whose queue is full is not stale", full_queue_not_stale)
        check("10. index gone: 503 naming no path, /health 503, log keeps it",
              no_index_readiness)
        check("10. /stats names no remote shard's address", remote_revision)
        check("SIGTERM: exit 0; no sanitizer report (LeakSanitizer included)",
              sigterm_and_sanitizers)
    except Exception as e:  # noqa: BLE001
        failed += 1
        log("FAIL setting up: %s: %s" % (type(e).__name__, e))
    finally:
        if DAEMON is not None and DAEMON.poll() is None:
            DAEMON.kill()
            DAEMON.wait(timeout=10)
        shutil.rmtree(TMP, ignore_errors=True)
    log("hostile: %d passed, %d failed (%.1f s)" % (passed, failed, time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
