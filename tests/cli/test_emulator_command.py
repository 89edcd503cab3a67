"""`authflow emulator --pools/--state/--issuer`: a real server process, preloaded from the shipped pool files,
answering a boto3 client configured from what it printed; restarts keep the ids and, with --state, the users.

Each test waits for the process to print its configuration (limits of a minute: a loaded CI machine is slow),
so nothing depends on timing.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM to a child process")

REPO = Path(__file__).resolve().parents[2]
SHIPPED_POOLS = REPO / "scenarios" / "pools"
AUTHFLOW = [sys.executable, "-m", "harness.cli", "emulator", "--port", "0"]
PASSWORD = "Correct-Horse-9!"
LIMIT_S = 60


class Running:
    """An `authflow emulator` process and what it printed, line by line."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
        self.process = subprocess.Popen(
            [*AUTHFLOW, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.printed: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, wanted: str) -> list[str]:
        """Everything printed up to and including the first line that starts with `wanted`."""
        deadline = time.monotonic() + LIMIT_S
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no line {wanted!r} within {LIMIT_S} s; printed:\n" + "\n".join(self.printed)
                ) from None
            if line is None:
                err = self.process.stderr.read() if self.process.stderr else ""
                raise AssertionError(f"exited with {self.process.wait()} before {wanted!r}:\n{err}")
            self.printed.append(line)
            if line.startswith(wanted):
                return self.printed

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=LIMIT_S)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            for stream in (self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


def started(args: list[str], cwd: Path) -> tuple[Running, dict[str, Any]]:
    """Start the server and read, from what it printed, each pool's Amplify configuration and the .env block."""
    running = Running(args, cwd)
    printed = running.wait_for("COGNITO_ENDPOINT=")
    while printed[-1] != "":  # the .env block ends with a blank line
        printed = running.wait_for("")
    amplify = {}
    pool = None
    for line in printed:
        if line.startswith("pool "):
            pool = line.split()[1]
        elif line.strip().startswith("Amplify.configure("):
            amplify[pool] = json.loads(line.strip().removeprefix("Amplify.configure(").removesuffix(");"))
    env = dict(line.split("=", 1) for line in printed[printed.index("# .env") + 1 :] if "=" in line)
    return running, {"amplify": amplify, "env": env, "printed": printed}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def servers() -> Iterator[list[Running]]:
    """Every server a test starts is stopped, whatever happens."""
    running: list[Running] = []
    yield running
    for server in running:
        if server.process.poll() is None:
            server.stop()


def client_for(amplify: dict[str, Any]) -> Any:
    """A boto3 client configured only from the printed Amplify configuration."""
    cognito = amplify["Auth"]["Cognito"]
    return boto3.client(
        "cognito-idp",
        region_name=cognito["userPoolId"].split("_")[0],
        endpoint_url=cognito["userPoolEndpoint"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1}),
    )


def sign_up_and_in(amplify: dict[str, Any], username: str) -> dict[str, Any]:
    cognito = client_for(amplify)
    ids = amplify["Auth"]["Cognito"]
    cognito.sign_up(ClientId=ids["userPoolClientId"], Username=username, Password=PASSWORD,
                    UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}])  # fmt: skip
    cognito.admin_confirm_sign_up(UserPoolId=ids["userPoolId"], Username=username)
    return sign_in(amplify, username)


