"""The HTTP request and reply the domain endpoints work with, independent of any server."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from harness.emulator.emulator import Reply

FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class DomainRequest:
    """One request to a pool's domain. `path` is what follows the domain (`/oauth2/token`); `base` is the domain's
    own URL (`http://127.0.0.1:9229/my-domain`), for the links and redirects it answers with."""

    method: str
    path: str
    query: str
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    base: str = ""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def params(self) -> dict[str, str]:
        """The query's parameters (the last of a repeated one)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def form(self) -> dict[str, str] | None:
        """The body's form fields; None when the body is not a form."""
        media = (self.header("content-type") or "").split(";", 1)[0].strip().lower()
        if media != FORM_TYPE:
            return None
        try:
            return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return None

    def cookie(self, name: str) -> str | None:
        cookies: SimpleCookie = SimpleCookie()
        try:
            cookies.load(self.header("cookie") or "")
        except CookieError:
            return None
        morsel = cookies.get(name)
        return morsel.value if morsel is not None else None


def json_reply(status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status,
        {"Content-Type": "application/json;charset=UTF-8", "Cache-Control": "no-store", **(headers or {})},
        json.dumps(payload).encode(),
    )


def oauth_error(error: str, status: int = 400, description: str | None = None) -> Reply:
    """The token and revoke endpoints' error: JSON with `error` (and sometimes `error_description`)
    [DG "Token endpoint" and "Revoke endpoint", error responses]."""
    payload = {"error": error}
    if description:
        payload["error_description"] = description
    return json_reply(status, payload)


def redirect(location: str, cookies: list[str] | None = None) -> Reply:
    headers = {"Location": location, "Cache-Control": "no-store"}
    reply = Reply(302, headers, b"")
    if cookies:
        # One Set-Cookie header per cookie; the server writes a list value as repeated headers.
        reply.headers["Set-Cookie"] = "\n".join(cookies)
    return reply


def with_params(url: str, params: Mapping[str, str | None], *, fragment: bool = False) -> str:
    """`url` with the parameters added to its query (or as its fragment, for the implicit grant)."""
    encoded = urlencode({k: v for k, v in params.items() if v is not None})
    if fragment:
        return f"{url}#{encoded}"
    return f"{url}{'&' if '?' in url else '?'}{encoded}"


def page(status: int, title: str, body_html: str, cookies: list[str] | None = None) -> Reply:
    document = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>{body_html}</body></html>"
    )
    headers = {"Content-Type": "text/html;charset=UTF-8", "Cache-Control": "no-store"}
    if cookies:
        headers["Set-Cookie"] = "\n".join(cookies)
    return Reply(status, headers, document.encode())
