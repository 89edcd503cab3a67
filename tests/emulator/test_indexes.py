"""The pool's indexes (username, sub, sign-in attributes, creation order, tokens) stay consistent with its users
through every operation that adds, removes or changes one: checked through boto3, and against a full scan."""

from __future__ import annotations

import copy
import random
import time
import tracemalloc
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.emulator import Emulator
from harness.emulator.state import User, UserPool, new_sub, order_key
from tests.emulator.conftest import PASSWORD, confirmed_user, make_client, refused, sign_in

NEW_PASSWORD = "Battery-Staple-7!"
NOT_FOUND = ("UserNotFoundException", "User does not exist.")


def _pool(cognito: Any, **settings: Any) -> tuple[str, str]:
    pool_id = str(cognito.create_user_pool(PoolName="indexed", **settings)["UserPool"]["Id"])
    return pool_id, str(make_client(cognito, pool_id)["ClientId"])


def _email_user(cognito: Any, pool_id: str, email: str) -> str:
    """A confirmed user of an email-as-username pool; returns its sub (the internal username)."""
    created = cognito.admin_create_user(UserPoolId=pool_id, Username=email, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
    return str(created["User"]["Username"])


def test_a_changed_alias_signs_in_and_the_old_one_no_longer_does(cognito: Any) -> None:
    pool_id, client_id = _pool(cognito, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    confirmed_user(cognito, pool_id, "ada", email="old@example.com")
    assert "AuthenticationResult" in sign_in(cognito, client_id, "old@example.com")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[{"Name": "email", "Value": "New@Example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    assert refused(sign_in, cognito, client_id, "old@example.com") == NOT_FOUND
    assert "AuthenticationResult" in sign_in(cognito, client_id, "new@example.COM")  # aliases ignore case
    # a changed email is unverified, and an unverified alias does not sign in
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email", "Value": "newer@example.com"}]
    )
    assert refused(sign_in, cognito, client_id, "newer@example.com") == NOT_FOUND
    assert refused(sign_in, cognito, client_id, "new@example.com") == NOT_FOUND
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada")


def test_a_preferred_username_alias_signs_in_as_it_is_set(cognito: Any) -> None:
    """Only email and phone_number can be verified [DG "User pool attributes"]: a preferred_username alias signs
    in without, and a changed one moves the sign-in."""
    pool_id, client_id = _pool(cognito, AliasAttributes=["preferred_username"])
    confirmed_user(cognito, pool_id, "ada")
    assert refused(sign_in, cognito, client_id, "lovelace") == NOT_FOUND
    for chosen in ("Lovelace", "countess"):
        cognito.admin_update_user_attributes(
            UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "preferred_username", "Value": chosen}]
        )
        assert "AuthenticationResult" in sign_in(cognito, client_id, chosen.lower())  # aliases ignore case
    assert refused(sign_in, cognito, client_id, "lovelace") == NOT_FOUND
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada")


def test_a_preferred_username_alias_is_unique_in_the_pool(cognito: Any) -> None:
    """Alias values must be unique [DG "User pool attributes"]; a preferred_username alias, never verified, from the
    moment it is written, ignoring case (UNCONFIRMED: AliasExistsException and its text, docs/emulator.md). SignUp
    may not give one at all (test_signup.py)."""
    taken = ("AliasExistsException", "An account with the preferred_username already exists.")
    pool_id, client_id = _pool(cognito, AliasAttributes=["preferred_username"])
    ada = [{"Name": "preferred_username", "Value": "Countess"}]
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS", UserAttributes=ada)
    bob = [{"Name": "preferred_username", "Value": "countess"}]
    assert (
        refused(
            cognito.admin_create_user, UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS", UserAttributes=bob
        )
        == taken
    )
    confirmed_user(cognito, pool_id, "bob")
    assert (
        refused(cognito.admin_update_user_attributes, UserPoolId=pool_id, Username="bob", UserAttributes=bob) == taken
    )
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username="ada", UserAttributes=bob)  # her own: fine
    cognito.admin_update_user_attributes(  # once ada moved on, the old value is free
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "preferred_username", "Value": "lovelace"}]
    )
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username="bob", UserAttributes=bob)
    assert "AuthenticationResult" in sign_in(cognito, client_id, "countess")  # bob's now

    plain_pool, _ = _pool(cognito)  # not an alias there: any number of users may share it
    for name in ("ada", "bob"):
        cognito.admin_create_user(UserPoolId=plain_pool, Username=name, MessageAction="SUPPRESS", UserAttributes=bob)


