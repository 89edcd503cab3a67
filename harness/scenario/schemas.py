"""The JSON Schemas in ``schemas/`` and the translation of jsonschema's errors into readable problems.

jsonschema reports what failed in its own terms ("is not valid under any of the given schemas"); a scenario
author needs to hear which key is wrong and what was meant. Readable wording comes from three places: the
error's validator ("unknown key 'paramz'"), the schema's own ``patternErrorMessage`` / ``errorMessage``
annotations (the ones VS Code shows too), and for ``oneOf`` the branch the instance was evidently meant for.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jsonschema_rs

from harness.scenario.errors import KeyPath, Problem
from harness.scenario.kinds import StepType, StepTypes
from harness.scenario.wording import closest, did_you_mean, one_of, schema_type_words, value_type_words

if TYPE_CHECKING:  # jsonschema is imported when a document has problems to word (~50 ms of start-up otherwise)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
Schema = dict[str, Any]


BASE_SCENARIO_SCHEMA = Path(__file__).with_name("scenario.base.json")
"""The scenario schema without its step kinds: everything but ``$defs/step`` and the kinds' branches."""


def scenario_schema(kinds: StepTypes, *, for_editors: bool = True) -> Schema:
    """The scenario schema for these step kinds: the base, each kind's branch as ``$defs/<key>Step``, and
    ``$defs/step`` choosing exactly one of them. ``schemas/scenario.schema.json`` is this, for editors: each
    kind's :meth:`editor_schema` (a call's parameters per operation, from the botocore model it records in
    ``x-botocore-version``). The loader validates with the structural schema (``for_editors=False``) and checks
    the rest itself, in its own words."""
    return _scenario_schema(tuple(kinds.items()), for_editors)


