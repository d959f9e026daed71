"""Feeds to article links: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

Feeds never need a DTD of their own, and one that declares entities is how
a billion-laughs attack starts (expat would expand megabytes before its own
guard trips), so such a feed is refused before parsing. feedparser is handed
a stream, never a string it could take for a URL or a file name, so it never
reaches the network or the disk. JSON Feed, which feedparser does not read,
is plain JSON.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from scraper.errors import DocumentError

MAX_ITEMS = 10_000
_INTERNAL_SUBSET = re.compile(rb"<!doctype[^>\[]*\[", re.IGNORECASE)


@dataclass(frozen=True)
class FeedItem:
    """One entry: its link, and the title and date the feed gives (fallbacks for the page's)."""

    url: str
    title: str | None = None
    published: str | None = None


def parse_feed(content: bytes, url: str) -> list[FeedItem]:
    """The items of an RSS, Atom or JSON feed; relative links resolve against ``url``."""
    if content.lstrip()[:1] == b"{":
        return _json_feed(content, url)
    if _INTERNAL_SUBSET.search(content, 0, 4096):
        raise DocumentError("refusing a feed that declares its own DTD (entity declarations)")
    parsed = feedparser.parse(
        io.BytesIO(content),  # a stream: a str or bytes could be taken for a URL or a file name
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise DocumentError(f"not a feed{f': {problem}' if problem else ''}")
    items: list[FeedItem] = []
    for entry in parsed.entries[:MAX_ITEMS]:
        link = _entry_link(entry)
        if link:
            items.append(
                FeedItem(
                    url=urljoin(url, link),
                    title=_text(entry.get("title")),
                    published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                )
            )
    return items


def _entry_link(entry: Any) -> str | None:
    """The entry's article link: the alternate link, else a permalink guid."""
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    guid = entry.get("id")
    if isinstance(guid, str) and guid.startswith(("http://", "https://")):
        return guid
    return None


def _json_feed(content: bytes, url: str) -> list[FeedItem]:
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as exc:
        raise DocumentError(f"not a JSON feed: {exc}") from exc
    version = document.get("version", "") if isinstance(document, dict) else ""
    if not isinstance(version, str) or "jsonfeed.org" not in version:
        raise DocumentError("not a JSON feed: no jsonfeed.org version")
    items: list[FeedItem] = []
    entries = document.get("items")
    for item in entries[:MAX_ITEMS] if isinstance(entries, list) else []:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.strip():
            continue
        items.append(
            FeedItem(
                url=urljoin(url, link.strip()),
                title=_text(item.get("title")),
                published=_text(item.get("date_published")),
            )
        )
    return items


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as ISO 8601."""
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None
