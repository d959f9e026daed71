"""A bounded work queue that hands out URLs host by host, so one slow host never stalls a run.

A single FIFO queue would let every worker end up waiting for the slot of
one slow (or Crawl-delayed) host while other hosts' URLs sit behind it. Here
items wait in one queue per host; a worker gets the next item of the host
after the last one served that has fewer than ``per_host`` items in flight.
``capacity`` bounds the items waiting in all, so discovery never runs far
ahead of fetching (what waits are URLs; page bodies live only in workers).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class HostQueue(Generic[T]):
    def __init__(self, *, per_host: int, capacity: int) -> None:
        self._per_host = per_host
        self._capacity = capacity
        self._waiting: dict[str, deque[T]] = {}
        self._in_flight: dict[str, int] = {}
        self._size = 0
        self._closed = False
        self._changed = asyncio.Condition()

    async def put(self, host: str, item: T) -> None:
        """Queue ``item`` for ``host``, waiting while ``capacity`` items already wait."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._size < self._capacity)
            self._waiting.setdefault(host, deque()).append(item)
            self._size += 1
            self._changed.notify_all()

    async def get(self) -> tuple[str, T] | None:
        """The next item of a host with a free slot; None once closed and drained."""
        async with self._changed:
            while True:
                found = self._next()
                if found is not None:
                    self._changed.notify_all()  # room for a put
                    return found
                if self._closed and not self._size:
                    return None
                await self._changed.wait()

    async def done(self, host: str) -> None:
        """The item taken for ``host`` no longer holds the host's slot."""
        async with self._changed:
            self._in_flight[host] -= 1
            self._changed.notify_all()

    async def close(self) -> None:
        """No more puts: ``get`` returns None once everything waiting is taken."""
        async with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _next(self) -> tuple[str, T] | None:
        for host in list(self._waiting):
            if self._in_flight.get(host, 0) >= self._per_host:
                continue
            queue = self._waiting.pop(host)  # re-inserted last: round robin between hosts
            item = queue.popleft()
            if queue:
                self._waiting[host] = queue
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            self._size -= 1
            return host, item
        return None
