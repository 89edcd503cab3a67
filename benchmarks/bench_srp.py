"""The math of one SRP sign-in (client A, server B, client answer, server verify) with gmpy2 and with plain
Python, interleaved in one run so both see the same machine state.

Run: `.venv/bin/python benchmarks/bench_srp.py [--rounds N] [--warmup N]` (gmpy2 must be installed).
Every round draws fresh a and b, as a real sign-in does; the stored verifier is made once per backend. The
fixed-base tables are built during the warm-up rounds, which are not counted.
"""

from __future__ import annotations

import argparse
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from itertools import pairwise

from harness.cognito import srp

POOL_ID = "us-east-1_BenchPool1"
PASSWORD = "Correct-Horse-9!"
USER_ID = "3f1e0c52-8d4b-4f0a-9c36-2b7d5e8a1f90"
SECRET_BLOCK = "c2VjcmV0LWJsb2NrLWZyb20tdGhlLXNlcnZlcg=="
PHASES = ("client A", "server B", "client respond", "server verify")
BACKENDS = ("gmpy2", "python")


def sign_in(salt: str, verifier: int) -> list[float]:
    """One sign-in's SRP math; the seconds each phase took."""
    marks = [time.perf_counter()]
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD)
    marks.append(time.perf_counter())
    server = srp.SrpServerSession.start(verifier, salt, client.srp_a_hex)
    marks.append(time.perf_counter())
    answer = client.respond(
        {
            "SALT": salt,
            "SECRET_BLOCK": SECRET_BLOCK,
            "SRP_B": server.srp_b_hex,
            "USERNAME": USER_ID,
            "USER_ID_FOR_SRP": USER_ID,
        }
    )
    marks.append(time.perf_counter())
    verified = server.verify(
        srp.pool_name(POOL_ID),
        USER_ID,
        answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        answer["TIMESTAMP"],
        answer["PASSWORD_CLAIM_SIGNATURE"],
    )
    marks.append(time.perf_counter())
    if not verified:
        raise SystemExit("the sign-in did not verify")
    return [later - earlier for earlier, later in pairwise(marks)]


def timed(action: Callable[..., object], *args: int) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


def switch(backend: str) -> None:
    if srp.use_gmpy2(backend == "gmpy2") != backend:
        raise SystemExit("gmpy2 is not installed: pip install -e '.[speed]'")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="counted sign-ins per backend (default 100)")
    parser.add_argument("--warmup", type=int, default=3, help="uncounted sign-ins per backend first (default 3)")
    args = parser.parse_args()
    initial = srp.BACKEND

    salt = srp.new_salt()
    verifiers: dict[str, int] = {}
    for backend in BACKENDS:
        switch(backend)
        verifiers[backend] = srp.make_verifier(srp.pool_name(POOL_ID), USER_ID, PASSWORD, salt)[1]
    if verifiers["gmpy2"] != verifiers["python"]:
        raise SystemExit("the backends disagree")

    phases: dict[str, list[list[float]]] = {backend: [] for backend in BACKENDS}
    g_pow: dict[str, dict[str, list[float]]] = {b: {"table": [], "powmod": []} for b in BACKENDS}
    for index in range(args.warmup + args.rounds):
        order = BACKENDS if index % 2 == 0 else BACKENDS[::-1]  # alternate who goes first
        for backend in order:
            switch(backend)
            sample = sign_in(salt, verifiers[backend])
            exponent = secrets.randbits(1024)
            by_table = timed(srp.verifier_from_x, exponent)
            by_powmod = timed(srp.powmod, srp.G, exponent)
            if index >= args.warmup:
                phases[backend].append(sample)
                g_pow[backend]["table"].append(by_table)
                g_pow[backend]["powmod"].append(by_powmod)
    srp.use_gmpy2(initial == "gmpy2")

    def median_ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    import gmpy2  # present: switch() checked

    gmpy2_version = gmpy2.version()
    print(
        f"SRP sign-in math, median of {args.rounds} interleaved rounds per backend "
        f"(Python {platform.python_version()}, gmpy2 {gmpy2_version}, {platform.machine()})\n"
    )
    print("| step | gmpy2 (ms) | pure Python (ms) | Python / gmpy2 |")
    print("|---|---:|---:|---:|")
    rows = [(name, [[sample[i] for sample in phases[b]] for b in BACKENDS]) for i, name in enumerate(PHASES)]
    rows.append(("**one sign-in**", [[sum(sample) for sample in phases[b]] for b in BACKENDS]))
    for name, (fast, slow) in rows:
        print(f"| {name} | {median_ms(fast):.2f} | {median_ms(slow):.2f} | {median_ms(slow) / median_ms(fast):.1f}x |")
    print("\ng^e mod N for a 1024-bit e (A and B), generic powmod against the fixed-base table\n")
    print("| backend | powmod (ms) | table (ms) | speed-up |")
    print("|---|---:|---:|---:|")
    for backend in BACKENDS:
        generic, table = median_ms(g_pow[backend]["powmod"]), median_ms(g_pow[backend]["table"])
        print(f"| {backend} | {generic:.2f} | {table:.2f} | {generic / table:.1f}x |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
