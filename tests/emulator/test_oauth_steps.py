"""The oauth: step kind through the runner: the pitfall scenarios on the emulator, in-process and over HTTP, and
what a backend without a managed login page (like a real pool) runs and skips."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.backends.base import Powers
from harness.backends.emulator import EmulatorBackend
from harness.engine.library import discover
from harness.engine.results import ScenarioResult, Status
from harness.engine.runner import run_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
OAUTH_SCENARIOS = sorted(SCENARIOS.glob("oauth-*.yaml"))


class _NoLoginPage(EmulatorBackend):
    """The emulator with a real pool's powers for the domain: endpoints yes, a login page a step can fill in no."""

    powers = Powers(clock_max_s=0.0, clock_why="no clock here", managed_login_why="needs a person at the login page")


def _run(path: Path, backend: EmulatorBackend) -> ScenarioResult:
    library = discover(path)
    assert library.ok, "\n".join(map(str, library.issues))
    [scenario] = library.scenarios
    [pool] = library.pools_for(scenario)
    return run_scenario(scenario, pool, backend, run_id="oauthtest")


@pytest.fixture(params=[False, True], ids=["in-process", "http"])
def backend(request: pytest.FixtureRequest) -> Iterator[EmulatorBackend]:
    running = EmulatorBackend(http=request.param)
    yield running
    running.close()


def test_there_are_oauth_scenarios() -> None:
    assert len(OAUTH_SCENARIOS) >= 8


@pytest.mark.parametrize("path", OAUTH_SCENARIOS, ids=[p.stem for p in OAUTH_SCENARIOS])
def test_the_oauth_pitfalls_pass_on_the_emulator(path: Path, backend: EmulatorBackend) -> None:
    result = _run(path, backend)
    assert result.status is Status.PASSED, result.message or [s.message for s in result.steps]


def test_without_a_login_page_client_credentials_still_run_and_authorize_is_skipped() -> None:
    backend = _NoLoginPage()
    try:
        m2m = _run(SCENARIOS / "oauth-client-credentials-token.yaml", backend)
        code = _run(SCENARIOS / "oauth-code-used-twice.yaml", backend)
    finally:
        backend.close()
    assert m2m.status is Status.PASSED
    assert code.status is Status.SKIPPED
    skipped = [step for step in code.steps if step.message and step.message.startswith("skipped")]
    assert skipped[0].message == "skipped: needs a person at the login page"


class _Remote:
    """A backend that reaches the emulator only over HTTP and an endpoint URL, as the aws backend reaches a real
    pool (no `emulator` attribute to reach into)."""

    name = "remote"
    powers = Powers(clock_max_s=0.0, clock_why="no clock here", managed_login_why="needs a person at the login page")

    def __init__(self) -> None:
        self._inner = EmulatorBackend(http=True)
        self.settings = type("Settings", (), {"endpoint_url": self._inner.emulator.base_url})()

    def __getattr__(self, name: str) -> object:
        if name == "emulator":
            raise AttributeError(name)
        return getattr(self._inner, name)


FOREIGN_DOMAIN = """\
scenario: a domain that is not the run's
refs: [https://example.com/ref]
tags: [oauth]
pools: [managed-login]
vars:
  domain: ${{ unique("login") }}
steps:
  - call: CreateUserPoolDomain
    params: {Domain: "${{ domain }}"}
  - oauth: token
    domain: someone-elses-domain
    params: {grant_type: client_credentials, client_id: x, client_secret: y}
"""


def test_on_a_remote_backend_nothing_goes_to_a_domain_the_run_does_not_own(tmp_path: Path) -> None:
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "managed-login.yaml").write_text((SCENARIOS / "pools" / "managed-login.yaml").read_text())
    (tmp_path / "s.yaml").write_text(FOREIGN_DOMAIN)
    backend = _Remote()
    try:
        result = _run(tmp_path / "s.yaml", backend)  # type: ignore[arg-type]
        owned = _run(SCENARIOS / "oauth-client-credentials-token.yaml", backend)  # type: ignore[arg-type]
    finally:
        backend._inner.close()
    assert result.status is Status.SKIPPED
    assert "'someone-elses-domain' is not the domain of this run's pool" in str(result.steps[1].message)
    assert owned.status is Status.PASSED


CHOICE_POOL = """\
name: login-choice
pool:
  EmailConfiguration: {EmailSendingAccount: DEVELOPER, SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/x.io"}
clients:
  - name: web
    AllowedOAuthFlowsUserPoolClient: true
    AllowedOAuthFlows: [code]
    AllowedOAuthScopes: [openid, email]
    CallbackURLs: ["http://localhost:3000/callback"]
    SupportedIdentityProviders: [COGNITO]
mfa:
  MfaConfiguration: OPTIONAL
  SmsMfaConfiguration:
    SmsConfiguration: {SnsCallerArn: "arn:aws:iam::123456789012:role/cognito-sms", ExternalId: authflow}
  EmailMfaConfiguration: {Subject: Your sign-in code}
"""

CHOICE_SCENARIO = """\
scenario: choosing an MFA method on the login page
refs: [https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa-totp.html]
pools: [login-choice]
vars:
  domain: ${{ unique("choice") }}
  username: ${{ unique("user") }}
  email: ${{ username }}@example.com
  password: Correct-Horse-9!
steps:
  - call: CreateUserPoolDomain
    params: {Domain: "${{ domain }}"}
  - call: AdminCreateUser
    params:
      Username: ${{ username }}
      MessageAction: SUPPRESS
      UserAttributes:
        - {Name: email, Value: "${{ email }}"}
        - {Name: email_verified, Value: "true"}
        - {Name: phone_number, Value: "+15555550123"}
        - {Name: phone_number_verified, Value: "true"}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
  - call: AdminSetUserMFAPreference
    params: {Username: "${{ username }}", SMSMfaSettings: {Enabled: true}, EmailMfaSettings: {Enabled: true}}
  - oauth: authorize
    domain: "${{ domain }}"
    params: {redirect_uri: "http://localhost:3000/callback", username: "${{ username }}", password: "${{ password }}"}
    expect: {challenge: SELECT_MFA_TYPE}
  - oauth: authorize
    domain: "${{ domain }}"
    params: {redirect_uri: "http://localhost:3000/callback", username: "${{ username }}", password: "${{ password }}",
             mfa_type: EMAIL_OTP}
    expect: {challenge: EMAIL_OTP}
  - oauth: authorize
    domain: "${{ domain }}"
    params: {redirect_uri: "http://localhost:3000/callback", username: "${{ username }}", password: "${{ password }}",
             mfa_type: EMAIL_OTP, mfa_code: "12345"}
    expect: {error: login_failed}
"""


def test_the_authorize_step_chooses_an_mfa_method_on_the_login_page(tmp_path: Path, backend: EmulatorBackend) -> None:
    """`mfa_type` answers the login page's choice of method; without it, or past it without a code, the step ends
    with the page's challenge; a wrong code is the page's error."""
    (tmp_path / "pools").mkdir()
    (tmp_path / "pools" / "login-choice.yaml").write_text(CHOICE_POOL)
    (tmp_path / "choice.yaml").write_text(CHOICE_SCENARIO)
    result = _run(tmp_path / "choice.yaml", backend)
    assert result.status is Status.PASSED, result.message or [s.message for s in result.steps]
