"""Per-host download slots: how many requests a host gets at once, and how far apart.

Like Scrapy's download slots, without its indirection. Each host has its own
semaphore (``per_host_concurrency``) and a next-start time (``per_host_delay``,
raised to the host's robots.txt Crawl-delay, jittered upwards so it is never
shorter than asked). The global semaphore (``concurrency``) is taken last and
only for the request itself, so tasks waiting out one host's delay never hold
a slot another host could use.

A host can also be paused: by a Retry-After, or by the circuit breaker. A
pause longer than the longest wait we accept (``max_wait``) is not slept
through: the request fails at once with a ``DeferredError`` (or its subclass
named by the pause), so the run defers the URL instead of parking a worker.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from scraper.errors import DeferredError

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

JITTER = 0.5
"""Each gap between starts is ``delay * (1 + JITTER * random())``."""


@dataclass
class _Host:
    slots: asyncio.Semaphore
    delay: float
    next_start: float = 0.0
    paused_until: float = 0.0
    pause_reason: str = ""
    pause_error: type[DeferredError] = field(default=DeferredError)


class Politeness:
    """Per-host slots, delays and pauses, plus the global concurrency limit."""

    def __init__(
        self,
        *,
        concurrency: int,
        per_host_concurrency: int,
        per_host_delay: float,
        max_wait: float,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host_concurrency
        self._delay = per_host_delay
        self._max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(asyncio.Semaphore(self._per_host), self._delay)
        return state

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """Space this host's starts at least ``seconds`` apart (robots.txt Crawl-delay)."""
        state = self._host(host)
        state.delay = max(self._delay, seconds)

    def pause(
        self,
        host: str,
        seconds: float,
        reason: str,
        error: type[DeferredError] = DeferredError,
    ) -> None:
        """Start nothing on ``host`` for ``seconds`` (a longer pause already set wins)."""
        state = self._host(host)
        until = self._clock() + seconds
        if until > state.paused_until:
            state.paused_until, state.pause_reason, state.pause_error = until, reason, error

    def check_paused(self, host: str, url: str | None = None) -> None:
        """Raise the pause's ``DeferredError`` if ``host`` is paused longer than we wait."""
        state = self._host(host)
        wait = state.paused_until - self._clock()
        if wait > self._max_wait:
            raise state.pause_error(
                f"{state.pause_reason}; host {host} deferred for {wait:.0f}s",
                url=url,
                retry_after=wait,
            )

    @asynccontextmanager
    async def slot(self, host: str, url: str | None = None) -> AsyncIterator[None]:
        """Hold one of ``host``'s slots and a global slot while the body runs."""
        state = self._host(host)
        async with state.slots:
            while True:  # a pause may be set while we wait, so look again after each sleep
                self.check_paused(host, url)
                wait = max(state.paused_until, state.next_start) - self._clock()
                if wait <= 0:
                    break
                await self._sleep(wait)
            async with self._global:
                state.next_start = self._clock() + state.delay * (1 + JITTER * self._rand())
                yield
