"""Fragments, repeats, retries and examples tables as the loader reads them: what they unroll to, and every
problem located at file:line:col (real YAML text written to a scratch library)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.engine.library import discover
from harness.scenario.flow import MAX_STEPS
from harness.scenario.model import Library

POOL = """\
clients:
  - name: web
    ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
"""

USER = """\
fragment: A confirmed user
args:
  username:
  password: {description: the password, default: Correct-Horse-9!}
returns: [sub]
steps:
  - call: AdminCreateUser
    params: {Username: "${{ username }}", MessageAction: SUPPRESS}
    save: {sub: "User.Attributes[?Name=='sub'] | [0].Value"}
  - call: AdminSetUserPassword
    params: {Username: "${{ username }}", Password: "${{ password }}", Permanent: true}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def load(tmp_path: Path, scenario: str, **files: str) -> Library:
    """A library with pools/default.yaml, fragments/user.yaml and the given files (``a__b`` is ``a/b``)."""
    write(tmp_path, {"pools/default.yaml": POOL, "fragments/user.yaml": USER, "s.yaml": scenario})
    write(tmp_path, {name.replace("__", "/") + ".yaml": text for name, text in files.items()})
    return discover(tmp_path)


def issues(library: Library, root: Path) -> list[str]:
    """The library's issues as printed, paths relative to ``root`` (also inside hints)."""
    return [str(issue).replace(f"{root.resolve()}/", "").replace(f"{root}/", "") for issue in library.issues]


def test_a_fragment_unrolls_into_the_scenario_with_its_places(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: uses a fragment
        steps:
          - call: ListUsers
          - use: user
            with: {username: alice}
          - call: AdminGetUser
            params: {Username: alice}
            expect: {response: {UserAttributes: [{Name: sub, Value: "${{ sub }}"}]}}
    """)  # fmt: skip
    assert library.ok, issues(library, tmp_path)
    [scenario] = library.scenarios  # the fragment file is no scenario
    labels = [step.label for step in scenario.steps]
    assert labels == ["call ListUsers", "user: call AdminCreateUser", "user: call AdminSetUserPassword",
                      "call AdminGetUser"]  # fmt: skip
    create = scenario.steps[1]
    assert (create.index, create.line, create.column) == (1, 4, 5)  # the use's place in the scenario
    assert create.source is not None and (create.source.path.name, create.source.line) == ("user.yaml", 7)
    frame = create.frames[0]
    assert frame is scenario.steps[2].frames[0]  # one use, one frame
    assert frame.args == {"username": "alice"} and frame.defaults == {"password": "Correct-Horse-9!"}
    assert frame.returns == {"sub": "sub"}
    assert scenario.steps[0].frames == () and scenario.steps[3].frames == ()


def test_save_on_a_use_renames_what_it_returns(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: two users
        steps:
          - {use: user, with: {username: alice}, save: {alice_sub: sub}}
          - {use: user, with: {username: bob}, save: {bob_sub: sub}}
          - call: AdminGetUser
            params: {Username: "${{ alice_sub }}${{ bob_sub }}"}
    """)  # fmt: skip
    assert library.ok, issues(library, tmp_path)
    [scenario] = library.scenarios
    assert scenario.steps[0].frames[0] is not scenario.steps[2].frames[0]
    assert scenario.steps[2].frames[0].returns == {"bob_sub": "sub"}


def test_fragment_problems_are_located_at_the_use_and_in_the_fragment(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: bad uses
        steps:
          - use: usr
          - use: user
            with: {usernme: alice}
          - use: user
            with: {username: alice}
            save: {x: subb}
    """)  # fmt: skip
    assert issues(library, tmp_path) == [
        "s.yaml:3:10 steps[0].use: unknown fragment 'usr' (did you mean 'user'?)",
        "s.yaml:5:11 steps[1].with: fragment 'user' needs the argument 'username' (declared at "
        "fragments/user.yaml:3:3)",
        "s.yaml:5:12 steps[1].with.usernme: fragment 'user' has no argument 'usernme' (did you mean 'username'?)",
        "s.yaml:8:15 steps[2].save.x: fragment 'user' returns no 'subb' (did you mean 'sub'?)",
    ]


def test_an_unknown_argument_names_the_declared_ones_and_where(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: bad argument
        steps:
          - use: user
            with: {username: a, colour: blue}
    """)  # fmt: skip
    [issue] = issues(library, tmp_path)
    assert issue == (
        "s.yaml:4:25 steps[0].with.colour: fragment 'user' has no argument 'colour' (it takes username or "
        "password, declared at fragments/user.yaml:2:1)"
    )


