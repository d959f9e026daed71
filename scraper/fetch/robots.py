"""robots.txt, fetched once per host and obeyed (RFC 9309).

One protego parser per origin (scheme, host and port), fetched through the
same guarded client as the pages, under the same deadline, at most 500 KiB
of it (decoded) parsed. A robots.txt that is missing (4xx) allows
everything; one that cannot be read (5xx, 429, network error) disallows
everything (RFC 9309 section 2.3.1.4): nothing is fetched from that origin
for as long as the entry lives, which is the run, or 24 hours at most.
Scrapy, by contrast, allows everything when robots.txt errors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from protego import Protego

from scraper.errors import (
    BlockedAddressError,
    FetchError,
    PermanentFetchError,
    RobotsDisallowedError,
    RobotsUnreachableError,
)
from scraper.fetch.body import read_body
from scraper.fetch.client import Client
from scraper.fetch.guard import check_url
from scraper.fetch.hops import REDIRECT_STATUSES, origin_of, parse_url
from scraper.fetch.retry import translate_http_error

MAX_ROBOTS_BYTES = 500 * 1024
MAX_ROBOTS_REDIRECTS = 5
ROBOTS_TTL = 24 * 3600.0


def product_token(user_agent: str) -> str:
    """The name robots.txt groups match against: the User-Agent up to its first '/'."""
    head = user_agent.split("/", 1)[0].strip()
    return head.split()[0] if head else user_agent


@dataclass(frozen=True)
class _Entry:
    parser: Protego | None
    """None means "allow everything" unless ``unreachable`` says why not."""
    unreachable: str | None
    expires: float


class RobotsCache:
    """Per-origin robots.txt rules for one user agent; safe to share between tasks."""

    def __init__(
        self,
        user_agent: str,
        *,
        allow_private: Sequence[str] = (),
        ttl: float = ROBOTS_TTL,
        timeout: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = product_token(user_agent)
        self._allow_private = tuple(allow_private)
        self._ttl = min(ttl, ROBOTS_TTL)
        self._timeout = timeout
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str | httpx.URL, client: Client) -> float | None:
        """Raise ``RobotsDisallowedError`` unless robots.txt lets us fetch ``url``.

        Returns the Crawl-delay robots.txt asks of us for the origin, if any,
        from the same cache lookup (this runs on every hop). /robots.txt
        itself is always allowed (RFC 9309 section 2.2.2), so discovery can
        read its Sitemap: lines through the same fetcher.
        """
        parsed = parse_url(url)
        origin = origin_of(parsed)
        entry = await self._entry(origin, client)
        if parsed.path != "/robots.txt":
            url = str(parsed)
            if entry.unreachable is not None:
                raise RobotsUnreachableError(
                    f"robots.txt unreachable for {origin} ({entry.unreachable}); "
                    "nothing is fetched from it this run",
                    url=url,
                )
            if entry.parser is not None and not entry.parser.can_fetch(url, self.token):
                raise RobotsDisallowedError("disallowed by robots.txt", url=url)
        return self._delay(entry)

    def _delay(self, entry: _Entry) -> float | None:
        return entry.parser.crawl_delay(self.token) if entry.parser is not None else None

    async def _entry(self, origin: str, client: Client) -> _Entry:
        entry = self._entries.get(origin)
        if entry is not None and entry.expires > self._clock():
            return entry  # the common case, without taking the lock
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # concurrent fetches of one host share a single robots.txt request
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._clock():
                try:
                    async with asyncio.timeout(self._timeout):
                        entry = await self._load(origin, client)
                except TimeoutError:
                    entry = self._unreachable(f"timed out after {self._timeout:g}s")
                self._entries[origin] = entry
            return entry

    async def _load(self, origin: str, client: Client) -> _Entry:
        target = f"{origin}/robots.txt"
        for _ in range(MAX_ROBOTS_REDIRECTS + 1):
            first = target == f"{origin}/robots.txt"
            try:
                check_url(target, self._allow_private)
            except FetchError:
                if first:
                    raise
                return self._allow_all()  # a redirect we will not follow: "unavailable"
            try:
                async with client.stream("GET", target) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in REDIRECT_STATUSES and location:
                        target = str(response.url.join(location))
                        continue
                    if 200 <= status < 300:
                        body = await read_body(
                            response, limit=MAX_ROBOTS_BYTES, url=target, truncate=True
                        )
                        return self._parsed(body)
                    if status == 429 or status >= 500:
                        return self._unreachable(f"HTTP {status}")
                    return self._allow_all()
            except httpx.HTTPError as exc:
                error = translate_http_error(exc, target)
                if first and isinstance(error, PermanentFetchError):
                    raise error from exc  # no such host: the page fails the same way, say so
                return self._unreachable(str(error))
            except BlockedAddressError:
                if first:
                    raise  # the pages are refused too, and say why
                return self._allow_all()
            except FetchError as exc:  # an undecodable or cut body
                return self._unreachable(str(exc))
        return self._allow_all()  # too many redirects: "unavailable"

    def _parsed(self, body: bytes) -> _Entry:
        parser = Protego.parse(body.decode("utf-8-sig", errors="replace"))
        return _Entry(parser, None, self._clock() + self._ttl)

    def _allow_all(self) -> _Entry:
        return _Entry(None, None, self._clock() + self._ttl)

    def _unreachable(self, why: str) -> _Entry:
        return _Entry(None, why, self._clock() + self._ttl)
