"""A software passkey authenticator, so scenarios and tests can register and use passkeys without a browser.

It answers WebAuthn creation options with a "none" attestation over a fresh P-256 key, and request options
with a signed assertion, in the JSON forms browsers hand to Cognito (RegistrationResponseJSON /
AuthenticationResponseJSON). Origins are `https://<relying party id>`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def bytes_to_base64url(data: bytes) -> str:
    """WebAuthn's encoding of binary fields, base64url without padding (as the webauthn package's helper, here so
    that every run does not import that package and its ASN.1 stack for two one-liners)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def base64url_to_bytes(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_UP, _UV, _AT = 0x01, 0x04, 0x40


@dataclass
class _Credential:
    credential_id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


def _client_data(kind: str, challenge: str, origin: str) -> bytes:
    return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()


def _cose_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    numbers = key.public_key().public_numbers()
    return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})


@dataclass
class SoftwareAuthenticator:
    """Holds the passkeys it created; `origin` overrides the default https://<rp id> (to test origin checks)."""

    origin: str | None = None
    credentials: list[_Credential] = field(default_factory=list)

    def _origin_for(self, rp_id: str) -> str:
        return self.origin or f"https://{rp_id}"

    def create(self, options: dict[str, Any] | str) -> dict[str, Any]:
        """navigator.credentials.create(): a RegistrationResponseJSON for CredentialCreationOptions."""
        opts = json.loads(options) if isinstance(options, str) else options
        rp_id = str(opts["rp"]["id"])
        credential = _Credential(
            secrets.token_bytes(32),
            ec.generate_private_key(ec.SECP256R1()),
            rp_id,
            base64url_to_bytes(opts["user"]["id"]),
        )
        self.credentials.append(credential)
        attested = bytes(16) + struct.pack(">H", len(credential.credential_id)) + credential.credential_id
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([_UP | _UV | _AT]) + struct.pack(">I", 0)
        attestation = cbor2.dumps(
            {"fmt": "none", "attStmt": {}, "authData": auth_data + attested + _cose_key(credential.key)}
        )
        client_data = _client_data("webauthn.create", opts["challenge"], self._origin_for(rp_id))
        return _public_key_credential(
            credential,
            {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
        )

    def get(self, options: dict[str, Any] | str) -> str:
        """navigator.credentials.get(): an AuthenticationResponseJSON (as the JSON text Cognito's CREDENTIAL is)."""
        opts = json.loads(options) if isinstance(options, str) else options
        rp_id = str(opts["rpId"])
        allowed = {d["id"] for d in opts.get("allowCredentials", [])}
        candidates = [
            c
            for c in self.credentials
            if c.rp_id == rp_id and (not allowed or bytes_to_base64url(c.credential_id) in allowed)
        ]
        if not candidates:
            raise ValueError(f"the software authenticator holds no passkey for {rp_id}")
        credential = candidates[-1]
        credential.sign_count += 1
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest() + bytes([_UP | _UV]) + struct.pack(">I", credential.sign_count)
        )
        client_data = _client_data("webauthn.get", opts["challenge"], self._origin_for(rp_id))
        signature = credential.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            _public_key_credential(
                credential,
                {
                    "clientDataJSON": bytes_to_base64url(client_data),
                    "authenticatorData": bytes_to_base64url(auth_data),
                    "signature": bytes_to_base64url(signature),
                    "userHandle": bytes_to_base64url(credential.user_handle),
                },
            )
        )


def _public_key_credential(credential: _Credential, response: dict[str, Any]) -> dict[str, Any]:
    """A PublicKeyCredential as its JSON form (WebAuthn's toJSON), around a registration or assertion response."""
    encoded_id = bytes_to_base64url(credential.credential_id)
    return {
        "id": encoded_id,
        "rawId": encoded_id,
        "type": "public-key",
        "authenticatorAttachment": "platform",
        "clientExtensionResults": {},
        "response": response,
    }