@cache
def _scenario_schema(kinds: tuple[tuple[str, StepType], ...], for_editors: bool) -> Schema:
    schema: Schema = json.loads(BASE_SCENARIO_SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    summaries = ", ".join([*(kind.summary for _, kind in kinds), *FLOW_STEPS.values()])
    defs["step"] = {
        "description": f"One step: exactly one of {summaries}.",
        "type": "object",
        "oneOf": [{"$ref": f"#/$defs/{key}Step"} for key, _ in kinds] + [{"$ref": f"#/$defs/{d}"} for d in FLOW_STEPS],
    }
    extra: Schema = {}
    for key, kind in kinds:
        if not for_editors:
            defs[f"{key}Step"] = with_step_modifiers(kind.schema, retry=bool(kind.expect_keys))
            continue
        branch, branch_defs = kind.editor_schema()
        defs[f"{key}Step"] = with_step_modifiers(branch, retry=bool(kind.expect_keys))
        clashes = sorted(
            name for name in branch_defs if name in defs or extra.get(name, branch_defs[name]) != branch_defs[name]
        )
        if clashes:
            raise ValueError(f"step kind {key!r} defines schema definitions that exist already: {clashes}")
        extra.update(branch_defs)
    if extra:
        import botocore

        from harness.scenario.pool_schema import VERSION_KEY

        schema = {**{k: v for k, v in schema.items() if k != "$defs"}, VERSION_KEY: botocore.__version__}
        schema["$defs"] = {**defs, **extra}
    return schema


FLOW_STEPS = {"useStep": "use (a fragment)", "groupStep": "steps (a repeated group)"}
"""Steps of the language itself rather than of a kind: their branches are in scenario.base.json."""


def with_step_modifiers(branch: Schema, *, retry: bool) -> Schema:
    """A kind's branch with the keys every step takes whatever its kind: ``repeat``, and ``retry`` for a kind
    with an answer to check."""
    modifiers = {"repeat": {"$ref": "#/$defs/repeat"}}
    if retry:
        modifiers["retry"] = {"$ref": "#/$defs/retry"}
    return {**branch, "properties": {**branch.get("properties", {}), **modifiers}}


def fragment_schema(kinds: StepTypes, *, for_editors: bool = True) -> Schema:
    """The schema of a fragment file: its top level, with the scenario schema's definitions (steps); as for
    scenarios, the committed file is the editors' and the loader validates with the structural one."""
    scenario = scenario_schema(kinds, for_editors=for_editors)
    top = {key: value for key, value in scenario["$defs"]["fragmentFile"].items()}
    return {"$schema": scenario["$schema"], "$id": "urn:authflow:schemas:fragment", **top, "$defs": scenario["$defs"]}


def render_fragment_schema(kinds: StepTypes) -> str:
    """The committed fragment schema's exact text (``schemas/fragment.schema.json``, for editors)."""
    return json.dumps(fragment_schema(kinds), indent=2, ensure_ascii=False) + "\n"


def fragment_problems(kinds: StepTypes, instance: Any) -> list[Problem]:
    """Every schema violation of a fragment file, in readable words (quickly none for a valid one)."""
    return _fragment_validators(tuple(kinds.items())).problems(instance)


@cache
def _fragment_validators(kinds: tuple[tuple[str, StepType], ...]) -> QuickThenWorded:
    return QuickThenWorded(inline_refs(fragment_schema(dict(kinds), for_editors=False)))


def render_scenario_schema(kinds: StepTypes) -> str:
    """The committed scenario schema's exact text."""
    return json.dumps(scenario_schema(kinds), indent=2, ensure_ascii=False) + "\n"


@cache
def pool_schema() -> Schema:
    """``schemas/pool.schema.json``, or the same schema generated when the file is not there."""
    path = SCHEMA_DIR / "pool.schema.json"
    if path.exists():
        schema: Schema = json.loads(path.read_text(encoding="utf-8"))
        return schema
    from harness.scenario.pool_schema import build_pool_schema

    return build_pool_schema()


def schema_text(kind: Literal["scenario", "pool"], kinds: StepTypes) -> str:
    """A schema as ``authflow schema`` prints it: generated for the step kinds given, the pool schema from the
    committed file (or generated when it is missing)."""
    if kind == "scenario":
        return render_scenario_schema(kinds)
    path = SCHEMA_DIR / "pool.schema.json"
    if path.exists():
        return path.read_text(encoding="utf-8")
    from harness.scenario.pool_schema import render_pool_schema

    return render_pool_schema()


def pool_schema_drift() -> str | None:
    """A notice when the committed pool schema was made from another botocore than the one installed.

    The loader always validates pool files against the installed model (operation shapes, enums); only the
    committed file that editors read can lag. That is worth a line, not a failure: see docs/development.md.
    """
    import botocore

    from harness.scenario.pool_schema import VERSION_KEY

    made_from = pool_schema().get(VERSION_KEY)
    if made_from is None or made_from == botocore.__version__:
        return None
    return (
        f"notice: schemas/pool.schema.json was generated from botocore {made_from}, this environment has "
        f"{botocore.__version__}; editors may miss new members (`authflow schema --write` regenerates it, "
        "`pip install -c constraints.txt -e .` installs the pinned versions)"
    )


def write_schemas(kinds: StepTypes) -> list[Path]:
    """Regenerate both committed schemas: the scenario schema from the step kinds, the pool schema from the
    installed botocore model."""
    from harness.scenario.pool_schema import render_pool_schema

    written = []
    texts = (("scenario", render_scenario_schema(kinds)), ("pool", render_pool_schema()))
    for name, text in (*texts, ("fragment", render_fragment_schema(kinds))):
        path = SCHEMA_DIR / f"{name}.schema.json"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    pool_schema.cache_clear()
    return written


def scenario_problems(kinds: StepTypes, instance: Any) -> list[Problem]:
    """Every schema violation of a scenario file, in readable words (quickly none for a valid one)."""
    return _scenario_validators(tuple(kinds.items())).problems(instance)


@cache
def _scenario_validators(kinds: tuple[tuple[str, StepType], ...]) -> QuickThenWorded:
    return QuickThenWorded(inline_refs(_scenario_schema(kinds, False)))


class QuickThenWorded:
    """One schema, two validators: jsonschema-rs says quickly whether a document has any problem at all,
    jsonschema finds and words the problems of one that has.

    Every scenario file of a run (and each pool file) is validated on every run, and nearly all are valid: in
    jsonschema a four-step scenario takes about a millisecond (most of the cost of loading it), in jsonschema-rs
    a few microseconds. Only the quick validator's "valid" is taken as an answer, and only for a document made of
    JSON's own types (a YAML date, binary, set or infinity is the kind of value where two implementations
    may disagree): anything else goes to jsonschema, which has the last word. Their regular-expression
    dialects differ at the edges (Python's ``$`` also matches before a final newline, its ``\\s`` counts a
    few more control characters); tests/spec/test_schema_quick.py checks that they agree on the shipped
    files and on generated documents.
    """

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.quick = jsonschema_rs.Draft202012Validator(schema)

    @cached_property
    def worded(self) -> Draft202012Validator:
        """Made the first time a document has problems (most runs have none)."""
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.schema)

    def problems(self, instance: Any) -> list[Problem]:
        if is_plain_json(instance) and self.quick.is_valid(instance):
            return []
        return schema_problems(self.worded, instance)


