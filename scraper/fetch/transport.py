"""The connection pool under the httpx transport: h11 on guarded asyncio connections.

httpcore's pool walks every connection several times per request and takes
anyio locks and cancel scopes around each step, and its HTTP/1.1 connections
do the same per read: on a run that fetches a few thousand pages while the
extraction processes want both cores, that bookkeeping cost the main process
about twice what reading the bytes did. This pool keeps h11 for the protocol
and the guarded backend (``network.py``) for connecting, and keeps idle
connections in a dict by origin: a connection goes back only after a
response was read to its end, one the server closed while idle (or idle past
``keepalive_expiry``) is dropped, and at most ``max_connections`` are open at
once. It speaks httpcore's request interface and raises httpcore's
exceptions, so httpx's own transport drives it (``GuardedTransport``) and
translates its errors as it does httpcore's.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import h11
import httpcore
import httpx

from scraper.fetch.network import GuardedBackend, Resolve

READ_SIZE = 256 * 1024
"""Bytes asked of the socket at a time (what asyncio has buffered comes back at once)."""
MAX_HEAD_BYTES = 100 * 1024
"""Largest response head accepted, as httpcore does."""
KEEPALIVE_EXPIRY = 5.0

Origin = tuple[str, str, int]


def _translated(exc: Exception) -> Exception:
    """httpcore's exception for an h11 one (raise it ``from exc``); others as they are."""
    if isinstance(exc, h11.RemoteProtocolError):
        return httpcore.RemoteProtocolError(str(exc))
    if isinstance(exc, h11.LocalProtocolError):
        return httpcore.LocalProtocolError(str(exc))
    return exc


class _Connection:
    """One keep-alive connection: h11's state machine over a network stream."""

    def __init__(
        self, stream: httpcore.AsyncNetworkStream, pool: ConnectionPool, origin: Origin
    ) -> None:
        self.stream = stream
        self.origin = origin
        self.idle_since = 0.0
        self._pool = pool
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)
        self._closed = False
        self._read_timeout: float | None = None
        self._write_timeout: float | None = None

    def reusable(self, now: float) -> bool:
        """Idle, fresh, and not closed by the server meanwhile (then it reads as readable)."""
        if now - self.idle_since > self._pool.keepalive_expiry:
            return False
        return not self.stream.get_extra_info("is_readable")

    async def request(
        self, request: httpcore.Request, timeouts: dict[str, Any]
    ) -> httpcore.Response:
        self._write_timeout = timeouts.get("write")
        self._read_timeout = timeouts.get("read")
        head = h11.Request(
            method=request.method, target=request.url.target, headers=request.headers
        )
        await self._send(head)
        async for chunk in request.stream:  # type: ignore[union-attr]
            if chunk:
                await self._send(h11.Data(data=chunk))
        await self._send(h11.EndOfMessage())
        while True:
            event = await self._event()
            if isinstance(event, h11.Response):
                break
            if isinstance(event, h11.ConnectionClosed):
                raise h11.RemoteProtocolError("Server disconnected without sending a response.")
            # an InformationalResponse (1xx): the real one follows
        return httpcore.Response(
            event.status_code,
            headers=list(event.headers.raw_items()),
            content=_Body(self),
            extensions={
                "http_version": b"HTTP/" + event.http_version,
                "reason_phrase": event.reason,
            },
        )

    async def body(self) -> AsyncIterator[bytes]:
        while True:
            event = await self._event()
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            else:  # ConnectionClosed mid-body is raised by h11 itself; nothing else comes here
                raise h11.RemoteProtocolError(f"unexpected {type(event).__name__} in a body")

    async def _send(self, event: h11.Event) -> None:
        data = self._h11.send(event)
        if data:
            await self.stream.write(data, self._write_timeout)

    async def _event(self) -> h11.Event:
        while True:
            event = self._h11.next_event()
            if isinstance(event, h11.Event):
                return event
            if event is h11.PAUSED:  # only after the response ended, where nobody asks
                raise h11.RemoteProtocolError("the server sent more than one response")
            data = await self.stream.read(READ_SIZE, self._read_timeout)
            # b"" is the server closing: h11 says whether that ended the message or cut it
            self._h11.receive_data(data)

    async def release(self) -> None:
        """The response is done with: back to the pool when read to its end, else closed."""
        if self._closed:
            return
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
            self.idle_since = time.monotonic()
            if self._pool.keep(self):
                return
        await self.close()

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._pool.forget(self)
            with contextlib.suppress(Exception):  # a broken socket may fail to close: gone anyway
                await self.stream.aclose()


