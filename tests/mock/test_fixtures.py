"""The fixtures a team's own tests get from the plugin, in a pytester project: a fresh emulator per test (or one
per session on request), a client on it, pools from pool files, a loopback server, and the patch."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

POOL = """\
pool:
  AutoVerifiedAttributes: [email]
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
  - name: admin
    GenerateSecret: true
    ExplicitAuthFlows: [ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
triggers:
  PreTokenGeneration: {recipe: add-claims, claims: {"custom:team": qa}}
"""

TESTS = """\
import boto3
import jwt
import pytest

from harness.emulator import Emulator

PASSWORD = "Correct-Horse-9!"


def sign_up(cognito, client_id, name):
    cognito.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}])


def test_a_pool_from_its_file_with_clients_and_triggers(cognito, cognito_pool, cognito_emulator):
    pool = cognito_pool("app")
    assert set(pool.clients) == {"web", "admin"} and pool.client("admin").secret
    sign_up(cognito, pool.client_id, "ada")
    code = cognito_emulator.outbox.last(to="ada@example.com").code
    cognito.confirm_sign_up(ClientId=pool.client_id, Username="ada", ConfirmationCode=code)
    tokens = cognito.initiate_auth(ClientId=pool.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD})["AuthenticationResult"]
    claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert claims["custom:team"] == "qa"  # the pool file's trigger ran


def test_each_test_has_a_fresh_emulator(cognito, cognito_emulator):
    assert cognito.list_user_pools(MaxResults=10)["UserPools"] == []
    assert cognito_emulator.pools == {}


def test_the_clock_is_the_tests(cognito, cognito_pool, cognito_emulator):
    pool = cognito_pool("pools/app.yaml")
    sign_up(cognito, pool.client_id, "bob")
    code = cognito_emulator.outbox.last(to="bob@example.com").code
    cognito_emulator.clock.advance(25 * 3600)
    with pytest.raises(cognito.exceptions.ExpiredCodeException):
        cognito.confirm_sign_up(ClientId=pool.client_id, Username="bob", ConfirmationCode=code)


def test_a_server_for_other_languages(cognito_server, cognito_pool):
    pool = cognito_pool("app")
    node_like = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=cognito_server.url,
                             aws_access_key_id="x", aws_secret_access_key="x")
    assert node_like.describe_user_pool(UserPoolId=pool.pool_id)["UserPool"]["Name"] == "app"


def app_code_that_makes_its_own_client(client_id):
    boto3.client("cognito-idp", region_name="us-east-1").sign_up(
        ClientId=client_id, Username="cy", Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": "cy@example.com"}])


def test_the_patch_answers_with_the_test_emulator(cognito_mock, cognito_pool, cognito_emulator):
    pool = cognito_pool("app")
    app_code_that_makes_its_own_client(pool.client_id)
    assert cognito_emulator.pools[pool.pool_id].find_user("cy") is not None
    assert cognito_mock.outbox.last(to="cy@example.com") is not None


def test_an_unknown_pool_says_where_it_looked(cognito_pool):
    with pytest.raises(FileNotFoundError, match="no pool configuration named 'nope'"):
        cognito_pool("nope")
"""

SHARED = """\
import pytest


@pytest.fixture
def cognito_emulator(cognito_emulator_session):
    return cognito_emulator_session


def test_first(cognito):
    cognito.create_user_pool(PoolName="kept")


def test_second_sees_the_first_pool(cognito):
    assert [p["Name"] for p in cognito.list_user_pools(MaxResults=10)["UserPools"]] == ["kept"]
"""


def test_the_fixtures_in_a_project(pytester: pytest.Pytester) -> None:
    (pytester.path / "pools").mkdir()
    (pytester.path / "pools" / "app.yaml").write_text(POOL)
    pytester.makepyfile(test_app=TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)


def test_one_emulator_for_the_session_on_request(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_shared=SHARED)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
