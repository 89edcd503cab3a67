"""Cognito's SRP-6a variant, both sides: the client (scenarios sign in with USER_SRP_AUTH, also against real
AWS) and the server (the emulator really verifies PASSWORD_CLAIM_SIGNATURE and TIMESTAMP).

The conventions are Cognito's, as its reference client implements them [AJS
packages/auth/src/providers/cognito/utils/srp; docs/cognito-behaviour.md "SRP"]: the 3072-bit MODP group of
RFC 3526 with g = 2, SHA-256 over *bytes* given as padded hex (``pad_hex``), k = H(pad(N) | pad(g)),
u = H(pad(A) | pad(B)), x = H(pad(salt) | hex(SHA-256(poolName | userId | ":" | password))), the session key
HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key") cut to 16 bytes, and the claim
HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP).

Devices use the same exchange with (DeviceGroupKey, DeviceKey) in place of (poolName, userId) and a random device
secret as the password: ``new_device_secret`` / ``device_verifier_config`` make what ConfirmDevice carries,
``parse_device_verifier_config`` reads it back, ``DeviceSrpClient`` answers DEVICE_SRP_AUTH and
DEVICE_PASSWORD_VERIFIER, and ``SrpServerSession`` verifies it as it does for users.

Arithmetic backend: modular exponentiation goes through ``powmod``, which uses ``gmpy2.powmod`` when gmpy2
is importable (``pip install authflow[speed]``) and the builtin ``pow`` otherwise. ``BACKEND`` names the one
in use. Set ``AUTHFLOW_SRP_PURE=1`` in the environment before import to force plain Python, or call
``use_gmpy2(False)`` / ``use_gmpy2(True)`` at run time (the benchmark and the tests compare both). Read the
backend as ``srp.BACKEND``: ``from harness.cognito.srp import BACKEND`` copies the value at import time.

Powers of the fixed base g (A = g^a, g^b in B, g^x) use a precomputed table of g^(d * 2^(4i)), built once
per backend on first use (~1.6 MB; ~30 ms with gmpy2, ~0.2 s in plain Python), which makes them 2-3x
cheaper than a generic exponentiation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from harness.errors import AuthflowError

__all__ = [
    "BACKEND",
    "N_HEX",
    "SECRET_BYTES",
    "DeviceSecret",
    "DeviceSrpClient",
    "G",
    "K",
    "N",
    "SrpClient",
    "SrpError",
    "SrpServerSession",
    "compute_x",
    "device_verifier_config",
    "fake_challenge",
    "format_timestamp",
    "make_verifier",
    "new_device_secret",
    "new_salt",
    "pad_hex",
    "parse_device_verifier_config",
    "parse_timestamp",
    "pool_name",
    "powmod",
    "use_gmpy2",
    "verifier_from_x",
]

N_HEX: Final = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE"
    "386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D"
    "23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C"
    "180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAA"
    "C42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D7"
    "1E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C7709"
    "88C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
"""RFC 3526 group 15 (3072-bit MODP), the group every Cognito SRP client uses."""
N: Final = int(N_HEX, 16)
G: Final = 2
SECRET_BYTES: Final = 128
"""Size of the private values a and b: 128 random bytes, as Amplify and pycognito draw them."""

_INFO: Final = b"Caldera Derived Key"
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # datetime.weekday() order
_HEX: Final = re.compile(r"[0-9a-fA-F]+")
_TOP_BIT_SET: Final = frozenset("89abcdefABCDEF")
_TIMESTAMP: Final = re.compile(
    rf"({'|'.join(_DAYS)}) ({'|'.join(_MONTHS)}) ([1-9]|[12][0-9]|3[01]) "
    r"([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})"
)


class SrpError(AuthflowError, ValueError):
    """A value the SRP protocol says to refuse (B % N == 0, u == 0, A % N == 0, malformed hex or base64)."""


# --- arithmetic backends -----------------------------------------------------------------------------------

PowMod = Callable[[int, int, int], int]

_WINDOW: Final = 4
_TABLE_BITS: Final = SECRET_BYTES * 8  # covers a, b (1024 bits) and x (256 bits); larger exponents fall back


class _Backend:
    """One way to do the big-number work: a generic powmod plus a fixed-base table for g.

    The table holds g^(d * 2^(w*i)) for every window position i and digit d, so g^e costs one modular
    multiplication per non-zero w-bit digit of e (~240 for 1024 bits) instead of ~1024 squarings and ~200
    multiplications.
    """

    def __init__(self, name: str, powmod: PowMod, number: Callable[[int], Any]) -> None:
        self.name = name
        self.powmod = powmod
        self._number = number  # int, or gmpy2.mpz so the table's products stay in GMP
        self._table: list[list[Any]] | None = None

    def _build_table(self) -> list[list[Any]]:
        modulus = self._number(N)
        base = self._number(G)
        table: list[list[Any]] = []
        for _ in range(-(-_TABLE_BITS // _WINDOW)):
            row = [self._number(1), base]
            for _digit in range(2, 1 << _WINDOW):
                row.append(row[-1] * base % modulus)
            table.append(row)
            base = row[-1] * base % modulus  # g^(2^(w*(i+1)))
        self._table = table  # a race only builds it twice
        return table

    def g_pow(self, exponent: int) -> int:
        """g^exponent mod N through the fixed-base table (built on first use)."""
        if exponent < 0 or exponent.bit_length() > _TABLE_BITS:
            return self.powmod(G, exponent, N)
        table = self._table or self._build_table()
        modulus = self._number(N)
        result: Any = None
        mask = (1 << _WINDOW) - 1
        position = 0
        while exponent:
            digit = exponent & mask
            if digit:
                factor = table[position][digit]
                result = factor if result is None else result * factor % modulus
            exponent >>= _WINDOW
            position += 1
        return 1 if result is None else int(result)


def _python_powmod(base: int, exponent: int, modulus: int) -> int:
    return pow(base, exponent, modulus)


def _load_gmpy2() -> _Backend | None:
    try:
        import gmpy2
    except ImportError:
        return None

    def gmpy2_powmod(base: int, exponent: int, modulus: int) -> int:
        return int(gmpy2.powmod(base, exponent, modulus))

    return _Backend("gmpy2", gmpy2_powmod, gmpy2.mpz)


_PYTHON: Final = _Backend("python", _python_powmod, int)
_GMPY2: Final = _load_gmpy2()
_active: _Backend = _GMPY2 if _GMPY2 is not None and os.environ.get("AUTHFLOW_SRP_PURE") != "1" else _PYTHON
BACKEND: str = _active.name
"""The exponentiation backend in use: "gmpy2" or "python"."""


def use_gmpy2(enabled: bool) -> str:
    """Switch the backend at run time (benchmark, tests) and return the one now in use.

    Asking for gmpy2 when it is not installed leaves plain Python in use; callers check the return value.
    Does not touch the environment, so child processes are unaffected.
    """
    global _active, BACKEND
    _active = _GMPY2 if enabled and _GMPY2 is not None else _PYTHON
    BACKEND = _active.name
    return BACKEND


def powmod(base: int, exponent: int, modulus: int = N) -> int:
    """base^exponent mod modulus with the active backend (every exponentiation here goes through it)."""
    return _active.powmod(base, exponent, modulus)


def _g_pow(exponent: int) -> int:
    return _active.g_pow(exponent)


# --- encodings and hashes ----------------------------------------------------------------------------------


def pad_hex(value: int | str) -> str:
    """Hex of even length, with a leading 00 when the top bit is set, so the bytes read as a positive number.

    This is the byte form Cognito hashes (Java's BigInteger.toByteArray()). A string is padded as given
    (leading zeros kept), as pycognito does for SALT; Amplify first parses it as a number. The two agree for
    any hex without leading zeros, which is why ``new_salt`` never produces one.
    """
    if isinstance(value, int):
        if value < 0:
            raise SrpError("SRP values are non-negative")
        text = f"{value:x}"
    else:
        text = value
    if len(text) % 2:
        return "0" + text
    if text[:1] in _TOP_BIT_SET:
        return "00" + text
    return text


def _parse_hex(text: object, what: str) -> int:
    """A big-endian hex parameter, strictly: int(x, 16) would also take "0x", "-", "_" and spaces."""
    if not isinstance(text, str) or not _HEX.fullmatch(text):
        raise SrpError(f"{what} is not a hexadecimal number")
    return int(text, 16)


def _hash_hex(hex_text: str) -> int:
    """SHA-256 of the bytes the hex stands for (not of the hex text), as an integer."""
    return int.from_bytes(hashlib.sha256(bytes.fromhex(hex_text)).digest(), "big")


def _b64decode(text: str) -> bytes:
    """Base64 as Amplify reads SECRET_BLOCK: the URL-safe alphabet and missing padding are tolerated, stray
    characters are not (a lenient decoder would let a tampered secret block decode to the same bytes)."""
    normal = text.replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(normal + "=" * (-len(normal) % 4), validate=True)
    except ValueError:
        raise SrpError("not base64") from None


K: Final = _hash_hex(pad_hex(N) + pad_hex(G))
"""The SRP-6a multiplier k = H(pad(N) | pad(g)), computed once."""


def pool_name(user_pool_id: str) -> str:
    """`us-east-1_AbC123` -> `AbC123`: the part of the pool id that SRP hashes and signs."""
    _region, underscore, name = user_pool_id.partition("_")
    if not underscore or not name:
        raise SrpError(f"not a user pool id: {user_pool_id!r}")
    return name


def format_timestamp(moment: datetime) -> str:
    """Cognito's TIMESTAMP, `Mon Jan 5 09:03:07 UTC 2026`: English names whatever the locale (strftime's %a
    and %b are not), the day not zero-padded. A naive datetime is taken as UTC, as Cognito tooling does."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return f"{_DAYS[utc.weekday()]} {_MONTHS[utc.month - 1]} {utc.day} {utc:%H:%M:%S} UTC {utc.year}"


