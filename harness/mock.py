"""`mock_cognito`: put the emulator under code that creates its own boto3 clients, as moto's `mock_aws` does.

While a mock is active, every botocore client for cognito-idp that is *created* (boto3.client, boto3.Session().client,
botocore.session.Session().create_client) gets a `before-call.cognito-idp` handler, registered first on its own
events: a call bound for Cognito's AWS endpoint (`cognito-idp.<region>.amazonaws.com`) is answered by the mock's
emulator for that region. botocore has serialised the request by then, so the emulator parses and validates the
real wire body, and botocore's own parser reads the reply, as for `Emulator.client()`. A client with its own
endpoint_url (a local server, the harness's in-process client) is left alone, and so is any other service.

Why before-call and not before-send (where moto's stubber listens, as the in-process client does): botocore
calls *every* before-send handler and keeps the first answer, so inside moto's `mock_aws` moto would still run
each Cognito request against its own backend (and fail on operations it lacks). A before-call answer ends the
call there: no signing (so no credentials are needed), no retries, nothing sent, and moto never sees it, while
it keeps answering S3, DynamoDB, Lambda and the rest.

A client created outside the mock is not touched (`CognitoMock.patch_client` adopts one); one created inside is
answered by the emulator only while a mock is active, and otherwise goes where it would have gone.

    from harness import mock_cognito        # was: from moto import mock_aws

    @mock_cognito                            # was: @mock_aws
    def test_sign_up() -> None: ...

A class can be decorated too, as with moto: each of its tests runs in a fresh mock (a unittest.TestCase's
setUp and tearDown inside it).
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
import unittest
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar, overload
from urllib.parse import urlsplit

import botocore.session
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.endpoint import convert_to_response_dict
from botocore.parsers import create_parser

from harness.emulator import Emulator
from harness.emulator.clock import Clock
from harness.emulator.inprocess import answer_request
from harness.emulator.outbox import Outbox
from harness.errors import AuthflowError

F = TypeVar("F", bound=Callable[..., Any])

SERVICE = "cognito-idp"
DEFAULT_REGION = "us-east-1"
# Cognito's public endpoints: cognito-idp[-fips].<region>.amazonaws.com[.cn], or the dual-stack <region>.api.aws.
_AWS_HOST = re.compile(r"^cognito-idp(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|api\.aws)$")

_active: list[CognitoMock] = []
_active_lock = threading.RLock()
_original_create_client: Callable[..., Any] | None = None


class MockNotActive(AuthflowError):
    """`active_mock()` outside any mock."""


def _aws_region(url: str) -> str | None:
    """The region of a request bound for Cognito's AWS endpoint, or None for any other endpoint."""
    match = _AWS_HOST.match((urlsplit(url).hostname or "").lower())
    return match.group(1) if match else None


def _top() -> CognitoMock | None:
    with _active_lock:
        return _active[-1] if _active else None


