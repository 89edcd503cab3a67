"""The whole shipped scenario library through `authflow run`, start-up included, three ways in one run:
in-process emulator, loopback HTTP emulator, and in-process with `-n 2` (pytest-xdist).
Target (issue 8): under 5 s of wall time on 2 cores. Run: `.venv/bin/python benchmarks/bench_library.py`."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODES = {
    "in-process": ["--backend", "emulator"],
    "loopback HTTP": ["--backend", "emulator-http"],
    "in-process, -n 2": ["--backend", "emulator", "-n", "2"],
}


def run_once(extra: list[str], reports: Path) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "harness.cli", "run", str(REPO / "scenarios"), "--reports", str(reports), *extra],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"authflow run {' '.join(extra)} failed:\n{done.stdout}\n{done.stderr}")
    runs = len(json.loads((reports / "results.json").read_text())["results"])
    return elapsed, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    timings: dict[str, list[float]] = {name: [] for name in MODES}
    runs = 0
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.rounds):  # interleaved, so every mode sees the same machine
            for name, extra in MODES.items():
                elapsed, runs = run_once(extra, Path(scratch) / name.replace(" ", "-"))
                timings[name].append(elapsed)
    print(f"`authflow run scenarios/` ({runs} scenario runs), wall time incl. start-up, median of {args.rounds}\n")
    print("| mode | seconds |\n|---|---:|")
    for name, values in timings.items():
        print(f"| {name} | {statistics.median(values):.2f} |")
    base = statistics.median(timings["in-process"])
    for name in ("loopback HTTP", "in-process, -n 2"):
        print(f"\n{name} / in-process: {statistics.median(timings[name]) / base:.2f}x", end="")
    print()


if __name__ == "__main__":
    main()
