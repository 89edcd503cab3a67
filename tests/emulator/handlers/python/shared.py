def custom_challenges(event):
    return [s for s in event["request"]["session"] if s["challengeName"] == "CUSTOM_CHALLENGE"]
