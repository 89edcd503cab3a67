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
