"""Read YAML into plain Python values while remembering where every key and item was written.

PyYAML's ``SafeLoader`` forgets positions once it builds Python objects, so we compose the node tree
ourselves and build values from it, recording the start mark of each mapping key and each value under its
key path. The same walk catches what PyYAML lets through silently (duplicate keys) or explains badly
(``{{ x }}``, which YAML reads as a nested flow mapping).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from harness.scenario.errors import KeyPath, Problem, SpecError, SpecIssue, format_key_path

MAX_DEPTH = 64
"""Deeper nesting is certainly a mistake, and would exhaust recursion in later stages."""
MAX_NODES = 20_000
"""Caps alias expansion ("billion laughs") so a hostile file cannot hang a run."""

_TAG = "tag:yaml.org,2002:"
_MAP_TAGS = {_TAG + "map", _TAG + "set"}
_SEQ_TAGS = {_TAG + "seq"}
_MERGE_TAG = _TAG + "merge"
_STR_TAG = _TAG + "str"


class Mark(NamedTuple):
    """A 1-based line and column (a named tuple: one is made for every key and value of every file loaded)."""

    line: int
    col: int


@dataclass
class MarkIndex:
    """Start marks of mapping keys and of values, by key path."""

    keys: dict[KeyPath, Mark] = field(default_factory=dict)
    values: dict[KeyPath, Mark] = field(default_factory=dict)

    def locate(self, path: KeyPath, on_key: bool = False) -> Mark:
        """Where ``path`` was written; falls back to the nearest ancestor that was."""
        if on_key and path in self.keys:
            return self.keys[path]
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            if prefix in self.values:
                return self.values[prefix]
            if prefix in self.keys:
                return self.keys[prefix]
        return Mark(1, 1)

    def issue(self, file: Path, problem: Problem) -> SpecIssue:
        """Place a position-free problem in the file."""
        mark = Mark(*problem.at) if problem.at else self.locate(problem.path, problem.on_key)
        return SpecIssue(file, mark.line, mark.col, format_key_path(problem.path), problem.message, problem.hint)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its value, the mark index, and the problems found while building it."""

    value: Any
    marks: MarkIndex
    problems: tuple[Problem, ...]


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _syntax_issue(file: Path, text: str, exc: yaml.YAMLError) -> SpecIssue:
    """Turn PyYAML's exception into one issue at the mark it gives."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    if problem == "but found another document":
        return SpecIssue(file, line, col, "<root>", "invalid YAML: a file holds one document, this is a second one")
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    at_template = bad_line[col - 1 : col] == "{" and bad_line[col - 2 : col - 1] == "$"
    hint = ""
    if at_template:
        hint = 'inside [...] or {...} write templates quoted: "${{ ... }}"'
    elif problem.startswith("expected <block end>") and context_mark is not None:
        where = f"{context_mark.line + 1}:{context_mark.column + 1}"
        hint = f"this line's indentation does not fit the block started at {where}"
    elif problem == "mapping values are not allowed here":
        hint = "quote a value that contains ': '"
    elif context and context_mark is not None and mark is not context_mark:
        where = f"{context_mark.line + 1}:{context_mark.column + 1}"
        if "flow" in context:
            hint = f"inside the [...] or {{...}} started at {where}, quote values with , : ? [ ] {{ }} or #"
        else:
            hint = f"{context} started at {where}"
    return SpecIssue(file, line, col, "<root>", f"invalid YAML: {problem}", hint)


class _Builder:
    """Builds Python values from composed nodes, filling a MarkIndex and collecting problems."""

    def __init__(self) -> None:
        self.marks = MarkIndex()
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()
        self._nodes = 0
        self._active: set[int] = set()

    def build(self, node: Node, path: KeyPath) -> Any:
        if path not in self.marks.values:
            self.marks.values[path] = _mark(node)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            if self._nodes == MAX_NODES + 1:
                self.problems.append(Problem(path, "the document is too large (aliases expand too far)"))
            return None
        if len(path) > MAX_DEPTH:
            self.problems.append(Problem(path, f"nested more than {MAX_DEPTH} levels deep"))
            return None
        if id(node) in self._active:
            self.problems.append(Problem(path, "an alias refers to a collection that contains it"))
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                if node.tag not in _SEQ_TAGS:
                    self.problems.append(Problem(path, f"unsupported YAML tag {node.tag!r}"))
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self._active.discard(id(node))
        return None  # pragma: no cover - composer only yields the three node kinds

    def _scalar(self, node: ScalarNode, path: KeyPath) -> Any:
        if node.tag == _STR_TAG:  # most scalars: what SafeConstructor.construct_yaml_str gives, without its dispatch
            return node.value
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.problems.append(Problem(path, f"unsupported YAML tag {node.tag!r}"))
        except Exception as exc:  # noqa: BLE001 - a malformed explicitly tagged scalar, e.g. "!!int abc"
            self.problems.append(Problem(path, f"cannot read {node.value!r} as {node.tag!r}: {exc}"))
        return node.value

    def _mapping(self, node: MappingNode, path: KeyPath) -> Any:
        if node.tag not in _MAP_TAGS:
            self.problems.append(Problem(path, f"unsupported YAML tag {node.tag!r}"))
        jinja = _jinja_text(node)
        if jinja is not None:
            self.problems.append(
                Problem(path, f"'{jinja}' is read by YAML as a nested mapping", "templates are written ${{ ... }}")
            )
            return ReportedJinja(jinja)
        merged: list[tuple[str, Node, Node]] = []
        explicit: list[tuple[str, Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                kind = "mapping" if isinstance(key_node, MappingNode) else "list"
                here = _mark(key_node)
                message = f"a mapping key must be a plain string, got a {kind}"
                self.problems.append(Problem(path, message, at=(here.line, here.col)))
                continue
            explicit.append((str(key_node.value), key_node, value_node))
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key, key_node, _ in explicit:
            if key in first_seen:
                first = _mark(first_seen[key])
                here = _mark(key_node)
                message = f"duplicate key {key!r} (first at {first.line}:{first.col})"
                self.problems.append(Problem((*path, key), message, at=(here.line, here.col)))
            else:
                first_seen[key] = key_node
        for key, key_node, value_node in merged:
            if key not in first_seen and key not in result:
                self.marks.keys[(*path, key)] = _mark(key_node)
                result[key] = self.build(value_node, (*path, key))
        for key, key_node, value_node in explicit:
            if first_seen[key] is key_node:  # a duplicate is reported above, and its value ignored
                self.marks.keys[(*path, key)] = _mark(key_node)
                result[key] = self.build(value_node, (*path, key))
        return result

    def _merge_sources(self, node: Node, path: KeyPath) -> list[tuple[str, Node, Node]]:
        """The pairs a ``<<`` merge key brings in (a mapping or a list of mappings)."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        pairs: list[tuple[str, Node, Node]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                self.problems.append(Problem(path, "a '<<' merge key needs a mapping or a list of mappings"))
                continue
            for key_node, value_node in source.value:
                if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE_TAG:
                    pairs.append((str(key_node.value), key_node, value_node))
        return pairs


