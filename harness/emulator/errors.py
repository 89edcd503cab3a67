"""Cognito's error responses: one exception type, and every message text the emulator uses, in one place (the
texts of model-constraint failures, "1 validation error detected: ...", are built from the model by validation.py).

Texts marked [OBS]/[DG] come from ../shared/docs/cognito-behaviour.md. Texts marked UNCONFIRMED are the
emulator's documented choice where no public source quotes the real message; docs/emulator.md lists them.
"""

from __future__ import annotations


class CognitoError(Exception):
    """An error the service answers with: HTTP status, `__type` code and message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


# --- sessions [OBS amplify-js#14330]
SESSION_USED = "Invalid session for the user, session can only be used once."
SESSION_EXPIRED = "Invalid session for the user, session is expired."
SESSION_INVALID = "Invalid session for the user."
# UNCONFIRMED: a session answered with another challenge's name.
CHALLENGE_MISMATCH = "Invalid session for the user."

# --- users and passwords [DG, OBS]
BAD_CREDENTIALS = "Incorrect username or password."
USER_NOT_FOUND = "User does not exist."
# An unknown user named to ForgotPassword, ConfirmForgotPassword, ConfirmSignUp or ResendConfirmationCode (the
# client-id calls that are not sign-in) with PreventUserExistenceErrors LEGACY [OBS: the raw answer to
# ForgotPassword in aws-amplify/aws-sdk-ios#4837; ConfirmForgotPassword, aws-amplify/aws-sdk-ios#1732 and
# amplify-js#10157; ConfirmSignUp, amazon-archives/amazon-cognito-identity-js#537; ResendConfirmationCode, apps
# matching Amplify's resendSignUp error on this text].
USERNAME_CLIENT_NOT_FOUND = "Username/client id combination not found."
# SignUp in a pool where only administrators create users (AdminCreateUserConfig.AllowAdminCreateUserOnly), no
# final period [C: pmill/aws-cognito#37, the raw answer; aws-amplify/amplify-js#6415].
SIGN_UP_NOT_PERMITTED = "SignUp is not permitted for this user pool"
USER_NOT_CONFIRMED = "User is not confirmed."
USER_DISABLED = "User is disabled."
PASSWORD_ATTEMPTS_EXCEEDED = "Password attempts exceeded"
PASSWORD_RESET_REQUIRED = "Password reset required for the user"
ATTEMPT_LIMIT_EXCEEDED = "Attempt limit exceeded, please try after some time."  # [C: aws-sdk-android#627]
USERNAME_EXISTS = "User already exists"
USERNAME_EXISTS_EMAIL = "An account with the given email already exists."  # pools signing in by email
USERNAME_EXISTS_PHONE = "An account with the given phone_number already exists."
USER_ACCOUNT_EXISTS = "User account already exists"  # AdminCreateUser
ALIAS_EXISTS_EMAIL = "An account with the email already exists."
ALIAS_EXISTS_PHONE = "An account with the phone_number already exists."
ALIAS_EXISTS_PREFERRED_USERNAME = "An account with the preferred_username already exists."  # UNCONFIRMED: as above


def alias_exists(attribute: str) -> str:
    """AliasExistsException's text for a clash on `attribute` (email, phone_number, preferred_username)."""
    return {"email": ALIAS_EXISTS_EMAIL, "phone_number": ALIAS_EXISTS_PHONE}.get(
        attribute, ALIAS_EXISTS_PREFERRED_USERNAME
    )


