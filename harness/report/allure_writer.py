"""allure-pytest's results, written on a thread of their own while the scenarios run (issue 18).

allure-pytest hands each finished test, fixture container and attachment to whatever loggers are registered
with allure's plugin manager, through its "developer hooks" (`report_result`, `report_container`,
`report_attached_data`, `report_attached_file`, `report_globals`; allure_commons/_hooks.py). Its own file logger
writes each on the thread running the tests: a file created, written and renamed, the JSON made by json's
pure-Python encoder. On a disk where creating a file costs up to a millisecond that is a fifth of a scenario,
and plain boto3 writes nothing.

`AllureResultsWriter` takes that logger's place while a run writes into its report set's fresh generation:

- each item becomes its bytes where it is handed over (the same JSON allure's logger writes: the attrs fields
  that are set, or False; indented when ALLURE_INDENT_OUTPUT is set), so what is written is what was reported;
- one thread writes them, each straight under its final name: the generation is read by nobody until the whole
  report set is switched in, so no temporary name is needed;
- the run waits for the thread (`close`) before its reports are written; a file that could not be written
  fails the run with the file and the reason, and the previous report set stays.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import allure_commons
import attr
from allure_commons.logger import AllureFileLogger


class AllureResultsUnwritten(OSError):
    """allure's results could not all be written; the run's reports are not switched in."""


_DONE = None  # the queue's last item: everything before it is written


class AllureResultsWriter:
    """An allure logger (see the module docstring) writing into `directory`, which must exist."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._indent = 4 if os.environ.get("ALLURE_INDENT_OUTPUT") else None  # as allure's own logger reads it
        self._queue: queue.SimpleQueue[tuple[str, bytes] | None] = queue.SimpleQueue()
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._write_all, name="authflow-allure-writer", daemon=True)
        self._thread.start()

    @allure_commons.hookimpl
    def report_result(self, result: Any) -> None:
        self._put_item(result)

    @allure_commons.hookimpl
    def report_container(self, container: Any) -> None:
        self._put_item(container)

    @allure_commons.hookimpl
    def report_globals(self, globals_item: Any) -> None:
        self._put_item(globals_item)

    @allure_commons.hookimpl
    def report_attached_data(self, body: str | bytes, file_name: str) -> None:
        self._put(file_name, body.encode("utf-8") if isinstance(body, str) else body)

    @allure_commons.hookimpl
    def report_attached_file(self, source: str | os.PathLike[str], file_name: str) -> None:
        self._put(file_name, Path(source).read_bytes())  # read now: the source may change or go before the write

    def close(self) -> None:
        """Wait until everything handed over is written; raise AllureResultsUnwritten if anything was not."""
        self.stop()
        if self._failure is not None:
            raise AllureResultsUnwritten(self._failure)

    def stop(self) -> None:
        """Wait until everything handed over is written (what comes later is written where it is handed over)."""
        if self._thread.is_alive():
            self._queue.put(_DONE)
            self._thread.join()

    def _put_item(self, item: Any) -> None:
        data = attr.asdict(item, filter=lambda _, value: bool(value) or value is False)
        text = json.dumps(data, indent=self._indent, ensure_ascii=False)
        self._put(item.file_pattern.format(prefix=uuid.uuid4()), text.encode("utf-8"))

    def _put(self, file_name: str, body: bytes) -> None:
        if not self._thread.is_alive():  # closed: written where it is handed over, as allure's logger would
            self._write(file_name, body)
            return
        self._queue.put((file_name, body))

    def _write_all(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            self._write(*item)

    def _write(self, file_name: str, body: bytes) -> None:
        if self._failure is not None:
            return  # the first failure is the one reported; the run's reports will not be switched in
        try:
            (self.directory / file_name).write_bytes(body)
        except Exception as exc:  # noqa: BLE001 - whatever it is, the thread goes on and the run is told
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
            self._failure = f"allure results could not be written to {self.directory}: {file_name}: {reason}"


def write_in_background(directory: Path) -> tuple[AllureResultsWriter, Callable[[], None]] | None:
    """Put an `AllureResultsWriter` for `directory` in the place of allure-pytest's file logger; return it with
    the function that puts the file logger back (after closing the writer), or None when no file logger is
    registered (allure not recording) or more than one is (someone else's arrangement, left alone).

    The file logger goes back under its own name before allure-pytest's clean-up runs, which unregisters it
    by that name."""
    manager = allure_commons.plugin_manager
    loggers = [plugin for plugin in manager.get_plugins() if isinstance(plugin, AllureFileLogger)]
    if len(loggers) != 1:
        return None
    (logger,) = loggers
    name = manager.get_name(logger)
    manager.unregister(logger)
    writer = AllureResultsWriter(directory)
    manager.register(writer)

    def restore() -> None:
        try:
            writer.stop()  # a failure was raised by the run's close(), or the run never got there
        finally:
            manager.unregister(writer)
            manager.register(logger, name)

    return writer, restore
