"""A site's ``follow`` rules on its listing pages: the user's patterns replace the guess."""

from __future__ import annotations

import asyncio
import re

from scraper.config import SourceConfig
from scraper.discover import Candidate, Document, walk_source
from scraper.discover.links import listing_links
from scraper.rules import RuleBook, SiteRules

LISTING = b"""<html><body>
<a href="/2024/05/harbour-reopens">Harbour reopens</a>
<a href="/tag/harbour/">Harbour</a>
<a href="/live/storm-blog">Live: the storm</a>
<a href="https://elsewhere.example/2024/05/other">Elsewhere</a>
<a href="/about">About us</a>
</body></html>"""
URL = "https://www.news.example/front/"


def test_without_follow_rules_links_are_guessed() -> None:
    assert listing_links(LISTING, URL) == [
        "https://www.news.example/2024/05/harbour-reopens",
        "https://www.news.example/live/storm-blog",
        "https://www.news.example/about",
    ]


def test_follow_patterns_pick_the_same_site_links_they_find() -> None:
    follow = (re.compile(r"/\d{4}/\d{2}/"), re.compile("/tag/"))
    assert listing_links(LISTING, URL, follow=follow) == [
        "https://www.news.example/2024/05/harbour-reopens",
        "https://www.news.example/tag/harbour/",  # the user's word beats the navigation guess
    ]


class _OnePage:
    """Documents for the walk: the listing page, and nothing remembered."""

    async def fetch(self, url: str) -> Document | None:
        return Document(LISTING, url)

    def remembered(self, url: str) -> bytes | None:
        return None

    def remember(self, url: str, content: bytes) -> None:
        return None


def walk(rules: RuleBook | None) -> list[str]:
    source = SourceConfig(name="news", pages=[URL])

    async def collect() -> list[str]:
        return [
            found.url
            async for found in walk_source(source, _OnePage(), max_depth=1, rules=rules)
            if isinstance(found, Candidate)
        ]

    return asyncio.run(collect())


def test_the_walk_gives_listing_pages_their_sites_follow_rules() -> None:
    book = RuleBook({"news.example": SiteRules(domain="news.example", follow=("/live/",))})
    assert walk(book) == ["https://www.news.example/live/storm-blog"]
    other = RuleBook({"other.example": SiteRules(domain="other.example", follow=("/live/",))})
    assert walk(other) == walk(None) == listing_links(LISTING, URL)
