"""An ``http:`` step: one request to the team's own API, with the tokens the flow produced.

So a scenario can go past Cognito to what the tokens are for: does the back end accept the access token, and
reject it once it is revoked? The request is sent with httpx; nothing of the backend is used, so the step runs
the same on every backend. What the step sees (and ``expect``/``save`` read) is the response as data:
``{status, ok, headers, json}`` (``text`` instead of ``json`` when the body is not JSON). Reports show the
request and response like a Cognito call's, redacted: Authorization, cookies, API keys and tokens are masked
(harness/report/redact.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from harness.cognito.outcome import Outcome
from harness.emulator.errors import CognitoError
from harness.errors import AuthflowError
from harness.scenario.durations import parse_duration
from harness.scenario.errors import KeyPath, Problem
from harness.scenario.expectations import ResponseCheck
from harness.scenario.kinds import CheckContext, StepPlace
from harness.scenario.matchers import MATCHER_KEYS
from harness.scenario.model import Expectation, Step
from harness.scenario.template import Expr, TemplateError, has_template, parse_string
from harness.scenario.wording import did_you_mean, one_of
from harness.steps.context import RunContext
from harness.steps.kind import NAME_PROPERTY, RESULT_PROPERTIES, StepKind
from harness.steps.words import Reply, expected_response, response_facts, show_templates

if TYPE_CHECKING:  # imported where a request is made: most runs have no http step (~20 ms of start-up)
    import httpx

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
RESPONSE_KEYS = ("status", "ok", "headers", "json", "text")
"""What an http step's response holds (expect.response and save read these)."""
DEFAULT_TIMEOUT_S = 30.0
MAX_BODY_CHARS = 64 * 1024
"""A text body longer than this is cut in the step's response (reports stay readable)."""

_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
"""RFC 9110 field names (tokens)."""
_JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\b", re.IGNORECASE)


class HttpStepError(AuthflowError):
    """The request could not be made (bad URL at run time, connection refused, timeout): the step is BROKEN."""


