"""Load scenario and pool files into the typed model, reporting every problem of a file at once.

Each file goes through the same stages: YAML with marks, the JSON Schema (errors made readable), then the
semantic checks only Python can do (botocore names, templates, JMESPath, pool references). Problems from all
stages are collected, placed at their line and column, sorted, and raised together as one SpecError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from harness.emulator.lambda_runtime import resolve_handlers, spec_problems
from harness.emulator.recipes import RECIPES
from harness.scenario.errors import Problem, SpecError, SpecIssue, format_key_path
from harness.scenario.flow import (
    MAX_STEPS,
    FlowChecker,
    Unroller,
    later_names,
    reserved_name_problem,
    unrolled_count,
)
from harness.scenario.fragments import FragmentFinder
from harness.scenario.kinds import StepTypes, check_client_exists
from harness.scenario.model import ClientConfig, Example, Library, PoolConfig, Scenario
from harness.scenario.names import DEFAULT_POOL, FRAGMENTS_DIR, POOL_NAME_PATTERN, SUPPORT_DIRS, is_pool_name
from harness.scenario.names import POOLS_DIR as POOLS_DIR  # where it was always imported from
from harness.scenario.names import YAML_SUFFIXES as YAML_SUFFIXES
from harness.scenario.schemas import pool_problems, scenario_problems
from harness.scenario.template_checks import NameScope, check_secrets, check_templates
from harness.scenario.wording import did_you_mean, one_of, value_type_words
from harness.scenario.yaml_marks import YamlDocument, read_yaml_file

MAX_SPEC_FILE_BYTES = 1024 * 1024
"""Scenario and pool files over 1 MiB are refused before a byte is read: the shipped ones are under 3 KB, and a
YAML parser's time and memory grow with its input (a 50 MB list took 5.6 s and 541 MB to reject)."""

PoolIndex = Mapping[str, PoolConfig | None]
"""Pool files by name; None for a file that exists but did not load (so it is not 'unknown' too)."""


def _read_mapping(file: Path, required_key: str) -> tuple[YamlDocument, list[Problem]]:
    """A spec file read and its top level checked (a mapping with ``required_key``): raises at once when it is
    not one, as nothing further can be checked; else the document and the problems found in reading it."""
    doc = read_spec_file(file)
    problems = list(doc.problems)
    top = _top_level(doc.value, required_key)
    if top:
        _raise_if_any(file, doc, problems + top)
    return doc, problems


def _raise_if_any(
    file: Path, doc: YamlDocument, problems: Iterable[Problem], elsewhere: Iterable[SpecIssue] = ()
) -> None:
    """Raise every problem of ``file`` in line order, then those found in other files (fragments it uses)."""
    issues = sorted((doc.marks.issue(file, p) for p in problems), key=lambda i: (i.line, i.col))
    issues += sorted(elsewhere, key=lambda i: (str(i.path), i.line, i.col))
    if issues:
        raise SpecError(list(dict.fromkeys(issues)))


def read_spec_file(file: Path) -> YamlDocument:
    """Read and parse a scenario or pool file, refusing one over `MAX_SPEC_FILE_BYTES` by its size alone."""
    try:
        size = file.stat().st_size
    except OSError:
        size = 0  # read_yaml_file says why the file cannot be read
    if size > MAX_SPEC_FILE_BYTES:
        message = f"too large ({size} bytes; the limit is {MAX_SPEC_FILE_BYTES})"
        raise SpecError([SpecIssue(file, 1, 1, "<root>", message)])
    return read_yaml_file(file)


def _top_level(value: Any, required_key: str) -> list[Problem]:
    if value is None:
        return [Problem((), f"the file is empty; it must be a mapping with a {required_key!r} key")]
    if not isinstance(value, dict):
        return [Problem((), f"the file must be a mapping with a {required_key!r} key, got {value_type_words(value)}")]
    return []


# --- scenarios ------------------------------------------------------------------------------------------


def load_scenario(path: Path | str, pools: PoolIndex | None = None, *, kinds: StepTypes) -> Scenario:
    """Load and check one scenario with the step kinds ``kinds``; ``pools`` (when known) lets pool and client
    references be checked. Fragments it uses are found from its folder (harness.scenario.fragments).

    Raises :class:`SpecError` (and nothing else) listing every problem of the file, and those of the fragments
    it uses (in their files).
    """
    file = Path(path)
    doc, problems = _read_mapping(file, "scenario")
    raw: dict[str, Any] = doc.value
    finder = FragmentFinder(kinds, read_spec_file)
    checker = FlowChecker(kinds, finder, _scenario_pools(raw), pools, file.parent)
    problems += scenario_problems(kinds, raw)
    problems += _scenario_semantics(raw, pools, kinds, checker)
    if not problems and not checker.issues:
        count = unrolled_count(raw["steps"], kinds, finder, file.parent)
        if count > MAX_STEPS:
            problems.append(Problem(("steps",), f"the steps unroll to {count} or more; the limit is {MAX_STEPS}"))
    _raise_if_any(file, doc, problems, checker.issues)
    return _build_scenario(file, doc, raw, kinds, finder)


