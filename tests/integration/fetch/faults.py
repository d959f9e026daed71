"""What the fault server can do to a client: one handler factory per fault of issue 5.

Import this module as ``fs``: it re-exports the server's names, so a test
needs one import for the server, its handlers and its helpers.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import brotli

from tests.integration.fetch.faultserver import (
    REFUSED_ADDRESS,
    Conn,
    FaultServer,
    Handler,
    Request,
    closed_port,
    loopback_resolver,
    not_found,
)

__all__ = [
    "HTML",
    "REFUSED_ADDRESS",
    "Conn",
    "FaultServer",
    "Gauge",
    "Handler",
    "Request",
    "bomb",
    "bomb_bytes",
    "closed_port",
    "compress",
    "cut_chunked",
    "drip",
    "encoded",
    "endless",
    "loopback_resolver",
    "not_found",
    "page",
    "redirect",
    "reset",
    "sequence",
    "silent",
    "status",
    "truncated",
]

HTML = (
    b"<html><head><title>A story</title></head><body><article>"
    b"<p>The council met on Tuesday and agreed the new budget after a long debate.</p>"
    b"</article></body></html>"
)


def page(
    body: bytes = HTML,
    content_type: str = "text/html; charset=utf-8",
    headers: Sequence[tuple[str, str]] = (),
) -> Handler:
    async def handler(request: Request, conn: Conn) -> None:
        await conn.send(200, body, [("Content-Type", content_type), *headers])

    return handler


def status(code: int, headers: Sequence[tuple[str, str]] = ()) -> Handler:
    async def handler(request: Request, conn: Conn) -> None:
        await conn.send(code, b"", headers)

    return handler


def redirect(location: str, code: int = 302) -> Handler:
    return status(code, [("Location", location)])


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler; the last one repeats."""
    calls = [0]

    async def handler(request: Request, conn: Conn) -> None:
        index = min(calls[0], len(handlers) - 1)
        calls[0] += 1
        await handlers[index](request, conn)

    return handler


@dataclass
class Gauge:
    """Counts requests in flight, per host and in all, and remembers the peaks."""

    now: dict[str, int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)
    total: int = 0
    peak_total: int = 0
    finished: dict[str, list[float]] = field(default_factory=dict)

    def slow_page(self, seconds: float) -> Handler:
        async def handler(request: Request, conn: Conn) -> None:
            host = request.host
            self.now[host] = self.now.get(host, 0) + 1
            self.total += 1
            self.peak[host] = max(self.peak.get(host, 0), self.now[host])
            self.peak_total = max(self.peak_total, self.total)
            try:
                await asyncio.sleep(seconds)
                await conn.send(200, HTML)
            finally:
                self.now[host] -= 1
                self.total -= 1
                self.finished.setdefault(host, []).append(time.monotonic())

        return handler


async def silent(request: Request, conn: Conn) -> None:
    """Accept, read the request, and never answer."""
    await asyncio.sleep(3600)


def drip(interval: float, total: int = 10_000) -> Handler:
    """Headers at once, then the body one byte every ``interval`` seconds."""

    async def handler(request: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "text/html"), ("Content-Length", str(total))])
        for _ in range(total):
            await conn.raw(b"x")
            await asyncio.sleep(interval)

    return handler


async def reset(request: Request, conn: Conn) -> None:
    conn.reset()


def truncated(declared: int = 5000) -> Handler:
    """Promise ``declared`` bytes, send part of them, hang up."""

    async def handler(request: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "text/html"), ("Content-Length", str(declared))])
        await conn.raw(HTML[: declared // 2])

    return handler


def cut_chunked() -> Handler:
    """A chunked body that stops in the middle, without the final empty chunk."""

    async def handler(request: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
        await conn.raw(b"%x\r\n%s\r\n" % (len(HTML), HTML))
        await conn.raw(b"400\r\n<p>and then")

    return handler


def endless(chunk: bytes = b"<p>" + b"spam " * 2000 + b"</p>\n") -> Handler:
    """No Content-Length and a body that never ends (the client must stop reading)."""

    async def handler(request: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "text/html")])
        for _ in range(1_000_000):
            await conn.raw(chunk)

    return handler


def encoded(body: bytes, encodings: Sequence[str], content_type: str = "text/html") -> Handler:
    """``body`` compressed with each encoding in turn, declared in that order."""
    for name in encodings:
        body = compress(body, name)

    async def handler(request: Request, conn: Conn) -> None:
        headers = [("Content-Type", content_type), ("Content-Encoding", ", ".join(encodings))]
        await conn.send(200, body, headers)

    return handler


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(data, quality=5))
    if encoding in ("gzip", "x-gzip"):
        packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS)
    else:
        return data  # an encoding we do not know: sent as is
    return packer.compress(data) + packer.flush()


@cache
def bomb_bytes(encoding: str, megabytes: int) -> bytes:
    """``megabytes`` MiB of spaces compressed with ``encoding``, made without holding them."""
    chunk = b" " * (1 << 20)
    if encoding == "br":
        brotli_packer = brotli.Compressor(quality=1)
        parts = [bytes(brotli_packer.process(chunk)) for _ in range(megabytes)]
        return b"".join(parts) + bytes(brotli_packer.finish())
    wbits = zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
    zlib_packer = zlib.compressobj(1, zlib.DEFLATED, wbits)
    parts = [zlib_packer.compress(chunk) for _ in range(megabytes)]
    return b"".join(parts) + zlib_packer.flush()


def bomb(encoding: str, megabytes: int) -> Handler:
    data = bomb_bytes(encoding, megabytes)

    async def handler(request: Request, conn: Conn) -> None:
        await conn.send(200, data, [("Content-Type", "text/html"), ("Content-Encoding", encoding)])

    return handler
