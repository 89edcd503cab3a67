"""The documents a pool's issuer publishes: `<issuer>/.well-known/jwks.json` and `openid-configuration`.

One place answers them, for the HTTP server and for an in-process caller (a scenario's `http:` step on the
in-process emulator, which has no socket to send to) [DG "Verifying a JSON web token": the keys are at the
issuer's .well-known/jwks.json; OpenID Connect Discovery 1.0 for the configuration].
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.emulator.oauth import endpoints as oauth_endpoints

if TYPE_CHECKING:
    from harness.emulator.emulator import Emulator


def well_known(emu: Emulator, path: str) -> dict[str, Any] | None:
    """The document at `path` (`/<poolId>/.well-known/<name>`), or None when the path names none; an unknown
    pool raises the CognitoError the server answers with."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or parts[1] != ".well-known" or parts[2] not in ("jwks.json", "openid-configuration"):
        return None
    keys = emu.jwks(parts[0])  # raises for an unknown pool
    if parts[2] == "jwks.json":
        return keys
    pool = emu.pools[parts[0]]
    domain_base = f"{emu.base_url}/{pool.domain}" if pool.domain else None
    return oauth_endpoints.discovery(emu, pool, domain_base)
