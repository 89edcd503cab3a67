"""Every text the OAuth side of the emulator answers with, with its source, in one place.

Sources: [DG <page>] the Cognito developer guide (the endpoint pages: "Token endpoint", "Authorize endpoint",
"UserInfo endpoint", "Revoke endpoint", "Logout endpoint"); [C <where>] a real answer quoted in public;
UNCONFIRMED: the emulator's choice where no public source quotes Cognito (docs/oauth.md lists them).
"""

from __future__ import annotations

# --- app client settings (CreateUserPoolClient / UpdateUserPoolClient)
# [C: console error quoted at jobairkhan.com 2019 "AWS Cognito user pools client credentials"; CDK/Terraform comments]
OAUTH_FLOWS_AND_SCOPES_REQUIRED = (
    "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
)
# InvalidOAuthFlowException [C: hashicorp/terraform-provider-aws#4984 and Terraform module comments]
CLIENT_CREDENTIALS_NEEDS_SECRET = "client_credentials flow can not be selected if client does not have a client secret."
# [C: quoted in public Cognito/CloudFormation lint rules and AgentCore docs; the __type is UNCONFIRMED]
CLIENT_CREDENTIALS_ALONE = "client_credentials flow can not be selected along with code flow or implicit flow."
# InvalidOAuthFlowException [C: hashicorp/terraform-provider-aws#4984 ("openid ..."), a public README ("email ...")]
SCOPE_NOT_WITH_CLIENT_CREDENTIALS = "{scope} is not supported with client_credentials flow"
# UNCONFIRMED text: aws_client_metadata that is not a JSON object (the parameter is [DG "Token endpoint"]).
CLIENT_METADATA_NOT_JSON = "aws_client_metadata must be a JSON object"
# ScopeDoesNotExistException [C: awsdocs/aws-cloudformation-user-guide#564]
SCOPE_DOES_NOT_EXIST = "Invalid scope requested: {scope}"
# InvalidParameterException [C: aws/aws-cdk#15692, #15850; lgallard/terraform-aws-cognito-user-pool#71, #72]. A
# Terraform run's output shows no final period, some quotes add one: UNCONFIRMED which is right.
PROVIDER_DOES_NOT_EXIST = "The provider {provider} does not exist for User Pool {pool_id}"
# InvalidOAuthFlowException, no final period [C: cisagov/crossfeed#440 via Terraform; anomalyco/sst#6272 with a
# RequestID]
CALLBACK_URL_REQUIRED = "CallbackUrls can not be empty when code flow or implicit flow is selected"
# A callback or sign-out URL over plain HTTP that is not localhost: InvalidParameterException [C:
# aws-amplify/amplify-cli#5419, the SDK's answer with its request id]; the rule is [DG "Authorize endpoint"].
CALLBACK_URL_HTTP = "{url} cannot use the HTTP protocol."
# UNCONFIRMED text: a URL with a fragment, or one that is not a URL [DG "Authorize endpoint", redirect_uri].
CALLBACK_URL_INVALID = "Invalid URL: {url}. Use https, http://localhost, or an app scheme, without a fragment."
# UNCONFIRMED text; the rule is [BC UserPoolClientType DefaultRedirectURI: "must be in the CallbackURLs list"].
DEFAULT_REDIRECT_NOT_CALLBACK = "DefaultRedirectURI must be one of the CallbackURLs."

# --- identity providers (CreateIdentityProvider ... GetIdentityProviderByIdentifier)
# DuplicateProviderException [C: aws-cloudformation/cloudformation-coverage-roadmap#1287, from CloudTrail]
PROVIDER_EXISTS = "{provider} already exists in user pool {pool_id}"
# InvalidParameterException [C: aws/aws-cli#3179: a Google provider must be named Google]
PROVIDER_NAME_NOT_TYPE = "Provider {provider} cannot be of type {type}."
IDENTIFIER_TAKEN = "Identifier {identifier} is already used by provider {provider}."  # UNCONFIRMED text and code
PROVIDER_NOT_FOUND = "Identity provider {provider} does not exist."  # UNCONFIRMED text
IDENTIFIER_NOT_FOUND = "Identity provider with identifier {identifier} does not exist."  # UNCONFIRMED text
# ProviderDetails without a key the type needs [BC]: Google, Facebook and LoginWithAmazon [C:
# aws-amplify/amplify-cli#8149, #9384, the SDK's answers], SAML [C: hashicorp/terraform-provider-aws#4815]; the
# text for OIDC and SignInWithApple is UNCONFIRMED.
SOCIAL_DETAILS_MISSING = "client_id, client_secret and authorize_scopes are all required idp details."
SAML_METADATA_MISSING = "At least one of the MetadataURL or MetadataFile should be provided."
PROVIDER_DETAIL_MISSING = "{key} is required for provider type {type}."
PROVIDER_NAME_RESERVED = "Provider name COGNITO is reserved."  # UNCONFIRMED text

