#!/usr/bin/env python3
"""on-tty.py CMD...: run CMD with its stdout and stderr on a new terminal
(stdin: /dev/null), copy all it wrote there to our stdout, and exit with its
status.  Unlike script(1), it reads the terminal until the program has
closed it, whatever the load, and needs no stdin of its own."""
import os
import pty
import subprocess
import sys
import time

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave,
                        stderr=slave, close_fds=True)
os.close(slave)
out = bytearray()
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: every writer closed the terminal
        break
    if not chunk:
        break
    out += chunk
os.close(master)
try:
    rc = proc.wait(timeout=max(1, deadline - time.monotonic()))
except subprocess.TimeoutExpired:
    proc.kill()
    rc = proc.wait()
    sys.stderr.write("on-tty.py: %s did not finish in 120 s\n" % sys.argv[1])
sys.stdout.buffer.write(bytes(out))
sys.exit(rc if rc >= 0 else 128 - rc)