def _scenario_pools(raw: Mapping[str, Any]) -> tuple[str, ...]:
    pools = raw.get("pools")
    if isinstance(pools, list) and pools and all(isinstance(p, str) for p in pools):
        return tuple(pools)
    return (DEFAULT_POOL,)


def _scenario_semantics(
    raw: Mapping[str, Any], pools: PoolIndex | None, kinds: StepTypes, checker: FlowChecker
) -> list[Problem]:
    problems: list[Problem] = []
    scenario_pools = _scenario_pools(raw)
    if pools is not None:
        if "pools" in raw:
            listed = raw["pools"] if isinstance(raw["pools"], list) else []
            for i, name in enumerate(listed):
                if isinstance(name, str) and is_pool_name(name) and name not in pools:
                    hint = did_you_mean(name, pools) or (f"known pools: {one_of(sorted(pools))}" if pools else "")
                    problems.append(Problem(("pools", i), f"unknown pool {name!r}", hint))
        elif DEFAULT_POOL not in pools:
            problems.append(
                Problem((), f"no 'pools' given and there is no pool named {DEFAULT_POOL!r}", "add pools: [...]")
            )
    client = raw.get("client")
    if isinstance(client, str):
        problems += check_client_exists(client, ("client",), scenario_pools, pools)

    scope = NameScope()
    raw_vars = raw.get("vars")
    if isinstance(raw_vars, Mapping):
        for name in raw_vars:
            scope.later[str(name)] = "vars"
    for name, where in later_names(raw.get("steps"), kinds):
        scope.later.setdefault(name, format_key_path(("steps", *where)))
    problems += _check_examples(raw.get("examples"), raw_vars if isinstance(raw_vars, Mapping) else {}, scope)
    if isinstance(raw_vars, Mapping):
        for name, value in raw_vars.items():
            scope.later.pop(str(name), None)
            reserved = reserved_name_problem(name, ("vars", name))
            if reserved:
                problems.append(reserved)
            problems += check_templates(value, ("vars", name), scope)
            scope.define(str(name), "vars")
    problems += checker.check_steps(raw.get("steps"), ("steps",), scope)
    problems += check_secrets(raw.get("secrets"), ("secrets",), scope)  # after every vars entry and save
    return problems


def _check_examples(examples: Any, scenario_vars: Mapping[str, Any], scope: NameScope) -> list[Problem]:
    """Rows have distinct names and set the same variables (the first row's), which ``vars`` does not set;
    their templates see the built-ins and the row's earlier values. Then the scope knows the row variables."""
    problems: list[Problem] = []
    names: set[str] = set()
    first: list[str] | None = None
    for i, row in enumerate(examples if isinstance(examples, list) else []):
        if not isinstance(row, Mapping):
            continue
        name = row.get("name")
        if isinstance(name, str):
            if name in names:
                problems.append(Problem(("examples", i, "name"), f"row name {name!r} is used by an earlier row"))
            names.add(name)
        row_vars = row.get("vars")
        if not isinstance(row_vars, Mapping):
            continue
        path = ("examples", i, "vars")
        if first is None:
            first = [str(key) for key in row_vars]
        else:
            missing = [key for key in first if key not in row_vars]
            if missing:
                hint = "every row sets the variables the first row sets"
                problems.append(Problem(path, f"this row does not set {one_of(missing, conjunction='and')}", hint))
            problems += [
                Problem((*path, key), f"{key!r} is not set by the first row", "every row sets the same variables", True)
                for key in row_vars
                if key not in first
            ]
        row_scope = NameScope()
        for key, value in row_vars.items():
            reserved = reserved_name_problem(key, (*path, key))
            if reserved:
                problems.append(reserved)
            elif key in scenario_vars:
                problems.append(Problem(("vars", key), f"{key!r} is set by every examples row too", on_key=True))
            problems += check_templates(value, (*path, key), row_scope)
            row_scope.define(str(key), "the row")
    for key in first or []:
        scope.define(key, "examples")
    return problems


