"""The guarded network backend: resolve, check, connect to the checked address, keep SNI."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from typing import Any

import httpcore
import pytest

from scraper.errors import BlockedAddressError
from scraper.fetch.network import GuardedBackend


class Refused(httpcore.ConnectError):
    pass


class FakeStream(httpcore.AsyncNetworkStream):
    def __init__(self, log: dict[str, Any]) -> None:
        self.log = log

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.log["sni"] = server_hostname
        raise httpcore.ConnectError("stop here")

    async def aclose(self) -> None:
        pass


class FakeInner(httpcore.AsyncNetworkBackend):
    """Records where it was asked to connect; refuses the addresses in ``down``."""

    def __init__(self, down: Sequence[str] = ()) -> None:
        self.log: dict[str, Any] = {"connects": []}
        self.down = set(down)

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.log["connects"].append(host)
        if host in self.down:
            raise Refused(f"refused {host}")
        return FakeStream(self.log)


def static(*addresses: str) -> Any:
    async def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


def test_connects_to_the_checked_address_and_keeps_the_host_name_for_tls() -> None:
    inner = FakeInner()
    backend = GuardedBackend(["127.0.0.1/32"], static("127.0.0.1"), inner)

    async def go() -> None:
        async with httpcore.AsyncConnectionPool(network_backend=backend) as pool:
            await pool.request("GET", "https://news.test/story")

    with pytest.raises(httpcore.ConnectError, match="stop here"):
        asyncio.run(go())
    assert inner.log["connects"] == ["127.0.0.1"]  # the address, not the name again
    assert inner.log["sni"] == "news.test"  # certificate checked against the name


def test_refuses_before_connecting_when_any_address_is_private() -> None:
    inner = FakeInner()
    backend = GuardedBackend([], static("93.184.216.34", "10.0.0.7"), inner)

    with pytest.raises(BlockedAddressError, match=r"news\.test \(10\.0\.0\.7\)"):
        asyncio.run(backend.connect_tcp("news.test", 80))
    assert inner.log["connects"] == []


def test_tries_the_next_address_when_one_is_down() -> None:
    inner = FakeInner(down=["93.184.216.34"])
    backend = GuardedBackend([], static("93.184.216.34", "93.184.216.35"), inner)

    asyncio.run(backend.connect_tcp("news.test", 80))

    assert inner.log["connects"] == ["93.184.216.34", "93.184.216.35"]


def test_ip_literals_skip_dns_but_not_the_check() -> None:
    async def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError("literal addresses need no lookup")

    backend = GuardedBackend([], no_dns, FakeInner())

    with pytest.raises(BlockedAddressError):
        asyncio.run(backend.connect_tcp("169.254.169.254", 80))


def test_unix_sockets_are_refused() -> None:
    with pytest.raises(BlockedAddressError):
        asyncio.run(GuardedBackend([]).connect_unix_socket("/var/run/docker.sock"))
