import os
import sys
import time

calls = 0


def throws(event, context):
    print("about to throw")
    raise ValueError("Bad password.")


def hangs(event, context):
    time.sleep(60)


def exits(event, context):
    sys.exit(3)


def crashes(event, context):
    os._exit(9)


def returns_nothing(event, context):
    return None


def returns_list(event, context):
    return [1, 2]


def not_json(event, context):
    return {"response": {"when": object()}}


def counts(event, context):
    global calls
    calls += 1
    event["response"] = {"calls": calls}
    return event


def slow_until_third(event, context):
    """Hangs until it is called for the third time (counted in the file CALLS_FILE names, as a fresh runtime starts
    for every call Cognito stopped waiting for), then starts a custom challenge."""
    with open(os.environ["CALLS_FILE"], "a") as calls:
        calls.write("call\n")
    with open(os.environ["CALLS_FILE"]) as calls:
        count = len(calls.readlines())
    if count < int(os.environ.get("ANSWER_ON", "3")):
        time.sleep(60)
    event["response"] = {"challengeName": "CUSTOM_CHALLENGE", "issueTokens": False, "failAuthentication": False}
    return event
