"""What is worth retrying, and the tenacity policy that retries it.

Only ``TransientFetchError`` is retried; the fetcher maps HTTP statuses and
httpx exceptions onto it with the helpers here. A server's Retry-After is the
floor of the wait, and one longer than ``max_retry_after`` ends the retries
at once (a ``DeferredError``: the URL waits for the next run) rather than
parking a worker for minutes.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_base

from scraper.config import FetchConfig
from scraper.errors import DeferredError, FetchError, PermanentFetchError, TransientFetchError

Sleep = Callable[[float], Awaitable[None]]
E = TypeVar("E", bound=BaseException)

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_transient_status(status: int) -> bool:
    return status in TRANSIENT_STATUSES


_NO_SUCH_NAME = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code
)


def translate_http_error(exc: httpx.HTTPError, url: str) -> FetchError:
    """The scraper error for an httpx failure, worded for a user; raise it ``from exc``.

    Transient: timeouts, refused or dropped connections, read/write errors, a
    temporary DNS failure. Permanent: a name that does not exist, an
    undecodable body, a URL httpx cannot request.
    """
    host = _host_of(exc, url)
    detail = str(exc) or _os_error_text(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        dns = _dns_failure(exc)
        if dns is not None:
            message = f"DNS lookup failed for {host}: {dns.strerror or dns}"
            if dns.errno in _NO_SUCH_NAME:
                return PermanentFetchError(message, url=url)
            return TransientFetchError(message, url=url)
        return TransientFetchError(f"cannot connect to host {host}: {detail}", url=url)
    if isinstance(exc, httpx.ConnectTimeout):
        return TransientFetchError(f"timed out connecting to host {host}", url=url)
    if isinstance(exc, httpx.ReadTimeout):
        return TransientFetchError(f"timed out reading from host {host}", url=url)
    if isinstance(exc, httpx.TimeoutException):
        return TransientFetchError(f"timed out talking to host {host}", url=url)
    if isinstance(exc, httpx.RemoteProtocolError):
        return TransientFetchError(f"connection to host {host} broke off: {detail}", url=url)
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return TransientFetchError(f"network error talking to host {host}: {detail}", url=url)
    if isinstance(exc, httpx.DecodingError):
        return PermanentFetchError(f"cannot decode the response from {host}: {detail}", url=url)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return PermanentFetchError(f"cannot request {url}: {detail}", url=url)
    if isinstance(exc, httpx.TransportError):
        return TransientFetchError(f"network error talking to host {host}: {detail}", url=url)
    return PermanentFetchError(f"HTTP error for {url}: {detail}", url=url)


def _host_of(exc: httpx.HTTPError, url: str) -> str:
    try:
        return exc.request.url.host or url
    except RuntimeError:  # an exception built without its request
        return httpx.URL(url).host or url


def _in_chain(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of ``kind`` along the cause chain of ``exc``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _dns_failure(exc: BaseException) -> socket.gaierror | None:
    """The resolver error behind a ConnectError."""
    return _in_chain(exc, socket.gaierror)


def _os_error_text(exc: BaseException) -> str | None:
    """'Connection reset by peer' and the like, when httpx's own message is empty."""
    error = _in_chain(exc, OSError)
    return (error.strerror or str(error) or None) if error is not None else None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and seconds == seconds else None  # rejects NaN
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, delta)


class BackoffOrRetryAfter(wait_base):
    """Exponential backoff with equal jitter, but never less than the server's Retry-After."""

    def __init__(self, base: float, maximum: float, rand: Callable[[], float]) -> None:
        self.base = base
        self.maximum = maximum
        self.rand = rand

    def __call__(self, retry_state: RetryCallState) -> float:
        ceiling = min(self.maximum, self.base * 2.0 ** (retry_state.attempt_number - 1))
        wait = ceiling / 2 + self.rand() * ceiling / 2
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, TransientFetchError) and exc.retry_after is not None:
            wait = max(wait, exc.retry_after)
        return wait


def retry_policy(
    config: FetchConfig,
    *,
    sleep: Sleep | None = None,
    rand: Callable[[], float] = random.random,
) -> AsyncRetrying:
    """``config.retries`` extra attempts on transient errors; the last error is re-raised as is.

    ``sleep`` and ``rand`` are injectable so tests neither wait nor depend on chance.
    """

    def worth_retrying(exc: BaseException) -> bool:
        if not isinstance(exc, TransientFetchError) or isinstance(exc, DeferredError):
            return False
        return exc.retry_after is None or exc.retry_after <= config.max_retry_after

    return AsyncRetrying(
        sleep=sleep or asyncio.sleep,
        stop=stop_after_attempt(config.retries + 1),
        wait=BackoffOrRetryAfter(config.backoff_base, config.backoff_max, rand),
        retry=retry_if_exception(worth_retrying),
        reraise=True,
    )
