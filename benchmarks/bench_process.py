"""Whole processes, side by side in one run (issue 18): what a user waits for, start-up and exit included.

(a) `authflow run` on N copies (default 100) of benchmarks/scenarios/sign-in.yaml (pool, 4 calls, token
    checks, teardown; reports written) vs benchmarks/plain_boto3.py making the same calls in one process
    against the same in-process emulator, no reports. Target: at most 1.5x. Also shown: the same run with
    `--no-allure` (no allure results), which says what allure-pytest's part is.
    Beside them, the stack's floor: benchmarks/pytest_boto3.py, the same calls as N pytest test functions run by
    pytest with allure-pytest writing its results, and nothing of authflow's (plugin autoload off, no conftest,
    no configuration; pytest's own plugins left out as `authflow run` leaves them out, but for the two test
    functions need). It says how much of the ratio the two packages authflow is built on take by themselves,
    and `authflow run` is also shown against it.
(b) `authflow --help`. Target: under 0.15 s (`python -c pass` is shown for scale).
(c) start to first scenario: `authflow run` of one copy, from the moment before the process is started to the
    moment its first scenario starts with the backend ready (the timestamp the plugin writes to the file named
    by AUTHFLOW_TIMESTAMPS). Target: under 0.8 s. The same is shown for the run of N copies (collection of N
    files included), and for both runs the time from the report set switched in to the process gone.

The harness's byte-code caches are written first (`compileall`), as an installed package has them: with
PYTHONDONTWRITEBYTECODE set, a checkout would otherwise compile every module from source in every process.
Each round runs every command once, one after the other (A B C ...), so all see the same machine; figures are
medians over the rounds. Each process is timed from outside: wall time from before its start to after it is
reaped, and its CPU time (user + system, from wait4). The a/b ratio is the median of each round's ratio.
Commands run with this Python from the repository root (`python -m harness.cli`, as the console script does).

Run: `.venv/bin/python benchmarks/bench_process.py [--rounds 5] [--copies 100]`.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "benchmarks" / "scenarios" / "sign-in.yaml"
POOLS = REPO / "benchmarks" / "scenarios" / "pools"
TIMESTAMPS_ENV = "AUTHFLOW_TIMESTAMPS"  # harness.pytest_plugin.TIMESTAMPS_ENV (not imported: the driver stays light)
FLOOR = "pytest + allure-pytest, same calls"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    first_scenario: list[float] = field(default_factory=list)
    exit_after_reports: list[float] = field(default_factory=list)


def library(folder: Path, copies: int) -> Path:
    """`copies` copies of the benchmark scenario with its pool folder."""
    folder.mkdir(parents=True)
    shutil.copytree(POOLS, folder / "pools")
    for index in range(copies):
        shutil.copyfile(SCENARIO, folder / f"sign-in-{index + 1:04d}.yaml")
    return folder


def timed(command: list[str], scratch: Path, timing: Timing, extra_env: dict[str, str] | None = None) -> str:
    """Run `command` to its end; record wall and CPU time (and the plugin's timestamps); return its output."""
    stamps = scratch / "timestamps.txt"
    stamps.unlink(missing_ok=True)
    output = scratch / "output.txt"
    env = {**os.environ, **(extra_env or {}), TIMESTAMPS_ENV: str(stamps)}
    with output.open("wb") as sink:
        started = time.time()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        ended = time.time()
    process.returncode = os.waitstatus_to_exitcode(status)
    text = output.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{text}")
    timing.wall.append(ended - started)
    timing.cpu.append(usage.ru_utime + usage.ru_stime)
    if stamps.exists():
        marks: dict[str, float] = {}
        for line in stamps.read_text(encoding="utf-8").splitlines():
            event, _, at = line.partition(" ")
            marks.setdefault(event, float(at))  # the first of each (under xdist, each process writes its own)
        if "first-scenario" in marks:
            timing.first_scenario.append(marks["first-scenario"] - started)
        if "reports-written" in marks:
            timing.exit_after_reports.append(ended - marks["reports-written"])
    return text


def floor_plugins_off() -> list[str]:
    """pytest's own plugins as `authflow run` leaves them out, but for the two test functions need: python
    collects them, terminal prints the count checked below."""
    from harness.cli.run import UNUSED_BUILTINS  # the driver only; nothing it imports is measured

    return [word for name in UNUSED_BUILTINS if name not in ("python", "terminal") for word in ("-p", f"no:{name}")]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratios(a: list[float], b: list[float]) -> list[float]:
    """Each round's a/b: the two processes ran one after the other, so each ratio saw one state of the machine."""
    return [x / y for x, y in zip(a, b, strict=True)]


def middle_half(values: list[float]) -> str:
    """The interquartile range of the rounds' ratios: how far one run's median may be from another's."""
    if len(values) < 4:
        return "too few rounds for quartiles"
    low, _, high = statistics.quantiles(values, n=4)
    return f"middle half of the rounds {low:.2f}x to {high:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    python = sys.executable
    for folder in ("harness", "benchmarks"):
        compileall.compile_dir(REPO / folder, quiet=1)
    timings: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory(prefix="authflow-bench-") as temporary:
        scratch = Path(temporary)
        many = library(scratch / "many", args.copies)
        one = library(scratch / "one", 1)
        floor = scratch / "pytest-floor"
        floor.mkdir()
        (floor / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the repository's configuration
        floor_command = [
            python, "-m", "pytest", "-q", "-p", "allure_pytest.plugin", "--alluredir", str(floor / "allure"),
            *floor_plugins_off(), "--noconftest", "-c", str(floor / "pytest.ini"), "--rootdir", str(floor),
            "benchmarks/pytest_boto3.py",
        ]  # fmt: skip
        commands = {
            "plain boto3": [python, "benchmarks/plain_boto3.py", str(args.copies)],
            FLOOR: floor_command,
            "authflow run": [python, "-m", "harness.cli", "run", str(many), "--reports", str(scratch / "r-many")],
            "authflow run --no-allure": [
                python,
                "-m",
                "harness.cli",
                "run",
                str(many),
                "--reports",
                str(scratch / "r-lean"),
                "--no-allure",
            ],
            "authflow run (1 copy)": [
                python,
                "-m",
                "harness.cli",
                "run",
                str(one),
                "--reports",
                str(scratch / "r-one"),
            ],
            "authflow --help": [python, "-m", "harness.cli", "--help"],
            "python -c pass": [python, "-c", "pass"],
        }
        floor_env = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "AUTHFLOW_BENCH_COPIES": str(args.copies)}
        env = {FLOOR: floor_env}
        for name, command in commands.items():  # one unmeasured run each: caches (pyc files, the disk) warm
            text = timed(command, scratch, Timing(), env.get(name))
            if name == "authflow run" and f"{args.copies} scenario runs: {args.copies} passed" not in text:
                raise SystemExit(f"authflow run did not pass all {args.copies} scenarios:\n{text}")
            if name == "plain boto3" and f"{args.copies} flows passed" not in text:
                raise SystemExit(f"plain_boto3.py did not pass:\n{text}")
            if name == FLOOR and f"{args.copies} passed" not in text:
                raise SystemExit(f"pytest_boto3.py did not pass:\n{text}")
        for _ in range(args.rounds):
            for name, command in commands.items():
                timed(command, scratch, timings.setdefault(name, Timing()), env.get(name))

    plain, run, one_run = timings["plain boto3"], timings["authflow run"], timings["authflow run (1 copy)"]
    print(f"whole processes, median of {args.rounds} interleaved rounds ({os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]})\n")  # fmt: skip
    print("| command | wall s | cpu s | start to first scenario s | reports written to exit s |")
    print("|---|---:|---:|---:|---:|")
    for name, timing in timings.items():
        first = f"{median(timing.first_scenario):.3f}" if timing.first_scenario else "-"
        after = f"{median(timing.exit_after_reports):.3f}" if timing.exit_after_reports else "-"
        print(f"| {name} | {median(timing.wall):.3f} | {median(timing.cpu):.3f} | {first} | {after} |")
    wall_ratios = ratios(run.wall, plain.wall)
    cpu_ratio = median(ratios(run.cpu, plain.cpu))
    print(f"\n(a) authflow run / plain boto3, {args.copies} copies: {median(wall_ratios):.2f}x wall "
          f"({middle_half(wall_ratios)}), {cpu_ratio:.2f}x cpu (target <= 1.5x)")  # fmt: skip
    lean = timings["authflow run --no-allure"]
    print(f"    without allure results (--no-allure): {median(ratios(lean.wall, plain.wall)):.2f}x wall")
    floor = timings[FLOOR]
    floor_ratio = median(ratios(floor.wall, plain.wall))
    over_floor = median(ratios(run.wall, floor.wall))
    print(f"    the stack's floor, the same calls as {args.copies} pytest tests with allure-pytest: "
          f"{floor_ratio:.2f}x wall; authflow run / that floor: {over_floor:.2f}x")  # fmt: skip
    rounds = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(run.wall, plain.wall, strict=True))
    print(f"    each round, authflow run / plain boto3 wall s: {rounds} (a spread says the machine was noisy)")
    print(f"(b) authflow --help: {median(timings['authflow --help'].wall):.3f} s (target < 0.15 s)")
    print(f"(c) start to first scenario: {median(one_run.first_scenario):.3f} s (target < 0.8 s)")


if __name__ == "__main__":
    main()
