"""robots.txt, fetched once per host and obeyed (RFC 9309).

One protego parser per origin (scheme, host and port), fetched through the
same client as the pages. A robots.txt that is missing (4xx) allows
everything; one that cannot be read (5xx, 429, network error) disallows
everything, as the RFC asks, until a shorter error TTL runs out.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from protego import Protego

from scraper.errors import FetchError, RobotsDisallowedError
from scraper.fetch.guard import check_url
from scraper.fetch.retry import translate_http_error

MAX_ROBOTS_BYTES = 500 * 1024
MAX_ROBOTS_REDIRECTS = 5
ROBOTS_TTL = 24 * 3600.0
ERROR_TTL = 300.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def product_token(user_agent: str) -> str:
    """The name robots.txt groups match against: the User-Agent up to its first '/'."""
    head = user_agent.split("/", 1)[0].strip()
    return head.split()[0] if head else user_agent


def origin_of(url: str) -> str:
    """``scheme://host[:port]``, the unit a robots.txt applies to."""
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"


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
        error_ttl: float = ERROR_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = product_token(user_agent)
        self._allow_private = tuple(allow_private)
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str, client: httpx.AsyncClient) -> None:
        """Raise ``RobotsDisallowedError`` unless robots.txt lets us fetch ``url``."""
        origin = origin_of(url)
        entry = await self._entry(origin, client)
        if entry.unreachable is not None:
            raise RobotsDisallowedError(
                f"robots.txt unreachable for {origin} ({entry.unreachable}); assuming disallow",
                url=url,
            )
        if entry.parser is not None and not entry.parser.can_fetch(url, self.token):
            raise RobotsDisallowedError("disallowed by robots.txt", url=url)

    async def crawl_delay(self, url: str, client: httpx.AsyncClient) -> float | None:
        """The Crawl-delay robots.txt asks of us for the host of ``url``, if any."""
        entry = await self._entry(origin_of(url), client)
        return entry.parser.crawl_delay(self.token) if entry.parser is not None else None

    async def _entry(self, origin: str, client: httpx.AsyncClient) -> _Entry:
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # concurrent fetches of one host share a single robots.txt request
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._clock():
                entry = await self._load(origin, client)
                self._entries[origin] = entry
            return entry

    async def _load(self, origin: str, client: httpx.AsyncClient) -> _Entry:
        target = f"{origin}/robots.txt"
        for _ in range(MAX_ROBOTS_REDIRECTS + 1):
            try:
                check_url(target, self._allow_private)
            except FetchError:
                return self._allow_all()  # a redirect we will not follow: "unavailable"
            try:
                async with client.stream("GET", target) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in REDIRECT_STATUSES and location:
                        target = str(response.url.join(location))
                        continue
                    if 200 <= status < 300:
                        return self._parsed(await _read_capped(response))
                    if status == 429 or status >= 500:
                        return self._unreachable(f"HTTP {status}")
                    return self._allow_all()
            except httpx.HTTPError as exc:
                return self._unreachable(str(translate_http_error(exc, target)))
        return self._allow_all()  # too many redirects: "unavailable"

    def _parsed(self, body: bytes) -> _Entry:
        parser = Protego.parse(body.decode("utf-8-sig", errors="replace"))
        return _Entry(parser, None, self._clock() + self._ttl)

    def _allow_all(self) -> _Entry:
        return _Entry(None, None, self._clock() + self._ttl)

    def _unreachable(self, why: str) -> _Entry:
        return _Entry(None, why, self._clock() + self._error_ttl)


async def _read_capped(response: httpx.Response) -> bytes:
    """At most ``MAX_ROBOTS_BYTES``; the RFC lets us ignore anything beyond."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_ROBOTS_BYTES:
            break
    return b"".join(chunks)[:MAX_ROBOTS_BYTES]
