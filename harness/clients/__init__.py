"""Clients of a user pool the harness drives: the Amplify JS model, the SRP client, a passkey authenticator."""
