"""Fixtures for fetch tests: a respx router as transport, a config factory, a sleep recorder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from scraper.config import FetchConfig
from scraper.fetch import Fetcher
from scraper.models import FetchResult


class SleepRecorder:
    """Stands in for asyncio.sleep: remembers each wait and moves its clock on instead."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.now = 1000.0

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def router() -> respx.MockRouter:
    # assert_all_mocked: a request to an unmocked URL fails the test instead of going out.
    return respx.MockRouter(assert_all_called=False, assert_all_mocked=True)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


def _make_config(**overrides: Any) -> FetchConfig:
    settings: dict[str, Any] = {
        "respect_robots": False,
        "retries": 2,
        "backoff_base": 1.0,
        "backoff_max": 8.0,
        "max_retry_after": 60.0,
        "timeout": 5.0,
        "per_host_delay": 0.0,
    }
    settings.update(overrides)
    return FetchConfig(**settings)


@pytest.fixture(name="make_config")
def make_config_fixture() -> Callable[..., FetchConfig]:
    """Fast test settings (no robots, no delay, retries=2, backoff base 1 s) with overrides."""
    return _make_config


FetchFn = Callable[..., FetchResult]


@pytest.fixture
def fetch(router: respx.MockRouter, sleeps: SleepRecorder) -> FetchFn:
    """Fetch URLs (one Fetcher for all of them) through the router; returns the last result."""

    def run(*urls: str, config: FetchConfig | None = None, **kwargs: Any) -> FetchResult:
        async def go() -> FetchResult:
            transport = httpx.MockTransport(router.async_handler)
            fetcher = Fetcher(config or _make_config(), transport, sleep=sleeps, clock=sleeps.clock)
            async with fetcher:
                results = [await fetcher.fetch(url, **kwargs) for url in urls]
            return results[-1]

        return asyncio.run(go())

    return run