def parse_timestamp(text: str) -> datetime:
    """The inverse of format_timestamp (an aware UTC datetime); ValueError for any other shape (zero-padded
    day, missing zero in the time, another zone, trailing text, impossible dates). The weekday name must be
    a real one but is not cross-checked against the date: the signature covers the text anyway, and what
    Cognito does with a wrong weekday is unconfirmed."""
    match = _TIMESTAMP.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not a Cognito TIMESTAMP: {text!r}")
    _day, month, day, hour, minute, second, year = match.groups()
    try:
        return datetime(int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError:
        raise ValueError(f"not a Cognito TIMESTAMP: {text!r}") from None


# --- the password side -------------------------------------------------------------------------------------


def compute_x(salt_hex: str, pool_name: str, user_id: str, password: str) -> int:
    """The private value x = H(pad(salt) | hex(SHA256(poolName + userId + ":" + password))).

    The inner hash enters as its 64-character hex digest, the outer one hashes the bytes of that hex.
    """
    if not _HEX.fullmatch(salt_hex):
        raise SrpError("SALT is not a hexadecimal number")
    inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode()).hexdigest()
    return _hash_hex(pad_hex(salt_hex) + inner)


def verifier_from_x(x: int) -> int:
    """The password verifier v = g^x mod N (what a server stores instead of the password)."""
    return _g_pow(x)


