"""Feeds, sitemaps, robots.txt and listing pages, read with conditional GET for the walk.

What a document answered (ETag, Last-Modified, an index's body) is stored
only when the run completes: a run that dies must read its feeds in full
again, or the items it never got to would hide behind a 304 for good.
"""

from __future__ import annotations

from scraper.discover import Document
from scraper.fetch import Fetcher
from scraper.models import FetchResult
from scraper.pipeline.stats import RunStats
from scraper.state import DocumentRow, State

ANY_TYPE = ("*/*",)
"""Feeds and sitemaps come as every type imaginable (XML, JSON, gzip, text); the parsers sniff."""


def validators(result: FetchResult) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified of a response, for the next conditional GET."""
    headers = {k.lower(): v for k, v in result.headers.items()}
    return headers.get("etag"), headers.get("last-modified")


class RunDocuments:
    """The ``Documents`` the walk reads through during one run; ``refresh`` reads all in full."""

    def __init__(
        self, fetcher: Fetcher, state: State, stats: RunStats, *, refresh: bool = False
    ) -> None:
        self._fetcher = fetcher
        self._refresh = refresh
        self._state = state
        self._stats = stats
        self._read: dict[str, tuple[str | None, str | None]] = {}
        self._bodies: dict[str, bytes] = {}
        self._unchanged: dict[str, bytes | None] = {}
        """What the state kept of documents that answered 304, read once with the validators."""

    async def fetch(self, url: str) -> Document | None:
        known = DocumentRow() if self._refresh else self._state.document(url)
        result = await self._fetcher.fetch(
            url, accept=ANY_TYPE, etag=known.etag, last_modified=known.last_modified
        )
        self._stats.documents += 1
        self._stats.bytes += len(result.content)
        if result.status == 304:
            self._stats.documents_unchanged += 1
            self._unchanged[url] = known.body
            return None
        self._read[url] = validators(result)
        return Document(result.content, result.final_url, result.charset)

    def remembered(self, url: str) -> bytes | None:
        if url in self._unchanged:  # asked once, right after the fetch: not kept all run
            return self._unchanged.pop(url)
        return self._state.document(url).body

    def remember(self, url: str, content: bytes) -> None:
        self._bodies[url] = content

    def save(self) -> None:
        """Store what the documents fully read in this run answered (call when it completed)."""
        for url, (etag, last_modified) in self._read.items():
            self._state.put_document(url, DocumentRow(etag, last_modified, self._bodies.get(url)))
