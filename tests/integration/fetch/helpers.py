"""Run a fresh Fetcher against the fault server, the way a scheduled run would."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from scraper.config import FetchConfig
from scraper.fetch import Fetcher
from scraper.fetch.network import Resolve
from scraper.models import FetchResult
from tests.integration.fetch.faultserver import loopback_resolver

T = TypeVar("T")
Outcome = FetchResult | BaseException


def fast_config(**overrides: Any) -> FetchConfig:
    """Settings that keep tests quick: tiny backoff and deadline, no delay, no robots."""
    settings: dict[str, Any] = {
        "allow_private": ["127.0.0.1/32"],
        "respect_robots": False,
        "retries": 2,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "timeout": 2.0,
        "connect_timeout": 1.0,
        "per_host_delay": 0.0,
        "max_retry_after": 5.0,
    }
    settings.update(overrides)
    return FetchConfig(**settings)


def run_with(
    body: Callable[[Fetcher], Awaitable[T]],
    config: FetchConfig | None = None,
    resolve: Resolve | None = None,
    **fetcher_options: Any,
) -> T:
    """Run ``body`` with a fresh Fetcher (one per run, as a scheduled run has) on a new loop."""

    async def go() -> T:
        fetcher = Fetcher(
            config or fast_config(), resolve=resolve or loopback_resolver(), **fetcher_options
        )
        async with fetcher:
            return await body(fetcher)

    return asyncio.run(go())


def fetch_one(url: str, config: FetchConfig | None = None, **kwargs: Any) -> FetchResult:
    resolve = kwargs.pop("resolve", None)

    async def body(fetcher: Fetcher) -> FetchResult:
        return await fetcher.fetch(url, **kwargs)

    return run_with(body, config, resolve)


def gather_outcomes(
    urls: Sequence[str], config: FetchConfig | None = None, resolve: Resolve | None = None
) -> list[FetchResult | BaseException]:
    """Fetch all ``urls`` at once (one task each); results and errors in input order."""

    async def body(fetcher: Fetcher) -> list[FetchResult | BaseException]:
        return await asyncio.gather(*(fetcher.fetch(u) for u in urls), return_exceptions=True)

    return run_with(body, config, resolve)