def new_salt() -> str:
    """A fresh random salt: 128 bits as 32 hex digits, never with a leading zero.

    No leading zero means every client hashes the same bytes (pycognito pads the SALT text, Amplify pads
    the number it parses from it), and it keeps real and fake salts (``fake_challenge``) the same shape.
    """
    while True:
        salt = secrets.token_hex(16)
        if salt[0] != "0":
            return salt


def make_verifier(pool_name: str, user_id: str, password: str, salt_hex: str | None = None) -> tuple[str, int]:
    """(salt, verifier) for a user, as a server stores them; a fresh ``new_salt`` unless one is given."""
    salt_hex = salt_hex if salt_hex is not None else new_salt()
    return salt_hex, verifier_from_x(compute_x(salt_hex, pool_name, user_id, password))


# --- the shared steps --------------------------------------------------------------------------------------


def _random_secret() -> int:
    """a or b: 128 random bytes (never zero)."""
    while True:
        value = int.from_bytes(secrets.token_bytes(SECRET_BYTES), "big")
        if value:
            return value


def _u(big_a: int, big_b: int) -> int:
    """The scrambler u = H(pad(A) | pad(B))."""
    return _hash_hex(pad_hex(big_a) + pad_hex(big_b))


def _session_key(s_value: int, u_value: int) -> bytes:
    """HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key"), 16 bytes."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=16, salt=bytes.fromhex(pad_hex(u_value)), info=_INFO)
    return hkdf.derive(bytes.fromhex(pad_hex(s_value)))


def _claim(key: bytes, pool_name: str, user_id: str, secret_block: bytes, timestamp: str) -> bytes:
    """HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP): PASSWORD_CLAIM_SIGNATURE's bytes."""
    message = pool_name.encode() + user_id.encode() + secret_block + timestamp.encode()
    return hmac.new(key, message, hashlib.sha256).digest()


