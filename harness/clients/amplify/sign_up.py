"""signUp, confirmSignUp, autoSignIn, resendSignUpCode, resetPassword and confirmResetPassword.

Source: amplify-js v6 ``providers/cognito/apis/{signUp,confirmSignUp,autoSignIn,resendSignUpCode,resetPassword,
confirmResetPassword}.ts``, ``utils/signUpHelpers.ts`` and the SignUp client's deserializer
(``foundation/factories/serviceClients/cognitoIdentityProvider/createSignUpClient.ts``).

autoSignIn in brief (https://github.com/aws-amplify/amplify-js/issues/14336): signUp remembers a signIn input
(username, the autoSignIn options, and the signUp password unless CUSTOM_WITHOUT_SRP). ``autoSignIn: true`` later
calls signIn with it - the default SRP flow, which needs the password. ``autoSignIn: {authFlowType: 'USER_AUTH'}``
calls the USER_AUTH flow, which replays the Session ConfirmSignUp returned and needs no credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.clients.amplify.errors import (
    AUTO_SIGN_IN,
    VALIDATION_ERRORS,
    AmplifyError,
    Validation,
    other_error,
    require,
)
from harness.clients.amplify.flows import FLOWS, options_of
from harness.clients.amplify.service import Amplify, compact
from harness.clients.amplify.sign_in import run_flow, sign_in
from harness.clients.amplify.state import AUTO_SIGN_IN_WAIT_S, AutoSignInWait

Response = dict[str, Any]


def _attributes(values: Any) -> list[dict[str, Any]] | None:
    """toAttributeType: ``{email: x}`` -> ``[{Name: email, Value: x}]`` (None when not given)."""
    if not isinstance(values, Mapping):
        return None
    return [{"Name": name, "Value": value} for name, value in values.items()]


def _delivery(details: Any) -> dict[str, Any]:
    """CodeDeliveryDetails as Amplify's codeDeliveryDetails."""
    details = details if isinstance(details, Mapping) else {}
    return compact(
        {
            "destination": details.get("Destination"),
            "deliveryMedium": details.get("DeliveryMedium"),
            "attributeName": details.get("AttributeName") or None,
        }
    )


def _truthy(value: Any) -> bool:
    """JavaScript truthiness: an empty mapping is true, unlike in Python."""
    return value is not None and value is not False and value != 0 and value != ""


def sign_up_error(error: AmplifyError) -> AmplifyError:
    """The SignUp deserializer: Cognito's "password must not be null" becomes EmptySignUpPassword."""
    if (
        error.name == "InvalidParameterException"
        and "'password'" in error.message
        and "Member must not be null" in error.message
    ):
        text = VALIDATION_ERRORS[Validation.EmptySignUpPassword]
        return AmplifyError(Validation.EmptySignUpPassword.value, text.message, text.recovery_suggestion)
    return error


