"""Fetch one URL into a ``FetchResult``, or fail with one scraper error.

Each attempt follows redirects by hand so that every hop passes the address
guard and robots.txt, runs under one deadline, and reads at most
``max_bytes`` of decoded body. Transient failures are retried by the policy
in ``retry.py``; everything httpx raises is translated at this boundary.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx

from scraper.config import FetchConfig
from scraper.errors import (
    DeferredError,
    NotHTMLFetchError,
    PermanentFetchError,
    TooLargeError,
    TransientFetchError,
)
from scraper.fetch.client import build_client
from scraper.fetch.guard import check_url
from scraper.fetch.retry import (
    is_transient_status,
    parse_retry_after,
    retry_policy,
    translate_http_error,
)
from scraper.fetch.robots import REDIRECT_STATUSES, RobotsCache
from scraper.models import FetchResult

HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")


class Fetcher:
    """Fetches URLs politely and safely through one shared client; use as ``async with``."""

    def __init__(
        self,
        config: FetchConfig,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.config = config
        self.robots = RobotsCache(config.user_agent, allow_private=config.allow_private)
        self._client = build_client(config, transport)
        self._sleep = sleep

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        accept: Sequence[str] = HTML_TYPES,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url`` with retries; ``accept`` lists the wanted MIME types (``type/*`` works).

        ``etag`` / ``last_modified`` (from an earlier result's headers) make the
        request conditional: an unchanged page comes back as status 304 with
        empty content. A response without Content-Type is accepted; the caller sniffs it.
        """
        headers = {"Accept": ", ".join(accept)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        policy = retry_policy(self.config, sleep=self._sleep)
        return await policy(self._attempt, url, tuple(accept), headers)

    async def _attempt(
        self, url: str, accept: tuple[str, ...], headers: dict[str, str]
    ) -> FetchResult:
        try:
            async with asyncio.timeout(self.config.timeout):
                return await self._follow(url, accept, headers)
        except TimeoutError as exc:
            raise TransientFetchError(f"timed out after {self.config.timeout:g}s", url=url) from exc

    async def _follow(
        self, url: str, accept: tuple[str, ...], headers: dict[str, str]
    ) -> FetchResult:
        current = url
        seen = {url}
        for _ in range(self.config.max_redirects + 1):
            check_url(current, self.config.allow_private)
            if self.config.respect_robots:
                await self.robots.check(current, self._client)
            try:
                async with self._client.stream("GET", current, headers=headers) as response:
                    target = _redirect_target(response, url)
                    if target is None:
                        return await self._result(url, response, accept)
            except httpx.HTTPError as exc:
                raise translate_http_error(exc, current) from exc
            if target in seen:
                raise PermanentFetchError(f"redirect loop at {target}", url=url)
            seen.add(target)
            current = target
        raise PermanentFetchError(
            f"too many redirects (more than {self.config.max_redirects})", url=url
        )

    async def _result(
        self, url: str, response: httpx.Response, accept: tuple[str, ...]
    ) -> FetchResult:
        status = response.status_code
        where = "" if response.url == httpx.URL(url) else f" at {response.url}"
        summary = f"HTTP {status} {response.reason_phrase}".rstrip() + where
        if is_transient_status(status):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None and retry_after > self.config.max_retry_after:
                raise DeferredError(summary, url=url, retry_after=retry_after)
            raise TransientFetchError(summary, url=url, retry_after=retry_after)
        if status == 304 and "if-none-match" in response.request.headers or (
            status == 304 and "if-modified-since" in response.request.headers
        ):
            return FetchResult(
                url=url,
                final_url=str(response.url),
                status=304,
                headers=dict(response.headers.items()),
                content=b"",
                fetched_at=_now(),
            )
        if not 200 <= status < 300:
            raise PermanentFetchError(summary, url=url, status=status)

        content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type and not _accepted(content_type, accept):
            wanted = "HTML" if accept == HTML_TYPES else " or ".join(accept)
            raise NotHTMLFetchError(f"not {wanted}: {content_type}", url=url, status=status)

        content = await self._read_body(url, response)
        fetched_at = _now()
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=status,
            headers=dict(response.headers.items()),
            content=content,
            content_type=content_type or None,
            charset=response.charset_encoding,
            fetched_at=fetched_at,
        )

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        """The decoded body, refusing more than ``max_bytes`` and noticing truncation."""
        limit = self.config.max_bytes
        declared = _content_length(response)
        if declared is not None and declared > limit:
            raise TooLargeError(
                f"Content-Length {declared} bytes is over the {limit}-byte limit", url=url
            )
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise TooLargeError(f"body is over the {limit}-byte limit", url=url)
        if declared is not None and response.num_bytes_downloaded < declared:
            raise TransientFetchError(
                f"truncated body: got {response.num_bytes_downloaded} of {declared} bytes",
                url=url,
            )
        return bytes(body)


def fetch_url(
    url: str, config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None
) -> FetchResult:
    """Fetch one URL from synchronous code (the one-off CLI); not for use inside a loop."""

    async def run() -> FetchResult:
        async with Fetcher(config, transport) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _redirect_target(response: httpx.Response, url: str) -> str | None:
    """The absolute URL a redirect points to, or None when ``response`` is not a redirect."""
    status = response.status_code
    if status not in REDIRECT_STATUSES:
        return None
    location = response.headers.get("location", "").strip()
    if not location:
        raise PermanentFetchError(f"HTTP {status} redirect without a Location", url=url)
    try:
        return str(response.url.join(location).copy_with(fragment=None))
    except httpx.InvalidURL as exc:
        raise PermanentFetchError(f"invalid redirect Location {location!r}", url=url) from exc


def _accepted(content_type: str, accept: tuple[str, ...]) -> bool:
    for pattern in accept:
        if pattern in ("*/*", content_type):
            return True
        if pattern.endswith("/*") and content_type.startswith(pattern[:-1]):
            return True
    return False


def _content_length(response: httpx.Response) -> int | None:
    try:
        value = int(response.headers.get("content-length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None
