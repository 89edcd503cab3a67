"""Memory over many scenarios in one process: run a scenario N times through the engine on one in-process
emulator backend and report the process's resident memory after each tenth of the runs.
Target (issue 8): flat over 10,000 scenarios. Run: `.venv/bin/python benchmarks/bench_memory.py [--runs N]`."""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.runner import run_scenario

SCENARIO = Path(__file__).with_name("scenarios") / "sign-in.yaml"


def rss_mib() -> float:
    """Current resident set size (Linux /proc), not the peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    library = discover(SCENARIO)
    [scenario] = library.scenarios
    [pool] = library.pools_for(scenario)
    backend = EmulatorBackend()
    step = max(args.runs // 10, 1)
    print(f"{args.runs} runs of {SCENARIO.name} (pool, 4 calls, teardown) in one process\n")
    print("| runs | RSS MiB | sessions kept | outbox messages |\n|---:|---:|---:|---:|")
    started = time.perf_counter()
    samples = []
    for index in range(1, args.runs + 1):
        result = run_scenario(scenario, pool, backend, run_id="mem")
        assert result.status.value == "passed", result.message
        if index % step == 0:
            gc.collect()
            samples.append(rss_mib())
            emulator = backend.emulator
            print(f"| {index} | {samples[-1]:.1f} | {len(emulator.sessions)} | {len(emulator.outbox.messages())} |")
    elapsed = time.perf_counter() - started
    print(
        f"\n{args.runs / elapsed:.0f} scenarios/s; RSS growth from the first to the last tenth: {samples[-1] - samples[0]:+.1f} MiB"
    )


if __name__ == "__main__":
    main()
