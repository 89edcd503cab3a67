"""pytest fixtures for a team's own tests: the emulator, a client on it, pools from pool files, a loopback server,
and the `mock_cognito` patch. The authflow plugin (installed with the package) exposes them; nothing to import.

    def test_sign_up(cognito, cognito_pool, cognito_emulator):
        pool = cognito_pool("default")                # scenarios/pools/default.yaml, clients and triggers
        cognito.sign_up(ClientId=pool.client_id, Username="ada", Password="Correct-Horse-9!",
                        UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])
        code = cognito_emulator.outbox.last(to="ada@example.com").code

Scope: `cognito_emulator` is fresh for every test. To share one emulator across the session, override it in a
conftest.py with `cognito_emulator_session` (every other fixture follows, as they all build on it):

    @pytest.fixture
    def cognito_emulator(cognito_emulator_session):
        return cognito_emulator_session

Options (region, issuer): override `cognito_emulator` likewise, returning `Emulator(issuer="aws", ...)`.
The harness modules load when a fixture is first used, so the plugin costs a test run nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from harness.backends.base import ProvisionedClient
    from harness.emulator import Emulator
    from harness.emulator.server import EmulatorServer
    from harness.mock import CognitoMock
    from harness.scenario.model import PoolConfig

__all__ = [
    "cognito",
    "cognito_emulator",
    "cognito_emulator_session",
    "cognito_mock",
    "cognito_pool",
    "cognito_server",
]

DEFAULT_POOLS_FOLDER = Path("scenarios") / "pools"


@dataclass(frozen=True)
class CognitoPool:
    """A pool the `cognito_pool` fixture made: its id, its app clients by name, the emulator it lives in."""

    pool_id: str
    name: str
    clients: dict[str, ProvisionedClient]
    emulator: Emulator = field(repr=False)
    config: PoolConfig = field(repr=False)

    @property
    def client_id(self) -> str:
        """The first client's id (the one a scenario uses when it names none)."""
        return self.client().client_id

    def client(self, name: str | None = None) -> ProvisionedClient:
        """The named app client (the first for None)."""
        if name is None:
            return next(iter(self.clients.values()))
        if name not in self.clients:
            raise KeyError(f"pool {self.name!r} has no client {name!r} (clients: {', '.join(self.clients)})")
        return self.clients[name]


def find_pool_file(name: str, *, near: Path, root: Path) -> Path:
    """A pool by file path, or by name in the `pools/` folder nearest to `near`, else in <root>/scenarios/pools."""
    from harness.scenario.loader import YAML_SUFFIXES, nearest_pools_dir

    given = Path(name)
    if given.suffix in YAML_SUFFIXES or len(given.parts) > 1:
        for candidate in (given, root / given):
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(f"no pool file {name} (looked in {Path.cwd()} and {root})")
    folders = [folder for folder in (nearest_pools_dir(near), root / DEFAULT_POOLS_FOLDER) if folder is not None]
    for folder in folders:
        for suffix in YAML_SUFFIXES:
            candidate = folder / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    looked = ", ".join(str(folder) for folder in folders) or "no pools/ folder"
    raise FileNotFoundError(f"no pool configuration named {name!r} (looked in {looked})")


def provision(
    emulator: Emulator,
    pool: str | Path | PoolConfig,
    *,
    near: Path | None = None,
    root: Path | None = None,
    cognito: Any | None = None,
) -> CognitoPool:
    """Create a pool from a pool file (path or name), or a loaded configuration, with its clients and triggers
    (through `cognito`, a client of `emulator`, when given)."""
    from harness.backends.preload import provision_on
    from harness.scenario.loader import load_pool
    from harness.scenario.model import PoolConfig

    if isinstance(pool, PoolConfig):
        config = pool
    else:
        here = Path.cwd()
        config = load_pool(find_pool_file(str(pool), near=near or here, root=root or here))
    made = provision_on(emulator, config, cognito=cognito)
    return CognitoPool(made.pool_id, config.name, dict(made.clients), emulator, config)


@pytest.fixture
def cognito_emulator() -> Iterator[Emulator]:
    """A fresh in-memory Cognito for this test (its `clock` and `outbox` are the test's controls)."""
    from harness.emulator import Emulator

    emulator = Emulator()
    yield emulator
    emulator.reset()  # hands the pools' signing keys back for the next test's pools


@pytest.fixture(scope="session")
def cognito_emulator_session() -> Iterator[Emulator]:
    """One emulator for the whole session (see the module docstring to make every fixture use it)."""
    from harness.emulator import Emulator

    emulator = Emulator()
    yield emulator
    emulator.reset()


@pytest.fixture
def cognito(cognito_emulator: Emulator) -> Any:
    """A boto3 cognito-idp client answered in-process by `cognito_emulator`."""
    return cognito_emulator.client()


@pytest.fixture
def cognito_pool(
    cognito_emulator: Emulator, request: pytest.FixtureRequest
) -> Iterator[Callable[[str | Path | PoolConfig], CognitoPool]]:
    """A factory: `cognito_pool("default")` (a name in the nearest pools/ folder, or scenarios/pools under the
    rootdir), `cognito_pool("path/to/pool.yaml")`, or a loaded PoolConfig. Its pools are deleted after the test."""
    made: list[CognitoPool] = []
    clients: list[Any] = []  # one client for every pool of the test (not the `cognito` fixture: a conftest may
    # override that one with a client of another emulator)

    def make(pool: str | Path | PoolConfig) -> CognitoPool:
        if not clients:
            clients.append(cognito_emulator.client())
        near, root = request.path.parent, request.config.rootpath
        created = provision(cognito_emulator, pool, near=near, root=root, cognito=clients[0])
        made.append(created)
        return created

    yield make
    for pool in made:
        if pool.pool_id in cognito_emulator.pools:
            cognito_emulator.call("DeleteUserPool", {"UserPoolId": pool.pool_id})


@pytest.fixture
def cognito_server(cognito_emulator: Emulator) -> Iterator[EmulatorServer]:
    """`cognito_emulator` served on a free loopback port, for Node or other-language clients: `cognito_server.url`
    is the endpoint (`userPoolEndpoint`, `--endpoint-url`). Tokens name it in their issuer (unless issuer="aws")."""
    from harness.emulator.server import EmulatorServer

    server = EmulatorServer(cognito_emulator, "127.0.0.1", 0)
    server.start_in_thread()
    yield server
    server.stop()


@pytest.fixture
def cognito_mock(cognito_emulator: Emulator) -> Iterator[CognitoMock]:
    """`mock_cognito` for this test, answering with `cognito_emulator`: code that makes its own
    boto3.client("cognito-idp") talks to the emulator."""
    from harness.mock import CognitoMock

    with CognitoMock(cognito_emulator) as mock:
        yield mock
