"""The aws backend's guard: a call is sent only when everything it addresses - pool id, app client id, pool ARN,
access or refresh token, challenge session - is the run's. A "production" pool created directly on the endpoint
(not by the run) is addressed in each of those ways: every call is refused before it is sent, and the pool's
tags and users stay as they were. The same calls on the run's own pool go through."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from harness.backends.aws import AwsBackend
from harness.backends.aws_existing import ExistingPool, ExistingPools
from harness.backends.aws_guard import TARGETLESS_ALLOWED, Operations, Refused
from harness.backends.base import Unsupported
from harness.emulator.recipes import register_triggers
from harness.engine.library import discover
from harness.engine.results import Status
from harness.engine.runner import run_scenario
from harness.scenario.model import Library
from tests.backends.conftest import RecordingEmulator, side_door_codes, tagged_pools

PASSWORD = "Correct-Horse-9!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@dataclass(frozen=True)
class Pool:
    """A pool with a user signed in (tokens) and a user in a challenge (session), and how to call on it."""

    pool_id: str
    arn: str
    client_id: str
    access_token: str
    refresh_token: str
    session: str


def _sign_in(cognito: Any, pool_id: str, client_id: str, arn: str) -> Pool:
    cognito.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=PASSWORD, Permanent=True)
    auth = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    tokens = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=auth)
    cognito.admin_create_user(UserPoolId=pool_id, Username="bob", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    challenge = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD}
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    result = tokens["AuthenticationResult"]
    return Pool(pool_id, arn, client_id, result["AccessToken"], result["RefreshToken"], challenge["Session"])


@pytest.fixture
def foreign(admin: Any) -> Pool:
    """Someone else's pool on the same endpoint: created with a plain client, never by the run."""
    pool = admin.create_user_pool(PoolName="production", UserPoolTags={"env": "prod"})["UserPool"]
    client = admin.create_user_pool_client(UserPoolId=pool["Id"], ClientName="app", ExplicitAuthFlows=FLOWS)
    return _sign_in(admin, pool["Id"], client["UserPoolClient"]["ClientId"], pool["Arn"])


@pytest.fixture
def backend(make_backend: Callable[..., AwsBackend]) -> AwsBackend:
    return make_backend()


@pytest.fixture
def own(backend: AwsBackend, library: Library, admin: Any) -> Pool:
    """The run's pool, signed in to through the backend's guarded client."""
    pool = backend.provision(library.pools["password-only"], run_id="guard123")
    arn = admin.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["Arn"]  # the guard knows it from CreateUserPool
    return _sign_in(backend.cognito(), pool.pool_id, pool.client("web").client_id, arn)


Call = Callable[[Pool, Pool], tuple[str, dict[str, Any]]]
"""(target pool, the run's own pool) -> (client method, params): a call addressed to the target."""

