"""docs/pitfalls.md: every scenario of the library as a documented pitfall, with an index by tag.

Each section has the scenario's symptom, cause, fix and refs, its flow as a Mermaid sequence diagram and, when
a results file is given, the last outcome per backend and pool. The output depends only on the scenario files
(and the results, when given): sorted, no dates of its own, so a test can regenerate it and compare.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from harness.catalogue.markdown import inline, link_text, prose, ref_link
from harness.catalogue.mermaid import sequence_diagram
from harness.catalogue.outcomes import Outcome, last_outcomes
from harness.engine.results import ScenarioResult
from harness.report.markdown import table_code
from harness.scenario.model import Library, Scenario

COMMAND = "authflow docs scenarios/ --out docs/pitfalls.md"
"""How the committed catalogue is made; the sync test tells to run it."""
UNTAGGED = "untagged"

DEFAULT_TITLE = "Cognito and Amplify pitfalls"


def _intro(title: str, intro: str | None, library_path: str, command: str) -> str:
    """The page's head: a team's own title and introduction (its own Markdown), then what every catalogue
    needs to be read: where it comes from, how to regenerate it, what the diagrams' arrows mean."""
    own = f"{intro.strip()}\n\n" if intro and intro.strip() else ""
    return f"""\
# {inline(title)}

<!-- Generated from the scenario files by `{command}`: do not edit by hand. -->

{own}Each section below is one scenario of `{library_path}`: what you see (symptom), why (cause), what to do (fix),
and the flow as the scenario runs it. The page is generated from the scenario files by
`{command}`, and a test fails when it is out of date with them.

In the diagrams a solid arrow is a request and a dashed arrow the reply the scenario expects; a crossed arrow
(`--x`) is an error. `alt` boxes show replies that differ between pool configurations. Values are never shown:
‹name› stands for a scenario variable.
"""


Anchors = tuple[dict[str, str], dict[str, str]]
"""HTML ids: scenario id -> its section's, tag -> its index entry's."""


def _anchor_ids(scenarios: list[Scenario], tags: Iterable[str]) -> Anchors:
    """Unique ids: a scenario's is its id, a tag's ``tag-<tag>``; a clash gets a number."""
    used: set[str] = set()

    def unique(wanted: str) -> str:
        base = re.sub(r"[^a-z0-9_-]+", "-", wanted.lower()).strip("-") or "section"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        return candidate

    by_scenario = {scenario.id: unique(scenario.id) for scenario in scenarios}
    by_tag = {tag: unique(f"tag-{tag}") for tag in tags}
    return by_scenario, by_tag


def _by_tag(scenarios: list[Scenario]) -> dict[str, list[Scenario]]:
    """Tag -> its scenarios, tags sorted with ``untagged`` last; scenarios keep the catalogue's order."""
    groups: dict[str, list[Scenario]] = {}
    for scenario in scenarios:
        for tag in dict.fromkeys(scenario.tags or (UNTAGGED,)):
            groups.setdefault(tag, []).append(scenario)
    return dict(sorted(groups.items(), key=lambda item: (item[0] == UNTAGGED, item[0])))


def _index(groups: dict[str, list[Scenario]], anchors: Anchors) -> list[str]:
    by_scenario, by_tag = anchors
    lines = ["## Index by tag", ""]
    for tag, members in groups.items():
        lines.append(f'- <a id="{by_tag[tag]}"></a>**{inline(tag)}**')
        lines += [f"  - [{link_text(s.title)}](#{by_scenario[s.id]})" for s in members]
    return lines


def _relative(path: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(path.resolve(), out_dir.resolve())).as_posix()