def _answer(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
    """before-call: the active mock's answer to a call for Cognito's AWS endpoint, parsed as botocore parses a
    response off the wire; None lets the call go on as usual."""
    mock = _top()
    region = _aws_region(str(params.get("url", "")))
    if mock is None or region is None:
        return None
    request = AWSPreparedRequest("POST", params["url"], params["headers"], params["body"], False)
    http = answer_request(mock.emulator(region), request)
    response = convert_to_response_dict(http, model)
    parser = create_parser(model.service_model.resolved_protocol)
    parsed: dict[str, Any] = parser.parse(response, model.output_shape)
    if http.status_code >= 300:  # the error's modeled members, as botocore's endpoint adds them
        error_shape = model.service_model.shape_for_error_code(parsed.get("Error", {}).get("Code"))
        if error_shape is not None:
            parsed.update(parser.parse(response, error_shape))
    return http, parsed


def _adopt(client: Any) -> Any:
    client.meta.events.register_first(f"before-call.{SERVICE}", _answer, unique_id="authflow-mock-answer")
    return client


def _create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
    """botocore.session.Session.create_client while a mock is active: cognito-idp clients are adopted, and get
    the mock's region when neither the call nor the configuration names one (boto3 would raise NoRegionError)."""
    assert _original_create_client is not None
    mock = _top()
    if service_name == SERVICE and mock is not None:
        given = args[0] if args else kwargs.get("region_name")
        if given is None and not self.get_config_variable("region"):
            if args:
                args = (mock.region, *args[1:])
            else:
                kwargs["region_name"] = mock.region
    client = _original_create_client(self, service_name, *args, **kwargs)
    return _adopt(client) if service_name == SERVICE else client


def _push(mock: CognitoMock) -> None:
    global _original_create_client
    with _active_lock:
        if mock in _active:
            raise AuthflowError("this mock_cognito is already active; start a new one to nest")
        if not _active:
            _original_create_client = botocore.session.Session.create_client
            botocore.session.Session.create_client = _create_client  # type: ignore[method-assign]
        _active.append(mock)


def _pop(mock: CognitoMock) -> None:
    global _original_create_client
    with _active_lock:
        if mock not in _active:
            return
        _active.remove(mock)
        if not _active and _original_create_client is not None:
            botocore.session.Session.create_client = _original_create_client  # type: ignore[method-assign]
            _original_create_client = None


class CognitoMock:
    """An active-or-not patch that answers cognito-idp with emulators, one per region (made on first use).

    Each start begins with empty emulators, unless one was given, which is kept (its region is then the
    default). `issuer="aws"` (the default here) gives tokens Cognito's issuer, as code under test expects.
    """

    def __init__(self, emulator: Emulator | None = None, *, region: str | None = None, issuer: str = "aws") -> None:
        self._given = emulator
        self.region = region or (emulator.region if emulator is not None else DEFAULT_REGION)
        self.issuer = issuer
        self._emulators: dict[str, Emulator] = {}
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._emulators = {self._given.region: self._given} if self._given is not None else {}

    def emulator(self, region: str | None = None) -> Emulator:
        """The emulator that answers `region` (the mock's default region when None)."""
        wanted = region or self.region
        with self._lock:
            found = self._emulators.get(wanted)
            if found is None:
                found = self._emulators[wanted] = Emulator(region=wanted, issuer=self.issuer)
            return found

    @property
    def clock(self) -> Clock:
        """The default region's clock (`mock.emulator(region).clock` for another)."""
        return self.emulator().clock

    @property
    def outbox(self) -> Outbox:
        """The codes the default region's pools sent."""
        return self.emulator().outbox

    def patch_client(self, client: Any) -> Any:
        """Answer a cognito-idp client created before the mock started (while a mock is active)."""
        return _adopt(client)

    def start(self) -> CognitoMock:
        self._reset()
        _push(self)
        return self

    def stop(self) -> None:
        _pop(self)

    def __enter__(self) -> CognitoMock:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Decorate a function (or coroutine function): the mock is active, and fresh, for each call. Decorate a
        class: for each test (see `_decorate_class`)."""
        if isinstance(func, type):
            return self._decorate_class(func)  # type: ignore[return-value]
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return run  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        """A unittest.TestCase: the mock is active and fresh from setUp through tearDown of each test (it stops
        in a cleanup, after tearDown). Any other class (a pytest test class): each method named test* runs in a
        fresh mock; its setup_method and fixtures run outside it. The class itself is returned, changed."""
        if issubclass(cls, unittest.TestCase):
            set_up = cls.setUp
            mock = self

            @functools.wraps(set_up)
            def setUp(test: unittest.TestCase) -> None:
                mock.start()
                test.addCleanup(mock.stop)
                set_up(test)

            cls.setUp = setUp  # type: ignore[method-assign,assignment]
            return cls
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and inspect.isfunction(value):
                setattr(cls, name, self(value))
        return cls


@overload
def mock_cognito(func: F, /) -> F: ...
@overload
def mock_cognito(
    *, emulator: Emulator | None = None, region: str | None = None, issuer: str = "aws"
) -> CognitoMock: ...
def mock_cognito(
    func: Callable[..., Any] | None = None,
    /,
    *,
    emulator: Emulator | None = None,
    region: str | None = None,
    issuer: str = "aws",
) -> Any:
    """`@mock_cognito`, `@mock_cognito(...)` or `with mock_cognito(...) as mock:` - see the module docstring."""
    mock = CognitoMock(emulator, region=region, issuer=issuer)
    return mock if func is None else mock(func)


def active_mock() -> CognitoMock:
    """The innermost active mock (in a `@mock_cognito` test, to reach its clock and outbox)."""
    mock = _top()
    if mock is None:
        raise MockNotActive("no mock_cognito is active")
    return mock
