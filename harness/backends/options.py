"""The aws backend's options, defined once for every front end: `authflow` (argparse) and pytest.

Both add the same flags with the same help, read them back into ``create_backend``'s keywords the same way,
and `authflow run` forwards them to the pytest run it starts with :func:`as_argv`.

Pure data and standard-library only (not even dataclasses): `authflow --help` builds its parser from this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # only the runs that use them import these: `authflow --help` stays light
    import argparse

    import pytest


class AwsOption(NamedTuple):
    flag: str
    keyword: str
    """The ``create_backend`` keyword it becomes."""
    help: str
    switch: bool = False
    """A flag without a value (store_true)."""
    existing_pools_only: bool = False
    """Only where a run can use existing pools (not `authflow aws sweep`)."""

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")


AWS_OPTIONS: tuple[AwsOption, ...] = (
    AwsOption("--endpoint-url", "endpoint_url", "a Cognito-compatible endpoint instead of AWS (e.g. the emulator)"),
    AwsOption("--aws-region", "region", "the region (default: from the AWS chain: AWS_REGION, profile)"),
    AwsOption("--aws-profile", "profile", "a profile of your AWS config (default: the standard chain)"),
    AwsOption(
        "--pool-id", "pool_id", "run on this existing pool (or a YAML/JSON file naming pools) instead",
        existing_pools_only=True,
    ),
    AwsOption(
        "--client-id", "client_id", "the existing pool's app client for each configuration's first client",
        existing_pools_only=True,
    ),
    AwsOption(
        "--allow-untagged-pool", "allow_untagged_pool", "use an existing pool not tagged managed-by=authflow",
        switch=True, existing_pools_only=True,
    ),
)  # fmt: skip
GROUP = "aws backend"


def _options(existing_pools: bool) -> list[AwsOption]:
    return [option for option in AWS_OPTIONS if existing_pools or not option.existing_pools_only]


def add_to_argparse(parser: argparse.ArgumentParser, *, existing_pools: bool = True) -> None:
    group = parser.add_argument_group(GROUP)
    for option in _options(existing_pools):
        if option.switch:
            group.add_argument(option.flag, action="store_true", help=option.help)
        else:
            group.add_argument(option.flag, help=option.help)


def add_to_pytest(parser: pytest.Parser) -> None:
    group = parser.getgroup("authflow", "authflow scenarios")
    for option in AWS_OPTIONS:
        if option.switch:
            group.addoption(option.flag, action="store_true", default=False, help=f"{GROUP}: {option.help}")
        else:
            group.addoption(option.flag, default=None, help=f"{GROUP}: {option.help}")


def backend_keywords(value_of: Callable[[str], Any]) -> dict[str, Any]:
    """``create_backend`` keywords from the options' values (``value_of(dest)``: argparse or pytest)."""
    return {option.keyword: value_of(option.dest) for option in AWS_OPTIONS}


def as_argv(value_of: Callable[[str], Any]) -> list[str]:
    """The options that were given, as command-line words (what `authflow run` passes on to pytest)."""
    argv: list[str] = []
    for option in AWS_OPTIONS:
        value = value_of(option.dest)
        if option.switch and value:
            argv.append(option.flag)
        elif not option.switch and value:
            argv += [option.flag, str(value)]
    return argv