# --- client ------------------------------------------------------------------------------------------------


class SrpClient:
    """The client side: SRP_A for InitiateAuth, then the PASSWORD_VERIFIER answer.

    ``clock`` supplies TIMESTAMP (the run's clock, so frozen or stepped clocks sign consistently); ``a`` fixes
    the private value for reproducible tests, otherwise 128 random bytes are drawn.
    """

    def __init__(
        self,
        user_pool_id: str,
        username: str,
        password: str,
        *,
        clock: Callable[[], datetime] | None = None,
        a: int | None = None,
    ) -> None:
        if a is not None and a <= 0:
            raise SrpError("a must be positive")
        self.pool_name = pool_name(user_pool_id)
        self.username = username
        self._password = password
        self._clock = clock or (lambda: datetime.now(UTC))
        self._a = a if a is not None else _random_secret()
        self._big_a = _g_pow(self._a)
        if self._big_a % N == 0:  # cannot happen for a in range; Amplify checks it all the same
            raise SrpError("A mod N is 0")

    def __repr__(self) -> str:
        return f"SrpClient(pool_name={self.pool_name!r}, username={self.username!r})"

    @property
    def srp_a_hex(self) -> str:
        """The SRP_A auth parameter: A in hex, unpadded (as Amplify and pycognito send it)."""
        return f"{self._big_a:x}"

    def respond(self, challenge_parameters: Mapping[str, str]) -> dict[str, str]:
        """ChallengeResponses for PASSWORD_VERIFIER.

        USERNAME is the server's USER_ID_FOR_SRP (the pool's internal name, e.g. the sub for alias sign-in),
        which is also the user id x and the signature are computed with. Raises SrpError (a ValueError) for
        a missing or malformed parameter, B % N == 0 or u == 0 (the SRP-6a client-side safety checks).
        """
        for name in ("SRP_B", "SALT", "SECRET_BLOCK", "USER_ID_FOR_SRP"):
            if not challenge_parameters.get(name):
                raise SrpError(f"PASSWORD_VERIFIER challenge parameters lack {name}")
        user_id = challenge_parameters["USER_ID_FOR_SRP"]
        claim = _client_claim(
            self._a, self._big_a, self.pool_name, user_id, self._password, challenge_parameters, self._clock()
        )
        return {"USERNAME": user_id, **claim}


def _client_claim(
    a: int,
    big_a: int,
    pool_name: str,
    user_id: str,
    password: str,
    challenge_parameters: Mapping[str, str],
    moment: datetime,
) -> dict[str, str]:
    """The client's proof over SRP_B, SALT and SECRET_BLOCK: PASSWORD_CLAIM_SECRET_BLOCK, _SIGNATURE, TIMESTAMP."""
    big_b = _parse_hex(challenge_parameters["SRP_B"], "SRP_B")
    if big_b % N == 0:
        raise SrpError("SRP_B mod N is 0")
    u_value = _u(big_a, big_b)
    if u_value == 0:
        raise SrpError("u is 0")
    secret_block = challenge_parameters["SECRET_BLOCK"]
    x = compute_x(challenge_parameters["SALT"], pool_name, user_id, password)
    s_value = powmod((big_b - K * _g_pow(x)) % N, a + u_value * x)
    timestamp = format_timestamp(moment)
    signature = _claim(_session_key(s_value, u_value), pool_name, user_id, _b64decode(secret_block), timestamp)
    return {
        "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
        "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(signature).decode(),
        "TIMESTAMP": timestamp,
    }


# --- devices -----------------------------------------------------------------------------------------------
# A remembered device proves itself with the same SRP, its identity being (DeviceGroupKey, DeviceKey) where a
# user's is (poolName, USER_ID_FOR_SRP), and its password a random secret only the device holds [AJS
# utils/srp/AuthenticationHelper generateHashDevice, utils/getNewDeviceMetadata.ts, utils/handleDeviceSRPAuth.ts;
# DG "Working with user devices in your user pool"]:
#   x = H(pad(salt) | hex(SHA-256(DeviceGroupKey | DeviceKey | ":" | secret))), verifier g^x, and the claim
#   HMAC(key, DeviceGroupKey | DeviceKey | SECRET_BLOCK bytes | TIMESTAMP).
# ConfirmDevice carries salt and verifier as base64 of their padded bytes.


