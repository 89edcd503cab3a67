"""Allure, when it is recording: each scenario step becomes an allure step with its request and response
attached (redacted); tags become tags, refs links, the pool and backend parameters and labels.

allure is optional: without the `allure` package, or when allure-pytest is not writing results (no
`--alluredir`), every call is a cheap no-op (no JSON is built, nothing is redacted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from harness.report.redact import Redactor

try:
    import allure
    import allure_commons

    ALLURE_INSTALLED = True
except ImportError:  # allure is optional at run time: everything below becomes a no-op
    ALLURE_INSTALLED = False


def allure_active() -> bool:
    """Whether an allure listener is registered (allure-pytest registers one only with --alluredir)."""
    if not ALLURE_INSTALLED:
        return False
    return bool(allure_commons.plugin_manager.hook.start_step.get_hookimpls())


class AllureListener:
    """The engine's Listener for allure; one per scenario run (it owns that run's Redactor)."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.redactor = redactor or Redactor()

    def step(self, label: str) -> AbstractContextManager[Any]:
        if not allure_active():
            return nullcontext()
        return allure.step(self.redactor.redact_text(label))  # type: ignore[no-any-return]

    def attach_json(self, name: str, payload: Any) -> None:
        if not allure_active():
            return
        text = json.dumps(self.redactor.redact(payload), indent=2, ensure_ascii=False, default=str)
        allure.attach(text, name=name, attachment_type=allure.attachment_type.JSON)

    def label_scenario(
        self,
        title: str,
        description: str = "",
        tags: Iterable[str] = (),
        refs: Iterable[str] = (),
        pool: str = "",
        backend: str = "",
    ) -> None:
        """Title, description, tags, links and parameters of the running test (call it inside the test)."""
        if not allure_active():
            return
        text = self.redactor.redact_text
        allure.dynamic.title(text(f"{title} [{pool}]" if pool else title))
        if description:
            allure.dynamic.description(text(description))
        tags = [text(tag) for tag in tags]
        if tags:
            allure.dynamic.tag(*tags)
        for ref in refs:
            allure.dynamic.link(text(ref), name=text(ref))
        if pool:
            allure.dynamic.parameter("pool", pool)
            allure.dynamic.label("pool", pool)
        if backend:
            allure.dynamic.parameter("backend", backend)
            allure.dynamic.label("backend", backend)
