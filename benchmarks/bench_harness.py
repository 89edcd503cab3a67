"""Harness overhead: a scenario run by the engine vs the same calls made directly with boto3, both against
the in-process emulator, side by side in one run. Target (issue 3): the harness adds at most 15%.

Both sides create the pool and its client, make the same five calls and delete the pool; the harness side
also renders templates, fills ids, checks expectations (tokens against the JWKS included) and records results.
Run: `.venv/bin/python benchmarks/bench_harness.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import jwt

from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.runner import run_scenario

SCENARIO = Path(__file__).with_name("scenarios") / "sign-in.yaml"
PASSWORD = "Correct-Horse-9!"


def direct(backend: EmulatorBackend, index: int) -> None:
    """What a hand-written boto3 test would do for the same scenario."""
    cognito = backend.cognito()
    pool_id = cognito.create_user_pool(PoolName="direct", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    name = f"direct-{index}"
    email = f"{name}@example.com"
    cognito.sign_up(
        ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": email}]
    )
    code = backend.sent_messages(pool_id, email)[-1]["Code"]
    cognito.confirm_sign_up(ClientId=client_id, Username=name, ConfirmationCode=code)
    tokens = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD}
    )["AuthenticationResult"]
    keys = jwt.PyJWKSet.from_dict(backend.jwks(pool_id))
    for token in (tokens["IdToken"], tokens["AccessToken"]):
        jwt.decode(token, keys.keys[0].key, algorithms=["RS256"], options={"verify_aud": False, "verify_exp": False})
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == name
    cognito.delete_user_pool(UserPoolId=pool_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    args = parser.parse_args()
    library = discover(SCENARIO)
    assert library.ok, library.issues
    [scenario] = library.scenarios
    [pool] = library.pools_for(scenario)
    backend = EmulatorBackend()
    timings: dict[str, list[float]] = {"direct boto3": [], "authflow engine": []}
    for index in range(args.rounds + 5):  # interleaved, so both see the same machine state
        started = time.perf_counter()
        direct(backend, index)
        direct_s = time.perf_counter() - started
        started = time.perf_counter()
        result = run_scenario(scenario, pool, backend, run_id="bench")
        harness_s = time.perf_counter() - started
        assert result.status.value == "passed", result.message
        if index >= 5:  # warm-up rounds are not counted
            timings["direct boto3"].append(direct_s)
            timings["authflow engine"].append(harness_s)
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    print(f"one scenario (pool + 5 calls + teardown), median of {args.rounds} interleaved rounds\n")
    print("| what | ms per scenario |\n|---|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.2f} |")
    overhead = medians["authflow engine"] / medians["direct boto3"] - 1
    print(f"\nharness overhead: {overhead * 100:+.1f}% (target <= +15%)")


if __name__ == "__main__":
    main()