@dataclass(frozen=True)
class DeviceSecret:
    """What a client keeps after ConfirmDevice to sign in with the device later (Amplify's DeviceMetadata).

    The repr leaves out the secret."""

    device_key: str
    device_group_key: str
    password: str = field(repr=False)


def new_device_secret(
    device_group_key: str, device_key: str, *, salt_hex: str | None = None
) -> tuple[DeviceSecret, dict[str, str]]:
    """A fresh device secret and the DeviceSecretVerifierConfig to confirm the device with.

    The secret is 40 random bytes in base64 and the salt 16 random bytes, as Amplify draws them.
    """
    secret = DeviceSecret(device_key, device_group_key, base64.b64encode(secrets.token_bytes(40)).decode())
    salt_hex = pad_hex(int.from_bytes(secrets.token_bytes(16), "big") or 1) if salt_hex is None else salt_hex
    verifier = verifier_from_x(compute_x(salt_hex, device_group_key, device_key, secret.password))
    return secret, device_verifier_config(salt_hex, verifier)


def device_verifier_config(salt_hex: str, verifier: int) -> dict[str, str]:
    """DeviceSecretVerifierConfig: Salt and PasswordVerifier as base64 of their padded bytes."""
    return {
        "PasswordVerifier": base64.b64encode(bytes.fromhex(pad_hex(verifier))).decode(),
        "Salt": base64.b64encode(bytes.fromhex(pad_hex(salt_hex))).decode(),
    }


def parse_device_verifier_config(config: Mapping[str, Any]) -> tuple[str, int]:
    """(salt hex, verifier) from a DeviceSecretVerifierConfig; SrpError when either is missing, not base64,
    or the verifier is not in the group (such a verifier would let anyone sign in as the device)."""
    values = []
    for name in ("Salt", "PasswordVerifier"):
        text = config.get(name)
        if not isinstance(text, str) or not text:
            raise SrpError(f"DeviceSecretVerifierConfig.{name} is missing")
        try:
            values.append(base64.b64decode(text, validate=True))
        except ValueError:
            raise SrpError(f"DeviceSecretVerifierConfig.{name} is not base64") from None
    salt, verifier_bytes = values
    verifier = int.from_bytes(verifier_bytes, "big")
    if not salt or not 1 < verifier < N:
        raise SrpError("DeviceSecretVerifierConfig does not hold an SRP verifier")
    return salt.hex(), verifier


class DeviceSrpClient:
    """The client side of device authentication: SRP_A for DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER."""

    def __init__(
        self, secret: DeviceSecret, *, clock: Callable[[], datetime] | None = None, a: int | None = None
    ) -> None:
        if a is not None and a <= 0:
            raise SrpError("a must be positive")
        self.secret = secret
        self._clock = clock or (lambda: datetime.now(UTC))
        self._a = a if a is not None else _random_secret()
        self._big_a = _g_pow(self._a)

    def __repr__(self) -> str:
        return f"DeviceSrpClient(device_key={self.secret.device_key!r})"

    @property
    def srp_a_hex(self) -> str:
        return f"{self._big_a:x}"

    def start(self, username: str) -> dict[str, str]:
        """ChallengeResponses for DEVICE_SRP_AUTH."""
        return {"USERNAME": username, "DEVICE_KEY": self.secret.device_key, "SRP_A": self.srp_a_hex}

    def respond(self, challenge_parameters: Mapping[str, str], username: str) -> dict[str, str]:
        """ChallengeResponses for DEVICE_PASSWORD_VERIFIER (USERNAME: the challenge's, else ``username``)."""
        for name in ("SRP_B", "SALT", "SECRET_BLOCK"):
            if not challenge_parameters.get(name):
                raise SrpError(f"DEVICE_PASSWORD_VERIFIER challenge parameters lack {name}")
        secret = self.secret
        claim = _client_claim(
            self._a, self._big_a, secret.device_group_key, secret.device_key, secret.password,
            challenge_parameters, self._clock(),
        )  # fmt: skip
        return {"USERNAME": challenge_parameters.get("USERNAME") or username, **claim, "DEVICE_KEY": secret.device_key}


