"""The one client every fetch goes through: requests straight to the transport.

Not ``httpx.AsyncClient``: of what it does per request (merging URLs, cookies
and parameters, auth and redirect machinery, event hooks, a cookie jar
offered every response) the fetcher wants only the default headers and the
timeouts, and the rest cost a tenth of a millisecond a page. Redirects are the
fetcher's to follow, so that each hop passes the address guard and
robots.txt; cookies are the fetcher's too (``hops.py``). By default the
transport is the guarded one (``transport.py``), which checks the address it
connects to; tests hand in a mock transport instead of patching. No proxy or
.netrc from the environment is ever read: nothing here looks at it.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self

import httpx

from scraper.config import FetchConfig
from scraper.fetch.body import ACCEPT_ENCODING
from scraper.fetch.network import Resolve
from scraper.fetch.transport import GuardedTransport


class AsyncClosing:
    """Released on leaving ``async with``: the client and the fetcher own connections."""

    async def aclose(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class Client(AsyncClosing):
    """Sends one request at a time through ``transport``; use as ``async with``."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        *,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
    ) -> None:
        self._transport = transport
        self._headers = httpx.Headers(headers)
        self._timeout = timeout.as_dict()

    @asynccontextmanager
    async def stream(
        self, method: str, url: httpx.URL | str, *, headers: Mapping[str, str] | None = None
    ) -> AsyncIterator[httpx.Response]:
        """The response to one request, its body not read yet; closed on leaving."""
        merged = self._headers.copy()
        if headers:
            merged.update(headers)
        request = httpx.Request(method, url, headers=merged, extensions={"timeout": self._timeout})
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            yield response
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()


def build_client(
    config: FetchConfig,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    resolve: Resolve | None = None,
    verify: ssl.SSLContext | bool = True,
) -> Client:
    """A client with our User-Agent and timeouts; ``resolve`` replaces the system resolver."""
    if transport is None:
        transport = GuardedTransport(
            allow_private=config.allow_private,
            resolve=resolve,
            max_connections=config.concurrency,
            verify=verify,
        )
    return Client(
        transport,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
    )
