"""Cognito's SECRET_HASH, needed by callers of a client with a secret and checked by the emulator."""

from __future__ import annotations

import base64
import hashlib
import hmac


def secret_hash(client_id: str, client_secret: str, username: str) -> str:
    """base64(HMAC-SHA256(key=client secret, msg=username + client id)) [DG "Computing secret hash values"]."""
    digest = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
