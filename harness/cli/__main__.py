"""`python -m harness.cli`: the same as the `authflow` command."""

from harness.cli import entry

entry()