class _Body:
    """A response body streamed off its connection, which is released when it is closed."""

    def __init__(self, connection: _Connection) -> None:
        self._connection = connection

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._connection.body():
                yield chunk
        except Exception as exc:
            await self._connection.close()
            error = _translated(exc)
            if error is exc:
                raise
            raise error from exc

    async def aclose(self) -> None:
        await self._connection.release()


class ConnectionPool:
    """HTTP/1.1 over connections from a ``GuardedBackend``, pooled per origin."""

    def __init__(
        self,
        *,
        backend: httpcore.AsyncNetworkBackend,
        ssl_context: ssl.SSLContext,
        max_connections: int = 100,
        keepalive_expiry: float = KEEPALIVE_EXPIRY,
    ) -> None:
        self.keepalive_expiry = keepalive_expiry
        self._backend = backend
        self._ssl = ssl_context
        self._idle: dict[Origin, list[_Connection]] = {}
        self._open: set[_Connection] = set()
        self._room = asyncio.Semaphore(max_connections)
        self._wanting = 0  # requests waiting for room to open a connection

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        url = request.url
        scheme, host = url.scheme.decode("ascii"), url.host.decode("ascii")
        if scheme not in ("http", "https"):
            raise httpcore.UnsupportedProtocol(f"unsupported scheme {scheme!r}")
        if not host:
            raise httpcore.UnsupportedProtocol(f"no host in {url}")
        port = url.port or (443 if scheme == "https" else 80)
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        connection: _Connection | None = None
        try:
            connection = await self._connection((scheme, host, port), timeouts)
            return await connection.request(request, timeouts)
        except BaseException as exc:
            if connection is not None:
                await asyncio.shield(connection.close())
            if not isinstance(exc, Exception):
                raise  # cancelled: the caller's deadline, not a network error
            error = _translated(exc)
            if error is exc:
                raise
            raise error from exc

    async def _connection(self, origin: Origin, timeouts: dict[str, Any]) -> _Connection:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.reusable(now):
                return connection
            await connection.close()
        if self._room.locked():
            await self._close_oldest_idle()
        self._wanting += 1
        try:
            await self._room.acquire()
        finally:
            self._wanting -= 1
        try:
            connection = _Connection(await self._connect(origin, timeouts), self, origin)
        except BaseException:
            self._room.release()
            raise
        self._open.add(connection)
        return connection

    async def _connect(
        self, origin: Origin, timeouts: dict[str, Any]
    ) -> httpcore.AsyncNetworkStream:
        scheme, host, port = origin
        timeout = timeouts.get("connect")
        stream = await self._backend.connect_tcp(host, port, timeout=timeout)
        if scheme == "https":
            try:
                stream = await stream.start_tls(self._ssl, server_hostname=host, timeout=timeout)
            except BaseException:
                await stream.aclose()
                raise
        return stream

    async def _close_oldest_idle(self) -> None:
        """Make room for a new connection by closing the idle one unused the longest."""
        oldest = min(
            (c for waiting in self._idle.values() for c in waiting),
            key=lambda c: c.idle_since,
            default=None,
        )
        if oldest is not None:
            await oldest.close()

    def keep(self, connection: _Connection) -> bool:
        """Put ``connection`` back for the next request to its origin; False when a request
        waits for room to connect elsewhere (then the connection is to be closed instead)."""
        if self._wanting:
            return False
        self._idle.setdefault(connection.origin, []).append(connection)
        return True

    def forget(self, connection: _Connection) -> None:
        """``connection`` is closing: out of the pool, and its place is free."""
        waiting = self._idle.get(connection.origin)
        if waiting and connection in waiting:
            waiting.remove(connection)
        if connection in self._open:
            self._open.discard(connection)
            self._room.release()

    async def aclose(self) -> None:
        for connection in list(self._open):
            await connection.close()


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own HTTP/1.1 transport, on a ``ConnectionPool`` of guarded connections.

    ``super().__init__`` is not called: it would build an httpcore pool (and an SSL
    context) only to have it replaced; the pool is all the transport keeps.
    """

    def __init__(
        self,
        *,
        allow_private: Sequence[str] = (),
        resolve: Resolve | None = None,
        max_connections: int = 100,
        verify: ssl.SSLContext | bool = True,
        backend: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        context = httpx.create_ssl_context(verify=verify, trust_env=False)
        context.set_alpn_protocols(["http/1.1"])
        self._pool = ConnectionPool(  # type: ignore[assignment]
            backend=backend or GuardedBackend(allow_private, resolve),
            ssl_context=context,
            max_connections=max_connections,
        )
