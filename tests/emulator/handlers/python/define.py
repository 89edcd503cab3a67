"""DefineAuthChallenge: CUSTOM_CHALLENGE until answered right, at most MAX_ATTEMPTS."""

import os

from shared import custom_challenges  # a sibling module: the handler's folder is importable, as on Lambda


def handler(event, context):
    custom = custom_challenges(event)
    attempts = int(os.environ.get("MAX_ATTEMPTS", "3"))
    if custom and custom[-1]["challengeResult"]:
        event["response"] = {"issueTokens": True, "failAuthentication": False}
    elif len(custom) >= attempts or event["request"].get("userNotFound"):
        event["response"] = {"issueTokens": False, "failAuthentication": True}
    else:
        event["response"] = {"challengeName": "CUSTOM_CHALLENGE", "issueTokens": False, "failAuthentication": False}
    print(f"python define: {len(custom)} answered, source {event['triggerSource']}")
    return event
