"""User session tracking through boto3 (in-process and over HTTP): the pool's configuration, token sessions made
by sign-ins, kept by refreshes and rotations, evicted past MaxPerUser, listed and revoked by the user and an
administrator."""

from __future__ import annotations

from typing import Any

from harness.emulator import Emulator, errors
from tests.emulator.conftest import confirmed_user, make_client, refused, sign_in

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def _tracking(cognito: Any, pool_id: str, max_per_user: int = 20) -> None:
    cognito.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": max_per_user}
    )


def _tokens(cognito: Any, client_id: str) -> dict[str, Any]:
    return dict(sign_in(cognito, client_id, "ada")["AuthenticationResult"])


def _sessions(cognito: Any, pool_id: str) -> list[dict[str, Any]]:
    return list(cognito.admin_list_user_sessions(UserPoolId=pool_id, Username="ada")["Sessions"])


def test_the_configuration_defaults_to_off_and_is_replaced_whole(cognito: Any, pool_id: str) -> None:
    configuration = cognito.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert (configuration["UserSessionTracking"], configuration["TokenSession"]) == ("DISABLED", {"MaxPerUser": 20})
    _tracking(cognito, pool_id, 5)
    configuration = cognito.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert (configuration["UserSessionTracking"], configuration["TokenSession"]) == ("ENABLED", {"MaxPerUser": 5})
    lite = cognito.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    assert refused(
        cognito.set_user_pool_session_configuration,
        UserPoolId=lite, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 5},
    ) == ("FeatureUnavailableInTierException", errors.SESSION_TRACKING_NOT_IN_TIER.format(tier="LITE"))  # fmt: skip


def test_without_tracking_there_are_no_sessions_to_list_or_revoke(cognito: Any, pool_id: str) -> None:
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    access = _tokens(cognito, client_id)["AccessToken"]
    disabled = ("OperationNotEnabledException", errors.SESSION_TRACKING_DISABLED)
    assert refused(cognito.list_user_sessions, AccessToken=access) == disabled
    assert refused(cognito.admin_list_user_sessions, UserPoolId=pool_id, Username="ada") == disabled
    session_id = "tkn" + "a" * 25
    assert refused(cognito.revoke_user_session, AccessToken=access, SessionId=session_id) == disabled
    _tracking(cognito, pool_id)
    assert _sessions(cognito, pool_id) == []  # the sign-in before tracking began started none


def test_each_sign_in_starts_a_session_and_refreshes_keep_it(cognito: Any, emu: Emulator, pool_id: str) -> None:
    _tracking(cognito, pool_id)
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    first = _tokens(cognito, client_id)
    emu.clock.advance(60)
    second = _tokens(cognito, client_id)
    listed = cognito.list_user_sessions(AccessToken=second["AccessToken"])["Sessions"]
    assert [(s["SessionType"], s["ClientId"], s["IsCurrentSession"]) for s in listed] == [
        ("TOKEN", client_id, False),
        ("TOKEN", client_id, True),
    ]
    assert all(s["SessionId"].startswith("tkn") and len(s["SessionId"]) == 28 for s in listed)
    assert not any(s["IsCurrentSession"] for s in _sessions(cognito, pool_id))  # the administrator's: always false
    emu.clock.advance(60)
    cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]}
    )
    refreshed = {s["SessionId"]: s for s in _sessions(cognito, pool_id)}[listed[0]["SessionId"]]
    assert refreshed["LastActiveDate"] > refreshed["CreateDate"] == listed[0]["CreateDate"]


def test_a_rotation_keeps_the_session(cognito: Any, pool_id: str) -> None:
    _tracking(cognito, pool_id)
    client_id = make_client(
        cognito,
        pool_id,
        ExplicitAuthFlows=FLOWS,
        RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0},
    )["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    tokens = _tokens(cognito, client_id)
    [before] = _sessions(cognito, pool_id)
    rotated = cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=tokens["RefreshToken"])
    assert rotated["AuthenticationResult"]["RefreshToken"] != tokens["RefreshToken"]
    assert [s["SessionId"] for s in _sessions(cognito, pool_id)] == [before["SessionId"]]


