"""The loader never lets anything but SpecError out, whatever the bytes of a scenario file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.engine.library import load_scenario
from harness.scenario.errors import SpecError

pytestmark = pytest.mark.slow  # generated inputs by the hundred: `pytest -m 'not slow'` skips them

REPO = Path(__file__).resolve().parents[2]
GOOD = (REPO / "scenarios" / "session-reuse.yaml").read_text()


def _load(tmp_path: Path, text: str) -> None:
    file = tmp_path / "fuzzed.yaml"
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_scenario(file)
    except SpecError as exc:
        assert exc.issues, "a SpecError must say what is wrong"
        for issue in exc.issues:
            assert issue.line >= 1 and issue.col >= 1 and issue.message


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The good file with a few characters inserted, deleted or replaced at random places."""
    text = GOOD
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(
            st.sampled_from(
                [":", "-", " ", "\n", "{", "}", "[", "]", "'", '"', "${{", "}}", "&a", "*a", "!tag", "\t", "x"]
            )
        )
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at + 1 :]
    return text


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(mutated())
def test_mutated_files(tmp_path: Path, text: str) -> None:
    _load(tmp_path, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_random_text(tmp_path: Path, text: str) -> None:
    _load(tmp_path, text)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["scenario", "steps", "pools", "vars", "tags", "refs", "client", "expect"]),
        yaml_values,
        max_size=5,
    )
)
def test_random_documents(tmp_path: Path, document: dict[str, object]) -> None:
    import yaml

    _load(tmp_path, yaml.safe_dump(document))
