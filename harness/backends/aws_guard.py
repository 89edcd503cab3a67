"""What a run owns on a real account, and the rule that refuses every call addressing anything else.

A scenario on ``--backend aws`` runs in an account that may hold production pools, so no call may reach a pool
the run did not create or the user did not name (``--pool-id``/``--client-id``). Cognito operations address a
pool in several ways - a pool id, an app client id, a pool ARN, a user's access token, a refresh token, a
challenge session - and each call is attributed from those members of its input before it is sent.

The members an operation can address by are read from the botocore model, so an operation added to botocore is
covered (or refused) without a hand list. An operation that addresses nothing the guard can attribute is
refused unless it is judged safe below, with the reason.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any

import jwt

from harness.backends.base import Unsupported

ADDRESSING_MEMBERS = ("UserPoolId", "ClientId", "ResourceArn", "AccessToken", "Token", "RefreshToken", "Session")
"""Input members that name what a call acts on, checked in this order."""

TOKEN_MEMBERS = frozenset({"AccessToken", "Token", "RefreshToken"})

# Members ending in "Token" that are not credentials: page cursors, and the risk-feedback token, which the
# service looks up inside the pool the same call names by UserPoolId (itself checked).
NOT_CREDENTIALS = frozenset({"NextToken", "PaginationToken", "FeedbackToken"})

TARGETLESS_ALLOWED: dict[str, str] = {
    # The account's pool ids and names (no settings, no users): sweep and the tests' own checks need the list,
    # and it addresses no pool in particular.
    "ListUserPools": "an account-wide listing",
}
"""Operations that address no pool and are still allowed, with the reason. CreateUserPool is judged by the
backend: allowed when the run creates its pools (the run then owns the new pool), refused on an existing pool."""

PRE_APPROVAL_READS = frozenset({"DescribeUserPool", "ListTagsForResource"})
"""What may be sent to a pool the user named before it passed the test-pool tag check: the check's own reads."""

PUBLIC_ADDRESSING = frozenset({"ClientId", "AccessToken", "Token", "RefreshToken", "Session"})
"""How the public (end-user) API addresses a pool: never by UserPoolId or ARN."""

ADMIN_SIGN_IN = frozenset({"AdminInitiateAuth", "AdminRespondToAuthChallenge"})
"""Sign-in through the admin API: they name the pool but change no setting of it (the user is in AuthParameters)."""


class Refused(Unsupported):
    """The guard refused a call before sending it: it addresses something the run neither created nor was given.

    A subclass of Unsupported, so a scenario step refused this way is skipped with the reason, never sent.
    """


class Level(Enum):
    """How far the run may go with a pool."""

    NAMED = "named"
    """Given with --pool-id but not yet through the tag check: only PRE_APPROVAL_READS."""
    OWNED = "owned"
    """Created by the run, or given and checked: anything the backend's other rules allow."""


@dataclass(frozen=True)
class Operations:
    """The botocore model's view of each operation: which addressing members its input has."""

    addressing: dict[str, tuple[str, ...]]
    unattributable: dict[str, tuple[str, ...]]
    """Operations whose input carries a credential the guard cannot attribute (e.g. GetDerivedToken's
    SubjectToken), with those members: refused whatever else they name."""
    user_level: frozenset[str]
    """Operations that act on one user, not on the pool's settings: those naming a Username, the public API
    (addressed by client, token or session, never by pool) and ADMIN_SIGN_IN. The only writes allowed on an
    existing pool; every other write is taken to change the pool."""

    @classmethod
    def from_model(cls, service_model: Any) -> Operations:
        addressing: dict[str, tuple[str, ...]] = {}
        unattributable: dict[str, tuple[str, ...]] = {}
        user_level = set(ADMIN_SIGN_IN)
        for name in service_model.operation_names:
            shape = service_model.operation_model(name).input_shape
            members = dict(shape.members) if shape is not None else {}
            addressing[name] = tuple(member for member in ADDRESSING_MEMBERS if member in members)
            public = "UserPoolId" not in members and not PUBLIC_ADDRESSING.isdisjoint(members)
            if "Username" in members or public:
                user_level.add(name)
            unknown = tuple(
                member
                for member in members
                if member.endswith("Token") and member not in TOKEN_MEMBERS and member not in NOT_CREDENTIALS
            )
            if unknown:
                unattributable[name] = unknown
        return cls(addressing, unattributable, frozenset(user_level))