def test_problems_inside_a_fragment_are_reported_in_its_file_and_at_the_use(tmp_path: Path) -> None:
    library = load(
        tmp_path,
        "scenario: x\nsteps:\n  - use: broken\n",
        fragments__broken="""\
            fragment: broken
            args: {name: }
            returns: [nothing]
            steps:
              - call: AdminCreateUsr
                params: {Username: "${{ nme }}"}
        """,
    )  # fmt: skip
    assert issues(library, tmp_path) == [
        "fragments/broken.yaml:3:11 returns[0]: 'nothing' is neither an argument nor saved by a step",
        "fragments/broken.yaml:5:11 steps[0].call: unknown operation 'AdminCreateUsr' (did you mean 'AdminCreateUser'?)",
        "fragments/broken.yaml:6:24 steps[0].params.Username: unknown variable 'nme' (did you mean 'name'?)",
        "s.yaml:3:10 steps[0].use: fragment 'broken' needs the argument 'name' (declared at fragments/broken.yaml:2:8)",
        "s.yaml:3:10 steps[0].use: fragment 'broken' has 3 problems (see fragments/broken.yaml)",
    ]


def test_a_fragment_sees_only_its_arguments_not_the_callers_variables(tmp_path: Path) -> None:
    library = load(
        tmp_path,
        "scenario: x\nvars: {secret: s}\nsteps:\n  - use: peek\n",
        fragments__peek="""\
            fragment: reads a caller's variable
            steps:
              - call: ListUsers
                params: {Filter: "${{ secret }}"}
        """,
    )  # fmt: skip
    assert issues(library, tmp_path) == [
        "fragments/peek.yaml:4:22 steps[0].params.Filter: unknown variable 'secret'",
        "s.yaml:4:10 steps[0].use: fragment 'peek' has 1 problem (see fragments/peek.yaml)",
    ]


def test_recursion_between_fragments_is_refused(tmp_path: Path) -> None:
    library = load(
        tmp_path,
        "scenario: x\nsteps:\n  - use: ping\n",
        fragments__ping="fragment: ping\nsteps:\n  - use: pong\n",
        fragments__pong="fragment: pong\nsteps:\n  - {call: ListUsers}\n  - use: ping\n",
    )
    found = issues(library, tmp_path)
    assert (
        "fragments/pong.yaml:4:10 steps[1].use: fragment 'ping' uses itself: ping -> pong -> ping (a fragment cannot)"
        in found
    )
    assert any(line.startswith("s.yaml:3:10 steps[0].use: fragment 'ping' has") for line in found)


def test_a_fragment_file_that_does_not_load_is_reported_even_unused(tmp_path: Path) -> None:
    library = load(
        tmp_path,
        "scenario: x\nsteps:\n  - use: user\n    with: {username: a}\n",
        fragments__typo="fragment: t\nstepz: []\n",
    )
    assert issues(library, tmp_path) == [
        "fragments/typo.yaml:1:1 <root>: missing required key 'steps'",
        "fragments/typo.yaml:2:1 stepz: unknown key 'stepz' (did you mean 'steps'?)",
    ]


def test_the_nearest_fragment_wins_and_the_search_stops_at_the_library_root(tmp_path: Path) -> None:
    library_root = tmp_path / "lib"
    write(tmp_path, {"fragments/outside.yaml": "fragment: outside the library\nsteps:\n  - call: ListUsers\n"})
    write(library_root, {
        "sub/fragments/user.yaml": "fragment: the sub-folder's own\nsteps:\n  - call: ListUserPools\n    params: {MaxResults: 1}\n",
        "sub/a.yaml": "scenario: x\nsteps:\n  - use: user\n",
        "sub/b.yaml": "scenario: y\nsteps:\n  - use: outside\n",
    })  # fmt: skip
    library = load(library_root, "scenario: z\nsteps:\n  - {use: user, with: {username: a}}\n")
    by_id = {s.id: s for s in library.scenarios}
    assert [step.label for step in by_id["a"].steps] == ["user: call ListUserPools"]
    assert by_id["s"].steps[0].label == "user: call AdminCreateUser"
    [issue] = issues(library, library_root)
    assert issue.startswith(
        "sub/b.yaml:3:10 steps[0].use: unknown fragment 'outside' (a fragment is fragments/outside.yaml; looked in "
    )


