"""Our SRP client against our server side: what verifies, what does not, and the SRP safety checks."""

from __future__ import annotations

import base64

import pytest

from harness.cognito import srp
from tests.srp.helpers import (
    MOMENT,
    PASSWORD,
    POOL_ID,
    POOL_NAME,
    SECRET_BLOCK,
    USER_ID,
    challenge,
    exchange,
    fixed_secret,
    verify,
)


def test_the_right_password_verifies() -> None:
    server, answer = exchange()
    assert answer["USERNAME"] == USER_ID  # USER_ID_FOR_SRP, not the name typed in
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == SECRET_BLOCK
    assert answer["TIMESTAMP"] == "Mon Jan 5 09:03:07 UTC 2026"  # from the client's clock
    assert len(base64.b64decode(answer["PASSWORD_CLAIM_SIGNATURE"], validate=True)) == 32
    assert verify(server, answer)


def test_the_right_password_verifies_across_many_values() -> None:
    # 16 fixed (a, b) pairs: A, B, u and S land on both pad_hex cases (see test_pycognito for the proof).
    for index in range(16):
        server, answer = exchange(a=fixed_secret("a", index), b=fixed_secret("b", index))
        assert verify(server, answer)


def test_a_wrong_password_does_not_verify() -> None:
    server, answer = exchange("Wrong-Horse-9!")
    assert not verify(server, answer)


def test_a_password_differing_only_in_case_does_not_verify() -> None:
    server, answer = exchange(PASSWORD.lower())
    assert not verify(server, answer)


def test_a_wrong_user_id_does_not_verify() -> None:
    server, answer = exchange()
    assert not verify(server, answer, user_id="someone-else")
    server, answer = exchange(client_user_id="someone-else")  # the client proves for another user id
    assert not verify(server, answer)
    assert not verify(server, answer, user_id="someone-else")


def test_a_wrong_pool_does_not_verify() -> None:
    server, answer = exchange()
    assert not verify(server, answer, pool="OtherPool")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("PASSWORD_CLAIM_SECRET_BLOCK", base64.b64encode(b"another secret block").decode()),
        ("PASSWORD_CLAIM_SECRET_BLOCK", SECRET_BLOCK + "!"),  # a lenient decoder would drop the "!"
        ("TIMESTAMP", "Mon Jan 5 09:03:08 UTC 2026"),
        ("TIMESTAMP", "Mon Jan 5 09:03:07 UTC 2026 "),
        ("PASSWORD_CLAIM_SIGNATURE", base64.b64encode(bytes(32)).decode()),
        ("PASSWORD_CLAIM_SIGNATURE", "not base64!"),
        ("PASSWORD_CLAIM_SIGNATURE", ""),
    ],
)
def test_tampering_does_not_verify(field: str, value: str) -> None:
    server, answer = exchange()
    assert not verify(server, {**answer, field: value})
    assert verify(server, answer)  # and the untouched answer still does


def test_a_flipped_signature_bit_does_not_verify() -> None:
    server, answer = exchange()
    signature = bytearray(base64.b64decode(answer["PASSWORD_CLAIM_SIGNATURE"]))
    signature[-1] ^= 1
    assert not verify(server, {**answer, "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(signature).decode()})


def test_an_answer_does_not_verify_for_another_exchange() -> None:
    first, answer = exchange(b=fixed_secret("b", 1))
    second, _ = exchange(b=fixed_secret("b", 2))
    assert verify(first, answer) and not verify(second, answer)


def test_url_safe_and_unpadded_secret_blocks_are_read_as_amplify_reads_them() -> None:
    raw = bytes(range(250, 256)) + b"\xfb\xff"  # standard base64 of these has "+" and "/"
    url_safe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    salt, verifier = srp.make_verifier(POOL_NAME, USER_ID, PASSWORD)
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD, clock=lambda: MOMENT)
    server = srp.SrpServerSession.start(verifier, salt, client.srp_a_hex)
    answer = client.respond({**challenge(server), "SECRET_BLOCK": url_safe})
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == url_safe  # echoed as received
    assert verify(server, answer)
    standard = base64.b64encode(raw).decode()
    assert verify(server, {**answer, "PASSWORD_CLAIM_SECRET_BLOCK": standard})  # the same bytes


@pytest.mark.parametrize("srp_b", ["0", f"{srp.N:x}", f"{2 * srp.N:x}", f"{5 * srp.N:x}"])
def test_the_client_refuses_b_that_is_zero_mod_n(srp_b: str) -> None:
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD)
    with pytest.raises(ValueError, match="SRP_B"):
        client.respond({"SRP_B": srp_b, "SALT": "ab", "SECRET_BLOCK": SECRET_BLOCK, "USER_ID_FOR_SRP": USER_ID})


