"""A hostile little web server on loopback that plays many hosts (tests and bench/faults.py).

It speaks just enough HTTP/1.1 by hand to misbehave in ways a real server
library would not let it: drip a byte at a time, send nothing, cut a body
short, lie about Content-Length, reset the connection, serve compression
bombs. Requests are routed by Host header (port stripped) and path, and every
request is logged, so a test can assert that a refused target saw nothing.

The misbehaviours themselves are in ``faults.py``. The server runs its own
event loop in a thread, so the code under test can use ``asyncio.run`` as a
real caller would. It listens on 127.0.0.1 and, on the same port, on
127.0.0.2: an address the tests keep *outside* ``allow_private`` to prove
that the guard refuses it before connecting.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from scraper.fetch.network import Resolve

REFUSED_ADDRESS = "127.0.0.2"


@dataclass(frozen=True)
class Request:
    host: str
    path: str
    headers: dict[str, str]
    address: str
    at: float


class Conn:
    """The client connection a handler answers on."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def raw(self, data: bytes) -> None:
        if self.writer.transport.is_closing():  # the client hung up: stop misbehaving
            raise ConnectionResetError("client went away")
        self.writer.write(data)
        await self.writer.drain()

    async def head(self, status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in headers]
        lines.append("Connection: close")
        await self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def send(
        self,
        status: int = 200,
        body: bytes = b"",
        headers: Sequence[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),),
    ) -> None:
        await self.head(status, [*headers, ("Content-Length", str(len(body)))])
        await self.raw(body)

    def reset(self) -> None:
        """Close with an RST instead of a FIN: the client sees 'connection reset'."""
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


Handler = Callable[[Request, Conn], Awaitable[None]]


@dataclass
class FaultServer:
    port: int = 0
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _servers: list[asyncio.Server] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, host: str, path: str, handler: Handler) -> str:
        """Serve ``handler`` at ``host``/``path`` (path ``*``: any path); returns the URL."""
        self.routes[(host, path)] = handler
        return self.url(host, path if path != "*" else "/")

    def requests(self, host: str | None = None, path: str | None = None) -> list[Request]:
        with self._lock:
            return [
                r
                for r in self.log
                if (host is None or r.host == host) and (path is None or r.path == path)
            ]

    def reset(self) -> None:
        self.routes.clear()
        with self._lock:
            self.log.clear()

    def start(self) -> FaultServer:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, daemon=True, name="faultserver")
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._loop.close()

    async def _listen(self) -> None:
        first = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = first.sockets[0].getsockname()[1]
        second = await asyncio.start_server(self._serve, REFUSED_ADDRESS, self.port)
        self._servers = [first, second]

    async def _close(self) -> None:
        for server in self._servers:
            server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Conn(reader, writer)
        # CancelledError too: at shutdown, a tarpit handler ends quietly.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            request = self._parse(head, writer.get_extra_info("sockname")[0])
            with self._lock:
                self.log.append(request)
            handler = self.routes.get((request.host, request.path)) or self.routes.get(
                (request.host, "*"), not_found
            )
            await handler(request, conn)
        with contextlib.suppress(Exception):
            writer.close()
            await writer.wait_closed()

    @staticmethod
    def _parse(head: bytes, address: str) -> Request:
        lines = head.decode("latin-1").split("\r\n")
        _, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        host = headers.get("host", "").rsplit(":", 1)[0].lower()
        return Request(host, target, headers, address, time.monotonic())


def loopback_resolver(table: Mapping[str, Sequence[str]] | None = None) -> Resolve:
    """DNS for tests: ``*.test`` is 127.0.0.1 unless ``table`` says otherwise; nothing else
    resolves, so no test can reach past loopback by accident."""
    table = table or {}

    async def resolve(host: str, port: int) -> Sequence[str]:
        if host in table:
            return table[host]
        if host.endswith(".test"):
            return ["127.0.0.1"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return resolve


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    408: "Request Timeout",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


async def not_found(request: Request, conn: Conn) -> None:
    await conn.send(404, b"not here", [("Content-Type", "text/plain")])
