#!/usr/bin/env python3
"""pvd-index --watch when inotify cannot tell everything (issue 13):

- the kernel's watch limit reached: the watcher says so once, with the
  sysctl to raise it, keeps following what it could watch, and walks again
  every 60 s what it could not (a file dropped in an unwatched folder is
  found, and so is one dropped after that walk: the walks go on);
- the kernel's event queue overflowing (IN_Q_OVERFLOW): it says so and
  walks every PATH again, so that a file whose events the kernel dropped
  is found all the same.

Usage: test_watch_limits.py BUILD_DIR

The limit is set in a user namespace of its own (unshare -Ur, then
/proc/sys/user/max_inotify_watches, which only that namespace sees): the
machine's limit is never touched.  Where user namespaces are not allowed,
that part says why it is skipped.  The overflow is made for real: the
watcher is stopped (SIGSTOP) while more changes than the kernel's queue
holds (fs.inotify.max_queued_events) are made, then continued.  Every wait
polls with a deadline; nothing sleeps a fixed time, nothing is timed.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pvdtest  # noqa: E402
from pvdtest import DEADLINE, check, read, wait_for, write  # noqa: E402


BUILD = os.path.abspath(sys.argv[1])
RESCAN = 60.0    # the watcher's walk of what it cannot watch (watch.c RESCAN_S)
LIMIT = 4        # inotify watches in the namespace
env = dict(os.environ, LC_ALL="C.UTF-8")
env.pop("PVD_DB", None)


def search(db, word):
    p = subprocess.run([os.path.join(BUILD, "pvd-search"), "--db", db, "-n", "1000",
                        "--json", word], capture_output=True, text=True, env=env,
                       stdin=subprocess.DEVNULL)
    if p.returncode not in (0, 1):
        return []
    return [h["path"] for h in json.loads(p.stdout)["hits"]]


def found(db, word, path):
    return lambda: os.path.realpath(path) in search(db, word)


def stop(watch, errpath, what):
    if watch.poll() is None:
        watch.send_signal(signal.SIGTERM)
        try:
            rc = watch.wait(timeout=120)
        except subprocess.TimeoutExpired:
            watch.kill()
            rc = watch.wait()
        check(f"{what}: SIGTERM, exit 0", rc == 0, f"rc={rc} {read(errpath)[-2000:]}")
    else:
        check(f"{what}: the watcher ran until SIGTERM", False,
              f"rc={watch.returncode} {read(errpath)[-2000:]}")
    text = read(errpath)
    check(f"{what}: no sanitizer report",
          not any(m in text for m in ("Sanitizer", "runtime error")), text[-3000:])


def userns_limit_works():
    """Why the limit cannot be set in a namespace of its own, or None."""
    if not shutil.which("unshare"):
        return "no unshare(1)"
    p = subprocess.run(["unshare", "-Ur", "sh", "-c",
                        f"echo {LIMIT} > /proc/sys/user/max_inotify_watches && "
                        "cat /proc/sys/user/max_inotify_watches"],
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0 or p.stdout.strip() != str(LIMIT):
        return f"user namespaces or their inotify limit are not available here: {p.stderr.strip()}"
    return None


def watch_limit(work):
    why = userns_limit_works()
    if why:
        print(f"SKIP the watch limit: {why}", flush=True)
        return
    docs = os.path.join(work, "limite")
    db = os.path.join(work, "index-limite")
    errpath = os.path.join(work, "limite.err")
    # the PATH and 8 folders: 9 to watch, LIMIT allowed
    for i in range(8):
        write(os.path.join(docs, f"dossier{i}", "note.txt"), f"Note {i} du dossier.\n")
    write(os.path.join(docs, "depart.txt"), "Fichier de départ pontvieux.\n")
    errf = open(errpath, "w")
    watch = subprocess.Popen(
        ["unshare", "-Ur", "sh", "-c",
         f'echo {LIMIT} > /proc/sys/user/max_inotify_watches && exec "$0" "$@"',
         os.path.join(BUILD, "pvd-index"), "--db", db, "--watch", docs],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf, env=env)
    errf.close()
    try:
        check("limit: the watcher starts",
              wait_for(lambda: "watching" in read(errpath)), read(errpath))
        text = read(errpath)
        lines = [ln for ln in text.splitlines() if "cannot watch this folder" in ln]
        check("limit: said once", len(lines) == 1, text)
        line = lines[0] if lines else ""
        check("limit: with the limit and the sysctl to raise it",
              f"max_user_watches = {LIMIT})" in line and
              "sysctl fs.inotify.max_user_watches=" in line and "every 60 s" in line, line)
        # the folder it names is not watched; the PATH itself is
        unwatched = line.split(": cannot watch")[0].split("pvd-index: ", 1)[-1]
        check("limit: it names a folder of the PATH",
              unwatched.startswith(os.path.realpath(docs) + "/dossier"), line)
        fresh = os.path.join(docs, "nouveau.txt")
        write(fresh, "Un nouveau fichier lavoirneuf.\n")
        check("limit: a file in a watched folder is found",
              wait_for(found(db, "lavoirneuf", fresh)), read(errpath))
        if unwatched.startswith(docs):
            first = os.path.join(unwatched, "premier.txt")
            write(first, "Premier dépôt moulinbas.\n")
            check("limit: a file in an unwatched folder is found by the walk",
                  wait_for(found(db, "moulinbas", first), RESCAN + DEADLINE), read(errpath))
            second = os.path.join(unwatched, "second.txt")
            write(second, "Second dépôt moulinhaut.\n")
            check("limit: and one dropped after that walk, by the next one",
                  wait_for(found(db, "moulinhaut", second), RESCAN + DEADLINE),
                  read(errpath))
            text = read(errpath)
            check("limit: still said once",
                  text.count("cannot watch this folder") == 1, text)
    finally:
        stop(watch, errpath, "limit")


def queue_overflow(work):
    with open("/proc/sys/fs/inotify/max_queued_events") as f:
        queued = int(f.read())
    if queued > 200000:
        print(f"SKIP the queue overflow: fs.inotify.max_queued_events is {queued}, "
              "too many changes to make", flush=True)
        return
    docs = os.path.join(work, "flot")
    db = os.path.join(work, "index-flot")
    errpath = os.path.join(work, "flot.err")
    write(os.path.join(docs, "depart.txt"), "Fichier de départ pontneuf.\n")
    errf = open(errpath, "w")
    watch = subprocess.Popen([os.path.join(BUILD, "pvd-index"), "--db", db, "--watch", docs],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=errf, env=env)
    errf.close()
    try:
        check("overflow: the watcher starts",
              wait_for(lambda: "watching" in read(errpath)), read(errpath))
        watch.send_signal(signal.SIGSTOP)
        try:
            # one close-after-writing event each, two files in turn (the
            # kernel merges an event equal to the one before it)
            pair = [os.path.join(docs, "a.txt"), os.path.join(docs, "b.txt")]
            for i in range(queued + 64):
                open(pair[i % 2], "w").close()
            # the queue is full: the kernel drops this file's events
            lost = os.path.join(docs, "perdu.txt")
            write(lost, "Un fichier dont les événements sont perdus gueoubli.\n")
        finally:
            watch.send_signal(signal.SIGCONT)
        check("overflow: the watcher says the queue overflowed",
              wait_for(lambda: "too many changes at once" in read(errpath)), read(errpath))
        check("overflow: the file whose events were dropped is found by the walk",
              wait_for(found(db, "gueoubli", lost)), read(errpath))
    finally:
        stop(watch, errpath, "overflow")


work = tempfile.mkdtemp(prefix="pvd-watch-limits-")
try:
    queue_overflow(work)
    watch_limit(work)
finally:
    shutil.rmtree(work, ignore_errors=True)
pvdtest.finish("watch_limits")
