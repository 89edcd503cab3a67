"""Response matchers: each one passing and failing, with the mismatch text a report shows."""

from __future__ import annotations

from typing import Any

import pytest

from harness.scenario.errors import Problem
from harness.scenario.matchers import check, match

RESPONSE: dict[str, Any] = {
    "ChallengeName": "NEW_PASSWORD_REQUIRED",
    "ChallengeParameters": {"USERNAME": "alice", "custom:tier": "gold", "requiredAttributes": "[]"},
    "Session": "AYABe...",
    "AuthenticationResult": None,
    "Count": 2,
    "Enabled": True,
    "Messages": [{"Destination": "a@example.com", "Code": "123456"}, {"Destination": "b@example.com"}],
}


@pytest.mark.parametrize(
    "expected",
    [
        {},
        {"ChallengeName": "NEW_PASSWORD_REQUIRED"},
        {"ChallengeParameters": {"USERNAME": "alice"}},
        {"Count": 2, "Enabled": True},
        {"Session": "present"},
        {"AuthenticationResult": "absent", "NoSuchKey": "absent"},
        {"AuthenticationResult": None, "NoSuchKey": None},
        {"NoSuchKey": "any", "Session": "any"},
        {"Session": {"regex": "^AYA"}},
        {"ChallengeName": {"regex": "PASSWORD"}},
        {"ChallengeName": {"one_of": ["SMS_MFA", "NEW_PASSWORD_REQUIRED"]}},
        {"NoSuchKey": {"one_of": ["absent", "x"]}},
        {"ChallengeParameters": {"requiredAttributes": {"equals": "[]"}}},
        {"Messages": [{"Destination": "b@example.com"}]},
        {"Messages": [{"Code": "present"}, {"Destination": {"regex": "^a@"}}]},
        {"Messages": []},
        {
            "Messages": {
                "equals": [{"Destination": "a@example.com", "Code": "123456"}, {"Destination": "b@example.com"}]
            }
        },
        {"ChallengeParameters": {"custom:tier": "gold"}},
    ],
)
def test_matches(expected: Any) -> None:
    assert match(expected, RESPONSE) == []


@pytest.mark.parametrize(
    "expected,report",
    [
        ({"ChallengeParameters": {"USERNAME": "bob"}}, ["ChallengeParameters.USERNAME: expected 'bob', got 'alice'"]),
        ({"ChallengeName": "SMS_MFA"}, ["ChallengeName: expected 'SMS_MFA', got 'NEW_PASSWORD_REQUIRED'"]),
        ({"Count": "2"}, ["Count: expected '2', got 2"]),
        ({"Enabled": 1}, ["Enabled: expected 1, got true"]),
        ({"Nope": "x"}, ["Nope: expected 'x', got nothing (no such key)"]),
        ({"AuthenticationResult": "present"}, ["AuthenticationResult: expected present, got null"]),
        ({"Nope": "present"}, ["Nope: expected present, got nothing (no such key)"]),
        ({"Session": "absent"}, ["Session: expected absent, got 'AYABe...'"]),
        ({"Session": None}, ["Session: expected absent, got 'AYABe...'"]),
        ({"Session": {"regex": "^xyz"}}, ["Session: expected a match for /^xyz/, got 'AYABe...'"]),
        ({"Count": {"regex": "2"}}, ["Count: expected a match for /2/, got 2"]),
        (
            {"ChallengeName": {"one_of": ["A", "B"]}},
            ["ChallengeName: expected one of ['A', 'B'], got 'NEW_PASSWORD_REQUIRED'"],
        ),
        ({"Session": {"equals": "present"}}, ["Session: expected 'present', got 'AYABe...'"]),
        (
            {"ChallengeParameters": {"custom:tier": "silver"}},
            ["ChallengeParameters.\"custom:tier\": expected 'silver', got 'gold'"],
        ),
        ({"Session": {"USERNAME": "x"}}, ["Session: expected a mapping, got 'AYABe...'"]),
        ({"Session": ["x"]}, ["Session: expected a list, got 'AYABe...'"]),
        (
            {"Messages": [{"Destination": "c@example.com"}]},
            [
                "Messages: no element matches {'Destination': 'c@example.com'} (got [{'Destination': 'a@example.com', "
                "'Code': '123456'}, {'Destination': 'b@example.com'}])"
            ],
        ),
        (
            {"ChallengeName": "X", "Count": 3},
            ["ChallengeName: expected 'X', got 'NEW_PASSWORD_REQUIRED'", "Count: expected 3, got 2"],
        ),
    ],
)  # fmt: skip
def test_mismatches(expected: Any, report: list[str]) -> None:
    assert [str(m) for m in match(expected, RESPONSE)] == report


def test_mismatch_fields() -> None:
    (mismatch,) = match({"ChallengeParameters": {"USERNAME": "bob"}}, RESPONSE)
    assert (mismatch.path, mismatch.expected, mismatch.actual) == ("ChallengeParameters.USERNAME", "bob", "alice")


def test_root_level_mismatch_uses_at() -> None:
    assert [str(m) for m in match("x", "y")] == ["@: expected 'x', got 'y'"]
    assert [str(m) for m in match([1], [2])] == ["@: no element matches 1 (got [2])"]


def test_load_time_check_of_matcher_trees() -> None:
    tree = {
        "a": {"regex": "("},
        "b": {"one_of": []},
        "c": [{"one_of": [{"regex": 5}]}],
        "d": {"equals": {"regex": "("}},
    }
    assert check(tree, ("response",)) == [
        Problem(("response", "a", "regex"), "invalid regex '(': missing ), unterminated subpattern at position 0"),
        Problem(("response", "b", "one_of"), "one_of needs a non-empty list of options"),
        Problem(("response", "c", 0, "one_of", 0, "regex"), "a regex must be a string"),
    ]
