"""Choice-based sign-in (USER_AUTH): tiers and sign-in policy, SELECT_CHALLENGE, EMAIL_OTP, the SignUp Session."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator, errors
from tests.emulator.conftest import PASSWORD, confirmed_user, error_of, make_client

USER_AUTH_FLOWS = ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def passwordless_pool(cognito: Any, factors: list[str] | None = None, tier: str = "ESSENTIALS") -> str:
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": factors or ["PASSWORD", "EMAIL_OTP"]}}
    pool = cognito.create_user_pool(
        PoolName="passwordless", UserPoolTier=tier, AutoVerifiedAttributes=["email"], Policies=policy
    )
    return str(pool["UserPool"]["Id"])


@pytest.fixture
def pool(cognito: Any) -> str:
    return passwordless_pool(cognito)


@pytest.fixture
def client(cognito: Any, pool: str) -> str:
    return str(make_client(cognito, pool, ExplicitAuthFlows=USER_AUTH_FLOWS)["ClientId"])


def test_sign_in_policy_must_keep_password(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        passwordless_pool(cognito, ["EMAIL_OTP"])
    assert error_of(excinfo) == ("InvalidParameterException", errors.PASSWORD_FACTOR_REQUIRED)


def test_lite_tier_has_no_passwordless(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        passwordless_pool(cognito, tier="LITE")
    assert error_of(excinfo)[0] == "FeatureUnavailableInTierException"


def test_user_auth_needs_the_client_setting(cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"})
    assert error_of(excinfo) == ("InvalidParameterException", "USER_AUTH flow not enabled for this client")


def test_select_challenge_lists_what_the_user_can_use(cognito: Any, pool: str, client: str) -> None:
    confirmed_user(cognito, pool, "ada", email="ada@example.com")
    result = cognito.initiate_auth(ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"})
    assert result["ChallengeName"] == "SELECT_CHALLENGE"
    assert result["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    # without a verified email, no EMAIL_OTP
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="bob",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "b@example.com"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username="bob", Password=PASSWORD, Permanent=True)
    result = cognito.initiate_auth(ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "bob"})
    assert result["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    # a user who must change the password is offered password factors only
    cognito.admin_create_user(UserPoolId=pool, Username="cy", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    result = cognito.initiate_auth(ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "cy"})
    assert result["AvailableChallenges"] == ["PASSWORD_SRP", "PASSWORD"]


def test_select_password_then_sign_in(cognito: Any, pool: str, client: str) -> None:
    confirmed_user(cognito, pool, "ada", email="ada@example.com")
    select = cognito.initiate_auth(ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"})
    result = cognito.respond_to_auth_challenge(
        ClientId=client,
        ChallengeName="SELECT_CHALLENGE",
        Session=select["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in result["AuthenticationResult"]
    preferred = cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD},
    )
    assert "AccessToken" in preferred["AuthenticationResult"]


def test_email_otp_right_and_wrong_codes(cognito: Any, emu: Emulator, pool: str, client: str) -> None:
    confirmed_user(cognito, pool, "ada", email="ada@example.com")
    otp = cognito.initiate_auth(
        ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada", "PREFERRED_CHALLENGE": "EMAIL_OTP"}
    )
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert otp["ChallengeParameters"] == {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
        "CODE_DELIVERY_DESTINATION": "a***@e***",
    }
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.purpose == "EMAIL_OTP" and len(message.code) == 8
    answer = {"ClientId": client, "ChallengeName": "EMAIL_OTP", "Session": otp["Session"]}
    for _ in range(6):  # wrong codes leave the session usable [OBS]
        with pytest.raises(ClientError) as excinfo:
            cognito.respond_to_auth_challenge(
                **answer,
                ChallengeResponses={
                    "USERNAME": "ada",
                    "EMAIL_OTP_CODE": "00000000" if message.code != "00000000" else "11111111",
                },
            )
        assert error_of(excinfo) == ("CodeMismatchException", "Invalid code or auth state for the user.")
    result = cognito.respond_to_auth_challenge(
        **answer, ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": message.code}
    )
    assert "IdToken" in result["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            **answer, ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": message.code}
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )


def test_unknown_user_gets_a_fake_otp_challenge_when_existence_is_hidden(
    cognito: Any, emu: Emulator, pool: str
) -> None:
    client = make_client(cognito, pool, ExplicitAuthFlows=USER_AUTH_FLOWS, PreventUserExistenceErrors="ENABLED")[
        "ClientId"
    ]
    otp = cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "ghost@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert emu.outbox.messages() == []
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client,
            ChallengeName="EMAIL_OTP",
            Session=otp["Session"],
            ChallengeResponses={"USERNAME": "ghost@example.com", "EMAIL_OTP_CODE": "12345678"},
        )
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code or auth state for the user.")
    legacy = make_client(cognito, pool, ExplicitAuthFlows=USER_AUTH_FLOWS)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(ClientId=legacy, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ghost@example.com"})
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_sign_up_session_only_with_user_auth(cognito: Any, pool: str, client: str) -> None:
    with_user_auth = cognito.sign_up(
        ClientId=client, Username="ada", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "a@example.com"}]
    )
    assert 20 <= len(with_user_auth["Session"]) <= 2048
    plain = make_client(cognito, pool)["ClientId"]
    without = cognito.sign_up(
        ClientId=plain, Username="bob", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "b@example.com"}]
    )
    assert "Session" not in without


def _sign_up_and_confirm(cognito: Any, emu: Emulator, client: str, name: str, password: str | None = None) -> str:
    email = f"{name}@example.com"
    params: dict[str, Any] = {
        "ClientId": client,
        "Username": name,
        "UserAttributes": [{"Name": "email", "Value": email}],
    }
    if password:
        params["Password"] = password
    session = cognito.sign_up(**params)["Session"]
    code = emu.outbox.last(to=email).code  # type: ignore[union-attr]
    return str(
        cognito.confirm_sign_up(ClientId=client, Username=name, ConfirmationCode=code, Session=session)["Session"]
    )


def test_passwordless_sign_up_then_sign_in_with_the_session(cognito: Any, emu: Emulator, client: str) -> None:
    session = _sign_up_and_confirm(cognito, emu, client, "ada")
    result = cognito.initiate_auth(
        ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"}, Session=session
    )
    assert "AccessToken" in result["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"}, Session=session
        )
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
    )
    factors = cognito.get_user_auth_factors(AccessToken=result["AuthenticationResult"]["AccessToken"])
    assert factors["ConfiguredUserAuthFactors"] == ["EMAIL_OTP"]


def test_auth_factors_for_the_user_and_for_an_administrator(cognito: Any) -> None:
    """GetUserAuthFactors (access token) and AdminGetUserAuthFactors (pool and username) give the same view: the
    user's MFA settings as GetUser gives them, and the USER_AUTH first factors they can use [BC]."""
    ses = {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com"}
    policy = {"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
    pool = cognito.create_user_pool(PoolName="p", Policies=policy, EmailConfiguration=ses)["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={"Subject": "code"}
    )
    client = make_client(cognito, pool, ExplicitAuthFlows=USER_AUTH_FLOWS)["ClientId"]
    confirmed_user(cognito, pool, "ada", email="ada@example.com")
    access = cognito.initiate_auth(
        ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )["AuthenticationResult"]["AccessToken"]
    before = cognito.admin_get_user_auth_factors(UserPoolId=pool, Username="ada")
    assert before["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert before["UserMFASettingList"] == [] and "PreferredMfaSetting" not in before
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool, Username="ada", EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    admin = cognito.admin_get_user_auth_factors(UserPoolId=pool, Username="ada")
    own = cognito.get_user_auth_factors(AccessToken=access)
    user = cognito.admin_get_user(UserPoolId=pool, Username="ada")
    for view in (admin, own):
        view.pop("ResponseMetadata")
        assert view["Username"] == "ada"
        assert view["UserMFASettingList"] == user["UserMFASettingList"] == ["EMAIL_OTP"]
        assert view["PreferredMfaSetting"] == user["PreferredMfaSetting"] == "EMAIL_OTP"
    assert admin == own
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user_auth_factors(UserPoolId=pool, Username="nobody")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_the_confirm_session_expires(cognito: Any, emu: Emulator, client: str) -> None:
    session = _sign_up_and_confirm(cognito, emu, client, "ada", PASSWORD)
    emu.clock.advance(181)
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"}, Session=session
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user, session is expired.")


def test_the_confirm_session_is_for_a_first_sign_in_only(cognito: Any, emu: Emulator, client: str) -> None:
    session = _sign_up_and_confirm(cognito, emu, client, "ada", PASSWORD)
    cognito.initiate_auth(
        ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"}, Session=session
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user.")


def test_passwordless_admin_create_user(cognito: Any, emu: Emulator, pool: str, client: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="ada",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    assert cognito.admin_get_user(UserPoolId=pool, Username="ada")["UserStatus"] == "CONFIRMED"
    select = cognito.initiate_auth(ClientId=client, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ada"})
    assert select["AvailableChallenges"] == ["EMAIL_OTP"]
    otp = cognito.respond_to_auth_challenge(
        ClientId=client,
        ChallengeName="SELECT_CHALLENGE",
        Session=select["Session"],
        ChallengeResponses={"USERNAME": "ada", "ANSWER": "EMAIL_OTP"},
    )
    assert otp["ChallengeName"] == "EMAIL_OTP"
    code = emu.outbox.last(to="ada@example.com").code  # type: ignore[union-attr]
    result = cognito.respond_to_auth_challenge(
        ClientId=client,
        ChallengeName="EMAIL_OTP",
        Session=otp["Session"],
        ChallengeResponses={"USERNAME": "ada", "EMAIL_OTP_CODE": code},
    )
    assert "AccessToken" in result["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client,
            ChallengeName="SELECT_CHALLENGE",
            Session=select["Session"],
            ChallengeResponses={"USERNAME": "ada", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD},
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
