"""Retry policy pieces: Retry-After parsing and the backoff schedule."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from scraper.config import FetchConfig
from scraper.errors import PermanentFetchError, TransientFetchError
from scraper.fetch.retry import parse_retry_after, retry_policy

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("5", 5.0),
        (" 120 ", 120.0),
        ("0", 0.0),
        ("Wed, 01 Jan 2025 12:00:30 GMT", 30.0),
        ("Wed, 01 Jan 2025 11:00:00 GMT", 0.0),  # in the past: no wait
        ("-3", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


def run_policy(config: FetchConfig, errors: list[Exception], rand: float) -> list[float]:
    """Drive the policy over a function failing with ``errors`` then succeeding."""
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    remaining = list(errors)

    async def attempt() -> str:
        if remaining:
            raise remaining.pop(0)
        return "ok"

    asyncio.run(retry_policy(config, sleep=record, rand=lambda: rand)(attempt))
    return waits


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    config = FetchConfig(retries=5, backoff_base=1.0, backoff_max=4.0)
    errors: list[Exception] = [TransientFetchError("x") for _ in range(5)]

    assert run_policy(config, errors, rand=1.0) == [1.0, 2.0, 4.0, 4.0, 4.0]
    assert run_policy(config, list(errors), rand=0.0) == [0.5, 1.0, 2.0, 2.0, 2.0]


def test_gives_up_after_configured_retries() -> None:
    config = FetchConfig(retries=1, backoff_base=0.0)
    with pytest.raises(TransientFetchError, match="second"):
        run_policy(config, [TransientFetchError("first"), TransientFetchError("second")], 0.5)


def test_permanent_errors_are_not_retried() -> None:
    with pytest.raises(PermanentFetchError):
        run_policy(FetchConfig(retries=3), [PermanentFetchError("gone", status=410)], 0.5)
