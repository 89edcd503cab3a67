"""DefineAuthChallenge: ask CUSTOM_CHALLENGE until one is answered right (tokens) or MAX_ATTEMPTS failed.

The event and the response are Cognito's ("Define auth challenge Lambda trigger", Amazon Cognito developer guide).
"""

import os


def handler(event, context):
    attempts = int(os.environ.get("MAX_ATTEMPTS", "3"))
    custom = [s for s in event["request"]["session"] if s["challengeName"] == "CUSTOM_CHALLENGE"]
    if custom and custom[-1]["challengeResult"]:
        event["response"] = {"issueTokens": True, "failAuthentication": False}
    elif len(custom) >= attempts or event["request"].get("userNotFound"):
        event["response"] = {"issueTokens": False, "failAuthentication": True}
    else:
        event["response"] = {"challengeName": "CUSTOM_CHALLENGE", "issueTokens": False, "failAuthentication": False}
    print(f"after {len(custom)} custom challenges: {event['response']}")
    return event