def test_repeat_unrolls_a_step_and_a_group_with_the_turn_as_a_value(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: repeats
        steps:
          - call: AdminCreateUser
            repeat: 3
            params: {Username: "user-${{ repeat.number }}", MessageAction: SUPPRESS}
          - name: twice
            repeat: 2
            steps:
              - call: ListUsers
                params: {Limit: "${{ repeat.count }}"}
          - use: user
            repeat: 2
            with: {username: "u${{ repeat.index }}"}
    """)  # fmt: skip
    assert library.ok, issues(library, tmp_path)
    [scenario] = library.scenarios
    assert [s.label for s in scenario.steps] == [
        "call AdminCreateUser (1/3)", "call AdminCreateUser (2/3)", "call AdminCreateUser (3/3)",
        "twice (1/2): call ListUsers", "twice (2/2): call ListUsers",
        "user (1/2): call AdminCreateUser", "user (1/2): call AdminSetUserPassword",
        "user (2/2): call AdminCreateUser", "user (2/2): call AdminSetUserPassword",
    ]  # fmt: skip
    assert [s.bindings["repeat"]["number"] for s in scenario.steps[:3]] == [1, 2, 3]
    assert scenario.steps[4].bindings == {"repeat": {"index": 1, "number": 2, "count": 2}}
    first, second = scenario.steps[5].frames[0], scenario.steps[7].frames[0]
    assert first is not second and second.bindings["repeat"]["index"] == 1
    assert scenario.steps[5].bindings == {}  # the fragment's own steps do not see the caller's repeat


def test_repeat_problems(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: bad repeats
        vars: {repeat: 1}
        examples: [{name: row, vars: {repeat: 2}}]
        steps:
          - call: ListUsers
            repeat: 0
          - call: ListUsers
            params: {Filter: "${{ repeat.index }}"}
          - steps: [{call: ListUsers}]
          - call: ListUsers
            save: {repeat: Users}
    """)  # fmt: skip
    assert issues(library, tmp_path) == [
        "s.yaml:2:8 vars.repeat: 'repeat' is reserved for the repeat index (choose another name)",
        "s.yaml:3:31 examples[0].vars.repeat: 'repeat' is reserved for the repeat index (choose another name)",
        "s.yaml:6:13 steps[0].repeat: must be at least 1, got 0",
        "s.yaml:9:5 steps[2]: missing required key 'repeat'",
        "s.yaml:11:12 steps[3].save.repeat: 'repeat' is reserved for the repeat index (choose another name)",
    ]


