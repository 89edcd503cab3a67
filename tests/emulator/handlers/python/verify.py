import sys


def handler(event, context):
    expected = event["request"]["privateChallengeParameters"]["answer"]
    event["response"] = {"answerCorrect": event["request"]["challengeAnswer"] == expected}
    print(f"python verify: got {event['request']['challengeAnswer']}", file=sys.stderr)
    return event
