"""Run every benchmark, one after the other, each measuring its cases side by side in one run.

.venv/bin/python benchmarks/run.py            # all of them
.venv/bin/python benchmarks/run.py srp        # only those whose name contains "srp"
.venv/bin/python benchmarks/run.py scale      # cost against pool size (bench_scale.py; about a minute)
.venv/bin/python benchmarks/run.py process    # whole processes: `authflow run` vs plain boto3, `authflow --help`,
                                              # start to first scenario (bench_process.py; a few minutes)
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    wanted = sys.argv[1:]
    for script in sorted(HERE.glob("bench_*.py")):
        if wanted and not any(word in script.stem for word in wanted):
            continue
        print(f"\n## {script.stem}\n", flush=True)
        sys.argv = [str(script)]
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
