"""Challenges for users that do not exist: a stable salt, a B like a real one, nothing that tells them apart."""

from __future__ import annotations

import re

from harness.cognito import srp
from tests.srp.helpers import MOMENT, PASSWORD, POOL_ID, POOL_NAME, SECRET_BLOCK, USER_ID

HEX = re.compile(r"[0-9a-f]+")


def test_the_salt_is_stable_per_pool_and_username() -> None:
    salt, _ = srp.fake_challenge(POOL_NAME, "ghost")
    assert all(srp.fake_challenge(POOL_NAME, "ghost")[0] == salt for _ in range(5))
    assert srp.fake_challenge(POOL_NAME, "ghost2")[0] != salt
    assert srp.fake_challenge("OtherPool", "ghost")[0] != salt


def test_the_salt_has_the_shape_of_a_real_one() -> None:
    for index in range(200):
        salt, _ = srp.fake_challenge(POOL_NAME, f"ghost-{index}")
        assert len(salt) == 32 and HEX.fullmatch(salt) and salt[0] != "0"  # as new_salt() draws them


def test_b_is_fresh_on_every_attempt_like_a_real_b() -> None:
    # A real user's SRP_B changes on every attempt (a fresh b); a fixed fake B would tell the user does not exist.
    bs = {srp.fake_challenge(POOL_NAME, "ghost")[1] for _ in range(5)}
    assert len(bs) == 5
    verifier = srp.make_verifier(POOL_NAME, USER_ID, PASSWORD)[1]
    a_hex = srp.SrpClient(POOL_ID, "ada", PASSWORD).srp_a_hex
    real = srp.SrpServerSession.start(verifier, "ab", a_hex).srp_b_hex
    for fake in bs:
        assert HEX.fullmatch(fake) and 0 < int(fake, 16) < srp.N
        assert abs(len(fake) - len(real)) <= 2  # both ~768 hex digits (k*v + g^b mod N)


def test_a_client_can_answer_a_fake_challenge() -> None:
    # So an unknown user fails where a wrong password does: at the verifier, not before.
    salt, srp_b = srp.fake_challenge(POOL_NAME, "ghost")
    client = srp.SrpClient(POOL_ID, "ghost", PASSWORD, clock=lambda: MOMENT)
    answer = client.respond(
        {"SALT": salt, "SRP_B": srp_b, "SECRET_BLOCK": SECRET_BLOCK, "USERNAME": "ghost", "USER_ID_FOR_SRP": "ghost"}
    )
    assert set(answer) == {"USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"}