# --- domains
# InvalidParameterException [C: hashicorp/terraform-provider-aws#16479, #14102; rebuy-de/aws-nuke#330]
POOL_HAS_DOMAIN_ON_DELETE = "User pool cannot be deleted. It has a domain configured that should be deleted first."
# A prefix another pool of the account holds [C: aws-amplify/amplify-cli#1845]. A prefix held in another account
# answers "Domain already associated with another user pool." [C: aws-samples/aws-cdk-examples#402]; the emulator
# is one account, so it never does (that reading of the two texts is UNCONFIRMED).
DOMAIN_EXISTS = "Domain already exists."
POOL_ALREADY_HAS_DOMAIN = "User pool already has a domain configured."  # [C: aws/aws-cdk#10062]
DOMAIN_NOT_OF_POOL = "Domain {domain} is not configured for user pool {pool_id}."  # UNCONFIRMED
# No final period [C: aws-amplify/amplify-cli#1513 ("aws"), #3854 ("cognito")]; the rule is [DG domains]
DOMAIN_RESERVED_WORD = "Domain cannot contain reserved word: {word}"

# --- resource servers (UNCONFIRMED texts)
RESOURCE_SERVER_EXISTS = "{identifier} already exists in user pool {pool_id}."
RESOURCE_SERVER_NOT_FOUND = "Resource server {identifier} does not exist in user pool {pool_id}."
DUPLICATE_SCOPE = "Duplicate scope name {scope} in resource server {identifier}."

# --- endpoints
# userInfo [DG "UserInfo endpoint", negative responses]
USERINFO_BAD_REQUEST = "Bad OAuth2 request at UserInfo Endpoint"
USERINFO_INVALID_TOKEN = "Access token is expired, disabled, or deleted, or the user has globally signed out."
# [C/D: facts file "OAuth token endpoint errors" (re:Post, public client issues)]
USERINFO_NO_OPENID = "Access token does not contain openid scope"
# The managed login page's texts: the API's for the same failures (errors.py) where one exists.
LOGIN_ERROR_PAGE = "An error was encountered with the requested page."  # [C: the page's heading, seen widely]
CONFIRM_LINK_DONE = "Your registration has been confirmed!"  # UNCONFIRMED: the /confirmUser page's text
CONFIRM_LINK_INVALID = "The confirmation link is not valid."  # UNCONFIRMED: a link naming no client of the pool
LOGIN_UNSUPPORTED_CHALLENGE = (  # UNCONFIRMED: the emulator's managed login stops here (docs/oauth.md)
    "The authflow emulator's managed login does not support the {challenge} step."
)

# --- federated sign-in (ops/federation.py): what comes back to the app as error_description, with
# error=invalid_request. A required attribute the provider did not give [C: captures of Cognito's redirects,
# "attributes required: [email]" (Facebook) and "attributes required: [given_name, family_name]" (Apple)].
FEDERATION_ATTRIBUTES_REQUIRED = "attributes required: [{names}]"
# The provider's answer lacks the id Cognito names the user by (the stand-in page's, emulator only).
FEDERATION_NO_SUBJECT = "The identity provider's answer has no {key}."
# A disabled profile signing in through its provider: worded as the API's "User is disabled." (UNCONFIRMED).
FEDERATION_USER_DISABLED = "User is disabled."
# The emulator's stand-in for a provider's sign-in page (oauth/endpoints.py IDP_STAND_IN): its own texts.
IDP_STAND_IN_TEXT = "authflow emulator: sign in as {provider} would answer - post its claims as a JSON object."
IDP_CLAIMS_NOT_JSON = "The claims must be a JSON object."
