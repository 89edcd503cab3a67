"""Where pools live. `create_backend` is the one place a backend name becomes a backend."""

from __future__ import annotations

from harness.backends.base import Backend, ProvisionedClient, ProvisionedPool, Unsupported

BACKEND_NAMES = ("emulator", "emulator-http")


def create_backend(name: str) -> Backend:
    from harness.backends.emulator import EmulatorBackend

    if name == "emulator":
        return EmulatorBackend()
    if name == "emulator-http":
        return EmulatorBackend(http=True)
    raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}")


__all__ = ["BACKEND_NAMES", "Backend", "ProvisionedClient", "ProvisionedPool", "Unsupported", "create_backend"]
