"""`authflow compare`: load scenarios, make the backends, compare, write the reports, always clean up."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.backends.base import Backend
from harness.backends.options import backend_keywords
from harness.compare.matrix import Comparison
from harness.engine.results import ScenarioResult, result_to_dict
from harness.scenario.model import Library, PoolConfig, Scenario


def backend_options(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """The aws options go to the aws backend only (with several backends, the others must not see them)."""
    if name == "aws":
        return backend_keywords(lambda dest: getattr(args, dest, None))
    if name == "moto" and args.aws_region:
        return {"region": args.aws_region}
    return {}


def _load(paths: Sequence[str]) -> tuple[list[Scenario], dict[str, PoolConfig], list[str]]:
    from harness.engine.library import discover

    scenarios: dict[str, Scenario] = {}
    pools: dict[str, PoolConfig] = {}
    problems: list[str] = []
    for path in paths:
        library: Library = discover(path)
        problems += [str(issue) for issue in library.issues]
        for scenario in library.scenarios:
            scenarios.setdefault(scenario.id, scenario)
        pools.update(library.pools)
    return list(scenarios.values()), pools, problems


def _print_summary(comparison: Comparison) -> None:
    from harness.compare.render import cell_lines

    for matrix in comparison.matrices:
        differing = matrix.differing_rows
        print(f"{matrix.scenario_id}: {len(differing)} of {len(matrix.rows)} steps differ")
        labels = [column.label(comparison.with_backend) for column in matrix.columns]
        for row in differing:
            note = f" ({row.consequence_note})" if row.follows is not None else ""
            print(f"  step {row.index + 1} {row.label}{note}")
            for label, cell in zip(labels, row.cells, strict=True):
                print(f"    {label:<32} {' | '.join(cell_lines(cell, comparison.mode))}")


def _progress(result: ScenarioResult) -> None:
    """One line per run; a run that did not pass says why (its first reason, redacted), never a bare 'failed'."""
    from harness.report.redact import Redactor

    line = f"  {result.scenario_id} on {result.backend}: {result.status.value}"
    if result.message and result.status.value != "passed":
        redactor = Redactor()
        redactor.learn(result_to_dict(result))
        reason = " ".join(str(redactor.redact_text(result.message)).split())
        line += f": {reason}"
    print(line, file=sys.stderr, flush=True)


def compare_command(args: argparse.Namespace) -> int:
    from harness.backends import create_backend
    from harness.compare.fidelity import fidelity_markdown
    from harness.compare.matrix import compare
    from harness.compare.render import write_comparison
    from harness.report.atomic import write_atomic

    scenarios, pools, problems = _load(args.paths)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    unknown = [name for name in args.pool or [] if name not in pools]
    if unknown:
        print(
            f"unknown pool configuration(s): {', '.join(unknown)}; known: {', '.join(sorted(pools))}", file=sys.stderr
        )
        return 2
    names = list(dict.fromkeys(args.backend or ["emulator"]))
    if "aws" in names and "moto" in names and not args.endpoint_url:
        print("moto intercepts every AWS call of the process: compare aws with moto only with --endpoint-url",
              file=sys.stderr)  # fmt: skip
        return 2
    mode = "assert" if args.fidelity else args.mode

    def pools_for(scenario: Scenario) -> list[PoolConfig]:
        return [pools[name] for name in args.pool] if args.pool else [pools[n] for n in scenario.pools if n in pools]

    backends: list[Backend] = []
    try:
        for name in names:
            backends.append(create_backend(name, **backend_options(name, args)))
        comparison = compare(scenarios, pools_for, backends, mode=mode, run_id=uuid.uuid4().hex[:8], progress=_progress)
    except KeyboardInterrupt:
        print("interrupted: cleaning up", file=sys.stderr)
        return 130
    finally:
        from harness.report.cleanup import backend_cleanup, cleanup_lines

        for backend in backends:
            backend.close()
            for line in cleanup_lines(backend_cleanup(backend)):
                print(line, file=sys.stderr)
    out = Path(args.out)
    written = write_comparison(comparison, out)
    _print_summary(comparison)
    print(f"comparison: {', '.join(str(path) for path in written.values())}")
    if args.fidelity:
        target = Path(args.fidelity)
        write_atomic(target, fidelity_markdown(comparison, target))
        print(f"fidelity table: {target}")
        return 0
    failed = mode == "assert" and any(r.status.value in ("failed", "broken") for r in comparison.results)
    return 1 if failed else 0