def _meta(scenario: Scenario, library: Library, out_dir: Path, tag_anchors: dict[str, str]) -> str:
    """Tags (linked to the index), pools (linked to their files) and the scenario file."""
    tags = [f"[`{tag}`](#{tag_anchors[tag]})" for tag in scenario.tags] or [f"[{UNTAGGED}](#{tag_anchors[UNTAGGED]})"]
    pools = [
        f"[`{name}`]({_relative(library.pools[name].path, out_dir)})" if name in library.pools else f"`{name}`"
        for name in scenario.pools
    ]
    source = f"[{scenario.path.name}]({_relative(scenario.path, out_dir)})"
    return f"Tags: {', '.join(tags)} · Pools: {', '.join(pools)} · Source: {source}"


def _outcome_table(outcomes: list[Outcome]) -> list[str]:
    if not outcomes:
        return ["_Last run: no outcome for this scenario in the results file._"]
    lines = ["Last run:", "", "| backend | pool | outcome | when |", "|---|---|---|---|"]
    lines += [f"| {o.backend} | {o.pool} | {o.shown} | {o.when} |" for o in outcomes]
    return lines


def _examples_table(scenario: Scenario) -> list[str]:
    """The rows of the scenario's examples table, each a run of its own: name and values (a secret's shown
    masked, as in every report)."""
    names = list(dict.fromkeys(name for row in scenario.examples for name in row.vars))
    lines = ["Runs once per row of its examples table:", "", f"| row | {' | '.join(names)} |",
             f"|---|{'---|' * len(names)}"]  # fmt: skip
    for row in scenario.examples:
        cells = [_example_value(name, row.vars.get(name), scenario.secrets) for name in names]
        lines.append(f"| {table_code(row.name)} | {' | '.join(cells)} |")
    return lines


def _example_value(name: str, value: object, secrets: Iterable[str]) -> str:
    if name in secrets:
        return "‹secret›"
    return table_code(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str))


def _section(
    scenario: Scenario, library: Library, out_dir: Path, anchors: Anchors, outcomes: list[Outcome] | None
) -> list[str]:
    by_scenario, by_tag = anchors
    lines = [f'<a id="{by_scenario[scenario.id]}"></a>', "", f"## {inline(scenario.title)}", ""]
    lines += [_meta(scenario, library, out_dir, by_tag), ""]
    if scenario.description.strip():
        lines += [prose(scenario.description), ""]
    labelled = (("Symptom", scenario.symptom), ("Cause", scenario.cause), ("Fix", scenario.fix))
    items = [f"- **{label}**: {inline(value)}" for label, value in labelled if value.strip()]
    if scenario.refs:
        items.append("- **Refs**: " + ", ".join(ref_link(ref) for ref in scenario.refs))
    if items:
        lines += [*items, ""]
    if scenario.examples:
        lines += [*_examples_table(scenario), ""]
    lines += ["```mermaid", sequence_diagram(scenario), "```", ""]
    if outcomes is not None:
        lines += [*_outcome_table(outcomes), ""]
    return lines


def render_catalogue(
    library: Library,
    out_dir: Path,
    results: list[ScenarioResult] | None = None,
    results_source: str = "the results file",
    *,
    title: str = DEFAULT_TITLE,
    intro: str | None = None,
    library_path: str = "scenarios/",
    command: str = COMMAND,
) -> str:
    """The whole catalogue. ``out_dir`` is where the file goes (links are relative to it); with ``results``,
    each section gets the last outcome per backend and pool, and ``results_source`` names the file. ``title``
    and ``intro`` (Markdown) are the team's own; ``command`` is how the page was made, shown on it."""
    scenarios = sorted(library.scenarios, key=lambda s: s.id)
    groups = _by_tag(scenarios)
    anchors = _anchor_ids(scenarios, groups)
    outcomes = last_outcomes(results) if results is not None else None
    summary = f"{len(scenarios)} scenarios."
    if outcomes is not None:
        summary += f" Outcomes: the last run per backend and pool in {results_source}."
    lines = [_intro(title, intro, library_path, command), summary, "", *_index(groups, anchors), ""]
    for scenario in scenarios:
        mine = None if outcomes is None else outcomes.get(scenario.id, [])
        lines += _section(scenario, library, out_dir, anchors, mine)
    return "\n".join(lines).rstrip() + "\n"
