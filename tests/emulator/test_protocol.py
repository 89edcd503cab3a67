"""The wire: AWS JSON 1.1 targets, request validation against the botocore model, AWS-style errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from harness.emulator.ops import registry
from tests.emulator.conftest import botocore_files_read, error_of

TARGET = "AWSCognitoIdentityProviderService."


def reply_of(emu: Emulator, target: str | None, body: bytes) -> tuple[int, dict[str, Any]]:
    reply = emu.handle(target, body)
    return reply.status, json.loads(reply.body)


def test_unknown_target_is_an_aws_error(emu: Emulator) -> None:
    assert reply_of(emu, TARGET + "FlyToTheMoon", b"{}") == (
        400,
        {"__type": "UnknownOperationException", "message": f"Unknown operation {TARGET}FlyToTheMoon"},
    )
    assert reply_of(emu, None, b"{}")[1]["__type"] == "UnknownOperationException"
    assert reply_of(emu, "DynamoDB_20120810.GetItem", b"{}")[1]["__type"] == "UnknownOperationException"


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe", b"[1,", b'{"a": }'])
def test_malformed_json_is_a_serialization_error(emu: Emulator, body: bytes) -> None:
    status, payload = reply_of(emu, TARGET + "ListUserPools", body)
    assert (status, payload["__type"]) == (400, "SerializationException")


def test_wrong_json_type_is_a_serialization_error(emu: Emulator) -> None:
    status, payload = reply_of(emu, TARGET + "ListUserPools", b'{"MaxResults": "ten"}')
    assert (status, payload["__type"]) == (400, "SerializationException")
    status, payload = reply_of(emu, TARGET + "ListUserPools", b"[]")
    assert (status, payload["__type"]) == (400, "SerializationException")


def test_constraint_violations_are_listed_together(emu: Emulator) -> None:
    body = json.dumps({"AuthFlow": "MAGIC", "ClientId": ""}).encode()
    status, payload = reply_of(emu, TARGET + "InitiateAuth", body)
    assert status == 400
    assert payload["__type"] == "InvalidParameterException"
    assert payload["message"].startswith("3 validation errors detected: ")
    assert (
        "Value 'MAGIC' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: ["
        in payload["message"]
    )
    # ClientId is sensitive in the model: its value is not echoed
    assert (
        "Value at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1"
        in payload["message"]
    )
    assert (
        "Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern"
        in payload["message"]
    )


def test_missing_required_member(emu: Emulator) -> None:
    status, payload = reply_of(emu, TARGET + "DescribeUserPool", b"{}")
    assert (status, payload) == (
        400,
        {
            "__type": "InvalidParameterException",
            "message": "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: "
            "Member must not be null",
        },
    )


def test_range_constraint(emu: Emulator) -> None:
    body = json.dumps({"UserPoolId": "us-east-1_abc", "ClientName": "c", "AuthSessionValidity": 30}).encode()
    _, payload = reply_of(emu, TARGET + "CreateUserPoolClient", body)
    assert payload["message"] == (
        "1 validation error detected: Value '30' at 'authSessionValidity' failed to satisfy constraint: "
        "Member must have value less than or equal to 15"
    )


def test_unimplemented_operation_names_itself(cognito: Any) -> None:
    assert "GetCSVHeader" not in registry.implemented()
    with pytest.raises(ClientError) as excinfo:
        cognito.get_csv_header(UserPoolId="us-east-1_abc")
    assert error_of(excinfo) == (
        "UnsupportedOperationException",
        "The authflow emulator does not implement GetCSVHeader.",
    )


def test_huge_body_is_refused(emu: Emulator) -> None:
    status, payload = reply_of(emu, TARGET + "ListUserPools", b" " * (1024 * 1024 + 1))
    assert (status, payload["__type"]) == (413, "RequestEntityTooLargeException")


def test_issue_operations_are_implemented() -> None:
    wanted = {
        "CreateUserPool", "DescribeUserPool", "UpdateUserPool", "DeleteUserPool", "ListUserPools",
        "CreateUserPoolClient", "DescribeUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient",
        "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "AdminCreateUser", "AdminConfirmSignUp",
        "AdminGetUser", "GetUser", "ListUsers", "AdminDeleteUser", "AdminSetUserPassword", "AdminDisableUser",
        "AdminEnableUser", "AdminUpdateUserAttributes", "InitiateAuth", "AdminInitiateAuth",
        "RespondToAuthChallenge", "AdminRespondToAuthChallenge", "ForgotPassword", "ConfirmForgotPassword",
        "ChangePassword", "GlobalSignOut", "RevokeToken", "GetTokensFromRefreshToken",
    }  # fmt: skip
    assert wanted <= registry.implemented()


def test_error_header_carries_the_code(emu: Emulator) -> None:
    reply = emu.handle(TARGET + "DescribeUserPool", b'{"UserPoolId": "us-east-1_nope"}')
    assert reply.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert json.loads(reply.body)["message"] == "User pool us-east-1_nope does not exist."


def test_an_in_process_client_reads_no_model_file_the_emulator_has_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client shares the loader that read the model for the emulator: making one parses no model again
    (that was about 50 ms of every process), and it is still boto3's client, answering as before."""
    emu = Emulator()
    emu.client().list_user_pools(MaxResults=1)  # the emulator and a first client: every file read once
    read = botocore_files_read(monkeypatch)
    client = Emulator(region="eu-west-1").client()
    pool = client.create_user_pool(PoolName="shared")["UserPool"]
    assert pool["Id"].startswith("eu-west-1_") and client.meta.region_name == "eu-west-1"
    assert read == []