# --- server ------------------------------------------------------------------------------------------------


class SrpServerSession:
    """The server side of one exchange: B for the client, then verification of its claim.

    ``start`` does the one expensive step the reply needs (g^b, through the fixed-base table) and the cheap
    hash u; ``verify`` computes S = (A * v^u)^b once and keeps the derived key, so further checks of the same
    exchange are only an HMAC. The repr leaves out b and the verifier.
    """

    __slots__ = ("_b", "_big_a", "_big_b", "_key", "_u", "_verifier", "salt_hex")

    def __init__(self, verifier: int, salt_hex: str, big_a: int, b: int) -> None:
        """Use ``start``, which checks its inputs."""
        self._verifier = verifier
        self.salt_hex = salt_hex
        self._big_a = big_a
        self._b = b
        self._big_b = (K * verifier + _g_pow(b)) % N
        self._u = _u(big_a, self._big_b)
        self._key: bytes | None = None

    @classmethod
    def start(cls, verifier: int, salt_hex: str, srp_a_hex: str, *, b: int | None = None) -> SrpServerSession:
        """Begin an exchange for a user with this verifier and salt, answering the client's SRP_A.

        Raises SrpError (a ValueError) when SRP_A is not hex or A % N == 0 (the SRP-6a host safety check:
        such an A would let a client force S and sign without the password).
        """
        big_a = _parse_hex(srp_a_hex, "SRP_A")
        if big_a % N == 0:
            raise SrpError("SRP_A mod N is 0")
        if not 0 < verifier < N:
            raise SrpError("the verifier is not in the group")
        if b is not None and b <= 0:
            raise SrpError("b must be positive")
        return cls(verifier, salt_hex, big_a, b if b is not None else _random_secret())

    def __repr__(self) -> str:
        return f"SrpServerSession(salt_hex={self.salt_hex!r}, srp_b_hex={self.srp_b_hex[:16]!r}...)"

    @property
    def srp_b_hex(self) -> str:
        """The SRP_B challenge parameter: B in hex, unpadded (as Cognito sends it)."""
        return f"{self._big_b:x}"

    def _session_key(self) -> bytes:
        if self._key is None:
            s_value = powmod(self._big_a * powmod(self._verifier, self._u) % N, self._b)
            self._key = _session_key(s_value, self._u)
        return self._key

    def verify(self, pool_name: str, user_id: str, secret_block_b64: str, timestamp: str, signature_b64: str) -> bool:
        """Whether PASSWORD_CLAIM_SIGNATURE proves the password for user_id over this secret block and
        timestamp. Malformed base64 is simply a failed proof; the comparison is constant-time."""
        if self._u == 0:
            return False
        try:
            secret_block = _b64decode(secret_block_b64)
            given = base64.b64decode(signature_b64, validate=True)
        except (ValueError, TypeError):
            return False
        expected = _claim(self._session_key(), pool_name, user_id, secret_block, timestamp)
        return hmac.compare_digest(expected, given)


# --- unknown users -----------------------------------------------------------------------------------------

_FAKE_KEY: Final = secrets.token_bytes(32)
"""Per-process key for fake salts: without it anyone could compute the fake salt of a name and compare."""


def _fake_digest(purpose: bytes, pool_name: str, username: str, counter: int = 0) -> bytes:
    message = b"\x00".join((purpose, pool_name.encode(), username.encode(), str(counter).encode()))
    return hmac.new(_FAKE_KEY, message, hashlib.sha256).digest()


def fake_challenge(pool_name: str, username: str) -> tuple[str, str]:
    """(SALT, SRP_B) for a user that does not exist, shaped and costed like a real user's.

    The salt is deterministic per pool and username (a real user's salt does not change between attempts)
    and drawn like ``new_salt``. B is computed as a real one, k*v + g^b with a fresh b and a verifier from a
    keyed, per-username x, so it changes on every attempt as a real B does, costs the same two fixed-base
    exponentiations as the emulator's real path, and no password can match it.
    """
    counter = 0
    while (salt := _fake_digest(b"salt", pool_name, username, counter)[:16].hex())[0] == "0":
        counter += 1
    fake_x = int.from_bytes(_fake_digest(b"x", pool_name, username), "big")
    big_b = (K * verifier_from_x(fake_x) + _g_pow(_random_secret())) % N
    return salt, f"{big_b:x}"
