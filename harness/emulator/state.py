"""The emulated world: user pools, their app clients and users. Plain data; the rules live in ops/."""

from __future__ import annotations

import secrets
import string
import uuid
import weakref
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

from harness.emulator.passwords import Credential
from harness.emulator.tokens import PoolKeys

DEFAULT_PASSWORD_POLICY: dict[str, Any] = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}

# What CreateUserPoolClient grants when ExplicitAuthFlows is left out [DG CreateUserPoolClient].
DEFAULT_EXPLICIT_AUTH_FLOWS = ("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH")

# The pre-2019 ExplicitAuthFlows names and the ALLOW_ names they stand for.
LEGACY_AUTH_FLOWS = {
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH",),
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH",),
    "CUSTOM_AUTH_FLOW_ONLY": ("ALLOW_CUSTOM_AUTH",),
}

VERIFIABLE_ALIASES = frozenset({"email", "phone_number"})
"""Aliases that sign in only once verified; preferred_username, which cannot be verified, signs in as it is."""


def new_id(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_pool_id(region: str) -> str:
    return f"{region}_{new_id(string.ascii_letters + string.digits, 9)}"


def new_client_id() -> str:
    return new_id(string.ascii_lowercase + string.digits, 26)


def new_client_secret() -> str:
    return new_id(string.ascii_lowercase + string.digits, 51)


@dataclass
class PendingCode:
    """A code the pool sent and is waiting for (confirmation, password reset, attribute verification)."""

    code: str
    expires_at: float


@dataclass
class Passkey:
    """A registered WebAuthn credential."""

    credential_id: bytes
    public_key: bytes  # COSE
    sign_count: int
    created_at: float
    relying_party_id: str
    transports: list[str]
    attachment: str | None = None
    name: str = ""


_T = TypeVar("_T")


class UserAttributes(dict[str, str]):
    """A user's attributes. Once the user is in a pool, every in-place write re-indexes it there, so the pool's
    sign-in index stays right whichever operation writes (several write `user.attributes` directly).

    It holds the pool weakly and the user by sub, so users and pools form no reference cycles.
    """

    __slots__ = ("_pool", "_sub")

    def __init__(self, *args: Any, **kwargs: str) -> None:
        super().__init__(*args, **kwargs)
        self._pool: weakref.ref[UserPool] | None = None
        self._sub = ""

    def attach(self, pool: UserPool | None, sub: str = "") -> None:
        """Called by the pool when it stores (or, with None, drops) the user these attributes belong to."""
        self._pool = None if pool is None else weakref.ref(pool)
        self._sub = sub

    def _writing(self) -> AbstractContextManager[None]:
        pool = self._pool() if self._pool is not None else None
        user = pool.find_by_sub(self._sub) if pool is not None else None
        if pool is None or user is None or user.attributes is not self:
            return nullcontext()
        return pool.reindexing(user)

    def _write(self, change: Callable[[], _T]) -> _T:
        with self._writing():
            return change()

    def __setitem__(self, key: str, value: str) -> None:
        self._write(lambda: super(UserAttributes, self).__setitem__(key, value))

    def __delitem__(self, key: str) -> None:
        self._write(lambda: super(UserAttributes, self).__delitem__(key))

    def update(self, *args: Any, **kwargs: str) -> None:
        self._write(lambda: super(UserAttributes, self).update(*args, **kwargs))

    def setdefault(self, key: str, default: Any = None, /) -> Any:
        return self._write(lambda: super(UserAttributes, self).setdefault(key, default))

    def pop(self, key: str, /, *default: Any) -> Any:
        return self._write(lambda: super(UserAttributes, self).pop(key, *default))

    def popitem(self) -> tuple[str, str]:
        return self._write(super().popitem)

    def clear(self) -> None:
        self._write(super().clear)

    def __ior__(self, other: Any, /) -> Self:  # type: ignore[override,misc]  # typeshed ties it to dict.__or__
        self.update(other)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Copies and pickles are detached: a plain set of attributes that belongs to no pool."""
        return (UserAttributes, (dict(self),))


@dataclass
class User:
    """One user of a pool. `username` is the immutable internal name (USER_ID_FOR_SRP)."""

    username: str
    sub: str
    attributes: dict[str, str]
    status: str  # UNCONFIRMED | CONFIRMED | FORCE_CHANGE_PASSWORD | RESET_REQUIRED | EXTERNAL_PROVIDER
    created_at: float
    modified_at: float
    enabled: bool = True
    credential: Credential | None = None
    temporary_password_expires_at: float | None = None
    codes: dict[str, PendingCode] = field(default_factory=dict)  # purpose -> code
    failed_attempts: int = 0
    last_failure_at: float = 0.0
    locked_until: float = 0.0
    last_sign_in_at: float = 0.0  # the SignUp/ConfirmSignUp Session only signs in a user who never signed in
    reset_attempts: list[float] = field(default_factory=list)  # password-reset attempts of the last hour (lockout.py)
    mfa_enabled: set[str] = field(default_factory=set)  # SMS_MFA | SOFTWARE_TOKEN_MFA | EMAIL_OTP
    mfa_preferred: str | None = None
    # The legacy SMS MFA setting of SetUserSettings / AdminSetUserSettings (MFAOptions), kept apart from
    # mfa_enabled: Cognito shows it as MFAOptions, not in UserMFASettingList (ops/mfa.py).
    mfa_options: list[dict[str, str]] = field(default_factory=list)
    totp_secret: str | None = None  # verified with VerifySoftwareToken
    totp_pending: str | None = None  # from AssociateSoftwareToken, not yet verified
    totp_last_step: int = -1  # the 30-second step of the last TOTP code a sign-in accepted: codes are single use
    passkeys: list[Passkey] = field(default_factory=list)
    passkey_registration: tuple[bytes, float] | None = None  # (challenge, expires at) of a registration under way
    # email / phone_number values awaiting VerifyUserAttribute in a pool that keeps the original value in effect
    # until then (UserAttributeUpdateSettings); not in `attributes`, so sign-in and deliveries use the old value.
    pending_attributes: dict[str, str] = field(default_factory=dict)
    # When the pool stored it, counting up: of two users who may sign in with one value, the older wins.
    seq: int = field(default=0, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.attributes, UserAttributes):
            self.attributes = UserAttributes(self.attributes)

    def attribute_list(self) -> list[dict[str, str]]:
        return [{"Name": name, "Value": value} for name, value in self.attributes.items()]


MAX_CLIENT_SECRETS = 2
"""Active secrets an app client may hold at once, for rotation without downtime [API AddUserPoolClientSecret]."""


@dataclass
class ClientSecret:
    """One of a confidential app client's active secrets (ClientSecretDescriptorType)."""

    secret_id: str
    value: str
    created_at: float


def client_secret_id(client_id: str, created_at: float, taken: Sequence[ClientSecret] = ()) -> str:
    """`<client id>--<epoch create time>` [API ClientSecretDescriptorType]. UNCONFIRMED: the time's unit; here
    milliseconds, one later than a taken id's, so two secrets made in one second (or on a frozen clock) differ."""
    millis = int(created_at * 1000)
    used = {secret.secret_id for secret in taken}
    while f"{client_id}--{millis}" in used:
        millis += 1
    return f"{client_id}--{millis}"


@dataclass
class AppClient:
    """An app client and the settings that decide what its callers may do."""

    client_id: str
    pool_id: str
    name: str
    secrets: list[ClientSecret]  # oldest first; empty for a public client
    settings: dict[str, Any]  # the CreateUserPoolClient members, normalised with defaults
    created_at: float
    modified_at: float
    # SetUserPoolClientSessionConfiguration's SSOSession.MaxValidityMinutes (None: never set, 60); apart from
    # `settings`, which UpdateUserPoolClient replaces (ops/user_sessions.py).
    sso_session_minutes: int | None = None

    @classmethod
    def from_saved(cls, fields: dict[str, Any]) -> dict[str, Any]:
        """A state file written before secret rotation holds one `secret`: it becomes the client's only one."""
        if "secret" in fields:
            value = fields.pop("secret")
            made = float(fields.get("created_at", 0.0))
            client_id = str(fields.get("client_id", ""))
            fields["secrets"] = [ClientSecret(client_secret_id(client_id, made), value, made)] if value else []
        return fields

    @property
    def secret(self) -> str | None:
        """The secret DescribeUserPoolClient shows and the emulator's own pages sign with: the oldest active one.
        UNCONFIRMED which of two Cognito shows; the oldest is the one every caller had before a rotation began."""
        return self.secrets[0].value if self.secrets else None

    @property
    def explicit_auth_flows(self) -> frozenset[str]:
        flows: set[str] = set()
        for flow in self.settings.get("ExplicitAuthFlows", []):
            flows.update(LEGACY_AUTH_FLOWS.get(flow, (flow,)))
        return frozenset(flows)

    @property
    def session_validity_s(self) -> float:
        return float(self.settings.get("AuthSessionValidity", 3)) * 60

    @property
    def prevents_user_existence_errors(self) -> bool:
        return bool(self.settings.get("PreventUserExistenceErrors") == "ENABLED")


def new_session_id(kind: str) -> str:
    """A tracked session's id: `tkn` (token session) or `sso` (SSO session) and 25 lower-case letters or digits
    [BC SessionIdType: ^(tkn|sso)[a-z0-9]{25}$]."""
    return kind + new_id(string.ascii_lowercase + string.digits, 25)


@dataclass
class TrackedSession:
    """A session user session tracking records (ops/user_sessions.py) [API SessionDescriptionType]: a token
    session, the life of the refresh token one sign-in issued to one app client through its refreshes and
    rotations (on its RefreshToken records), or an SSO session, the managed login's cookie (on its LoginSession)."""

    session_id: str
    created_at: float
    last_active_at: float  # token: the last sign-in, refresh or rotation; SSO: the last authentication or grant
    origin_session_id: str | None = None  # a token session's SSO session, when its tokens came through one


@dataclass
class RefreshToken:
    """An issued refresh token: opaque to callers, a record here."""

    token: str
    jti: str  # origin_jti shared by the tokens it yields
    pool_id: str
    client_id: str
    username: str
    issued_at: float
    expires_at: float
    auth_time: float
    revoked: bool = False
    device_key: str | None = None  # the device it was issued to, in a pool that tracks devices
    scopes: tuple[str, ...] | None = None  # OAuth scopes, for one from the token endpoint (emulator/oauth)
    session: TrackedSession | None = None  # its token session, when the pool tracks sessions; kept by a rotation


@dataclass
class Device:
    """A device the pool issued a key for at sign-in (NewDeviceMetadata) [DG "Working with user devices"].

    Until ConfirmDevice stores its SRP verifier it is only pending: no operation but ConfirmDevice sees it."""

    key: str  # <region>_<uuid>
    group_key: str
    username: str
    created_at: float
    modified_at: float
    salt_hex: str | None = None  # ConfirmDevice's DeviceSecretVerifierConfig
    verifier: int | None = field(default=None, repr=False)
    name: str | None = None
    remembered: bool = False
    last_authenticated_at: float | None = None

    @property
    def confirmed(self) -> bool:
        return self.verifier is not None


@dataclass
class Group:
    """A user pool group [BC CreateGroup]: members are held by sub, so a re-created username starts outside it."""

    name: str
    description: str | None
    role_arn: str | None
    precedence: int | None
    created_at: float
    modified_at: float
    members: dict[str, None] = field(default_factory=dict)  # subs, in the order they were added


@dataclass
class UserPool:
    """A user pool: settings (as CreateUserPool members, with defaults), clients, users, signing keys."""

    pool_id: str
    name: str
    settings: dict[str, Any]
    created_at: float
    modified_at: float
    region: str
    clients: dict[str, AppClient] = field(default_factory=dict)
    # key: username as looked up (user_key). Read freely; store and drop users with add_user / remove_user.
    users: dict[str, User] = field(default_factory=dict)
    keys: PoolKeys = field(default_factory=PoolKeys)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)  # add with add_refresh_token
    mfa_config: dict[str, Any] = field(default_factory=dict)  # SetUserPoolMfaConfig members
    session_config: dict[str, Any] = field(default_factory=dict)  # SetUserPoolSessionConfiguration members
    revoked_jtis: set[str] = field(default_factory=set)  # origin_jti of revoked refresh tokens
    devices: dict[str, Device] = field(default_factory=dict)  # by device key (ops/devices.py)
    groups: dict[str, Group] = field(default_factory=dict)  # by name, in creation order (ops/groups.py)
    domain: str | None = None  # the managed-login domain prefix (CreateUserPoolDomain; ops/domains.py)
    resource_servers: dict[str, dict[str, Any]] = field(default_factory=dict)  # Identifier -> ResourceServerType
    # ProviderName -> IdentityProviderType, in creation order (ops/identity_providers.py)
    identity_providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (provider name, the provider's id of the user) -> the username it signs in as (AdminLinkProviderForUser)
    provider_links: dict[tuple[str, str], str] = field(default_factory=dict)
    oauth: Any = None  # the pool's OAuth state (codes, managed-login sessions): harness/emulator/oauth/store.py
    # Indexes over `users`, kept by add_user / remove_user / reindexing, so no lookup scans the pool.
    _by_sub: dict[str, User] = field(default_factory=dict, init=False, repr=False, compare=False)
    # attribute -> lowercased value -> the users who may sign in with it, oldest first (see _sign_in_values)
    _sign_in: dict[str, dict[str, list[User]]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _sign_in_config: tuple[tuple[str, ...], ...] = field(default=((), ()), init=False, repr=False, compare=False)
    _order: list[User] = field(default_factory=list, init=False, repr=False, compare=False)  # by order_key
    _stored: int = field(default=0, init=False, repr=False, compare=False)  # users ever stored: the next seq
    _tokens_of: dict[str, list[RefreshToken]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def case_sensitive(self) -> bool:
        return bool(self.settings.get("UsernameConfiguration", {}).get("CaseSensitive", True))

    @property
    def username_attributes(self) -> list[str]:
        return list(self.settings.get("UsernameAttributes", []))

    @property
    def alias_attributes(self) -> list[str]:
        return list(self.settings.get("AliasAttributes", []))

    @property
    def password_policy(self) -> dict[str, Any]:
        return dict(self.settings.get("Policies", {}).get("PasswordPolicy", DEFAULT_PASSWORD_POLICY))

    @property
    def first_auth_factors(self) -> list[str]:
        return list(
            self.settings.get("Policies", {}).get("SignInPolicy", {}).get("AllowedFirstAuthFactors", ["PASSWORD"])
        )

    @property
    def allows_passwordless(self) -> bool:
        return any(f in self.first_auth_factors for f in ("EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"))

    @property
    def tier(self) -> str:
        return str(self.settings.get("UserPoolTier", "ESSENTIALS"))

    @property
    def auto_verified_attributes(self) -> list[str]:
        return list(self.settings.get("AutoVerifiedAttributes", []))

    @property
    def arn(self) -> str:
        return f"arn:aws:cognito-idp:{self.region}:000000000000:userpool/{self.pool_id}"

    def user_key(self, username: str) -> str:
        return username if self.case_sensitive else username.lower()

    def find_user(self, login: str) -> User | None:
        """Find a user by username, or by an email/phone that may sign in (username attribute or alias)."""
        user = self.users.get(self.user_key(login))
        if user is not None:
            return user
        for attribute in self.username_attributes or self.alias_attributes:
            holders = self.sign_in_holders(attribute, login)
            if holders:
                return holders[0]
        return None

    def find_by_sub(self, sub: str) -> User | None:
        return self._by_sub.get(sub)

    def sign_in_holders(self, attribute: str, value: str) -> Sequence[User]:
        """The users who may sign in with this value of a username attribute or alias, oldest first."""
        return self._sign_in_index().get(attribute, {}).get(value.lower(), ())

    def _sign_in_index(self) -> dict[str, dict[str, list[User]]]:
        """The sign-in index, built afresh if the pool's sign-in attributes are not those it was built for (they
        are immutable in Cognito, but UpdateUserPool here does not refuse them)."""
        config = (tuple(self.username_attributes), tuple(self.alias_attributes))
        if config != self._sign_in_config:
            self._sign_in_config = config
            self._sign_in = {}
            for user in self.users.values():  # in the order they were stored
                self._index_sign_in(user)
        return self._sign_in

    def _sign_in_values(self, user: User) -> Iterator[tuple[str, str]]:
        """(attribute, lowercased value) pairs the user may sign in with: any value of a username attribute,
        only a verified value of an email or phone_number alias (so one need be unique only among verified users
        [DG "User pool attributes", aliases]), and any preferred_username: it is an alias that cannot be verified
        ("Only the email and phone_number attributes can be verified" [DG "User pool attributes"])."""
        attributes = user.attributes
        for attribute in self.username_attributes:
            value = attributes.get(attribute)
            if value is not None:
                yield attribute, _lowered(value)
        for attribute in self.alias_attributes:
            value = attributes.get(attribute)
            if value is None:
                continue
            if attribute not in VERIFIABLE_ALIASES or attributes.get(f"{attribute}_verified") == "true":
                yield attribute, _lowered(value)

    def _index_sign_in(self, user: User) -> None:
        index = self._sign_in_index()
        for attribute, value in self._sign_in_values(user):
            by_value = index.setdefault(attribute, {})
            holders = by_value.get(value)
            if holders is None:
                by_value[value] = [user]  # the usual case; a literal list is smaller than a grown one
            elif holders[-1].seq > user.seq:
                insort(holders, user, key=_stored_seq)  # a re-indexed user keeps its age among the holders
            else:
                holders.append(user)

    def _unindex_sign_in(self, user: User) -> None:
        index = self._sign_in_index()
        for attribute, value in self._sign_in_values(user):
            by_value = index.get(attribute, {})
            holders = [holder for holder in by_value.get(value, ()) if holder is not user]
            if holders:
                by_value[value] = holders
            else:
                by_value.pop(value, None)

    def add_user(self, user: User) -> None:
        """Store a new user under everything it is looked up by: username, sub, sign-in values, creation order.

        Storing a stored user again changes nothing; a different user under the same username replaces it.
        """
        previous = self.users.get(self.user_key(user.username))
        if previous is user:
            return
        if previous is not None:
            self.remove_user(previous)
        self._stored += 1
        user.seq = self._stored
        self._index_sign_in(user)  # before `users` has it: a rebuild of the index on the way would add it twice
        self.users[self.user_key(user.username)] = user
        self._by_sub[user.sub] = user
        if self._order and order_key(self._order[-1]) > order_key(user):
            insort(self._order, user, key=order_key)
        else:
            self._order.append(user)  # the usual case: the newest user goes last
        if isinstance(user.attributes, UserAttributes):
            user.attributes.attach(self, user.sub)

    def remove_user(self, user: User) -> None:
        """Drop a stored user from the pool and from every index."""
        if self.users.get(self.user_key(user.username)) is not user:
            return
        del self.users[self.user_key(user.username)]
        if self._by_sub.get(user.sub) is user:
            del self._by_sub[user.sub]
        self._unindex_sign_in(user)
        order = self._order
        index = bisect_left(order, order_key(user), key=order_key)
        while order[index] is not user:  # only if two stored users ever shared a creation time and username
            index += 1
        del order[index]
        if isinstance(user.attributes, UserAttributes):
            user.attributes.attach(None)
        for group in self.groups.values():  # a deleted user leaves every group
            group.members.pop(user.sub, None)
        # and its devices go with it, so a user created again under the name does not inherit them (devices are a
        # user's [DG "Working with user devices"]; kept by key, so this one walk is over the pool's devices)
        for key in [key for key, device in self.devices.items() if device.username == user.username]:
            del self.devices[key]

    @contextmanager
    def reindexing(self, user: User) -> Iterator[None]:
        """Around a write to a stored user's attributes: its sign-in values leave the index and come back."""
        if self._by_sub.get(user.sub) is not user:
            yield
            return
        self._unindex_sign_in(user)
        try:
            yield
        finally:
            self._index_sign_in(user)

    def update_attributes(self, user: User, changes: Mapping[str, str]) -> None:
        """Change attributes (a new email, a verification) of a user, stored or about to be, keeping the index."""
        with self.reindexing(user):
            dict.update(user.attributes, changes)

    def users_after(self, key: tuple[float, str] | None) -> Iterator[User]:
        """Users in creation order (order_key), from just after `key` (a cursor), or from the first."""
        order = self._order
        start = 0 if key is None else bisect_right(order, key, key=order_key)
        for index in range(start, len(order)):
            yield order[index]

    def groups_of(self, user: User) -> list[Group]:
        """The groups the user belongs to, in creation order."""
        return [group for group in self.groups.values() if user.sub in group.members]

    def add_refresh_token(self, record: RefreshToken) -> None:
        self.refresh_tokens[record.token] = record
        self._tokens_of.setdefault(record.username, []).append(record)

    def refresh_tokens_of(self, username: str) -> Sequence[RefreshToken]:
        """Every refresh token issued to this username (as the records say: they outlive a deleted user)."""
        return self._tokens_of.get(username, ())

    def revoke_refresh_token(self, record: RefreshToken) -> None:
        """Revoke a refresh token and the access tokens it produced (they carry its jti as origin_jti). A rotation
        only retires the token it replaces (`revoked` alone): its successor's access tokens share the jti."""
        record.revoked = True
        self.revoked_jtis.add(record.jti)


def order_key(user: User) -> tuple[float, str]:
    """ListUsers' order: creation time, then username."""
    return user.created_at, user.username


def _stored_seq(user: User) -> int:
    return user.seq


def _lowered(value: str) -> str:
    """The index key of a sign-in value; the value itself when already lower case, to share the string."""
    lowered = value.lower()
    return value if lowered == value else lowered


def new_sub() -> str:
    return str(uuid.uuid4())