def _build_scenario(
    file: Path, doc: YamlDocument, raw: Mapping[str, Any], kinds: StepTypes, finder: FragmentFinder
) -> Scenario:
    unroller = Unroller(kinds, finder)
    unroller.unroll(list(raw["steps"]), ("steps",), doc, home=file.parent, file=file)
    return Scenario(
        id=file.stem,
        path=file,
        title=str(raw["scenario"]),
        description=str(raw.get("description", "")),
        symptom=str(raw.get("symptom", "")),
        cause=str(raw.get("cause", "")),
        fix=str(raw.get("fix", "")),
        refs=tuple(raw.get("refs", ())),
        tags=tuple(raw.get("tags", ())),
        pools=_scenario_pools(raw),
        client=raw.get("client"),
        secrets=tuple(str(name) for name in raw.get("secrets") or ()),
        vars=dict(raw.get("vars") or {}),
        steps=tuple(unroller.steps),
        examples=tuple(
            Example(str(row["name"]), dict(row["vars"]), tuple(row.get("tags", ()))) for row in raw.get("examples", ())
        ),
    )


# --- pools ----------------------------------------------------------------------------------------------


def load_pool(path: Path | str) -> PoolConfig:
    """Load and check one pool configuration; raises :class:`SpecError` listing every problem."""
    file = Path(path)
    doc, problems = _read_mapping(file, "clients")
    raw: dict[str, Any] = doc.value
    problems += pool_problems(raw)
    problems += _pool_semantics(file, raw)
    _raise_if_any(file, doc, problems)
    return PoolConfig(
        name=file.stem,
        path=file,
        description=str(raw.get("description", "")),
        pool_params=dict(raw.get("pool") or {}),
        clients=tuple(
            ClientConfig(str(c["name"]), {k: v for k, v in c.items() if k != "name"}) for c in raw["clients"]
        ),
        identity_providers=tuple(dict(provider) for provider in raw.get("identity_providers") or ()),
        mfa=dict(raw["mfa"]) if isinstance(raw.get("mfa"), Mapping) else None,
        sessions=dict(raw["sessions"]) if isinstance(raw.get("sessions"), Mapping) else None,
        triggers=resolve_handlers({str(k): dict(v) for k, v in (raw.get("triggers") or {}).items()}, file.parent),
        emulator_ids=dict(raw.get("emulator") or {}),
    )


