"""Emulator calls per second for four flows, through boto3 in-process, side by side with moto's `mock_aws` on
the flows moto supports. Run: `.venv/bin/python benchmarks/bench_throughput.py [--seconds S]`."""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from typing import Any

import boto3

from harness.cognito.srp import SrpClient
from harness.emulator import Emulator

PASSWORD = "Correct-Horse-9!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


class Target:
    """One place to send calls: a pool with a client, a confirmed user, and a way to read sent codes."""

    def __init__(self, cognito: Any, read_code: Callable[[str], str]) -> None:
        self.cognito = cognito
        self.read_code = read_code
        policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
        self.pool_id = cognito.create_user_pool(PoolName="bench", Policies=policy, AutoVerifiedAttributes=["email"])[
            "UserPool"
        ]["Id"]
        self.client_id = cognito.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="c", ExplicitAuthFlows=FLOWS
        )["UserPoolClient"]["ClientId"]
        attributes = [{"Name": "email", "Value": "ada@example.com"}, {"Name": "email_verified", "Value": "true"}]
        cognito.admin_create_user(
            UserPoolId=self.pool_id, Username="ada", MessageAction="SUPPRESS", UserAttributes=attributes
        )
        cognito.admin_set_user_password(UserPoolId=self.pool_id, Username="ada", Password=PASSWORD, Permanent=True)
        self.counter = itertools.count()

    def sign_up(self) -> int:
        self.cognito.sign_up(ClientId=self.client_id, Username=f"u{next(self.counter)}", Password=PASSWORD)
        return 1

    def password_sign_in(self) -> int:
        self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD},
        )
        return 1

    def srp_sign_in(self) -> int:
        client = SrpClient(self.pool_id, "ada", PASSWORD)
        challenge = self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "ada", "SRP_A": client.srp_a_hex},
        )
        self.cognito.respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName="PASSWORD_VERIFIER", Session=challenge.get("Session", "x" * 20),
            ChallengeResponses=client.respond(challenge["ChallengeParameters"]),
        )  # fmt: skip
        return 2

    def email_otp_sign_in(self) -> int:
        otp = self.cognito.initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_AUTH",
            AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
        )
        self.cognito.respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName="EMAIL_OTP", Session=otp["Session"],
            ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": self.read_code("ada@example.com")},
        )  # fmt: skip
        return 2


def calls_per_second(flow: Callable[[], int], seconds: float) -> float:
    flow()  # warm up
    calls, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        calls += flow()
    return calls / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    from moto import mock_aws

    emu = Emulator()
    ours = Target(emu.client(), lambda to: emu.outbox.last(to=to).code)  # type: ignore[union-attr]
    flows = ("sign_up", "password_sign_in", "srp_sign_in", "email_otp_sign_in")
    rows: dict[str, tuple[float, float | None]] = {}
    with mock_aws():
        moto_cognito = boto3.client(
            "cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        try:
            theirs: Target | None = Target(moto_cognito, lambda to: "00000000")
        except Exception as exc:  # noqa: BLE001 - moto may lack a setting; then it is simply not compared
            print(f"moto could not set up the pool: {exc}")
            theirs = None
        for name in flows:
            ours_rate = calls_per_second(getattr(ours, name), args.seconds)
            theirs_rate: float | None = None
            if theirs is not None:
                try:
                    theirs_rate = calls_per_second(getattr(theirs, name), args.seconds)
                except Exception:  # noqa: BLE001 - a flow moto does not support
                    theirs_rate = None
            rows[name] = (ours_rate, theirs_rate)
    print(f"calls per second through boto3, {args.seconds:.0f} s per cell\n")
    print("| flow | emulator | moto | emulator / moto |\n|---|---:|---:|---:|")
    for name, (ours_rate, theirs_rate) in rows.items():
        moto_cell = f"{theirs_rate:.0f}" if theirs_rate else "not supported"
        ratio = f"{ours_rate / theirs_rate:.1f}x" if theirs_rate else "-"
        print(f"| {name.replace('_', ' ')} | {ours_rate:.0f} | {moto_cell} | {ratio} |")


if __name__ == "__main__":
    main()
