"""Managed login's OAuth 2.0 / OpenID Connect endpoints of a pool's domain (the emulator's side).

`endpoints.handle()` answers one HTTP request to a domain (`/<prefix>/oauth2/...`, `/<prefix>/login`,
`/<prefix>/logout`); the HTTP server only routes to it, and the scenario steps can call it in-process.
docs/oauth.md has the layout and the rules, each with its source.
"""
