"""gmpy2 and plain Python give the same numbers; the switch between them works and does not leak."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.cognito import srp
from tests.srp.helpers import FIXED_SALT, MOMENT, PASSWORD, POOL_ID, POOL_NAME, USER_ID, challenge, fixed_secret, verify

REPO = Path(__file__).resolve().parents[2]


def fixed_vector() -> dict[str, Any]:
    """Everything one sign-in computes, from fixed a, b, salt and clock."""
    salt, verifier = srp.make_verifier(POOL_NAME, USER_ID, PASSWORD, FIXED_SALT)
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD, clock=lambda: MOMENT, a=fixed_secret("a"))
    server = srp.SrpServerSession.start(verifier, salt, client.srp_a_hex, b=fixed_secret("b"))
    answer = client.respond(challenge(server))
    wrong = srp.SrpClient(POOL_ID, "ada", "Wrong-Horse-9!", clock=lambda: MOMENT, a=fixed_secret("a")).respond(
        challenge(server)
    )
    return {
        "verifier": verifier,
        "A": client.srp_a_hex,
        "B": server.srp_b_hex,
        "answer": answer,
        "verified": verify(server, answer),
        "wrong verified": verify(server, wrong),
        "powmod": srp.powmod(fixed_secret("base"), fixed_secret("exponent")),
    }


@pytest.mark.usefixtures("restore_backend")
def test_both_backends_give_identical_results() -> None:
    pytest.importorskip("gmpy2")
    results = {srp.use_gmpy2(enabled): fixed_vector() for enabled in (True, False)}
    assert set(results) == {"gmpy2", "python"}
    assert results["gmpy2"] == results["python"]
    assert results["python"]["verified"] is True and results["python"]["wrong verified"] is False


EXPONENTS = [0, 1, 2, 15, 16, 17, 255, 256, (1 << 1023), (1 << 1024) - 1, (1 << 1024), (1 << 2000) + 3] + [
    fixed_secret("e", index) >> shift for index in range(8) for shift in (0, 768)
]


@pytest.mark.usefixtures("restore_backend")
@pytest.mark.parametrize("enabled", [True, False])
def test_the_fixed_base_table_matches_pow(enabled: bool) -> None:
    if enabled:
        pytest.importorskip("gmpy2")
    srp.use_gmpy2(enabled)
    for exponent in EXPONENTS:
        assert srp.verifier_from_x(exponent) == pow(srp.G, exponent, srp.N), exponent


@pytest.mark.usefixtures("restore_backend")
def test_use_gmpy2_switches_the_arithmetic(monkeypatch: pytest.MonkeyPatch) -> None:
    gmpy2 = pytest.importorskip("gmpy2")

    def refuse(*args: object) -> None:
        raise AssertionError("gmpy2 was used")

    monkeypatch.setattr(gmpy2, "powmod", refuse)
    assert srp.use_gmpy2(False) == "python" == srp.BACKEND
    assert srp.powmod(3, 5, 7) == 5
    assert srp.use_gmpy2(True) == "gmpy2" == srp.BACKEND
    with pytest.raises(AssertionError, match="gmpy2 was used"):
        srp.powmod(3, 5, 7)


def _backend_in_a_fresh_interpreter(pure: str | None) -> str:
    env = {name: value for name, value in os.environ.items() if name != "AUTHFLOW_SRP_PURE"}
    if pure is not None:
        env["AUTHFLOW_SRP_PURE"] = pure
    code = "from harness.cognito import srp; print(srp.BACKEND)"
    run = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def test_the_environment_variable_forces_plain_python() -> None:
    assert _backend_in_a_fresh_interpreter("1") == "python"


def test_gmpy2_is_the_default_when_installed() -> None:
    pytest.importorskip("gmpy2")
    assert _backend_in_a_fresh_interpreter(None) == "gmpy2"
    assert _backend_in_a_fresh_interpreter("0") == "gmpy2"
