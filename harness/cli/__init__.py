"""`authflow`: run, validate and list scenarios, print the schema, and serve the emulator."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from harness.backends.options import add_to_argparse as add_aws_options
from harness.backends.options import as_argv
from harness.cli.exit_codes import EXIT_INTERRUPTED

Command = Callable[[argparse.Namespace], int]


def _emulator(args: argparse.Namespace) -> int:
    """Serve the emulator until Ctrl-C (or SIGTERM), then stop cleanly (harness/cli/emulator.py)."""
    from harness.cli.emulator import serve

    return serve(args)


def _validate(args: argparse.Namespace) -> int:
    """Lint scenario and pool files: every problem as file:line:col, non-zero exit on any."""
    from harness.engine.library import discover
    from harness.scenario.schemas import pool_schema_drift

    notice = pool_schema_drift()
    if notice:
        print(notice, file=sys.stderr)
    failed = False
    for path in args.paths:
        library = discover(path)
        for issue in library.issues:
            print(issue)
        failed |= not library.ok
        if library.ok:
            print(f"{path}: {len(library.scenarios)} scenarios, {len(library.pools)} pools, no problems")
    return 1 if failed else 0


def _list(args: argparse.Namespace) -> int:
    """The scenarios, one line each off a terminal (tab-separated: id, pools, tags, title; never cut, so CI logs
    and scripts read whole ids), a table in a terminal whose id column is never wrapped."""
    import os

    from harness.cli.run import plain_output
    from harness.engine.library import discover

    rows: list[tuple[str, str, str, str, str]] = []
    problems = 0
    for path in args.paths:
        library = discover(path)
        problems += len(library.issues)
        for scenario in library.scenarios:
            if args.tag and not set(args.tag) & set(scenario.tags):
                continue
            pools, tags = ", ".join(scenario.pools), ", ".join(scenario.tags)
            rows.append((scenario.id, scenario.title, pools, tags, "\n".join(scenario.refs)))
    if plain_output(sys.stdout, os.environ):
        for scenario_id, title, pools, tags, _ in rows:
            print("\t".join((scenario_id, pools, tags, " ".join(title.split()))))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="authflow scenarios")
        table.add_column("scenario", no_wrap=True)
        for name in ("title", "pools", "tags", "refs"):
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
    if problems:
        print(f"{problems} problems: run `authflow validate` to see them", file=sys.stderr)
    return 1 if problems else 0


def _schema(args: argparse.Namespace) -> int:
    from harness.scenario.schemas import schema_text, write_schemas
    from harness.steps import BUILTIN_STEP_KINDS, STEP_KINDS

    if args.write:
        for path in write_schemas(BUILTIN_STEP_KINDS):  # the committed file: the harness's own kinds
            print(f"wrote {path}")
        return 0
    sys.stdout.write(schema_text("pool" if args.pool else "scenario", STEP_KINDS))
    return 0


def _library_path(path: str) -> str:
    """A folder as `scenarios/` however it was typed, so the page does not change with a trailing slash."""
    from pathlib import Path

    return path.rstrip("/") + "/" if Path(path).is_dir() else path


def docs_command_line(args: argparse.Namespace) -> str:
    """The `authflow docs` command that makes this page, as the page and --check tell a reader to run it."""
    import shlex

    words = ["authflow", "docs", _library_path(args.path), "--out", args.out]
    if args.title:
        words += ["--title", args.title]
    if args.intro:
        words += ["--intro", args.intro]
    if args.results:
        words += ["--results", args.results]
    return shlex.join(words)


def _docs(args: argparse.Namespace) -> int:
    """Write the pitfalls catalogue from the scenario files (and a results file's outcomes); --check only compares."""
    from pathlib import Path

    from harness.catalogue.pitfalls import DEFAULT_TITLE, render_catalogue
    from harness.engine.library import discover
    from harness.report.atomic import write_atomic
    from harness.report.json_results import read_json

    library = discover(args.path)
    if not library.ok:
        for issue in library.issues:
            print(issue, file=sys.stderr)
        return 1
    try:
        results = read_json(Path(args.results)) if args.results else None
    except (OSError, ValueError) as exc:
        print(f"authflow docs: cannot read the results: {exc}", file=sys.stderr)
        return 2
    try:
        intro = Path(args.intro).read_text(encoding="utf-8") if args.intro else None
    except (OSError, UnicodeDecodeError) as exc:
        print(f"authflow docs: cannot read the introduction {args.intro}: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    command = docs_command_line(args)
    text = render_catalogue(
        library, out.parent, results, f"`{args.results}`",
        title=args.title or DEFAULT_TITLE, intro=intro, library_path=_library_path(args.path), command=command,
    )  # fmt: skip
    if args.check:
        if out.is_file() and out.read_text(encoding="utf-8") == text:
            print(f"{out}: up to date ({len(library.scenarios)} scenarios)")
            return 0
        print(f"{out} is out of date with {args.path}: run `{command}`", file=sys.stderr)
        return 1
    write_atomic(out, text)
    print(f"{out}: {len(library.scenarios)} scenarios")
    return 0


def _run(args: argparse.Namespace) -> int:
    """Run scenarios through pytest (one way to run them), with a live progress bar and a result table.

    Start-up (imports, pytest's configuration) allocates what lives for the whole run and no garbage to speak
    of, so the garbage collector is paused until collection starts: otherwise it walks that growing heap again
    and again while it loads (about a tenth of a second). `run` resumes it then (see ProgressPlugin).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        from harness.cli.run import run

        # The aws options travel to pytest with the paths (pytest reads options anywhere on its command line).
        args.paths = [*args.paths, *as_argv(lambda dest: getattr(args, dest, None))]
        args.resume_gc = collecting
        return run(args)
    finally:
        if collecting:
            gc.enable()


# --- aws backend options, `authflow compare` and `authflow aws sweep` -----------------------------------


def _compare(args: argparse.Namespace) -> int:
    """Run scenarios across pool configurations and backends; write compare.html/.md/.json (and fidelity)."""
    from harness.cli.compare import compare_command

    return compare_command(args)


def _aws_sweep(args: argparse.Namespace) -> int:
    """Delete test pools that earlier runs left behind (tagged ones only, older than the given age)."""
    from harness.backends.sweep import sweep_command

    return sweep_command(
        args.older_than,
        pool_ids=args.pool_ids,
        dry_run=args.dry_run,
        endpoint_url=args.endpoint_url,
        region=args.aws_region,
        profile=args.aws_profile,
    )


def _add_compare_and_aws(commands: Any, backend_names: Sequence[str]) -> None:
    compare = commands.add_parser("compare", help="compare scenarios across pool configurations and backends")
    compare.add_argument("paths", nargs="*", default=["scenarios"], help="scenario files or folders")
    compare.add_argument("--pool", action="append", help="a pool configuration to run on (repeatable)")
    compare.add_argument("--backend", action="append", choices=backend_names, help="repeatable (default: emulator)")
    compare.add_argument("--mode", choices=("observe", "assert"), default="observe",
                         help="observe: record outcomes, ignore expectations; assert: check them")  # fmt: skip
    compare.add_argument("--out", default="reports/compare", metavar="DIR", help="default: reports/compare")
    compare.add_argument("--fidelity", metavar="FILE", help="also write the fidelity table here (implies assert)")
    add_aws_options(compare)
    compare.set_defaults(handler=_compare)

    aws = commands.add_parser("aws", help="tools for real pools in an AWS account")
    aws_commands = aws.add_subparsers(dest="aws_command", required=True)
    sweep = aws_commands.add_parser("sweep", help="delete leftover test pools (tagged by authflow) older than an age")
    sweep.add_argument("--older-than", metavar="AGE", help="e.g. 2h, 90m, 1d (default: 2h; 0s with --pool-id)")
    sweep.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    sweep.add_argument(
        "--pool-id", action="append", default=[], dest="pool_ids", metavar="ID",
        help="only this pool, whatever its age, if it is an authflow test pool (repeatable)",
    )  # fmt: skip
    add_aws_options(sweep, existing_pools=False)
    sweep.set_defaults(handler=_aws_sweep)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="authflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    from harness.backends import BACKEND_NAMES

    run = commands.add_parser("run", help="run scenarios and write reports")
    run.add_argument("paths", nargs="*", default=["scenarios"], help="scenario files or folders (default: scenarios)")
    run.add_argument("--backend", choices=BACKEND_NAMES, default="emulator")
    run.add_argument("--reports", default="reports", metavar="DIR", help="where reports go (default: reports/)")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="only scenarios matching this pytest -k expression")
    run.add_argument("-m", dest="markers", metavar="EXPR", help="only scenarios whose tags match (e.g. 'session')")
    run.add_argument("-n", dest="workers", metavar="N", help="run in N processes (pytest-xdist), or 'auto'")
    run.add_argument(
        "--no-allure",
        action="store_true",
        help="leave allure-pytest out: no allure results (reports/allure-results stays empty), a shorter run",
    )
    add_aws_options(run)
    run.set_defaults(handler=_run)

    validate = commands.add_parser("validate", help="check scenario and pool files; non-zero exit on any problem")
    validate.add_argument("paths", nargs="*", default=["scenarios"])
    validate.set_defaults(handler=_validate)

    listing = commands.add_parser("list", help="list scenarios with titles, pools, tags and refs")
    listing.add_argument("paths", nargs="*", default=["scenarios"])
    listing.add_argument("--tag", action="append", help="only scenarios with this tag (repeatable)")
    listing.set_defaults(handler=_list)

    schema = commands.add_parser("schema", help="print the scenario JSON Schema (or the pool schema)")
    schema.add_argument("--pool", action="store_true", help="print the pool-configuration schema instead")
    schema.add_argument(
        "--write",
        action="store_true",
        help="regenerate schemas/*.schema.json (scenario: from the step kinds; pool: from botocore)",
    )
    schema.set_defaults(handler=_schema)

    docs = commands.add_parser("docs", help="write the pitfalls catalogue (Markdown with Mermaid diagrams)")
    docs.add_argument("path", nargs="?", default="scenarios", help="the scenario library (default: scenarios)")
    docs.add_argument("--out", default="docs/pitfalls.md", help="default: docs/pitfalls.md")
    docs.add_argument("--results", metavar="FILE", help="a results.json: show the last outcome per backend and pool")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 when --out is out of date")
    docs.add_argument("--title", help="your page's title (default: the shipped catalogue's)")
    docs.add_argument("--intro", metavar="FILE", help="a Markdown file: your introduction, under the title")
    docs.set_defaults(handler=_docs)

    emulator = commands.add_parser("emulator", help="serve the Cognito emulator over HTTP")
    from harness.cli.emulator import add_arguments as add_emulator_arguments

    add_emulator_arguments(emulator)
    emulator.set_defaults(handler=_emulator)

    _add_compare_and_aws(commands, BACKEND_NAMES)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler: Command = args.handler
        return handler(args)
    except KeyboardInterrupt:  # e.g. while the heavy imports load: one line, not a traceback through them all
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def entry() -> NoReturn:
    """The `authflow` program (its console script and `python -m harness.cli`): `main`, then `end_process`."""
    end_process(main())


def end_process(code: int) -> NoReturn:
    """End the process once a command has returned, as an ordinary exit would but without tearing down the heap.

    When a command returns its work is done: the reports written, flushed, closed and switched in, the backend
    closed (pools torn down, a loopback server or worker processes stopped), the output printed. An ordinary
    exit then (1) waits for the threads that are still running and runs what they registered (thread pools
    finish their queued work), (2) runs the functions registered with atexit (logging's flush, multiprocessing
    stopping its children), (3) flushes stdout and stderr, then (4) unloads every module and frees the heap:
    after a run of a hundred scenarios half a second (the botocore model, the pytest session, the results),
    which nobody waits for usefully. Here (1) to (3) happen exactly so, through CPython's own functions, and
    (4) is skipped with os._exit. Where those functions do not exist (another Python), the exit is ordinary.
    In-process callers (tests) call `main`, which returns.
    """
    wait_for_threads = getattr(threading, "_shutdown", None)
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if (
        wait_for_threads is None
        or run_exit_functions is None
        or threading.current_thread() is not threading.main_thread()
    ):
        sys.exit(code)
    wait_for_threads()
    run_exit_functions()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, or its reader went away
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
