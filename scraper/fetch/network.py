"""Connections that check the address they actually connect to (SSRF guard, second half).

``guard.check_url`` refuses bad URLs before a request; this module closes the
gap it cannot: a host name that resolves to a private address, or resolves
to a public one for the check and to 127.0.0.1 for the connection (DNS
rebinding). The network backend resolves the name itself, checks every
address, then connects to the checked address. The host name still goes into
the Host header and, for https, into TLS SNI and certificate checks, because
the transport (``transport.py``) takes both from the request's URL, not from the socket.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import httpcore

from scraper.errors import BlockedAddressError
from scraper.fetch.guard import IPAddress, check_address, parse_ip_literal
from scraper.fetch.sockets import AsyncioBackend

Resolve = Callable[[str, int], Awaitable[Sequence[str]]]
"""Async resolver: (host, port) -> the addresses (as text) to connect to, in order."""


async def system_resolve(host: str, port: int) -> list[str]:
    """The system resolver (getaddrinfo), TCP addresses in the order it returns them."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for *_, sockaddr in infos:
        text = str(sockaddr[0])
        if text not in addresses:
            addresses.append(text)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves, checks every address against the guard, then connects to a checked one."""

    def __init__(
        self,
        allow_private: Sequence[str],
        resolve: Resolve | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._allow_private = tuple(allow_private)
        self._resolve = resolve or system_resolve
        self._inner = inner or AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port, timeout)
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc  # try the next address, as getaddrinfo users do
        assert last is not None
        raise last

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError(f"refusing to connect to unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

    async def _addresses(self, host: str, port: int, timeout: float | None) -> list[IPAddress]:
        literal = parse_ip_literal(host)
        if literal is not None:
            texts: Sequence[str] = [str(literal)]
        else:
            try:
                async with asyncio.timeout(timeout):
                    texts = await self._resolve(host, port)
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"DNS lookup for {host} timed out") from exc
            except OSError as exc:  # socket.gaierror; the cause chain keeps its errno
                raise httpcore.ConnectError(str(exc)) from exc
        addresses: list[IPAddress] = []
        for text in texts:
            address = parse_ip_literal(text)
            if address is None:
                raise BlockedAddressError(f"{host} resolved to non-address {text!r}")
            check_address(address, self._allow_private, host=host)
            addresses.append(address)
        if not addresses:
            raise httpcore.ConnectError(f"DNS lookup for {host} returned no address")
        return addresses
