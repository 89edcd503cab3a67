"""The redaction rules, one by one: which keys are secret, what markers look like, what is remembered."""

from __future__ import annotations

import copy
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.report.redact import (
    MIN_REMEMBERED,
    READABLE_MEMBERS,
    SECRET_PARAMETER_KEYS,
    Redactor,
    fingerprint,
    is_secret_key,
    sensitive_keys,
)
from tests.report.planted import ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN, SESSION

JWE = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y2lwaGVydGV4dA.dGFn"

# -- which keys are secret ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["Password", "PreviousPassword", "ProposedPassword", "TemporaryPassword", "Session", "AccessToken", "IdToken",
     "RefreshToken", "ClientSecret", "SecretHash", "SecretCode", "UserCode"],
)  # fmt: skip
def test_the_model_marks_these_members_sensitive(key: str) -> None:
    assert key in sensitive_keys()


def test_identifiers_the_model_marks_sensitive_stay_readable() -> None:
    assert not sensitive_keys() & READABLE_MEMBERS
    data = {"Username": "ada", "ClientId": "client-1", "UserPoolId": "us-east-1_x",
            "UserAttributes": [{"Name": "email", "Value": "ada@example.com"}]}  # fmt: skip
    assert Redactor().redact(data) == data


def test_maps_marked_sensitive_as_a_whole_are_judged_entry_by_entry() -> None:
    assert "AuthParameters" not in sensitive_keys() and "ChallengeResponses" not in sensitive_keys()
    data = {"AuthParameters": {"USERNAME": "ada", "PASSWORD": "hunter2-long", "DEVICE_GROUP_KEY": "g"}}
    assert Redactor().redact(data) == {
        "AuthParameters": {"USERNAME": "ada", "PASSWORD": "‹redacted:password›", "DEVICE_GROUP_KEY": "g"}
    }


@pytest.mark.parametrize("key", sorted(SECRET_PARAMETER_KEYS))
def test_every_listed_parameter_key_is_redacted_inside_the_maps(key: str) -> None:
    value = f"value-of-{key}"
    redactor = Redactor()
    out = redactor.redact({"ChallengeResponses": {"USERNAME": "ada", key: value}})
    assert out["ChallengeResponses"]["USERNAME"] == "ada"
    assert out["ChallengeResponses"][key].startswith("‹") and value not in str(out)
    assert value not in redactor.redact_text(f"later: {value}")


@pytest.mark.parametrize("key", sorted(sensitive_keys()))
def test_every_sensitive_member_of_the_model_is_redacted(key: str) -> None:
    value = f"value-of-{key}-0123"
    redactor = Redactor()
    assert value not in str(redactor.redact({key: value}))
    assert value not in redactor.redact_text(f"in text: {value}.")


def test_public_challenge_parameters_stay_readable() -> None:
    data = {"ChallengeName": "SMS_MFA", "ChallengeParameters": {"USERNAME": "ada", "USER_ID_FOR_SRP": "ada",
            "CODE_DELIVERY_DESTINATION": "+*******1234", "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS"}}  # fmt: skip
    assert Redactor().redact(data) == data


