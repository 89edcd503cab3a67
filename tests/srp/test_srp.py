"""Cognito SRP math: our client against our server, pycognito's independent client against our server,
timestamps, and the two exponentiation backends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pycognito.aws_srp import AWSSRP

from harness import srp

POOL_ID = "us-east-1_AbCdEfGhI"
SECRET_BLOCK = "c2VjcmV0LWJsb2Nr"


def exchange(
    password: str, *, user_id: str = "ada", client_password: str | None = None
) -> tuple[srp.SrpServerSession, dict[str, str]]:
    salt, verifier = srp.make_verifier(srp.pool_name(POOL_ID), user_id, password)
    client = srp.SrpClient(POOL_ID, "ada", client_password or password)
    server = srp.SrpServerSession.start(verifier, salt, client.srp_a_hex)
    answer = client.respond(
        {
            "SRP_B": server.srp_b_hex,
            "SALT": salt,
            "SECRET_BLOCK": SECRET_BLOCK,
            "USER_ID_FOR_SRP": user_id,
            "USERNAME": "ada",
        }
    )
    return server, answer


def verify(server: srp.SrpServerSession, answer: dict[str, str], user_id: str = "ada", **changes: str) -> bool:
    fields = {**answer, **changes}
    return server.verify(
        srp.pool_name(POOL_ID),
        user_id,
        fields["PASSWORD_CLAIM_SECRET_BLOCK"],
        fields["TIMESTAMP"],
        fields["PASSWORD_CLAIM_SIGNATURE"],
    )


def test_the_right_password_verifies() -> None:
    server, answer = exchange("Correct-Horse-9!")
    assert answer["USERNAME"] == "ada" and answer["PASSWORD_CLAIM_SECRET_BLOCK"] == SECRET_BLOCK
    assert verify(server, answer)


def test_a_wrong_password_does_not() -> None:
    server, answer = exchange("Correct-Horse-9!", client_password="Wrong-Horse-9!")
    assert not verify(server, answer)


def test_tampering_is_detected() -> None:
    server, answer = exchange("Correct-Horse-9!")
    assert not verify(server, answer, user_id="bob")
    assert not verify(server, answer, PASSWORD_CLAIM_SECRET_BLOCK="b3RoZXI=")
    assert not verify(server, answer, TIMESTAMP="Mon Jan 5 09:03:08 UTC 2026")
    assert not verify(server, answer, PASSWORD_CLAIM_SIGNATURE="not base64!")


def test_invalid_public_values_are_refused() -> None:
    with pytest.raises(ValueError):
        srp.SrpServerSession.start(5, "ab", f"{srp.N:x}")
    client = srp.SrpClient(POOL_ID, "ada", "x")
    with pytest.raises(ValueError):
        client.respond({"SRP_B": "0", "SALT": "ab", "SECRET_BLOCK": SECRET_BLOCK, "USER_ID_FOR_SRP": "ada"})


class _FakeCognito:
    """Plays Cognito for pycognito's AWSSRP with our server side."""

    def __init__(self, password: str) -> None:
        self.salt, self.verifier = srp.make_verifier(srp.pool_name(POOL_ID), "ada-id", password)
        self.server: srp.SrpServerSession | None = None
        self.verified: bool | None = None

    def initiate_auth(self, **request: Any) -> dict[str, Any]:
        self.server = srp.SrpServerSession.start(self.verifier, self.salt, request["AuthParameters"]["SRP_A"])
        parameters = {
            "SRP_B": self.server.srp_b_hex,
            "SALT": self.salt,
            "SECRET_BLOCK": SECRET_BLOCK,
            "USER_ID_FOR_SRP": "ada-id",
            "USERNAME": "ada-id",
        }
        return {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": parameters}

    def respond_to_auth_challenge(self, **request: Any) -> dict[str, Any]:
        answer = request["ChallengeResponses"]
        assert self.server is not None
        self.verified = self.server.verify(
            srp.pool_name(POOL_ID),
            "ada-id",
            answer["PASSWORD_CLAIM_SECRET_BLOCK"],
            answer["TIMESTAMP"],
            answer["PASSWORD_CLAIM_SIGNATURE"],
        )
        return {"AuthenticationResult": {"AccessToken": "x"}} if self.verified else {}


@pytest.mark.parametrize(("password", "accepted"), [("Correct-Horse-9!", True), ("Wrong-Horse-9!", False)])
def test_pycognito_client_against_our_server(password: str, accepted: bool) -> None:
    cognito = _FakeCognito("Correct-Horse-9!")
    AWSSRP(username="ada", password=password, pool_id=POOL_ID, client_id="client", client=cognito).authenticate_user()
    assert cognito.verified is accepted


def test_our_client_matches_pycognito_math() -> None:
    a = 0x1234567890ABCDEF * 7919
    ours = srp.SrpClient(POOL_ID, "ada", "Correct-Horse-9!", a=a)
    theirs = AWSSRP(username="ada", password="Correct-Horse-9!", pool_id=POOL_ID, client_id="c", client=object())
    theirs.small_a_value = a
    theirs.large_a_value = theirs.calculate_a()
    assert ours.big_a == theirs.large_a_value
    salt, verifier = srp.make_verifier("AbCdEfGhI", "ada", "Correct-Horse-9!", "a1b2c3d4e5f60718293a4b5c6d7e8f90")
    server = srp.SrpServerSession.start(verifier, salt, ours.srp_a_hex, b=424242)
    expected = theirs.get_password_authentication_key("ada", "Correct-Horse-9!", server.big_b, salt)
    u = srp._u(ours.big_a, server.big_b)
    s_value = srp.powmod(
        (server.big_b - srp.K * srp.powmod(srp.G, srp.compute_x(salt, "AbCdEfGhI", "ada", "Correct-Horse-9!"))) % srp.N,
        a + u * srp.compute_x(salt, "AbCdEfGhI", "ada", "Correct-Horse-9!"),
    )
    assert srp._session_key(s_value, u) == expected


def test_pad_hex() -> None:
    assert srp.pad_hex(0x7F) == "7f"
    assert srp.pad_hex(0x80) == "0080"
    assert srp.pad_hex(0xABC) == "0abc"
    assert srp.pad_hex("ff") == "00ff"


def test_timestamps() -> None:
    moment = datetime(2026, 1, 5, 9, 3, 7, tzinfo=UTC)
    assert srp.format_timestamp(moment) == "Mon Jan 5 09:03:07 UTC 2026"
    assert srp.parse_timestamp("Mon Jan 5 09:03:07 UTC 2026") == moment
    for bad in ("Mon Jan 05 09:03:07 UTC 2026", "2026-01-05T09:03:07Z", "Mon Jan 5 09:03:07 GMT 2026", ""):
        with pytest.raises(ValueError):
            srp.parse_timestamp(bad)


def test_both_backends_agree() -> None:
    results = []
    for gmpy in (True, False):
        srp.use_gmpy2(gmpy)
        results.append(srp.make_verifier("pool", "ada", "pw", "0a0b0c"))
    srp.use_gmpy2(True)
    assert results[0] == results[1]


def test_fake_challenges_are_stable_and_shaped_like_real_ones() -> None:
    first = srp.fake_challenge("pool", "ghost")
    assert first == srp.fake_challenge("pool", "ghost") != srp.fake_challenge("pool", "other")
    salt, big_b = first
    assert len(salt) == 32 and 0 < int(big_b, 16) < srp.N