def test_past_max_per_user_the_least_recently_used_session_goes(cognito: Any, emu: Emulator, pool_id: str) -> None:
    _tracking(cognito, pool_id, 2)
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    oldest = _tokens(cognito, client_id)
    emu.clock.advance(10)
    middle = _tokens(cognito, client_id)
    emu.clock.advance(10)
    cognito.initiate_auth(  # the oldest is now the most recently used
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": oldest["RefreshToken"]}
    )
    emu.clock.advance(10)
    _tokens(cognito, client_id)
    assert len(_sessions(cognito, pool_id)) == 2
    assert refused(cognito.get_user, AccessToken=middle["AccessToken"]) == (
        "NotAuthorizedException",
        "Access Token has been revoked",
    )
    assert cognito.get_user(AccessToken=oldest["AccessToken"])["Username"] == "ada"
    _tracking(cognito, pool_id, 1)  # lowering the limit evicts nobody ...
    assert len(_sessions(cognito, pool_id)) == 2
    _tokens(cognito, client_id)  # ... until the next sign-in
    assert len(_sessions(cognito, pool_id)) == 1


def test_revoking_a_session_ends_its_tokens_but_not_the_callers(cognito: Any, pool_id: str) -> None:
    _tracking(cognito, pool_id)
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    lost_phone = _tokens(cognito, client_id)
    laptop = _tokens(cognito, client_id)
    sessions = cognito.list_user_sessions(AccessToken=laptop["AccessToken"])["Sessions"]
    current = next(s["SessionId"] for s in sessions if s["IsCurrentSession"])
    other = next(s["SessionId"] for s in sessions if not s["IsCurrentSession"])
    assert refused(cognito.revoke_user_session, AccessToken=laptop["AccessToken"], SessionId=current) == (
        "InvalidParameterException",
        errors.SESSION_IS_CURRENT,
    )
    cognito.revoke_user_session(AccessToken=laptop["AccessToken"], SessionId=other, RevokeAssociatedSessions="LINKED")
    assert refused(cognito.get_user, AccessToken=lost_phone["AccessToken"])[1] == "Access Token has been revoked"
    assert refused(
        cognito.initiate_auth, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": lost_phone["RefreshToken"]},
    ) == ("NotAuthorizedException", "Refresh Token has been revoked")  # fmt: skip
    assert cognito.get_user(AccessToken=laptop["AccessToken"])["Username"] == "ada"
    assert refused(cognito.revoke_user_session, AccessToken=laptop["AccessToken"], SessionId=other) == (
        "ResourceNotFoundException",
        errors.SESSION_NOT_FOUND.format(session_id=other),
    )
    cognito.admin_revoke_user_session(UserPoolId=pool_id, Username="ada", SessionId=current)  # the administrator may
    assert _sessions(cognito, pool_id) == []
    assert refused(cognito.get_user, AccessToken=laptop["AccessToken"])[1] == "Access Token has been revoked"


def test_a_global_sign_out_ends_every_session(cognito: Any, pool_id: str) -> None:
    _tracking(cognito, pool_id)
    client_id = make_client(cognito, pool_id, ExplicitAuthFlows=FLOWS)["ClientId"]
    confirmed_user(cognito, pool_id, "ada")
    _tokens(cognito, client_id)
    tokens = _tokens(cognito, client_id)
    cognito.revoke_token(ClientId=client_id, Token=tokens["RefreshToken"])
    assert len(_sessions(cognito, pool_id)) == 1  # RevokeToken ends that one session
    cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username="ada")
    assert _sessions(cognito, pool_id) == []
    assert (
        refused(cognito.admin_list_user_sessions, UserPoolId=pool_id, Username="nobody")[0] == "UserNotFoundException"
    )
