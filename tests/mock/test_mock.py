"""`mock_cognito`: code that makes its own boto3 clients is answered by the emulator, per region, alone or inside
moto's `mock_aws`, and only while the mock is active. Nothing here reaches AWS: every request is answered
in-process (by the emulator, by moto, or by a test's own catch-all handler)."""

from __future__ import annotations

import asyncio
import io
import unittest
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.session
import jwt
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from harness import mock_cognito
from harness.emulator import Emulator
from harness.emulator.server import EmulatorServer
from harness.mock import CognitoMock, MockNotActive, active_mock

PASSWORD = "Correct-Horse-9!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@pytest.fixture(autouse=True)
def no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    """No credentials, no region, no config files, and a default boto3 session made afresh: as on a CI runner."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    yield


# --- the application code under test: it knows nothing of authflow -------------------------------------


def create_pool(cognito: Any) -> tuple[str, str]:
    pool_id = cognito.create_user_pool(PoolName="app", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=FLOWS)
    return pool_id, client["UserPoolClient"]["ClientId"]


def sign_up(client_id: str, username: str, email: str, region: str | None = None) -> None:
    cognito = boto3.client("cognito-idp", region_name=region)
    cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": email}])  # fmt: skip


def confirm_and_sign_in(client_id: str, username: str, code: str, region: str | None = None) -> dict[str, Any]:
    cognito = boto3.client("cognito-idp", region_name=region)
    cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code)
    answer = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})  # fmt: skip
    return dict(answer["AuthenticationResult"])


# --- the tests -------------------------------------------------------------------------------------------


def test_a_function_that_makes_its_own_client_is_answered_by_the_emulator() -> None:
    with mock_cognito() as mock:
        pool_id, client_id = create_pool(boto3.client("cognito-idp", region_name="eu-west-1"))
        sign_up(client_id, "ada", "ada@example.com", region="eu-west-1")
        sent = mock.emulator("eu-west-1").outbox.last(to="ada@example.com")
        assert sent is not None and sent.purpose == "SignUp"
        tokens = confirm_and_sign_in(client_id, "ada", sent.code, region="eu-west-1")
    assert pool_id.startswith("eu-west-1_") and pool_id in mock.emulator("eu-west-1").pools
    claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert claims["cognito:username"] == "ada"
    assert claims["iss"] == f"https://cognito-idp.eu-west-1.amazonaws.com/{pool_id}"  # the mock issues as AWS


MAKERS: dict[str, Callable[[str], Any]] = {
    "boto3.client": lambda region: boto3.client("cognito-idp", region_name=region),
    "boto3.Session().client": lambda region: boto3.Session(region_name=region).client("cognito-idp"),
    "botocore session": lambda region: botocore.session.get_session().create_client("cognito-idp", region),
    "botocore Session()": lambda region: botocore.session.Session().create_client("cognito-idp", region_name=region),
}


@pytest.mark.parametrize("maker", MAKERS.values(), ids=MAKERS.keys())
def test_every_way_of_making_a_client_is_answered(maker: Callable[[str], Any]) -> None:
    with mock_cognito() as mock:
        pool_id, _ = create_pool(maker("ap-south-1"))
    assert list(mock.emulator("ap-south-1").pools) == [pool_id]


def test_without_a_region_the_mock_region_is_used_and_regions_are_apart() -> None:
    with mock_cognito(region="eu-central-1") as mock:
        here = boto3.client("cognito-idp")  # no region anywhere: boto3 alone would raise NoRegionError
        elsewhere = boto3.client("cognito-idp", region_name="us-west-2")
        pool_id, _ = create_pool(here)
        assert here.meta.region_name == "eu-central-1" and pool_id.startswith("eu-central-1_")
        assert elsewhere.list_user_pools(MaxResults=10)["UserPools"] == []
        with pytest.raises(ClientError) as error:
            elsewhere.describe_user_pool(UserPoolId=pool_id)
        assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert set(mock.emulator("eu-central-1").pools) == {pool_id}


@mock_cognito
def decorated() -> list[str]:
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    create_pool(cognito)
    return [pool["Id"] for pool in cognito.list_user_pools(MaxResults=10)["UserPools"]]


def test_the_decorator_starts_each_call_afresh() -> None:
    first, second = decorated(), decorated()
    assert len(first) == 1 and len(second) == 1 and first != second


def test_a_coroutine_function_can_be_decorated() -> None:
    @mock_cognito
    async def count_pools() -> int:
        create_pool(boto3.client("cognito-idp", region_name="us-east-1"))
        return len(active_mock().emulator().pools)

    assert asyncio.run(count_pools()) == 1


def test_the_mock_reaches_the_decorated_test_through_active_mock() -> None:
    @mock_cognito(region="sa-east-1")
    def flow() -> None:
        _, client_id = create_pool(boto3.client("cognito-idp"))
        sign_up(client_id, "bob", "bob@example.com")
        mock = active_mock()
        code = mock.outbox.last(to="bob@example.com")
        assert code is not None
        mock.clock.advance(25 * 3600)  # sign-up codes are valid 24 h
        with pytest.raises(ClientError) as error:
            confirm_and_sign_in(client_id, "bob", code.code)
        assert error.value.response["Error"]["Code"] == "ExpiredCodeException"

    flow()
    with pytest.raises(MockNotActive):
        active_mock()


def test_a_given_emulator_answers_and_keeps_its_state() -> None:
    emu = Emulator(region="eu-west-3")
    with mock_cognito(emulator=emu):
        pool_id, _ = create_pool(boto3.client("cognito-idp"))
    with mock_cognito(emulator=emu):
        assert boto3.client("cognito-idp").describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "app"
    claims_issuer = emu.issuer(pool_id)
    assert claims_issuer.startswith("http://127.0.0.1")  # a given emulator keeps its own issuer form


def test_a_client_with_its_own_endpoint_is_left_alone() -> None:
    """A client pointed at a server (here another emulator's) talks to that server, not to the mock."""
    other = Emulator()
    server = EmulatorServer(other, "127.0.0.1", 0)
    server.start_in_thread()
    try:
        with mock_cognito() as mock:
            local = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=server.url,
                                 aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip
            pool_id, _ = create_pool(local)
        assert pool_id in other.pools and mock.emulator().pools == {}
    finally:
        server.stop()


def catch_all(answered: list[str]) -> Callable[..., AWSResponse]:
    """A before-send handler of the lowest precedence that answers anything that got past the others."""

    def answer(request: Any, **_: Any) -> AWSResponse:
        answered.append(request.url)
        body = b'{"UserPools": []}'
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))

    return answer


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data

    def read(self, *_: Any) -> bytes:
        return self._data


