"""Cognito's SRP-6a variant, both sides: the client (scenarios sign in with USER_SRP_AUTH, also against real
AWS) and the server (the emulator really verifies PASSWORD_CLAIM_SIGNATURE and TIMESTAMP).

The parameters are Cognito's [AJS packages/auth/src/providers/cognito/utils/srp]: the 3072-bit MODP group of
RFC 3526, g = 2, SHA-256, values hashed as padded hex, the session key derived with HKDF ("Caldera Derived
Key", 16 bytes). Modular exponentiation uses gmpy2 when it is installed (`pip install authflow[speed]`);
set AUTHFLOW_SRP_PURE=1 to force plain Python (the benchmark compares both).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE"
    "386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D"
    "23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C"
    "180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAA"
    "C42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D7"
    "1E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C7709"
    "88C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
_INFO = b"Caldera Derived Key"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _python_powmod(base: int, exponent: int, modulus: int) -> int:
    return pow(base, exponent, modulus)


def _load_powmod() -> tuple[str, Callable[[int, int, int], int]]:
    if os.environ.get("AUTHFLOW_SRP_PURE") != "1":
        try:
            import gmpy2

            return "gmpy2", lambda b, e, m: int(gmpy2.powmod(b, e, m))
        except ImportError:
            pass
    return "python", _python_powmod


BACKEND, _powmod = _load_powmod()


def use_gmpy2(enabled: bool) -> str:
    """Switch the exponentiation backend at run time (the benchmark measures both); returns the one in use."""
    global BACKEND, _powmod
    if enabled:
        os.environ.pop("AUTHFLOW_SRP_PURE", None)
    else:
        os.environ["AUTHFLOW_SRP_PURE"] = "1"
    BACKEND, _powmod = _load_powmod()
    return BACKEND


def powmod(base: int, exponent: int, modulus: int = N) -> int:
    return _powmod(base, exponent, modulus)


def pad_hex(value: int | str) -> str:
    """Hex of even length, with a leading 00 when the top bit is set (so it reads as positive)."""
    text = value if isinstance(value, str) else f"{value:x}"
    if len(text) % 2:
        return "0" + text
    if text[0] in "89abcdefABCDEF":
        return "00" + text
    return text


def _hash_hex(hex_text: str) -> int:
    return int(hashlib.sha256(bytes.fromhex(hex_text)).hexdigest(), 16)


K = _hash_hex(pad_hex(N) + pad_hex(G))


def pool_name(user_pool_id: str) -> str:
    """`us-east-1_AbC123` -> `AbC123`: the part of the pool id SRP hashes."""
    return user_pool_id.split("_", 1)[1]


def format_timestamp(moment: datetime) -> str:
    """Cognito's TIMESTAMP: `Mon Jan 5 09:03:07 UTC 2026` (the day is not zero-padded)."""
    utc = moment.astimezone(UTC)
    return f"{_DAYS[utc.weekday()]} {_MONTHS[utc.month - 1]} {utc.day} {utc:%H:%M:%S} UTC {utc.year}"


def parse_timestamp(text: str) -> datetime:
    """The inverse of format_timestamp; ValueError for anything else."""
    parts = text.split(" ")
    if len(parts) != 6 or parts[0] not in _DAYS or parts[1] not in _MONTHS or parts[4] != "UTC":
        raise ValueError(f"not a Cognito TIMESTAMP: {text!r}")
    if not parts[2].isdigit() or parts[2].startswith("0"):
        raise ValueError(f"not a Cognito TIMESTAMP: {text!r}")
    moment = datetime.strptime(f"{parts[5]} {_MONTHS.index(parts[1]) + 1} {parts[2]} {parts[3]}", "%Y %m %d %H:%M:%S")
    return moment.replace(tzinfo=UTC)


def compute_x(salt_hex: str, pool: str, user_id: str, password: str) -> int:
    """x = H(pad(salt) | hex(SHA256(poolName + userId + ":" + password)))."""
    inner = hashlib.sha256(f"{pool}{user_id}:{password}".encode()).hexdigest()
    return _hash_hex(pad_hex(salt_hex) + inner)


def verifier_from_x(x: int) -> int:
    return powmod(G, x)


