"""CreateAuthChallenge: a challenge whose answer is the agreed ANSWER (a shared secret, a captcha stand-in, ...)."""

import os


def handler(event, context):
    event["response"] = {
        "publicChallengeParameters": {"hint": "the agreed answer"},
        "privateChallengeParameters": {"answer": os.environ["ANSWER"]},
        "challengeMetadata": "FIXED_ANSWER",
    }
    return event
