"""``${{ expression }}`` templates: a tiny, safe expression language for values known only at run time.

Expressions are parsed with :mod:`ast` (eval mode) and evaluated by a whitelist interpreter over *data*:
names, ``x.key`` (a key of a mapping, never an attribute of an object), subscripts with constant keys of
mappings, lists and strings, literals, and calls of the built-in functions the runner registers as
:class:`TemplateFunction`. Nothing else is callable and no attribute of any Python object is reachable, so a
hostile scenario cannot climb from a value to its class, module globals or ``os.environ`` (a string's
``.format`` was such a ladder). Operators, comprehensions, lambdas and ``_`` names are rejected when the file
is loaded. ``$${{`` writes a literal ``${{``.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from inspect import Parameter, Signature
from typing import Any

from harness.errors import AuthflowError
from harness.exposed import ExposedValue, expose
from harness.scenario.entry_points import entry_points
from harness.scenario.wording import did_you_mean

OPEN = "${{"
CLOSE = "}}"
ESCAPED_OPEN = "$${{"

BUILTIN_VALUES = frozenset({"pool", "client"})
"""Values the runner puts in every scope: the provisioned pool and the current app client."""


def _parameters(*required: str, optional: tuple[str, ...] = (), keyword_only: tuple[str, ...] = ()) -> Signature:
    """A built-in's parameters as the loader checks a call against them (names and kinds; no types)."""
    return Signature(
        [
            *(Parameter(name, Parameter.POSITIONAL_OR_KEYWORD) for name in required),
            *(Parameter(name, Parameter.POSITIONAL_OR_KEYWORD, default=None) for name in optional),
            *(Parameter(name, Parameter.KEYWORD_ONLY, default=None) for name in keyword_only),
        ]
    )


OWN_FUNCTION_PARAMETERS: dict[str, Signature] = {
    "unique": _parameters(optional=("prefix",)),
    "secret_hash": _parameters("username", optional=("secret",)),
    "totp": _parameters("secret"),
    "outbox_code": _parameters("destination"),
    "outbox_link": _parameters("destination"),
    "passkey_create": _parameters("options"),
    "passkey_get": _parameters("options"),
    "env": _parameters("name"),
    "sensitive": _parameters("value", keyword_only=("nested",)),
    "issuer": _parameters(),
}
"""The harness's own functions (harness/steps/builtins.py) and their parameters, so a call with the wrong
arguments is reported when the file loads, not when the step runs. A new function must be added here, or load-time
checks report it as unknown (tests/scenario check that these match the functions themselves)."""
OWN_FUNCTIONS = frozenset(OWN_FUNCTION_PARAMETERS)

FUNCTIONS_GROUP = "authflow.functions"
"""The entry-point group of plugin template functions (loaded and checked by harness/steps/plugins.py)."""
PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
"""A plugin function's or step kind's name: a lower-case identifier (a template calls it, a YAML key names it)."""


def is_plugin_name(name: str) -> bool:
    return bool(PLUGIN_NAME.match(name)) and not keyword.iskeyword(name)


def _plugin_function_names() -> frozenset[str]:
    """The names installed packages declare as template functions, read from the installation (not imported:
    harness/steps/plugins.py does that and reports a plugin that cannot be used), so every load-time check
    knows them as it knows the built-ins."""
    names = {entry.name for entry in entry_points(FUNCTIONS_GROUP)}
    return frozenset(name for name in names if is_plugin_name(name) and name not in BUILTIN_VALUES | OWN_FUNCTIONS)


BUILTIN_FUNCTIONS = OWN_FUNCTIONS | _plugin_function_names()
"""Functions the runner puts in every scope: the harness's own and those installed plugins add."""
BUILTIN_NAMES = BUILTIN_VALUES | BUILTIN_FUNCTIONS
"""Names the runner puts in every scope (see docs/scenario-language.md); vars may not shadow them."""

ALLOWED = "a template holds names, dotted keys, [constant] subscripts, literals and calls of built-ins"

CONSTANT_ARGUMENT_FUNCTIONS = frozenset({"env"})
"""Built-ins whose first argument must be a string literal, so a reader (and the loader) sees what they read."""


@dataclass(frozen=True)
class TemplateFunction:
    """A built-in a template may call: the only callable an expression can reach.

    Values in the scope are data; wrapping the runner's functions marks the few that may be called, so a
    bound method or a function smuggled in as a value is never invoked.
    """

    name: str
    function: Callable[..., Any]
    takes_exposed: bool = False  # may receive an env() value: it returns no part of it (a hash, a TOTP code)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)


class TemplateError(AuthflowError):
    """A template that cannot be parsed or evaluated; ``source`` is the template text when known."""

    def __init__(self, message: str, hint: str = "", source: str = "") -> None:
        self.message = message
        self.hint = hint
        self.source = source
        super().__init__(f"{message} ({hint})" if hint else message)


@dataclass(frozen=True)
class Expr:
    """One ``${{ ... }}`` of a string: its source text (without the braces) and parsed tree."""

    source: str
    tree: ast.expr


Segment = str | Expr


