"""The sequence diagram of a scenario: requests, expected replies per pool, clock and outbox notes, Amplify;
escaping Mermaid would misread; templates shown, never evaluated; secrets never shown."""

from __future__ import annotations

import re
from pathlib import Path

from harness.catalogue.mermaid import mermaid_text, sequence_diagram
from harness.steps.words import duration_words, is_secret_key, response_facts, show_templates
from tests.catalogue.grammar import problems
from tests.catalogue.helpers import write_library

DEMO = """\
    scenario: Demo
    pools: [a, b, c]
    vars:
      username: ${{ unique("user") }}
      email: ${{ username }}@example.com
      password: Secret-Horse-9!
    steps:
      - call: AdminCreateUser
        params: {Username: "${{ username }}", TemporaryPassword: "${{ password }}", MessageAction: SUPPRESS}
      - call: InitiateAuth
        params: {AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {USERNAME: "${{ username }}", PASSWORD: "${{ password }}"}}
        expect:
          a: {error: NotAuthorizedException, message: "Invalid session; really #1 <now>"}
          default: {challenge: NEW_PASSWORD_REQUIRED}
        save: {first: Session}
      - clock: {advance: 181s}
      - name: the code
        outbox: {to: "${{ email }}"}
        expect: {response: {Count: 1, Messages: [{Purpose: SignUp, Code: {regex: "^[0-9]{6}$"}}]}}
      - name: answer with the first Session
        call: RespondToAuthChallenge
        client: other
        params:
          ChallengeName: NEW_PASSWORD_REQUIRED
          Session: "${{ first }}"
          ChallengeResponses: {USERNAME: "${{ username }}", NEW_PASSWORD: Other-Secret-7?}
        expect: {error: NotAuthorizedException, message: {regex: "session is (expired|used)"}}
      - srp: {username: "${{ username }}", password: Third-Secret-5!}
        expect: {tokens: valid, response: {AuthenticationResult: {RefreshToken: absent}}}
      - call: SignUp
        params: {Username: "${{ username }}", Password: Fourth-Secret-3!}
        expect:
          a: {response: {Session: present, UserConfirmed: false}}
          b: {response: {Session: absent, UserConfirmed: false}}
          c: {response: {Session: absent, UserConfirmed: false}}
      - amplify: signIn
        input: {username: "${{ username }}", options: {authFlowType: CUSTOM_WITHOUT_SRP}}
        expect: {response: {isSignedIn: false, nextStep: {signInStep: CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE}}}
      - amplify: confirmSignIn
        input: {challengeResponse: "424242"}
        expect: {error: CodeMismatchException}
      - clock: {advance: 1d1h}
        name: a day goes by
"""


def test_the_demo_diagram_states_the_flow_as_written(tmp_path: Path) -> None:
    (scenario,) = write_library(tmp_path, demo=DEMO).scenarios
    assert sequence_diagram(scenario).split("\n") == [
        "sequenceDiagram",
        "  participant App",
        "  participant Amplify as Amplify JS",
        "  participant Cognito as Cognito user pool (a, b, c)",
        "  App->>Cognito: AdminCreateUser",
        "  Cognito-->>App: ok",
        "  App->>Cognito: InitiateAuth (USER_PASSWORD_AUTH)",
        "  alt pool a",
        "    Cognito--xApp: NotAuthorizedException<br/>Invalid session#59; really #35;1 #lt;now#gt;",
        "  else pools b, c",
        "    Cognito-->>App: challenge NEW_PASSWORD_REQUIRED",
        "  end",
        "  Note over App,Cognito: 3 min 1 s later",
        "  Note right of App: the code",
        "  Note over App,Cognito: reads the codes sent to ‹email›<br/>Count = 1<br/>Messages[].Purpose = SignUp<br/>Messages[].Code",
        "  Note right of App: answer with the first Session",
        "  App->>Cognito: RespondToAuthChallenge (NEW_PASSWORD_REQUIRED) with client other",
        "  Cognito--xApp: NotAuthorizedException<br/>message matching /session is (expired|used)/",
        "  App->>Cognito: SRP sign-in: InitiateAuth (USER_SRP_AUTH), RespondToAuthChallenge (PASSWORD_VERIFIER)",
        "  Cognito-->>App: tokens<br/>no AuthenticationResult.RefreshToken",
        "  App->>Cognito: SignUp",
        "  alt pool a",
        "    Cognito-->>App: ok<br/>Session<br/>UserConfirmed = false",
        "  else pools b, c",
        "    Cognito-->>App: ok<br/>no Session<br/>UserConfirmed = false",
        "  end",
        "  App->>Amplify: signIn (CUSTOM_WITHOUT_SRP)",
        "  Amplify-->>App: not signed in, next step CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE",
        "  App->>Amplify: confirmSignIn",
        "  Amplify--xApp: CodeMismatchException",
        "  Note over App,Cognito: 1 d 1 h later: a day goes by",
    ]


