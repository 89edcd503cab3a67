"""Fixtures: an emulator, and boto3 clients that reach it in-process or over loopback HTTP.

Every successful reply is also checked against the operation's output shape in the botocore model, so each
test doubles as a check that the emulator's responses satisfy the model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.loaders import JSONFileLoader

from harness.cognito import service
from harness.emulator import Emulator, Reply
from harness.emulator.server import EmulatorServer
from harness.emulator.validation import shape_errors

PASSWORD = "Correct-Horse-9!"


class ShapeCheckingEmulator(Emulator):
    """An emulator that records every reply that does not satisfy the model's output shape."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shape_violations: list[str] = []

    def handle(self, target: str | None, body: bytes) -> Reply:
        reply = super().handle(target, body)
        if reply.status == 200 and target:
            operation = target.rsplit(".", 1)[-1]
            shape = service.operation(operation).output_shape
            payload = json.loads(reply.body)
            if shape is not None:
                self.shape_violations += [f"{operation}: {e}" for e in shape_errors(payload, shape)]
        return reply


@pytest.fixture
def emu() -> Iterator[ShapeCheckingEmulator]:
    emulator = ShapeCheckingEmulator()
    yield emulator
    assert emulator.shape_violations == []


@pytest.fixture
def server(emu: ShapeCheckingEmulator) -> Iterator[EmulatorServer]:
    """The emulator on a loopback port."""
    running = EmulatorServer(emu, "127.0.0.1", 0)
    running.start_in_thread()
    yield running
    running.stop()


def http_client(server: EmulatorServer) -> Any:
    """A plain boto3 client for the server's endpoint (its own connection pool, so threads can have one each)."""
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"max_attempts": 1}, max_pool_connections=64),
    )


@pytest.fixture(params=["in-process", "http"])
def cognito(request: pytest.FixtureRequest, emu: ShapeCheckingEmulator) -> Any:
    """A boto3 cognito-idp client, once answered in-process and once over a real loopback socket."""
    if request.param == "in-process":
        return emu.client()
    return http_client(request.getfixturevalue("server"))


@pytest.fixture
def pool_id(cognito: Any) -> str:
    """A pool with default settings: username sign-in, email auto-verified."""
    pool = cognito.create_user_pool(PoolName="tests", AutoVerifiedAttributes=["email"])
    return str(pool["UserPool"]["Id"])


def make_client(cognito: Any, pool_id: str, **settings: Any) -> dict[str, Any]:
    settings.setdefault(
        "ExplicitAuthFlows",
        [
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
        ],
    )
    created = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **settings)
    return dict(created["UserPoolClient"])


@pytest.fixture
def client_id(cognito: Any, pool_id: str) -> str:
    return str(make_client(cognito, pool_id)["ClientId"])


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """(code, message) of a botocore ClientError."""
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def refused(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    """(code, message) of the ClientError a call must raise (the test fails if it succeeds)."""
    with pytest.raises(ClientError) as excinfo:
        call(*args, **kwargs)
    return error_of(excinfo)


def confirmed_user(
    cognito: Any, pool_id: str, username: str, password: str = PASSWORD, email: str | None = None
) -> None:
    attributes = [
        {"Name": "email", "Value": email or f"{username}@example.com"},
        {"Name": "email_verified", "Value": "true"},
    ]
    cognito.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS", UserAttributes=attributes
    )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)


def sign_in(cognito: Any, client_id: str, username: str, password: str = PASSWORD) -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    )


def botocore_files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths botocore's JSON loader reads from now on (the model, endpoint rules, ...), in order."""
    read: list[str] = []
    original = JSONFileLoader.load_file

    def load_file(self: JSONFileLoader, file_path: str) -> Any:
        read.append(file_path)
        return original(self, file_path)

    monkeypatch.setattr(JSONFileLoader, "load_file", load_file)
    return read