class Http(StepKind):
    key = "http"
    summary = "http (a request to your own API)"
    input_key = "http"
    expect_keys = ("response",)
    participant = "API (HTTP)"
    schema: ClassVar[dict[str, Any]] = {
        "title": "HTTP request",
        "description": "Send one HTTP request to your own API (e.g. with the access token the flow produced) and check the response. expect/save see {status, ok, headers (lower-case names), json} (text instead of json when the body is not JSON). Without expect.response.status or ok, the status must be 2xx. Runs the same on every backend.",
        "type": "object",
        "required": ["http"],
        "properties": {
            "http": {
                "description": "The request; templates allowed in url, headers, query and json.",
                "type": "object",
                "required": ["url"],
                "properties": {
                    "method": {
                        "description": "The HTTP method (default GET).",
                        "enum": list(METHODS),
                    },
                    "url": {
                        "description": "An absolute http:// or https:// URL, e.g. ${{ api }}/me.",
                        "type": "string",
                        "minLength": 1,
                    },
                    "headers": {
                        "description": "Request headers, e.g. {Authorization: 'Bearer ${{ access_token }}'}; masked in reports where they carry credentials.",
                        "type": "object",
                        "propertyNames": {
                            "pattern": _HEADER_NAME.pattern,
                            "patternErrorMessage": "a header name is letters, digits and !#$%&'*+.^_`|~- without spaces",
                        },
                        "additionalProperties": {"type": "string"},
                    },
                    "query": {
                        "description": "Query parameters added to the URL.",
                        "type": "object",
                        "additionalProperties": {"type": ["string", "number", "boolean"]},
                    },
                    "json": {
                        "description": "A JSON body (any value; templates allowed); sets Content-Type: application/json.",
                    },
                    "timeout": {
                        "description": "How long to wait for the response (default 30s).",
                        "$ref": "#/$defs/duration",
                    },
                },
                "additionalProperties": False,
            },
            "name": NAME_PROPERTY,
            **RESULT_PROPERTIES,
        },
        "additionalProperties": False,
    }

    # -- loading ------------------------------------------------------------------------------------------

    def check(self, raw: Mapping[str, Any], path: KeyPath, ctx: CheckContext) -> list[Problem]:
        problems = super().check(raw, path, ctx)
        request = raw.get("http")
        if not isinstance(request, Mapping):
            return problems
        url = request.get("url")
        if isinstance(url, str) and url:
            problems += _url_problems(url, (*path, "http", "url"))
        timeout = request.get("timeout")
        if timeout is not None and _seconds(timeout) == 0:
            problems.append(Problem((*path, "http", "timeout"), "a timeout must be more than 0 seconds"))
        return problems

    def response_check(self, raw: Mapping[str, Any]) -> ResponseCheck | None:
        return _check_expected_response

    def default_label(self, raw: Mapping[str, Any]) -> str:
        request = raw["http"]
        return f"http {request.get('method', 'GET')} {request['url']}"

    def fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        request = dict(raw["http"])
        request.setdefault("method", "GET")
        request["timeout"] = _seconds(request.get("timeout", DEFAULT_TIMEOUT_S))
        return {"operation": request["method"], "params": request}

    def build(self, raw: Mapping[str, Any], place: StepPlace) -> Step:
        step = super().build(raw, place)
        by_pool = {pool: _expected_http(expectation) for pool, expectation in step.expect_by_pool.items()}
        return replace(step, expect=_expected_http(step.expect), expect_by_pool=by_pool)

    # -- running ------------------------------------------------------------------------------------------

    def run_input(self, step: Step) -> Any:
        return {key: value for key, value in step.params.items() if key != "timeout"}

    def run(self, step: Step, ctx: RunContext, rendered: Any) -> Outcome:
        method = str(rendered.get("method", "GET"))
        url = rendered["url"]
        if not isinstance(url, str) or _url_problems(url, ()):
            raise HttpStepError(f"http.url: not an absolute http:// or https:// URL: {url!r}")
        headers = {str(name): str(value) for name, value in (rendered.get("headers") or {}).items()}
        query = {str(name): _query_value(value) for name, value in (rendered.get("query") or {}).items()}
        shown: dict[str, Any] = {"method": method, "url": url, "headers": headers}
        if query:
            shown["query"] = query
        if "json" in rendered:
            shown["json"] = rendered["json"]
        content = None
        if "json" in rendered:  # serialised here, so that json: null sends null rather than no body
            content = json.dumps(rendered["json"]).encode()
            if not any(name.lower() == "content-type" for name in headers):
                headers["Content-Type"] = "application/json"
        import httpx

        transport = _in_process_transport(ctx, url)
        try:
            with httpx.Client(
                timeout=float(step.params["timeout"]), follow_redirects=False, transport=transport
            ) as client:
                response = client.request(method, url, headers=headers, params=query or None, content=content)
        except httpx.HTTPError as exc:
            raise HttpStepError(f"{method} {url}: {type(exc).__name__}: {exc}") from None
        shown["url"] = str(response.request.url)
        return Outcome(shown, _response_data(response))

    # -- drawing ------------------------------------------------------------------------------------------

    def request_label(self, step: Step) -> str | None:
        return f"{step.params.get('method', 'GET')} {show_templates(step.params['url'])}"

    def reply(self, step: Step, expectation: Expectation) -> Reply:
        expected = dict(expected_response(expectation))
        status = expected.pop("status", None)
        ok = expected.pop("ok", None)
        head = f"HTTP {show_templates(status)}" if isinstance(status, int | str) else ("2xx" if ok is True else "")
        facts = response_facts(expected)
        refused = (isinstance(status, int) and status >= 400) or ok is False
        return Reply(refused, (head or "HTTP response", *facts))


