"""Headline choice: the visible <h1> when the head agrees, without site-name suffixes."""

from __future__ import annotations

import re

from scraper.extract._text import fold, is_site_name, squash

_SEPARATORS = re.compile(r"\s+(?:::|[|\-–—:·»/])\s+|\s+[|–—·»]{1,2}|\s*\|\s*")


def strip_site(title: str, site_name: str | None, url: str | None) -> str:
    """Drop leading or trailing segments that name the site ("Story - BBC News")."""
    title = squash(title)
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _SEPARATORS.findall(title)
    while len(parts) > 1 and is_site_name(parts[-1], site_name, url):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and is_site_name(parts[0], site_name, url):
        parts.pop(0)
        seps.pop(0)
    if len(parts) == 2 and "|" in seps[0]:
        # "Headline | Section" or "Headline | Site": the short side is a label.
        head, tail = parts
        if len(tail.split()) <= 3 < len(head.split()):
            parts = [head]
        elif len(head.split()) <= 3 < len(tail.split()):
            parts = [tail]
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip()


def _similar(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    return fa == fb or (min(len(fa), len(fb)) >= 12 and (fa in fb or fb in fa))


def clean_title(
    h1: str | None, candidates: list[str], site_name: str | None, url: str | None
) -> str | None:
    stripped = [strip_site(c, site_name, url) for c in candidates if c and c.strip()]
    if (
        h1
        and not is_site_name(h1, site_name, url)
        and (not stripped or any(_similar(h1, c) for c in candidates))
    ):
        return squash(h1)
    for title in stripped:
        if title and not is_site_name(title, site_name, url):
            return title
    return squash(h1) if h1 else None
