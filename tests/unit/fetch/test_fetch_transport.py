"""The pooled HTTP/1.1 transport: connections reused only when that is safe, never too many."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
import pytest

from scraper.fetch.transport import GuardedTransport


def response(body: bytes = b"hello", *, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (size, body)


class Stream(httpcore.AsyncNetworkStream):
    """One fake connection: every request written is answered with the server's next reply."""

    def __init__(self, server: Server, host: str) -> None:
        self.server = server
        self.host = host
        self.pending = b""
        self.closed = False

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.server.requests.append((self.host, buffer.split(b"\r\n", 1)[0]))
        self.pending += self.server.replies.pop(0)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await asyncio.sleep(0)  # let other requests run, as a network would
        chunk, self.pending = self.pending[:max_bytes], self.pending[max_bytes:]
        return chunk  # b"" once the reply is used up: the server hung up

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> Any:
        return False if info == "is_readable" else None


class Server(httpcore.AsyncNetworkBackend):
    def __init__(self, replies: Iterable[bytes]) -> None:
        self.replies = list(replies)
        self.requests: list[tuple[str, bytes]] = []
        self.streams: list[Stream] = []
        self.peak = 0  # connections open at once, at most

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Stream:
        self.streams.append(Stream(self, host))
        self.peak = max(self.peak, sum(not s.closed for s in self.streams))
        return self.streams[-1]


def get(transport: GuardedTransport, url: str, *, read: bool = True) -> bytes:
    async def go() -> bytes:
        return await fetch(transport, url, read=read)

    return asyncio.run(go())


async def fetch(transport: GuardedTransport, url: str, *, read: bool = True) -> bytes:
    reply = await transport.handle_async_request(httpx.Request("GET", url))
    try:
        return await reply.aread() if read else b""
    finally:
        await reply.aclose()


def test_a_connection_read_to_its_end_is_reused() -> None:
    server = Server([response(b"one"), response(b"two")])
    transport = GuardedTransport(backend=server)

    async def go() -> list[bytes]:
        return [
            await fetch(transport, "http://a.test/1"),
            await fetch(transport, "http://a.test/2"),
        ]

    assert asyncio.run(go()) == [b"one", b"two"]
    assert len(server.streams) == 1
    assert [line for _, line in server.requests] == [b"GET /1 HTTP/1.1", b"GET /2 HTTP/1.1"]


def test_a_response_left_unread_closes_its_connection() -> None:
    server = Server([response(b"x" * 1000), response(b"two")])
    transport = GuardedTransport(backend=server)

    async def go() -> bytes:
        await fetch(transport, "http://a.test/1", read=False)  # refused on its headers, say
        return await fetch(transport, "http://a.test/2")

    assert asyncio.run(go()) == b"two"
    assert [s.closed for s in server.streams] == [True, False]


def test_a_body_cut_short_is_a_protocol_error_and_the_connection_is_dropped() -> None:
    server = Server([response(b"short", length=100)])
    transport = GuardedTransport(backend=server)

    with pytest.raises(httpx.RemoteProtocolError, match="peer closed connection"):
        get(transport, "http://a.test/")
    assert server.streams[0].closed


def test_no_more_connections_than_allowed_and_no_request_waits_forever() -> None:
    server = Server([response(b"%d" % n) for n in range(6)])
    transport = GuardedTransport(backend=server, max_connections=1)
    urls = [f"http://{host}.test/" for host in "abcabc"]

    async def go() -> list[bytes]:
        return await asyncio.wait_for(
            asyncio.gather(*(fetch(transport, url) for url in urls)), timeout=5
        )

    assert sorted(asyncio.run(go())) == [b"%d" % n for n in range(6)]
    assert server.peak == 1