def _find_close(text: str, start: int) -> int:
    """Index of the ``}}`` closing a template body starting at ``start``, skipping quoted strings."""
    quote = ""
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif text.startswith(CLOSE, i):
            return i
        i += 1
    return -1


@lru_cache(maxsize=8192)
def parse_string(text: str) -> tuple[Segment, ...]:
    """Split a string into literal text and parsed expressions; raises :class:`TemplateError`."""
    segments: list[Segment] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(ESCAPED_OPEN, i):
            literal.append(OPEN)
            i += len(ESCAPED_OPEN)
            continue
        if text.startswith(OPEN, i):
            end = _find_close(text, i + len(OPEN))
            if end < 0:
                raise TemplateError(f"'{OPEN}' at character {i + 1} is never closed", "end it with '}}'", text[i:])
            source = text[i + len(OPEN) : end].strip()
            if literal:
                segments.append("".join(literal))
                literal = []
            segments.append(Expr(source, parse_expression(source)))
            i = end + len(CLOSE)
            continue
        literal.append(text[i])
        i += 1
    if literal:
        segments.append("".join(literal))
    return tuple(segments)


def parse_expression(source: str) -> ast.expr:
    """Parse and whitelist-check one expression (the text between the braces)."""
    if not source:
        raise TemplateError("empty template", "write a name or a call inside ${{ ... }}", source)
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        raise TemplateError(f"cannot parse {source!r}: {exc.msg}", ALLOWED, source) from None
    _check_node(tree, source)
    return tree


_CONSTRUCTS: dict[type[ast.AST], str] = {
    ast.BoolOp: "'and'/'or'",
    ast.Compare: "a comparison",
    ast.Lambda: "a lambda",
    ast.IfExp: "a conditional expression",
    ast.Dict: "a dict literal",
    ast.Set: "a set literal",
    ast.List: "a list literal",
    ast.Tuple: "a tuple",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "':='",
    ast.Starred: "'*' unpacking",
    ast.Slice: "a slice",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
}


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        return f"operator {_OPERATORS.get(type(node.op), type(node.op).__name__)!r}"
    return _CONSTRUCTS.get(type(node), type(node).__name__)


_OPERATORS: dict[type[ast.AST], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.LShift: "<<", ast.RShift: ">>", ast.USub: "-", ast.UAdd: "+", ast.Not: "not", ast.Invert: "~",
}  # fmt: skip


def _is_negative_number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) in (int, float)
    )


def _reject(what: str, source: str) -> TemplateError:
    return TemplateError(f"{what} is not allowed in a template", ALLOWED, source)


def _check_node(node: ast.AST, source: str) -> None:
    """Accept only the whitelisted constructs; name the first one that is not."""
    if isinstance(node, ast.Name):
        if node.id.startswith("__"):
            raise _reject(f"the name {node.id!r}", source)
    elif isinstance(node, ast.Constant):
        if type(node.value) not in (str, int, float, bool, type(None)):
            raise _reject(f"the literal {node.value!r}", source)
    elif _is_negative_number(node):
        pass
    elif isinstance(node, ast.Attribute):
        if node.attr.startswith("_"):
            raise _reject(f"the attribute {node.attr!r}", source)
        _check_node(node.value, source)
    elif isinstance(node, ast.Subscript):
        key = node.slice
        if not (isinstance(key, ast.Constant) and type(key.value) in (str, int)) and not _is_negative_number(key):
            raise _reject("a subscript that is not a constant string or integer", source)
        _check_node(node.value, source)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise _reject("a call of anything but a function name", source)
        _check_node(node.func, source)
        if node.func.id in CONSTANT_ARGUMENT_FUNCTIONS and not (
            len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Constant)
            and type(node.args[0].value) is str
        ):
            raise TemplateError(
                f"{node.func.id}() takes one quoted name",
                f'write {node.func.id}("NAME") with the name spelt out',
                source,
            )
        for arg in node.args:
            _check_node(arg, source)
        for keyword in node.keywords:
            if keyword.arg is None:
                raise _reject("'**' unpacking", source)
            _check_node(keyword.value, source)
    else:
        raise _reject(_describe(node), source)


def _unknown(kind: str, name: str, candidates: Iterable[str], source: str) -> TemplateError:
    visible = [c for c in candidates if not c.startswith("_")]
    return TemplateError(f"unknown {kind} {name!r}", did_you_mean(name, visible), source)


_SUBSCRIPTABLE = (Mapping, list, tuple, str)


