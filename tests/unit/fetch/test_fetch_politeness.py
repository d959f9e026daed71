"""Per-host slots, delays and pauses, and the circuit breaker, on a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from scraper.errors import CircuitOpenError, DeferredError
from scraper.fetch.breaker import CircuitBreaker
from scraper.fetch.politeness import Politeness


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Let every other ready task run first, then jump the clock to the wake-up time."""
        self.waits.append(seconds)
        wake = self.now + seconds
        for _ in range(5):
            await asyncio.sleep(0)
        self.now = max(self.now, wake)


def politeness(time: FakeTime, **overrides: float) -> Politeness:
    settings = {"concurrency": 8, "per_host_concurrency": 1, "per_host_delay": 2.0}
    settings.update(overrides)
    return Politeness(
        concurrency=int(settings["concurrency"]),
        per_host_concurrency=int(settings["per_host_concurrency"]),
        per_host_delay=settings["per_host_delay"],
        max_wait=60.0,
        clock=time.clock,
        sleep=time.sleep,
        rand=lambda: 1.0,  # the largest jitter: 1.5 x delay
    )


def starts(slots: Politeness, time: FakeTime, hosts: list[str]) -> list[tuple[str, float]]:
    seen: list[tuple[str, float]] = []

    async def one(host: str) -> None:
        async with slots.slot(host):
            seen.append((host, time.now))

    async def go() -> None:
        await asyncio.gather(*(one(h) for h in hosts))

    asyncio.run(go())
    return seen


def test_starts_on_one_host_are_spaced_by_the_jittered_delay() -> None:
    time = FakeTime()

    seen = starts(politeness(time), time, ["a", "a", "a"])

    assert [t for _, t in seen] == [0.0, 3.0, 6.0]


def test_other_hosts_do_not_wait_for_a_delayed_one() -> None:
    time = FakeTime()

    seen = starts(politeness(time), time, ["a", "a", "b", "c"])

    assert [h for h, t in seen if t == 0.0] == ["a", "b", "c"]


def test_crawl_delay_raises_the_gap_but_never_lowers_it() -> None:
    time = FakeTime()
    slots = politeness(time)
    slots.set_crawl_delay("a", 10.0)
    slots.set_crawl_delay("b", 0.5)

    starts(slots, time, ["a", "a", "b", "b"])

    assert sorted(time.waits) == [3.0, 15.0]  # b keeps its own 2 s (x 1.5), a gets 10 s (x 1.5)


def test_a_short_pause_is_waited_out_a_long_one_defers() -> None:
    time = FakeTime()
    slots = politeness(time, per_host_delay=0.0)
    slots.pause("a", 30.0, "Retry-After 30s")
    slots.pause("b", 3600.0, "5 failures in a row", CircuitOpenError)

    seen = starts(slots, time, ["a"])
    assert seen == [("a", 30.0)]

    with pytest.raises(CircuitOpenError, match="5 failures in a row; host b deferred") as info:
        slots.check_paused("b", "http://b/x")
    assert info.value.url == "http://b/x"
    assert isinstance(info.value, DeferredError)
    assert info.value.retry_after == pytest.approx(3570.0)


def test_global_concurrency_bounds_requests_in_flight() -> None:
    time = FakeTime()
    slots = politeness(time, concurrency=2, per_host_delay=0.0)
    in_flight = [0]
    peak = [0]

    async def one(host: str) -> None:
        async with slots.slot(host):
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
            await asyncio.sleep(0.001)
            in_flight[0] -= 1

    async def go() -> None:
        await asyncio.gather(*(one(h) for h in "abcdef"))

    asyncio.run(go())
    assert peak[0] == 2


def test_breaker_opens_after_the_threshold_and_doubles_its_cooldown() -> None:
    breaker = CircuitBreaker(threshold=3, cooldown=10.0, max_cooldown=25.0)

    assert [breaker.failure("a") for _ in range(3)] == [None, None, 10.0]
    assert breaker.failure("a") == 20.0  # failing again right after the pause
    assert breaker.failure("a") == 25.0  # capped
    assert breaker.failure("b") is None  # hosts are counted apart
    breaker.success("a")
    assert breaker.failures("a") == 0
    assert breaker.failure("a") is None
