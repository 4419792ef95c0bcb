"""What the --watch tests share (test_watch.py, test_watch_limits.py):
their checks, polling with a deadline (nothing sleeps a fixed time, nothing
is timed), and files written and read as UTF-8."""
import os
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