def test_a_scenario_may_not_unroll_past_the_limit(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: too many
        steps:
          - repeat: 100
            steps:
              - {call: ListUsers, repeat: 100}
    """)  # fmt: skip
    assert issues(library, tmp_path) == [
        f"s.yaml:3:3 steps: the steps unroll to 10000 or more; the limit is {MAX_STEPS}"
    ]
    outside = load(tmp_path, 'scenario: x\nsteps:\n  - call: ListUsers\n    params: {Filter: "${{ repeat.index }}"}\n')
    assert issues(outside, tmp_path) == ["s.yaml:4:22 steps[0].params.Filter: unknown variable 'repeat'"]


def test_retry_is_checked_like_an_expectation(tmp_path: Path) -> None:
    library = load(tmp_path, """\
        scenario: retries
        steps:
          - call: ListUsers
            retry: {until: {response: {Users: [{Username: alice}]}}, every: 2s, for: 30s}
          - call: ListUsers
            retry: {until: {error: NoSuchException}, every: 0, for: 1m}
          - clock: {advance: 1s}
            retry: {for: 1s}
          - call: ListUsers
            retry: {every: 1s}
          - call: ListUsers
            retry: {until: {response: {Userz: []}}, for: 1m}
    """)  # fmt: skip
    assert issues(library, tmp_path) == [
        "s.yaml:6:28 steps[1].retry.until.error: unknown error code 'NoSuchException' (did you mean "
        "'CodeMismatchException'?)",
        "s.yaml:6:53 steps[1].retry.every: retry.every must be more than 0",
        "s.yaml:8:5 steps[2].retry: unknown key 'retry' (expected clock, name or repeat)",
        "s.yaml:10:12 steps[3].retry: missing required key 'for'",
        "s.yaml:12:32 steps[4].retry.until.response.Userz: ListUsers has no response key 'Userz' (did you mean "
        "'Users'?)",
    ]
    ok = load(
        tmp_path, "scenario: x\nsteps:\n  - call: ListUsers\n    retry: {until: {response: {Users: []}}, for: 30s}\n"
    )
    [step] = ok.scenarios[0].steps
    assert step.retry is not None and (step.retry.every_s, step.retry.for_s) == (1.0, 30.0)
    assert step.retry.until is not None and step.retry.until.response == {"Users": []}


def test_examples_rows_and_their_problems(tmp_path: Path) -> None:
    good = load(tmp_path, """\
        scenario: a table
        examples:
          - {name: first-row, vars: {who: alice, n: 1}, tags: [extra]}
          - {name: second-row, vars: {who: bob, n: "${{ unique('x') }}"}}
        vars:
          email: ${{ who }}@example.com
        steps:
          - call: ListUsers
            params: {Filter: "${{ email }}"}
    """)  # fmt: skip
    assert good.ok, issues(good, tmp_path)
    [scenario] = good.scenarios
    assert [(row.name, row.vars["who"], row.tags) for row in scenario.examples] == [
        ("first-row", "alice", ("extra",)),
        ("second-row", "bob", ()),
    ]
    bad = load(tmp_path, """\
        scenario: a bad table
        examples:
          - {name: one, vars: {who: alice, n: 1}}
          - {name: one, vars: {who: bob, m: 2}}
          - {name: Three, vars: {who: "${{ later }}", n: 3}}
        vars:
          who: x
          later: y
        steps:
          - call: ListUsers
    """)  # fmt: skip
    assert issues(bad, tmp_path) == [
        "s.yaml:4:12 examples[1].name: row name 'one' is used by an earlier row",
        "s.yaml:4:23 examples[1].vars: this row does not set n (every row sets the variables the first row sets)",
        "s.yaml:4:34 examples[1].vars.m: 'm' is not set by the first row (every row sets the same variables)",
        "s.yaml:5:12 examples[2].name: a row name is lowercase words joined by dashes, e.g. wrong-password, got 'Three'",
        "s.yaml:5:31 examples[2].vars.who: unknown variable 'later'",
        "s.yaml:7:3 vars.who: 'who' is set by every examples row too",
    ]


@pytest.mark.parametrize("folder", ["fragments", "fragments/user.yaml"])
def test_a_fragment_folder_or_file_is_never_a_scenario(tmp_path: Path, folder: str) -> None:
    load(tmp_path, "scenario: x\nsteps:\n  - {use: user, with: {username: a}}\n")
    library = discover(tmp_path / folder)
    assert library.scenarios == () and library.ok


def test_the_committed_fragment_schema_is_the_generated_one() -> None:
    """Editors read schemas/fragment.schema.json; `authflow schema --write` regenerates it."""
    from harness.scenario.schemas import SCHEMA_DIR, render_fragment_schema
    from harness.steps import STEP_KINDS

    assert render_fragment_schema(STEP_KINDS) == (SCHEMA_DIR / "fragment.schema.json").read_text(encoding="utf-8")


def test_a_fragment_argument_may_not_take_a_reserved_name(tmp_path: Path) -> None:
    library = load(
        tmp_path,
        "scenario: x\nsteps:\n  - {use: odd, with: {pool: a, repeat: b}}\n",
        fragments__odd="fragment: odd\nargs: {pool: , repeat: }\nsteps:\n  - call: ListUsers\n",
    )
    assert issues(library, tmp_path)[:2] == [
        "fragments/odd.yaml:2:8 args.pool: 'pool' is a built-in name (choose another name)",
        "fragments/odd.yaml:2:16 args.repeat: 'repeat' is reserved for the repeat index (choose another name)",
    ]
