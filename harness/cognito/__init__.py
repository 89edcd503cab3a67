"""Facts about Cognito: its service model, SECRET_HASH, SRP, one call's outcome."""