TEMPORARY_PASSWORD_EXPIRED = "Temporary password has expired and must be reset by an administrator."
CANNOT_CONFIRM = "User cannot be confirmed. Current status is {status}"
ALREADY_CONFIRMED = "User is already confirmed."
# AdminCreateUser RESEND for a user past FORCE_CHANGE_PASSWORD [C: an app's error handling matching "status is not
# FORCE_CHANGE_PASSWORD" on the SDK's answer]; UNCONFIRMED: the first half and the final period.
RESEND_NOT_FORCE_CHANGE_PASSWORD = "Resend not possible. {username} status is not FORCE_CHANGE_PASSWORD"
# ForgotPassword for a user an administrator created who has not yet chosen a password (FORCE_CHANGE_PASSWORD)
# [C: aws-amplify/amplify-flutter#3048 (with its request id), aws-amplify/amplify-js#1340,
# aws/aws-aspnet-cognito-identity-provider#37].
PASSWORD_RESET_NOT_ALLOWED = "User password cannot be reset in the current state."
NO_RECOVERY_DESTINATION = "Cannot reset password for the user as there is no registered/verified email or phone_number"
# The username is not an email/phone in a pool whose UsernameAttributes require one [OBS aws-amplify/amplify-js#533,
# #5313]: email-only pools and email+phone pools; UNCONFIRMED for phone-only pools.
USERNAME_SHOULD_BE = "Username should be either an email or a phone number."
USERNAME_SHOULD_BE_EMAIL = "Username should be an email."
USERNAME_SHOULD_BE_PHONE = "Username should be a phone number."
# A username shaped like an alias the pool signs in with (AliasAttributes), on SignUp and AdminCreateUser: the
# email text is observed in real answers (InvalidParameterException; re:Post "How to set Cognito preferred_username
# ... aliases", and projects quoting their pools' answers); the phone text's first clause is observed, the rest of it
# is UNCONFIRMED (worded as the email one).
USERNAME_EMAIL_FORMAT = "Username cannot be of email format, since user pool is configured for email alias."
USERNAME_PHONE_FORMAT = (
    "Username cannot be of phone number format, since user pool is configured for phone number alias."
)
# A preferred_username alias is given only once the account is confirmed, never at sign-up [DG "User pool
# attributes": "your user can provide the value only when they confirm an account. They can't provide the value
# during registration"; the text: C: aws-amplify/amplify-js#1669, #13724].
PREFERRED_USERNAME_UNCONFIRMED = (
    "Preferred username cannot be provided for unconfirmed account, since user pool is configured for preferred "
    "username alias."
)
PASSWORD_POLICY = "Password did not conform with policy: {reason}"
# A new password that breaks the policy is worded differently: NEW_PASSWORD_REQUIRED [OBS, cognito-behaviour.md
# "Sourced 2026-11-29"], ConfirmForgotPassword [C: apps matching this text in their forgotPasswordSubmit and
# confirmResetPassword handlers; amplify-ui's translation key] and ChangePassword (UNCONFIRMED: a profile-settings
# test expecting it; no raw answer found).
NEW_PASSWORD_POLICY = "Password does not conform to policy: {reason}"
# A NEW_PASSWORD_REQUIRED answer without an attribute the pool requires [C: aws-amplify/aws-sdk-android#1402,
# aws-amplify/amplify-js#1306, the raw answer]. UNCONFIRMED: how several missing attributes are listed (one report
# reads "name and adress is missing"); the emulator names the first.
REQUIRED_ATTRIBUTE_MISSING = "Invalid attributes given, {name} is missing"
PASSWORD_TOO_SHORT = "Password not long enough"
PASSWORD_NEEDS_UPPER = "Password must have uppercase characters"
PASSWORD_NEEDS_LOWER = "Password must have lowercase characters"
PASSWORD_NEEDS_NUMBER = "Password must have numeric characters"
PASSWORD_NEEDS_SYMBOL = "Password must have symbol characters"
# UNCONFIRMED: SignUp without a password in a pool that does not allow passwordless sign-up.
PASSWORD_REQUIRED = "Password is required for this user pool."
# An attribute the schema does not have [C: real apps quoting it, e.g. for custom:user_type; until about 2022 the
# answer read "...: custom:x: Attribute does not exist in the schema.", aws-amplify/amplify-cli#1761].
ATTRIBUTE_UNKNOWN = "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
ATTRIBUTE_REQUIRED = "Attributes did not conform to the schema: {name}: The attribute is required"
# A required attribute removed by an update [C: aws-amplify/aws-sdk-ios#4251, UpdateUserAttributes; the "user."
# prefix is that operation's, as in "user.email: Attribute cannot be updated.", amplify-swift#3981]. UNCONFIRMED:
# that AdminUpdateUserAttributes and DeleteUserAttributes word it the same.
REQUIRED_ATTRIBUTE_DELETED = "user.{name}: Required attribute cannot be deleted."
# [OBS] aws/aws-sdk-js#1319, amazon-cognito-identity-js#397: an attribute outside the app client's WriteAttributes.
ATTRIBUTE_NOT_WRITABLE = "A client attempted to write unauthorized attribute"
# [OBS] a test asserting AWS's answer for `sub` (the same text is reported for email_verified in NEW_PASSWORD_REQUIRED).
ATTRIBUTE_IMMUTABLE = "Cannot modify the non-mutable attribute {name}"
EMAIL_INVALID = "Invalid email address format."  # [OBS amplify-js#533, #5313]
PHONE_INVALID = "Invalid phone number format."  # now observed: aws-amplify/amplify-js#8274, #4176 (the raw answer)
# GetUserAttributeVerificationCode (and VerifyUserAttribute, UNCONFIRMED) for an attribute that is neither email nor
# phone_number [C: floci-io/floci#1898, a comparison with a real pool; a real app's map of Cognito's messages]
ATTRIBUTE_NOT_VERIFIABLE = "Invalid attribute name. Only phone_number and email can be verified."
# ... for an email or phone number the user does not have, no final period [C: floci-io/floci#1898, the same
# comparison]; UNCONFIRMED: the code (InvalidParameterException) and VerifyUserAttribute's answer.
ATTRIBUTE_MISSING = {
    "email": "User does not have a valid registered email address",
    "phone_number": "User does not have a valid registered phone number",
}
# [OBS aws/aws-sdk-php#1088] a Filter ListUsers cannot parse; UNCONFIRMED (moto's text, getmoto/moto#4389): an
# attribute ListUsers cannot search.
FILTER_UNPARSABLE = "Error while parsing filter."
FILTER_NOT_SEARCHABLE = "Invalid search attribute: {name}"

