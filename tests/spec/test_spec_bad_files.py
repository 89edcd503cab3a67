"""Bad scenario files and the exact report each gets: ``file:line:col key.path: message (hint)``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.scenario import SpecError
from harness.steps import STEP_KINDS

HEAD = "scenario: T\npools: [password-only]\nsteps:\n"
GET_USER = "  - call: GetUser\n    params: {AccessToken: x}\n"

CASES: dict[str, tuple[str, list[str]]] = {
    "yaml syntax error": (
        "scenario: x\nsteps:\n  - call: A\n   params: {}\n",
        [
            "case.yaml:4:4 <root>: invalid YAML: expected <block end>, but found '<block mapping start>'"
            " (this line's indentation does not fit the block started at 3:3)"
        ],
    ),
    "colon in a plain value": (
        "scenario: x\nsymptom: Error: it broke\nsteps: []\n",
        ["case.yaml:2:15 <root>: invalid YAML: mapping values are not allowed here (quote a value that contains ': ')"],
    ),
    "unquoted template in a flow mapping": (
        "scenario: T\nsteps:\n  - call: GetUser\n    params: {AccessToken: ${{ x }}}\n",
        [
            "case.yaml:4:28 <root>: invalid YAML: expected ',' or '}', but got '{'"
            ' (inside [...] or {...} write templates quoted: "${{ ... }}")'
        ],
    ),
    "tab indentation": (
        "scenario: T\nsteps:\n\t- call: GetUser\n",
        ["case.yaml:3:1 <root>: invalid YAML: found character '\\t' that cannot start any token"],
    ),
    "two documents": (
        "scenario: x\n---\nscenario: y\n",
        ["case.yaml:2:1 <root>: invalid YAML: a file holds one document, this is a second one"],
    ),
    "top-level list": (
        "- a\n- b\n",
        ["case.yaml:1:1 <root>: the file must be a mapping with a 'scenario' key, got a list"],
    ),
    "empty file": (
        "# nothing\n",
        ["case.yaml:1:1 <root>: the file is empty; it must be a mapping with a 'scenario' key"],
    ),
    "unknown top-level key": (
        "scenario: T\ndescriptoin: x\nsteps:\n" + GET_USER,
        ["case.yaml:2:1 descriptoin: unknown key 'descriptoin' (did you mean 'description'?)"],
    ),
    "unknown step key": (
        HEAD + "  - call: GetUser\n    paramz: {AccessToken: x}\n",
        [
            "case.yaml:4:5 steps[0].params: missing required parameter 'AccessToken'",
            "case.yaml:5:5 steps[0].paramz: unknown key 'paramz' (did you mean 'params'?)",
        ],
    ),
    "unknown operation": (
        HEAD + "  - call: InitiateAuht\n",
        ["case.yaml:4:11 steps[0].call: unknown operation 'InitiateAuht' (did you mean 'InitiateAuth'?)"],
    ),
    "unknown param": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: USER_PASSWORD_AUTH, AuthParams: {}}\n",
        ["case.yaml:5:44 steps[0].params.AuthParams: unknown parameter 'AuthParams' (did you mean 'AuthParameters'?)"],
    ),
    "unknown nested param": (
        HEAD + "  - call: AdminCreateUser\n    params: {Username: u, UserAttributes: [{Name: email, Valeu: x}]}\n",
        ["case.yaml:5:58 steps[0].params.UserAttributes[0].Valeu: unknown parameter 'Valeu' (did you mean 'Value'?)"],
    ),
    "bad enum value in params": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: USER_PASWORD_AUTH}\n",
        [
            "case.yaml:5:24 steps[0].params.AuthFlow: must be one of USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN,"
            " CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH or USER_AUTH,"
            " got 'USER_PASWORD_AUTH' (did you mean 'USER_PASSWORD_AUTH'?)"
        ],
    ),
    "templated integer param is accepted": (
        "scenario: T\nvars: {n: 5}\nsteps:\n  - call: ListUsers\n    params: {Limit: '${{ n }}'}\n",
        [],
    ),
    "templated enum param is accepted (the way to send a bad value on purpose)": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: '${{ \"NO_SUCH_FLOW\" }}'}\n",
        [],
    ),
    "string for an integer param": (
        HEAD + "  - call: ListUsers\n    params: {Limit: 'five'}\n",
        ["case.yaml:5:21 steps[0].params.Limit: expected an integer, got a string"],
    ),
    "interpolated string for an integer param": (
        "scenario: T\nvars: {n: 5}\nsteps:\n  - call: ListUsers\n    params: {Limit: 'x${{ n }}'}\n",
        [
            "case.yaml:5:21 steps[0].params.Limit: expected an integer, got a string"
            " (only a value that is one whole template keeps its type)"
        ],
    ),
    "param too short": (
        HEAD + "  - call: AdminCreateUser\n    params: {Username: ''}\n",
        ["case.yaml:5:24 steps[0].params.Username: must be at least 1 character long"],
    ),
    "missing required param": (
        HEAD + "  - call: InitiateAuth\n",
        ["case.yaml:4:5 steps[0].params: missing required parameter 'AuthFlow'"],
    ),
    "wrong types": (
        "scenario: [a]\nsteps: {a: 1}\n",
        [
            "case.yaml:1:11 scenario: expected a string, got a list",
            "case.yaml:2:8 steps: expected a list, got a mapping",
        ],
    ),
    "missing scenario title": (
        "steps:\n" + GET_USER,
        ["case.yaml:1:1 <root>: missing required key 'scenario'"],
    ),
    "no steps": (
        "scenario: T\n",
        ["case.yaml:1:1 <root>: missing required key 'steps'"],
    ),
    "empty steps": (
        "scenario: T\nsteps: []\n",
        ["case.yaml:2:8 steps: must not be empty"],
    ),
    "duplicate key": (
        "scenario: T\nsteps:\n" + GET_USER + "scenario: U\n",
        ["case.yaml:5:1 scenario: duplicate key 'scenario' (first at 1:1)"],
    ),
    "jinja-style template": (
        HEAD + "  - call: GetUser\n    params:\n      AccessToken: {{ token }}\n",
        [
            "case.yaml:6:20 steps[0].params.AccessToken: '{{ token }}' is read by YAML as a nested mapping"
            " (templates are written ${{ ... }})"
        ],
    ),
    "unknown pool": (
        "scenario: T\npools: [pasword-only]\nsteps:\n" + GET_USER,
        ["case.yaml:2:9 pools[0]: unknown pool 'pasword-only' (did you mean 'password-only'?)"],
    ),
    "pool named like an expectation key": (
        "scenario: T\npools: [error]\nsteps:\n" + GET_USER,
        [
            "case.yaml:2:9 pools[0]: a pool cannot be named like an expectation key"
            " (challenge, error, message, response, tokens)"
        ],
    ),
    "client missing from one of the pools": (
        "scenario: T\npools: [password-only, user-auth]\nclient: confidential\nsteps:\n" + GET_USER,
        ["case.yaml:3:9 client: pool 'user-auth' has no client 'confidential' (its clients are web)"],
    ),
    "step client missing": (
        HEAD + "  - call: GetUser\n    client: mobile\n    params: {AccessToken: x}\n",
        [
            "case.yaml:5:13 steps[0].client: pool 'password-only' has no client 'mobile'"
            " (its clients are web or confidential)"
        ],
    ),
    "per-pool expect with an unknown pool": (
        "scenario: T\npools: [password-only, user-auth]\nsteps:\n"
        + GET_USER
        + "    expect:\n      password-only: {error: NotAuthorizedException}\n"
        + "      user-oauth: {error: NotAuthorizedException}\n",
        ["case.yaml:8:7 steps[0].expect.user-oauth: unknown pool 'user-oauth' in expect (did you mean 'user-auth'?)"],
    ),
    "per-pool expect with bad inner expectations": (
        "scenario: T\npools: [password-only, user-auth]\nsteps:\n"
        + GET_USER
        + "    expect:\n      password-only: {error: NotAuthorizedException, foo: 1}\n"
        + "      user-auth: {challenge: SMS_MFAA}\n",
        [
            "case.yaml:7:54 steps[0].expect.password-only.foo: unknown key 'foo'"
            " (expected challenge, error, message, response or tokens)",
            "case.yaml:8:30 steps[0].expect.user-auth.challenge: unknown challenge 'SMS_MFAA'"
            " (did you mean 'SMS_MFA'?)",
        ],
    ),
    "misspelt expectation key": (
        HEAD + GET_USER + "    expect: {chalenge: SMS_MFA}\n",
        ["case.yaml:6:14 steps[0].expect.chalenge: unknown key 'chalenge' (did you mean 'challenge'?)"],
    ),
    "unknown expectation key next to a known one": (
        HEAD + GET_USER + "    expect: {error: NotAuthorizedException, mesage: x}\n",
        ["case.yaml:6:45 steps[0].expect.mesage: unknown key 'mesage' (did you mean 'message'?)"],
    ),
    "expect that is not a mapping": (
        HEAD + GET_USER + "    expect: NotAuthorizedException\n",
        ["case.yaml:6:13 steps[0].expect: expected a mapping, got a string"],
    ),
    "message without error": (
        HEAD + GET_USER + "    expect: {message: x}\n",
        ["case.yaml:6:14 steps[0].expect.message: 'message' needs 'error' as well"],
    ),
    "bad challenge name": (
        HEAD
        + "  - call: InitiateAuth\n    params: {AuthFlow: USER_AUTH}\n    expect: {challenge: NEW_PASSWORD_REQUIRD}\n",
        [
            "case.yaml:6:25 steps[0].expect.challenge: unknown challenge 'NEW_PASSWORD_REQUIRD'"
            " (did you mean 'NEW_PASSWORD_REQUIRED'?)"
        ],
    ),
    "bad error code": (
        HEAD
        + "  - call: InitiateAuth\n    params: {AuthFlow: USER_AUTH}\n    expect: {error: NotAuthorizedExeption}\n",
        [
            "case.yaml:6:21 steps[0].expect.error: unknown error code 'NotAuthorizedExeption'"
            " (did you mean 'NotAuthorizedException'?)"
        ],
    ),
    "challenge and error together": (
        HEAD + GET_USER + "    expect: {challenge: SMS_MFA, error: NotAuthorizedException}\n",
        ["case.yaml:6:14 steps[0].expect.challenge: 'challenge' cannot be expected with 'error'"],
    ),
    "bad tokens value": (
        HEAD + GET_USER + "    expect: {tokens: yes}\n",
        ["case.yaml:6:22 steps[0].expect.tokens: must be one of valid, got true"],
    ),
    "response key typo": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: USER_AUTH}\n    expect: {response: {Sesion: absent}}\n",
        [
            "case.yaml:6:25 steps[0].expect.response.Sesion: InitiateAuth has no response key 'Sesion'"
            " (did you mean 'Session'?)"
        ],
    ),
    "bad message regex": (
        HEAD + GET_USER + "    expect: {error: NotAuthorizedException, message: {regex: '('}}\n",
        [
            "case.yaml:6:62 steps[0].expect.message.regex: invalid regex '(':"
            " missing ), unterminated subpattern at position 0"
        ],
    ),
    "bad response regex": (
        HEAD + GET_USER + "    expect: {response: {Username: {regex: '[a'}}}\n",
        [
            "case.yaml:6:43 steps[0].expect.response.Username.regex: invalid regex '[a':"
            " unterminated character set at position 0"
        ],
    ),
    "expectation that does not apply to the step kind": (
        HEAD + "  - outbox: {to: a@example.com}\n    expect: {challenge: SMS_MFA}\n",
        ["case.yaml:5:14 steps[0].expect.challenge: 'challenge' does not apply to outbox steps"],
    ),
    "bad JMESPath": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: USER_AUTH}\n    save: {s: 'Session['}\n",
        ["case.yaml:6:15 steps[0].save.s: invalid JMESPath 'Session[': the expression ends too early"],
    ),
    "bad JMESPath token": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: USER_AUTH}\n    save: {s: 'a b'}\n",
        ["case.yaml:6:15 steps[0].save.s: invalid JMESPath 'a b': unexpected token: b at character 3"],
    ),
    "saving into a built-in name": (
        HEAD + "  - call: InitiateAuth\n    params: {AuthFlow: USER_AUTH}\n    save: {pool: Session}\n",
        ["case.yaml:6:12 steps[0].save.pool: 'pool' is a built-in name (choose another name)"],
    ),
    "bad template expression": (
        HEAD + "  - call: GetUser\n    params: {AccessToken: '${{ a + b }}'}\n",
        [
            "case.yaml:5:27 steps[0].params.AccessToken: bad template '${{ a + b }}': operator '+' is not allowed"
            " in a template (a template holds names, dotted keys, [constant] subscripts, literals and calls of built-ins)"
        ],
    ),
    "unclosed template": (
        HEAD + "  - call: GetUser\n    params: {AccessToken: '${{ a'}\n",
        [
            "case.yaml:5:27 steps[0].params.AccessToken: bad template '${{ a':"
            " '${{' at character 1 is never closed (end it with '}}')"
        ],
    ),
    "unknown template variable": (
        "scenario: T\nvars: {username: u}\nsteps:\n  - call: AdminGetUser\n    params: {Username: '${{ usernme }}'}\n",
        ["case.yaml:5:24 steps[0].params.Username: unknown variable 'usernme' (did you mean 'username'?)"],
    ),
    "variables used before they are defined": (
        "scenario: T\nvars: {a: '${{ b }}', b: x}\nsteps:\n"
        "  - call: GetUser\n    params: {AccessToken: '${{ tok }}'}\n    save: {tok: x}\n",
        [
            "case.yaml:2:11 vars.a: unknown variable 'b' ('b' is only defined later, by vars)",
            "case.yaml:5:27 steps[0].params.AccessToken: unknown variable 'tok'"
            " ('tok' is only defined later, by steps[0].save)",
        ],
    ),
    "bad variable name": (
        "scenario: T\nvars: {1a: x}\nsteps:\n" + GET_USER,
        [
            "case.yaml:2:8 vars.1a: a variable name is letters, digits and underscores, not starting with a digit,"
            " got '1a'"
        ],
    ),
    "bad tag": (
        "scenario: T\ntags: [User Auth]\nsteps:\n" + GET_USER,
        ["case.yaml:2:8 tags[0]: a tag is lowercase words joined by dashes, e.g. user-auth, got 'User Auth'"],
    ),
    "step without a kind": (
        HEAD + "  - params: {}\n",
        [
            "case.yaml:4:5 steps[0]: a step needs one of the keys amplify, call, clock, http, oauth, outbox, srp, use or steps"
        ],
    ),
    "misspelt step kind": (
        HEAD + "  - cal: GetUser\n",
        ["case.yaml:4:5 steps[0].cal: unknown key 'cal' (did you mean 'call'?)"],
    ),
    "step with two kinds": (
        HEAD + "  - call: GetUser\n    clock: {advance: 5s}\n",
        [
            "case.yaml:5:5 steps[0].clock: a step has exactly one of amplify, call, clock, http, oauth, outbox, srp, use or steps; this one has call and clock"
        ],
    ),
    "step that is not a mapping": (
        HEAD + "  - GetUser\n",
        ["case.yaml:4:5 steps[0]: expected a mapping, got a string"],
    ),
    "bad duration": (
        HEAD + "  - clock: {advance: 5 minutes}\n",
        ["case.yaml:4:22 steps[0].clock.advance: a duration is like 90s, 3m, 1h, 2d, 1h30m, or a number of seconds"],
    ),
    "expect on a clock step": (
        HEAD + "  - clock: {advance: 5s}\n    expect: {error: X}\n",
        ["case.yaml:5:5 steps[0].expect: unknown key 'expect' (did you mean 'repeat'?)"],
    ),
    "unsupported tag": (
        "scenario: !Ref Title\nsteps:\n" + GET_USER,
        ["case.yaml:1:11 scenario: unsupported YAML tag '!Ref'"],
    ),
}


@pytest.mark.parametrize("text,expected", list(CASES.values()), ids=list(CASES))
def test_bad_file_report(issues_of: Callable[[str], list[str]], text: str, expected: list[str]) -> None:
    assert issues_of(text) == expected


def test_every_problem_of_a_file_is_reported_at_once_in_file_order(issues_of: Callable[[str], list[str]]) -> None:
    text = (
        "scenario: T\n"
        "descriptoin: x\n"
        "pools: [password-only]\n"
        "steps:\n"
        "  - call: InitiateAuht\n"
        "  - call: InitiateAuth\n"
        "    params: {AuthFlow: USER_PASWORD_AUTH}\n"
        "    expect: {error: NotAuthorizedExeption}\n"
        "    save: {s: 'Session['}\n"
        "  - clock: {advance: soon}\n"
    )
    assert issues_of(text) == [
        "case.yaml:2:1 descriptoin: unknown key 'descriptoin' (did you mean 'description'?)",
        "case.yaml:5:11 steps[0].call: unknown operation 'InitiateAuht' (did you mean 'InitiateAuth'?)",
        "case.yaml:7:24 steps[1].params.AuthFlow: must be one of USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN,"
        " CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH or USER_AUTH,"
        " got 'USER_PASWORD_AUTH' (did you mean 'USER_PASSWORD_AUTH'?)",
        "case.yaml:8:21 steps[1].expect.error: unknown error code 'NotAuthorizedExeption'"
        " (did you mean 'NotAuthorizedException'?)",
        "case.yaml:9:15 steps[1].save.s: invalid JMESPath 'Session[': the expression ends too early",
        "case.yaml:10:22 steps[2].clock.advance: a duration is like 90s, 3m, 1h, 2d, 1h30m, or a number of seconds",
    ]


def _sparse_file(path: Path, size: int, head: bytes) -> Path:
    """A file of `size` bytes written as its head and a hole: a huge input that costs no disk or time."""
    with path.open("wb") as file:
        file.write(head)
        file.truncate(size)
    return path


@pytest.mark.parametrize("kind", ["scenario", "pool"])
def test_a_file_over_the_limit_is_refused_by_its_size_without_being_read(
    scenario_dir: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    from harness.scenario import loader

    def never(file: Path) -> None:
        raise AssertionError(f"{file} was read")

    monkeypatch.setattr(loader, "read_yaml_file", never)
    size = 50 * 1024 * 1024
    folder = scenario_dir / "pools" if kind == "pool" else scenario_dir
    big = _sparse_file(folder / "big.yaml", size, b"- a\n- b\n")
    with pytest.raises(SpecError) as raised:
        if kind == "pool":
            loader.load_pool(big)
        else:
            loader.load_scenario(big, kinds=STEP_KINDS)
    limit = loader.MAX_SPEC_FILE_BYTES
    assert limit == 1024 * 1024
    assert [str(issue) for issue in raised.value.issues] == [
        f"{big}:1:1 <root>: too large ({size} bytes; the limit is {limit})"
    ]


def test_a_file_at_the_limit_is_still_read(scenario_dir: Path) -> None:
    from harness.scenario import loader

    text = "scenario: T\npools: [password-only]\nsteps:\n" + GET_USER
    padded = text + "#" * (loader.MAX_SPEC_FILE_BYTES - len(text) - 1) + "\n"
    (scenario_dir / "edge.yaml").write_text(padded, encoding="utf-8")
    assert loader.discover(scenario_dir / "edge.yaml", kinds=STEP_KINDS).ok
