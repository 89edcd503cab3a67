"""The one place secrets are taken out of anything the harness writes or prints.

Every report file, allure attachment, failure message and terminal line passes through a `Redactor`. Policy:

1. **Secret keys.** A value is secret when it sits under a key that
   - the botocore `cognito-idp` model marks `sensitive` (on the member or on its target shape: Password,
     Session, AccessToken, IdToken, RefreshToken, ClientSecret, SecretHash, SecretCode, UserCode, ...),
     except the identifiers in `READABLE_MEMBERS` that the model marks sensitive as personal data but that a
     reader needs (Username, ClientId, attribute values);
   - is listed in `SECRET_PARAMETER_KEYS`: the entries of the AuthParameters / ChallengeResponses /
     ChallengeParameters maps that carry secrets (the model marks the maps sensitive only as a whole), plus
     members the model forgets (ConfirmationCode) and Amplify JS inputs;
   - is an HTTP header that carries credentials (`SECRET_HEADERS`: Authorization, Cookie, X-Api-Key, ...; any
     case), in an http step's request or response;
   - is a harness variable (a lower-case name such as `password`, `first_session`, `otp_code`) containing one
     of `SECRET_VARIABLE_WORDS`.
   Any string that looks like a JWT or JWE is secret wherever it is, even inside text.
2. **Markers.** A secret is replaced by a marker that says what it was without showing it:
   `‹session:1a2b3c4d›` for sessions, `‹refresh:…›` for refresh tokens, `‹jwt:…›` for other JSON web tokens,
   `‹token:…›` for opaque tokens (the 8 hex digits start the SHA-256 of the value, so the same session or token
   used twice shows the same marker, across processes and runs), and `‹redacted:password›` naming the key for
   everything else.
3. **Memory.** Every secret value seen (and every value passed to `remember`) of at least `MIN_REMEMBERED`
   characters is replaced, longest first, wherever it shows up later inside any string: a failure message, an
   error message, a URL, a variable. Shorter values are masked where they sit but not searched for in text,
   since doing so would shred ordinary words and numbers.

4. **The environment and a scenario's own secrets.** A value a scenario read with `env("NAME")` (and any string a
   template built around one), the value of a variable the scenario lists in `secrets:` and a value wrapped in
   `sensitive(...)` are registered process-wide (`harness.exposed`); every Redactor masks them as `‹redacted:env›`
   or `‹redacted:secret›` wherever they are whole values, and inside any text once they have
   `EXPOSED_MIN_SEARCHED` characters.

A Redactor only grows: use one per run (or per set of reports) so that a secret learnt from one scenario's
request is also masked in another scenario's message. `redact()` learns from the whole object before it
rewrites any of it, so the order of keys never lets a secret through.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from itertools import groupby
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from harness.cognito import service
from harness.exposed import exposed, label_of

# Keys whose values are secret although the botocore model does not mark them so. Mostly the entries of the
# AuthParameters / ChallengeResponses / ChallengeParameters maps: the model marks those maps sensitive as a
# whole, but USERNAME or ChallengeName inside them must stay readable, so secrets are listed one by one.
# ANSWER is the CUSTOM_CHALLENGE answer (elsewhere it names a challenge, but as a map key it is the secret).
# CODE / ConfirmationCode: one-time codes (the model leaves ConfirmationCode unmarked).
SECRET_PARAMETER_KEYS = frozenset(
    {
        # AuthParameters / ChallengeResponses / ChallengeParameters entries
        "PASSWORD", "NEW_PASSWORD", "SECRET_HASH", "SRP_A", "SRP_B", "SALT", "SECRET_BLOCK",
        "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "REFRESH_TOKEN", "DEVICE_KEY",
        "EMAIL_OTP_CODE", "SMS_OTP_CODE", "SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "ANSWER", "CREDENTIAL",
        "CODE",
        # API members the model does not mark sensitive (or might stop marking)
        "ConfirmationCode", "UserCode", "SecretCode", "TemporaryPassword", "ProposedPassword", "PreviousPassword",
        # Amplify JS inputs and outputs
        "challengeResponse", "confirmationCode", "newPassword", "sharedSecret",
        # an identity provider's ProviderDetails (client_secret is caught by its word): Sign in with Apple's key
        "private_key",
    }
)  # fmt: skip

# HTTP header names (an http step's request and response) that carry credentials; compared in lower case.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey"}
)

# Members the model marks sensitive because they are personal data, not credentials; readers need them.
READABLE_MEMBERS = frozenset({"Username", "ClientId", "UserPoolId", "Name", "Value", "Destination", "LastIPAddress"})

# Lower-case keys that contain a secret word but only name a token's kind (JWT claims, OAuth responses).
READABLE_CLAIMS = frozenset({"token_use", "token_type"})

# Words that make a lower-case harness variable secret (`password`, `first_session`, `otp`, `access_token`).
SECRET_VARIABLE_WORDS = ("password", "secret", "code", "session", "token", "refresh", "otp", "answer", "credential")

MIN_REMEMBERED = 6
"""Secrets shorter than this are masked where they sit but not searched for inside other text."""

SUBSTRING_SCAN_MAX = 64
"""Up to this many distinct secret starts, `redact_text` first asks whether any of them occurs in the text at all
(a scenario's own redactor knows a dozen; most texts hold none, and then no pattern is compiled or run)."""

EXPOSED_MIN_SEARCHED = 4
"""Environment values this long are masked inside text too; shorter ones (a flag such as "1") only as whole
values, since searching for them would shred every report."""


def _exposed_marker(value: str) -> str:
    """``‹redacted:env›`` for an env() value, ``‹redacted:secret›`` for a scenario's own secret."""
    return f"‹redacted:{_marker_name(label_of(value))}›"


_SESSION_KEYS = frozenset({"Session", "session"})
_REFRESH_KEYS = frozenset({"RefreshToken", "REFRESH_TOKEN", "refreshToken"})
_TOKEN_KEYS = frozenset({"AccessToken", "IdToken", "Token", "accessToken", "idToken", "ActorToken", "SubjectToken"})
# A JWS (header.payload.signature) or JWE (five parts); the header is base64url JSON, so it starts with "eyJ".
_JWT_TEXT = r"eyJ[\w-]*(?:\.[\w-]*){2}(?:(?:\.[\w-]*){2})?"
_JWT = re.compile(rf"^{_JWT_TEXT}$")
_JWT_IN_TEXT = re.compile(rf"(?<![\w.-]){_JWT_TEXT}(?![\w.-])")


def _jwts_in(text: str) -> list[str]:
    """The JWTs inside ``text``. Every string of a report is searched: the substring test first spares most
    of them the regular expression (a JWT's header starts with "eyJ")."""
    return _JWT_IN_TEXT.findall(text) if "eyJ" in text else []


_MARKER_TEXT = r"‹[a-z0-9_]+(?::[0-9a-f]{8})?›"
_MARKER = re.compile(rf"^{_MARKER_TEXT}$")
# Expectation matchers that may sit under a secret key (`Session: present`, `tokens: valid`): not secrets.
_MATCHER_WORDS = frozenset({"present", "absent", "any", "valid"})


@cache
def sensitive_keys() -> frozenset[str]:
    """Member names the cognito-idp model marks sensitive, minus `READABLE_MEMBERS`.

    botocore merges a member's own traits into its shape's metadata, so `member.metadata["sensitive"]` covers
    both a sensitive member and a member whose target shape is sensitive. Maps and structures marked sensitive
    as a whole (AuthParameters, UserContextData) are not listed: their entries are judged one by one.
    """
    model = service.service_model()
    found: set[str] = set()
    seen: set[str] = set()

    def walk(shape: Shape) -> None:
        if shape.name in seen:
            return
        seen.add(shape.name)
        if isinstance(shape, StructureShape):
            for name, member in shape.members.items():
                if member.metadata.get("sensitive") and not isinstance(member, (StructureShape, ListShape, MapShape)):
                    found.add(name)
                walk(member)
        elif isinstance(shape, ListShape):
            walk(shape.member)
        elif isinstance(shape, MapShape):
            walk(shape.value)

    for operation in model.operation_names:
        op = model.operation_model(operation)
        for shape in (op.input_shape, op.output_shape):
            if shape is not None:
                walk(shape)
    return frozenset(found - READABLE_MEMBERS)


def _shared_start(first: str, last: str) -> str:
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def _alternatives(values: Iterable[str]) -> str:
    """A regex matching any of `values`, the longest where several match at one place.

    Written as a radix tree (`abc(?:d(?:ef)?|xy)`) rather than a flat alternation: at each position of the
    text the engine then tries one branch per distinct next character instead of every value, which keeps
    scanning linear however many sessions a run remembers.
    """

    def tree(words: list[str]) -> str:  # words: sorted, unique; "" means a secret may end here
        ends = bool(words) and words[0] == ""
        branches = []
        for _, group in groupby(words[1:] if ends else words, key=lambda word: word[0]):
            members = list(group)
            prefix = _shared_start(members[0], members[-1])  # sorted: the extremes share what all share
            branches.append(re.escape(prefix) + tree([word[len(prefix) :] for word in members]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body  # greedy: the longer secret first

    return tree(sorted(set(values)))  # nests at most as deep as the longest value (MIN_REMEMBERED here)


def fingerprint(value: str) -> str:
    """Eight hex digits of SHA-256: enough to tell sessions apart in a report, useless to replay one."""
    return hashlib.sha256(value.encode()).hexdigest()[:8]


@cache
def is_secret_key(key: str) -> bool:
    """Whether a value under `key` is a secret (see the module docstring)."""
    if key in SECRET_PARAMETER_KEYS or key in _SESSION_KEYS or key in _REFRESH_KEYS or key in _TOKEN_KEYS:
        return True
    if key in sensitive_keys() or key.lower() in SECRET_HEADERS:
        return True
    return key.islower() and key not in READABLE_CLAIMS and any(word in key for word in SECRET_VARIABLE_WORDS)


def _marker_name(key: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", key.lower()).strip("_") or "secret"


def _marker(key: str | None, value: str) -> str:
    """The marker for a secret `value` found under `key` (None: passed to `remember` or found in text)."""
    key = key or ""
    if key in _SESSION_KEYS or (key.islower() and "session" in key):
        return f"‹session:{fingerprint(value)}›"
    if key in _REFRESH_KEYS or (key.islower() and "refresh" in key):
        return f"‹refresh:{fingerprint(value)}›"  # Cognito's are JWE: say which token it is rather than "jwt"
    if _JWT.match(value):
        return f"‹jwt:{fingerprint(value)}›"
    if key in _TOKEN_KEYS or (key.islower() and "token" in key):
        return f"‹token:{fingerprint(value)}›"
    return f"‹redacted:{_marker_name(key)}›"


class Redactor:
    """Redacts data and text, remembering every secret it has seen (use one per run or per set of reports)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}  # secret value -> its marker (values of MIN_REMEMBERED chars or more)
        self._by_start: dict[str, list[str]] = {}  # first MIN_REMEMBERED chars -> secrets, longest first
        self._pattern: re.Pattern[str] | None = None  # finds markers and the starts of secrets
        self._exposed: frozenset[str] = frozenset()  # env() values, masked as whole values at any length

    def _learn_exposed(self) -> None:
        """Take in the environment values registered since the last look (cheap when nothing changed)."""
        values = exposed()
        if values is self._exposed:
            return
        for value in values - self._exposed:
            self._known.pop(value, None)  # the env marker wins over one learnt under another key
            self._remember(value, _exposed_marker(value), EXPOSED_MIN_SEARCHED)
        self._exposed = values

    def remember(self, value: str, key: str | None = None) -> str:
        """Learn a secret value (so it is masked inside any later text) and return its marker.

        The first marker given to a value sticks, so one value reads the same everywhere.
        """
        self._learn_exposed()
        if value in self._known:
            return self._known[value]
        return self._remember(value, _marker(key, value), MIN_REMEMBERED)

    def _remember(self, value: str, marker: str, searched_from: int) -> str:
        if len(value) >= searched_from:
            self._known[value] = marker
            bucket = self._by_start.setdefault(value[:MIN_REMEMBERED], [])
            if value not in bucket:
                bucket.append(value)
                bucket.sort(key=len, reverse=True)
            if len(bucket) == 1:
                self._pattern = None
        return marker

    def learn(self, *data: Any) -> None:
        """Remember the secrets inside `data` without rewriting it (call with a whole run's results first)."""
        self._learn_exposed()
        for item in data:
            self._walk(item, None)

    def redact(self, data: Any) -> Any:
        """A redacted deep copy of dicts, lists, tuples and scalars; learns from all of `data` first."""
        self.learn(data)
        return self._copy(data, None)

    def rewrite(self, data: Any) -> Any:
        """A redacted deep copy of `data` whose secrets `learn` has seen already (a run's results are learnt
        as a whole, then rewritten one by one): `redact` without its second walk."""
        self._learn_exposed()
        return self._copy(data, None)

    def redact_text(self, text: str) -> str:
        """`text` with every remembered secret and every JWT replaced by its marker; markers stay intact.

        Where secrets overlap, the leftmost wins, and the longest of those starting there. The pattern only
        looks for secrets' first MIN_REMEMBERED characters (small and quick to compile even for a run with
        thousands of sessions); each hit is then checked against the secrets starting that way.
        """
        if not text:
            return text
        self._learn_exposed()
        if text in self._exposed:
            return _exposed_marker(text)
        for token in _jwts_in(text):
            self.remember(token)
        if not self._known:
            return text
        if len(self._by_start) <= SUBSTRING_SCAN_MAX and not any(start in text for start in self._by_start):
            return text  # no secret starts anywhere in it: nothing to rewrite, and no pattern to compile
        if self._pattern is None:
            self._pattern = re.compile(f"({_MARKER_TEXT})|{_alternatives(self._by_start)}")
        pieces: list[str] = []
        done = position = 0
        while (found := self._pattern.search(text, position)) is not None:
            start = found.start()
            if found.group(1):  # a marker: never rewritten, so a fingerprint stays what it was
                position = found.end()
                continue
            secret = self._secret_at(text, start, found.group(0))
            if secret is None:  # only the start matched
                position = start + 1
                continue
            pieces += [text[done:start], self._known[secret]]
            done = position = start + len(secret)
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    # -- internals --------------------------------------------------------------------------------------

    def _secret_at(self, text: str, start: int, matched: str) -> str | None:
        """The longest remembered secret at `start`, given the longest bucket key the pattern matched there.

        Buckets are keyed by a secret's first MIN_REMEMBERED characters, or all of it when shorter (an
        environment value): when no secret of the longest key's bucket fits, a shorter key's may.
        """
        for size in range(len(matched), 0, -1):
            for secret in self._by_start.get(matched[:size], ()):
                if text.startswith(secret, start):
                    return secret
        return None

    @staticmethod
    def _child_key(parent: dict[Any, Any], key: Any) -> str:
        # An error's Code (beside its Message) is an error name; every other Code is a one-time code: an outbox
        # message's, or a request's (VerifyUserAttribute's Code is a ConfirmationCodeType the model leaves unmarked).
        if key == "Code" and not ("Message" in parent and "Destination" not in parent):
            return "CODE"
        return str(key)

    def _secret_scalar(self, value: Any, key: str | None) -> str | None:
        """The marker for a scalar under `key` when it is secret (learning it), else None."""
        if isinstance(value, str):
            if value in self._exposed:
                return _exposed_marker(value)
            if not value or (value[0] == "‹" and _MARKER.match(value)) or value in _MATCHER_WORDS:
                return None  # empty, already redacted (fingerprints must not change), or a matcher
            if (value.startswith("eyJ") and _JWT.match(value)) or (key is not None and is_secret_key(key)):
                return self.remember(value, key)
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and str(value) in self._exposed:
            return _exposed_marker(str(value))  # a secret PIN written as a YAML number
        if key is None or isinstance(value, bool) or value is None or not is_secret_key(key):
            return None
        if isinstance(value, (int, float)):
            return self.remember(str(value), key)  # a code written as a YAML number
        if isinstance(value, (bytes, bytearray)):
            return f"‹redacted:{_marker_name(key)}›"
        return None

    def _walk(self, data: Any, key: str | None) -> None:
        if isinstance(data, dict):
            for k, v in data.items():
                self._walk(v, self._child_key(data, k))
        elif isinstance(data, (list, tuple)):
            for item in data:
                self._walk(item, key)
        elif self._secret_scalar(data, key) is None and isinstance(data, str):
            for token in _jwts_in(data):  # learnt now, so rewriting does not recompile the pattern
                self.remember(token)

    def _copy(self, data: Any, key: str | None) -> Any:
        if isinstance(data, dict):
            return {k: self._copy(v, self._child_key(data, k)) for k, v in data.items()}
        if isinstance(data, list):
            return [self._copy(item, key) for item in data]
        if isinstance(data, tuple):
            return tuple(self._copy(item, key) for item in data)
        marker = self._secret_scalar(data, key)
        if marker is not None:
            return marker
        if isinstance(data, str):
            return self.redact_text(data)
        return data