# --- choice-based sign-in [OBS, DG]
OTP_MISMATCH = "Invalid code or auth state for the user."
# A feature outside the pool's feature plan [OBS aws-amplify/amplify-backend#2805 ("Passwordless Sign-In" on LITE),
# hashicorp/terraform-provider-aws#40734]; the other feature names are UNCONFIRMED.
FEATURE_NOT_IN_TIER = "The following features need to be disabled for the {tier} pricing tier configured: {feature}"
# A sign-in policy without PASSWORD [OBS: CreateUserPool and UpdateUserPool answers quoted in infrastructure
# projects' logs, one with its RequestID; CloudFormation words it "Invalid request provided: PASSWORD should be ...".]
PASSWORD_FACTOR_REQUIRED = "Password should be configured as one of the allowed first auth factors."
# MFA and passwordless first factors [OBS, real answers quoted in public infrastructure-tool issues; facts file].
MFA_WITH_OTP_FACTOR = "Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is enabled"
WEB_AUTHN_SINGLE_FACTOR_WITH_MFA = (
    "Cannot set WebAuthn factor configuration to SINGLE_FACTOR if MFA is required and WebAuthn is an allowed first "
    "auth factor"
)
# Email MFA needs the pool to send through Amazon SES [DG "Email MFA"]; the text [OBS: SetUserPoolMfaConfig and
# CreateUserPool answers quoted by infrastructure projects, go-to-k/cdkd among them].
EMAIL_MFA_NEEDS_SES = (
    "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an EmailSendingAccount of "
    "COGNITO_DEFAULT."
)
# SetUserPoolMfaConfig [OBS, both quoted from real answers: go-to-k/cdkd#1920 and a project's troubleshooting notes;
# hashicorp/terraform-provider-aws's user pool resource leaves the factor blocks out when MFA is OFF for the second].
MFA_METHOD_REQUIRED = "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled."
MFA_OFF_WITH_METHOD = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
# A TOTP code answered twice [OBS aws-amplify/amplify-swift tests].
TOTP_CODE_REUSED = "Your software token has already been used once."
# UNCONFIRMED: a SELECT_CHALLENGE answer naming a challenge the user was not offered.
CHALLENGE_NOT_AVAILABLE = "The challenge {challenge} is not available for this user."
# TOTP set-up and MFA preferences (ops/mfa.py)
TOTP_NOT_ASSOCIATED = "Software Token MFA has not been associated."  # UNCONFIRMED
# AssociateSoftwareToken / VerifySoftwareToken in a pool without TOTP [DG "TOTP software token MFA"].
TOTP_NOT_ENABLED_IN_POOL = "Software Token MFA has not been enabled by the userPool."
# AdminDeleteSoftwareToken for a user with no verified software token: ResourceNotFoundException [API
# AdminDeleteSoftwareToken, "when the user has no software token registration to delete"]; the text is UNCONFIRMED.
TOTP_NOTHING_TO_DELETE = "User does not have a software token registered."
TOTP_ENABLE_MISMATCH = (
    "Code mismatch and fail enable Software Token MFA"  # [C: aws-samples/aws-amplify-auth-starters#15]
)
# Enabling TOTP before a token is verified [C: aws/aws-sdk-js-v3#4645, 2023; until 2019 the answer was "User has not
# verified software token mfa", amplify-js#407]; SMS or email MFA for a user without the number or address, worded
# the same by analogy (UNCONFIRMED; in 2018 "User does not have a phone_number set to turn on SMS MFA", #618).
MFA_NOT_DELIVERABLE = "User does not have delivery config set to turn on {method}"
TOKEN_OR_SESSION_REQUIRED = "Either AccessToken or Session must be provided."  # UNCONFIRMED
# SetUserSettings / AdminSetUserSettings (the legacy MFAOptions): an attribute other than phone_number [OBS
# aws-amplify/aws-sdk-ios#382, the service's answer]; the EMAIL medium, which the reference says cannot be set
# (UNCONFIRMED text, worded as the first).
MFA_OPTION_ATTRIBUTE = "Only phone_number attribute is currently supported as a MFA option."
MFA_OPTION_MEDIUM = "Only SMS delivery medium is currently supported as a MFA option."
# SRP answers the emulator cannot read (ops/srp_auth.py, ops/custom_auth.py)
SRP_A_INVALID = "SRP_A is not a valid SRP value."  # UNCONFIRMED
# [C: amazon-archives/amazon-cognito-identity-js#683, NabuCasa/pycognito#122]
TIMESTAMP_INVALID = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."
PASSWORD_VERIFIER_NEEDS_SRP_A = "PASSWORD_VERIFIER must be requested with SRP_A in InitiateAuth."  # UNCONFIRMED

