"""What the Python tests share (imported after sys.path gets tests/):
their checks and the closing count, polling with a deadline (nothing sleeps
a fixed time, nothing is timed), files written and read as UTF-8, and HTTP
on pvd-searchd's Unix socket."""
import http.client
import os
import socket
import sys
import time

DEADLINE = 60.0  # seconds: a busy 2-core machine under ASan
failures = []
passed = 0


def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
        print(f"ok   {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL: {name} {detail}", flush=True)


def wait_for(pred, deadline=DEADLINE):
    """pred()'s first true value, or its last one once deadline seconds
    have passed."""
    end = time.monotonic() + deadline
    while True:
        value = pred()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.05)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def finish(name):
    """The closing line, "NAME: N passed, M failed", and the exit status."""
    print(f"{name}: {passed} passed, {len(failures)} failed", flush=True)
    sys.exit(1 if failures else 0)


class UnixHTTP(http.client.HTTPConnection):
    """http.client on a Unix socket (pvd-searchd's)."""

    def __init__(self, path, timeout=DEADLINE):
        super().__init__("localhost", timeout=timeout)
        self.sock_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.sock_path)