def _pool_semantics(file: Path, raw: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    name = raw.get("name")
    if isinstance(name, str) and name != file.stem:
        problems.append(Problem(("name",), f"name {name!r} differs from the file name {file.stem!r}"))
    elif not is_pool_name(file.stem):
        problems.append(
            Problem((), f"the file name {file.stem!r} is not a valid pool name", f"it must match {POOL_NAME_PATTERN}")
        )
    for name, spec in (raw.get("triggers") or {}).items():
        if isinstance(spec, Mapping) and "handler" in spec:  # the file exists, the settings are Lambda's
            problems += [Problem(("triggers", name, *key), text) for key, text in spec_problems(spec, file.parent)]
        recipe = spec.get("recipe") if isinstance(spec, Mapping) else None
        if recipe in RECIPES and name not in RECIPES[recipe][0]:
            serves = " / ".join(RECIPES[recipe][0])
            problems.append(
                Problem(("triggers", name, "recipe"), f"recipe {recipe!r} is a {serves} trigger, not {name}")
            )
    clients = raw.get("clients")
    seen: set[str] = set()
    for i, client in enumerate(clients if isinstance(clients, list) else []):
        client_name = client.get("name") if isinstance(client, Mapping) else None
        if isinstance(client_name, str):
            if client_name in seen:
                problems.append(Problem(("clients", i, "name"), f"duplicate client name {client_name!r}"))
            seen.add(client_name)
    emulator = raw.get("emulator")
    client_ids = emulator.get("client_ids") if isinstance(emulator, Mapping) else None
    for client_name in client_ids if isinstance(client_ids, Mapping) else ():
        if client_name not in seen:
            known = ", ".join(sorted(seen)) or "none"
            problems.append(
                Problem(("emulator", "client_ids", client_name), f"no client named {client_name!r} (clients: {known})")
            )
    return problems


# --- libraries ------------------------------------------------------------------------------------------


def _is_yaml(path: Path) -> bool:
    return path.suffix in YAML_SUFFIXES and path.is_file() and not path.name.startswith(".")


def nearest_pools_dir(start: Path) -> Path | None:
    """The ``pools/`` folder in ``start`` or its closest ancestor that has one."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / POOLS_DIR
        if candidate.is_dir():
            return candidate
    return None


def _scenario_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root] if root.parent.name not in SUPPORT_DIRS else []
    if root.name in SUPPORT_DIRS:
        return []
    files = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if _is_yaml(path) and not any(p in SUPPORT_DIRS or p.startswith(".") for p in parts[:-1]):
            files.append(path)
    return files


def _fragment_files(root: Path) -> list[Path]:
    """Fragment files under ``root`` (a folder, a fragments folder, or one fragment file)."""
    if root.is_file():
        return [root] if root.parent.name == FRAGMENTS_DIR else []
    found = [root] if root.name == FRAGMENTS_DIR else []
    found += [p for p in root.rglob(FRAGMENTS_DIR) if p.is_dir() and not _hidden(p.relative_to(root).parts)]
    return sorted(file for folder in found for file in folder.iterdir() if _is_yaml(file))


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") for p in parts)


_POOL_CACHE: dict[tuple[Path, int, int], PoolConfig | SpecError] = {}
"""Loaded pool files by (path, mtime, size): every scenario file collected alone rediscovers the same pools."""


def _load_pool_cached(file: Path) -> PoolConfig:
    stat = file.stat()
    key = (file.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _POOL_CACHE:
        try:
            _POOL_CACHE[key] = load_pool(file)
        except SpecError as exc:
            _POOL_CACHE[key] = exc
    found = _POOL_CACHE[key]
    if isinstance(found, SpecError):
        raise SpecError(found.issues)
    return found


def _load_pool_dir(folder: Path, issues: list[SpecIssue]) -> dict[str, PoolConfig | None]:
    found: dict[str, PoolConfig | None] = {}
    for file in sorted(p for p in folder.iterdir() if _is_yaml(p)):
        try:
            found[file.stem] = _load_pool_cached(file)
        except SpecError as exc:
            issues.extend(exc.issues)
            found[file.stem] = None
    return found


def discover(root: Path | str, *, kinds: StepTypes) -> Library:
    """Load every scenario under ``root`` (a folder or one file), with the step kinds ``kinds``, and the pools
    they can use.

    Pools come from ``<root>/pools/`` and from the nearest ``pools/`` folder above each scenario. Problems
    never raise: they are collected in ``Library.issues`` and the files that have them are left out.
    """
    root = Path(root)
    issues: list[SpecIssue] = []
    if not root.exists():
        issues.append(SpecIssue(root, 1, 1, "<root>", "no such file or folder"))
        return Library((), {}, tuple(issues))
    pool_dirs: dict[Path, dict[str, PoolConfig | None]] = {}

    def pools_in(folder: Path | None) -> dict[str, PoolConfig | None] | None:
        if folder is None:
            return None
        folder = folder.resolve()
        if folder not in pool_dirs:
            pool_dirs[folder] = _load_pool_dir(folder, issues)
        return pool_dirs[folder]

    if root.is_dir() and root.name == POOLS_DIR:
        pools_in(root)
    elif root.is_file() and root.parent.name == POOLS_DIR:
        pools_in(root.parent)
    elif root.is_dir() and (root / POOLS_DIR).is_dir():
        pools_in(root / POOLS_DIR)

    scenarios = []
    by_id: dict[str, Path] = {}
    for file in _scenario_files(root):
        try:
            scenario = load_scenario(file, pools_in(nearest_pools_dir(file.parent)), kinds=kinds)
        except SpecError as exc:
            issues.extend(exc.issues)
            continue
        if scenario.id in by_id:
            issues.append(
                SpecIssue(file, 1, 1, "<root>", f"scenario id {scenario.id!r} is also used by {by_id[scenario.id]}")
            )
            continue
        by_id[scenario.id] = file
        scenarios.append(scenario)

    finder = FragmentFinder(kinds, read_spec_file)
    for file in _fragment_files(root):  # a fragment no scenario uses is still checked on its own
        issues.extend(finder.read(file).issues)

    pools: dict[str, PoolConfig] = {}
    for folder_pools in pool_dirs.values():
        for name, config in folder_pools.items():
            if config is None:
                continue
            if name in pools and pools[name].path.resolve() != config.path.resolve():
                issues.append(
                    SpecIssue(config.path, 1, 1, "<root>", f"pool {name!r} is also defined by {pools[name].path}")
                )
                continue
            pools[name] = config
    unique = sorted(dict.fromkeys(issues), key=lambda i: (str(i.path), i.line, i.col))  # shared fragments: once
    return Library(tuple(scenarios), pools, tuple(unique))


def load_pools_folder(folder: Path) -> tuple[PoolIndex, list[SpecIssue]]:
    """The pool files of one ``pools/`` folder by name (None for a file that does not load), and their problems,
    as `discover` reads them (for callers that load scenario files one at a time, such as pytest's collection)."""
    issues: list[SpecIssue] = []
    return _load_pool_dir(folder.resolve(), issues), issues