def test_clients_answer_through_the_emulator_only_while_the_mock_is_active() -> None:
    passed_on: list[str] = []
    with mock_cognito() as mock:
        inside = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="x",
                              aws_secret_access_key="x")  # fmt: skip
        inside.meta.events.register("before-send", catch_all(passed_on))
        create_pool(inside)
        assert passed_on == [] and len(mock.emulator().pools) == 1
    assert inside.list_user_pools(MaxResults=10)["UserPools"] == []
    assert passed_on == ["https://cognito-idp.us-east-1.amazonaws.com/"]


def test_a_client_made_before_the_mock_is_adopted_on_request() -> None:
    passed_on: list[str] = []
    before = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    before.meta.events.register("before-send", catch_all(passed_on))
    with mock_cognito() as mock:
        before.list_user_pools(MaxResults=10)
        assert passed_on  # not created inside: not answered by the mock
        mock.patch_client(before)
        create_pool(before)
        assert len(mock.emulator().pools) == 1


def test_one_mock_cannot_be_started_twice() -> None:
    mock = CognitoMock()
    with mock, pytest.raises(Exception, match="already active"):
        mock.start()


# --- with moto -------------------------------------------------------------------------------------------

moto = pytest.importorskip("moto", reason="moto is a dev dependency")


def s3_round_trip() -> list[str]:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="reports-bucket")
    s3.put_object(Bucket="reports-bucket", Key="a.txt", Body=b"hello")
    return [item["Key"] for item in s3.list_objects_v2(Bucket="reports-bucket")["Contents"]]