_SCALARS = frozenset({str, int, bool, type(None)})


def is_plain_json(value: Any) -> bool:
    """Whether ``value`` is made of JSON's types only: dicts with string keys, lists, strings, integers,
    finite floats, booleans and None (exactly those types, not subclasses)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(is_plain_json(item) for item in value)
    if kind is dict:
        return all(type(key) is str and is_plain_json(item) for key, item in value.items())
    return False


def pool_problems(instance: Any) -> list[Problem]:
    """Every schema violation of a pool file, in readable words (quickly none for a valid one)."""
    return _pool_validators().problems(instance)


@cache
def _pool_validators() -> QuickThenWorded:
    return QuickThenWorded(inline_refs(pool_schema()))


def inline_refs(schema: Schema) -> Schema:
    """The schema with local ``$ref`` replaced by the definitions they name.

    Validation gets about twice as fast (jsonschema resolves a reference on every visit), and it is the same
    schema: the only keywords next to our references are annotations. Recursive references stay references.
    """
    defs: Mapping[str, Any] = schema.get("$defs", {})

    def walk(node: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name in defs and name not in stack:
                    rest = {key: walk(value, stack) for key, value in node.items() if key != "$ref"}
                    return {**walk(defs[name], (*stack, name)), **rest}
            return {key: walk(value, stack) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item, stack) for item in node]
        return node

    return {key: walk(value, ()) if key != "$defs" else value for key, value in schema.items()}


def schema_problems(validator: Draft202012Validator, instance: Any) -> list[Problem]:
    """Every schema violation of ``instance``, in readable words, without duplicates."""
    root = validator.schema
    humanizer = _Humanizer(root if isinstance(root, Mapping) else {})
    problems: list[Problem] = []
    for error in validator.iter_errors(instance):
        problems.extend(humanizer.explain(error))
    return list(dict.fromkeys(problems))


_OWN_WORDS = frozenset({"type", "required", "additionalProperties", "dependentRequired", "pattern"})
"""Validators whose message is more precise than a schema's general ``errorMessage``."""