# --- passkeys (WebAuthn) [DG "Passkeys"]; UNCONFIRMED wording
RP_ID_PUBLIC_SUFFIX = "The relying party ID {rp_id} is a public suffix and cannot be used for passkeys."
WEB_AUTHN_NOT_ENABLED = "Passkey sign-in (WEB_AUTHN) is not enabled in the user pool's sign-in policy."
WEB_AUTHN_CONFIGURATION_MISSING = "The user pool has no WebAuthnConfiguration.RelyingPartyId."
# A registration credential that does not verify: InvalidParameterException with this text, no reason given
# [C: aws/aws-sdk-net#4386, the service's answer]. UNCONFIRMED: that every such failure (a challenge, a signature, a
# malformed credential) answers it, and that a sign-in credential whose client data cannot be read does too; origin
# and relying-party mismatches have codes of their own in the model.
PASSKEY_REJECTED = "Credential data is not valid"
# The other passkey refusals carry the model's codes; their texts are UNCONFIRMED.
PASSKEY_ORIGIN_NOT_ALLOWED = "The origin {origin} is not allowed for {rp_id}."
PASSKEY_REGISTRATION_NOT_STARTED = "No passkey registration is under way for this user."
PASSKEY_NOT_FOUND = "The passkey credential does not exist."

# --- custom auth and triggers [OBS, DG]
CUSTOM_AUTH_NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
LAMBDA_FAILED = "{name} failed with error {error}."  # [OBS aws-amplify/amplify-ui-android#314]
# [OBS sst/sst#1815]
LAMBDA_TIMEOUT = "{name} invocation failed due to error Socket timeout while invoking Lambda function."
LAMBDA_INVALID_JSON = "Invalid lambda function output : Invalid JSON"  # [OBS aws/aws-sdk-js#2692]
LAMBDA_UNRECOGNIZABLE = "Unrecognizable lambda output"  # [OBS amazon-cognito-identity-js#167]
# A UserMigration trigger that answers without the user (no userAttributes): UserNotFoundException [C: a re:Post
# question quoting the raw answer to an empty response]. UNCONFIRMED: that any reply without userAttributes
# answers it.
MIGRATION_WITHOUT_USER = "Exception migrating user in app client {client_id}"
# A trigger whose ARN names no function the emulator knows (harness/emulator/triggers.py): the emulator's own text
LAMBDA_NOT_REGISTERED = "{name} invocation failed: no function {arn} is registered."