@pytest.mark.parametrize(
    ("key", "secret"),
    [("password", True), ("new_password", True), ("otp_code", True), ("first_session", True), ("access_token", True),
     ("client_secret", True), ("refresh", True), ("answer", True), ("username", False), ("email", False),
     ("pool_name", False), ("message", False), ("Message", False), ("Code", False), ("Name", False),
     ("token_use", False), ("token_type", False)],
)  # fmt: skip
def test_variable_names_that_make_a_value_secret(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


# -- markers ----------------------------------------------------------------------------------------------


def test_fingerprint_is_the_start_of_sha256() -> None:
    assert fingerprint("abc") == hashlib.sha256(b"abc").hexdigest()[:8]


def test_a_session_is_a_stable_fingerprint_that_shows_reuse() -> None:
    first, second = Redactor(), Redactor()
    marker = f"‹session:{fingerprint(SESSION)}›"
    assert first.redact({"Session": SESSION}) == {"Session": marker}
    assert second.redact({"first_session": SESSION}) == {"first_session": marker}  # across redactors and keys
    assert first.redact({"Session": SESSION + "2"})["Session"] != marker  # another session, another marker
    assert first.redact_text(f"replayed {SESSION}") == f"replayed {marker}"


def test_tokens_are_fingerprinted_by_kind() -> None:
    redactor = Redactor()
    out = redactor.redact({"AccessToken": ACCESS_TOKEN, "IdToken": ID_TOKEN, "RefreshToken": REFRESH_TOKEN})
    assert out == {
        "AccessToken": f"‹jwt:{fingerprint(ACCESS_TOKEN)}›",
        "IdToken": f"‹jwt:{fingerprint(ID_TOKEN)}›",
        "RefreshToken": f"‹refresh:{fingerprint(REFRESH_TOKEN)}›",
    }
    assert redactor.redact({"RefreshToken": JWE}) == {"RefreshToken": f"‹refresh:{fingerprint(JWE)}›"}
    opaque = "opaque-token-value"
    assert redactor.redact({"AccessToken": opaque}) == {"AccessToken": f"‹token:{fingerprint(opaque)}›"}


def test_other_secrets_name_their_key() -> None:
    redactor = Redactor()
    assert redactor.redact({"Password": "hunter22"}) == {"Password": "‹redacted:password›"}
    assert redactor.redact({"SOFTWARE_TOKEN_MFA_CODE": "123456"}) == {
        "SOFTWARE_TOKEN_MFA_CODE": "‹redacted:software_token_mfa_code›"
    }
    assert redactor.redact({"ConfirmationCode": "654321"}) == {"ConfirmationCode": "‹redacted:confirmationcode›"}
    assert redactor.redact({"custom:pin-code": "998877"}) == {"custom:pin-code": "‹redacted:custom_pin_code›"}


def test_a_jwt_is_secret_under_any_key_and_inside_text() -> None:
    marker = f"‹jwt:{fingerprint(ACCESS_TOKEN)}›"
    assert Redactor().redact({"Authorization": ACCESS_TOKEN}) == {"Authorization": marker}
    fresh = Redactor()  # never saw it under a key
    assert fresh.redact_text(f"GET /userInfo Bearer {ACCESS_TOKEN}, then") == f"GET /userInfo Bearer {marker}, then"
    assert fresh.redact_text(f"jwe={JWE}") == f"jwe=‹jwt:{fingerprint(JWE)}›"
    assert fresh.redact_text("version 1.2.3 of scenarios.reuse.yaml") == "version 1.2.3 of scenarios.reuse.yaml"


# -- memory -----------------------------------------------------------------------------------------------


def test_secrets_seen_are_replaced_in_later_text_urls_and_messages() -> None:
    redactor = Redactor()
    redactor.redact({"AuthParameters": {"PASSWORD": "Correct-Horse-9!"}})
    assert redactor.redact_text("Incorrect password Correct-Horse-9! for ada") == (
        "Incorrect password ‹redacted:password› for ada"
    )
    redactor.remember("481516234")
    assert redactor.redact_text("https://app/cb?code=481516234&s=x") == "https://app/cb?code=‹redacted:secret›&s=x"
    assert redactor.redact({"note": "code 481516234 sent"}) == {"note": "code ‹redacted:secret› sent"}


def test_short_secrets_are_masked_in_place_but_not_searched_in_text() -> None:
    redactor = Redactor()
    assert redactor.redact({"Password": "abc"}) == {"Password": "‹redacted:password›"}
    assert redactor.remember("12345") == "‹redacted:secret›"
    assert len("12345") < MIN_REMEMBERED
    assert redactor.redact_text("abc 12345 abcdef") == "abc 12345 abcdef"


def test_the_longest_secret_wins_where_two_overlap() -> None:
    redactor = Redactor()
    redactor.redact({"Password": "Horse-9!", "NEW_PASSWORD": "Horse-9!-longer"})
    assert redactor.redact_text("x Horse-9!-longer y Horse-9! z") == (
        "x ‹redacted:new_password› y ‹redacted:password› z"
    )


def test_the_first_marker_given_to_a_value_sticks() -> None:
    redactor = Redactor()
    assert redactor.remember("value-123456", "Password") == "‹redacted:password›"
    assert redactor.redact({"SECRET_HASH": "value-123456"}) == {"SECRET_HASH": "‹redacted:password›"}


def test_the_whole_object_is_learnt_before_any_of_it_is_rewritten() -> None:
    data = {"message": "rejected Secret-Pass-1 for ada", "request": {"Password": "Secret-Pass-1"}}
    assert Redactor().redact(data)["message"] == "rejected ‹redacted:password› for ada"
    redactor = Redactor()
    redactor.learn([{"Password": "Other-Pass-22"}])
    assert redactor.redact({"message": "got Other-Pass-22"}) == {"message": "got ‹redacted:password›"}


def test_rewrite_masks_what_learn_saw_in_other_items_and_what_keys_say_in_its_own() -> None:
    redactor = Redactor()
    first = {"message": "rejected Learnt-Pass-33"}
    redactor.learn([first, {"request": {"Password": "Learnt-Pass-33"}}])
    assert redactor.rewrite(first) == {"message": "rejected ‹redacted:password›"}
    assert redactor.rewrite({"Session": SESSION})["Session"].startswith("‹session:")
    assert first == {"message": "rejected Learnt-Pass-33"}  # a copy: the data is left as it was


def test_markers_survive_a_second_pass_and_remembered_words_inside_them() -> None:
    redactor = Redactor()
    once = redactor.redact({"Session": SESSION, "Password": "password", "text": f"s={SESSION}"})
    assert redactor.redact(once) == once
    redactor.remember("redacted")  # a secret that is also a word of the markers
    assert redactor.redact_text("‹redacted:password› then redacted") == "‹redacted:password› then ‹redacted:secret›"


# -- shapes of data -----------------------------------------------------------------------------------------


def test_redact_is_a_deep_copy_of_dicts_lists_and_tuples() -> None:
    data = {"a": [{"Password": "Pass-word-1"}, ("x", {"Session": SESSION})], "n": 3, "f": 1.5, "b": True, "z": None}
    before = copy.deepcopy(data)
    out = Redactor().redact(data)
    assert data == before
    assert out["a"][0] == {"Password": "‹redacted:password›"}
    assert isinstance(out["a"][1], tuple) and out["a"][1][1]["Session"].startswith("‹session:")
    assert (out["n"], out["f"], out["b"], out["z"]) == (3, 1.5, True, None)
    assert out["a"] is not data["a"]


def test_numbers_and_bytes_under_secret_keys_are_secrets_too() -> None:
    redactor = Redactor()
    out = redactor.redact({"code": 123456, "Password": b"raw-bytes", "otp_enabled": True, "session": None})
    assert out == {"code": "‹redacted:code›", "Password": "‹redacted:password›", "otp_enabled": True, "session": None}
    assert redactor.redact_text("the code was 123456") == "the code was ‹redacted:code›"


def test_lists_under_a_secret_key_are_secret_element_by_element() -> None:
    assert Redactor().redact({"RecoveryCodes": ["x"], "passwords": ["one-pass", "two-pass"]}) == {
        "RecoveryCodes": ["x"],
        "passwords": ["‹redacted:passwords›", "‹redacted:passwords›"],
    }


def test_expectation_matchers_and_empty_values_are_not_secrets() -> None:
    expected = {"response": {"Session": "present", "AuthenticationResult": {"AccessToken": "any"}}, "tokens": "valid",
                "challenge": "EMAIL_OTP"}  # fmt: skip
    assert Redactor().redact(expected) == expected
    assert Redactor().redact({"Session": ""}) == {"Session": ""}


def test_codes_in_outbox_messages_are_secret_but_error_codes_are_not() -> None:
    redactor = Redactor()
    message = {"Destination": "ada@example.com", "Medium": "EMAIL", "Code": "123456", "Purpose": "SignUp"}
    assert redactor.redact(message)["Code"] == "‹redacted:code›"
    error = {"Error": {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}}
    assert redactor.redact(error) == error


def test_text_without_known_secrets_is_untouched() -> None:
    text = "NotAuthorizedException: Invalid session for the user, session is expired."
    assert Redactor().redact_text(text) == text
    assert Redactor().redact(text) == text
    assert Redactor().redact_text("") == ""


# Upper case, digits and punctuation never occur in a marker's name, so no marker can spell a secret.
_SECRET_ALPHABET = st.characters(whitelist_categories=("Lu", "Nd"), whitelist_characters="-!#", max_codepoint=127)


@given(
    secret=st.text(_SECRET_ALPHABET, min_size=MIN_REMEMBERED, max_size=40).filter(lambda s: not s.isdigit()),
    before=st.text(max_size=30),
    after=st.text(max_size=30),
)
def test_a_remembered_secret_never_survives_in_text(secret: str, before: str, after: str) -> None:
    redactor = Redactor()
    redactor.redact({"Password": secret})
    assert secret not in redactor.redact_text(before + secret + after)
    assert secret not in str(redactor.redact({"deep": [{"note": f"{before}{secret}{after}"}]}))


def _longest_first_reference(secrets: set[str], text: str, marker: str) -> str:
    """What redact_text must do, written the slow obvious way: leftmost match, longest secret there."""
    out, position = [], 0
    while position < len(text):
        found = max((s for s in secrets if text.startswith(s, position)), key=len, default=None)
        if found is None:
            out.append(text[position])
            position += 1
        else:
            out.append(marker)
            position += len(found)
    return "".join(out)


@given(
    secrets=st.sets(st.text("ab", min_size=MIN_REMEMBERED, max_size=10), min_size=1, max_size=12),
    text=st.text("ab ", max_size=60),
)
def test_overlapping_secrets_are_replaced_leftmost_and_longest_first(secrets: set[str], text: str) -> None:
    redactor = Redactor()
    for secret in secrets:
        redactor.remember(secret)
    assert redactor.redact_text(text) == _longest_first_reference(secrets, text, "‹redacted:secret›")


def test_thousands_of_remembered_sessions_stay_fast() -> None:
    """Speed by construction, not by a stopwatch (which fails on a loaded machine): the search pattern holds only
    the secrets' first MIN_REMEMBERED characters, as a prefix tree, so its size grows with the number of distinct
    prefixes, never with the secrets' length; a flat alternation of 5000 whole sessions takes minutes to match."""
    import secrets as random_source

    from harness.report.redact import MIN_REMEMBERED

    redactor = Redactor()
    sessions = [random_source.token_urlsafe(144) for _ in range(5000)]
    for session in sessions:
        redactor.remember(session, "Session")
    text = "x" * 20_000 + sessions[1234] + "y" * 20_000
    redacted = redactor.redact_text(text)
    assert sessions[1234] not in redacted and redacted.startswith("x" * 20_000) and redacted.endswith("y" * 20_000)
    pattern = redactor._pattern
    assert pattern is not None
    whole = sum(len(session) for session in sessions)  # about 960,000 characters
    assert len(pattern.pattern) < 5000 * MIN_REMEMBERED * 2 < whole / 10


def test_a_requests_code_is_masked_and_an_errors_code_is_not() -> None:
    """VerifyUserAttribute sends its code as `Code`, a name errors use for their type: told apart by the Message."""
    redactor = Redactor()
    sent = redactor.redact({"AccessToken": "x", "AttributeName": "email", "Code": "006811"})
    assert sent["Code"] != "006811" and sent["AttributeName"] == "email"
    failed = redactor.redact({"Error": {"Code": "CodeMismatchException", "Message": "Invalid verification code."}})
    assert failed == {"Error": {"Code": "CodeMismatchException", "Message": "Invalid verification code."}}
    assert redactor.redact({"Destination": "a***@e***", "Code": "123456"})["Code"] != "123456"


def test_text_holding_no_secret_start_is_returned_without_a_pattern() -> None:
    """A scenario's redactor knows a few secrets and most of its texts hold none: those are answered by a
    substring test, and the search pattern is compiled only for a text where some secret may start."""
    redactor = Redactor()
    redactor.remember("Correct-Horse-9!", "Password")
    assert redactor.redact_text("Sign in with the password [pool-a]") == "Sign in with the password [pool-a]"
    assert redactor._pattern is None
    assert redactor.redact_text("it said Correct-Horse-9! twice") == "it said ‹redacted:password› twice"
    assert redactor._pattern is not None
