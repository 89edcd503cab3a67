"""The botocore ``cognito-idp`` model: the one source of operation, parameter, error and challenge names.

Loading it takes a few hundred milliseconds, so everything here is computed once per process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.session
from botocore.loaders import Loader
from botocore.model import OperationModel, ServiceModel, Shape

SERVICE_NAME = "cognito-idp"

RUNNER_FILLED = frozenset({"UserPoolId", "ClientId"})
"""Input members the runner fills in from the scenario's pool and client when a step leaves them out."""

COMMON_ERRORS = frozenset(
    {
        "AccessDeniedException",
        "IncompleteSignature",
        "InternalFailure",
        "InvalidAction",
        "InvalidClientTokenId",
        "MissingAuthenticationToken",
        "RequestExpired",
        "SerializationException",
        "ServiceUnavailable",
        "ThrottlingException",
        "UnknownOperationException",
        "UnrecognizedClientException",
        "ValidationException",
    }
)
"""Errors any AWS JSON service may return that the service model does not declare."""


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def service_model() -> ServiceModel:
    """The model botocore ships (loaded once)."""
    return _session().get_service_model(SERVICE_NAME)


def client(**options: Any) -> Any:
    """A cognito-idp client (`options` as for botocore's `create_client`: region, endpoint, keys, config) on a
    session of its own that shares the loader which read the model and the endpoint rules: it reads and parses
    none of those files again, about 50 ms of every process that makes one. It is the client boto3.client makes.
    """
    session = botocore.session.Session()
    loader: Loader = _session().get_component("data_loader")
    session.register_component("data_loader", loader)
    return session.create_client(SERVICE_NAME, **options)


@cache
def operation_names() -> tuple[str, ...]:
    return tuple(sorted(service_model().operation_names))


@cache
def is_operation(name: str) -> bool:
    """Whether the model has an operation of this name (a set lookup: the emulator asks on every request)."""
    return name in _operation_set()


@cache
def _operation_set() -> frozenset[str]:
    return frozenset(service_model().operation_names)


def target_prefix() -> str:
    """The X-Amz-Target prefix of the service (``AWSCognitoIdentityProviderService``)."""
    return str(service_model().metadata["targetPrefix"])


@cache
def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


@cache
def error_codes() -> frozenset[str]:
    """Error codes an ``expect.error`` may name: the model's error shapes plus the common AWS ones."""
    return frozenset(shape.name for shape in service_model().error_shapes) | COMMON_ERRORS


@cache
def challenge_names() -> tuple[str, ...]:
    """The ``ChallengeNameType`` enum, in model order."""
    return tuple(service_model().shape_for("ChallengeNameType").enum)


def shape(name: str) -> Shape:
    return service_model().shape_for(name)
