"""VerifyAuthChallengeResponse: the answer is right when it equals privateChallengeParameters.answer."""


def handler(event, context):
    expected = event["request"]["privateChallengeParameters"].get("answer")
    event["response"] = {"answerCorrect": expected is not None and event["request"]["challengeAnswer"] == expected}
    print("answer correct" if event["response"]["answerCorrect"] else "wrong answer")
    return event
