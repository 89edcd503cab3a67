"""Cognito operations, one module per area; each handler takes the emulator and the request body."""
