"""fetchAuthSession (tokens, refresh when expired or forced, NotAuthorized means signed out) and signOut."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError

from .conftest import PASSWORD, App, cognito_request, operations

AppFactory = Callable[..., App]


def _signed_in(app: AppFactory) -> App:
    a = app()
    a.user("ada")
    a.ok("signIn", username="ada", password=PASSWORD, options={"authFlowType": "USER_PASSWORD_AUTH"})
    return a


def test_signed_out_there_is_no_session(app: AppFactory) -> None:
    assert app().ok("fetchAuthSession") == {}


def test_tokens_as_amplify_returns_them(app: AppFactory) -> None:
    a = _signed_in(app)
    outcome = a.amplify("fetchAuthSession")
    assert operations(outcome) == []
    tokens = outcome.response["tokens"]
    assert tokens["accessToken"]["payload"]["token_use"] == "access"
    assert tokens["idToken"]["payload"]["cognito:username"] == "ada"
    assert tokens["accessToken"]["toString"].count(".") == 2
    assert tokens["signInDetails"] == {"loginId": "ada", "authFlowType": "USER_PASSWORD_AUTH"}
    assert outcome.response["userSub"] == tokens["accessToken"]["payload"]["sub"]
    # the raw token works against Cognito
    assert a.cognito("GetUser", AccessToken=tokens["accessToken"]["toString"])["Username"] == "ada"


def test_tokens_are_refreshed_five_seconds_before_they_expire(app: AppFactory) -> None:
    a = _signed_in(app)
    first = a.ok("fetchAuthSession")["tokens"]["accessToken"]
    lifetime = first["payload"]["exp"] - first["payload"]["iat"]
    a.advance(lifetime - 10)
    assert operations(a.amplify("fetchAuthSession")) == []
    a.advance(6)
    outcome = a.amplify("fetchAuthSession")
    assert operations(outcome) == ["GetTokensFromRefreshToken"]
    assert outcome.response["tokens"]["accessToken"]["toString"] != first["toString"]
    assert outcome.response["tokens"]["signInDetails"]["authFlowType"] == "USER_PASSWORD_AUTH"


def test_force_refresh(app: AppFactory) -> None:
    a = _signed_in(app)
    outcome = a.amplify("fetchAuthSession", forceRefresh=True)
    assert operations(outcome) == ["GetTokensFromRefreshToken"]
    assert "ClientId" in cognito_request(outcome) and "ClientSecret" not in cognito_request(outcome)


def test_a_refused_refresh_means_signed_out(app: AppFactory) -> None:
    a = _signed_in(app)
    a.cognito("AdminUserGlobalSignOut", Username="ada")
    outcome = a.amplify("fetchAuthSession", forceRefresh=True)
    assert outcome.response == {}
    assert (
        outcome.request is not None
        and outcome.request["calls"][0]["response"]["Error"]["Code"] == "NotAuthorizedException"
    )
    assert a.client.state.tokens is None
    assert a.ok("signIn", username="ada", password=PASSWORD)["isSignedIn"] is True


def test_sign_out_revokes_the_refresh_token(app: AppFactory) -> None:
    a = _signed_in(app)
    assert a.client.state.tokens is not None
    refresh = a.client.state.tokens.refresh_token
    outcome = a.amplify("signOut")
    assert outcome.response == {} and operations(outcome) == ["RevokeToken"]
    assert a.ok("fetchAuthSession") == {}
    with pytest.raises(ClientError) as refused:
        a.backend.cognito().get_tokens_from_refresh_token(ClientId=a.ctx.client.client_id, RefreshToken=refresh)
    assert refused.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_global_sign_out(app: AppFactory) -> None:
    a = _signed_in(app)
    outcome = a.amplify("signOut", **{"global": True})
    assert operations(outcome) == ["GlobalSignOut"]
    assert a.client.state.tokens is None


def test_sign_out_never_fails(app: AppFactory) -> None:
    a = app()
    assert a.ok("signOut") == {} and a.ok("signOut", **{"global": True}) == {}