def test_a_changed_email_username_moves_the_sign_in(cognito: Any) -> None:
    pool_id, client_id = _pool(cognito, UsernameAttributes=["email"])
    sub = _email_user(cognito, pool_id, "ada@example.com")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username=sub, UserAttributes=[{"Name": "email", "Value": "ada@new.example.com"}]
    )
    assert refused(sign_in, cognito, client_id, "ada@example.com") == NOT_FOUND
    assert "AuthenticationResult" in sign_in(cognito, client_id, "ada@new.example.com")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ADA@new.example.com")["Username"] == sub
    # the old address is free again; the new one is taken
    assert _email_user(cognito, pool_id, "ada@example.com") != sub
    assert refused(
        cognito.admin_create_user, UserPoolId=pool_id, Username="ada@new.example.com", MessageAction="SUPPRESS"
    ) == ("UsernameExistsException", "User account already exists")


def test_a_deleted_user_is_gone_from_every_lookup(cognito: Any) -> None:
    pool_id, client_id = _pool(cognito, UsernameAttributes=["email"])
    sub = _email_user(cognito, pool_id, "ada@example.com")
    tokens = sign_in(cognito, client_id, "ada@example.com")["AuthenticationResult"]
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ada@example.com")
    for name in ("ada@example.com", sub):
        assert refused(cognito.admin_get_user, UserPoolId=pool_id, Username=name) == NOT_FOUND
    assert refused(cognito.get_user, AccessToken=tokens["AccessToken"]) == NOT_FOUND  # found by sub
    assert refused(sign_in, cognito, client_id, "ada@example.com") == NOT_FOUND
    assert refused(
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    ) == ("NotAuthorizedException", "Invalid Refresh Token")
    assert cognito.list_users(UserPoolId=pool_id)["Users"] == []
    # the email may be used again, by a new user the old tokens know nothing of
    new_sub_ = _email_user(cognito, pool_id, "ada@example.com")
    assert new_sub_ != sub
    assert refused(cognito.get_user, AccessToken=tokens["AccessToken"]) == NOT_FOUND
    fresh = sign_in(cognito, client_id, "ada@example.com")["AuthenticationResult"]
    assert cognito.get_user(AccessToken=fresh["AccessToken"])["Username"] == new_sub_


def test_case_insensitive_pools_find_users_whatever_the_case(cognito: Any) -> None:
    pool_id, client_id = _pool(cognito, UsernameConfiguration={"CaseSensitive": False})
    confirmed_user(cognito, pool_id, "Ada")
    for name in ("Ada", "ada", "ADA"):
        assert "AuthenticationResult" in sign_in(cognito, client_id, name)
        assert cognito.admin_get_user(UserPoolId=pool_id, Username=name)["Username"] == "Ada"
    assert refused(cognito.admin_create_user, UserPoolId=pool_id, Username="aDA", MessageAction="SUPPRESS") == (
        "UsernameExistsException",
        "User account already exists",
    )
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ADA")
    assert refused(sign_in, cognito, client_id, "Ada") == NOT_FOUND
    confirmed_user(cognito, pool_id, "aDA")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["Username"] == "aDA"


def test_case_sensitive_pools_keep_usernames_that_differ_in_case_apart(cognito: Any) -> None:
    pool_id, client_id = _pool(cognito)
    confirmed_user(cognito, pool_id, "Ada", email="upper@example.com")
    confirmed_user(cognito, pool_id, "ada", email="lower@example.com")
    attributes = cognito.admin_get_user(UserPoolId=pool_id, Username="Ada")["UserAttributes"]
    assert {"Name": "email", "Value": "upper@example.com"} in attributes
    assert refused(sign_in, cognito, client_id, "ADA") == NOT_FOUND
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ada")
    assert "AuthenticationResult" in sign_in(cognito, client_id, "Ada")
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool_id)["Users"]] == ["Ada"]


