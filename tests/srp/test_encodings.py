"""Known answers for the encodings SRP hashes and signs: pad_hex, k, x, the pool name, TIMESTAMP."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycognito import aws_srp

from harness.cognito import srp
from tests.srp.helpers import FIXED_SALT, POOL_NAME


@pytest.mark.parametrize(
    ("value", "padded"),
    [
        (0, "00"),
        (0x7F, "7f"),  # top bit clear: as is
        (0x80, "0080"),  # top bit set: a 00 byte keeps it positive
        (0xFF, "00ff"),
        (0xABC, "0abc"),  # odd length: a leading 0 nibble, whose byte's top bit is clear
        (0x800, "0800"),
        (0x1234, "1234"),
        (0x8000, "008000"),
        ("7f", "7f"),
        ("ff", "00ff"),
        ("FF", "00FF"),
        ("abc", "0abc"),
        ("00ab", "00ab"),  # text is padded as given: leading zeros are kept
    ],
)
def test_pad_hex(value: int | str, padded: str) -> None:
    assert srp.pad_hex(value) == padded


def test_pad_hex_of_n_has_the_sign_byte() -> None:
    assert srp.pad_hex(srp.N) == "00" + srp.N_HEX.lower()
    assert len(bytes.fromhex(srp.pad_hex(srp.N))) == 385


def test_pad_hex_refuses_negative_numbers() -> None:
    with pytest.raises(ValueError):
        srp.pad_hex(-1)


@given(st.integers(min_value=0, max_value=1 << 3100))
def test_pad_hex_agrees_with_pycognito(value: int) -> None:
    assert srp.pad_hex(value) == aws_srp.pad_hex(value)


def test_k_hashes_the_bytes_of_padded_n_and_g() -> None:
    expected = hashlib.sha256(b"\x00" + srp.N.to_bytes(384, "big") + b"\x02").hexdigest()
    assert int(expected, 16) == srp.K


def test_x_is_the_hash_of_salt_bytes_and_the_hex_inner_hash() -> None:
    # The salt's top bit is set, so a 00 byte leads; the inner hash's hex stands for its 32 raw bytes.
    inner = hashlib.sha256(f"{POOL_NAME}ada:pw".encode()).digest()
    expected = hashlib.sha256(b"\x00" + bytes.fromhex(FIXED_SALT) + inner).hexdigest()
    assert srp.compute_x(FIXED_SALT, POOL_NAME, "ada", "pw") == int(expected, 16)


def test_x_refuses_a_salt_that_is_not_hex() -> None:
    for bad in ("", "0x12", "zz", "12 34"):
        with pytest.raises(ValueError):
            srp.compute_x(bad, POOL_NAME, "ada", "pw")


def test_new_salts_have_no_leading_zero() -> None:
    # With a leading zero, pycognito (pads the text) and Amplify (pads the parsed number) would hash different bytes.
    for _ in range(500):
        salt = srp.new_salt()
        assert len(salt) == 32 and salt[0] != "0"
        assert srp.pad_hex(salt) == srp.pad_hex(int(salt, 16))


def test_pool_name() -> None:
    assert srp.pool_name("us-east-1_AbC123") == "AbC123"
    assert srp.pool_name("eu-west-2_a_b") == "a_b"
    for bad in ("AbC123", "us-east-1_", ""):
        with pytest.raises(ValueError):
            srp.pool_name(bad)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 1, 5, 9, 3, 7, tzinfo=UTC), "Mon Jan 5 09:03:07 UTC 2026"),  # single-digit day
        (datetime(2026, 1, 10, 0, 0, 0, tzinfo=UTC), "Sat Jan 10 00:00:00 UTC 2026"),
        (datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC), "Thu Feb 29 23:59:59 UTC 2024"),
        (datetime(2025, 12, 31, 12, 30, 1, tzinfo=UTC), "Wed Dec 31 12:30:01 UTC 2025"),
        (datetime(2026, 1, 5, 1, 0, 0, tzinfo=timezone(timedelta(hours=2))), "Sun Jan 4 23:00:00 UTC 2026"),
        (datetime(2026, 1, 5, 9, 3, 7), "Mon Jan 5 09:03:07 UTC 2026"),  # naive: taken as UTC
    ],
)
def test_format_timestamp(moment: datetime, text: str) -> None:
    assert srp.format_timestamp(moment) == text


def test_format_timestamp_agrees_with_pycognito() -> None:
    moment = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    for hours in range(0, 24 * 400, 7):
        at = moment + timedelta(hours=hours, seconds=hours % 61)
        assert srp.format_timestamp(at) == aws_srp.AWSSRP.get_cognito_formatted_timestamp(at)


def test_parse_timestamp_round_trip() -> None:
    moment = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    for hours in range(0, 24 * 400, 13):
        at = moment + timedelta(hours=hours, minutes=hours % 60, seconds=hours % 59)
        text = srp.format_timestamp(at)
        parsed = srp.parse_timestamp(text)
        assert parsed == at and parsed.tzinfo is UTC
        assert srp.format_timestamp(parsed) == text


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "Mon Jan 05 09:03:07 UTC 2026",  # zero-padded day
        "Mon Jan 5 9:03:07 UTC 2026",  # hour not zero-padded
        "Mon Jan 5 09:3:07 UTC 2026",
        "Mon Jan 5 09:03:07 GMT 2026",
        "Mon Jan 5 09:03:07 UTC 26",
        "Mon Jan  5 09:03:07 UTC 2026",  # asctime-style double space
        "mon jan 5 09:03:07 UTC 2026",
        "Monday January 5 09:03:07 UTC 2026",
        "Mon Jan 5 09:03:07 UTC 2026\n",
        " Mon Jan 5 09:03:07 UTC 2026",
        "Mon Jan 5 24:00:00 UTC 2026",
        "Mon Jan 5 09:60:07 UTC 2026",
        "Mon Feb 30 09:03:07 UTC 2026",  # no such date
        "Mon Jan 32 09:03:07 UTC 2026",
        "Mon Jan 0 09:03:07 UTC 2026",
        "Mon Jan \u0665 09:03:07 UTC 2026",  # a non-ASCII digit
        "2026-01-05T09:03:07Z",
    ],
)
def test_parse_timestamp_rejects_other_shapes(bad: str) -> None:
    with pytest.raises(ValueError):
        srp.parse_timestamp(bad)
