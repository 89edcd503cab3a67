"""The one base of every error the harness raises on purpose.

Callers catch ``AuthflowError`` to mean "the harness could not do this, and says why" (a bad file, a template
that cannot be evaluated, a backend that refuses); anything else reaching the top is a bug and is reported as
one. The domain errors that model another system's answers (Cognito's, Amplify's) are outcomes, not failures
of the harness, but share the base so one except clause sees everything the harness raises.
"""

from __future__ import annotations


class AuthflowError(Exception):
    """Something the harness could not do, with a message that says why."""