# --- groups
GROUP_NOT_FOUND = "Group not found."  # [OBS aws-amplify/amplify-cli#2214, a real GetGroup answer in Lambda logs]
# CreateGroup's answer for a name in use, without the name [C: aws-amplify/amplify-backend#1781, the error as the
# issue's title; UNCONFIRMED: the final period].
GROUP_EXISTS = "A group with the name already exists."

# AddCustomAttributes (ops/pools.py, sources there)
CUSTOM_ATTRIBUTE_EXISTS = "Existing attribute already has name {name}."
REQUIRED_CUSTOM_ATTRIBUTE = "Required custom attributes are not supported currently."
TOO_MANY_CUSTOM_ATTRIBUTES = "A user pool can have at most {limit} custom attributes."  # UNCONFIRMED
# Pool and app client settings (ops/pools.py)
# [C: a CDK pre-flight rule quoting it; Packt's "Serverless Programming Cookbook"]; UNCONFIRMED: the capitals
USERNAME_AND_ALIAS_ATTRIBUTES = "Only one of the aliasAttributes or usernameAttributes can be set in a User pool."
# [C: rebuy-de/aws-nuke's user pool resource compares this text; koki-develop/zenn-contents, CLI output]
DELETION_PROTECTED = (
    "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be "
    "inactivated first."
)
MIXED_AUTH_FLOWS = "The legacy and ALLOW_ prefixed ExplicitAuthFlows values cannot be mixed."  # UNCONFIRMED
TOKEN_VALIDITY_RANGE = "Invalid range for token validity."  # [C: aws-samples/cloudfront-authorization-at-edge#144]

# SignUp (or a resend) in a pool that confirms by link but has no domain [C: aws-amplify/amplify-js#4489, the API's
# answer quoted; amazon-archives/amazon-cognito-identity-js#512]. "use pool" is Cognito's spelling.
LINK_NEEDS_DOMAIN = (
    "Cannot perform specific action because there does not exist a valid use pool domain associated with the user pool"
)

# A CustomMessage trigger's message without the code placeholder [OBS amazon-cognito-identity-js#99].
CUSTOM_MESSAGE_WITHOUT_CODE = (
    "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy "
    "regular expression pattern: [\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}\\s*]*\\{{####\\}}"
    "[\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}\\s*]*"
)

# --- codes [DG]
CODE_MISMATCH = "Invalid verification code provided, please try again."
CODE_EXPIRED = "Invalid code provided, please request a code again."

# --- auth flows and clients [DG, OBS]
FLOW_NOT_ENABLED = "{flow} flow not enabled for this client"
# USER_SRP_AUTH and CUSTOM_AUTH are refused in other words [C: aws-amplify/aws-sdk-android#1306 and apps quoting
# "InvalidParameterException: USER_SRP_AUTH is not enabled for the client."; aws-amplify/amplify-js#4915 and apps'
# message maps for CUSTOM_AUTH]. UNCONFIRMED: REFRESH_TOKEN_AUTH's, worded here as the first.
FLOW_NOT_ENABLED_FOR_CLIENT = "{flow} is not enabled for the client."
ADMIN_FLOW_NOT_ENABLED = "Auth flow not enabled for this client"
INITIATE_METHOD_NOT_SUPPORTED = "Initiate Auth method not supported."
MISSING_PARAMETER = "Missing required parameter {name}"
SECRET_HASH_MISMATCH = "Unable to verify secret hash for client {client_id}"
SECRET_HASH_MISSING = "Client {client_id} is configured with secret but SECRET_HASH was not received"
CLIENT_NOT_FOUND = "User pool client {client_id} does not exist."
# Client secret rotation (ops/client_secrets.py). The rules are the API reference's [API AddUserPoolClientSecret:
# "up to 2 active secrets per app client", for "an existing confidential user pool app client";
# DeleteUserPoolClientSecret: "You cannot delete the last remaining secret for an app client."]; the texts are
# UNCONFIRMED (no public capture of these answers yet), the last one worded as that sentence.
CLIENT_SECRET_PUBLIC_CLIENT = (
    "Client {client_id} has no client secret: secrets can only be added to a confidential app client."
)
CLIENT_SECRET_LIMIT = "Client {client_id} already has {limit} client secrets, the most it can hold. Delete one first."
CLIENT_SECRET_NOT_FOUND = "Client secret {secret_id} does not exist for client {client_id}."
CLIENT_SECRET_LAST = "You cannot delete the last remaining secret for an app client."
POOL_NOT_FOUND = "User pool {pool_id} does not exist."
# UNCONFIRMED: an AuthFlow the emulator does not implement yet.
FLOW_NOT_SUPPORTED = "The emulator does not support the {flow} flow yet."
CHALLENGE_NOT_SUPPORTED = "The emulator does not support answering {challenge} yet."