def sign_up(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """signUp: SignUp (a password only when given), then arm autoSignIn when asked to."""
    username, password = inputs.get("username"), inputs.get("password")
    options = options_of(inputs)
    auto = options.get("autoSignIn")
    require(username, Validation.EmptySignUpUsername)
    service_options = None if isinstance(auto, bool) else auto  # `typeof autoSignIn !== 'boolean'`
    flow_options = service_options if isinstance(service_options, Mapping) else {}
    sign_in_input: dict[str, Any] = {"username": username, "options": service_options}
    if flow_options.get("authFlowType") != "CUSTOM_WITHOUT_SRP":
        sign_in_input["password"] = password
    request = {
        "Username": username,
        "Password": password or None,
        "UserAttributes": _attributes(options.get("userAttributes")),
        "ClientMetadata": options.get("clientMetadata"),
        "ValidationData": _attributes(options.get("validationData")),
    }
    try:
        response = amp.cognito("SignUp", request)
    except AmplifyError as error:
        raise sign_up_error(error) from None
    state = amp.state
    if _truthy(service_options) or auto is True:
        state.auto_sign_in.active = True
        state.auto_sign_in.username = username
        state.auto_sign_in.session = response.get("Session")
    user_id = response.get("UserSub")
    started = state.auto_sign_in.active
    if response.get("UserConfirmed"):
        if started:  # confirmed already (a PreSignUp trigger): autoSignIn() may sign in right away
            state.auto_sign_in_callback = sign_in_input
            done = {"signUpStep": "COMPLETE_AUTO_SIGN_IN"}
        else:
            done = {"signUpStep": "DONE"}
        return compact({"isSignUpComplete": True, "nextStep": done, "userId": user_id})
    if started:  # handleCodeAutoSignIn: wait (3 minutes at most) for confirmSignUp
        state.auto_sign_in_waits.append(AutoSignInWait(sign_in_input, amp.now() + AUTO_SIGN_IN_WAIT_S))
    next_step = {"signUpStep": "CONFIRM_SIGN_UP", "codeDeliveryDetails": _delivery(response.get("CodeDeliveryDetails"))}
    return compact({"isSignUpComplete": False, "nextStep": next_step, "userId": user_id})


def confirm_sign_up(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """confirmSignUp: ConfirmSignUp; for the user autoSignIn waits for, keep its Session and arm autoSignIn()."""
    username, code = inputs.get("username"), inputs.get("confirmationCode")
    options = options_of(inputs)
    require(username, Validation.EmptyConfirmSignUpUsername)
    require(code, Validation.EmptyConfirmSignUpCode)
    response = amp.cognito(
        "ConfirmSignUp",
        {
            "Username": username,
            "ConfirmationCode": code,
            "ClientMetadata": options.get("clientMetadata"),
            "ForceAliasCreation": options.get("forceAliasCreation"),
        },
    )
    state = amp.state
    store = state.auto_sign_in
    if not store.active or store.username != username:
        state.reset_auto_sign_in()
        return {"isSignUpComplete": True, "nextStep": {"signUpStep": "DONE"}}
    store.session = response.get("Session")
    listening = [wait for wait in state.auto_sign_in_waits if wait.listening]
    if not listening:
        raise ValueError(
            "Amplify's confirmSignUp would never resolve here: autoSignIn is active for this user, but no signUp is "
            "waiting for its confirmation (the user was already confirmed at signUp)"
        )
    for wait in listening:  # each listener arms autoSignIn() with its signIn input and stops
        state.auto_sign_in_callback = wait.sign_in_input
        wait.listening = False
    return {"isSignUpComplete": True, "nextStep": {"signUpStep": "COMPLETE_AUTO_SIGN_IN"}}


def auto_sign_in(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """autoSignIn(): the armed signIn input through signIn, or straight through the USER_AUTH flow; then disarm."""
    sign_in_input = amp.state.auto_sign_in_callback
    if sign_in_input is None:
        raise other_error(AUTO_SIGN_IN)
    try:
        if options_of(sign_in_input).get("authFlowType") == "USER_AUTH":
            return run_flow(amp, FLOWS["USER_AUTH"], sign_in_input)
        return sign_in(amp, sign_in_input)
    finally:
        amp.state.reset_auto_sign_in()


def resend_sign_up_code(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """resendSignUpCode: ResendConfirmationCode (its empty-username check is signUp's, as in amplify-js)."""
    username = inputs.get("username")
    require(username, Validation.EmptySignUpUsername)
    response = amp.cognito(
        "ResendConfirmationCode", {"Username": username, "ClientMetadata": options_of(inputs).get("clientMetadata")}
    )
    return _delivery(response.get("CodeDeliveryDetails"))


def reset_password(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """resetPassword: ForgotPassword; the next step is always to confirm with the code."""
    username = inputs.get("username")
    require(username, Validation.EmptyResetPasswordUsername)
    response = amp.cognito(
        "ForgotPassword", {"Username": username, "ClientMetadata": options_of(inputs).get("clientMetadata")}
    )
    return {
        "isPasswordReset": False,
        "nextStep": {
            "resetPasswordStep": "CONFIRM_RESET_PASSWORD_WITH_CODE",
            "codeDeliveryDetails": _delivery(response.get("CodeDeliveryDetails")),
        },
    }


def confirm_reset_password(amp: Amplify, inputs: dict[str, Any]) -> Response:
    """confirmResetPassword: ConfirmForgotPassword after checking username, newPassword, then the code."""
    username, new_password, code = inputs.get("username"), inputs.get("newPassword"), inputs.get("confirmationCode")
    require(username, Validation.EmptyConfirmResetPasswordUsername)
    require(new_password, Validation.EmptyConfirmResetPasswordNewPassword)
    require(code, Validation.EmptyConfirmResetPasswordConfirmationCode)
    amp.cognito(
        "ConfirmForgotPassword",
        {
            "Username": username,
            "ConfirmationCode": code,
            "Password": new_password,
            "ClientMetadata": options_of(inputs).get("clientMetadata"),
        },
    )
    return {}