def test_list_users_pages_cover_every_match_once_while_users_come_and_go(cognito: Any) -> None:
    pool_id, _ = _pool(cognito)
    created: list[str] = []

    def create(name: str) -> None:
        cognito.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        created.append(name)

    for index in range(7):
        create(f"keep-{index}")
        create(f"skip-{index}")
    listed: list[str] = []
    deleted: set[str] = set()
    request: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 2, "Filter": 'username ^= "keep"'}
    for page_number in range(100):
        page = cognito.list_users(**request)
        listed += [user["Username"] for user in page["Users"]]
        if "PaginationToken" not in page:
            break
        request["PaginationToken"] = page["PaginationToken"]
        if page_number < 3:  # between pages: newer users arrive
            create(f"keep-new-{page_number}")
            create(f"skip-new-{page_number}")
        if page_number == 0:  # and users leave, one already listed and one not yet
            for name in (listed[0], "keep-5"):
                cognito.admin_delete_user(UserPoolId=pool_id, Username=name)
                deleted.add(name)
    expected = [name for name in created if name.startswith("keep") and (name not in deleted or name in listed)]
    assert listed == expected  # creation order, each once, none skipped
    everyone = [u["Username"] for u in cognito.list_users(UserPoolId=pool_id, Limit=60)["Users"]]
    assert everyone == [name for name in created if name not in deleted]


def test_list_users_by_username_and_an_unknown_token(cognito: Any) -> None:
    pool_id, _ = _pool(cognito, UsernameConfiguration={"CaseSensitive": False})
    for name in ("ada", "Grace", "alan"):
        cognito.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    found = cognito.list_users(UserPoolId=pool_id, Filter='username = "Grace"')
    assert [u["Username"] for u in found["Users"]] == ["Grace"]
    assert cognito.list_users(UserPoolId=pool_id, Filter='username = "grace"')["Users"] == []  # the filter is exact
    page = cognito.list_users(UserPoolId=pool_id, Limit=1, Filter='username = "Grace"')
    assert "PaginationToken" not in page
    # a token we did not issue starts from the top, as before
    assert len(cognito.list_users(UserPoolId=pool_id, PaginationToken="not-a-token")["Users"]) == 3


def test_attributes_given_with_a_new_password_sign_in(cognito: Any) -> None:
    """NEW_PASSWORD_REQUIRED writes the user's attributes itself; the sign-in index follows."""
    pool_id, client_id = _pool(cognito, UsernameAttributes=["email", "phone_number"])
    cognito.admin_create_user(
        UserPoolId=pool_id, Username="ada@example.com", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS"
    )
    challenge = sign_in(cognito, client_id, "ada@example.com")
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert refused(sign_in, cognito, client_id, "+15550100") == NOT_FOUND
    cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={
            "USERNAME": "ada@example.com",
            "NEW_PASSWORD": NEW_PASSWORD,
            "userAttributes.phone_number": "+15550100",
        },
    )
    assert "AuthenticationResult" in sign_in(cognito, client_id, "+15550100", NEW_PASSWORD)


def test_an_alias_clash_follows_updates(cognito: Any, emu: Emulator) -> None:
    pool_id, client_id = _pool(cognito, AliasAttributes=["email"], AutoVerifiedAttributes=["email"])
    confirmed_user(cognito, pool_id, "ada", email="shared@example.com")
    email = [{"Name": "email", "Value": "Shared@example.com"}]
    cognito.sign_up(ClientId=client_id, Username="grace", Password=PASSWORD, UserAttributes=email)

    def confirm() -> None:
        code = emu.outbox.last(to="Shared@example.com")
        assert code is not None
        cognito.confirm_sign_up(ClientId=client_id, Username="grace", ConfirmationCode=code.code)

    assert refused(confirm) == ("AliasExistsException", "An account with the email already exists.")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ada", UserAttributes=[{"Name": "email", "Value": "ada@example.com"}]
    )
    cognito.resend_confirmation_code(ClientId=client_id, Username="grace")
    confirm()
    assert "AuthenticationResult" in sign_in(cognito, client_id, "shared@example.com")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="shared@example.com")["Username"] == "grace"


