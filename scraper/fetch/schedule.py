"""Fetch many URLs with hosts interleaved, so a slow host never stalls the others.

A fixed pool of workers pulling URLs in arrival order stalls as soon as the
next URLs all belong to one slow (or Crawl-delayed) host: every worker waits
for that host's slot. Here requests are sorted into per-host queues as they
arrive, each host gets at most ``per_host_concurrency`` workers, and the
global ``concurrency`` is enforced by the fetcher, so other hosts go on at
full speed. ``lookahead`` bounds how many requests are held at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

from scraper.errors import FetchError
from scraper.fetch.fetcher import HTML_TYPES, Fetcher
from scraper.models import FetchResult

T = TypeVar("T")


@dataclass(frozen=True)
class FetchRequest(Generic[T]):
    """One URL to fetch, with whatever the caller wants back alongside its outcome."""

    url: str
    tag: T
    accept: Sequence[str] = HTML_TYPES
    etag: str | None = None
    last_modified: str | None = None


Outcome = tuple[FetchRequest[T], FetchResult | FetchError]


async def fetch_interleaved(
    fetcher: Fetcher,
    requests: AsyncIterable[FetchRequest[T]] | Iterable[FetchRequest[T]],
    *,
    lookahead: int = 10_000,
) -> AsyncIterator[Outcome[T]]:
    """Each request's result or ``FetchError``, in the order they complete."""
    queues: dict[str, deque[FetchRequest[T]]] = {}
    workers: dict[str, int] = {}
    done: asyncio.Queue[Outcome[T] | BaseException | None] = asyncio.Queue()
    room = asyncio.Semaphore(lookahead)
    per_host = fetcher.config.per_host_concurrency
    tasks: set[asyncio.Task[None]] = set()

    async def work(host: str) -> None:
        queue = queues[host]
        try:
            while queue:
                request = queue.popleft()
                try:
                    result: FetchResult | FetchError = await fetcher.fetch(
                        request.url,
                        accept=request.accept,
                        etag=request.etag,
                        last_modified=request.last_modified,
                    )
                except FetchError as exc:
                    result = exc
                room.release()
                await done.put((request, result))
        except Exception as exc:  # a bug, not a fetch failure: end the whole iteration
            await done.put(exc)
        finally:
            workers[host] -= 1

    def start(task_host: str) -> None:
        workers[task_host] = workers.get(task_host, 0) + 1
        task = asyncio.create_task(work(task_host))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def feed() -> None:
        try:
            async for request in _aiter(requests):
                await room.acquire()
                host = _host(request.url)
                queues.setdefault(host, deque()).append(request)
                if workers.get(host, 0) < min(per_host, len(queues[host])):
                    start(host)
            while tasks:
                await asyncio.gather(*list(tasks))
        except Exception as exc:  # the request source failed
            await done.put(exc)
        await done.put(None)

    feeder = asyncio.create_task(feed())
    try:
        while (item := await done.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        for task in (feeder, *tasks):
            task.cancel()


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host
    except httpx.InvalidURL:
        return ""  # the fetcher refuses it with a reason


async def _aiter(items: AsyncIterable[T] | Iterable[T]) -> AsyncIterator[T]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item
