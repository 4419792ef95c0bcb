#!/usr/bin/env python3
"""pvd-searchd over a real Unix socket: answers, bad requests, life cycle.

Usage: test_daemon.py BUILD_DIR CORPUS_DIR

Indexes a copy of CORPUS_DIR with BUILD_DIR/pvd-index, starts
BUILD_DIR/pvd-searchd on a socket in a temporary folder and talks raw
HTTP/1.1 to it over AF_UNIX: the answers must equal pvd-search --json's, every
bad request of issue 5 must get the contract's status and a JSON error, and a
normal client must be answered at once after each.  Then the life cycle:
a live daemon is not taken over, a stale socket is, the socket's mode,
SIGTERM.  Standard library only; every wait is bounded.
"""

import html
import json
import os
import re
import selectors
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse

BUILD = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None
CORPUS = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
CT_JSON = "application/json; charset=utf-8"
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "LeakSanitizer", "runtime error",
                   "ERROR: ThreadSanitizer", "WARNING: ThreadSanitizer")

passed = 0
failed = 0
MAIN = None  # the daemon most checks talk to
T0 = time.monotonic()


class Timeout(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def check(name, fn, *args):
    """Run one check; an exception of any kind is a failure."""
    global passed, failed
    t = time.monotonic()
    try:
        fn(*args)
        if MAIN is not None and MAIN.poll() is None:
            normal_client_at_once()  # after every check, the next client at once
    except Timeout:
        raise
    except Exception as e:  # noqa: BLE001 - a failed check, whatever it raised
        failed += 1
        log("FAIL %s: %s: %s" % (name, type(e).__name__, e))
        return False
    passed += 1
    log("ok   %s (%.2f s)" % (name, time.monotonic() - t))
    return True


# ---- HTTP over the socket ---------------------------------------------------


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case name -> value (last one wins)
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "HTTP %d %r %r" % (self.status, self.headers, self.body[:300])


class Conn:
    """One client connection; keeps what it read past a response."""

    def __init__(self, path, timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        self.closed_by_peer = False

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("no complete answer in time")
        self.sock.settimeout(left)
        data = self.sock.recv(65536)
        if not data:
            self.closed_by_peer = True
            return False
        self.buf += data
        return True

    def _line(self, deadline):
        while b"\r\n" not in self.buf:
            if not self._fill(deadline):
                raise ConnectionError("closed before a full line: %r" % self.buf[:200])
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exactly(self, n, deadline):
        while len(self.buf) < n:
            if not self._fill(deadline):
                raise ConnectionError("closed in the body")
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def response(self, timeout=5.0, head=False):
        deadline = time.monotonic() + timeout
        line = self._line(deadline)
        m = re.match(rb"HTTP/1\.[01] (\d{3}) ?(.*)$", line)
        if not m:
            raise ValueError("not a status line: %r" % line)
        status, reason = int(m.group(1)), m.group(2).decode("latin-1")
        headers = {}
        while True:
            h = self._line(deadline)
            if not h:
                break
            k, _, v = h.partition(b":")
            headers[k.decode("latin-1").strip().lower()] = v.decode("latin-1").strip()
        if head or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size = int(self._line(deadline).split(b";")[0], 16)
                if size == 0:
                    while self._line(deadline):
                        pass
                    break
                body += self._exactly(size, deadline)
                self._line(deadline)
        elif "content-length" in headers:
            body = self._exactly(int(headers["content-length"]), deadline)
        else:
            while self._fill(deadline):
                pass
            body, self.buf = self.buf, b""
        return Response(status, reason, headers, body)


def raw(data, timeout=5.0, path=None):
    """Send bytes on a new connection and read one answer."""
    c = Conn(path or SOCK, timeout)
    try:
        c.send(data)
        return c.response(timeout)
    finally:
        c.close()


def get(target, timeout=5.0, path=None):
    return raw(b"GET " + target.encode("utf-8") + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
               timeout, path)


def post(target, body, ctype="application/json", timeout=5.0, path=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return raw(b"POST " + target.encode() + b" HTTP/1.1\r\nHost: localhost\r\n"
               b"Content-Type: " + ctype.encode() + b"\r\nContent-Length: " +
               str(len(body)).encode() + b"\r\n\r\n" + body, timeout, path)


def expect_json(r, status):
    """The exact status, a JSON object, the contract's Content-Type."""
    assert r.status == status, "status %d, expected %d: %r" % (r.status, status, r.body[:300])
    ct = r.headers.get("content-type")
    assert ct == CT_JSON, "Content-Type %r, expected %r" % (ct, CT_JSON)
    j = r.json()
    assert isinstance(j, dict), "body is not a JSON object: %r" % r.body[:200]
    if status >= 400:
        e = j.get("error")
        assert isinstance(e, dict), "no error object: %r" % j
        assert isinstance(e.get("code"), str) and e["code"], "error.code: %r" % j
        assert isinstance(e.get("message"), str) and e["message"], "error.message: %r" % j
    return j


def normal_client_at_once():
    """A normal client gets its answer (no clock: the timeout only bounds a
    hang; bench/ measures latencies)."""
    r = get("/search?q=ing%C3%A9nierie", timeout=15.0)
    j = expect_json(r, 200)
    assert j["hits"], "no hit for ingénierie"


# ---- the reference: pvd-search --json ---------------------------------------


def pvd_search(fields):
    """pvd-search --json with the fields of a /search request."""
    args = [os.path.join(BUILD, "pvd-search"), "--json"]
    for db in DBS:
        args += ["--db", db]
    opt = {"limit": "--limit", "offset": "--offset", "type": "--type",
           "commune": "--commune", "since": "--since", "until": "--until", "sort": "--sort",
           "departement": "--departement", "region": "--region", "like": "--like"}
    for k, v in fields.items():
        if k in opt:
            args += [opt[k], str(v)]
        elif k == "facets" and v in (1, "1", True):
            args.append("--facets")
    args += ["--", fields["q"]]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    OTHER_STDERR.append(("pvd-search", p.stderr.decode("utf-8", "replace")))
    assert p.returncode in (0, 1), "pvd-search exit %d: %s" % (p.returncode, p.stderr[-300:])
    return json.loads(p.stdout.decode("utf-8"))


def same_answer(got, want, what):
    assert "took_ms" in got and isinstance(got["took_ms"], (int, float)), "no took_ms"
    for k in ("query", "total", "offset", "limit", "hits", "took_ms"):
        assert k in got, "%s: no %r in the answer" % (what, k)
    g = {k: v for k, v in got.items() if k != "took_ms"}
    if g == want:
        return
    gp = [(h["rank"], h["path"]) for h in got["hits"]]
    wp = [(h["rank"], h["path"]) for h in want["hits"]]
    assert gp == wp, "%s: hits %r, pvd-search gives %r" % (what, gp, wp)
    assert got["total"] == want["total"], "%s: total %r, pvd-search %r" % (
        what, got["total"], want["total"])
    diff = sorted(k for k in set(g) | set(want) if g.get(k) != want.get(k))
    raise AssertionError("%s: differs from pvd-search --json in %s" % (what, diff))


HIT_FIELDS = ("rank", "path", "title", "type", "date", "communes", "departements", "regions",
              "score", "snippet", "snippet_html")


def safe_html(sh, plain):
    """snippet_html: <mark> is the only markup, and it is plain escaped."""
    bare = sh.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare, "markup in snippet_html: %r" % sh
    assert not re.search(r"&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)", bare), \
        "unescaped & in snippet_html: %r" % sh
    assert html.unescape(bare) == plain, "snippet_html %r is not snippet %r" % (sh, plain)


def search_checks(q, extra):
    fields = {"q": q}
    fields.update(extra)
    qs = urllib.parse.urlencode(fields)
    r = get("/search?" + qs)
    got = expect_json(r, 200)
    want = pvd_search(fields)
    same_answer(got, want, "GET /search?" + qs)
    for h in got["hits"]:
        for f in HIT_FIELDS:
            assert f in h, "hit without %r: %r" % (f, h)
        safe_html(h["snippet_html"], h["snippet"])
    if extra.get("facets"):
        assert "facets" in got, "facets=1 gave no facets"
    # POST with the same fields, numbers as JSON numbers
    body = dict(fields)
    for k in ("limit", "offset"):
        if k in body:
            body[k] = int(body[k])
    if "facets" in body:
        body["facets"] = True
    r = post("/search", json.dumps(body))
    pj = expect_json(r, 200)
    same_answer(pj, want, "POST /search %s" % json.dumps(body, ensure_ascii=False))
    return got


def check_first_search():
    got = search_checks("ingénierie", {})
    assert got["hits"], "no hit"
    assert any("<mark>" in h["snippet_html"] for h in got["hits"]), "no <mark> in any snippet_html"
    assert got["query"] == "ingénierie", got["query"]
    assert got["offset"] == 0 and got["limit"] == 10, (got["offset"], got["limit"])


COMBOS = [
    ("ingénierie", {"limit": "3", "offset": "2"}),
    ("commune", {"type": "article"}),
    ("centre", {"commune": "Aspet"}),
    ("ville OR bourg", {"since": "2022-01-01", "until": "2023-12-31"}),
    ("ville OR commune", {"sort": "date", "limit": "20"}),
    ("revitalisation", {"facets": "1"}),
    ("ville OR bourg OR centre", {"type": "catalogue", "sort": "date", "facets": "1",
                                  "limit": "5", "offset": "1"}),
    ("\"petites villes\" OR ingé*", {"limit": "100"}),
    ("centre", {"departement": "haute garonne", "facets": "1"}),
    ("ville", {"region": "Occitanie", "departement": "31"}),
    ("projet", {"commune": "St-Gaudens"}),
    ("comment financer un chef de projet", {}),
]


def check_places_and_like():
    """departement, region and like, as pvd-search gives them."""
    got = search_checks("ville", {"departement": "31", "facets": "1"})
    assert got["hits"] and all(h["departements"] == ["Haute-Garonne"] and
                               h["regions"] == ["Occitanie"] for h in got["hits"]), got["hits"]
    assert list(got["facets"]["departement"]) == ["Haute-Garonne"], got["facets"]
    like = os.path.join(COPY, "articles", "saint-martory-friche-papeterie.md")
    got = search_checks("", {"like": like, "type": "catalogue"})
    paths = [h["path"] for h in got["hits"]]
    assert paths and like not in paths and all(h["type"] == "catalogue" for h in got["hits"]), paths
    assert any(p.endswith("fonds-friches-recyclage-foncier.md") for p in paths[:3]), paths
    r = get("/search?" + urllib.parse.urlencode({"q": "ville", "departement": "Atlantide"}))
    err = expect_json(r, 400)
    assert "Atlantide" in err["error"]["message"], err


def check_health():
    j = expect_json(get("/health"), 200)
    assert j == {"status": "ok"}, j


def check_stats():
    a = expect_json(get("/stats"), 200)
    for k in ("documents", "revision", "updated", "uptime_s", "requests"):
        assert k in a, "no %r in /stats: %r" % (k, a)
    assert a["documents"] == N_DOCS, "documents %r, expected %d" % (a["documents"], N_DOCS)
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$",
                    str(a["updated"])), "updated is not ISO 8601: %r" % a["updated"]
    assert isinstance(a["uptime_s"], (int, float)) and a["uptime_s"] >= 0, a
    assert isinstance(a["requests"], int), a
    get("/health")
    b = expect_json(get("/stats"), 200)
    assert b["requests"] > a["requests"], "requests %r then %r" % (a["requests"], b["requests"])


# ---- bad requests -------------------------------------------------------------


def bad(r, status, allow=None):
    expect_json(r, status)
    if allow:
        a = r.headers.get("allow")
        assert a, "%d without an Allow header" % status
        methods = {m.strip() for m in a.split(",")}
        for m in allow:
            assert m in methods, "Allow: %r lacks %s" % (a, m)
    normal_client_at_once()


def body_over_64k_with_length():
    body = b'{"q": "' + b"a" * (70 * 1024) + b'"}'
    c = Conn(SOCK)
    try:
        c.send(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        try:
            c.send(body)
        except OSError:
            pass  # the daemon may answer and close without reading it
        return c.response()
    finally:
        c.close()


def body_over_64k_chunked():
    c = Conn(SOCK)
    try:
        c.send(b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * 8192
        try:
            c.send(b"%x\r\n" % 7 + b'{"q": "' + b"\r\n")
            for _ in range(9):
                c.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            c.send(b"2\r\n\"}\r\n0\r\n\r\n")
        except OSError:
            pass
        return c.response()
    finally:
        c.close()


def bad_requests():
    G = lambda t: get(t)  # noqa: E731
    cases = [
        ("missing q", lambda: G("/search"), 400),
        ("q empty", lambda: G("/search?q="), 400),
        ("limit 0", lambda: G("/search?q=ville&limit=0"), 400),
        ("limit -1", lambda: G("/search?q=ville&limit=-1"), 400),
        ("limit abc", lambda: G("/search?q=ville&limit=abc"), 400),
        ("limit 101", lambda: G("/search?q=ville&limit=101"), 400),
        ("offset 10^9", lambda: G("/search?q=ville&offset=1000000000"), 400),
        ("since 2020-02-30", lambda: G("/search?q=ville&since=2020-02-30"), 400),
        ("until 2020-13-01", lambda: G("/search?q=ville&until=2020-13-01"), 400),
        ("type blog", lambda: G("/search?q=ville&type=blog"), 400),
        ("sort foo", lambda: G("/search?q=ville&sort=foo"), 400),
        ("raw \\xff in the request line",
         lambda: raw(b"GET /search?q=ing\xff\xfenierie HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400),
        ("%FF in the query string", lambda: G("/search?q=ing%FFnierie"), 400),
        ("%C3 alone (truncated UTF-8)", lambda: G("/search?q=ing%C3"), 400),
        ("overlong UTF-8 %C0%AF", lambda: G("/search?q=%C0%AFville"), 400),
        ("POST body not JSON", lambda: post("/search", "q=ville"), 400),
        ("POST a JSON array", lambda: post("/search", '["ville"]'), 400),
        ("POST q a number", lambda: post("/search", '{"q": 42}'), 400),
        ("POST limit a string", lambda: post("/search", '{"q": "ville", "limit": "abc"}'), 400),
        ("POST limit 101", lambda: post("/search", '{"q": "ville", "limit": 101}'), 400),
        ("POST empty body", lambda: post("/search", ""), 400),
        ("POST invalid UTF-8 in JSON", lambda: post("/search", b'{"q": "ing\xffnierie"}'), 400),
        ("body over 64 KiB, Content-Length", body_over_64k_with_length, 413),
        ("body over 64 KiB, chunked", body_over_64k_chunked, 413),
        ("URL over 8 KiB", lambda: G("/search?q=ville&x=" + "a" * (9 * 1024)), 414),
        ("headers over 8 KiB",
         lambda: raw(b"GET /search?q=ville HTTP/1.1\r\nHost: localhost\r\n" +
                     b"".join(b"X-Pad-%d: %s\r\n" % (i, b"b" * 1000) for i in range(9)) +
                     b"\r\n"), 431),
        ("unknown path", lambda: G("/nowhere"), 404),
        ("query with no word", lambda: G("/search?q=%21%21%21"), 400),
    ]
    for name, fn, status in cases:
        check("bad request: %s -> %d" % (name, status), lambda: bad(fn(), status))
    check("bad request: PUT /search -> 405 + Allow",
          lambda: bad(raw(b"PUT /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"),
                      405, allow=("GET", "POST")))
    check("bad request: POST /health -> 405 + Allow",
          lambda: bad(post("/health", "{}"), 405, allow=("GET",)))
    check("bad request: DELETE /stats -> 405 + Allow",
          lambda: bad(raw(b"DELETE /stats HTTP/1.1\r\nHost: localhost\r\n\r\n"), 405,
                      allow=("GET",)))


def check_keep_alive():
    c = Conn(SOCK)
    try:
        c.send(b"GET /search?q=ville&limit=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        expect_json(c.response(), 400)
        c.send(b"GET /search?q=ing%C3%A9nierie HTTP/1.1\r\nHost: localhost\r\n\r\n")
        j = expect_json(c.response(), 200)
        assert j["hits"], "no hit on the kept-alive connection"
        c.send(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert expect_json(c.response(), 200) == {"status": "ok"}
        # and pipelined: two requests in one write, two answers in order
        c.send(b"GET /search?q=ville&limit=abc HTTP/1.1\r\nHost: localhost\r\n\r\n"
               b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        expect_json(c.response(), 400)
        assert expect_json(c.response(), 200) == {"status": "ok"}
    finally:
        c.close()
    normal_client_at_once()


# ---- slow and rude clients ------------------------------------------------------


def check_byte_at_a_time():
    req = b"GET /search?q=ing%C3%A9nierie&limit=2 HTTP/1.1\r\nHost: localhost\r\n\r\n"
    c = Conn(SOCK)
    try:
        for i in range(len(req)):
            c.send(req[i:i + 1])
            time.sleep(0.02)
            if i == len(req) // 2:
                normal_client_at_once()  # the slow one holds nobody up
        j = expect_json(c.response(), 200)
        assert len(j["hits"]) == 2, j
    finally:
        c.close()
    normal_client_at_once()


IDLE = []


def check_silent_clients():
    """More silent clients than worker threads: nobody waits for them."""
    for _ in range(10):
        IDLE.append((Conn(SOCK), time.monotonic()))
    c = Conn(SOCK)
    c.send(b"GET /search?q=ville HTTP/1.1\r\n")  # and one that stops half-way
    IDLE.append((c, time.monotonic()))
    time.sleep(0.1)
    normal_client_at_once()


def check_silent_client_closed():
    """Optional: only when the test already ran past the idle timeout."""
    c, t = IDLE[0]
    c.sock.settimeout(1.0)
    try:
        data = c.sock.recv(100)
    except socket.timeout:
        raise AssertionError("silent client still open after %.0f s" % (time.monotonic() - t))
    except ConnectionResetError:
        data = b""
    # libmicrohttpd may or may not write a 408 before closing
    assert data == b"" or data.startswith(b"HTTP/1.1 408"), data[:100]


def check_disconnect_before_reading():
    for i in range(20):
        c = Conn(SOCK)
        c.send(b"GET /search?q=ville+OR+commune+OR+centre+OR+bourg&limit=100&facets=1 "
               b"HTTP/1.1\r\nHost: localhost\r\n\r\n")
        if i % 2:  # half with a reset rather than a plain close
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        c.close()
    # and one that asks for megabytes (pipelined), reads a few bytes, goes:
    # the daemon is cut off in the middle of writing
    c = Conn(SOCK)
    c.send(b"GET /search?q=ville+OR+commune+OR+centre&limit=100&facets=1 HTTP/1.1\r\n"
           b"Host: localhost\r\n\r\n" * 100)
    c.sock.recv(10)
    c.close()
    normal_client_at_once()
    check_health()


def check_500_connections():
    conns = []
    try:
        for _ in range(500):
            conns.append(Conn(SOCK, timeout=5.0))
        req = b"GET /search?q=ing%C3%A9nierie&limit=3 HTTP/1.1\r\nHost: localhost\r\n\r\n"
        for c in conns:
            c.send(req)
        sel = selectors.DefaultSelector()
        for c in conns:
            c.sock.setblocking(False)
            sel.register(c.sock, selectors.EVENT_READ, c)
        answers = {}
        # a hang guard, not a speed check: a busy CI machine is slow
        deadline = time.monotonic() + 180
        pending = len(conns)
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                c = key.data
                try:
                    data = c.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except ConnectionResetError:
                    data = b""
                c.buf += data
                done = False
                if not data:
                    done = True
                else:
                    head, sep, body = c.buf.partition(b"\r\n\r\n")
                    m = re.search(rb"(?i)content-length: *(\d+)", head)
                    done = bool(sep) and m and len(body) >= int(m.group(1))
                if done:
                    sel.unregister(c.sock)
                    answers[id(c)] = c.buf
                    pending -= 1
        sel.close()
        assert not pending, "%d of 500 connections got no answer in 180 s" % pending
        counts = {}
        for c in conns:
            c.sock.setblocking(True)
            c.buf = answers[id(c)]  # parse what was read, as a response
            r = c.response(timeout=1.0)
            assert r.status in (200, 503), "status %d: %r" % (r.status, r.body[:200])
            expect_json(r, r.status)
            counts[r.status] = counts.get(r.status, 0) + 1
        log("     500 connections: %r" % counts)
    finally:
        for c in conns:
            c.close()
    normal_client_at_once()


# ---- fresh results -------------------------------------------------------------

UNIQUE = "zorglubification"


def index(*extra):
    p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--quiet", "--db", DBS[0]] +
                       list(extra) + [COPY], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    OTHER_STDERR.append(("pvd-index", p.stderr.decode("utf-8", "replace")))
    assert p.returncode == 0, "pvd-index %s: exit %d: %s" % (
        " ".join(extra), p.returncode, p.stderr.decode(errors="replace")[-400:])


def count_unique(n=8):
    """The hits for UNIQUE over n fresh connections (both workers)."""
    out = []
    for _ in range(n):
        j = expect_json(get("/search?q=" + UNIQUE), 200)
        out.append((j["total"], [h["path"] for h in j["hits"]], j["hits"]))
    return out


def check_fresh_after_index():
    assert all(t == 0 for t, _, _ in count_unique(4)), "the word is found before it exists"
    new = os.path.join(COPY, "textes", "nouveau-%s.txt" % UNIQUE)
    with open(new, "w", encoding="utf-8") as f:
        f.write("Un texte tout neuf\n\nLe mot %s apparaît ici, avec <script>alert(\"x\")</script>"
                " & <b>du gras</b> & des \"guillemets\" et l'apostrophe.\n" % UNIQUE)
    index()
    for total, paths, hits in count_unique():
        assert total == 1 and len(paths) == 1 and paths[0].endswith(os.path.basename(new)), \
            "after pvd-index: total %r paths %r" % (total, paths)
        h = hits[0]
        safe_html(h["snippet_html"], h["snippet"])
        assert "<mark>" in h["snippet_html"], h["snippet_html"]
        assert "<script" not in h["snippet_html"] and "<b>" not in h["snippet_html"], \
            h["snippet_html"]
    j = expect_json(get("/stats"), 200)
    assert j["documents"] == N_DOCS + 1, "stats documents %r after adding one" % j["documents"]


def check_fresh_after_update_in_place():
    """A commit that stays in its generation (no compaction, no switch):
    each worker must see it, from Xapian's version file, not from the stub."""
    root = os.path.join(TMP, "in-place")
    docs, db, sock = os.path.join(root, "docs"), os.path.join(root, "index"), \
        os.path.join(root, "s.sock")
    os.makedirs(docs)

    def write(name, text):
        with open(os.path.join(docs, name), "w", encoding="utf-8") as f:
            f.write(text)

    def run_index():
        p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--quiet", "--db", db, docs],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        OTHER_STDERR.append(("pvd-index", p.stderr.decode("utf-8", "replace")))
        assert p.returncode == 0, p.stderr.decode(errors="replace")[-400:]
        with open(os.path.join(db, "XAPIANDB"), encoding="utf-8") as f:
            return f.read().strip()

    def totals(word):
        return [expect_json(get("/search?q=" + word, path=sock), 200)["total"]
                for _ in range(8)]  # fresh connections: both workers

    write("un.txt", "Un premier texte sur l'ingénierie des petites villes.\n")
    gen = run_index()
    p = start(sock, dbs=[db])
    try:
        assert totals("zorglubinette") == [0] * 8
        write("deux.txt", "Le mot zorglubinette n'apparaît qu'ici.\n")
        assert run_index() == gen, "the update switched generations: the check tests nothing"
        got = totals("zorglubinette")
        assert got == [1] * 8, "totals after an update in place: %r" % got
    finally:
        p.send_signal(signal.SIGTERM)
        wait_exit(p)


def check_fresh_after_full():
    os.unlink(os.path.join(COPY, "textes", "nouveau-%s.txt" % UNIQUE))
    index("--full")
    for total, paths, _ in count_unique():
        assert total == 0 and not paths, "after pvd-index --full: total %r paths %r" % (
            total, paths)
    normal_client_at_once()
    j = expect_json(get("/stats"), 200)
    assert j["documents"] == N_DOCS, "stats documents %r after --full" % j["documents"]


# ---- life cycle ------------------------------------------------------------------

DAEMONS = []  # (Popen, stderr path)
STOPPED_BY_FINALLY = []
OTHER_STDERR = []  # (what, text) of the other runs, for sanitizer reports


def start(sock, *extra, wait=True, dbs=None):
    errpath = os.path.join(TMP, "searchd-%d.err" % len(DAEMONS))
    args = [os.path.join(BUILD, "pvd-searchd"), "--socket", sock, "--threads", "2"]
    for db in (DBS if dbs is None else dbs):
        args += ["--db", db]
    args += list(extra)
    errf = open(errpath, "wb")
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=errf, stderr=errf)
    errf.close()
    DAEMONS.append((p, errpath))
    if wait:
        deadline = time.monotonic() + 15
        while True:
            if p.poll() is not None:
                raise AssertionError("pvd-searchd exited %d: %s" % (p.returncode, stderr_of(p)))
            try:
                if get("/health", timeout=1.0, path=sock).status == 200:
                    if p.poll() is None:  # ours, not someone else's daemon
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("pvd-searchd does not answer /health on %s" % sock)
            time.sleep(0.05)
    return p


def stderr_of(p):
    for q, path in DAEMONS:
        if q is p:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
    return ""


def wait_exit(p, timeout=10):
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError("pvd-searchd still running after %d s" % timeout)


def run_searchd(sock, dbs=None, timeout=10):
    """A pvd-searchd expected to give up: (exit status, stderr)."""
    args = [os.path.join(BUILD, "pvd-searchd"), "--socket", sock]
    for db in (DBS if dbs is None else dbs):
        args += ["--db", db]
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    err = p.stderr.decode("utf-8", "replace")
    OTHER_STDERR.append(("pvd-searchd --socket %s" % os.path.basename(sock), err))
    return p.returncode, err


def check_second_daemon_refused():
    rc, err = run_searchd(SOCK)
    assert rc == 2, "second pvd-searchd on a live socket exited %d" % rc
    assert err.strip(), "second pvd-searchd said nothing"
    assert stat.S_ISSOCK(os.lstat(SOCK).st_mode), "the live socket is gone"
    normal_client_at_once()


def check_default_mode():
    mode = stat.S_IMODE(os.stat(SOCK).st_mode)
    assert mode == 0o660, "socket mode %o, expected 660" % mode


def check_mode_0600():
    sock = os.path.join(TMP, "m.sock")
    p = start(sock, "--mode", "0600")
    mode = stat.S_IMODE(os.stat(sock).st_mode)
    p.send_signal(signal.SIGTERM)
    rc = wait_exit(p)
    assert mode == 0o600, "socket mode %o with --mode 0600" % mode
    assert rc == 0, "SIGTERM: exit %d" % rc


def check_stale_replaced():
    global MAIN
    MAIN.kill()
    MAIN.wait(timeout=10)
    assert os.path.lexists(SOCK), "the socket file went with the SIGKILLed daemon"
    assert stat.S_ISSOCK(os.lstat(SOCK).st_mode)
    MAIN = start(SOCK)
    normal_client_at_once()
    check_default_mode()


def in_flight_round(kept, fresh):
    """kept connections that already had an answer, fresh ones: each sends
    a search, then at once SIGTERM.  Returns the statuses that were not 200."""
    sock = os.path.join(TMP, "t.sock")
    p = start(sock)
    conns = []
    try:
        for _ in range(kept):
            c = Conn(sock)
            c.send(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            expect_json(c.response(), 200)
            conns.append(("kept-alive", c))
        for _ in range(fresh):
            conns.append(("new", Conn(sock)))
        for _, c in conns:
            c.send(b"GET /search?q=ville+OR+commune+OR+centre&limit=100&facets=1 HTTP/1.1\r\n"
                   b"Host: localhost\r\n\r\n")
        p.send_signal(signal.SIGTERM)
        lost = []
        for kind, c in conns:
            try:
                r = c.response(timeout=10)
                expect_json(r, 200)
            except (OSError, ValueError, AssertionError) as e:
                lost.append("%s: %s" % (kind, e))
    finally:
        for _, c in conns:
            c.close()
        rc = wait_exit(p)
    assert rc == 0, "exit %d after SIGTERM" % rc
    assert not os.path.lexists(sock), "socket left behind after SIGTERM"
    return lost


def check_in_flight_then_sigterm(kept, fresh, rounds=3):
    """Requests fully sent before SIGTERM get their answers (a race: a few
    rounds, so that a daemon which drops them is caught nearly always)."""
    for i in range(rounds):
        lost = in_flight_round(kept, fresh)
        assert not lost, "round %d of %d: %d of %d requests in flight got no answer: %s" % (
            i + 1, rounds, len(lost), kept + fresh, lost[0])


def check_sigterm():
    global MAIN
    p, MAIN = MAIN, None
    p.send_signal(signal.SIGTERM)
    rc = wait_exit(p)
    assert rc == 0, "exit %d after SIGTERM: %s" % (rc, stderr_of(p)[-500:])
    assert not os.path.lexists(SOCK), "socket left behind after SIGTERM"


def check_sigint():
    sock = os.path.join(TMP, "i.sock")
    p = start(sock)
    p.send_signal(signal.SIGINT)
    rc = wait_exit(p)
    assert rc == 0, "exit %d after SIGINT" % rc
    assert not os.path.lexists(sock), "socket left behind after SIGINT"


def check_not_a_socket():
    path = os.path.join(TMP, "plain-file")
    with open(path, "w") as f:
        f.write("keep me\n")
    rc, err = run_searchd(path)
    assert rc == 2, "exit %d over a regular file" % rc
    assert err.strip(), "no message"
    with open(path) as f:
        assert f.read() == "keep me\n", "the file was changed"
    d = os.path.join(TMP, "a-dir")
    os.mkdir(d)
    rc, err = run_searchd(d)
    assert rc == 2 and os.path.isdir(d), "exit %d over a folder" % rc


def check_no_index():
    rc, err = run_searchd(os.path.join(TMP, "n.sock"), dbs=[os.path.join(TMP, "no-index-here")])
    assert rc == 2, "exit %d with no index" % rc
    assert err.strip(), "no message"
    assert not os.path.lexists(os.path.join(TMP, "n.sock")), "socket made with no index"


def check_sanitizers():
    texts = []
    for p, path in DAEMONS:
        with open(path, "rb") as f:
            texts.append((os.path.basename(path), f.read().decode("utf-8", "replace")))
    reports = []
    for what, text in texts + OTHER_STDERR:
        for m in SANITIZER_MARKS:
            if m in text:
                i = text.index(m)
                reports.append("%s: %s" % (what, text[max(0, i - 200):i + 1500]))
                break
    assert not reports, "sanitizer reports:\n" + "\n".join(reports)


# ---- main --------------------------------------------------------------------------


def on_alarm(signum, frame):
    raise Timeout("the whole test ran past its time limit")


def main():
    global TMP, SOCK, DBS, COPY, N_DOCS, MAIN, failed
    if len(sys.argv) != 3:
        print("usage: test_daemon.py BUILD_DIR CORPUS_DIR", file=sys.stderr)
        return 2
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(900)  # a hang guard: ctest's own limit is 1200 s
    TMP = tempfile.mkdtemp(prefix="pvd-daemon-")
    MAIN = None
    try:
        COPY = os.path.join(TMP, "corpus")
        shutil.copytree(CORPUS, COPY, symlinks=True)
        N_DOCS = sum(len(fs) for _, _, fs in os.walk(COPY))
        DBS = [os.path.join(TMP, "index")]
        SOCK = os.path.join(TMP, "pvd.sock")
        index()
        MAIN = start(SOCK)

        check("socket mode 0660 by default", check_default_mode)
        check("GET /search?q=ing%C3%A9nierie = pvd-search --json (and POST)", check_first_search)
        for q, extra in COMBOS:
            check("search %r %r = pvd-search --json (GET and POST)" % (q, extra),
                  search_checks, q, extra)
        check("departement, region and like", check_places_and_like)
        check("GET /health", check_health)
        check("GET /stats", check_stats)
        check("silent clients do not stop others", check_silent_clients)
        bad_requests()
        check("keep-alive: bad, good, /health on one connection", check_keep_alive)
        check("request sent a byte at a time", check_byte_at_a_time)
        check("clients that disconnect before reading", check_disconnect_before_reading)
        # Under ThreadSanitizer (scripts/test.sh), ten times slower: the
        # load check stays with the ASan run.
        if not os.environ.get("PVD_TSAN"):
            check("500 connections at once", check_500_connections)
        check("fresh results after pvd-index", check_fresh_after_index)
        check("fresh results after an update in place", check_fresh_after_update_in_place)
        check("fresh results after pvd-index --full", check_fresh_after_full)
        check("a second pvd-searchd on a live socket exits 2", check_second_daemon_refused)
        check("--mode 0600", check_mode_0600)
        check("SIGKILL leaves a stale socket, a new daemon replaces it", check_stale_replaced)
        check("a request in flight at SIGTERM is answered (new connection)",
              check_in_flight_then_sigterm, 0, 1)
        check("requests in flight at SIGTERM are answered (5 kept-alive connections)",
              check_in_flight_then_sigterm, 5, 0)
        check("requests in flight at SIGTERM are answered (5 new connections)",
              check_in_flight_then_sigterm, 0, 5)
        check("SIGINT: exit 0, socket removed", check_sigint)
        check("over a path that is not a socket: exit 2, left alone", check_not_a_socket)
        check("no index at --db: exit 2", check_no_index)
        if IDLE and time.monotonic() - IDLE[0][1] > 16:
            check("silent client closed after the idle timeout", check_silent_client_closed)
        else:
            log("skip silent client closed after the idle timeout (not waited for)")
        check("SIGTERM: exit 0, socket removed", check_sigterm)
        check("no sanitizer report in the daemons' stderr", check_sanitizers)
    except Timeout as e:
        failed += 1
        log("FAIL %s" % e)
    finally:
        signal.alarm(0)
        for c, _ in IDLE:
            c.close()
        for p, _ in DAEMONS:
            if p.poll() is None:
                STOPPED_BY_FINALLY.append(p)
                p.kill()
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
        # what a daemon said when it died of something other than our
        # SIGKILL, or was not asked to stop
        for p, path in DAEMONS:
            if p.returncode in (0, 2, -signal.SIGKILL) and not STOPPED_BY_FINALLY.count(p):
                continue
            try:
                with open(path, "rb") as f:
                    tail = f.read()[-1500:].decode("utf-8", "replace")
            except OSError:
                continue
            log("--- %s (exit %r), last lines:\n%s" % (os.path.basename(path), p.returncode,
                                                     tail))
        shutil.rmtree(TMP, ignore_errors=True)
    log("daemon: %d passed, %d failed (%.1f s)" % (passed, failed, time.monotonic() - T0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