def test_global_sign_out_revokes_only_that_users_tokens(cognito: Any) -> None:
    pool_id, client_id = _pool(cognito)
    for name in ("ada", "grace"):
        confirmed_user(cognito, pool_id, name)
    ada = [sign_in(cognito, client_id, "ada")["AuthenticationResult"] for _ in range(2)]
    grace = sign_in(cognito, client_id, "grace")["AuthenticationResult"]
    cognito.global_sign_out(AccessToken=ada[0]["AccessToken"])
    for tokens in ada:
        assert refused(cognito.get_user, AccessToken=tokens["AccessToken"]) == (
            "NotAuthorizedException",
            "Access Token has been revoked",
        )
    assert cognito.get_user(AccessToken=grace["AccessToken"])["Username"] == "grace"
    refreshed = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": grace["RefreshToken"]}
    )
    assert "AccessToken" in refreshed["AuthenticationResult"]
    cognito.admin_user_global_sign_out(UserPoolId=pool_id, Username="grace")
    assert refused(cognito.get_user, AccessToken=refreshed["AuthenticationResult"]["AccessToken"])[0] == (
        "NotAuthorizedException"
    )


# --- against a scan: the lookups as they were before the indexes, run after every operation


def _scan_find_user(pool: UserPool, login: str) -> User | None:
    user = next((u for u in pool.users.values() if pool.user_key(u.username) == pool.user_key(login)), None)
    if user is not None:
        return user
    for attribute in pool.username_attributes or pool.alias_attributes:
        for candidate in pool.users.values():
            value = candidate.attributes.get(attribute)
            if value is None or value.lower() != login.lower():
                continue
            if pool.username_attributes or candidate.attributes.get(f"{attribute}_verified") == "true":
                return candidate
    return None


def _check_against_scan(pool: UserPool, logins: list[str]) -> None:
    users = list(pool.users.values())
    for login in logins:
        assert pool.find_user(login) is _scan_find_user(pool, login), login
    for user in users:
        assert pool.find_by_sub(user.sub) is user
        assert pool.find_user(user.username) is user
    assert list(pool.users_after(None)) == sorted(users, key=order_key)
    if users:
        middle = sorted(users, key=order_key)[len(users) // 2]
        assert list(pool.users_after(order_key(middle))) == sorted(users, key=order_key)[len(users) // 2 + 1 :]


@pytest.mark.parametrize(
    "settings",
    [
        {"AliasAttributes": ["email", "phone_number"]},
        {"UsernameAttributes": ["email", "phone_number"]},
        {"AliasAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": False}},
    ],
    ids=["alias", "username-attributes", "alias-case-insensitive"],
)
def test_indexes_agree_with_a_scan_through_random_operations(emu: Emulator, settings: dict[str, Any]) -> None:
    cognito = emu.client()
    pool_id, client_id = _pool(cognito, AutoVerifiedAttributes=["email"], **settings)
    pool = emu.pools[pool_id]
    by_email = "UsernameAttributes" in settings
    rng = random.Random(20261129)
    emails = ["a@example.com", "B@example.com", "c@Example.com", "d@example.com"]
    phones = ["+15550001", "+15550002"]
    names = ["ada", "Ada", "grace", "alan", "edsger", "barbara"]
    logins = emails + [e.upper() for e in emails] + phones + names + [n.upper() for n in names]

    def some_user() -> User | None:
        return rng.choice(list(pool.users.values())) if pool.users else None

    for _ in range(150):
        operation = rng.choice(["create", "create", "sign-up", "update", "verify", "delete", "write"])
        user = some_user()
        try:
            if operation == "create":
                attributes = [{"Name": "email", "Value": rng.choice(emails)}]
                if rng.random() < 0.5:
                    attributes.append({"Name": "email_verified", "Value": rng.choice(["true", "false"])})
                if rng.random() < 0.3:
                    attributes.append({"Name": "phone_number", "Value": rng.choice(phones)})
                username = rng.choice(emails + phones) if by_email else rng.choice(names)
                if by_email:
                    attributes = [a for a in attributes if a["Name"] not in ("email", "phone_number")]
                cognito.admin_create_user(
                    UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS", UserAttributes=attributes
                )
            elif operation == "sign-up" and not by_email:
                username = rng.choice(names)
                email = [{"Name": "email", "Value": rng.choice(emails)}]
                cognito.sign_up(ClientId=client_id, Username=username, Password=PASSWORD, UserAttributes=email)
                message = emu.outbox.last()
                assert message is not None
                cognito.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=message.code)
            elif operation == "update" and user is not None:
                name, values = rng.choice([("email", emails), ("phone_number", phones)])
                changes = [{"Name": name, "Value": rng.choice(values)}]
                cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=user.username, UserAttributes=changes)
            elif operation == "verify" and user is not None:
                flag = rng.choice(["email_verified", "phone_number_verified"])
                changes = [{"Name": flag, "Value": rng.choice(["true", "false"])}]
                cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=user.username, UserAttributes=changes)
            elif operation == "delete" and user is not None:
                cognito.admin_delete_user(UserPoolId=pool_id, Username=user.username)
            elif operation == "write" and user is not None:  # as ops that write attributes themselves do
                with emu.lock:
                    user.attributes.update({"email": rng.choice(emails), "email_verified": "true"})
        except ClientError as exc:
            assert exc.response["Error"]["Code"] in (
                "UsernameExistsException",
                "AliasExistsException",
                "InvalidParameterException",
            ), exc.response["Error"]
        _check_against_scan(pool, logins)


