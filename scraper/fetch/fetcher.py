"""Fetch one URL into a ``FetchResult``, or fail with one scraper error.

Each attempt follows redirects by hand (``hops.py``) so that every hop passes
the address guard and robots.txt, waits for its host's slot
(``politeness.py``), runs under one total deadline (a server that sends
nothing, or drips a byte a second, is cut off), and reads at most
``max_bytes`` of decoded body (``body.py``). Transient failures are retried
by the policy in ``retry.py`` and counted by the per-host circuit breaker;
everything httpx raises is translated at this boundary.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import httpx

from scraper.config import FetchConfig
from scraper.errors import (
    CircuitOpenError,
    CrawlDelayError,
    DeferredError,
    FetchError,
    NotHTMLFetchError,
    PermanentFetchError,
    TransientFetchError,
)
from scraper.fetch.body import read_body
from scraper.fetch.breaker import CircuitBreaker
from scraper.fetch.client import AsyncClosing, build_client
from scraper.fetch.guard import check_url
from scraper.fetch.hops import Hops, redirect_target
from scraper.fetch.network import Resolve
from scraper.fetch.politeness import Politeness
from scraper.fetch.retry import (
    is_transient_status,
    parse_retry_after,
    retry_policy,
    translate_http_error,
)
from scraper.fetch.robots import RobotsCache
from scraper.fetch.sniff import refuse_binary
from scraper.models import FetchResult

HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")

Sleep = Callable[[float], Awaitable[None]]


class Fetcher(AsyncClosing):
    """Fetches URLs politely and safely through one shared client; use as ``async with``.

    One Fetcher per run: it holds the robots.txt cache, the per-host slots and
    the circuit breaker. ``sleep``, ``clock`` and ``rand`` are injectable so
    tests neither wait nor depend on chance; ``resolve`` replaces DNS.
    """

    def __init__(
        self,
        config: FetchConfig,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        sleep: Sleep | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        resolve: Resolve | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.config = config
        self._sleep = sleep or asyncio.sleep
        self._rand = rand
        self.robots = RobotsCache(
            config.user_agent,
            allow_private=config.allow_private,
            timeout=config.timeout,
            clock=clock,
        )
        self.politeness = Politeness(
            concurrency=config.concurrency,
            per_host_concurrency=config.per_host_concurrency,
            per_host_delay=config.per_host_delay,
            max_wait=config.max_retry_after,
            clock=clock,
            sleep=self._sleep,
            rand=rand,
        )
        self.breaker = CircuitBreaker(
            threshold=config.breaker_threshold, cooldown=config.breaker_cooldown
        )
        self._jar = httpx.Cookies() if config.keep_cookies else None
        self._client = build_client(config, transport, resolve=resolve, verify=verify)

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
        empty content. A response without Content-Type is accepted; when only
        HTML is wanted, binary bodies are refused by their first bytes.
        """
        headers = {"Accept": ", ".join(accept)}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        wanted = tuple(accept)
        try:  # most fetches succeed at once: tenacity's bookkeeping only once one failed
            return await self._attempt(url, wanted, headers)
        except TransientFetchError as exc:
            first: TransientFetchError | None = exc

        async def attempt() -> FetchResult:
            """The first attempt's error again (tenacity counts and waits on it), then anew."""
            nonlocal first
            if first is not None:
                error, first = first, None
                raise error
            return await self._attempt(url, wanted, headers)

        policy = retry_policy(self.config, sleep=self._sleep, rand=self._rand)
        return await policy(attempt)

    async def _attempt(
        self, url: str, accept: tuple[str, ...], headers: dict[str, str]
    ) -> FetchResult:
        hops = Hops(
            url,
            base_headers=headers,
            custom_headers=self.config.headers,
            max_redirects=self.config.max_redirects,
            jar=self._jar,
        )
        while True:
            outcome = await self._hop(hops, accept)
            if isinstance(outcome, FetchResult):
                return outcome
            hops.follow(outcome)

    async def _hop(self, hops: Hops, accept: tuple[str, ...]) -> FetchResult | str:
        """One request: the result, or the URL a redirect points to."""
        try:
            check_url(hops.target, self.config.allow_private)
        except FetchError as exc:
            exc.url = hops.current  # as asked for, not as httpx normalised it
            raise
        host = hops.target.host
        if self.config.respect_robots:
            await self._obey_robots(hops.target, host, hops.url)
        self.politeness.check_paused(host, hops.url)
        async with self.politeness.slot(host, hops.url):
            try:
                async with asyncio.timeout(self.config.timeout):
                    outcome = await self._exchange(hops, accept)
            except TimeoutError as exc:
                error = TransientFetchError(
                    f"timed out after {self.config.timeout:g}s", url=hops.url
                )
                self._failed(host, error)
                raise error from exc
            except TransientFetchError as exc:
                self._failed(host, exc)
                raise
            except FetchError:
                self.breaker.success(host)  # the host answered; the page is the problem
                raise
        self.breaker.success(host)
        return outcome

    async def _obey_robots(self, url: httpx.URL, host: str, requested: str) -> None:
        try:
            delay = await self.robots.check(url, self._client)
        except FetchError as exc:
            exc.url = requested
            raise
        if delay is None:
            return
        if delay > self.config.max_crawl_delay:
            raise CrawlDelayError(
                f"robots.txt Crawl-delay of {delay:g}s is over our {self.config.max_crawl_delay:g}s"
                f" limit; host {host} skipped",
                url=requested,
            )
        self.politeness.set_crawl_delay(host, delay)

    def _failed(self, host: str, error: TransientFetchError) -> None:
        """Pause the host for a Retry-After, and back it off when it keeps failing."""
        if error.retry_after is not None:
            reason = f"Retry-After {error.retry_after:g}s ({error})"
            self.politeness.pause(host, error.retry_after, reason)
        cooldown = self.breaker.failure(host)
        if cooldown is not None:
            reason = f"{self.config.breaker_threshold} failures in a row (last: {error})"
            self.politeness.pause(host, cooldown, reason, CircuitOpenError)

    async def _exchange(self, hops: Hops, accept: tuple[str, ...]) -> FetchResult | str:
        try:
            async with self._client.stream("GET", hops.target, headers=hops.headers()) as resp:
                hops.keep_cookies(resp)
                target = redirect_target(resp, hops.url)
                if target is not None:
                    return target
                return await self._result(hops, resp, accept)
        except httpx.HTTPError as exc:
            raise translate_http_error(exc, hops.url) from exc
        except httpx.InvalidURL as exc:  # httpx parses a redirect's Location even unasked
            raise PermanentFetchError(f"invalid redirect target: {exc}", url=hops.url) from exc
        except FetchError as exc:  # raised while connecting (the address guard) has no URL yet
            exc.url = exc.url or hops.url
            raise

    async def _result(
        self, hops: Hops, response: httpx.Response, accept: tuple[str, ...]
    ) -> FetchResult:
        url = hops.url
        status = response.status_code
        where = "" if response.url == hops.start else f" at {response.url}"
        summary = f"HTTP {status} {response.reason_phrase}".rstrip() + where
        if is_transient_status(status):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None and retry_after > self.config.max_retry_after:
                raise DeferredError(summary, url=url, retry_after=retry_after)
            raise TransientFetchError(summary, url=url, retry_after=retry_after)
        conditional = {"if-none-match", "if-modified-since"} & set(response.request.headers)
        if status == 304 and conditional:
            return _fetch_result(url, response, b"", None)
        if not 200 <= status < 300:
            raise PermanentFetchError(summary, url=url, status=status)

        content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type and not _accepted(content_type, accept):
            wanted = "HTML" if accept == HTML_TYPES else " or ".join(accept)
            raise NotHTMLFetchError(f"not {wanted}: {content_type}", url=url, status=status)
        only_html = all(kind in HTML_TYPES for kind in accept)
        content = await read_body(
            response,
            limit=self.config.max_bytes,
            url=url,
            sniff=refuse_binary(url) if only_html else None,
        )
        return _fetch_result(url, response, content, content_type or None)


def fetch_url(
    url: str, config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None
) -> FetchResult:
    """Fetch one URL from synchronous code (the one-off CLI); not for use inside a loop."""

    async def run() -> FetchResult:
        async with Fetcher(config, transport) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def _fetch_result(
    url: str, response: httpx.Response, content: bytes, content_type: str | None
) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=str(response.url),
        status=response.status_code,
        headers=dict(response.headers.items()),
        content=content,
        content_type=content_type,
        charset=response.charset_encoding if content else None,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    )


def _accepted(content_type: str, accept: tuple[str, ...]) -> bool:
    for pattern in accept:
        if pattern in ("*/*", content_type):
            return True
        if pattern.endswith("/*") and content_type.startswith(pattern[:-1]):
            return True
    return False