def _in_process_transport(ctx: RunContext, url: str) -> httpx.BaseTransport | None:
    """For a URL on the in-process emulator (which has no socket): a transport answering it in-process. Only the
    issuer's documents are served (.well-known/jwks.json, openid-configuration); anything else is a 404, as the
    emulator's HTTP server would answer. None (a real request) for every other URL and backend."""
    import httpx

    from harness.emulator.well_known import well_known

    emulator = getattr(ctx.backend, "emulator", None)
    if ctx.backend.name != "emulator" or emulator is None or not url.startswith(emulator.base_url + "/"):
        return None

    def answer(request: httpx.Request) -> httpx.Response:
        try:
            document = well_known(emulator, request.url.path) if request.method == "GET" else None
        except CognitoError as exc:
            return httpx.Response(exc.status, json={"__type": exc.code, "message": exc.message})
        if document is None:
            return httpx.Response(404, json={"__type": "ResourceNotFoundException", "message": "No such path"})
        return httpx.Response(200, json=document)

    return httpx.MockTransport(answer)


def _seconds(value: Any) -> float:
    try:
        return parse_duration(value)
    except ValueError:
        return DEFAULT_TIMEOUT_S  # the schema reports it


def _url_problems(url: str, path: KeyPath) -> list[Problem]:
    """An absolute http(s) URL with a host; with templates, only the literal start can be judged at load."""
    literal = url
    if has_template(url):
        try:
            segments = parse_string(url)
        except TemplateError:
            return []  # reported as a bad template
        if isinstance(segments[0], Expr):
            return []  # ${{ api }}/me: known at run time
        literal = segments[0]
        if "://" not in literal:
            return [Problem(path, f"{url!r} is not an absolute URL", "start it with http:// or https://")]
    parts = urlsplit(literal)
    if parts.scheme not in ("http", "https"):
        return [Problem(path, f"{url!r} is not an http:// or https:// URL")]
    if not parts.netloc and not has_template(url):
        return [Problem(path, f"{url!r} has no host")]
    return []


def _check_expected_response(expected: Any, path: KeyPath) -> list[Problem]:
    """``expect.response`` names only what an http step returns; a status is a number from 100 to 599."""
    if not isinstance(expected, Mapping):
        return []
    problems: list[Problem] = []
    for key, value in expected.items():
        if key not in RESPONSE_KEYS:
            hint = did_you_mean(str(key), RESPONSE_KEYS) or f"an http response has {one_of(RESPONSE_KEYS)}"
            problems.append(Problem((*path, key), f"unknown key {key!r} of an http response", hint, on_key=True))
        elif key == "status" and not _is_matcher(value) and not _is_status(value):
            problems.append(Problem((*path, key), f"a status is a number from 100 to 599, got {value!r}"))
        elif key == "ok" and not isinstance(value, bool) and not _is_matcher(value):
            problems.append(Problem((*path, key), f"ok is true (a 2xx status) or false, got {value!r}"))
    return problems


def _is_status(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599


def _is_matcher(value: Any) -> bool:
    if isinstance(value, str):
        return value in ("present", "absent", "any") or has_template(value)
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in MATCHER_KEYS


def _expected_http(expectation: Expectation) -> Expectation:
    """Header names compared in lower case (as the response has them); without a status or ok, a 2xx status."""
    response = expectation.response if isinstance(expectation.response, Mapping) else {}
    response = dict(response)
    headers = response.get("headers")
    if isinstance(headers, Mapping):
        response["headers"] = {str(name).lower(): value for name, value in headers.items()}
    if "status" not in response and "ok" not in response:
        response = {"ok": True, **response}
    return replace(expectation, response=response)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _response_data(response: httpx.Response) -> dict[str, Any]:
    """The response as the step's data: status, ok, headers (lower-case names), json or text."""
    data: dict[str, Any] = {
        "status": response.status_code,
        "ok": response.is_success,
        "headers": {name.lower(): value for name, value in response.headers.items()},
    }
    if not response.content:
        return data
    if _JSON_TYPE.match(response.headers.get("content-type", "")):
        try:
            data["json"] = json.loads(response.content)
            return data
        except ValueError:
            pass  # a JSON content type with a body that is not JSON: shown as text
    text = response.text
    data["text"] = text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + f"… ({len(text)} characters)"
    return data


KIND = Http()
