#!/usr/bin/env python3
"""pvd-index --watch as archivists meet it: files dropped, changed, renamed
and deleted in the shared folder are found (by pvd-search and by a running
pvd-searchd) a moment later, without another run.

Usage: test_watch.py BUILD_DIR

Every wait polls with a deadline; nothing sleeps a fixed time.  A check
that something did NOT happen waits for a later change (a marker file) to
be searchable first: the watcher settles changes in order, so by then the
earlier one has been dealt with.
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pvdtest  # noqa: E402
from pvdtest import DEADLINE, UnixHTTP, check, wait_for, write  # noqa: E402

BUILD = os.path.abspath(sys.argv[1])

work = tempfile.mkdtemp(prefix="pvd-watch-")
docs = os.path.join(work, "partage")
other = os.path.join(work, "second")
db = os.path.join(work, "index")
sock = os.path.join(work, "searchd.sock")
os.makedirs(os.path.join(docs, "articles"))
os.makedirs(other)
env = dict(os.environ, LC_ALL="C.UTF-8")
env.pop("PVD_DB", None)


def search(word, n=100000):
    """The paths pvd-search lists for word."""
    p = subprocess.run([os.path.join(BUILD, "pvd-search"), "--db", db, "-n", str(n),
                        "--json", word], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL)
    if p.returncode not in (0, 1):
        return None
    return sorted(h["path"] for h in json.loads(p.stdout)["hits"])


def real(path):
    return os.path.realpath(path)


def found(word, path):
    return lambda: real(path) in (search(word) or [])


def gone(word, path):
    def pred():
        hits = search(word)
        return hits is not None and real(path) not in hits
    return pred


def daemon_paths(word):
    try:
        c = UnixHTTP(sock)
        c.request("GET", "/search?" + urllib.parse.urlencode({"q": word, "limit": 100}))
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        return sorted(h["path"] for h in body.get("hits", []))
    except (OSError, ValueError, http.client.HTTPException):
        return None


def stderr_text():
    with open(os.path.join(work, "watch.err"), encoding="utf-8", errors="replace") as f:
        return f.read()


marks = 0


def settled():
    """Wait until every change made so far has been settled and committed."""
    global marks
    marks += 1
    word = f"repere{marks}x"
    path = os.path.join(docs, f"repere-{marks}.txt")
    write(path, f"Fichier repère {word}.\n")
    return wait_for(found(word, path))


write(os.path.join(docs, "articles", "aspet.md"),
      "# Aspet\n\nLa place du foirail d'Aspet sera rénovée.\n")
write(os.path.join(other, "carbonne.txt"), "Carbonne : la médiathèque ouvre ses portes.\n")
p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--db", db, "--watch", "--full", docs],
                   capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
check("--watch with --full is a usage error (exit 2)", p.returncode == 2 and "--full" in p.stderr,
      p.stderr)
# A PATH missing at the start: exit 2 as a run, not a watch that waits.
missing = os.path.join(work, "pas-la")
try:
    p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--db", os.path.join(work, "index-m"),
                        "--watch", docs, missing], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL, timeout=DEADLINE)
    check("--watch with a missing PATH exits 2, as a run", p.returncode == 2,
          f"rc={p.returncode} {p.stderr}")
    check("it names the missing PATH and does not watch", missing in p.stderr and
          "not started" in p.stderr and "watching" not in p.stderr, p.stderr)
except subprocess.TimeoutExpired as e:
    check("--watch with a missing PATH exits 2, as a run", False,
          f"still running after {DEADLINE:.0f} s: {e.stderr}")
errf = open(os.path.join(work, "watch.err"), "w")
watch = subprocess.Popen([os.path.join(BUILD, "pvd-index"), "--db", db, "--watch",
                          "--report", os.path.join(work, "report.jsonl"), docs, other],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf,
                         env=env)
daemon = None
try:
    check("the watcher says it is watching",
          wait_for(lambda: "watching" in stderr_text()), stderr_text())
    check("the first run indexed what was there", found("foirail", docs + "/articles/aspet.md")())
    daemon = subprocess.Popen([os.path.join(BUILD, "pvd-searchd"), "--socket", sock,
                               "--db", db, "--quiet"], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    check("pvd-searchd answers", wait_for(lambda: daemon_paths("foirail") is not None))

    # another pvd-index while the watch holds the lock
    p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--db", db, docs],
                       capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    check("a second pvd-index is refused while watching (exit 2)", p.returncode == 2,
          p.stderr)
    check("it says who holds the index", "locked" in p.stderr and "pid" in p.stderr,
          p.stderr)

    # a new file, seen by pvd-search and by the running daemon
    new = os.path.join(docs, "articles", "montbard.md")
    write(new, "# Montbard\n\nLa convention de revitalisation est signée.\n")
    check("a new file is found", wait_for(found("revitalisation", new)))
    check("pvd-searchd finds it without a restart",
          wait_for(lambda: real(new) in (daemon_paths("revitalisation") or [])))

    # a changed file
    write(new, "# Montbard\n\nLe marché couvert est restauré.\n")
    check("a changed file is found by its new words", wait_for(found("restaure", new)))
    check("and no longer by its old ones", wait_for(gone("revitalisation", new)))
    check("pvd-searchd sees the change",
          wait_for(lambda: real(new) in (daemon_paths("restaure") or [])))

    # a rename
    renamed = os.path.join(docs, "articles", "montbard-marche.md")
    os.rename(new, renamed)
    check("a renamed file is found under its new name", wait_for(found("restaure", renamed)))
    check("and no longer under its old one", wait_for(gone("restaure", new)))

    # a deleted file
    os.unlink(renamed)
    check("a deleted file is no longer found", wait_for(gone("restaure", renamed)))
    check("pvd-searchd sees the deletion",
          wait_for(lambda: daemon_paths("restaure") == []))

    # a folder made after the start, with folders and files in it
    deep = os.path.join(docs, "catalogues", "2026", "anah")
    os.makedirs(deep)
    write(os.path.join(deep, "opah.md"), "# OPAH-RU\n\nAides de l'Anah pour l'habitat.\n")
    write(os.path.join(docs, "catalogues", "friches.md"), "# Fonds friches\n\nRecyclage foncier.\n")
    check("a file in a folder made after the start is found",
          wait_for(found("habitat", os.path.join(deep, "opah.md"))))
    check("and its parent folder's file too",
          wait_for(found("recyclage", os.path.join(docs, "catalogues", "friches.md"))))
    write(os.path.join(deep, "plus-tard.md"), "# Plus tard\n\nUne vélorue est prévue.\n")
    check("a file added later in that new folder is found",
          wait_for(found("velorue", os.path.join(deep, "plus-tard.md"))))

    # a folder moved in from outside, and one moved out
    outside = os.path.join(work, "dehors")
    write(os.path.join(outside, "sous", "luchon.txt"), "Les thermes de Luchon rouvrent.\n")
    os.rename(outside, os.path.join(docs, "arrive"))
    moved_in = os.path.join(docs, "arrive", "sous", "luchon.txt")
    check("a folder moved in is indexed", wait_for(found("thermes", moved_in)))
    os.rename(os.path.join(docs, "arrive"), outside)
    check("a folder moved out loses its documents", wait_for(gone("thermes", moved_in)))
    write(os.path.join(outside, "sous", "apres.txt"), "Une passerelle hors du partage.\n")
    settled()
    check("a folder moved out is no longer followed", search("passerelle") == [])

    # a 500-file burst
    burst = os.path.join(docs, "lot")
    os.makedirs(burst)
    for i in range(500):
        write(os.path.join(burst, f"fiche-{i:03d}.txt"),
              f"Fiche {i} du lot : diagnostic commercial numéro {i}.\n")
    check("a 500-file burst is indexed whole",
          wait_for(lambda: len(search("diagnostic") or []) == 500),
          str(len(search("diagnostic") or [])))

    # a file written slowly, in pieces: not indexed half-written
    slow = os.path.join(docs, "lent.txt")
    with open(slow, "w", encoding="utf-8") as f:
        f.write("Premier morceau : bourgcentre.\n")
        f.flush()
        os.fsync(f.fileno())
        check("(marker while the slow file is open)", settled())
        check("a file still being written is not indexed", search("bourgcentre") == [])
        f.write("Second morceau : guichetunique.\n")
    check("once closed, it is indexed whole",
          wait_for(lambda: found("bourgcentre", slow)() and found("guichetunique", slow)()))

    # an emptied PATH: nothing deleted, and it says so
    os.unlink(os.path.join(other, "carbonne.txt"))
    settled()
    check("a PATH emptied under the watch keeps its documents",
          found("mediatheque", os.path.join(other, "carbonne.txt"))())
    check("and the watcher says none was deleted",
          wait_for(lambda: "none deleted" in stderr_text()), stderr_text())
    check("the watcher is still running", watch.poll() is None)

    # the PATH vanishes, then comes back: walked again as a run would
    os.rmdir(other)
    check("a vanished PATH is said gone",
          wait_for(lambda: "second: gone" in stderr_text()), stderr_text())
    check("its documents are kept meanwhile",
          found("mediatheque", os.path.join(other, "carbonne.txt"))())
    os.makedirs(other)
    write(os.path.join(other, "retour.txt"), "Rieumes : le retour du marché de plein vent.\n")
    check("once back, its new file is found",
          wait_for(found("vent", os.path.join(other, "retour.txt"))))
    check("and what is no longer there is deleted, as a run would",
          wait_for(gone("mediatheque", os.path.join(other, "carbonne.txt"))))
    check("it says it walked it again", "second: back" in stderr_text(), stderr_text())

    # a bad file does not stop it
    write(os.path.join(docs, "casse.pdf"), "%PDF-1.4\nnot really a pdf\n")
    settled()
    check("a bad file does not stop the watch", watch.poll() is None)
    with open(os.path.join(work, "report.jsonl"), encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    check("the bad file has its --report line",
          any(x["path"].endswith("casse.pdf") and x["status"] in ("failed", "skipped")
              for x in lines), str(lines[-3:]))

    # SIGTERM: what was closed just before is committed; exit 0; lock free
    last = os.path.join(docs, "dernier.txt")
    write(last, "Le tout dernier fichier : ultimedepot.\n")
    watch.send_signal(signal.SIGTERM)
    try:
        rc = watch.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        rc = None
    check("SIGTERM: exit 0", rc == 0, f"rc={rc} {stderr_text()}")
    check("the file closed before SIGTERM is committed", found("ultimedepot", last)())
    p = subprocess.run([os.path.join(BUILD, "pvd-index"), "--db", db, "--quiet", docs],
                       capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    check("the lock is free afterwards", p.returncode in (0, 1), p.stderr)
finally:
    for proc in (watch, daemon):
        if proc and proc.poll() is None:
            proc.kill()
            proc.wait()
    errf.close()
    if pvdtest.failures:
        print(stderr_text())
    shutil.rmtree(work, ignore_errors=True)

pvdtest.finish("watch")