class ReportedJinja(str):
    """An unquoted ``{{ x }}`` already reported here, kept as its text so no later check reports it again."""

    __slots__ = ()


def _jinja_text(node: MappingNode) -> str | None:
    """``{{ x }}`` composes as a flow mapping whose only key is the flow mapping ``{x: null}``."""
    if not node.flow_style or len(node.value) != 1:
        return None
    key, value = node.value[0]
    if not (isinstance(key, MappingNode) and isinstance(value, ScalarNode) and value.tag == _TAG + "null"):
        return None
    if len(key.value) != 1:
        return None
    inner_key, inner_value = key.value[0]
    if not (isinstance(inner_key, ScalarNode) and isinstance(inner_value, ScalarNode)):
        return None
    if inner_value.tag != _TAG + "null":
        return None
    return "{{ " + str(inner_key.value) + " }}"


_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml when PyYAML has it (several times faster: every run loads the whole library)."""


def _pure_python_error(text: str) -> yaml.YAMLError | None:
    """PyYAML's own error for a bad document: its wording is the same everywhere, libyaml's differs."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return exc
    except RecursionError:
        return None
    return None


def load_yaml(text: str, file: Path) -> YamlDocument:
    """Parse one YAML document; a syntax error raises :class:`SpecError` with PyYAML's mark."""
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError as exc:
        raise SpecError([_syntax_issue(file, text, _pure_python_error(text) or exc)]) from None
    except RecursionError:
        raise SpecError([SpecIssue(file, 1, 1, "<root>", "the document is nested too deeply")]) from None
    if root is None:
        return YamlDocument(None, MarkIndex(), ())
    builder = _Builder()
    value = builder.build(root, ())
    return YamlDocument(value, builder.marks, tuple(builder.problems))


def read_yaml_file(file: Path) -> YamlDocument:
    """Read and parse a file; unreadable or non-UTF-8 files become a :class:`SpecError`."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SpecError([SpecIssue(file, 1, 1, "<root>", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError([SpecIssue(file, line, col, "<root>", "the file is not UTF-8 text")]) from None
    return load_yaml(text, file)
