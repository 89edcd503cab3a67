"""Templates are data only: no way from a value to Python objects, and env() values shown nowhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.exposed import ExposedValue, expose
from harness.report.redact import Redactor
from harness.scenario.template import TemplateError, TemplateFunction, parse_expression, render

SCOPE: dict[str, Any] = {
    "username": "bob",
    "pool": {"id": "us-east-1_abc", "name": "p"},
    "codes": ["111", "222"],
    "method": "abc".upper,  # a callable smuggled in as a value
    "unique": TemplateFunction("unique", lambda prefix: f"{prefix}-1a2b"),
    "digest": TemplateFunction("digest", lambda value: str(len(value)), takes_exposed=True),
}


@pytest.mark.parametrize(
    "template",
    [
        "${{ 'x'.format }}",  # the reported ladder: a constant's bound method ...
        "${{ username.format }}",  # ... or a variable's
        "${{ username.upper }}",
        "${{ codes.copy }}",
        "${{ pool.id.format }}",
        "${{ unique }}",  # a function as a value could be passed on and called elsewhere
        "${{ method }}",
        "${{ method() }}",
        "${{ username() }}",
    ],
)
def test_no_attribute_or_method_of_a_value_is_reachable(template: str) -> None:
    with pytest.raises(TemplateError):
        render(template, SCOPE)


@pytest.mark.parametrize(
    "source",
    ["username.__class__", "pool.__init__", "x._private", "__import__('os')", "'{0}'.format(pool)", "env(username)"],
)
def test_the_loader_refuses_the_rest_before_anything_runs(source: str) -> None:
    with pytest.raises(TemplateError):
        parse_expression(source)


def test_keys_of_mappings_still_read_with_a_dot() -> None:
    assert render("${{ pool.id }}/${{ codes[1] }}", SCOPE) == "us-east-1_abc/222"


def test_env_values_cannot_be_sliced_or_echoed_by_a_builtin() -> None:
    scope = {**SCOPE, "token": expose("Sandbox-Env-Value-1")}
    with pytest.raises(TemplateError, match="cannot be sliced"):
        render("${{ token[0] }}", scope)
    with pytest.raises(TemplateError, match="cannot take an env"):
        render("${{ unique(token) }}", scope)
    assert render("${{ digest(token) }}", scope) == "19"  # a built-in that shows nothing of it may take it


def test_a_string_built_around_an_env_value_is_exposed_whole() -> None:
    scope = {**SCOPE, "short": expose("Qz7")}
    built = render("user-${{ short }}-x", scope)
    assert isinstance(built, ExposedValue)
    redactor = Redactor()
    assert redactor.redact({"Username": built, "Other": "Qz7"}) == {
        "Username": "‹redacted:env›",
        "Other": "‹redacted:env›",
    }


def test_env_values_are_masked_inside_text_by_every_redactor() -> None:
    before = Redactor()  # made before the value was read: it still learns it
    expose("Sandbox-Env-Long-Value")
    assert before.redact_text("error: Sandbox-Env-Long-Value!") == "error: ‹redacted:env›!"
    expose("Kq3w")  # four characters: searched inside text too
    assert Redactor().redact_text("a Kq3w b") == "a ‹redacted:env› b"


ENV_SCENARIO = """\
scenario: Environment values never show
vars:
  name: ${{ env("AUTHFLOW_CANARY_NAME") }}
  short: ${{ env("AUTHFLOW_CANARY_SHORT") }}
steps:
  - call: AdminCreateUser
    params: {Username: "${{ name }}", MessageAction: SUPPRESS}
  - call: AdminGetUser
    params: {Username: "u-${{ short }}"}
    expect: {error: UserNotFoundException}
  - call: AdminGetUser
    params: {Username: "${{ name }}"}
    expect: {response: {Username: "someone else"}}
"""

# The reported escape: a constant's str.format, kept in a variable, formats a built-in function's globals.
HOSTILE_SCENARIO = """\
scenario: Climbs out of the sandbox
vars:
  fmt: ${{ '{0.__globals__[os].environ[AWS_SECRET_ACCESS_KEY]}'.format }}
  leak: ${{ fmt }}  # calling it, fmt(unique), is refused when the file is loaded: a variable is never callable
steps:
  - call: AdminGetUser
    params: {Username: "${{ leak }}"}
"""

CANARIES = {
    "AUTHFLOW_CANARY_NAME": "canary-user-Zx81",
    "AUTHFLOW_CANARY_SHORT": "Qz7",
    "AWS_SECRET_ACCESS_KEY": "Canary/Secret+Key/NeverRead",
}


def _run(tmp_path: Path, scenario: str) -> tuple[subprocess.CompletedProcess[str], list[bytes]]:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text("clients:\n  - name: web\n")
    (scenarios / "scenario.yaml").write_text(scenario)
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "run", str(scenarios), "--reports", str(tmp_path / "reports")],
        capture_output=True, text=True, cwd=tmp_path, timeout=180, env={**os.environ, **CANARIES, "COLUMNS": "200"},
    )  # fmt: skip
    written = [path.read_bytes() for path in (tmp_path / "reports").rglob("*") if path.is_file()]
    return done, written


def _assert_no_canary(done: subprocess.CompletedProcess[str], written: list[bytes]) -> None:
    assert len(written) > 4, done.stdout + done.stderr  # the report set was written
    for value in CANARIES.values():
        assert value not in done.stdout + done.stderr
        assert not any(value.encode() in text for text in written), value


def test_a_scenario_cannot_climb_from_a_value_to_the_environment(tmp_path: Path) -> None:
    done, written = _run(tmp_path, HOSTILE_SCENARIO)
    assert done.returncode == 1, done.stdout + done.stderr  # broken, with the reason
    assert "cannot read .format of a str" in done.stdout
    _assert_no_canary(done, written)


def test_env_values_show_nowhere_in_a_run(tmp_path: Path) -> None:
    done, written = _run(tmp_path, ENV_SCENARIO)
    assert done.returncode == 1, done.stdout + done.stderr  # the wrong expectation fails, showing both sides
    assert "scenario[default]" in done.stdout and "‹redacted:env›" in done.stdout
    _assert_no_canary(done, written)
