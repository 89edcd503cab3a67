"""Template functions and step kinds from installed packages (entry points), through the real CLI.

Each test installs a tiny distribution the way pip leaves one: a package and a ``.dist-info`` folder with
METADATA and entry_points.txt, on the path of an `authflow` subprocess (importlib.metadata finds it there).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

PACKAGE = '''\
"""acme's authflow plugin: a template function and a step kind."""

from typing import Any, ClassVar

from harness.cognito.outcome import Outcome
from harness.scenario.template import TemplateFunction
from harness.steps.kind import NAME_PROPERTY, RESULT_PROPERTIES, StepKind


def shout(text: str) -> str:
    return text.upper() + "!"


masked_length = TemplateFunction("masked_length", lambda value: len(value), takes_exposed=True)


class Echo(StepKind):
    key = "echo"
    summary = "echo (acme: answers with its input)"
    input_key = "echo"
    expect_keys = ("response",)
    schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["echo"],
        "properties": {"echo": {"type": "object"}, "name": NAME_PROPERTY, **RESULT_PROPERTIES},
        "additionalProperties": False,
    }

    def run(self, step: Any, ctx: Any, rendered: Any) -> Outcome:
        return Outcome(rendered, {"Echo": rendered})


KIND = Echo()
NOT_A_KIND = 42
'''

SCENARIO = """\
scenario: Uses acme's plugin
vars:
  loud: ${{ shout("hello") }}
  size: ${{ masked_length(env("HOME")) }}
steps:
  - echo: {said: "${{ loud }}", size: "${{ size }}"}
    expect: {response: {Echo: {said: HELLO!}}}
    save: {said: Echo.said}
"""


def install(site: Path, entry_points: str) -> None:
    (site / "acme_authflow").mkdir(parents=True)
    (site / "acme_authflow" / "__init__.py").write_text(PACKAGE)
    info = site / "acme_authflow-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-authflow\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))


def authflow(tmp_path: Path, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(site), str(REPO), os.environ.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True, cwd=tmp_path, timeout=180,
        env={**os.environ, "PYTHONPATH": path, "COLUMNS": "200"},
    )  # fmt: skip


@pytest.fixture
def library(tmp_path: Path) -> Path:
    scenarios = tmp_path / "scenarios"
    (scenarios / "pools").mkdir(parents=True)
    (scenarios / "pools" / "default.yaml").write_text("clients:\n  - name: web\n")
    (scenarios / "acme.yaml").write_text(SCENARIO)
    return scenarios


GOOD = """\
    [authflow.functions]
    shout = acme_authflow:shout
    masked_length = acme_authflow:masked_length

    [authflow.steps]
    echo = acme_authflow:KIND
"""


def test_a_plugin_function_and_step_kind_load_and_run(tmp_path: Path, library: Path) -> None:
    install(tmp_path / "site", GOOD)
    checked = authflow(tmp_path, tmp_path / "site", "validate", str(library))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = authflow(tmp_path, tmp_path / "site", "run", str(library), "--reports", str(tmp_path / "reports"))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "acme[default]" in ran.stdout
    schema = authflow(tmp_path, tmp_path / "site", "schema")
    assert '"echoStep"' in schema.stdout and "echo (acme: answers with its input)" in schema.stdout


def test_without_the_plugin_its_names_are_unknown_and_the_functions_listed(tmp_path: Path, library: Path) -> None:
    install(tmp_path / "site", "[authflow.functions]\nshout = acme_authflow:shout\n")
    (library / "acme.yaml").write_text(SCENARIO.replace("shout(", "shuot("))
    checked = authflow(tmp_path, tmp_path / "site", "validate", str(library))
    assert checked.returncode == 1
    assert "vars.loud: unknown function 'shuot' (did you mean 'shout'?)" in checked.stdout
    assert "steps[0].echo: unknown key 'echo'" in checked.stdout or "steps[0]: a step needs one of" in checked.stdout
    assert "unknown function 'masked_length' (the functions are" in checked.stdout
    assert "shout" in checked.stdout.split("unknown function 'masked_length'")[1]


def test_a_bad_plugin_is_a_located_issue_naming_the_package(tmp_path: Path, library: Path) -> None:
    install(
        tmp_path / "site",
        """\
        [authflow.functions]
        env = acme_authflow:shout
        missing = acme_missing:function
        number = acme_authflow:NOT_A_KIND

        [authflow.steps]
        call = acme_authflow:KIND
        other = acme_authflow:KIND
        notkind = acme_authflow:NOT_A_KIND
    """,
    )
    checked = authflow(tmp_path, tmp_path / "site", "validate", str(library))
    assert checked.returncode == 1
    entry_points = tmp_path / "site" / "acme_authflow-1.0.dist-info" / "entry_points.txt"
    lines = [line.replace(str(entry_points), "EP") for line in checked.stdout.splitlines() if str(entry_points) in line]
    assert lines == [
        "EP:7:1 authflow.steps.call: plugin acme-authflow 1.0 (call = acme_authflow:KIND): 'call' is already a built-in step kind",
        "EP:9:1 authflow.steps.notkind: plugin acme-authflow 1.0 (notkind = acme_authflow:NOT_A_KIND): acme_authflow:NOT_A_KIND is not a StepKind instance (got int); see harness/steps/kind.py",
        "EP:8:1 authflow.steps.other: plugin acme-authflow 1.0 (other = acme_authflow:KIND): its key is 'echo', but the entry point names it 'other': they must be equal",
        "EP:2:1 authflow.functions.env: plugin acme-authflow 1.0 (env = acme_authflow:shout): 'env' is already a built-in name",
        "EP:3:1 authflow.functions.missing: plugin acme-authflow 1.0 (missing = acme_missing:function): cannot load it: ModuleNotFoundError: No module named 'acme_missing'",
        "EP:4:1 authflow.functions.number: plugin acme-authflow 1.0 (number = acme_authflow:NOT_A_KIND): acme_authflow:NOT_A_KIND is not a function (got int)",
    ]
    ran = authflow(tmp_path, tmp_path / "site", "run", str(library), "--reports", str(tmp_path / "reports"))
    assert ran.returncode == 1 and "cannot load it: ModuleNotFoundError" in ran.stdout  # BROKEN, in every report


def test_a_plugin_function_name_is_taken_like_a_built_in(tmp_path: Path, library: Path) -> None:
    install(tmp_path / "site", GOOD)
    (library / "acme.yaml").write_text(SCENARIO.replace("  loud: ", "  shout: x\n  loud: "))
    checked = authflow(tmp_path, tmp_path / "site", "validate", str(library))
    assert checked.returncode == 1
    assert "vars.shout: 'shout' is a built-in name (choose another name)" in checked.stdout
