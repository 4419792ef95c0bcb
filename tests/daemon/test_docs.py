#!/usr/bin/env python3
"""pvd-searchd --docs DIR=URL: the `url` of each hit.

Usage: test_docs.py BUILD_DIR

Builds a small corpus in a temporary folder (names with accents, spaces,
`#`, `?`, `%`, a nested folder given its own URL, a file outside every DIR),
indexes it by its canonical path, starts BUILD_DIR/pvd-searchd with --docs
given through a symbolic link and a relative path, and checks over the socket
that each hit gets the URL a browser can follow, that hits outside every DIR
get none, that the rest of the answer is pvd-search --json's, and that a bad
--docs is a usage error.  Standard library only; every wait is bounded.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pvdtest  # noqa: E402
from pvdtest import UnixHTTP, check  # noqa: E402

BUILD = os.path.abspath(sys.argv[1])


def get(sock, query):
    c = UnixHTTP(sock)
    c.request("GET", "/search?" + urllib.parse.urlencode(query))
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, json.loads(body)


def wait_socket(path, proc, deadline=20):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    tmp = tempfile.mkdtemp(prefix="pvd-docs-")
    corpus = os.path.join(tmp, "corpus")
    body = "Le marché couvert de la halle rénovée accueille les producteurs.\n"
    names = {
        "articles/café de la halle.md": "articles/caf%C3%A9%20de%20la%20halle.md",
        "articles/a#b?c%d.md": "articles/a%23b%3Fc%25d.md",
        "articles/l’été.md": "articles/l%E2%80%99%C3%A9t%C3%A9.md",
    }
    for name in names:
        write(os.path.join(corpus, name), "---\ntitle: %s\n---\n%s" % (name, body))
    # a nested folder with its own URL: the deepest DIR wins
    write(os.path.join(corpus, "textes", "arrêté.md"), "---\ntitle: arrete\n---\n" + body)
    # a file under no DIR
    write(os.path.join(tmp, "ailleurs", "halle.md"), "---\ntitle: ailleurs\n---\n" + body)
    os.symlink(corpus, os.path.join(tmp, "lien"))
    corpus = os.path.realpath(corpus)
    db = os.path.join(tmp, "db")
    for path in (corpus, os.path.realpath(os.path.join(tmp, "ailleurs"))):
        subprocess.run([os.path.join(BUILD, "pvd-index"), "--quiet", "--db", db, path],
                       check=True, stdin=subprocess.DEVNULL, timeout=60)
    sock = os.path.join(tmp, "s.sock")
    # DIR through a link and through a relative path with "..": both canonicalised
    daemon = subprocess.Popen(
        [os.path.join(BUILD, "pvd-searchd"), "--socket", sock, "--db", db, "--quiet",
         "--docs", os.path.join(tmp, "lien") + "=/docs/",
         "--docs", "corpus/../corpus/textes=http://exemple.fr/textes"],
        cwd=tmp, stdin=subprocess.DEVNULL)
    try:
        if not wait_socket(sock, daemon):
            check("daemon starts", False)
            return
        status, ans = get(sock, {"q": "halle", "limit": 20})
        check("search answers 200", status == 200, status)
        by_title = {h["title"]: h for h in ans["hits"]}
        for name, rest in names.items():
            h = by_title.get(name, {})
            check("url of %s" % name, h.get("url") == "/docs/" + rest, h.get("url"))
        h = by_title.get("arrete", {})
        check("deepest DIR wins", h.get("url") == "http://exemple.fr/textes/arr%C3%AAt%C3%A9.md",
              h.get("url"))
        h = by_title.get("ailleurs", {})
        check("no url outside every DIR", h and "url" not in h, h)
        # the rest of the answer is pvd-search --json's, key for key
        cli = subprocess.run([os.path.join(BUILD, "pvd-search"), "--db", db, "--json", "-n",
                              "20", "halle"], capture_output=True, stdin=subprocess.DEVNULL,
                             timeout=60)
        want = json.loads(cli.stdout)
        for hit in ans["hits"]:
            hit.pop("url", None)
        ans.pop("took_ms", None)
        check("same answer as pvd-search --json", ans == want)
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=20)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
    check("daemon exits 0", daemon.returncode == 0, daemon.returncode)

    for bad in ("nowhere=/docs/", "%s" % corpus, "=/docs/", corpus + "=",
                os.path.join(corpus, "textes", "arrêté.md") + "=/x/"):
        r = subprocess.run([os.path.join(BUILD, "pvd-searchd"), "--socket", sock + "2", "--db",
                            db, "--docs", bad], capture_output=True, text=True, cwd=tmp,
                           stdin=subprocess.DEVNULL, timeout=30)
        check("--docs %s is a usage error" % bad,
              r.returncode == 2 and "--docs" in r.stderr and not os.path.exists(sock + "2"),
              (r.returncode, r.stderr))
    subprocess.run(["rm", "-rf", tmp], check=False)


main()
pvdtest.finish("daemon_docs")
