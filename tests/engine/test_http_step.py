"""The ``http:`` step against a loopback server standing in for a team's back end (nothing leaves the machine).

The server accepts a request when Cognito (the emulator, through boto3) accepts its access token, as a real
back end asks GetUser or checks revocation; so a scenario can show that a signed-out token is refused.
"""

from __future__ import annotations

import json
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import run_scenario
from harness.report import write_reports
from harness.report.redact import Redactor

POOL = """\
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
"""

HEAD = """\
scenario: The API refuses a signed-out token
vars:
  api: {api}
  username: ${{{{ unique("user") }}}}
  password: Correct-Horse-9!
steps:
"""

SIGN_IN = """\
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
  - call: InitiateAuth
    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
    save: {access_token: AuthenticationResult.AccessToken}
"""


class Api:
    """A loopback HTTP server: GET /me answers with the token's user, or 401; POST /echo echoes."""

    def __init__(self, backend: EmulatorBackend) -> None:
        self.backend = backend
        self.seen: list[dict[str, Any]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.seen.append({"path": self.path, "headers": dict(self.headers)})
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    user = api.backend.cognito().get_user(AccessToken=token)
                except Exception as exc:  # noqa: BLE001 - any refusal is a 401, as a back end does
                    self._send(401, {"message": str(getattr(exc, "response", {}).get("Error", {}).get("Message"))})
                    return
                self._send(200, {"username": user["Username"]}, {"X-Request-Id": "r-1"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"null")
                api.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if self.path.startswith("/text"):
                    self._send_raw(200, b"plain words", "text/plain")
                    return
                self._send(201, {"got": body, "path": self.path})

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                self._send_raw(status, json.dumps(body).encode(), "application/json", headers)

            def _send_raw(self, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module", params=["emulator", "emulator-http"])
def backend(request: pytest.FixtureRequest) -> Iterator[EmulatorBackend]:
    """The step uses nothing of the backend: the same scenarios pass in-process and over HTTP."""
    running = EmulatorBackend(http=request.param == "emulator-http")
    yield running
    running.close()


@pytest.fixture
def api(backend: EmulatorBackend) -> Iterator[Api]:
    server = Api(backend)
    yield server
    server.close()


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pools").mkdir(exist_ok=True)
    (tmp_path / "pools" / "default.yaml").write_text(POOL)
    (tmp_path / "s.yaml").write_text(text)
    return tmp_path / "s.yaml"


def run(tmp_path: Path, backend: EmulatorBackend, api: Api, steps: str) -> ScenarioResult:
    library = discover(write(tmp_path, HEAD.format(api=api.url) + textwrap.dedent(steps)))
    assert library.ok, "\n".join(map(str, library.issues))
    [scenario] = library.scenarios
    [pool] = library.pools_for(scenario)
    return run_scenario(scenario, pool, backend, run_id="t")


def test_the_api_accepts_the_token_until_global_sign_out(tmp_path: Path, backend: EmulatorBackend, api: Api) -> None:
    result = run(tmp_path, backend, api, SIGN_IN + """\
  - http:
      url: "${{ api }}/me"
      headers: {Authorization: "Bearer ${{ access_token }}"}
    expect: {response: {status: 200, json: {username: "${{ username }}"}, headers: {X-Request-Id: r-1}}}
    save: {request_id: headers."x-request-id"}
  - call: GlobalSignOut
    params: {AccessToken: "${{ access_token }}"}
  - name: the revoked token is refused
    http:
      url: "${{ api }}/me"
      headers: {Authorization: "Bearer ${{ access_token }}"}
    expect: {response: {status: 401, ok: false, json: {message: Access Token has been revoked}}}
""")  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert result.variables["request_id"] == "r-1"
    first = result.steps[3]
    assert first.label == "http GET ${{ api }}/me" and first.request is not None
    assert first.request["url"] == f"{api.url}/me" and first.response["status"] == 200
    token = result.variables["access_token"]
    assert api.seen[0]["headers"]["Authorization"] == f"Bearer {token}"  # sent as written
    redacted = Redactor().redact([step.request for step in result.steps] + [step.response for step in result.steps])
    assert token not in json.dumps(redacted, default=str)
    assert redacted[3]["headers"]["Authorization"] == "‹redacted:authorization›"
    written = write_reports([result], tmp_path / "reports", run_info={"backend": "emulator"})
    for path in written.values():
        text = path.read_text(encoding="utf-8")
        assert token not in text and f"Bearer {token[:20]}" not in text, path.name
    assert "‹redacted:authorization›" in (tmp_path / "reports" / "results.json").read_text(encoding="utf-8")


def test_without_a_status_expectation_the_status_must_be_2xx(
    tmp_path: Path, backend: EmulatorBackend, api: Api
) -> None:
    result = run(tmp_path, backend, api, """\
  - http: {url: "${{ api }}/me", headers: {Authorization: Bearer nothing}}
""")  # fmt: skip
    assert result.status is Status.FAILED
    assert result.steps[0].expected == {"success": True, "response": {"ok": True}}
    assert "ok: expected true, got false" in result.message


def test_json_body_query_and_text_response(tmp_path: Path, backend: EmulatorBackend, api: Api) -> None:
    result = run(tmp_path, backend, api, """\
  - http:
      method: POST
      url: "${{ api }}/echo"
      query: {page: 2, all: true}
      json: {user: "${{ username }}", tags: [a, 1, null]}
    expect: {response: {status: 201, json: {got: {user: "${{ username }}", tags: [1]}, path: {regex: 'page=2&all=true$'}}}}
  - http: {method: POST, url: "${{ api }}/text", json: null}
    expect: {response: {text: plain words, json: absent, headers: {content-type: {regex: ^text/plain}}}}
""")  # fmt: skip
    assert result.status is Status.PASSED, result.message
    assert api.seen[0]["headers"]["Content-Type"] == "application/json" and api.seen[1]["body"] is None


def test_a_request_that_cannot_be_made_is_broken_with_the_reason(
    tmp_path: Path, backend: EmulatorBackend, api: Api
) -> None:
    url = api.url
    api.close()  # nothing listens there any more
    result = run(tmp_path, backend, api, f"""\
  - http: {{url: "{url}/me", timeout: 5s}}
""")  # fmt: skip
    assert result.status is Status.BROKEN
    assert f"GET {url}/me: ConnectError" in result.message


CHECKS: dict[str, tuple[str, list[str]]] = {
    "method": ("  - http: {method: FETCH, url: 'https://api.example.com'}\n",
               ["s.yaml:7:20 steps[0].http.method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS, got 'FETCH' (did you mean 'PATCH'?)"]),
    "scheme": ("  - http: {url: 'ftp://api.example.com/x'}\n",
               ["s.yaml:7:17 steps[0].http.url: 'ftp://api.example.com/x' is not an http:// or https:// URL"]),
    "relative": ("  - http: {url: '/me/${{ username }}'}\n",
                 ["s.yaml:7:17 steps[0].http.url: '/me/${{ username }}' is not an absolute URL (start it with http:// or https://)"]),
    "header name": ("  - http: {url: 'https://api.example.com', headers: {'Bad Header': x}}\n",
                    ["s.yaml:7:54 steps[0].http.headers['Bad Header']: a header name is letters, digits and !#$%&'*+.^_`|~- without spaces, got 'Bad Header'"]),
    "response key": ("  - http: {url: 'https://api.example.com'}\n    expect: {response: {body: {}, status: 2000}}\n",
                     ["s.yaml:8:25 steps[0].expect.response.body: unknown key 'body' of an http response (an http response has status, ok, headers, json or text)",
                      "s.yaml:8:43 steps[0].expect.response.status: a status is a number from 100 to 599, got 2000"]),
    "error": ("  - http: {url: 'https://api.example.com'}\n    expect: {error: NotAuthorizedException}\n",
              ["s.yaml:8:14 steps[0].expect.error: 'error' does not apply to http steps"]),
    "template": ("  - http: {url: '${{ apii }}/me'}\n",
                 ["s.yaml:7:17 steps[0].http.url: unknown variable 'apii' (did you mean 'api'?)"]),
}  # fmt: skip


@pytest.mark.parametrize("steps,expected", list(CHECKS.values()), ids=list(CHECKS))
def test_load_time_checks(tmp_path: Path, steps: str, expected: list[str]) -> None:
    library = discover(write(tmp_path, HEAD.format(api="https://api.example.com") + steps))
    assert [str(issue).replace(f"{tmp_path}/", "") for issue in library.issues] == expected


def test_the_catalogue_draws_the_request_and_reply(tmp_path: Path) -> None:
    from harness.catalogue.mermaid import sequence_diagram

    library = discover(write(tmp_path, HEAD.format(api="https://api.example.com") + """\
  - http: {url: "${{ api }}/me"}
    expect: {response: {status: 401}}
"""))  # fmt: skip
    diagram = sequence_diagram(library.scenarios[0])
    assert "participant Http as API (HTTP)" in diagram
    assert "App->>Http: GET ‹api›/me" in diagram and "Http--xApp: HTTP 401" in diagram


def test_no_expect_means_success_and_ok_is_added(tmp_path: Path) -> None:
    library = discover(
        write(tmp_path, HEAD.format(api="https://api.example.com") + "  - http: {url: 'https://x.example'}\n")
    )
    step: Any = library.scenarios[0].steps[0]
    assert step.expect.response == {"ok": True} and step.params["method"] == "GET" and step.params["timeout"] == 30.0


def test_the_issuers_documents_answer_in_process_and_over_http(
    tmp_path: Path, backend: EmulatorBackend, api: Api
) -> None:
    """`issuer()` is the pool's token issuer; its keys and OpenID configuration answer an http: step on either
    emulator backend (in-process there is no socket: the step is answered in-process), other paths are 404."""
    result = run(tmp_path, backend, api, """\
        - http: {url: "${{ issuer() }}/.well-known/openid-configuration"}
          expect: {response: {status: 200, json: {issuer: "${{ issuer() }}"}}}
          save: {keys_at: json.jwks_uri}
        - http: {url: "${{ keys_at }}"}
          expect: {response: {json: {keys: [{kty: RSA, use: sig}]}}}
        - http: {url: "${{ issuer() }}/.well-known/nothing-here"}
          expect: {response: {status: 404}}
        - http: {url: "${{ issuer() }}x/.well-known/jwks.json"}
          expect: {response: {status: 404}}
        """)  # fmt: skip
    assert result.status is Status.PASSED, result.message
    configuration = result.steps[0].response["json"]
    assert result.steps[0].request["url"] == f"{configuration['issuer']}/.well-known/openid-configuration"
    assert configuration["issuer"].startswith(backend.emulator.base_url + "/us-east-1_")
    assert [key["alg"] for key in result.steps[1].response["json"]["keys"]] == ["RS256"]


def test_issuer_steps_are_skipped_where_nothing_serves_the_issuer() -> None:
    from harness.backends.base import EMULATOR_POWERS, Powers
    from harness.steps.builtins import lacking_power

    moto_like = Powers(clock_max_s=0, issuer_why="no issuer endpoints here")
    step = {"url": "${{ issuer() }}/.well-known/jwks.json"}
    assert lacking_power(step, moto_like) == "no issuer endpoints here"
    assert lacking_power(step, EMULATOR_POWERS) is None
    assert lacking_power({"url": "https://api.example.com/${{ pool.id }}"}, moto_like) is None
