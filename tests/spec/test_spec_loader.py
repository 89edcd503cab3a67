"""Loading good files into the model, discovering a library, and never failing with anything but SpecError."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from harness.engine.library import discover, load_scenario
from harness.scenario import Expectation, SpecError
from harness.scenario.loader import PoolIndex

GOOD = """\
# yaml-language-server: $schema=../schemas/scenario.schema.json
scenario: A challenge session can only be used once
description: Replaying a consumed Session fails.
symptom: NotAuthorizedException
cause: Each answer consumes its Session.
fix: Answer with the latest Session.
refs: [https://github.com/aws-amplify/amplify-js/issues/14330]
tags: [session, new-password]
pools: [password-only, user-auth]
client: web
x-user: &user {USERNAME: "${{ username }}"}
vars:
  username: ${{ unique("user") }}
  password: Correct-Horse-9!
  email: ${{ username }}@example.com
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", TemporaryPassword: "${{ password }}", MessageAction: SUPPRESS}
  - call: InitiateAuth
    params:
      AuthFlow: USER_PASSWORD_AUTH
      AuthParameters: {<<: *user, PASSWORD: "${{ password }}"}
    expect:
      challenge: NEW_PASSWORD_REQUIRED
      response: {ChallengeParameters: {USER_ID_FOR_SRP: present}, Session: {regex: "^.+$"}}
    save: {first_session: Session}
  - clock: {advance: 3m1s}
  - name: answer with an expired session
    call: RespondToAuthChallenge
    client: web
    params:
      ChallengeName: NEW_PASSWORD_REQUIRED
      Session: ${{ first_session }}
      ChallengeResponses: {USERNAME: "${{ username }}", NEW_PASSWORD: Another-Horse-9!}
    expect:
      password-only: {error: NotAuthorizedException, message: "Invalid session for the user, session is expired."}
      default: {error: NotAuthorizedException, message: {regex: session}}
  - outbox: {to: "${{ email }}"}
    expect: {response: {Count: 0}}
    save: {count: Count}
"""


def test_good_scenario_builds_the_model(scenario_dir: Path, pools: PoolIndex) -> None:
    file = scenario_dir / "session-reuse.yaml"
    file.write_text(GOOD)
    scenario = load_scenario(file, pools)

    assert scenario.id == "session-reuse"
    assert scenario.path == file
    assert scenario.title == "A challenge session can only be used once"
    assert (scenario.symptom, scenario.cause, scenario.fix) == (
        "NotAuthorizedException",
        "Each answer consumes its Session.",
        "Answer with the latest Session.",
    )
    assert scenario.refs == ("https://github.com/aws-amplify/amplify-js/issues/14330",)
    assert scenario.tags == ("session", "new-password")
    assert scenario.pools == ("password-only", "user-auth")
    assert scenario.client == "web"
    assert list(scenario.vars) == ["username", "password", "email"]
    assert scenario.vars["email"] == "${{ username }}@example.com"

    create, initiate, clock, respond, outbox = scenario.steps
    assert (create.index, create.line, create.column, create.kind) == (0, 17, 5, "call")
    assert create.label == "call AdminCreateUser"
    assert create.operation == "AdminCreateUser"
    assert create.expect == Expectation()
    assert create.expectation_for("user-auth") == Expectation()

    assert initiate.params["AuthParameters"] == {"USERNAME": "${{ username }}", "PASSWORD": "${{ password }}"}
    assert initiate.expect.challenge == "NEW_PASSWORD_REQUIRED"
    assert initiate.expect.response == {
        "ChallengeParameters": {"USER_ID_FOR_SRP": "present"},
        "Session": {"regex": "^.+$"},
    }
    assert initiate.save == {"first_session": "Session"}

    assert (clock.kind, clock.label, clock.params["advance_s"]) == ("clock", "clock advance 3m1s", 181.0)

    assert respond.label == "answer with an expired session"
    assert respond.client == "web"
    assert respond.line == 28
    expired = "Invalid session for the user, session is expired."
    assert respond.expectation_for("password-only") == Expectation(error="NotAuthorizedException", message=expired)
    fallback = respond.expectation_for("user-auth")
    assert fallback.error == "NotAuthorizedException"
    assert isinstance(fallback.message, re.Pattern) and fallback.message.pattern == "session"
    assert respond.expect == fallback
    assert set(respond.expect_by_pool) == {"password-only", "default"}
    assert respond.expect_by_pool["default"] == fallback

    assert (outbox.kind, outbox.params["to"], outbox.label) == ("outbox", "${{ email }}", "outbox to ${{ email }}")
    assert outbox.expect.response == {"Count": 0}
    assert outbox.save == {"count": "Count"}


def test_per_pool_expect_without_default_means_success_elsewhere(scenario_dir: Path, pools: PoolIndex) -> None:
    file = scenario_dir / "per-pool.yaml"
    file.write_text(
        "scenario: T\npools: [password-only, user-auth]\nsteps:\n"
        "  - call: GetUser\n    params: {AccessToken: x}\n"
        "    expect: {user-auth: {error: NotAuthorizedException}}\n"
    )
    (step,) = load_scenario(file, pools).steps
    assert step.expectation_for("user-auth") == Expectation(error="NotAuthorizedException")
    assert step.expectation_for("password-only") == Expectation()


def test_defaults_of_a_minimal_scenario(scenario_dir: Path) -> None:
    file = scenario_dir / "minimal.yaml"
    file.write_text("scenario: T\nsteps:\n  - clock: {advance: 90}\n")
    scenario = load_scenario(file)  # no pool index: pool references are not checked
    assert scenario.pools == ("default",)
    assert scenario.client is None
    assert scenario.vars == {}
    assert (scenario.description, scenario.refs, scenario.tags) == ("", (), ())
    assert scenario.steps[0].params["advance_s"] == 90.0


def test_discover_loads_scenarios_and_pools_and_collects_issues(scenario_dir: Path) -> None:
    (scenario_dir / "good.yaml").write_text(GOOD)
    (scenario_dir / "nested").mkdir()
    (scenario_dir / "nested" / "bad.yaml").write_text("scenario: T\npools: [nope]\nsteps:\n  - clock: {advance: 1s}\n")
    (scenario_dir / "nested" / "also-good.yml").write_text("scenario: T\nsteps:\n  - clock: {advance: 1s}\n")
    library = discover(scenario_dir)

    assert [s.id for s in library.scenarios] == ["good", "also-good"]
    assert sorted(library.pools) == ["default", "password-only", "user-auth"]
    assert [p.name for p in library.pools_for(library.scenarios[0])] == ["password-only", "user-auth"]
    assert not library.ok
    assert [str(i).replace(f"{scenario_dir}/", "") for i in library.issues] == [
        "nested/bad.yaml:2:9 pools[0]: unknown pool 'nope' (known pools: default, password-only or user-auth)"
    ]


def test_discover_one_file_finds_the_nearest_pools_folder(scenario_dir: Path) -> None:
    deep = scenario_dir / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "s.yaml").write_text("scenario: T\npools: [user-auth]\nsteps:\n  - clock: {advance: 1s}\n")
    library = discover(deep / "s.yaml")
    assert library.ok, library.issues
    assert [s.id for s in library.scenarios] == ["s"]
    assert "user-auth" in library.pools


def test_discover_reports_broken_pools_once_and_not_as_unknown(scenario_dir: Path) -> None:
    (scenario_dir / "pools" / "broken.yaml").write_text("clients: []\n")
    (scenario_dir / "uses-broken.yaml").write_text("scenario: T\npools: [broken]\nsteps:\n  - clock: {advance: 1s}\n")
    library = discover(scenario_dir)
    assert [str(i).replace(f"{scenario_dir}/", "") for i in library.issues] == [
        "pools/broken.yaml:1:10 clients: must not be empty"
    ]
    assert [s.id for s in library.scenarios] == ["uses-broken"]


def test_duplicate_scenario_ids_are_reported(scenario_dir: Path) -> None:
    (scenario_dir / "a").mkdir()
    (scenario_dir / "b").mkdir()
    for sub in ("a", "b"):
        (scenario_dir / sub / "same.yaml").write_text("scenario: T\nsteps:\n  - clock: {advance: 1s}\n")
    library = discover(scenario_dir)
    assert len(library.scenarios) == 1
    (issue,) = library.issues
    assert issue.message == f"scenario id 'same' is also used by {scenario_dir / 'a' / 'same.yaml'}"


def test_a_missing_folder_is_an_issue_not_an_exception(tmp_path: Path) -> None:
    library = discover(tmp_path / "nowhere")
    assert [i.message for i in library.issues] == ["no such file or folder"]


def test_unreadable_and_non_utf8_files_raise_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read the file"):
        load_scenario(tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"scenario: caf\xe9\n")
    with pytest.raises(SpecError) as caught:
        load_scenario(bad)
    assert str(caught.value) == f"{bad}:1:14 <root>: the file is not UTF-8 text"


# --- robustness -----------------------------------------------------------------------------------------


def _mangled_variants() -> list[str]:
    lines = GOOD.splitlines(keepends=True)
    variants: list[str] = []
    replacements = ["[]", "{}", "null", "42", "true", "'${{'", "{{ x }}", "*nope", "&a [*a]", "2024-01-01",
                    "'${{ a.__class__ }}'", "{regex: '('}", "{one_of: 5}", "!!int abc", "!!binary '@@'",
                    "!!python/object:os.system x", "!foo x", "- x", "'${{ f(**k) }}'", "{equals: [1]}"]  # fmt: skip
    for i, line in enumerate(lines):
        variants.append("".join(lines[:i] + lines[i + 1 :]))  # a line dropped
        variants.append("".join(lines[:i]))  # truncated
        if ":" in line:
            key = line.split(":", 1)[0]
            for replacement in replacements[i % 4 :: 4]:
                variants.append("".join([*lines[:i], f"{key}: {replacement}\n", *lines[i + 1 :]]))
    rng = random.Random(20241122)
    for _ in range(200):
        chars = list(GOOD)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(chars))
            char = rng.choice(list(":-[]{}'\"&*!|>%@` \t\n#?,$x0"))
            if rng.random() < 0.5:
                chars.insert(pos, char)
            else:
                chars[pos] = char
        variants.append("".join(chars))
    return variants


def test_mangled_files_raise_only_spec_error(scenario_dir: Path, pools: PoolIndex) -> None:
    variants = _mangled_variants()
    assert len(variants) > 100
    file = scenario_dir / "mangled.yaml"
    failures = 0
    for text in variants:
        file.write_text(text)
        try:
            load_scenario(file, pools)
        except SpecError as exc:
            failures += 1
            assert exc.issues
            for issue in exc.issues:
                assert issue.line >= 1 and issue.col >= 1
                assert str(issue).startswith(f"{file}:{issue.line}:{issue.col} ")
    assert failures > len(variants) // 2
