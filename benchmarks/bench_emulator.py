"""Sign-up + confirm + USER_PASSWORD_AUTH sign-in through boto3, measured side by side in one run:

- authflow's emulator, in-process;
- moto's `mock_aws` doing the same calls;
- the floor: the same boto3 calls answered with canned responses (serialisation, signing, parsing only),
  plus the cost of signing the two RS256 tokens a sign-in issues.

Targets (issue 2): at least 2x faster than moto per flow, and within 1.5x of (floor + token signing).
Run: `.venv/bin/python benchmarks/bench_emulator.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3
import jwt
from botocore.awsrequest import AWSResponse
from cryptography.hazmat.primitives.asymmetric import rsa

from harness.emulator import Emulator

PASSWORD = "Correct-Horse-9!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _setup(cognito: Any) -> str:
    pool = cognito.create_user_pool(PoolName="bench", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    return str(
        cognito.create_user_pool_client(UserPoolId=pool, ClientName="c", ExplicitAuthFlows=FLOWS)["UserPoolClient"][
            "ClientId"
        ]
    )


def _flow(cognito: Any, client_id: str, name: str, code: Callable[[str], str]) -> None:
    email = f"{name}@example.com"
    cognito.sign_up(
        ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": email}]
    )
    cognito.confirm_sign_up(ClientId=client_id, Username=name, ConfirmationCode=code(email))
    result = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD}
    )
    assert "AccessToken" in result["AuthenticationResult"]


def _time(run: Callable[[int], None], rounds: int) -> list[float]:
    run(-1)  # warm up (key generation, model loading)
    samples = []
    for i in range(rounds):
        started = time.perf_counter()
        run(i)
        samples.append(time.perf_counter() - started)
    return samples


def bench_emulator(rounds: int) -> list[float]:
    emu = Emulator()
    cognito = emu.client()
    client_id = _setup(cognito)

    def code(email: str) -> str:
        message = emu.outbox.last(to=email)
        assert message is not None
        return message.code

    return _time(lambda i: _flow(cognito, client_id, f"user{i + 1}", code), rounds)


def bench_moto(rounds: int) -> list[float]:
    from moto import mock_aws

    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        client_id = _setup(cognito)
        return _time(lambda i: _flow(cognito, client_id, f"user{i + 1}", lambda _: "123456"), rounds)


_CANNED = {
    "SignUp": {"UserConfirmed": False, "UserSub": "7d1e4a5c-0000-4000-8000-000000000000",
               "CodeDeliveryDetails": {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}},
    "ConfirmSignUp": {},
    "InitiateAuth": {"ChallengeParameters": {}, "AuthenticationResult": {
        "AccessToken": "a" * 900, "ExpiresIn": 3600, "TokenType": "Bearer", "RefreshToken": "r" * 120, "IdToken": "i" * 1000}},
}  # fmt: skip


class _Raw:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Any:
        yield self.data


def bench_floor(rounds: int) -> list[float]:
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url="http://floor.invalid",
                           aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip
    bodies = {op: json.dumps(body).encode() for op, body in _CANNED.items()}

    def answer(request: Any, **_: Any) -> AWSResponse:
        target = request.headers["X-Amz-Target"]
        operation = (target.decode() if isinstance(target, bytes) else target).rsplit(".", 1)[-1]
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(bodies[operation]))

    cognito.meta.events.register("before-send.cognito-idp", answer)
    return _time(lambda i: _flow(cognito, "client", f"user{i + 1}", lambda _: "123456"), rounds)


def bench_token_signing(rounds: int) -> list[float]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    claims = {"sub": "7d1e4a5c", "iss": "http://127.0.0.1:9229/us-east-1_x", "token_use": "id", "exp": 2_000_000_000}

    def sign_two(_: int) -> None:
        jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k"})
        jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k"})

    return _time(sign_two, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    medians = {
        name: statistics.median(bench(args.rounds)) * 1000
        for name, bench in (
            ("emulator", bench_emulator),
            ("moto", bench_moto),
            ("boto3 floor", bench_floor),
            ("2 x RS256 signing", bench_token_signing),
        )
    }
    floor = medians["boto3 floor"] + medians["2 x RS256 signing"]
    print(f"sign-up + confirm + USER_PASSWORD_AUTH, median of {args.rounds} rounds\n")
    print("| what | ms per flow |\n|---|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.2f} |")
    print(f"| floor + signing | {floor:.2f} |\n")
    print(f"moto / emulator: {medians['moto'] / medians['emulator']:.2f}x (target >= 2)")
    print(f"emulator / (floor + signing): {medians['emulator'] / floor:.2f}x (target <= 1.5)")


if __name__ == "__main__":
    main()