def test_every_kind_of_attribute_write_keeps_the_index(emu: Emulator) -> None:
    cognito = emu.client()
    pool_id, _ = _pool(cognito, AliasAttributes=["email"])
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    pool = emu.pools[pool_id]
    ada = pool.users["ada"]
    detached = copy.deepcopy(ada.attributes)
    detached["email"] = "copy@example.com"  # a copy belongs to no pool
    assert pool.find_user("copy@example.com") is None
    assert pool.find_user("ada@example.com") is ada
    ada.attributes["email"] = "one@example.com"
    assert pool.find_user("ada@example.com") is None
    assert pool.find_user("one@example.com") is ada
    del ada.attributes["email_verified"]
    assert pool.find_user("one@example.com") is None
    ada.attributes.setdefault("email_verified", "true")
    assert pool.find_user("one@example.com") is ada
    ada.attributes |= {"email": "two@example.com"}
    assert pool.find_user("two@example.com") is ada
    assert ada.attributes.pop("email") == "two@example.com"
    assert pool.find_user("two@example.com") is None
    ada.attributes.update(email="three@example.com")
    assert pool.find_user("three@example.com") is ada
    ada.attributes.clear()
    assert pool.find_user("three@example.com") is None
    assert pool.find_user("ada") is ada
    cognito.admin_delete_user(UserPoolId=pool_id, Username="ada")
    ada.attributes.update(email="four@example.com", email_verified="true")  # a deleted user is in no index
    assert pool.find_user("four@example.com") is None


def test_the_sign_in_index_follows_a_change_of_the_pools_aliases(emu: Emulator) -> None:
    """Cognito never changes them; UpdateUserPool here takes them if sent raw, and lookups must not go stale."""
    cognito = emu.client()
    pool_id, _ = _pool(cognito, AliasAttributes=["email"])
    confirmed_user(cognito, pool_id, "ada", email="ada@example.com")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ada",
        UserAttributes=[
            {"Name": "phone_number", "Value": "+15550100"},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
    )
    pool = emu.pools[pool_id]
    ada = pool.users["ada"]
    assert pool.find_user("+15550100") is None
    emu.call("UpdateUserPool", {"UserPoolId": pool_id, "AliasAttributes": ["phone_number"]})
    assert pool.find_user("+15550100") is ada
    assert pool.find_user("ada@example.com") is None
    _check_against_scan(pool, ["+15550100", "ada@example.com", "ada"])


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"UsernameAttributes": ["email"]},
        {"AliasAttributes": ["email", "phone_number", "preferred_username"]},
        {"UsernameAttributes": ["email", "phone_number"], "UsernameConfiguration": {"CaseSensitive": False}},
    ],
)
def test_the_indexes_cost_under_2_kib_a_user(settings: dict[str, Any]) -> None:
    count = 5000
    pool = UserPool("us-east-1_memory", "memory", settings, 0.0, 0.0, "us-east-1")
    users = []
    for index in range(count):
        sub = new_sub()
        username = sub if "UsernameAttributes" in settings else f"User{index}"
        attributes = {
            "sub": sub,
            "email": f"User{index}@Example.com",
            "email_verified": "true",
            "phone_number": f"+1555{index:07d}",
            "phone_number_verified": "true",
            "preferred_username": f"Pref{index}",
        }
        users.append(User(username, sub, attributes, "CONFIRMED", time.time(), time.time()))
    plain: dict[str, User] = {}
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for user in users:
            plain[pool.user_key(user.username)] = user  # what storing a user cost before the indexes
        middle = tracemalloc.get_traced_memory()[0]
        for user in users:
            pool.add_user(user)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    extra = ((after - middle) - (middle - before)) / count
    assert extra < 2048, f"{extra:.0f} bytes a user"
    assert pool.find_by_sub(users[-1].sub) is users[-1]


