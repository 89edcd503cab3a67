"""Wire compatibility with an independent client: pycognito's AWSSRP signs in against our server side, and our
client's answer is byte for byte pycognito's for the same a, b and salt."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from pycognito import aws_srp

from harness.cognito import srp
from tests.srp.helpers import (
    FIXED_SALT,
    MOMENT,
    PASSWORD,
    POOL_ID,
    POOL_NAME,
    SECRET_BLOCK,
    USER_ID,
    challenge,
    fixed_secret,
)

CLIENT_ID = "3n4b5c6d7e8f9g0h1i2j3k4l5m"


class NotAuthorized(Exception):
    """What boto3 would raise as NotAuthorizedException."""


class FakeCognito:
    """A boto3 cognito-idp client, as far as AWSSRP uses one, with our server side behind it."""

    def __init__(self, password: str, *, user_id: str = USER_ID, salt_hex: str | None = None) -> None:
        self.user_id = user_id
        self.salt, self.verifier = srp.make_verifier(POOL_NAME, user_id, password, salt_hex)
        self.server: srp.SrpServerSession | None = None
        self.answers: list[dict[str, str]] = []

    def initiate_auth(self, **request: Any) -> dict[str, Any]:
        assert request["AuthFlow"] == "USER_SRP_AUTH" and request["ClientId"] == CLIENT_ID
        self.server = srp.SrpServerSession.start(self.verifier, self.salt, request["AuthParameters"]["SRP_A"])
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": self.salt,
                "SECRET_BLOCK": SECRET_BLOCK,
                "SRP_B": self.server.srp_b_hex,
                "USERNAME": self.user_id,
                "USER_ID_FOR_SRP": self.user_id,
            },
        }

    def respond_to_auth_challenge(self, **request: Any) -> dict[str, Any]:
        assert request["ChallengeName"] == "PASSWORD_VERIFIER" and self.server is not None
        answer = request["ChallengeResponses"]
        self.answers.append(answer)
        srp.parse_timestamp(answer["TIMESTAMP"])  # pycognito's TIMESTAMP has Cognito's shape
        verified = self.server.verify(
            POOL_NAME,
            answer["USERNAME"],
            answer["PASSWORD_CLAIM_SECRET_BLOCK"],
            answer["TIMESTAMP"],
            answer["PASSWORD_CLAIM_SIGNATURE"],
        )
        if not verified:
            raise NotAuthorized("Incorrect username or password.")
        return {"AuthenticationResult": {"AccessToken": "access", "IdToken": "id"}, "ChallengeParameters": {}}


def pycognito_sign_in(cognito: FakeCognito, username: str, password: str) -> dict[str, Any]:
    client = aws_srp.AWSSRP(username=username, password=password, pool_id=POOL_ID, client_id=CLIENT_ID, client=cognito)
    result: dict[str, Any] = client.authenticate_user()
    return result


@pytest.mark.parametrize(
    "salt_hex",
    [
        None,  # a fresh new_salt()
        FIXED_SALT,  # top bit set: hashed with a 00 byte in front
        "1a2b3c4d5e6f708192a3b4c5d6e7f809",  # top bit clear
        "0a2b3c4d5e6f708192a3b4c5d6e7f809",  # a leading zero nibble
        "abc",  # odd length
    ],
)
def test_pycognito_signs_in_against_our_server(salt_hex: str | None) -> None:
    cognito = FakeCognito(PASSWORD, salt_hex=salt_hex)
    assert pycognito_sign_in(cognito, "ada", PASSWORD)["AuthenticationResult"]["AccessToken"] == "access"
    assert cognito.answers[0]["USERNAME"] == USER_ID


def test_pycognito_with_a_wrong_password_is_refused() -> None:
    cognito = FakeCognito(PASSWORD)
    with pytest.raises(NotAuthorized):
        pycognito_sign_in(cognito, "ada", "Wrong-Horse-9!")


def test_pycognito_signs_in_by_alias_with_the_user_id_for_srp() -> None:
    cognito = FakeCognito(PASSWORD, user_id="7d9c2a44-1b3e-4c5f-8a6b-0e1f2a3b4c5d")
    assert "AuthenticationResult" in pycognito_sign_in(cognito, "ada@example.com", PASSWORD)


def test_pycognito_signs_in_across_many_exchanges() -> None:
    # Random a and b: half of all A, B, u and S have their top bit set, so this crosses every pad_hex case.
    cognito = FakeCognito(PASSWORD)
    for _ in range(12):
        assert "AuthenticationResult" in pycognito_sign_in(cognito, "ada", PASSWORD)


def _pycognito_client(a: int) -> aws_srp.AWSSRP:
    theirs = aws_srp.AWSSRP(username="ada", password=PASSWORD, pool_id=POOL_ID, client_id=CLIENT_ID, client=object())
    theirs.small_a_value = a
    theirs.large_a_value = theirs.calculate_a()
    return theirs


def test_our_answers_are_pycognitos_for_the_same_a_b_and_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    fixed_clock = SimpleNamespace(datetime=SimpleNamespace(utcnow=lambda: MOMENT.replace(tzinfo=None)))
    monkeypatch.setattr(aws_srp, "datetime", fixed_clock)  # pycognito reads datetime.datetime.utcnow()
    pad_cases: set[tuple[str, bool]] = set()
    for index in range(16):
        a, b = fixed_secret("a", index), fixed_secret("b", index)
        salt, verifier = srp.make_verifier(POOL_NAME, USER_ID, PASSWORD, FIXED_SALT)
        ours = srp.SrpClient(POOL_ID, "ada", PASSWORD, clock=lambda: MOMENT, a=a)
        theirs = _pycognito_client(a)
        assert ours.srp_a_hex == aws_srp.long_to_hex(theirs.large_a_value)
        server = srp.SrpServerSession.start(verifier, salt, ours.srp_a_hex, b=b)
        parameters = {**challenge(server), "USERNAME": USER_ID}  # pycognito echoes USERNAME, we USER_ID_FOR_SRP
        answer = ours.respond(parameters)
        assert answer == theirs.process_challenge(parameters, {"USERNAME": "ada"})
        big_b = int(server.srp_b_hex, 16)
        u = aws_srp.calculate_u(theirs.large_a_value, big_b)
        x = srp.compute_x(salt, POOL_NAME, USER_ID, PASSWORD)
        s = pow(big_b - srp.K * pow(srp.G, x, srp.N), a + u * x, srp.N)
        for name, value in (("A", theirs.large_a_value), ("B", big_b), ("u", u), ("S", s)):
            pad_cases.add((name, srp.pad_hex(value).startswith("00")))
    # The fixed vectors cover both pad_hex cases (leading 00 byte or not) for every padded value.
    assert pad_cases == {(name, flag) for name in ("A", "B", "u", "S") for flag in (True, False)}


def test_our_k_is_pycognitos() -> None:
    assert _pycognito_client(fixed_secret("a")).val_k == srp.K