def sign_in(amplify: dict[str, Any], username: str) -> dict[str, Any]:
    ids = amplify["Auth"]["Cognito"]
    answer = client_for(amplify).initiate_auth(ClientId=ids["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                               AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})  # fmt: skip
    return dict(answer["AuthenticationResult"])


def test_preloaded_shipped_pools_answer_a_client_configured_from_the_printout(
    tmp_path: Path, servers: list[Running]
) -> None:
    server, printed = started(["--pools", str(SHIPPED_POOLS), "--write-config", "config.json"], tmp_path)
    servers.append(server)
    shipped = sorted(path.stem for path in SHIPPED_POOLS.glob("*.yaml"))
    assert sorted(printed["amplify"]) == shipped
    default = printed["amplify"]["default"]
    tokens = sign_up_and_in(default, "ada")
    assert jwt.decode(tokens["IdToken"], options={"verify_signature": False})["cognito:username"] == "ada"
    # the .env block and the config file say the same
    ids = default["Auth"]["Cognito"]
    assert printed["env"]["COGNITO_DEFAULT_USER_POOL_ID"] == ids["userPoolId"]
    assert printed["env"]["COGNITO_DEFAULT_WEB_CLIENT_ID"] == ids["userPoolClientId"]
    assert printed["env"]["COGNITO_ENDPOINT"] == ids["userPoolEndpoint"]
    written = json.loads((tmp_path / "config.json").read_text())
    assert written["pools"]["default"]["amplify"] == default
    # the pool is the pool file's: DescribeUserPoolClient shows its auth flows
    described = client_for(default).describe_user_pool_client(
        UserPoolId=ids["userPoolId"], ClientId=ids["userPoolClientId"]
    )
    assert "ALLOW_USER_SRP_AUTH" in described["UserPoolClient"]["ExplicitAuthFlows"]
    assert "Secret" not in "\n".join(printed["printed"])  # client secrets are never printed
    # the side door's reset brings the preloaded pools back, empty, under the same ids
    reset = urllib.request.Request(f"{ids['userPoolEndpoint']}/_authflow/reset", data=b"{}", method="POST",
                                   headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(reset) as answer:
        assert answer.status == 200
    with pytest.raises(ClientError) as error:
        sign_in(default, "ada")
    assert error.value.response["Error"]["Code"] == "UserNotFoundException"
    assert sign_up_and_in(default, "ada")["IdToken"]
    assert server.stop() == 0


def test_a_restart_keeps_the_ids_and_with_state_the_users(tmp_path: Path, servers: list[Running]) -> None:
    args = ["--pools", str(SHIPPED_POOLS / "default.yaml"), "--pools", str(SHIPPED_POOLS / "user-auth.yaml")]
    first, printed = started(args, tmp_path)
    servers.append(first)
    sign_up_and_in(printed["amplify"]["default"], "ada")
    assert first.stop() == 0

    second, again = started(args, tmp_path)
    servers.append(second)
    assert again["env"] == {**printed["env"], "COGNITO_ENDPOINT": again["env"]["COGNITO_ENDPOINT"]}
    with pytest.raises(ClientError) as error:  # no --state: a fresh pool under the same ids
        sign_in(again["amplify"]["default"], "ada")
    assert error.value.response["Error"]["Code"] == "UserNotFoundException"
    assert second.stop() == 0

    # tokens name the server's URL (the local issuer): keep the port, as a front end's configuration does
    state = ["--state", "state.json", "--port", str(free_port())]
    third, with_state = started([*args, *state], tmp_path)
    servers.append(third)
    tokens = sign_up_and_in(with_state["amplify"]["default"], "bob")
    assert third.stop() == 0

    fourth, restored = started([*args, *state], tmp_path)
    servers.append(fourth)
    assert restored["env"] == {**printed["env"], "COGNITO_ENDPOINT": restored["env"]["COGNITO_ENDPOINT"]}
    assert any("2 pools and 1 users restored" in line for line in restored["printed"])
    assert sign_in(restored["amplify"]["default"], "bob")["AccessToken"]
    cognito = client_for(restored["amplify"]["default"])
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == "bob"  # tokens outlive the restart
    assert fourth.stop() == 0


def test_an_id_fixed_in_the_pool_file_is_used(tmp_path: Path, servers: list[Running]) -> None:
    pools = tmp_path / "pools"
    pools.mkdir()
    (pools / "shop.yaml").write_text(
        "clients:\n  - name: web\n    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]\n"
        "emulator:\n  pool_id: us-east-1_Shop00001\n  client_ids: {web: shopwebclient0001}\n"
    )
    server, printed = started(["--pools", "pools"], tmp_path)
    servers.append(server)
    assert printed["amplify"]["shop"]["Auth"]["Cognito"]["userPoolId"] == "us-east-1_Shop00001"
    assert printed["amplify"]["shop"]["Auth"]["Cognito"]["userPoolClientId"] == "shopwebclient0001"
    assert sign_up_and_in(printed["amplify"]["shop"], "eve")["IdToken"]


def test_an_aws_issuer_token_verifies_with_the_issuer_derived_from_the_pool_id(
    tmp_path: Path, servers: list[Running]
) -> None:
    server, printed = started(["--pools", str(SHIPPED_POOLS / "default.yaml"), "--issuer", "aws"], tmp_path)
    servers.append(server)
    default = printed["amplify"]["default"]
    tokens = sign_up_and_in(default, "ada")
    pool_id = default["Auth"]["Cognito"]["userPoolId"]
    endpoint = default["Auth"]["Cognito"]["userPoolEndpoint"]
    key = jwt.PyJWKClient(f"{endpoint}/{pool_id}/.well-known/jwks.json").get_signing_key_from_jwt(tokens["IdToken"])
    region = pool_id.split("_")[0]
    claims = jwt.decode(tokens["IdToken"], key.key, algorithms=["RS256"],
                        audience=default["Auth"]["Cognito"]["userPoolClientId"],
                        issuer=f"https://cognito-idp.{region}.amazonaws.com/{pool_id}")  # fmt: skip
    assert claims["cognito:username"] == "ada"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"format": "authflow-emulator-state", "version": 999}',
            "state format version 999, but this authflow reads version 1",
        ),
        ("{}", "not an authflow emulator state file"),
    ],
)
def test_an_incompatible_state_file_stops_the_start_with_a_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    (tmp_path / "state.json").write_text(content)
    done = subprocess.run(
        [*AUTHFLOW, "--state", "state.json"], cwd=tmp_path, capture_output=True, text=True, timeout=LIMIT_S,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "state.json").read_text() == content  # left as it was


