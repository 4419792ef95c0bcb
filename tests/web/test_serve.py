#!/usr/bin/env python3
"""scripts/serve.sh, the README's command that serves the sample corpus.

Usage: test_serve.py BUILD_DIR SOURCE_DIR

Runs serve.sh (--no-build, BUILD_DIR's programs, a free port, TMPDIR a
private folder) in a session of its own, waits for the address it prints,
fetches the page, a search and a document through it, then stops it as a
terminal's Ctrl-C does (SIGINT to its process group) and once more with
SIGTERM to the script alone: each time it must exit 0, leave no process and
no temporary file, and free the port.  Every wait is bounded.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pvdtest  # noqa: E402
from pvdtest import check  # noqa: E402

BUILD = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(sys.argv[2])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except Exception as e:  # noqa: BLE001 - any failure is "no answer"
        return 0, str(e).encode()


def session_gone(pgid):
    try:
        os.killpg(pgid, 0)
        return False
    except ProcessLookupError:
        return True


def run(how):
    tmp = tempfile.mkdtemp(prefix="pvd-serve-test-")
    port = free_port()
    base = "http://127.0.0.1:%d/" % port
    out = open(os.path.join(tmp, "out"), "w+")
    work = os.path.join(tmp, "work")
    os.mkdir(work)
    p = subprocess.Popen(["sh", os.path.join(SOURCE, "scripts", "serve.sh"), "--no-build",
                          "--build", BUILD, "--port", str(port)],
                         stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                         env=dict(os.environ, TMPDIR=work), start_new_session=True,
                         cwd=tmp)
    end = time.monotonic() + 60
    said = ""
    while time.monotonic() < end and p.poll() is None:
        out.seek(0)
        said = out.read()
        if base in said:
            break
        time.sleep(0.1)
    check("%s: serve.sh prints %s" % (how, base), base in said, said)
    st, body = fetch(base)
    check("%s: the page" % how, st == 200 and b'role="search"' in body, st)
    st, body = fetch(base + "api/search?q=ing%C3%A9nierie")
    m = re.search(rb'"url":"(/docs/[^"]+)"', body)
    check("%s: a search with urls" % how, st == 200 and m, body[:200])
    if m:
        st, doc = fetch(base + m.group(1).decode())
        check("%s: a document" % how, st == 200 and len(doc) > 0, st)
    if how == "Ctrl-C":
        os.killpg(p.pid, signal.SIGINT)
    else:
        p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        rc = p.wait()
    end = time.monotonic() + 10
    while time.monotonic() < end and not session_gone(p.pid):
        time.sleep(0.1)
    check("%s: exit 0" % how, rc == 0, rc)
    check("%s: nothing left running" % how, session_gone(p.pid))
    check("%s: temporary files removed" % how, os.listdir(work) == [], os.listdir(work))
    check("%s: the port is free" % how, fetch(base)[0] == 0)
    if not session_gone(p.pid):
        os.killpg(p.pid, signal.SIGKILL)
    out.close()
    subprocess.run(["rm", "-rf", tmp], check=False)


run("Ctrl-C")
run("SIGTERM")
pvdtest.finish("serve")
