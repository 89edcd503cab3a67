"""`authflow emulator`: serve the emulator over HTTP, with preloaded pools whose ids survive restarts (`--pools`),
users that survive them too (`--state FILE`), and the issuer form tokens carry (`--issuer aws|local`).

On start it prints, per preloaded pool, the Amplify configuration that points at it and, at the end, a `.env`
block, so a front end is configured once. With `--state`, the emulator's pools, users and messages are saved
whenever they changed (checked every SAVE_INTERVAL_S) and when it stops; a state file's pools win over the
pool files' (delete the file to start from the pool files again).
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the rest loads when the command runs: building the parser must stay cheap
    from harness.backends.base import ProvisionedPool
    from harness.emulator import Emulator
    from harness.scenario.model import PoolConfig

ISSUER_CHOICES = ("local", "aws")
"""harness.emulator.emulator.ISSUERS, repeated so that the parser imports nothing heavy (a test keeps them equal)."""
SAVE_INTERVAL_S = 1.0
EXIT_BAD_INPUT = 2  # as `authflow run` exits on a bad scenario or pool file (docs/reports.md)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommand's options (the parser in cli/__init__.py calls this)."""
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9229, help="default: 9229; 0 picks a free port")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument(
        "--pools", action="append", default=[], metavar="PATH",
        help="pool files, or folders of them, to create at start, with ids stable across restarts (repeatable)",
    )  # fmt: skip
    parser.add_argument("--state", metavar="FILE", help="keep pools, users and messages in FILE between restarts")
    parser.add_argument(
        "--issuer", choices=ISSUER_CHOICES, default="local",
        help="token issuer: local (this server's URL; the default) or aws (https://cognito-idp.<region>.amazonaws.com/<poolId>)",
    )  # fmt: skip
    parser.add_argument("--write-config", metavar="FILE", help="also write the pools' ids and Amplify config as JSON")


def amplify_config(pool: ProvisionedPool, endpoint: str) -> dict[str, Any]:
    """What Amplify JS v6 `Amplify.configure` needs to use the pool's first app client on this emulator."""
    return {
        "Auth": {
            "Cognito": {
                "userPoolId": pool.pool_id,
                "userPoolClientId": pool.client(None).client_id,
                "userPoolEndpoint": endpoint,
            }
        }
    }


def _env_name(*parts: str) -> str:
    return "_".join(re.sub(r"\W", "_", part).upper() for part in parts)


def env_block(pools: list[ProvisionedPool], endpoint: str) -> list[str]:
    """`.env` lines: the endpoint, each pool's id and each client's id (client secrets are never printed)."""
    lines = [f"COGNITO_ENDPOINT={endpoint}"]
    for pool in pools:
        lines.append(f"{_env_name('COGNITO', pool.config_name, 'USER_POOL_ID')}={pool.pool_id}")
        for client in pool.clients.values():
            lines.append(f"{_env_name('COGNITO', pool.config_name, client.name, 'CLIENT_ID')}={client.client_id}")
    return lines


def config_document(emu: Emulator, pools: list[tuple[PoolConfig, ProvisionedPool]]) -> dict[str, Any]:
    """--write-config: the endpoint and, per pool, its ids, issuer, key URL and Amplify configuration."""
    return {
        "endpoint": emu.base_url,
        "region": emu.region,
        "pools": {
            config.name: {
                "file": str(config.path),
                "userPoolId": pool.pool_id,
                "clients": {client.name: client.client_id for client in pool.clients.values()},
                "issuer": emu.issuer(pool.pool_id),
                "jwks": emu.jwks_url(pool.pool_id),
                "amplify": amplify_config(pool, emu.base_url),
            }
            for config, pool in pools
        },
    }


