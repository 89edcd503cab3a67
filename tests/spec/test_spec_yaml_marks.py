"""YAML with positions: marks of keys and items, and what PyYAML would let through silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scenario.errors import Problem, SpecError, SpecIssue, format_key_path
from harness.scenario.yaml_marks import Mark, load_yaml

FILE = Path("f.yaml")


def test_values_and_marks() -> None:
    doc = load_yaml("a: 1\nb:\n  - x\n  - {c: true, d: null}\ne: 2024-01-02\n", FILE)
    assert doc.value == {"a": 1, "b": ["x", {"c": True, "d": None}], "e": __import__("datetime").date(2024, 1, 2)}
    assert doc.marks.keys[("b",)] == Mark(2, 1)
    assert doc.marks.values[("b", 0)] == Mark(3, 5)
    assert doc.marks.keys[("b", 1, "d")] == Mark(4, 15)
    assert doc.marks.values[("b", 1, "d")] == Mark(4, 18)
    assert doc.marks.locate(("b", 1, "d", "missing", 3)) == Mark(4, 18)
    assert doc.marks.locate(("b", 1, "d"), on_key=True) == Mark(4, 15)
    assert doc.problems == ()


def test_keys_are_the_text_written() -> None:
    doc = load_yaml("yes: 1\n200: 2\n~: 3\n", FILE)
    assert doc.value == {"yes": 1, "200": 2, "~": 3}


def test_duplicate_keys_are_problems_at_the_second_key() -> None:
    doc = load_yaml("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", FILE)
    assert doc.value == {"a": 1, "b": {"c": 1}}
    assert sorted(str(doc.marks.issue(FILE, p)) for p in doc.problems) == [
        "f.yaml:4:3 b.c: duplicate key 'c' (first at 3:3)",
        "f.yaml:5:1 a: duplicate key 'a' (first at 1:1)",
    ]


def test_jinja_braces_get_a_hint() -> None:
    doc = load_yaml("a: {{ name }}\n", FILE)
    assert doc.value == {"a": "{{ name }}"}
    assert doc.problems == (
        Problem(("a",), "'{{ name }}' is read by YAML as a nested mapping", "templates are written ${{ ... }}"),
    )


def test_merge_keys_and_anchors() -> None:
    doc = load_yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nalias: *b\n", FILE)
    assert doc.value["use"] == {"x": 1, "y": 3}
    assert doc.value["alias"] == {"x": 1, "y": 2}
    assert doc.marks.keys[("use", "x")] == Mark(1, 11)  # where the merged key was written
    assert doc.problems == ()


@pytest.mark.parametrize(
    "text,problem",
    [
        ("a: &x [*x]\n", "an alias refers to a collection that contains it"),
        (
            "a: !!int abc\n",
            "cannot read 'abc' as 'tag:yaml.org,2002:int': invalid literal for int() with base 10: 'abc'",
        ),
        ("a: !Ref x\n", "unsupported YAML tag '!Ref'"),
        ("a: !Seq [x]\n", "unsupported YAML tag '!Seq'"),
        ("? [a]\n: b\n", "a mapping key must be a plain string, got a list"),
        ("a: " + "[" * 70 + "]" * 70 + "\n", "nested more than 64 levels deep"),
    ],
)
def test_values_yaml_would_build_badly_are_problems(text: str, problem: str) -> None:
    doc = load_yaml(text, FILE)
    assert problem in [p.message for p in doc.problems]


def test_alias_bombs_are_cut_short() -> None:
    text = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=True)
    )
    doc = load_yaml(text, FILE)
    assert "the document is too large (aliases expand too far)" in [p.message for p in doc.problems]


def test_syntax_error_is_a_spec_error_with_pyyaml_mark() -> None:
    with pytest.raises(SpecError) as caught:
        load_yaml("a: 'x\n", FILE)
    assert caught.value.issues == [
        SpecIssue(
            FILE,
            2,
            1,
            "<root>",
            "invalid YAML: found unexpected end of stream",
            "while scanning a quoted scalar started at 1:4",
        )
    ]


def test_empty_document() -> None:
    doc = load_yaml("# only a comment\n", FILE)
    assert doc.value is None


def test_issue_and_error_formatting() -> None:
    issue = SpecIssue(Path("s.yaml"), 3, 7, "steps[2].params.AuthFlow", "bad", "did you mean 'X'?")
    assert str(issue) == "s.yaml:3:7 steps[2].params.AuthFlow: bad (did you mean 'X'?)"
    plain = SpecIssue(Path("s.yaml"), 1, 1, "<root>", "bad")
    assert str(plain) == "s.yaml:1:1 <root>: bad"
    error = SpecError([issue, plain])
    assert str(error) == f"{issue}\n{plain}"
    assert error.issues == [issue, plain]


@pytest.mark.parametrize(
    "path,text",
    [
        ((), "<root>"),
        (("steps", 2, "params", "AuthFlow"), "steps[2].params.AuthFlow"),
        (("expect", "password-only"), "expect.password-only"),
        (("params", "custom:attr"), "params['custom:attr']"),
        ((0, "a"), "[0].a"),
    ],
)
def test_key_path_format(path: tuple[str | int, ...], text: str) -> None:
    assert format_key_path(path) == text
