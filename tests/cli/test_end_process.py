"""end_process: the `authflow` program ends without tearing down its heap, but after everything an ordinary
exit does first: running threads finish, atexit functions run, and buffered output is flushed."""

from __future__ import annotations

import subprocess
import sys

CHILD = """
import atexit, sys, threading
from harness.cli import end_process

def work():  # a thread still running when the command returns: it waits for the test to say go
    sys.stdin.readline()
    print("thread done", flush=True)

threading.Thread(target=work).start()
atexit.register(lambda: print("atexit ran"))
print("ready", flush=True)
sys.stdout.write("buffered tail")  # no newline, not flushed: the exit must flush it
end_process(3)
"""


def test_it_waits_for_threads_runs_atexit_flushes_and_keeps_the_exit_code() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline() == "ready\n"
    try:  # had it not waited for the thread, the child would be gone and this would fail, or be lost
        child.stdin.write("go\n")
        child.stdin.close()
    except BrokenPipeError:
        pass
    out = child.stdout.read()  # the rest (readline may have read ahead: it is in the same buffer)
    assert child.wait(timeout=120) == 3
    # the thread's print and the main thread's unflushed write may interleave in any order (print writes its text
    # and its newline separately): what matters is that all three arrived, once, and atexit ran last
    assert all(out.count(text) == 1 for text in ("thread done", "buffered tail", "atexit ran")), out
    assert out.rstrip("\n").endswith("atexit ran"), out
