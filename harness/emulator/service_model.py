"""The botocore cognito-idp service model: the single source of operation names, shapes and enums."""

from __future__ import annotations

from functools import cache

import botocore.session
from botocore.model import OperationModel, ServiceModel

SERVICE_NAME = "cognito-idp"


@cache
def service_model() -> ServiceModel:
    """Load the model botocore ships (once per process: it is large)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


@cache
def operation_names() -> frozenset[str]:
    return frozenset(service_model().operation_names)


def operation(name: str) -> OperationModel:
    return service_model().operation_model(name)


def target_prefix() -> str:
    return str(service_model().metadata["targetPrefix"])
