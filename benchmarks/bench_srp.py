"""One USER_SRP_AUTH sign-in (our SRP client + the emulator's verifier, through boto3 in-process), with gmpy2
and with plain Python, interleaved in one run. Run: `.venv/bin/python benchmarks/bench_srp.py [--rounds N]`."""

from __future__ import annotations

import argparse
import statistics
import time

from harness import srp
from harness.emulator import Emulator

PASSWORD = "Correct-Horse-9!"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    emu = Emulator()
    cognito = emu.client()
    pool_id = cognito.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True)

    def sign_in() -> None:
        client = srp.SrpClient(pool_id, "ada", PASSWORD)
        challenge = cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "ada", "SRP_A": client.srp_a_hex}
        )
        result = cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", Session=challenge["Session"],
            ChallengeResponses=client.respond(challenge["ChallengeParameters"]),
        )  # fmt: skip
        assert "AccessToken" in result["AuthenticationResult"]

    samples: dict[str, list[float]] = {"gmpy2": [], "python": []}
    for index in range(args.rounds + 3):
        for backend in ("gmpy2", "python"):
            if srp.use_gmpy2(backend == "gmpy2") != backend:
                raise SystemExit("gmpy2 is not installed: pip install -e '.[speed]'")
            started = time.perf_counter()
            sign_in()
            if index >= 3:
                samples[backend].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    print(f"one SRP sign-in (client + emulator, boto3 in-process), median of {args.rounds} interleaved rounds\n")
    print("| SRP arithmetic | ms per sign-in |\n|---|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.2f} |")
    print(f"\nplain Python / gmpy2: {medians['python'] / medians['gmpy2']:.1f}x")


if __name__ == "__main__":
    main()
