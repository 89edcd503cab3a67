"""A long-lived Lambda-like runtime for one Python handler, run as a script (it imports nothing of the harness):

    python -I python_worker.py <handler file> <function>

One JSON request per line on stdin (``{"init": true}`` first: load the handler), one JSON reply per line on the
original stdout (the protocol's own copy of
it); the handler's ``print``, ``sys.stdout``/``sys.stderr`` writes and ``logging`` during a call are captured as
its logs. Request and reply are those of node_worker.mjs. The handler is called as Lambda's Python runtime calls
it, ``handler(event, context)``; an exception is a function error (errorType, errorMessage = its text), and
``sys.exit`` ends this process as it ends a Lambda runtime (the harness starts a new one for the next call).
"""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import os
import sys
import time
from typing import Any


class _Capture(io.TextIOBase):
    """A text stream that keeps what is written, as lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        pieces = (self._partial + str(text)).split("\n")
        self._partial = pieces.pop()
        self.lines.extend(pieces)
        return len(text)

    def take(self) -> list[str]:
        if self._partial:
            self.lines.append(self._partial)
            self._partial = ""
        taken, self.lines = self.lines, []
        return taken


class _Context:
    """What Lambda's Python runtime passes as ``context``."""

    def __init__(self, request: dict[str, Any]) -> None:
        self.function_name = request["functionName"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = request["functionArn"]
        self.memory_limit_in_mb = "128"
        self.aws_request_id = request["requestId"]
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "authflow-emulator"
        self._deadline = time.monotonic() + request["timeoutMs"] / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _load(path: str, function: str) -> Any:
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)  # the handler's folder is the task root: its siblings import
    name = os.path.splitext(os.path.basename(path))[0]
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - reported as Lambda reports an init error
        raise _Failure("Runtime.ImportModuleError", f"Unable to import module '{name}': {exc}") from None
    found = getattr(module, function, None)
    if not callable(found):
        raise _Failure("Runtime.HandlerNotFound", f"Handler '{function}' missing on module '{name}'")
    return found


class _Failure(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def main() -> None:
    path, function = sys.argv[1], sys.argv[2]
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever writes to fd 1 directly cannot corrupt the protocol
    capture = _Capture()
    sys.stdout = sys.stderr = capture
    # As on Lambda: the root logger writes to the function's log, at WARNING unless the handler lowers it.
    logging.basicConfig(stream=capture, level=logging.WARNING, format="[%(levelname)s] %(message)s", force=True)
    handler: Any = None

    def reply(message: dict[str, Any]) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    for line in sys.stdin:
        request = json.loads(line)
        capture.take()
        try:
            if handler is None:
                handler = _load(path, function)
            if request.get("init"):  # the module is loaded: Lambda's init phase
                reply({"ok": True, "result": None, "logs": capture.take()})
                continue
            result = handler(request["event"], _Context(request))
            try:
                text = json.dumps(result)
            except (TypeError, ValueError) as exc:
                raise _Failure("Runtime.MarshalError", f"Unable to marshal response: {exc}") from None
            reply({"ok": True, "result": json.loads(text), "logs": capture.take()})
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            reply({"ok": False, "exit": code, "logs": capture.take()})
            os._exit(code)
        except _Failure as exc:
            reply({"ok": False, "errorType": exc.error_type, "errorMessage": str(exc), "logs": capture.take()})
        except Exception as exc:  # noqa: BLE001 - any failure of the handler is a function error
            reply({"ok": False, "errorType": type(exc).__name__, "errorMessage": str(exc), "logs": capture.take()})


if __name__ == "__main__":
    main()