def make_verifier(pool: str, user_id: str, password: str, salt_hex: str | None = None) -> tuple[str, int]:
    salt_hex = salt_hex or secrets.token_hex(16)
    return salt_hex, verifier_from_x(compute_x(salt_hex, pool, user_id, password))


def _u(a_value: int, b_value: int) -> int:
    return _hash_hex(pad_hex(a_value) + pad_hex(b_value))


def _session_key(s_value: int, u_value: int) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=16, salt=bytes.fromhex(pad_hex(u_value)), info=_INFO)
    return hkdf.derive(bytes.fromhex(pad_hex(s_value)))


def _claim(key: bytes, pool: str, user_id: str, secret_block_b64: str, timestamp: str) -> bytes:
    message = pool.encode() + user_id.encode() + base64.b64decode(secret_block_b64) + timestamp.encode()
    return hmac.new(key, message, hashlib.sha256).digest()


class SrpClient:
    """The client side: SRP_A for InitiateAuth, then the PASSWORD_VERIFIER answer."""

    def __init__(
        self,
        user_pool_id: str,
        username: str,
        password: str,
        *,
        clock: Callable[[], datetime] | None = None,
        a: int | None = None,
    ) -> None:
        self.pool = pool_name(user_pool_id)
        self.username = username
        self._password = password
        self._clock = clock or (lambda: datetime.now(UTC))
        self._a = a if a is not None else secrets.randbits(1024) % N
        self.big_a = powmod(G, self._a)

    @property
    def srp_a_hex(self) -> str:
        return f"{self.big_a:x}"

    def respond(self, challenge_parameters: Mapping[str, str]) -> dict[str, str]:
        """ChallengeResponses for PASSWORD_VERIFIER (USERNAME is the server's USER_ID_FOR_SRP)."""
        b_value = int(challenge_parameters["SRP_B"], 16)
        if b_value % N == 0:
            raise ValueError("SRP_B is not valid")
        u_value = _u(self.big_a, b_value)
        if u_value == 0:
            raise ValueError("SRP u is zero")
        user_id = challenge_parameters["USER_ID_FOR_SRP"]
        x = compute_x(challenge_parameters["SALT"], self.pool, user_id, self._password)
        s_value = powmod((b_value - K * powmod(G, x)) % N, self._a + u_value * x)
        timestamp = format_timestamp(self._clock())
        secret_block = challenge_parameters["SECRET_BLOCK"]
        signature = _claim(_session_key(s_value, u_value), self.pool, user_id, secret_block, timestamp)
        return {
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
            "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(signature).decode(),
            "TIMESTAMP": timestamp,
        }


@dataclass(frozen=True)
class SrpServerSession:
    """The server side of one exchange: B for the client, then verification of its claim."""

    verifier: int
    salt_hex: str
    big_a: int
    b: int
    big_b: int

    @classmethod
    def start(cls, verifier: int, salt_hex: str, srp_a_hex: str, *, b: int | None = None) -> SrpServerSession:
        try:
            big_a = int(srp_a_hex, 16)
        except ValueError:
            raise ValueError("SRP_A is not hexadecimal") from None
        if big_a % N == 0:
            raise ValueError("SRP_A is not valid")
        b = b if b is not None else secrets.randbits(1024) % N
        big_b = (K * verifier + powmod(G, b)) % N
        return cls(verifier, salt_hex, big_a, b, big_b)

    @property
    def srp_b_hex(self) -> str:
        return f"{self.big_b:x}"

    def verify(self, pool: str, user_id: str, secret_block_b64: str, timestamp: str, signature_b64: str) -> bool:
        u_value = _u(self.big_a, self.big_b)
        s_value = powmod(self.big_a * powmod(self.verifier, u_value) % N, self.b)
        try:
            expected = _claim(_session_key(s_value, u_value), pool, user_id, secret_block_b64, timestamp)
            given = base64.b64decode(signature_b64, validate=True)
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(expected, given)


def fake_challenge(pool: str, username: str) -> tuple[str, str]:
    """A salt and B for a user that does not exist: stable per username, shaped like real ones."""
    seed = hashlib.sha256(f"authflow-fake-srp:{pool}:{username}".encode()).digest()
    salt_hex = seed[:16].hex()
    big_b = powmod(G, int.from_bytes(hashlib.sha256(seed).digest() * 4, "big"))
    return salt_hex, f"{big_b:x}"
