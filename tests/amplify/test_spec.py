"""amplify steps at load time: the API name, the input's keys and types, expectable error names, response keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.clients.amplify.apis import API_NAMES, INPUTS, OUTPUTS
from harness.clients.amplify.client import APIS
from harness.engine.library import load_scenario
from harness.scenario import SpecError
from harness.scenario.loader import load_pool

REPO = Path(__file__).resolve().parents[2]
HEAD = "scenario: T\npools: [password-only]\nvars: {username: ada}\nsteps:\n"


def issues(tmp_path: Path, steps: str) -> list[str]:
    pools = {name: load_pool(REPO / "scenarios" / "pools" / f"{name}.yaml") for name in ("password-only",)}
    file = tmp_path / "case.yaml"
    file.write_text(HEAD + steps, encoding="utf-8")
    try:
        load_scenario(file, pools)
    except SpecError as exc:
        return [str(issue).replace(f"{tmp_path}/", "") for issue in exc.issues]
    return []


CASES = {
    "unknown API": (
        "  - amplify: signin\n",
        ["case.yaml:5:14 steps[0].amplify: unknown Amplify API 'signin' (did you mean 'signIn'?)"],
    ),
    "unknown input key": (
        "  - amplify: signIn\n    input: {username: ada, pasword: x}\n",
        ["case.yaml:6:28 steps[0].input.pasword: signIn has no input 'pasword' (did you mean 'password'?)"],
    ),
    "bad authFlowType": (
        "  - amplify: signIn\n    input: {username: ada, options: {authFlowType: CUSTOM_WITHOUT_SPR}}\n",
        [
            "case.yaml:6:52 steps[0].input.options.authFlowType: must be one of USER_SRP_AUTH, USER_PASSWORD_AUTH,"
            " CUSTOM_WITH_SRP, CUSTOM_WITHOUT_SRP or USER_AUTH, got 'CUSTOM_WITHOUT_SPR'"
            " (did you mean 'CUSTOM_WITHOUT_SRP'?)"
        ],
    ),
    "autoSignIn neither boolean nor options": (
        "  - amplify: signUp\n    input: {username: ada, options: {autoSignIn: yes please}}\n",
        ["case.yaml:6:50 steps[0].input.options.autoSignIn: expected true, false or sign-in options, got a string"],
    ),
    "autoSignIn options checked": (
        "  - amplify: signUp\n    input: {username: ada, options: {autoSignIn: {authFlowType: USER_AUT}}}\n",
        [
            "case.yaml:6:65 steps[0].input.options.autoSignIn.authFlowType: must be one of USER_SRP_AUTH,"
            " USER_PASSWORD_AUTH, CUSTOM_WITH_SRP, CUSTOM_WITHOUT_SRP or USER_AUTH, got 'USER_AUT'"
            " (did you mean 'USER_AUTH'?)"
        ],
    ),
    "a number where Amplify takes a string": (
        "  - amplify: confirmSignIn\n    input: {challengeResponse: 4242}\n",
        ["case.yaml:6:32 steps[0].input.challengeResponse: expected a string, got an integer"],
    ),
    "unknown variable in the input": (
        '  - amplify: signIn\n    input: {username: "${{ usernme }}"}\n',
        ["case.yaml:6:23 steps[0].input.username: unknown variable 'usernme' (did you mean 'username'?)"],
    ),
    "misspelt Amplify error": (
        "  - amplify: signIn\n    input: {username: ada}\n    expect: {error: EmptySignInPasword}\n",
        [
            "case.yaml:7:21 steps[0].expect.error: unknown error code 'EmptySignInPasword'"
            " (did you mean 'EmptySignInPassword'?)"
        ],
    ),
    "unknown response key": (
        "  - amplify: signIn\n    input: {username: ada}\n    expect: {response: {isSignIn: false}}\n",
        [
            "case.yaml:7:25 steps[0].expect.response.isSignIn: signIn has no response key 'isSignIn'"
            " (did you mean 'isSignedIn'?)"
        ],
    ),
    "nested response key": (
        "  - amplify: signIn\n    input: {username: ada}\n    expect: {response: {nextStep: {singInStep: DONE}}}\n",
        [
            "case.yaml:7:36 steps[0].expect.response.nextStep.singInStep: signIn has no response key 'singInStep'"
            " (did you mean 'signInStep'?)"
        ],
    ),
    "challenge does not apply": (
        "  - amplify: signIn\n    input: {username: ada}\n    expect: {challenge: CUSTOM_CHALLENGE}\n",
        ["case.yaml:7:14 steps[0].expect.challenge: 'challenge' does not apply to amplify steps"],
    ),
    "unknown step key": (
        "  - amplify: signIn\n    params: {username: ada}\n",
        [
            "case.yaml:6:5 steps[0].params: unknown key 'params' (expected amplify, input, name, client, expect, save, repeat or retry)"
        ],
    ),
}


@pytest.mark.parametrize(("steps", "expected"), CASES.values(), ids=CASES.keys())
def test_load_time_problem(tmp_path: Path, steps: str, expected: list[str]) -> None:
    assert issues(tmp_path, steps) == expected


def test_a_good_amplify_step_loads_into_a_step(tmp_path: Path) -> None:
    steps = (
        "  - amplify: signIn\n"
        '    input: {username: "${{ username }}", options: {authFlowType: "${{ username }}"}}\n'
        "    expect: {error: EmptySignInPassword, message: password is required to signIn}\n"
        "  - amplify: signUp\n"
        "    input: {username: ada, options: {autoSignIn: {authFlowType: USER_AUTH}, userAttributes: {email: a@b.c}}}\n"
        "  - amplify: fetchAuthSession\n"
        "    expect: {response: {tokens: {accessToken: {payload: {sub: present}}}}}\n"
        "    save: {sub: userSub}\n"
        "  - amplify: confirmSignIn\n"
        "    input: {challengeResponse: x}\n"
        "    expect: {error: NotAuthorizedException}\n"
    )
    assert issues(tmp_path, steps) == []
    scenario = load_scenario(
        tmp_path / "case.yaml", {"password-only": load_pool(REPO / "scenarios" / "pools" / "password-only.yaml")}
    )
    step = scenario.steps[0]
    assert (step.kind, step.operation, step.label) == ("amplify", "signIn", "amplify signIn")
    assert step.params == {"username": "${{ username }}", "options": {"authFlowType": "${{ username }}"}}
    assert step.expect.error == "EmptySignInPassword"


def test_every_api_has_an_input_spec_an_output_spec_and_an_implementation() -> None:
    assert set(INPUTS) == set(OUTPUTS) == set(APIS) == set(API_NAMES)