CALLS: dict[str, Call] = {
    # by UserPoolId (reads included: a foreign pool's users are not the run's to see)
    "AdminCreateUser": lambda t, o: ("admin_create_user", {"UserPoolId": t.pool_id, "Username": "intruder"}),
    "AdminGetUser": lambda t, o: ("admin_get_user", {"UserPoolId": t.pool_id, "Username": "alice"}),
    "ListUsers": lambda t, o: ("list_users", {"UserPoolId": t.pool_id}),
    # by ClientId
    "SignUp": lambda t, o: ("sign_up", {"ClientId": t.client_id, "Username": "mallory", "Password": PASSWORD}),
    "InitiateAuth": lambda t, o: (
        "initiate_auth",
        {
            "ClientId": t.client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
        },
    ),
    "ForgotPassword": lambda t, o: ("forgot_password", {"ClientId": t.client_id, "Username": "alice"}),
    # by ResourceArn
    "TagResource": lambda t, o: ("tag_resource", {"ResourceArn": t.arn, "Tags": {"managed-by": "authflow"}}),
    "UntagResource": lambda t, o: ("untag_resource", {"ResourceArn": t.arn, "TagKeys": ["env"]}),
    "ListTagsForResource": lambda t, o: ("list_tags_for_resource", {"ResourceArn": t.arn}),
    # by AccessToken
    "GetUser": lambda t, o: ("get_user", {"AccessToken": t.access_token}),
    "UpdateUserAttributes": lambda t, o: (
        "update_user_attributes",
        {"AccessToken": t.access_token, "UserAttributes": [{"Name": "name", "Value": "Mallory"}]},
    ),
    "ChangePassword": lambda t, o: (
        "change_password",
        {"AccessToken": t.access_token, "PreviousPassword": PASSWORD, "ProposedPassword": PASSWORD + "x"},
    ),
    "GlobalSignOut": lambda t, o: ("global_sign_out", {"AccessToken": t.access_token}),
    "DeleteUser": lambda t, o: ("delete_user", {"AccessToken": t.access_token}),
    # by Token (a refresh token), presented with the run's own app client
    "RevokeToken": lambda t, o: ("revoke_token", {"Token": t.refresh_token, "ClientId": o.client_id}),
    # by Session only
    "AssociateSoftwareToken": lambda t, o: ("associate_software_token", {"Session": t.session}),
    "VerifySoftwareToken": lambda t, o: ("verify_software_token", {"Session": t.session, "UserCode": "123456"}),
}


def _snapshot(admin: Any, pool: Pool) -> tuple[dict[str, str], list[tuple[str, str, list[Any]]]]:
    """The pool's tags and users (name, status, attributes), as a plain client sees them."""
    tags = admin.list_tags_for_resource(ResourceArn=pool.arn)["Tags"]
    users = admin.list_users(UserPoolId=pool.pool_id)["Users"]
    return tags, sorted((u["Username"], u["UserStatus"], u.get("Attributes", [])) for u in users)


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_a_call_addressed_to_a_foreign_pool_is_refused_before_it_is_sent(
    operation: str, foreign: Pool, own: Pool, backend: AwsBackend, admin: Any, emulator: RecordingEmulator
) -> None:
    method, params = CALLS[operation](foreign, own)
    before = _snapshot(admin, foreign)
    emulator.calls.clear()
    with pytest.raises(Refused) as refused:
        getattr(backend.cognito(), method)(**params)
    assert emulator.calls == []  # nothing reached the endpoint
    assert str(refused.value).startswith(f"{operation} on ") and "refused before sending" in str(refused.value)
    assert foreign.access_token not in str(refused.value) and foreign.refresh_token not in str(refused.value)
    assert _snapshot(admin, foreign) == before
    assert before[0] == {"env": "prod"}
    assert admin.get_user(AccessToken=foreign.access_token)["Username"] == "alice"  # still signed in


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_the_same_call_on_the_runs_own_pool_is_sent(
    operation: str, own: Pool, backend: AwsBackend, emulator: RecordingEmulator
) -> None:
    method, params = CALLS[operation](own, own)
    emulator.calls.clear()
    # The answer is not the point (ForgotPassword: no verified email; the emulator lacks DeleteUser; a
    # NEW_PASSWORD_REQUIRED session is not one for MFA setup): the call was sent.
    with contextlib.suppress(ClientError):
        getattr(backend.cognito(), method)(**params)
    assert emulator.calls == [operation]


