"""Pool configurations: the shipped examples, bad pool files, and the generated schema kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

import botocore
import pytest

from harness.scenario import ClientConfig, SpecError, load_pool
from harness.scenario.pool_schema import VERSION_KEY, build_pool_schema, first_sentence, render_pool_schema
from harness.scenario.schemas import pool_schema_drift

REPO = Path(__file__).resolve().parents[2]
FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
]
POLICY = {
    "PasswordPolicy": {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
    }
}


def test_password_only_pool() -> None:
    pool = load_pool(REPO / "scenarios" / "pools" / "password-only.yaml")
    assert pool.name == "password-only"
    assert pool.pool_params == {"AutoVerifiedAttributes": ["email"], "Policies": POLICY}
    assert pool.mfa is None
    assert pool.clients == (
        ClientConfig(
            "web", {"GenerateSecret": False, "ExplicitAuthFlows": FLOWS, "PreventUserExistenceErrors": "LEGACY"}
        ),
        ClientConfig(
            "confidential", {"GenerateSecret": True, "ExplicitAuthFlows": FLOWS, "PreventUserExistenceErrors": "LEGACY"}
        ),
    )
    assert pool.client().name == "web"
    assert pool.client("confidential").params["GenerateSecret"] is True
    with pytest.raises(KeyError):
        pool.client("mobile")


def test_default_pool() -> None:
    pool = load_pool(REPO / "scenarios" / "pools" / "default.yaml")
    assert pool.name == "default"
    assert pool.pool_params == {"Policies": POLICY}
    assert [c.name for c in pool.clients] == ["web"]


def test_user_auth_pool() -> None:
    pool = load_pool(REPO / "scenarios" / "pools" / "user-auth.yaml")
    assert pool.pool_params == {
        "UserPoolTier": "ESSENTIALS",
        "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}},
        "AutoVerifiedAttributes": ["email"],
    }
    (web,) = pool.clients
    assert web.params["ExplicitAuthFlows"] == [
        "ALLOW_USER_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ]


def test_example_pools_point_editors_at_the_schema() -> None:
    for name in ("default", "password-only", "user-auth"):
        first = (REPO / "scenarios" / "pools" / f"{name}.yaml").read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/pool.schema.json"


def test_sessions_section(tmp_path: Path) -> None:
    file = tmp_path / "tracked.yaml"
    file.write_text("clients: [{name: web}]\nsessions: {UserSessionTracking: ENABLED, TokenSession: {MaxPerUser: 5}}\n")
    assert load_pool(file).sessions == {"UserSessionTracking": "ENABLED", "TokenSession": {"MaxPerUser": 5}}
    file.write_text(
        "clients: [{name: web}]\nsessions: {UserSessionTracking: ENABLED, TokenSession: {MaxPerUser: 500}}\n"
    )
    with pytest.raises(SpecError) as excinfo:
        load_pool(file)
    assert "sessions.TokenSession.MaxPerUser" in str(excinfo.value)


def test_mfa_section(tmp_path: Path) -> None:
    file = tmp_path / "mfa-on.yaml"
    file.write_text(
        "pool: {MfaConfiguration: 'ON'}\nclients: [{name: web}]\n"
        "mfa: {MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: {Enabled: true}}\n"
    )
    pool = load_pool(file)
    assert pool.name == "mfa-on"
    assert pool.mfa == {"MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": True}}
    assert pool.clients == (ClientConfig("web", {}),)


def test_identity_providers_section(tmp_path: Path) -> None:
    file = tmp_path / "federated.yaml"
    file.write_text(
        "identity_providers:\n"
        "  - {ProviderName: Google, ProviderType: Google, ProviderDetails: {client_id: c, client_secret: s}}\n"
        "clients: [{name: web, SupportedIdentityProviders: [COGNITO, Google]}]\n"
    )
    pool = load_pool(file)
    assert pool.identity_providers == (
        {
            "ProviderName": "Google",
            "ProviderType": "Google",
            "ProviderDetails": {"client_id": "c", "client_secret": "s"},
        },
    )


BAD_POOLS = {
    "name differs from file": (
        "name: x\nclients: [{name: web}]\n",
        ["bad.yaml:1:7 name: name 'x' differs from the file name 'bad'"],
    ),
    "bad flow": (
        "clients: [{name: web, ExplicitAuthFlows: [ALLOW_USER_PASWORD_AUTH]}]\n",
        [
            "bad.yaml:1:43 clients[0].ExplicitAuthFlows[0]: must be one of ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY,"
            " USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH,"
            " ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH, ALLOW_TOKEN_EXCHANGE_DELEGATION or"
            " ALLOW_TOKEN_EXCHANGE_IMPERSONATION, got 'ALLOW_USER_PASWORD_AUTH'"
            " (did you mean 'ALLOW_USER_PASSWORD_AUTH'?)"
        ],
    ),
    "unknown nested key": (
        "pool: {Policies: {PasswordPolcy: {}}}\nclients: [{name: web}]\n",
        ["bad.yaml:1:19 pool.Policies.PasswordPolcy: unknown key 'PasswordPolcy' (did you mean 'PasswordPolicy'?)"],
    ),
    "out of range and duplicate client": (
        "pool: {Policies: {PasswordPolicy: {MinimumLength: 3}}}\nclients: [{name: web}, {name: web}]\n",
        [
            "bad.yaml:1:51 pool.Policies.PasswordPolicy.MinimumLength: must be at least 6, got 3",
            "bad.yaml:2:31 clients[1].name: duplicate client name 'web'",
        ],
    ),
    "bad names and enums": (
        "clients: [{name: Web App}]\nmfa: {MfaConfiguration: MAYBE}\n",
        [
            "bad.yaml:1:18 clients[0].name: a client name is lowercase letters, digits and dashes, got 'Web App'",
            "bad.yaml:2:25 mfa.MfaConfiguration: must be one of OFF, ON or OPTIONAL, got 'MAYBE'",
        ],
    ),
    "wrong type": (
        "clients:\n  - name: web\n    GenerateSecret: 'yes'\n",
        ["bad.yaml:3:21 clients[0].GenerateSecret: expected true or false, got a string"],
    ),
    "identity provider type": (
        "identity_providers: [{ProviderName: Corp, ProviderType: OpenID, ProviderDetails: {}}]\n"
        "clients: [{name: web}]\n",
        [
            "bad.yaml:1:57 identity_providers[0].ProviderType: must be one of SAML, Facebook, Google, LoginWithAmazon,"
            " SignInWithApple or OIDC, got 'OpenID' (did you mean 'OIDC'?)"
        ],
    ),
    "no clients": ("pool: {}\n", ["bad.yaml:1:1 <root>: missing required key 'clients'"]),
    "top-level list": ("- a\n", ["bad.yaml:1:1 <root>: the file must be a mapping with a 'clients' key, got a list"]),
}  # fmt: skip


@pytest.mark.parametrize("text,expected", list(BAD_POOLS.values()), ids=list(BAD_POOLS))
def test_bad_pool_report(tmp_path: Path, text: str, expected: list[str]) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(text)
    with pytest.raises(SpecError) as caught:
        load_pool(file)
    assert [str(i).replace(f"{tmp_path}/", "") for i in caught.value.issues] == expected


def test_invalid_file_name_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "Bad_Name.yaml"
    file.write_text("clients: [{name: web}]\n")
    with pytest.raises(SpecError) as caught:
        load_pool(file)
    assert str(caught.value) == (
        f"{file}:1:1 <root>: the file name 'Bad_Name' is not a valid pool name (it must match ^[a-z0-9][a-z0-9-]*$)"
    )


def _committed_pool_schema() -> str:
    return (REPO / "schemas" / "pool.schema.json").read_text(encoding="utf-8")


def _pinned(package: str) -> str:
    """The version constraints.txt pins for a package (the lock both README commands install with)."""
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if name.strip().lower() == package:
            return version.strip()
    raise AssertionError(f"constraints.txt does not pin {package}")


def test_committed_pool_schema_matches_the_botocore_model_it_records() -> None:
    """On the pinned botocore the committed file must be exactly what `authflow schema --write` makes.

    On another botocore (a user's own environment) the comparison would measure the day's release, not our
    code: the test says so and skips; the CI install uses constraints.txt, so there it always runs.
    """
    recorded = json.loads(_committed_pool_schema())[VERSION_KEY]
    if recorded != botocore.__version__:
        pytest.skip(pool_schema_drift() or "")
    assert _committed_pool_schema() == render_pool_schema(), "regenerate it: authflow schema --write"


def test_committed_pool_schema_was_made_from_the_pinned_botocore() -> None:
    """Upgrading the lock without regenerating the schema (or the reverse) fails here, whatever is installed."""
    assert json.loads(_committed_pool_schema())[VERSION_KEY] == _pinned("botocore")


def test_drift_notice_names_both_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(botocore, "__version__", "0.0.1")
    notice = pool_schema_drift()
    assert notice is not None and "0.0.1" in notice and "authflow schema --write" in notice
    monkeypatch.setattr(botocore, "__version__", json.loads(_committed_pool_schema())[VERSION_KEY])
    assert pool_schema_drift() is None


def test_pool_schema_translation() -> None:
    schema = build_pool_schema()
    pool = schema["properties"]["pool"]
    assert "PoolName" not in pool["properties"]
    assert pool["additionalProperties"] is False
    client = schema["properties"]["clients"]["items"]
    assert "UserPoolId" not in client["properties"] and "ClientName" not in client["properties"]
    assert client["required"] == ["name"]
    assert "UserPoolId" not in schema["properties"]["mfa"]["properties"]
    defs = schema["$defs"]
    assert defs["UserPoolTierType"]["enum"] == ["LITE", "ESSENTIALS", "PLUS"]
    assert defs["PasswordPolicyMinLengthType"] == {"type": "integer", "minimum": 6, "maximum": 99}
    assert defs["PasswordPolicyType"]["additionalProperties"] is False
    assert defs["ExplicitAuthFlowsListType"]["type"] == "array"
    assert "pattern" not in defs["EmailVerificationMessageType"]  # \p{L} does not compile in Python's re
    assert pool["properties"]["Policies"]["description"] == "The password policy and sign-in policy in the user pool."


@pytest.mark.parametrize(
    "html,sentence",
    [
        ("<p>A friendly name for your user pool.</p>", "A friendly name for your user pool."),
        ("<p>When <code>ON</code>, all users. Second.</p>", "When ON, all users."),
        ("<p>Use &lt;b&gt; e.g. this</p>", "Use <b> e.g. this"),
        ("", ""),
    ],
)
def test_first_sentence(html: str, sentence: str) -> None:
    assert first_sentence(html) == sentence
