"""Allure reporting: when allure-pytest records results (`--alluredir`), each scenario step becomes an allure
step (context-manager form) with its request and response attached, redacted; tags become labels, refs links,
the pool a parameter. Without `--alluredir` allure's hooks have no listener and the calls cost next to nothing."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

import allure

from harness.report.redact import Redactor


class AllureListener:
    """The engine's Listener for allure; one per scenario run (it owns that run's Redactor)."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self.redactor = redactor or Redactor()

    def step(self, label: str) -> AbstractContextManager[Any]:
        return allure.step(label)  # type: ignore[no-any-return]

    def attach_json(self, name: str, payload: Any) -> None:
        text = json.dumps(self.redactor.redact(payload), indent=2, ensure_ascii=False, default=str)
        allure.attach(text, name=name, attachment_type=allure.attachment_type.JSON)

    def label_scenario(
        self, title: str, description: str, tags: Iterable[str], refs: Iterable[str], pool: str, backend: str
    ) -> None:
        allure.dynamic.title(f"{title} [{pool}]")
        if description:
            allure.dynamic.description(description)
        tags = list(tags)
        if tags:
            allure.dynamic.tag(*tags)
        for ref in refs:
            allure.dynamic.link(ref, name=ref)
        allure.dynamic.parameter("pool", pool)
        allure.dynamic.parameter("backend", backend)