def test_the_demo_diagram_fits_the_grammar_and_shows_no_secret(tmp_path: Path) -> None:
    (scenario,) = write_library(tmp_path, demo=DEMO).scenarios
    diagram = sequence_diagram(scenario)
    assert problems(diagram) == []
    for secret in ("Secret-Horse-9!", "Other-Secret-7?", "Third-Secret-5!", "Fourth-Secret-3!", "424242"):
        assert secret not in diagram
    assert "${{" not in diagram and "user-" not in diagram  # templates are shown, never evaluated


def test_the_same_reply_on_every_pool_draws_no_alt_block(tmp_path: Path) -> None:
    (scenario,) = write_library(
        tmp_path,
        same="""\
        scenario: Same
        pools: [a, b]
        steps:
          - call: ListUserPools
            params: {MaxResults: 1}
            expect: {a: {}, b: {}}
        """,
    ).scenarios
    assert sequence_diagram(scenario).split("\n")[-2:] == ["  App->>Cognito: ListUserPools", "  Cognito-->>App: ok"]


def test_a_scenario_client_is_named_on_the_app(tmp_path: Path) -> None:
    (scenario,) = write_library(
        tmp_path,
        client="""\
        scenario: Client
        pools: [a]
        client: other
        steps:
          - call: ListUserPools
            params: {MaxResults: 1}
        """,
    ).scenarios
    assert "  participant App as App (client other)" in sequence_diagram(scenario).split("\n")


def test_mermaid_text_escapes_what_mermaid_reads_as_syntax() -> None:
    assert mermaid_text("a; b #1 <x> 100%") == "a#59; b #35;1 #lt;x#gt; 100#37;"
    assert mermaid_text("x#59;y") == "x#35;59#59;y"  # the author's text, not an entity: shown as written
    assert mermaid_text("two\n  lines") == "two lines"
    assert mermaid_text("wrap: no") == "wrap#58; no"  # not a wrap directive
    assert mermaid_text("a wrap: b") == "a wrap: b"
    assert ":" not in mermaid_text("style x:#fff;")  # not a style rule
    for text in ("a; b", "style x:#f;", "nowrap:x", "%% c"):
        assert problems(f"sequenceDiagram\n  App->>Cognito: {mermaid_text(text)}") == []


def test_the_grammar_rejects_what_mermaid_would_misread() -> None:
    for bad in ("  App->>Cognito: a; b", "  App->>Cognito: #1", "  App->>Cognito: 50%", "  App->>Cognito: <b>",
                "  App->>Cognito: wrap: x", "  Cognito->>App: x", "  App->>Cognito x", "  end", "  alt a"):  # fmt: skip
        assert problems(f"sequenceDiagram\n{bad}"), bad
    assert problems("graph TD") != []


def test_templates_are_named_and_literal_escapes_kept() -> None:
    assert show_templates('${{ unique("user") }}@x') == '‹unique("user")›@x'
    assert show_templates("$${{ not a template }}") == "${{ not a template }}"
    assert show_templates(42) == "42"


def test_secret_keys() -> None:
    for key in ("Password", "PASSWORD", "NEW_PASSWORD", "TemporaryPassword", "ConfirmationCode", "SMS_MFA_CODE",
                "Code", "Session", "AccessToken", "IdToken", "RefreshToken", "SECRET_HASH", "SecretCode", "ANSWER",
                "CREDENTIAL", "UserCode"):  # fmt: skip
        assert is_secret_key(key), key
    for key in ("USERNAME", "CodeDeliveryDetails", "CODE_DELIVERY_DELIVERY_MEDIUM", "TokenType", "AuthFlow"):
        assert not is_secret_key(key), key


def test_response_facts_hide_secret_values_and_cut_long_lists() -> None:
    assert response_facts({"Session": "abc", "SecretCode": {"equals": "xyz"}}) == ("Session", "SecretCode")
    assert response_facts({"AvailableChallenges": {"equals": ["PASSWORD", "EMAIL_OTP"]}}) == (
        "AvailableChallenges = [PASSWORD, EMAIL_OTP]",
    )
    assert response_facts({"AvailableChallenges": ["WEB_AUTHN"], "X": "any"}) == (
        "AvailableChallenges includes WEB_AUTHN",
    )
    assert response_facts({"A": 1, "B": 2, "C": 3, "D": 4}) == ("A = 1", "B = 2", "C = 3", "…")
    assert response_facts({"A": {"B": {"C": 1}}}) == ("A.B",)  # deeper than one level: the key alone


def test_durations_in_words() -> None:
    assert [duration_words(s) for s in (181, 1, 0, 86400, 90061, 0.5)] == [
        "3 min 1 s", "1 s", "0 s", "1 d", "1 d 1 h 1 min 1 s", "0.5 s",
    ]  # fmt: skip


def test_no_line_of_a_diagram_ends_a_statement_early(tmp_path: Path) -> None:
    (scenario,) = write_library(tmp_path, demo=DEMO).scenarios
    for line in sequence_diagram(scenario).split("\n"):
        assert ";" not in re.sub(r"#(\d+|[a-z]+);", "", line)
