"""A fault server on loopback playing many hosts, and fetchers that may reach only it.

Names ending in ``.test`` resolve to 127.0.0.1 through an injected resolver,
and ``allow_private`` lets through 127.0.0.1 alone: the address guard stays on,
and 127.0.0.2 (where the server listens too) stands for every address it
must refuse.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.fetch.faultserver import FaultServer


@pytest.fixture(scope="session")
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(fault_server: FaultServer) -> Iterator[FaultServer]:
    """The shared server with no routes and an empty request log."""
    fault_server.reset()
    yield fault_server
    fault_server.reset()