def preload(emu: Emulator, sources: list[str]) -> list[tuple[PoolConfig, ProvisionedPool]]:
    """Create the pools of the pool files (those a state file restored are kept as they are)."""
    from harness.backends.preload import adopt_saved, load_pools, provision_on

    configs = load_pools([Path(source) for source in sources])
    cognito = emu.client() if configs else None
    made = []
    for config in configs:
        pool = adopt_saved(emu, config) or provision_on(emu, config, stable_ids=True, cognito=cognito)
        made.append((config, pool))
    return made


def _print_pools(emu: Emulator, pools: list[tuple[PoolConfig, ProvisionedPool]]) -> None:
    for config, pool in pools:
        clients = ", ".join(f"{client.name}={client.client_id}" for client in pool.clients.values())
        with_secret = [client.name for client in pool.clients.values() if client.secret is not None]
        print(f"\npool {config.name} ({config.path}): {pool.pool_id}, clients {clients}")
        if with_secret:
            print(f"  client secrets ({', '.join(with_secret)}): read them with DescribeUserPoolClient")
        print(f"  Amplify.configure({json.dumps(amplify_config(pool, emu.base_url))});")
    if pools:
        print("\n# .env")
        for line in env_block([pool for _, pool in pools], emu.base_url):
            print(line)
        print()


class _Saver:
    """Saves the state file whenever the emulator answered something since the last save, and once at the end."""

    def __init__(self, emu: Emulator, path: Path) -> None:
        self.emu = emu
        self.path = path
        self.saved_revision = emu.revision
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="authflow-state", daemon=True)

    def save_if_changed(self) -> None:
        from harness.emulator import persist

        revision = self.emu.revision
        if revision != self.saved_revision:
            persist.save(self.emu, self.path)
            self.saved_revision = revision

    def _loop(self) -> None:
        from harness.errors import AuthflowError

        while not self._stop.wait(SAVE_INTERVAL_S):
            try:
                self.save_if_changed()
            except (OSError, AuthflowError) as exc:
                print(f"authflow emulator: cannot save the state to {self.path}: {exc}", file=sys.stderr, flush=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.save_if_changed()


def serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (or SIGTERM), then save the state (with --state) and stop cleanly."""
    from harness.emulator import Emulator, persist
    from harness.emulator.server import EmulatorServer
    from harness.errors import AuthflowError

    emu = Emulator(region=args.region, issuer=args.issuer)
    try:
        server = EmulatorServer(emu, args.host, args.port)
    except OSError as exc:
        print(f"authflow emulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    state = Path(args.state) if args.state else None
    try:
        restored = persist.load(emu, state) if state is not None and state.exists() else []
        pools = preload(emu, args.pools)
        if args.pools:  # POST /_authflow/reset: back to the preloaded pools (empty, under the same ids)
            emu.after_reset.append(lambda: preload(emu, args.pools))
        if state is not None:
            persist.save(emu, state)  # now, so that a file that cannot be written is said before serving
        if args.write_config:
            Path(args.write_config).write_text(json.dumps(config_document(emu, pools), indent=2) + "\n")
    except (AuthflowError, OSError) as exc:
        server.server_close()
        print(f"authflow emulator: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    sample = f"{emu.region}_ID"  # how a pool id sits in the issuer and key URLs, whichever the issuer form
    issuer, keys = (text.replace(sample, "<userPoolId>") for text in (emu.issuer(sample), emu.jwks_url(sample)))
    print(f"authflow emulator listening on {server.url} (Ctrl-C to stop)")
    print(f"  side door: {server.url}/_authflow/outbox, /_authflow/clock, /_authflow/reset")
    print(f"  tokens: iss = {issuer}, keys at {keys}")
    if state is not None:
        users = sum(len(emu.pools[pool_id].users) for pool_id in restored)
        print(f"  state: {state} ({len(restored)} pools and {users} users restored; saved as they change)")
    _print_pools(emu, pools)
    sys.stdout.flush()
    saver = _Saver(emu, state) if state is not None else None
    if saver is not None:
        saver.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.server_close()
        if saver is not None:
            saver.stop()
    return 0