def test_the_client_refuses_u_of_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    server, _ = exchange()
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD)
    monkeypatch.setattr(srp, "_u", lambda big_a, big_b: 0)  # no real A, B hash to 0; force it
    with pytest.raises(ValueError, match="u is 0"):
        client.respond(challenge(server))


@pytest.mark.parametrize(
    "change",
    [
        {"SRP_B": "0x1f"},
        {"SRP_B": "-1f"},
        {"SRP_B": "1_f"},
        {"SRP_B": "zz"},
        {"SRP_B": ""},
        {"SALT": "not hex"},
        {"SECRET_BLOCK": "***"},
        {"USER_ID_FOR_SRP": ""},
    ],
)
def test_the_client_refuses_malformed_parameters(change: dict[str, str]) -> None:
    server, _ = exchange()
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD)
    with pytest.raises(ValueError):
        client.respond({**challenge(server), **change})


def test_the_client_refuses_missing_parameters() -> None:
    server, _ = exchange()
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD)
    for name in ("SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"):
        parameters = challenge(server)
        del parameters[name]
        with pytest.raises(ValueError, match=name):
            client.respond(parameters)


@pytest.mark.parametrize("srp_a", ["0", "000", f"{srp.N:x}", f"{3 * srp.N:x}"])
def test_the_server_refuses_a_that_is_zero_mod_n(srp_a: str) -> None:
    with pytest.raises(ValueError, match="SRP_A"):
        srp.SrpServerSession.start(srp.verifier_from_x(12345), "ab", srp_a)


@pytest.mark.parametrize("srp_a", ["", "0x1f", "-1f", " 1f", "1f\n", "g1"])
def test_the_server_refuses_a_that_is_not_hex(srp_a: str) -> None:
    with pytest.raises(ValueError, match="SRP_A"):
        srp.SrpServerSession.start(srp.verifier_from_x(12345), "ab", srp_a)


def test_the_server_refuses_bad_inputs_of_its_own() -> None:
    a_hex = srp.SrpClient(POOL_ID, "ada", PASSWORD).srp_a_hex
    for verifier in (0, srp.N, -5):
        with pytest.raises(ValueError):
            srp.SrpServerSession.start(verifier, "ab", a_hex)
    with pytest.raises(ValueError):
        srp.SrpServerSession.start(srp.verifier_from_x(12345), "ab", a_hex, b=0)
    with pytest.raises(ValueError):
        srp.SrpClient(POOL_ID, "ada", PASSWORD, a=0)


def test_fixed_private_values_give_fixed_public_ones() -> None:
    a, b = fixed_secret("a"), fixed_secret("b")
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD, a=a)
    assert client.srp_a_hex == f"{pow(srp.G, a, srp.N):x}"
    verifier = srp.verifier_from_x(777)
    server = srp.SrpServerSession.start(verifier, "ab", client.srp_a_hex, b=b)
    assert server.srp_b_hex == f"{(srp.K * verifier + pow(srp.G, b, srp.N)) % srp.N:x}"


def test_random_private_values_differ() -> None:
    first, second = (srp.SrpClient(POOL_ID, "ada", PASSWORD) for _ in range(2))
    assert first.srp_a_hex != second.srp_a_hex
    assert 0 < int(first.srp_a_hex, 16) < srp.N


def test_verifying_twice_gives_the_same_answers() -> None:
    server, answer = exchange()
    wrong = {**answer, "TIMESTAMP": "Mon Jan 5 09:03:09 UTC 2026"}
    assert [verify(server, wrong), verify(server, answer), verify(server, wrong), verify(server, answer)] == [
        False,
        True,
        False,
        True,
    ]


def test_reprs_do_not_show_secrets() -> None:
    b = fixed_secret("b")
    client = srp.SrpClient(POOL_ID, "ada", PASSWORD, a=fixed_secret("a"))
    server = srp.SrpServerSession.start(srp.verifier_from_x(777), "ab", client.srp_a_hex, b=b)
    assert PASSWORD not in repr(client) and f"{fixed_secret('a'):x}" not in repr(client)
    assert f"{b:x}" not in repr(server) and str(b) not in repr(server)