def cognito_checks_codes() -> str:
    """moto's ConfirmSignUp accepts any code; the emulator checks it, so this tells who answered."""
    cognito = boto3.client("cognito-idp", region_name="us-east-1")
    pool_id, client_id = create_pool(cognito)
    sign_up(client_id, "eve", "eve@example.com", region="us-east-1")
    with pytest.raises(ClientError) as error:
        cognito.confirm_sign_up(ClientId=client_id, Username="eve", ConfirmationCode="000000")
    assert pool_id in active_mock().emulator().pools
    return str(error.value.response["Error"]["Code"])


def moto_pool_count() -> int:
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    return len(cognitoidp_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].user_pools)


def test_inside_moto_authflow_answers_cognito_and_moto_the_rest() -> None:
    @moto.mock_aws
    @mock_cognito
    def test_body() -> tuple[list[str], str, int]:
        return s3_round_trip(), cognito_checks_codes(), moto_pool_count()

    assert test_body() == (["a.txt"], "CodeMismatchException", 0)  # moto's Cognito never saw the pool


def test_the_order_of_the_two_decorators_does_not_matter() -> None:
    @mock_cognito
    @moto.mock_aws
    def test_body() -> tuple[list[str], str]:
        return s3_round_trip(), cognito_checks_codes()

    assert test_body() == (["a.txt"], "CodeMismatchException")


def test_inside_moto_operations_moto_lacks_are_answered_and_moto_never_sees_them() -> None:
    """moto raises NotImplementedError for GetUserAuthFactors; it must not even be asked."""

    @moto.mock_aws
    @mock_cognito
    def test_body() -> list[str]:
        cognito = boto3.client("cognito-idp", region_name="us-east-1")
        _, client_id = create_pool(cognito)
        sign_up(client_id, "kim", "kim@example.com", region="us-east-1")
        sent = active_mock().outbox.last(to="kim@example.com")
        assert sent is not None
        tokens = confirm_and_sign_in(client_id, "kim", sent.code, region="us-east-1")
        factors = cognito.get_user_auth_factors(AccessToken=tokens["AccessToken"])
        assert cognito.list_user_pools(MaxResults=10)["UserPools"][0]["Name"] == "app"
        return list(factors["ConfiguredUserAuthFactors"])

    assert test_body() == ["PASSWORD"]


def test_a_decorated_unittest_case_has_a_fresh_mock_from_set_up_to_tear_down() -> None:
    seen: list[tuple[str, int]] = []

    @mock_cognito
    class SignUpTests(unittest.TestCase):
        def setUp(self) -> None:
            self.pool_id, self.client_id = create_pool(boto3.client("cognito-idp", region_name="us-east-1"))

        def tearDown(self) -> None:  # still inside the mock
            seen.append(("tearDown", len(active_mock().emulator().pools)))

        def test_sign_up(self) -> None:
            sign_up(self.client_id, "ada", "ada@example.com", region="us-east-1")
            seen.append(("test_sign_up", len(active_mock().emulator().pools)))

        def test_nothing_else(self) -> None:
            seen.append(("test_nothing_else", len(active_mock().emulator().pools)))

    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(SignUpTests)
    )
    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == [("test_nothing_else", 1), ("tearDown", 1), ("test_sign_up", 1), ("tearDown", 1)]  # one pool each
    with pytest.raises(MockNotActive):
        active_mock()


@mock_cognito
class TestADecoratedPytestClass:
    """Each test* method runs in a fresh mock."""

    def test_one_pool(self) -> None:
        create_pool(boto3.client("cognito-idp", region_name="us-east-1"))
        assert len(active_mock().emulator().pools) == 1

    def test_another_pool_in_a_fresh_emulator(self) -> None:
        create_pool(boto3.client("cognito-idp", region_name="us-east-1"))
        assert len(active_mock().emulator().pools) == 1

    def helper_outside_the_mock(self) -> None:  # not a test: left as it is
        active_mock()


def test_only_test_methods_of_a_decorated_class_are_wrapped() -> None:
    with pytest.raises(MockNotActive):
        TestADecoratedPytestClass().helper_outside_the_mock()
