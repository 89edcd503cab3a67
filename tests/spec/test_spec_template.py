"""``${{ ... }}`` templates: native values, interpolation, escapes, and the whitelist."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from harness.scenario.template import (
    TemplateError,
    TemplateFunction,
    is_template,
    names_used,
    parse_templates,
    render,
)

SCOPE: dict[str, Any] = {
    "username": "bob",
    "n": 5,
    "flag": False,
    "nothing": None,
    "signup": {"session": "S1", "codes": ["111", "222"]},
    "client": {"id": "abc123", "_hidden": "no"},
    "unique": TemplateFunction("unique", lambda prefix, sep="-": f"{prefix}{sep}1a2b"),
    "fail": TemplateFunction("fail", lambda: 1 / 0),
}


@pytest.mark.parametrize(
    "template,expected",
    [
        ("${{ n }}", 5),
        ("${{n}}", 5),
        ("${{ flag }}", False),
        ("${{ nothing }}", None),
        ("${{ signup }}", {"session": "S1", "codes": ["111", "222"]}),
        ("${{ signup.session }}", "S1"),
        ("${{ signup['session'] }}", "S1"),
        ("${{ signup.codes[1] }}", "222"),
        ("${{ signup.codes[-1] }}", "222"),
        ("${{ client.id }}", "abc123"),
        ("${{ unique('user') }}", "user-1a2b"),
        ("${{ unique('user', sep='_') }}", "user_1a2b"),
        ("${{ 42 }}", 42),
        ("${{ -1.5 }}", -1.5),
        ("${{ 'literal }} inside' }}", "literal }} inside"),
    ],
)
def test_a_whole_template_keeps_the_native_value(template: str, expected: Any) -> None:
    assert render(template, SCOPE) == expected


@pytest.mark.parametrize(
    "template,expected",
    [
        ("${{ username }}@example.com", "bob@example.com"),
        ("${{ n }}${{ n }}", "55"),
        ("n=${{ n }}, flag=${{ flag }}, none=${{ nothing }}", "n=5, flag=False, none=None"),
        (" ${{ n }}", " 5"),
        ("no templates here", "no templates here"),
        ("$${{ n }}", "${{ n }}"),
        ("cost: $5 and $${{ not a template }}", "cost: $5 and ${{ not a template }}"),
        ("{{ n }}", "{{ n }}"),
    ],
)
def test_interpolation_and_escapes(template: str, expected: str) -> None:
    assert render(template, SCOPE) == expected


def test_render_walks_mappings_and_lists_and_leaves_other_values() -> None:
    value = {"a": ["${{ n }}", {"b": "x${{ n }}"}], "c": 1.5, "${{ n }}": True}
    assert render(value, SCOPE) == {"a": [5, {"b": "x5"}], "c": 1.5, "${{ n }}": True}


@pytest.mark.parametrize(
    "template,message",
    [
        ("${{ usernme }}", "unknown variable 'usernme' (did you mean 'username'?)"),
        ("${{ zzz }}", "unknown variable 'zzz'"),
        ("${{ signup.sesion }}", "unknown key 'sesion' (did you mean 'session'?)"),
        ("${{ client.idd }}", "unknown key 'idd' (did you mean 'id'?)"),
        ("${{ uniqe('x') }}", "unknown function 'uniqe' (did you mean 'unique'?)"),
        ("${{ username() }}", "'username' is not a function (only built-ins can be called)"),
        ("${{ signup.codes[5] }}", "cannot take [5] of list: list index out of range"),
        ("${{ fail() }}", "fail(...) failed: division by zero"),
    ],
)
def test_evaluation_errors(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render(template, SCOPE)
    assert str(caught.value) == message


ALLOWED = "(a template holds names, dotted keys, [constant] subscripts, literals and calls of built-ins)"


@pytest.mark.parametrize(
    "template,what",
    [
        ("${{ a + b }}", "operator '+'"),
        ("${{ not a }}", "operator 'not'"),
        ("${{ a == b }}", "a comparison"),
        ("${{ a and b }}", "'and'/'or'"),
        ("${{ [x for x in y] }}", "a comprehension"),
        ("${{ lambda: 1 }}", "a lambda"),
        ("${{ a if b else c }}", "a conditional expression"),
        ("${{ [1, 2] }}", "a list literal"),
        ("${{ {'a': 1} }}", "a dict literal"),
        ("${{ f'{a}' }}", "an f-string"),
        ("${{ client.__class__ }}", "the attribute '__class__'"),
        ("${{ client._hidden }}", "the attribute '_hidden'"),
        ("${{ __import__('os') }}", "the name '__import__'"),
        ("${{ a[b] }}", "a subscript that is not a constant string or integer"),
        ("${{ a[1:2] }}", "a subscript that is not a constant string or integer"),
        ("${{ a.b() }}", "a call of anything but a function name"),
        ("${{ f(*a) }}", "'*' unpacking"),
        ("${{ f(**a) }}", "'**' unpacking"),
        ("${{ (x := 1) }}", "':='"),
        ("${{ b'x' }}", "the literal b'x'"),
    ],
)
def test_the_whitelist_names_the_rejected_construct(template: str, what: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_templates(template)
    assert str(caught.value) == f"{what} is not allowed in a template {ALLOWED}"


@pytest.mark.parametrize(
    "template,message",
    [
        ("${{ a", "'${{' at character 1 is never closed (end it with '}}')"),
        ("x ${{ 'a }}' ", "'${{' at character 3 is never closed (end it with '}}')"),
        ("${{ }}", "empty template (write a name or a call inside ${{ ... }})"),
        ("${{ a b }}", f"cannot parse 'a b': invalid syntax {ALLOWED}"),
    ],
)
def test_syntax_errors(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_templates(template)
    assert str(caught.value) == message


def test_parse_templates_and_names_used() -> None:
    value = {"a": "${{ unique(username) }}-${{ signup.session }}", "b": ["${{ n }}", "plain", 3]}
    trees = parse_templates(value)
    assert len(trees) == 3 and all(isinstance(t, ast.expr) for t in trees)
    assert names_used(value) == {"unique", "username", "signup", "n"}
    assert names_used(trees) == {"unique", "username", "signup", "n"}
    assert names_used(trees[0]) == {"unique", "username"}
    assert names_used("$${{ escaped }}") == set()


def test_is_template() -> None:
    assert is_template("${{ n }}")
    assert not is_template("x${{ n }}")
    assert not is_template("$${{ n }}")
    assert not is_template(5)