def test_attributes_given_with_a_new_password_are_checked_against_the_schema(cognito: Any) -> None:
    """As everywhere attributes are written: unknown ones and malformed values are refused, and the challenge
    can be answered again."""
    pool_id, client_id = _pool(cognito)
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    challenge = sign_in(cognito, client_id, "ada")
    answer = {"ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": challenge["Session"]}
    responses = {"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD}
    unknown = {**responses, "userAttributes.custom:nope": "x"}
    assert refused(cognito.respond_to_auth_challenge, **answer, ChallengeResponses=unknown) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined",
    )
    malformed = {**responses, "userAttributes.email": "not-an-email"}
    assert refused(cognito.respond_to_auth_challenge, **answer, ChallengeResponses=malformed) == (
        "InvalidParameterException",
        "Invalid email address format.",
    )
    done = cognito.respond_to_auth_challenge(
        **answer, ChallengeResponses={**responses, "userAttributes.email": "ada@example.com"}
    )
    assert "AuthenticationResult" in done
    attributes = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")["UserAttributes"]
    assert {"Name": "email", "Value": "ada@example.com"} in attributes


def test_attributes_given_with_a_new_password_obey_the_clients_write_attributes(cognito: Any) -> None:
    """As for UpdateUserAttributes: a client writes what its WriteAttributes allow, never email_verified by default
    [C: amazon-archives/amazon-cognito-identity-js#232, "the api doesn't accept this field"]; and a
    preferred_username alias taken by another user is refused here too."""
    pool_id, _ = _pool(cognito, AliasAttributes=["preferred_username"])
    narrow = make_client(cognito, pool_id, WriteAttributes=["email", "preferred_username"])["ClientId"]
    confirmed_user(cognito, pool_id, "bob")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="bob", UserAttributes=[{"Name": "preferred_username", "Value": "taken"}]
    )
    cognito.admin_create_user(UserPoolId=pool_id, Username="ada", TemporaryPassword=PASSWORD, MessageAction="SUPPRESS")
    challenge = sign_in(cognito, narrow, "ada")
    answer = {"ClientId": narrow, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": challenge["Session"]}
    responses = {"USERNAME": "ada", "NEW_PASSWORD": NEW_PASSWORD}
    unauthorized = ("NotAuthorizedException", "A client attempted to write unauthorized attribute")
    for name, value in (("email_verified", "true"), ("nickname", "countess")):
        forbidden = {**responses, f"userAttributes.{name}": value}
        assert refused(cognito.respond_to_auth_challenge, **answer, ChallengeResponses=forbidden) == unauthorized
    clash = {**responses, "userAttributes.preferred_username": "Taken"}
    assert refused(cognito.respond_to_auth_challenge, **answer, ChallengeResponses=clash) == (
        "AliasExistsException",
        "An account with the preferred_username already exists.",
    )
    allowed = {**responses, "userAttributes.email": "ada@example.com", "userAttributes.preferred_username": "ada"}
    assert "AuthenticationResult" in cognito.respond_to_auth_challenge(**answer, ChallengeResponses=allowed)
