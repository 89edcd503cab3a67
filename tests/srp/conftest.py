"""Fixtures for the SRP tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.cognito import srp


@pytest.fixture
def restore_backend() -> Iterator[None]:
    """Put the exponentiation backend back as it was (tests that switch it must not leak the switch)."""
    before = srp.BACKEND
    try:
        yield
    finally:
        srp.use_gmpy2(before == "gmpy2")
