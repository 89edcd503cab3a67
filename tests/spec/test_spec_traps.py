"""Small traps a team meets writing its own suite, each reported once, where it is, with the way out."""

from __future__ import annotations

from collections.abc import Callable

from harness.scenario.template import BUILTIN_FUNCTIONS

HEAD = "scenario: T\npools: [password-only]\nsteps:\n"


def test_a_quoted_jinja_style_template_is_reported_with_the_template_syntax(
    issues_of: Callable[[str], list[str]],
) -> None:
    text = HEAD + '  - call: GetUser\n    params: {AccessToken: "Bearer {{ token }}"}\n'
    assert issues_of(text) == [
        "case.yaml:5:27 steps[0].params.AccessToken: '{{ token }}' would be sent as text, not evaluated"
        " (templates are written ${{ token }}; to send the braces as text write ${{ '{{ token }}' }})"
    ]


def test_jinja_braces_can_still_be_sent_as_text_and_escapes_are_not_jinja(
    issues_of: Callable[[str], list[str]],
) -> None:
    text = HEAD + "  - call: GetUser\n    params: {AccessToken: \"${{ '{{ token }}' }} and $${{ not }}\"}\n"
    assert issues_of(text) == []


def test_an_unknown_function_is_called_a_function_and_the_functions_are_listed(
    issues_of: Callable[[str], list[str]],
) -> None:
    [issue] = issues_of(HEAD + '  - call: GetUser\n    params: {AccessToken: "${{ nosuchfn(1) }}"}\n')
    assert "steps[0].params.AccessToken: unknown function 'nosuchfn' (the functions are " in issue
    assert all(name in issue for name in BUILTIN_FUNCTIONS)
    [typo] = issues_of(HEAD + "  - call: GetUser\n    params: {AccessToken: \"${{ uniqe('u') }}\"}\n")
    assert typo.endswith("unknown function 'uniqe' (did you mean 'unique'?)")


def test_a_built_in_called_with_the_wrong_arguments_is_reported_when_the_file_loads(
    issues_of: Callable[[str], list[str]],
) -> None:
    """Before, `outbox_link()` loaded and broke the step with Python's TypeError when it ran."""
    text = (
        'scenario: T\npools: [password-only]\nvars:\n  name: ${{ unique("a", "b") }}\nsteps:\n'
        '  - call: ConfirmSignUp\n    params: {Username: "${{ name }}", ConfirmationCode: "${{ outbox_link() }}"}\n'
        '  - call: GetUser\n    params: {AccessToken: "${{ sensitive(name, deep=1) }}${{ sensitive(name, nested=True) }}"}\n'
    )
    assert issues_of(text) == [
        "case.yaml:4:9 vars.name: unique(): too many positional arguments (call it as unique([prefix]))",
        "case.yaml:7:57 steps[0].params.ConfirmationCode: outbox_link(): missing a required argument: "
        "'destination' (call it as outbox_link(destination))",
        "case.yaml:9:27 steps[1].params.AccessToken: sensitive(): got an unexpected keyword argument 'deep' "
        "(call it as sensitive(value, *, nested=...))",
    ]


def test_the_parameters_the_loader_checks_are_the_built_ins_own() -> None:
    """OWN_FUNCTION_PARAMETERS (the scenario layer) against the functions the runner calls (harness/steps)."""
    import inspect
    from types import SimpleNamespace

    from harness.clients.passkey import SoftwareAuthenticator
    from harness.scenario.template import OWN_FUNCTION_PARAMETERS
    from harness.steps.builtins import builtins_for

    host = SimpleNamespace(run_id="r", client=None, backend=None, pool=None, authenticator=SoftwareAuthenticator())
    functions = {name: made for name, made in builtins_for(host).items() if name in OWN_FUNCTION_PARAMETERS}
    assert sorted(functions) == sorted(OWN_FUNCTION_PARAMETERS)

    def shape(signature: inspect.Signature) -> list[tuple[str, object, bool]]:
        return [(p.name, p.kind, p.default is p.empty) for p in signature.parameters.values()]

    for name, made in functions.items():
        assert shape(inspect.signature(made.function)) == shape(OWN_FUNCTION_PARAMETERS[name]), name


def test_a_variable_is_not_callable_and_a_function_is_not_a_value(issues_of: Callable[[str], list[str]]) -> None:
    text = (
        "scenario: T\npools: [password-only]\nvars:\n  token: abc\nsteps:\n"
        '  - call: GetUser\n    params: {AccessToken: "${{ token() }}${{ unique }}"}\n'
    )
    assert issues_of(text) == [
        "case.yaml:7:27 steps[0].params.AccessToken: 'token' is a variable, not a function (only functions can be called)",
        "case.yaml:7:27 steps[0].params.AccessToken: 'unique' is a function, not a value (call it: unique(...))",
    ]


def test_a_misspelt_pool_is_reported_once_at_its_name(issues_of: Callable[[str], list[str]]) -> None:
    text = (
        "scenario: T\npools: [pasword-only, user-auth]\nsteps:\n"
        "  - call: GetUser\n    params: {AccessToken: x}\n"
        "    expect: {password-only: {error: NotAuthorizedException}, user-auth: {error: NotAuthorizedException}}\n"
        "  - call: GetUser\n    params: {AccessToken: x}\n"
        "    expect: {password-only: {error: NotAuthorizedException}, default: {}}\n"
    )
    assert issues_of(text) == ["case.yaml:2:9 pools[0]: unknown pool 'pasword-only' (did you mean 'password-only'?)"]


def test_secrets_name_variables_of_the_scenario(issues_of: Callable[[str], list[str]]) -> None:
    text = (
        "scenario: T\npools: [password-only]\nsecrets: [api_key, sesion, later]\nvars:\n  api_key: k\n"
        "steps:\n  - call: GetUser\n    params: {AccessToken: x}\n    save: {session: Username, later: Username}\n"
    )
    assert issues_of(text) == [
        "case.yaml:3:20 secrets[1]: 'sesion' is not a variable of this scenario (did you mean 'session'?)"
    ]
    bad = "scenario: T\npools: [password-only]\nsecrets: [x, '1x']\nsteps:\n  - call: GetUser\n    params: {AccessToken: x}\n"
    assert issues_of(bad) == [
        "case.yaml:3:11 secrets[0]: 'x' is not a variable of this scenario"
        " (name a vars entry or a save, or wrap a value in sensitive(...))",
        "case.yaml:3:14 secrets[1]: a variable name is letters, digits and underscores, not starting with a digit, got '1x'",
    ]


def test_plugin_and_builtin_names_cannot_be_taken_by_variables(issues_of: Callable[[str], list[str]]) -> None:
    text = "scenario: T\npools: [password-only]\nvars:\n  sensitive: x\nsteps:\n  - call: GetUser\n    params: {AccessToken: x}\n"
    assert issues_of(text) == ["case.yaml:4:3 vars.sensitive: 'sensitive' is a built-in name (choose another name)"]
