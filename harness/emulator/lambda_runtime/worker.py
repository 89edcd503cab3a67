"""The harness side of a handler's runtime: one long-lived subprocess per handler, JSON lines over pipes.

A worker is started on a handler's first call and reused for every later call (a warm Lambda execution
environment): module state survives between calls, as on Lambda. It is stopped when its function is closed, when
a call overruns its time (Lambda discards the environment too), and at interpreter exit; it also exits by itself
when its stdin closes, so a harness killed outright leaves no worker behind.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import functools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.emulator.lambda_runtime.spec import HandlerSpec

HERE = Path(__file__).resolve().parent
NODE_WORKER = HERE / "node_worker.mjs"
PYTHON_WORKER = HERE / "python_worker.py"
MIN_NODE_MAJOR = 18
NODE_MISSING = f"node not found: install Node.js {MIN_NODE_MAJOR}+"
STDERR_LINES_KEPT = 40
INIT_WAIT_S = 10.0
"""How long loading a handler may take: Lambda's limit for a function's init phase [Lambda developer guide,
"Lambda execution environment lifecycle": 10 seconds]."""

_EOF = object()
_live: weakref.WeakSet[Worker] = weakref.WeakSet()


class RuntimeMissing(RuntimeError):
    """The handler's language runtime is not installed (only Node.js can be missing)."""


@dataclass
class Reply:
    """One call's answer: ``ok`` with ``result``, or a function error (``error_type``, ``error_message``), or
    ``timed_out`` / ``exit_code`` when the runtime itself ended; ``logs`` in every case."""

    ok: bool
    result: Any = None
    error_type: str = ""
    error_message: str = ""
    timed_out: bool = False
    exit_code: int | None = None
    logs: list[str] = field(default_factory=list)


def node_executable() -> str | None:
    """The `node` on PATH, or None."""
    return shutil.which("node")


@functools.cache
def node_major(node: str) -> int | None:
    """The major version of a `node` executable (None when it does not answer `--version` as Node.js does)."""
    try:
        answer = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.match(r"v(\d+)\.", answer.stdout.strip())
    return int(found.group(1)) if found else None


def worker_command(spec: HandlerSpec) -> list[str]:
    """The command line of a handler's worker; RuntimeMissing when its runtime is not installed (for Node.js,
    18 or later: the oldest line Lambda still runs)."""
    if spec.runtime == "node":
        node = node_executable()
        if node is None:
            raise RuntimeMissing(NODE_MISSING)
        major = node_major(node)
        if major is None or major < MIN_NODE_MAJOR:
            found = f"v{major}" if major is not None else "of unknown version"
            raise RuntimeMissing(f"node {found} found at {node}: install Node.js {MIN_NODE_MAJOR}+")
        return [node, str(NODE_WORKER), str(spec.file), spec.function]
    return [sys.executable, "-I", "-B", str(PYTHON_WORKER), str(spec.file), spec.function]


def worker_environment(spec: HandlerSpec, function_name: str, region: str) -> dict[str, str]:
    """What the handler sees in its environment: Lambda's defined variables and the pool file's, nothing of the
    harness's own environment (its AWS credentials included) but PATH and the locale."""
    inherited = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT", "LANG") if name in os.environ}
    return {
        **inherited,
        "TZ": ":UTC",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_TIMEOUT": f"{spec.timeout_s:g}",
        "_HANDLER": spec.lambda_handler,
        "LAMBDA_TASK_ROOT": str(spec.file.parent),
        "PYTHONUNBUFFERED": "1",
        **spec.environment,
    }


class Worker:
    """One subprocess running one handler; one call at a time."""

    def __init__(self, command: list[str], environment: dict[str, str], cwd: Path) -> None:
        self._command = command
        self._environment = environment
        self._cwd = cwd
        self._process: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[Any] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_LINES_KEPT)
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._environment,
            cwd=self._cwd,
            start_new_session=True,  # Ctrl-C of the run reaches the harness, which stops its workers
        )
        self._replies = queue.Queue()
        self._stderr.clear()
        threading.Thread(target=self._read_replies, args=(process, self._replies), daemon=True).start()
        threading.Thread(target=self._read_stderr, args=(process,), daemon=True).start()
        self._process = process
        _live.add(self)
        return process

    @staticmethod
    def _read_replies(process: subprocess.Popen[bytes], replies: queue.Queue[Any]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                replies.put(json.loads(line))
            except ValueError:
                continue  # not a reply (the protocol has only JSON lines)
        replies.put(_EOF)

    def _read_stderr(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self._stderr.append(line.decode("utf-8", "replace").rstrip("\n"))

    def call(self, request: dict[str, Any], wait_s: float) -> Reply:
        """Send one request and wait up to ``wait_s`` for its reply; a worker that overruns is stopped. A new
        worker first loads the handler (Lambda's init phase, which has its own limit, INIT_WAIT_S), so starting
        a process and importing the handler never count against the function's timeout."""
        with self._lock:
            process = self._process if self._process is not None and self._process.poll() is None else None
            init_logs: list[str] = []
            if process is None:
                process = self._start()
                loaded = self._exchange(process, {"init": True}, INIT_WAIT_S)
                if not loaded.ok:
                    return loaded
                init_logs = loaded.logs
            reply = self._exchange(process, request, wait_s)
            reply.logs = init_logs + reply.logs
            return reply

    def _exchange(self, process: subprocess.Popen[bytes], request: dict[str, Any], wait_s: float) -> Reply:
        assert process.stdin is not None
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # it died starting up: the reply reader says so
        try:
            answer = self._replies.get(timeout=wait_s)
        except queue.Empty:
            self._stop(process)
            return Reply(ok=False, timed_out=True)
        if answer is _EOF:
            code = process.wait()
            return Reply(ok=False, exit_code=code, logs=list(self._stderr))
        logs = [str(line) for line in answer.get("logs", [])]
        if "exit" in answer:
            process.wait()
            return Reply(ok=False, exit_code=int(answer["exit"]), logs=logs)
        if answer.get("ok"):
            return Reply(ok=True, result=answer.get("result"), logs=logs)
        return Reply(
            ok=False,
            error_type=str(answer.get("errorType", "Error")),
            error_message=str(answer.get("errorMessage", "")),
            logs=logs,
        )

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._stop(self._process)
                self._process = None

    @staticmethod
    def _stop(process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


@atexit.register
def _stop_every_worker() -> None:
    """No worker outlives the harness, whatever forgot to close its functions."""
    for worker in list(_live):
        worker.close()
