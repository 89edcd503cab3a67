"""Cost per call against pool size, measured side by side in one run:

- sign-in (USER_PASSWORD_AUTH by email), GetUser and AdminCreateUser through an in-process boto3 client, in an
  email-as-username pool of 1k users and one of 8k users, interleaved call by call so drift hits both alike;
- paging through every user of a 50k-user pool with ListUsers (60 a page), with and without a filter, through
  `Emulator.call` (request and reply JSON, validation, the operation); then through boto3, next to botocore's
  own cost for as many pages (parsing 120 timestamps a page dominates it, whatever answers).

Targets: each call at 8k users within 1.5x of the same call at 1k; 50k users paged by the emulator in under 2 s.
The pools are filled through `Emulator.call` (no boto3) to keep the set-up short.
Run: `.venv/bin/python benchmarks/bench_scale.py [--rounds N] [--small N] [--large N] [--list-users N]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from harness.emulator import Emulator

PASSWORD = "Correct-Horse-9!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _email(pool_index: int, user_index: int) -> str:
    return f"user{user_index}.p{pool_index}@example.com"


def _email_pool(emu: Emulator, index: int, size: int) -> tuple[str, str]:
    """An email-as-username pool of `size` confirmed users; returns (pool id, client id)."""
    pool_id = emu.call("CreateUserPool", {"PoolName": f"scale{index}", "UsernameAttributes": ["email"]})
    pool = str(pool_id["UserPool"]["Id"])
    client = emu.call("CreateUserPoolClient", {"UserPoolId": pool, "ClientName": "c", "ExplicitAuthFlows": FLOWS})
    for user in range(size):
        email = _email(index, user)
        attributes = [{"Name": "email_verified", "Value": "true"}]
        emu.call(
            "AdminCreateUser",
            {"UserPoolId": pool, "Username": email, "MessageAction": "SUPPRESS", "UserAttributes": attributes},
        )
        emu.call(
            "AdminSetUserPassword", {"UserPoolId": pool, "Username": email, "Password": PASSWORD, "Permanent": True}
        )
    return pool, str(client["UserPoolClient"]["ClientId"])


def _timed(call: Callable[..., Any], **params: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call(**params)
    return time.perf_counter() - started, result


def bench_calls(rounds: int, sizes: tuple[int, int]) -> dict[str, dict[int, float]]:
    """Median seconds per call, by operation and pool size."""
    emu = Emulator()
    cognito = emu.client()
    started = time.perf_counter()
    pools = {size: _email_pool(emu, index, size) for index, size in enumerate(sizes)}
    print(f"filled pools of {' and '.join(map(str, sizes))} users in {time.perf_counter() - started:.1f} s")
    samples: dict[str, dict[int, list[float]]] = {
        op: {size: [] for size in sizes} for op in ("sign-in", "GetUser", "AdminCreateUser")
    }
    tokens: dict[int, list[str]] = {size: [] for size in sizes}

    def sign_in(index: int, size: int, user: int) -> tuple[float, Any]:
        parameters = {"USERNAME": _email(index, user), "PASSWORD": PASSWORD}
        return _timed(
            cognito.initiate_auth, ClientId=pools[size][1], AuthFlow="USER_PASSWORD_AUTH", AuthParameters=parameters
        )

    for index, size in enumerate(sizes):
        sign_in(index, size, 0)  # warm up: key generation, the botocore model
    for round_ in range(rounds):
        for index, size in enumerate(sizes):
            # users spread over the whole pool, so a scan would pay its average cost
            elapsed, result = sign_in(index, size, (round_ * 7919) % size)
            samples["sign-in"][size].append(elapsed)
            tokens[size].append(result["AuthenticationResult"]["AccessToken"])
    for round_ in range(rounds):
        for size in sizes:
            elapsed, _ = _timed(cognito.get_user, AccessToken=tokens[size][round_])
            samples["GetUser"][size].append(elapsed)
    for round_ in range(rounds):
        for index, size in enumerate(sizes):
            elapsed, _ = _timed(
                cognito.admin_create_user,
                UserPoolId=pools[size][0],
                Username=f"new{round_}.p{index}@example.com",
                MessageAction="SUPPRESS",
                TemporaryPassword=PASSWORD,
            )
            samples["AdminCreateUser"][size].append(elapsed)
    return {
        op: {size: statistics.median(values) for size, values in by_size.items()} for op, by_size in samples.items()
    }


def bench_list_users(count: int, runs: int) -> dict[str, float]:
    """Median seconds to page through every user of a `count`-user pool, unfiltered and filtered."""
    emu = Emulator()
    cognito = emu.client()
    pool = str(emu.call("CreateUserPool", {"PoolName": "list"})["UserPool"]["Id"])
    started = time.perf_counter()
    for user in range(count):
        attributes = [{"Name": "email", "Value": f"user{user}@{'even' if user % 2 == 0 else 'odd'}.example.com"}]
        emu.call(
            "AdminCreateUser",
            {
                "UserPoolId": pool,
                "Username": f"user{user:06d}",
                "MessageAction": "SUPPRESS",
                "TemporaryPassword": PASSWORD,
                "UserAttributes": attributes,
            },
        )
    print(f"filled a pool of {count} users in {time.perf_counter() - started:.1f} s")

    def page_all(list_page: Callable[[dict[str, Any]], dict[str, Any]], filter_: str | None, expected: int) -> float:
        started = time.perf_counter()
        seen: list[str] = []
        token: str | None = None
        while True:
            request: dict[str, Any] = {"UserPoolId": pool, "Limit": 60}
            if filter_:
                request["Filter"] = filter_
            if token:
                request["PaginationToken"] = token
            page = list_page(request)
            seen += [user["Username"] for user in page["Users"]]
            token = page.get("PaginationToken")
            if not token:
                break
        elapsed = time.perf_counter() - started
        assert len(seen) == len(set(seen)) == expected, (len(seen), len(set(seen)), expected)
        return elapsed

    def wire(request: dict[str, Any]) -> dict[str, Any]:
        return emu.call("ListUsers", request)

    def through_boto3(request: dict[str, Any]) -> dict[str, Any]:
        return dict(cognito.list_users(**request))

    prefixed = sum(1 for u in range(count) if str(u).startswith("1"))
    cognito.list_users(UserPoolId=pool, Limit=1)  # warm up
    first_page = json.dumps(emu.call("ListUsers", {"UserPoolId": pool})).encode()
    return {
        "all users, emulator (JSON in and out, no botocore)": statistics.median(
            page_all(wire, None, count) for _ in range(runs)
        ),
        'Filter email ^= "user1", emulator': statistics.median(
            page_all(wire, 'email ^= "user1"', prefixed) for _ in range(runs)
        ),
        "all users, through boto3": page_all(through_boto3, None, count),
        "floor: as many boto3 calls answered with a canned page": _boto3_floor(first_page, -(-count // 60)),
    }


class _Raw:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data


def _boto3_floor(body: bytes, pages: int) -> float:
    """What botocore alone costs for `pages` ListUsers calls of 60 users (serialise, sign, parse 120 dates)."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url="http://floor.invalid",
                           aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))

    cognito.meta.events.register("before-send.cognito-idp", answer)
    cognito.list_users(UserPoolId="us-east-1_floor")  # warm up
    started = time.perf_counter()
    for _ in range(pages):
        cognito.list_users(UserPoolId="us-east-1_floor", Limit=60)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=8000)
    parser.add_argument("--list-users", type=int, default=50_000)
    parser.add_argument("--list-runs", type=int, default=3)
    args = parser.parse_args()
    small, large = args.small, args.large
    medians = bench_calls(args.rounds, (small, large))
    print(f"\nemail-as-username pool, median of {args.rounds} calls through boto3 (in-process)\n")
    print(f"| call | ms at {small} users | ms at {large} users | ratio (target <= 1.5) |\n|---|---:|---:|---:|")
    for op, by_size in medians.items():
        print(
            f"| {op} | {by_size[small] * 1000:.2f} | {by_size[large] * 1000:.2f} | {by_size[large] / by_size[small]:.2f}x |"
        )
    listing = bench_list_users(args.list_users, args.list_runs)
    print(f"\nListUsers, every page (Limit 60) of a {args.list_users}-user pool, median of {args.list_runs} runs\n")
    print("| paging | s (target < 2) |\n|---|---:|")
    for name, seconds in listing.items():
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
