"""authflow: a declarative test harness for Amazon Cognito user-pool sign-in flows."""