def test_a_bad_pool_file_stops_the_start_with_its_problems(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("clients:\n  - name: web\nemulator:\n  client_ids: {mobile: abc}\n")
    done = subprocess.run(
        [*AUTHFLOW, "--pools", "broken.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=LIMIT_S,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "emulator.client_ids.mobile" in done.stderr and "no client named 'mobile'" in done.stderr


AMPLIFY_SIGN_IN = Path(__file__).with_name("amplify_sign_in.mjs")


@pytest.mark.skipif(
    not (shutil.which("node") and os.environ.get("AUTHFLOW_AMPLIFY_DIR")),
    reason="set AUTHFLOW_AMPLIFY_DIR to a folder where `npm install aws-amplify` ran, to sign in with Amplify JS itself",
)
def test_the_real_amplify_signs_in_with_the_printed_configuration(tmp_path: Path, servers: list[Running]) -> None:
    server, printed = started(["--pools", str(SHIPPED_POOLS / "default.yaml")], tmp_path)
    servers.append(server)
    amplify = printed["amplify"]["default"]
    ids = amplify["Auth"]["Cognito"]
    cognito = client_for(amplify)
    cognito.admin_create_user(UserPoolId=ids["userPoolId"], Username="ada", MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])  # fmt: skip
    cognito.admin_set_user_password(UserPoolId=ids["userPoolId"], Username="ada", Password=PASSWORD, Permanent=True)
    config = tmp_path / "amplify.json"
    config.write_text(json.dumps(amplify))
    run = subprocess.run(
        ["node", str(AMPLIFY_SIGN_IN), str(config), "ada"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "AUTHFLOW_PASSWORD": PASSWORD},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome == {
        "isSignedIn": True, "nextStep": "DONE", "username": "ada", "idTokenUsername": "ada",
        "idTokenIssuer": f"{ids['userPoolEndpoint']}/{ids['userPoolId']}",
    }  # fmt: skip