def token_claims(token: str) -> dict[str, Any] | None:
    """The claims of a JWT, or None when the value is not one.

    The signature is not verified, on purpose: the guard only needs to know which pool the service will act
    on, and Cognito picks that pool from the token's own ``iss`` and checks the signature with that pool's
    keys. A token whose claims name one of the run's pools can only ever act on that pool (or be rejected);
    verifying would need the keys of a pool the run may not own, fetched before every call.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    return claims if isinstance(claims, dict) else None


class Ownership:
    """Everything a run may address, learned from the service's own answers; thread-safe."""

    def __init__(self, operations: Operations) -> None:
        self.operations = operations
        self._lock = threading.Lock()
        self._pools: dict[str, Level] = {}
        self._arns: dict[str, str] = {}  # pool ARN -> pool id, as CreateUserPool/DescribeUserPool returned it
        self._clients: dict[str, str] = {}  # client id -> pool id
        self._sessions: dict[str, str] = {}  # challenge session -> pool id, from responses of allowed calls
        self._refresh_tokens: dict[str, str] = {}  # refresh token -> pool id, likewise

    # --- what the run owns
    def add_pool(self, pool_id: str, level: Level, arn: str | None = None) -> None:
        with self._lock:
            if self._pools.get(pool_id) is not Level.OWNED:
                self._pools[pool_id] = level
            if arn:
                self._arns[arn] = pool_id

    def add_client(self, client_id: str, pool_id: str) -> None:
        with self._lock:
            self._clients.setdefault(client_id, pool_id)

    def level(self, pool_id: str) -> Level | None:
        with self._lock:
            return self._pools.get(pool_id)

    def pool_of_client(self, client_id: str) -> str | None:
        with self._lock:
            return self._clients.get(client_id)

    # --- the rule
    def check(self, operation: str, params: dict[str, Any], *, creating_allowed: bool) -> None:
        """Refuse (Refused) unless every addressing member the call carries is the run's, and it carries one."""
        members = self.operations.addressing.get(operation)
        if members is None:
            raise Refused(f"{operation} is not a cognito-idp operation botocore knows: refused")
        unknown = self.operations.unattributable.get(operation)
        if unknown:
            raise Refused(
                f"{operation} carries {', '.join(unknown)}, a credential authflow cannot attribute to one of this "
                "run's pools: refused"
            )
        present = [member for member in members if params.get(member) is not None]
        if not present:
            if operation in TARGETLESS_ALLOWED or (operation == "CreateUserPool" and creating_allowed):
                return
            takes = f"takes {' / '.join(members)}, none given" if members else "names no pool, client or token"
            raise Refused(f"{operation} {takes}: authflow cannot tell which pool it would act on, so it is refused")
        for member in present:
            self.check_member(operation, member, params[member])

    def check_member(self, operation: str, member: str, value: Any) -> None:
        pool_id, what = self._attribute(member, value)
        level = self.level(pool_id) if pool_id is not None else None
        if level is None:
            raise Refused(
                f"{operation} on {member} {what}: not this run's (authflow addresses only pools it created or was "
                "given with --pool-id/--client-id, and their clients, ARNs, tokens and sessions); refused before "
                "sending"
            )
        if level is Level.NAMED and operation not in PRE_APPROVAL_READS:
            raise Refused(
                f"{operation} on {member} {what}: its pool has not passed the test-pool tag check yet; refused "
                "before sending"
            )

    def _attribute(self, member: str, value: Any) -> tuple[str | None, str]:
        """(the pool the value belongs to, or None; how to name the value in a message, never the secret)."""
        if not isinstance(value, str):
            return None, f"of type {type(value).__name__}"
        with self._lock:
            if member == "UserPoolId":
                return (value if value in self._pools else None), value
            if member == "ClientId":
                return self._clients.get(value), value
            if member == "ResourceArn":
                return self._arns.get(value), value
            if member == "Session":
                return self._sessions.get(value), "(a session this run was not issued)"
            if value in self._refresh_tokens:
                return self._refresh_tokens[value], "(a token issued to this run)"
        claims = token_claims(value)
        if claims is None:
            return None, "(not a token this run was issued, and not a JWT)"
        pool_id = str(claims.get("iss", "")).rstrip("/").rsplit("/", 1)[-1]
        client_id = str(claims.get("client_id") or claims.get("aud") or "")  # access tokens; id tokens: aud
        what = f"(a token of pool {pool_id or '?'}, app client {client_id or '?'})"
        with self._lock:
            owned = pool_id in self._pools and self._clients.get(client_id) == pool_id
        return (pool_id if owned else None), what

    # --- learning from answers
    def learn(self, operation: str, params: dict[str, Any], response: dict[str, Any]) -> None:
        """Take note of the ARNs, clients, sessions and refresh tokens the service returned to an allowed call."""
        pool_id = self._pool_of_call(operation, params)
        if pool_id is None:
            return
        pool = response.get("UserPool")
        if operation == "DescribeUserPool" and isinstance(pool, dict) and isinstance(pool.get("Arn"), str):
            with self._lock:
                self._arns[pool["Arn"]] = pool_id
        described = response.get("UserPoolClient")
        listed = response.get("UserPoolClients")
        for client in [described] if isinstance(described, dict) else listed if isinstance(listed, list) else []:
            if isinstance(client, dict) and isinstance(client.get("ClientId"), str):
                self.add_client(client["ClientId"], pool_id)
        session = response.get("Session")
        result = response.get("AuthenticationResult")
        refresh = result.get("RefreshToken") if isinstance(result, dict) else None
        with self._lock:
            if isinstance(session, str):
                self._sessions[session] = pool_id
            if isinstance(refresh, str):
                self._refresh_tokens[refresh] = pool_id

    def _pool_of_call(self, operation: str, params: dict[str, Any]) -> str | None:
        for member in self.operations.addressing.get(operation, ()):
            if params.get(member) is not None:
                pool_id, _ = self._attribute(member, params[member])
                if pool_id is not None:
                    return pool_id
        return None