class _Humanizer:
    """Turns one jsonschema error (and the errors nested in it) into readable problems."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def resolve(self, schema: Any) -> Mapping[str, Any]:
        """Follow a local ``#/$defs/...`` reference (the only kind our schemas use)."""
        while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if not ref.startswith("#/$defs/"):
                break
            schema = self.root["$defs"][ref.removeprefix("#/$defs/")]
        return schema if isinstance(schema, Mapping) else {}

    def explain_all(self, errors: Iterable[ValidationError]) -> list[Problem]:
        return [problem for error in errors for problem in self.explain(error)]

    def explain(self, error: ValidationError) -> list[Problem]:
        path: KeyPath = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        validator = str(error.validator)
        instance = error.instance
        value: Any = error.validator_value
        if "propertyNames" in error.relative_schema_path and isinstance(instance, str):
            return [self._key_problem(error, (*path, instance))]
        if validator in ("oneOf", "anyOf"):
            return self._branches(error, path)
        custom = schema.get("errorMessage")
        if isinstance(custom, str) and validator not in _OWN_WORDS:
            return [Problem(path, custom)]
        if validator == "additionalProperties":
            return self._unknown_keys(schema, instance, path)
        if validator == "required":
            return [
                Problem(path, f"missing required key {name!r}")
                for name in value
                if isinstance(instance, Mapping) and name not in instance
            ]
        if validator == "dependentRequired" and isinstance(instance, Mapping):
            return [
                Problem((*path, key), f"{key!r} needs {need!r} as well", on_key=True)
                for key, needs in value.items()
                if key in instance
                for need in needs
                if need not in instance
            ]
        hint = ""
        if validator == "enum" and isinstance(instance, str):
            hint = did_you_mean(instance, [str(v) for v in value if isinstance(v, str)])
        return [Problem(path, self._message(error, schema), hint)]

    def _message(self, error: ValidationError, schema: Mapping[str, Any]) -> str:
        validator, instance = str(error.validator), error.instance
        value: Any = error.validator_value
        if validator == "type":
            return f"expected {schema_type_words(value)}, got {value_type_words(instance)}"
        if validator == "enum":
            return f"must be one of {one_of([str(v) for v in value])}, got {_show(instance)}"
        if validator == "const":
            return f"must be {_show(value)}, got {_show(instance)}"
        if validator == "pattern":
            custom = schema.get("patternErrorMessage")
            return f"{custom}, got {instance!r}" if custom else f"{instance!r} does not match {value}"
        if validator in ("minLength", "minItems", "minProperties"):
            if value == 1:
                return "must not be empty"
            noun = {"minLength": "characters", "minItems": "items", "minProperties": "keys"}[validator]
            return f"needs at least {value} {noun}"
        if validator in ("maxLength", "maxItems", "maxProperties"):
            noun = {"maxLength": "characters", "maxItems": "items", "maxProperties": "keys"}[validator]
            return f"allows at most {value} {noun}"
        if validator == "minimum":
            return f"must be at least {value}, got {instance}"
        if validator == "maximum":
            return f"must be at most {value}, got {instance}"
        if validator == "uniqueItems" and isinstance(instance, list):
            seen: list[Any] = []
            for item in instance:
                if item in seen:
                    return f"lists {_show(item)} more than once"
                seen.append(item)
        if validator == "not":
            return "is not allowed here"
        if validator == "format":
            return f"{_show(instance)} is not a valid {value}"
        return str(error.message)

    def _key_problem(self, error: ValidationError, key_path: KeyPath) -> Problem:
        """A ``propertyNames`` failure: the problem is the key itself."""
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        custom = schema.get("errorMessage")
        if error.validator != "pattern" and isinstance(custom, str):
            return Problem(key_path, custom, on_key=True)
        return Problem(key_path, self._message(error, schema), on_key=True)

    def _unknown_keys(self, schema: Mapping[str, Any], instance: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(instance, Mapping):
            return []
        known = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        problems = []
        for key in instance:
            if key in known or any(p.search(key) for p in patterns):
                continue
            hint = did_you_mean(str(key), known) or (f"expected {one_of(known)}" if known else "")
            problems.append(Problem((*path, key), f"unknown key {key!r}", hint, on_key=True))
        return problems

    def _branches(self, error: ValidationError, path: KeyPath) -> list[Problem]:
        """Report the errors of the branch the instance was meant for, not "valid under none"."""
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        options: Any = error.validator_value
        branches = [self.resolve(b) for b in options]
        instance = error.instance
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in error.context or []:
            by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)

        wanted = _declared_object_type(schema, branches)
        if wanted and not isinstance(instance, Mapping):
            return [Problem(path, f"expected a mapping, got {value_type_words(instance)}")]
        discriminators = _discriminators(branches)
        if discriminators and isinstance(instance, Mapping):
            return self._discriminated(discriminators, by_branch, instance, path)
        if isinstance(instance, Mapping) and all(b.get("type") == "object" for b in branches):
            chosen = _branch_by_keys(branches, instance)
            if chosen is not None:
                return self._map_form_typos(branches, chosen, by_branch.get(chosen, []), instance, path)
        custom = schema.get("errorMessage")
        if isinstance(custom, str):
            return [Problem(path, custom)]
        from jsonschema.exceptions import best_match

        best = best_match(error.context or [])
        return self.explain(best) if best is not None else [Problem(path, str(error.message))]

    def _discriminated(
        self,
        discriminators: list[str],
        by_branch: dict[int, list[ValidationError]],
        instance: Mapping[str, Any],
        path: KeyPath,
    ) -> list[Problem]:
        """Branches told apart by one required key each (a step's call/clock/outbox)."""
        present = [key for key in discriminators if key in instance]
        if len(present) == 1:
            return self.explain_all(by_branch.get(discriminators.index(present[0]), []))
        if len(present) > 1:
            has = one_of(present, conjunction="and")
            message = f"a step has exactly one of {one_of(discriminators)}; this one has {has}"
            return [Problem((*path, present[1]), message, on_key=True)]
        for key in instance:
            near = closest(str(key), discriminators)
            if near:
                return [Problem((*path, key), f"unknown key {key!r}", f"did you mean {near[0]!r}?", on_key=True)]
        return [Problem(path, f"a step needs one of the keys {one_of(discriminators)}")]

    def _map_form_typos(
        self,
        branches: list[Mapping[str, Any]],
        chosen: int,
        errors: list[ValidationError],
        instance: Mapping[str, Any],
        path: KeyPath,
    ) -> list[Problem]:
        """In the open-keyed form (per-pool expect), a key close to a fixed-form key is a typo of it."""
        fixed = [str(k) for i, b in enumerate(branches) if i != chosen for k in b.get("properties", {})]
        problems: list[Problem] = []
        typos: set[str] = set()
        if not branches[chosen].get("properties"):
            for key, value in instance.items():
                near = closest(str(key), fixed)
                if near and not isinstance(value, Mapping):
                    typos.add(str(key))
                    problems.append(
                        Problem((*path, key), f"unknown key {key!r}", f"did you mean {near[0]!r}?", on_key=True)
                    )
        for sub in errors:
            sub_path = tuple(sub.absolute_path)
            if len(sub_path) > len(path) and str(sub_path[len(path)]) in typos:
                continue
            if "propertyNames" in sub.relative_schema_path and sub.instance in typos:
                continue
            problems.extend(self.explain(sub))
        return problems


def _declared_object_type(schema: Mapping[str, Any], branches: list[Mapping[str, Any]]) -> bool:
    return schema.get("type") == "object" or (bool(branches) and all(b.get("type") == "object" for b in branches))


def _discriminators(branches: list[Mapping[str, Any]]) -> list[str]:
    """The first required key of each branch, when every branch has a distinct one."""
    keys = []
    for branch in branches:
        required = branch.get("required") or []
        if not required:
            return []
        keys.append(str(required[0]))
    return keys if len(set(keys)) == len(keys) else []


def _branch_by_keys(branches: list[Mapping[str, Any]], instance: Mapping[str, Any]) -> int | None:
    """The branch declaring one of the instance's keys, else the one declaring no keys at all."""
    for i, branch in enumerate(branches):
        if any(key in branch.get("properties", {}) for key in instance):
            return i
    open_forms = [i for i, branch in enumerate(branches) if not branch.get("properties")]
    return open_forms[0] if len(open_forms) == 1 else None


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
