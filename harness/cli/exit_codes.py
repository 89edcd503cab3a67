"""The exit codes every `authflow` command shares (docs/reports.md lists them)."""

EXIT_INTERRUPTED = 130
"""Ctrl-C: the shell's 128 + SIGINT."""
