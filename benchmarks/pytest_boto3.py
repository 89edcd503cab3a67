"""The stack's floor for bench_process.py: the calls of plain_boto3.py as N pytest test functions (one per copy),
run by pytest with allure-pytest writing its results, and nothing of authflow's (no scenario files, no checks, no
redaction, no reports of its own).

A team that wrote its flows by hand as pytest tests with allure reports would pay about this. `authflow run`
is built on the same two packages, so the ratio of this run to plain_boto3.py is the part of the target that
pytest and allure-pytest take before authflow does anything. bench_process.py runs it with plugin autoload off
(only allure-pytest, not whatever else the environment installs), without conftest files or the repository's
configuration, and with pytest's own plugins left out as `authflow run` leaves them out (but python and
terminal, which test functions and the checked "N passed" line need):

    PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 python -m pytest -q -p allure_pytest.plugin --alluredir DIR \
        -p no:doctest ... --noconftest -c EMPTY_INI --rootdir DIR benchmarks/pytest_boto3.py

The number of tests is $AUTHFLOW_BENCH_COPIES (default 100).
"""

from __future__ import annotations

import os

import pytest
from plain_boto3 import one_flow  # beside this file: pytest puts a test file's folder on sys.path

from harness.emulator import Emulator

COPIES = int(os.environ.get("AUTHFLOW_BENCH_COPIES", "100"))

_emulator = Emulator()
_cognito = _emulator.client()


@pytest.mark.parametrize("index", range(COPIES))
def test_flow(index: int) -> None:
    one_flow(_emulator, _cognito, index)
