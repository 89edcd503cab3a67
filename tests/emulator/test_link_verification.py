"""Sign-up confirmation by link (VerificationMessageTemplate DefaultEmailOption CONFIRM_WITH_LINK), through boto3
and a browser (`requests`) following the emailed link to the domain's /confirmUser."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from harness.emulator.server import EmulatorServer
from tests.emulator.conftest import PASSWORD, ShapeCheckingEmulator, make_client

LINK_POOL = {
    "PoolName": "links",
    "AutoVerifiedAttributes": ["email"],
    "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_LINK"},
}


def sign_up(cognito: Any, client_id: str, username: str, **extra: Any) -> dict[str, Any]:
    return dict(
        cognito.sign_up(
            ClientId=client_id, Username=username, Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}], **extra,
        )
    )  # fmt: skip


def test_a_link_needs_the_pools_domain(emu: ShapeCheckingEmulator) -> None:
    """[C: aws-amplify/amplify-js#4489, amazon-archives/amazon-cognito-identity-js#512]: without a domain, SignUp
    in a pool that confirms by link is refused."""
    cognito = emu.client()
    pool_id = cognito.create_user_pool(**LINK_POOL)["UserPool"]["Id"]
    client_id = make_client(cognito, pool_id)["ClientId"]
    with pytest.raises(ClientError) as refused:
        sign_up(cognito, client_id, "ada")
    assert refused.value.response["Error"] == {
        "Code": "InvalidParameterException",
        "Message": "Cannot perform specific action because there does not exist a valid use pool domain associated "
        "with the user pool",
    }


def test_the_emailed_link_confirms_the_user_once(emu: ShapeCheckingEmulator, server: EmulatorServer) -> None:
    cognito = emu.client()
    pool_id = cognito.create_user_pool(**LINK_POOL)["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="links")
    client = make_client(cognito, pool_id, GenerateSecret=True)
    from harness.cognito.secret_hash import secret_hash

    delivery = sign_up(
        cognito, client["ClientId"], "ada", SecretHash=secret_hash(client["ClientId"], client["ClientSecret"], "ada")
    )
    assert delivery["UserConfirmed"] is False and delivery["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    message = emu.outbox.last(to="ada@example.com")
    assert message is not None and message.link is not None
    assert message.link.startswith(f"{server.url}/links/confirmUser?client_id={client['ClientId']}&user_name=ada&")
    assert message.subject == "Your verification link"
    assert re.search(r'<a href="[^"]+confirmation_code=\d{6}">Verify Email</a>', message.text or ""), message.text

    confirmed = requests.get(message.link, allow_redirects=False)
    assert confirmed.status_code == 200 and "Your registration has been confirmed!" in confirmed.text
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="ada")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["UserStatus"] == "CONFIRMED" and attributes["email_verified"] == "true"
    tokens = cognito.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=client["ClientId"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD,
                        "SECRET_HASH": secret_hash(client["ClientId"], client["ClientSecret"], "ada")},
    )  # fmt: skip
    assert "AccessToken" in tokens["AuthenticationResult"]

    again = requests.get(message.link, allow_redirects=False)  # the code was used: ConfirmSignUp's refusal
    assert again.status_code == 400 and 'id="errorMessage"' in again.text
    forged = requests.get(message.link.replace(client["ClientId"], "no-such-client"), allow_redirects=False)
    assert forged.status_code == 400 and "The confirmation link is not valid." in forged.text


def test_the_pools_link_template_and_a_resent_link(emu: ShapeCheckingEmulator) -> None:
    """EmailMessageByLink/EmailSubjectByLink with `{##text##}` as the link [BC VerificationMessageTemplateType]; a
    resent confirmation is a link too; attribute verification keeps codes (UNCONFIRMED)."""
    cognito = emu.client()
    template = {
        "DefaultEmailOption": "CONFIRM_WITH_LINK",
        "EmailMessageByLink": "Welcome aboard. {##Confirm my address##}",
        "EmailSubjectByLink": "One click left",
        "EmailMessage": "Your code is {####}",
    }
    pool_id = cognito.create_user_pool(**{**LINK_POOL, "VerificationMessageTemplate": template})["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="links2")
    client_id = make_client(cognito, pool_id)["ClientId"]
    sign_up(cognito, client_id, "bo")
    cognito.resend_confirmation_code(ClientId=client_id, Username="bo")
    first, message = emu.outbox.messages(to="bo@example.com")  # the sign-up's, then the resent one
    assert first.link != message.link and message.subject == "One click left"
    assert message.link and re.fullmatch(r'Welcome aboard\. <a href="[^"]+">Confirm my address</a>', message.text or "")
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="bo")
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="bo", UserAttributes=[{"Name": "email", "Value": "bo2@example.com"}]
    )
    code_message = emu.outbox.last(to="bo2@example.com")
    assert code_message is not None and code_message.link is None
    assert code_message.text == f"Your code is {code_message.code}"


def test_a_custom_message_trigger_writes_the_link_message(emu: ShapeCheckingEmulator) -> None:
    """The event carries `linkParameter` [Powertools' CustomMessage schema]; a link message the trigger writes may
    hold the link's text instead of the code (UNCONFIRMED)."""
    events: list[dict[str, Any]] = []

    def custom_message(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        event["response"]["emailMessage"] = f"Hi! {event['request']['linkParameter'].replace('Click Here', 'Go')}"
        return event

    arn = emu.triggers.register("arn:aws:lambda:us-east-1:000000000000:function:links", custom_message)
    cognito = emu.client()
    pool_id = cognito.create_user_pool(**LINK_POOL, LambdaConfig={"CustomMessage": arn})["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="links3")
    sign_up(cognito, make_client(cognito, pool_id)["ClientId"], "cy")
    [event] = events
    assert event["request"]["linkParameter"] == "{##Click Here##}" and event["request"]["codeParameter"] == "{####}"
    message = emu.outbox.last(to="cy@example.com")
    assert message is not None and re.fullmatch(r'Hi! <a href="[^"]+">Go</a>', message.text or "")
