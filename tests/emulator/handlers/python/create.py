import logging
import os

logger = logging.getLogger(__name__)


def handler(event, context):
    event["response"] = {
        "publicChallengeParameters": {"hint": "the agreed answer"},
        "privateChallengeParameters": {"answer": os.environ["ANSWER"]},
        "challengeMetadata": "PYTHON_FIXED_ANSWER",
    }
    logger.warning(
        "python create for %s in %s, answer %s", event["userName"], context.function_name, os.environ["ANSWER"]
    )
    return event
