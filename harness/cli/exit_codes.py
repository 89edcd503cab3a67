"""The exit codes every `authflow` command shares (docs/reports.md lists them)."""

EXIT_INTERRUPTED = 130
"""Ctrl-C: the shell's 128 + SIGINT."""

EXIT_REPORTS_UNWRITTEN = 74
"""The run's reports could not be written (sysexits' EX_IOERR); the previous reports stay."""
