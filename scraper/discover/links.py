"""Listing pages (a section front, a home page) to the article links on them.

Only links to the same site are kept, and courlan's rules drop what is not
an article: navigation (tags, categories, pagination, authors), files by
extension, logins; feeds we drop ourselves. Links are followed one level: the pages these
links lead to are articles, never listings themselves. A site's ``follow`` rules, when it
has some, replace the guess: same-site links matching one of them are the articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from courlan.filters import extension_filter, is_navigation_page, is_not_crawlable
from selectolax.lexbor import LexborHTMLParser

from scraper.discover.urls import clean_url, site_of, url_key

MAX_LINKS = 5_000
_FEED_PATH = re.compile(r"/(?:feeds?|rss|atom)/?$|\.(?:xml|rss|atom)$", re.IGNORECASE)


def listing_links(
    content: bytes, url: str, charset: str | None = None, follow: Sequence[re.Pattern[str]] = ()
) -> list[str]:
    """Article-like same-site links on the page at ``url``, in page order, each once;
    with ``follow`` patterns, the same-site links one of them finds in the absolute URL."""
    html = content.decode(charset or "utf-8", errors="replace")
    tree = LexborHTMLParser(html)
    base_node = tree.css_first("base[href]")
    base = urljoin(url, base_node.attributes.get("href") or "") if base_node else url
    site = site_of(url)
    own_key = url_key(url)
    found: dict[str, str] = {}
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        target = clean_url(urljoin(base, href))
        key = url_key(target)
        if key == own_key or key in found or not _is_article_link(target, site, follow):
            continue
        found[key] = target
        if len(found) == MAX_LINKS:
            break
    return list(found.values())


def _is_article_link(url: str, site: str, follow: Sequence[re.Pattern[str]] = ()) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or site_of(url) != site:
        return False
    if follow:
        return any(pattern.search(url) for pattern in follow)
    if parts.path in ("", "/") or _FEED_PATH.search(parts.path):
        return False
    return (
        extension_filter(parts.path) and not is_navigation_page(url) and not is_not_crawlable(url)
    )