def test_what_the_refusal_names(foreign: Pool, own: Pool, backend: AwsBackend) -> None:
    cognito = backend.cognito()
    cases = {
        f"AdminGetUser on UserPoolId {foreign.pool_id}:": lambda: cognito.admin_get_user(
            UserPoolId=foreign.pool_id, Username="alice"
        ),
        f"SignUp on ClientId {foreign.client_id}:": lambda: cognito.sign_up(
            ClientId=foreign.client_id, Username="x", Password=PASSWORD
        ),
        f"TagResource on ResourceArn {foreign.arn}:": lambda: cognito.tag_resource(ResourceArn=foreign.arn, Tags={}),
        f"GetUser on AccessToken (a token of pool {foreign.pool_id}, app client {foreign.client_id}):": lambda: (
            cognito.get_user(AccessToken=foreign.access_token)
        ),
        "RevokeToken on Token (not a token this run was issued, and not a JWT):": lambda: cognito.revoke_token(
            Token=foreign.refresh_token, ClientId=own.client_id
        ),
        "AssociateSoftwareToken on Session (a session this run was not issued):": lambda: (
            cognito.associate_software_token(Session=foreign.session)
        ),
    }
    for expected, call in cases.items():
        with pytest.raises(Refused) as refused:
            call()
        assert str(refused.value).startswith(expected), refused.value


def test_a_token_that_mixes_the_runs_pool_and_a_foreign_client_is_refused(
    foreign: Pool, own: Pool, backend: AwsBackend, emulator: RecordingEmulator
) -> None:
    """Both claims must be the run's: the pool in iss and the app client in client_id."""
    import jwt

    claims = jwt.decode(own.access_token, options={"verify_signature": False})
    forged = jwt.encode({**claims, "client_id": foreign.client_id}, "not-the-pool-key-" * 2, algorithm="HS256")
    emulator.calls.clear()
    with pytest.raises(Refused, match=f"app client {foreign.client_id}"):
        backend.cognito().get_user(AccessToken=forged)
    with pytest.raises(Refused, match="not a JWT"):
        backend.cognito().get_user(AccessToken="not-a-token")
    assert emulator.calls == []


def test_a_paginated_read_of_a_foreign_pool_is_refused(
    foreign: Pool, own: Pool, backend: AwsBackend, emulator: RecordingEmulator
) -> None:
    emulator.calls.clear()
    with pytest.raises(Refused, match=f"ListUsers on UserPoolId {foreign.pool_id}"):
        backend.cognito().get_paginator("list_users").paginate(UserPoolId=foreign.pool_id)
    assert emulator.calls == []
    pages = list(backend.cognito().get_paginator("list_users").paginate(UserPoolId=own.pool_id))
    assert {u["Username"] for page in pages for u in page["Users"]} == {"alice", "bob"}
    assert emulator.calls == ["ListUsers"]


def test_operations_that_address_nothing_are_refused_unless_judged_safe(
    foreign: Pool, backend: AwsBackend, emulator: RecordingEmulator
) -> None:
    cognito = backend.cognito()
    emulator.calls.clear()
    with pytest.raises(Refused, match="DescribeUserPoolDomain names no pool, client or token"):
        cognito.describe_user_pool_domain(Domain="production-login")
    with pytest.raises(Refused, match="AssociateSoftwareToken takes AccessToken / Session, none given"):
        cognito.associate_software_token()
    assert emulator.calls == []
    assert foreign.pool_id in {p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]}
    assert emulator.calls == ["ListUserPools"]


def test_every_operation_of_the_model_is_classified() -> None:
    """The allow-list comes from the botocore model: each operation is attributable by what its input names,
    judged safe without a target, or refused outright."""
    model = botocore.session.get_session().get_service_model("cognito-idp")
    operations = Operations.from_model(model)
    assert set(operations.addressing) == set(model.operation_names)
    targetless = {name for name, members in operations.addressing.items() if not members}
    assert set(TARGETLESS_ALLOWED) | {"CreateUserPool"} <= targetless
    assert operations.addressing["RevokeToken"] == ("ClientId", "Token")
    assert operations.addressing["VerifySoftwareToken"] == ("AccessToken", "Session")
    assert operations.addressing["TagResource"] == ("ResourceArn",)
    assert "GetDerivedToken" in operations.unattributable
    assert "InitiateAuth" in operations.user_level and "UpdateUserPool" not in operations.user_level


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("create_user_pool", {"PoolName": "authflow-x"}),
        # not on the old hand list of pool-changing operations; now anything not about one user is refused
        (
            "admin_link_provider_for_user",
            {
                "DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": "alice"},
                "SourceUser": {"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject",
                               "ProviderAttributeValue": "1"},
            },
        ),
    ],
)  # fmt: skip
def test_on_an_existing_pool_only_operations_on_one_user_are_sent(
    method: str,
    params: dict[str, Any],
    foreign: Pool,
    library: Library,
    make_backend: Callable[..., AwsBackend],
    emulator: RecordingEmulator,
) -> None:
    given = ExistingPools(ExistingPool(foreign.pool_id, default_client_id=foreign.client_id))
    backend = make_backend(existing=given, allow_untagged_pool=True)
    backend.provision(library.pools["password-only"], run_id="exst5678")  # the given pool, approved
    emulator.calls.clear()
    if method != "create_user_pool":
        params = {"UserPoolId": foreign.pool_id, **params}
    with pytest.raises(Unsupported, match="would change an existing pool"):
        getattr(backend.cognito(), method)(**params)
    assert emulator.calls == []


