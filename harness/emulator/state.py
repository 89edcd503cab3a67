"""The emulated world: user pools, their app clients and users. Plain data; the rules live in ops/."""

from __future__ import annotations

import secrets
import string
import uuid
from dataclasses import dataclass, field
from typing import Any

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
    mfa_enabled: set[str] = field(default_factory=set)  # SMS_MFA | SOFTWARE_TOKEN_MFA | EMAIL_OTP
    mfa_preferred: str | None = None
    totp_secret: str | None = None  # verified with VerifySoftwareToken
    totp_pending: str | None = None  # from AssociateSoftwareToken, not yet verified
    passkeys: list[Passkey] = field(default_factory=list)
    passkey_registration: tuple[bytes, float] | None = None  # (challenge, expires at) of a registration under way

    def attribute_list(self) -> list[dict[str, str]]:
        return [{"Name": name, "Value": value} for name, value in self.attributes.items()]


@dataclass
class AppClient:
    """An app client and the settings that decide what its callers may do."""

    client_id: str
    pool_id: str
    name: str
    secret: str | None
    settings: dict[str, Any]  # the CreateUserPoolClient members, normalised with defaults
    created_at: float
    modified_at: float

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
    users: dict[str, User] = field(default_factory=dict)  # key: username as looked up
    keys: PoolKeys = field(default_factory=PoolKeys)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    mfa_config: dict[str, Any] = field(default_factory=dict)  # SetUserPoolMfaConfig members
    revoked_jtis: set[str] = field(default_factory=set)  # origin_jti of revoked refresh tokens

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
        sign_in_attributes = self.username_attributes or self.alias_attributes
        for attribute in sign_in_attributes:
            for candidate in self.users.values():
                value = candidate.attributes.get(attribute)
                if value is None or value.lower() != login.lower():
                    continue
                verified = candidate.attributes.get(f"{attribute}_verified") == "true"
                if self.username_attributes or verified:
                    return candidate
        return None

    def find_by_sub(self, sub: str) -> User | None:
        return next((user for user in self.users.values() if user.sub == sub), None)


def new_sub() -> str:
    return str(uuid.uuid4())