def holds_exposed(value: Any) -> bool:
    """Whether an env() value is ``value`` or inside it."""
    if isinstance(value, ExposedValue):
        return True
    if isinstance(value, Mapping):
        return any(holds_exposed(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(holds_exposed(item) for item in value)
    return False


def _data(value: Any, what: str, source: str) -> Any:
    """``value`` if it is data; a function or any other callable is refused (it could only be misused)."""
    if isinstance(value, TemplateFunction):
        raise TemplateError(f"{what} is a function", f"call it: {value.name}(...)", source)
    if callable(value):
        raise TemplateError(f"{what} is not data", "a template reads variables, keys and built-ins only", source)
    return value


def evaluate(node: ast.expr, scope: Mapping[str, Any], source: str = "") -> Any:
    """Evaluate a whitelisted expression tree against ``scope``; the result is always data."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in scope:
            raise _unknown("variable", node.id, scope, source)
        return _data(scope[node.id], repr(node.id), source)
    if _is_negative_number(node):
        assert isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant)
        number = node.operand.value
        assert isinstance(number, int | float)
        return -number
    if isinstance(node, ast.Attribute):
        base = evaluate(node.value, scope, source)
        if not isinstance(base, Mapping):
            raise TemplateError(
                f"cannot read .{node.attr} of a {type(base).__name__}",
                "a dot reads a key of a mapping; values have no attributes or methods in a template",
                source,
            )
        if node.attr not in base:
            raise _unknown("key", node.attr, [str(k) for k in base], source)
        return _data(base[node.attr], repr(node.attr), source)
    if isinstance(node, ast.Subscript):
        base = evaluate(node.value, scope, source)
        key = evaluate(node.slice, scope, source)
        if isinstance(base, ExposedValue):
            raise TemplateError("an env() value cannot be sliced", "use the whole value", source)
        if not isinstance(base, _SUBSCRIPTABLE):
            raise TemplateError(f"cannot take [{key!r}] of a {type(base).__name__}", "", source)
        try:
            return _data(base[key], f"[{key!r}]", source)
        except (KeyError, IndexError, TypeError) as exc:
            raise TemplateError(f"cannot take [{key!r}] of {type(base).__name__}: {exc}", "", source) from None
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        if name not in scope:
            functions = [k for k, v in scope.items() if isinstance(v, TemplateFunction)]
            raise _unknown("function", name, functions, source)
        func = scope[name]
        if not isinstance(func, TemplateFunction):
            raise TemplateError(f"{name!r} is not a function", "only built-ins can be called", source)
        args = [evaluate(arg, scope, source) for arg in node.args]
        kwargs = {kw.arg: evaluate(kw.value, scope, source) for kw in node.keywords if kw.arg}
        if not func.takes_exposed and holds_exposed([args, kwargs]):
            raise TemplateError(f"{name}() cannot take an env() value", "it could show it in its result", source)
        try:
            result = func(*args, **kwargs)
        except TemplateError:
            raise
        except Exception as exc:
            raise TemplateError(f"{name}(...) failed: {exc}", "", source) from exc
        return _data(result, f"{name}(...)'s result", source)
    raise _reject(_describe(node), source)  # parse_expression already refused it


def render(value: Any, scope: Mapping[str, Any]) -> Any:
    """Render templates in ``value`` (walking dicts and lists).

    A string that is exactly one template becomes the expression's native value; any other string with
    templates becomes a string, each value joined with ``str()``.
    """
    if isinstance(value, str):
        return _render_string(value, scope)
    if isinstance(value, Mapping):
        return {key: render(item, scope) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [render(item, scope) for item in value]
    return value


def _render_string(text: str, scope: Mapping[str, Any]) -> Any:
    if "${{" not in text:
        return text
    segments = parse_string(text)
    if len(segments) == 1 and isinstance(segments[0], Expr):
        return evaluate(segments[0].tree, scope, segments[0].source)
    out = []
    exposing = False
    for segment in segments:
        if isinstance(segment, Expr):
            value = evaluate(segment.tree, scope, segment.source)
            exposing = exposing or holds_exposed(value)
            out.append(str(value))
        else:
            out.append(segment)
    joined = "".join(out)
    return expose(joined) if exposing else joined  # a string around an env() value is as secret as the value


def has_template(text: str) -> bool:
    """True when a string holds at least one ``${{`` that is not escaped (a cheap pre-check)."""
    return OPEN in text.replace(ESCAPED_OPEN, "")


def is_template(value: Any) -> bool:
    """True for a string that is exactly one template (its rendered value keeps the expression's type).

    An unparseable template counts as a template here: its error is reported on its own.
    """
    if not isinstance(value, str) or not has_template(value):
        return False
    try:
        segments = parse_string(value)
    except TemplateError:
        return True
    return len(segments) == 1 and isinstance(segments[0], Expr)


def parse_templates(value: Any) -> list[ast.expr]:
    """Every template expression in ``value`` (dicts, lists, strings), for load-time checks."""
    found: list[ast.expr] = []
    if isinstance(value, str):
        if has_template(value):
            found.extend(seg.tree for seg in parse_string(value) if isinstance(seg, Expr))
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(parse_templates(item))
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(parse_templates(item))
    return found


def names_used(value: Any) -> set[str]:
    """Free names (variables and functions) the templates in ``value`` read.

    ``value`` may be an expression tree, a list of trees, or any value :func:`parse_templates` accepts.
    """
    if isinstance(value, ast.AST):
        trees: list[ast.AST] = [value]
    elif isinstance(value, list) and all(isinstance(v, ast.AST) for v in value):
        trees = list(value)
    else:
        trees = list(parse_templates(value))
    return {node.id for tree in trees for node in ast.walk(tree) if isinstance(node, ast.Name)}
