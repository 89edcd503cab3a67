"""The yardstick of bench_process.py: what `authflow run` does for N copies of benchmarks/scenarios/sign-in.yaml,
written by hand as one plain boto3 script against the in-process emulator, in one process.

Per copy: create the pool (AutoVerifiedAttributes email) and its app client, SignUp, read the code from the
emulator's outbox, ConfirmSignUp, InitiateAuth (USER_PASSWORD_AUTH), verify the id and access tokens against
the pool's JWKS and issuer, GetUser, delete the pool. No reports. Run: `python benchmarks/plain_boto3.py 100`.
"""

from __future__ import annotations

import sys
import uuid

import jwt

from harness.emulator import Emulator

PASSWORD = "Correct-Horse-9!"


def one_flow(emulator: Emulator, cognito: object, index: int) -> None:
    client = cognito
    pool_id = client.create_user_pool(  # type: ignore[attr-defined]
        PoolName=f"plain-{index}", AutoVerifiedAttributes=["email"]
    )["UserPool"]["Id"]
    client_id = client.create_user_pool_client(  # type: ignore[attr-defined]
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    name = f"bench-{uuid.uuid4().hex[:12]}"
    email = f"{name}@example.com"
    client.sign_up(  # type: ignore[attr-defined]
        ClientId=client_id, Username=name, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": email}]
    )
    message = emulator.outbox.last(to=email)
    assert message is not None
    client.confirm_sign_up(ClientId=client_id, Username=name, ConfirmationCode=message.code)  # type: ignore[attr-defined]
    tokens = client.initiate_auth(  # type: ignore[attr-defined]
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD}
    )["AuthenticationResult"]
    keys = jwt.PyJWKSet.from_dict(emulator.jwks(pool_id))
    issuer = emulator.issuer(pool_id)
    for token, use in ((tokens["IdToken"], "id"), (tokens["AccessToken"], "access")):
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in keys.keys if k.key_id == kid)
        claims = jwt.decode(
            token, key.key, algorithms=["RS256"], issuer=issuer, audience=client_id if use == "id" else None,
            options={"verify_exp": False, "verify_aud": use == "id", "verify_iat": False},
        )  # fmt: skip
        assert claims["token_use"] == use
    assert client.get_user(AccessToken=tokens["AccessToken"])["Username"] == name  # type: ignore[attr-defined]
    client.delete_user_pool(UserPoolId=pool_id)  # type: ignore[attr-defined]


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    emulator = Emulator()
    cognito = emulator.client()
    for index in range(copies):
        one_flow(emulator, cognito, index)
    print(f"{copies} flows passed")


if __name__ == "__main__":
    main()
