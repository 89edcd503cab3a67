"""Scenario prose placed safely in Markdown: authors write plain text, a forge must show it as written.

Only what would change the meaning is escaped: ``<`` outside code spans (``Client <id> ...`` would be taken
for an HTML tag and vanish), and brackets in link text. Backticks stay, so authors can mark code.
"""

from __future__ import annotations

import re

from harness.steps.words import one_line

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_GITHUB_THREAD = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+)/(?:issues|pull|discussions)/(\d+)/?$")


def prose(text: str) -> str:
    """Author text as Markdown: stripped, ``<`` escaped outside code spans."""
    parts: list[str] = []
    last = 0
    stripped = text.strip()
    for span in _CODE_SPAN.finditer(stripped):
        parts.append(stripped[last : span.start()].replace("<", "&lt;"))
        parts.append(span.group(0))
        last = span.end()
    parts.append(stripped[last:].replace("<", "&lt;"))
    return "".join(parts)


def inline(text: str) -> str:
    """Author text for one line (a heading, a list item): :func:`prose` on one line."""
    return prose(one_line(text))


def link_text(text: str) -> str:
    """Text inside ``[...]``: brackets escaped so the link stays a link."""
    return inline(text).replace("[", r"\[").replace("]", r"\]")


def ref_link(uri: str) -> str:
    """A reference as a link: GitHub threads as ``owner/repo#123``, anything else as the address itself."""
    thread = _GITHUB_THREAD.match(uri)
    if thread:
        return f"[{thread.group(1)}#{thread.group(2)}]({uri})"
    return f"<{uri}>"
