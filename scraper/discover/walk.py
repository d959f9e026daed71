"""One source to the stream of candidate article URLs it names.

The walk reads feeds, sitemaps (an index's children down to a bounded
depth, each document once), robots.txt ``Sitemap:`` lines, listing pages and
file globs. It fetches through a ``Documents`` object handed in by the
pipeline, so this layer never imports the fetcher. ``fetch`` answers None
for a document unchanged since the last run (a 304), which ends that branch
at no cost, except for documents that point to other documents (robots.txt,
a sitemap index): what they point to may have changed although they did
not, so their last body is kept and walked again.
"""

from __future__ import annotations

import glob
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from scraper.config import SourceConfig
from scraper.discover.feeds import parse_feed
from scraper.discover.links import listing_links
from scraper.discover.sitemaps import parse_sitemap, robots_sitemaps
from scraper.discover.urls import UrlFilter, clean_url
from scraper.errors import ScraperError
from scraper.rules import RuleBook


@dataclass(frozen=True)
class Document:
    content: bytes
    url: str
    """Where the document was finally read (after redirects): relative links resolve here."""
    charset: str | None = None


class Documents(Protocol):
    """How the walk reads feeds, sitemaps, robots.txt and listing pages."""

    async def fetch(self, url: str) -> Document | None:
        """The document, or None when it is unchanged since the last run (a 304)."""

    def remembered(self, url: str) -> bytes | None:
        """The body kept by ``remember`` in an earlier run, if any."""

    def remember(self, url: str, content: bytes) -> None:
        """Keep ``content`` for when ``url`` next answers 304 (sitemap indexes)."""


@dataclass(frozen=True)
class Candidate:
    """A URL worth fetching as an article, with the hints the source gave about it."""

    url: str
    source: str
    lastmod: str | None = None
    title: str | None = None
    published: str | None = None

    @property
    def is_file(self) -> bool:
        return self.url.startswith("file:")


@dataclass(frozen=True)
class Problem:
    """A document or URL the walk could not use, with the reason (for the rejects)."""

    url: str
    source: str
    reason: str
    detail: str
    stage: str = "discover"


Found = Candidate | Problem


async def walk_source(
    source: SourceConfig, documents: Documents, *, max_depth: int, rules: RuleBook | None = None
) -> AsyncIterator[Found]:
    """Every candidate of ``source``, filtered by its include/exclude rules, each URL once;
    ``rules`` gives listing pages their site's ``follow`` patterns."""
    url_filter = UrlFilter(source.include, source.exclude)
    seen: set[str] = set()
    async for found in _all(source, documents, max_depth, rules or RuleBook()):
        if isinstance(found, Candidate):
            if found.url in seen:
                continue
            seen.add(found.url)
            if (why := url_filter.why_not(found.url)) is not None:
                found = Problem(found.url, source.name, "excluded", why, stage="filter")
        yield found


async def _all(
    source: SourceConfig, documents: Documents, max_depth: int, rules: RuleBook
) -> AsyncIterator[Found]:
    name = source.name
    for feed in source.feeds:
        document = await _document(documents, feed, name)
        if isinstance(document, Problem):
            yield document
        elif document is not None:
            try:
                items = parse_feed(document.content, document.url)
            except ScraperError as exc:
                yield Problem(feed, name, exc.reason, str(exc))
                continue
            for item in items:
                yield Candidate(clean_url(item.url), name, None, item.title, item.published)
    for page in source.pages:
        document = await _document(documents, page, name)
        if isinstance(document, Problem):
            yield document
        elif document is not None:
            follow = rules.follow_for(document.url)
            for link in listing_links(document.content, document.url, document.charset, follow):
                yield Candidate(link, name)
    roots = list(source.sitemaps)
    if source.discover_sitemaps:
        async for hit in _robots_sitemaps(source, documents):
            if isinstance(hit, Problem):
                yield hit
            else:
                roots.append(hit)
    async for found in _sitemaps(roots, name, documents, max_depth):
        yield found
    for found in _files(source):
        yield found


async def _robots_sitemaps(
    source: SourceConfig, documents: Documents
) -> AsyncIterator[str | Problem]:
    origins = dict.fromkeys(
        f"{p.scheme}://{p.netloc}"
        for p in (urlsplit(u) for u in (*source.feeds, *source.sitemaps, *source.pages))
    )
    for origin in origins:
        url = f"{origin}/robots.txt"
        document = await _document(documents, url, source.name, reuse=True)
        if isinstance(document, Problem):
            yield document
        elif document is not None:
            documents.remember(url, document.content)
            for sitemap in robots_sitemaps(document.content, document.url):
                yield sitemap


async def _sitemaps(
    roots: list[str], name: str, documents: Documents, max_depth: int
) -> AsyncIterator[Found]:
    """Depth-first through indexes; every sitemap document fetched at most once."""
    stack = [(url, 0) for url in reversed(roots)]
    fetched: set[str] = set()
    while stack:
        url, depth = stack.pop()
        if url in fetched:
            continue
        fetched.add(url)
        document = await _document(documents, url, name, reuse=True)
        if isinstance(document, Problem):
            yield document
            continue
        if document is None:
            continue
        try:
            sitemap = parse_sitemap(document.content, document.url)
        except ScraperError as exc:
            yield Problem(url, name, exc.reason, str(exc))
            continue
        if sitemap.truncated:
            yield Problem(url, name, "truncated", "more URLs than a sitemap may hold; rest ignored")
        if sitemap.kind == "index":
            documents.remember(url, document.content)
            if depth >= max_depth:
                yield Problem(
                    url, name, "too_deep", f"sitemap index nested over {max_depth} levels"
                )
                continue
            stack.extend((entry.url, depth + 1) for entry in reversed(sitemap.entries))
            continue
        for entry in sitemap.entries:
            yield Candidate(clean_url(entry.url), name, entry.lastmod, entry.title, entry.published)


def _files(source: SourceConfig) -> list[Found]:
    """Saved pages named by the globs; a file's mtime plays the part of a sitemap lastmod."""
    found: list[Found] = []
    for pattern in source.files:
        paths = [Path(m).resolve() for m in sorted(glob.glob(pattern, recursive=True))]
        paths = [p for p in paths if p.is_file()]
        if not paths:
            found.append(Problem(pattern, source.name, "no_files", "the glob matches no file"))
        for path in paths:
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            found.append(Candidate(path.as_uri(), source.name, mtime.isoformat()))
    return found


async def _document(
    documents: Documents, url: str, source: str, *, reuse: bool = False
) -> Document | Problem | None:
    """The document; None when unchanged, unless ``reuse`` asks for the body remembered then."""
    try:
        document = await documents.fetch(url)
    except ScraperError as exc:
        return Problem(url, source, exc.reason, str(exc))
    if document is None and reuse and (kept := documents.remembered(url)) is not None:
        return Document(kept, url)
    return document