SCENARIO = """\
scenario: Signs in on another pool's client
pools: [password-only]
steps:
  - call: InitiateAuth
    params:
      ClientId: {client_id}
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {{USERNAME: alice, PASSWORD: "{password}"}}
"""


def test_on_an_existing_pool_a_step_addressing_another_pool_is_skipped(
    tmp_path: Path,
    library: Library,
    foreign: Pool,
    admin: Any,
    emulator: RecordingEmulator,
    make_backend: Callable[..., AwsBackend],
) -> None:
    """The run was given a tagged test pool; a step naming a client of a different pool is not sent."""
    given = admin.create_user_pool(PoolName="team-test-pool", UserPoolTags={"managed-by": "authflow"})["UserPool"]
    for name in ("web", "confidential"):
        admin.create_user_pool_client(UserPoolId=given["Id"], ClientName=name, ExplicitAuthFlows=FLOWS)
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "password-only.yaml").write_text(library.pools["password-only"].path.read_text())
    (tmp_path / "s.yaml").write_text(SCENARIO.format(client_id=foreign.client_id, password=PASSWORD))
    found = discover(tmp_path / "s.yaml")
    assert found.ok, found.issues
    backend = make_backend(existing=ExistingPools(ExistingPool(given["Id"])))
    emulator.calls.clear()
    result = run_scenario(found.scenarios[0], found.pools["password-only"], backend, run_id="exst1234")
    assert result.status is Status.SKIPPED
    assert f"InitiateAuth on ClientId {foreign.client_id}: not this run's" in result.message
    assert "InitiateAuth" not in emulator.calls


def test_the_shipped_library_runs_on_aws_and_the_guard_refuses_none_of_it(
    library: Library, server: Any, emulator: RecordingEmulator, admin: Any, make_backend: Callable[..., AwsBackend]
) -> None:
    """Every scenario on every pool it names: passed, or skipped only for a clock step no real pool can take."""
    backend = make_backend(max_wait_s=0, code_source=side_door_codes(server.url))
    outcomes = []
    for scenario in library.scenarios:
        for name in scenario.pools:
            config = library.pools[name]
            if config.triggers:  # on AWS these are Lambda ARNs; here the emulator's own
                arns = register_triggers(emulator, config.name, config.triggers)
                config = replace(config, pool_params={**config.pool_params, "LambdaConfig": arns})
            result = run_scenario(scenario, config, backend, run_id="libr1234")
            outcomes.append((scenario.id, name, result.status, result.message))
    unexpected = [
        outcome
        for outcome in outcomes
        if outcome[2] is not Status.PASSED
        and not (
            outcome[2] is Status.SKIPPED
            and (
                "a real pool's clock cannot be moved" in outcome[3] or "managed login page needs a person" in outcome[3]
            )
        )
    ]
    assert unexpected == []
    assert sum(status is Status.PASSED for _, _, status, _ in outcomes) >= 30
    assert tagged_pools(admin) == {}