# --- user session tracking (ops/user_sessions.py) [API SetUserPoolSessionConfiguration, ListUserSessions,
# RevokeUserSession]. The errors' types follow the reference where it names them (the feature plan:
# FeatureUnavailableInTierException); every text here is UNCONFIRMED (no public capture of these answers yet).
SESSION_TRACKING_NOT_IN_TIER = "User session tracking is not available for the {tier} feature plan."
SESSION_TRACKING_DISABLED = "User session tracking is not enabled for this user pool."
SESSION_NOT_FOUND = "Session {session_id} does not exist."
SESSION_IS_CURRENT = "You can't revoke the session that the calling access token belongs to."

# --- AdminLinkProviderForUser / AdminDisableProviderForUser (ops/federation.py)
# A SourceUser that already signed in [C: aws/aws-sdk-net#1000, the service's message]; a native (Cognito) user as
# the SourceUser [C: boto3#4163 and aws-sdk-js-v3#5281, the service's message]. UNCONFIRMED: the text for a
# SourceUser already linked (AWS changed it in 2024-07, aws/aws-sdk#766; this wording is only seen in
# third-party code), for the sixth link of one user, and for a provider the pool lacks.
LINK_SOURCE_SIGNED_UP = (
    "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link"
)
LINK_SOURCE_IS_COGNITO = (
    "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, "
    "only as a DestinationUser"
)
LINK_SOURCE_ALREADY_LINKED = "SourceUser is already linked to DestinationUser"
LINK_LIMIT = "A user can be linked to at most {limit} federated users."
LINK_ATTRIBUTE_NAME = "ProviderAttributeName must be Cognito_Subject for a {type} provider."
LINK_DESTINATION_PROVIDER = "DestinationUser ProviderName must be Cognito."
PROVIDER_UNKNOWN = "Identity provider {provider} does not exist in user pool {pool_id}."

# --- tokens [DG, OBS]
# Quoted from real answers: aws/aws-sdk-java#2449 and aws-amplify/amplify-js#3540 (revoked, after a global sign-out),
# aws-amplify/aws-sdk-ios#1376 (expired), Lokicoule/nestjs-cognito#153 (an id token given as the access token).
ACCESS_TOKEN_INVALID = "Invalid Access Token"
ACCESS_TOKEN_EXPIRED = "Access Token has expired"
ACCESS_TOKEN_REVOKED = "Access Token has been revoked"
# [OBS amplify-js#1906] an access token without the aws.cognito.signin.user.admin scope (an OAuth token).
ACCESS_TOKEN_SCOPE = "Access Token does not have required scopes"
REFRESH_TOKEN_INVALID = "Invalid Refresh Token"
# Another app client's refresh token, from the same pool [C: aws/aws-sdk-js#4016, aws-amplify/amplify-js#9502:
# Cognito's answer since 2022-01-21, "Invalid Refresh Token" before].
REFRESH_TOKEN_OTHER_CLIENT = "Refresh Token has different Client"
# The raw response headers in aws-amplify/amplify-swift#3496 (expired) and #3344 (revoked)
REFRESH_TOKEN_EXPIRED = "Refresh Token has expired"
REFRESH_TOKEN_REVOKED = "Refresh Token has been revoked"
TOKEN_REVOCATION_DISABLED = "Token revocation is not enabled for this client."
# RevokeToken with what is not a refresh token, or another client's (ops/token_ops.py); UNCONFIRMED
TOKEN_TYPE_UNSUPPORTED = "The token type is not supported."
TOKEN_OF_ANOTHER_CLIENT = "The token was not issued to this client."

