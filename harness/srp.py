"""Cognito SRP (placeholder for the helpers the emulator needs first; the full module replaces this)."""

from __future__ import annotations

import hashlib


def pool_name(user_pool_id: str) -> str:
    return user_pool_id.split("_", 1)[1]


def _pad_hex(value: int) -> str:
    text = f"{value:x}"
    if len(text) % 2:
        text = "0" + text
    elif text[0] in "89abcdef":
        text = "00" + text
    return text


def compute_x(salt_hex: str, pool: str, user_id: str, password: str) -> int:
    inner = hashlib.sha256(f"{pool}{user_id}:{password}".encode()).hexdigest()
    return int(hashlib.sha256(bytes.fromhex(_pad_hex(int(salt_hex, 16)) + inner)).hexdigest(), 16)