# --- devices (ops/devices.py)
# [AJS retryOnResourceNotFoundException.ts: Amplify matches this text, clears its device and signs in again]
DEVICE_NOT_FOUND = "Device does not exist."
# ConfirmDevice with a key Cognito does not hold for the user: InvalidParameterException [C: boto/boto3#4059,
# aws-amplify/amplify-js#2087, both ConfirmDevice answers]. UNCONFIRMED: that an unknown key is what those reports
# met (their keys came from NewDeviceMetadata in pools whose settings Cognito did not track them under).
DEVICE_KEY_INVALID = "Invalid device key given."
# UNCONFIRMED: ConfirmDevice of a confirmed device, and a DeviceSecretVerifierConfig that is not one.
DEVICE_KEY_EXISTS = "Device key already exists."
DEVICE_VERIFIER_INVALID = "Invalid device secret verifier config: {reason}"

# --- protocol
UNKNOWN_OPERATION = "Unknown operation {target}"
NOT_IMPLEMENTED = "The authflow emulator does not implement {operation}."
# UNCONFIRMED: the texts of bodies AWS JSON 1.1 cannot decode. The code, 400 SerializationException, is what
# Smithy's protocol tests for AWS JSON services expect for a body that is not JSON (smithy-aws-protocol-tests,
# malformedRequests/malformed-request-body.smithy); the texts are the emulator's.
BODY_NOT_JSON = "The request body is not valid JSON"
BODY_NOT_OBJECT = "Expected an object as the request body"
BODY_TOO_DEEP = "The request body is not valid JSON: values nest deeper than {limit} levels"
BODY_BAD_UNICODE = "The request body is not valid JSON: a string holds an unpaired UTF-16 surrogate"
BODY_TOO_LARGE = "Request body exceeds {limit} bytes"

# --- the HTTP server (harness/emulator/server.py): the emulator's own texts, no Cognito counterpart
HTTP_BAD_REQUEST_LINE = "Malformed request line: expected METHOD TARGET HTTP/1.x"
HTTP_BAD_TARGET = "Malformed request target"
HTTP_METHOD_NOT_ALLOWED = "{method} is not supported; use POST / for the API"
HTTP_BAD_CONTENT_LENGTH = "Invalid Content-Length"
HTTP_BOTH_FRAMINGS = "A request may not carry both Transfer-Encoding and Content-Length"
HTTP_BAD_TRANSFER_ENCODING = "Unsupported Transfer-Encoding {coding}; send Content-Length or chunked (HTTP/1.1)"
HTTP_BAD_CHUNK = "Malformed chunked body: {problem}"
HTTP_TRUNCATED_BODY = "The request body ended before its declared length"
HTTP_REQUEST_TIMEOUT = "The request did not arrive within {seconds:g} s"
SIDE_DOOR_LOOPBACK_ONLY = "The authflow side door answers loopback callers only"
SIDE_DOOR_FOREIGN_HOST = "The authflow side door answers requests for a loopback host only, not {host}"
SIDE_DOOR_FOREIGN_ORIGIN = "The authflow side door does not answer web pages (Origin {origin})"
SIDE_DOOR_CROSS_SITE = "The authflow side door does not answer cross-site browser requests"
SIDE_DOOR_NO_PREFLIGHT = "The authflow side door does not answer CORS preflights"
SIDE_DOOR_NEEDS_JSON = "The authflow side door's POST controls need Content-Type: application/json"
SIDE_DOOR_NO_SUCH_CONTROL = "No such control {path}"


def not_authorized(message: str) -> CognitoError:
    return CognitoError("NotAuthorizedException", message)


def invalid_parameter(message: str) -> CognitoError:
    return CognitoError("InvalidParameterException", message)


def missing_parameter(name: str) -> CognitoError:
    return invalid_parameter(MISSING_PARAMETER.format(name=name))


def resource_not_found(message: str) -> CognitoError:
    return CognitoError("ResourceNotFoundException", message)


def user_not_found() -> CognitoError:
    return CognitoError("UserNotFoundException", USER_NOT_FOUND)


def username_client_not_found() -> CognitoError:
    return CognitoError("UserNotFoundException", USERNAME_CLIENT_NOT_FOUND)
