"""Issue 5, politeness: per-host slots and delays, hosts interleaved, Crawl-delay."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

from scraper.config import FetchConfig
from scraper.errors import CrawlDelayError
from scraper.fetch import Fetcher
from scraper.models import FetchResult
from scraper.pipeline.hosts import HostQueue
from tests.integration.fetch import faults as fs
from tests.integration.fetch.faultserver import FaultServer
from tests.integration.fetch.helpers import fast_config, gather_outcomes, run_with


def starts(server: FaultServer, host: str) -> list[float]:
    return [r.at for r in server.requests(host) if r.path != "/robots.txt"]


def test_per_host_and_global_concurrency_are_never_exceeded(server: FaultServer) -> None:
    gauge = fs.Gauge()
    hosts = ["a.test", "b.test", "c.test"]
    for host in hosts:
        server.route(host, "*", gauge.slow_page(0.1))
    urls = [server.url(host, f"/{n}") for n in range(4) for host in hosts]

    outcomes = gather_outcomes(urls, fast_config(per_host_concurrency=2, concurrency=4))

    assert all(isinstance(o, FetchResult) for o in outcomes)
    assert max(gauge.peak.values()) == 2
    assert gauge.peak_total == 4


def test_per_host_delay_spaces_starts_with_upward_jitter(server: FaultServer) -> None:
    server.route("a.test", "*", fs.page())
    urls = [server.url("a.test", f"/{n}") for n in range(4)]

    gather_outcomes(urls, fast_config(per_host_delay=0.1))

    times = starts(server, "a.test")
    gaps = [b - a for a, b in pairwise(times)]
    assert len(gaps) == 3
    assert all(0.095 <= gap <= 0.2 for gap in gaps), gaps  # delay x (1 to 1.5), plus slack


def test_a_slow_host_does_not_stall_the_others(server: FaultServer) -> None:
    gauge = fs.Gauge()
    server.route("slow.test", "*", gauge.slow_page(0.3))
    server.route("fast.test", "*", fs.page())
    # The slow host's URLs come first, as a feed might list them.
    urls = [server.url("slow.test", f"/{n}") for n in range(4)]
    urls += [server.url("fast.test", f"/{n}") for n in range(10)]
    config = fast_config(concurrency=2, per_host_delay=0.01)

    async def body(fetcher: Fetcher) -> list[tuple[str, float]]:
        """Workers on the run's host-by-host queue, as ``scraper run`` fetches."""
        queue: HostQueue[str] = HostQueue(per_host=config.per_host_concurrency, capacity=100)
        for url in urls:
            await queue.put(url.split("/")[2].split(":")[0], url)
        await queue.close()
        started = time.monotonic()
        finished = []

        async def work() -> None:
            while (item := await queue.get()) is not None:
                host, url = item
                try:
                    outcome = await fetcher.fetch(url)
                finally:
                    await queue.done(host)
                assert isinstance(outcome, FetchResult), outcome
                finished.append((host, time.monotonic() - started))

        await asyncio.gather(*(work() for _ in range(config.concurrency)))
        return finished

    finished = run_with(body, config)

    fast = [t for host, t in finished if host == "fast.test"]
    slow = [t for host, t in finished if host == "slow.test"]
    assert len(fast) == 10 and len(slow) == 4
    assert max(fast) < 0.6  # done while the slow host was still on its second page
    assert max(slow) >= 1.2
    assert gauge.peak["slow.test"] == 1


def _robots(server: FaultServer, host: str, text: str) -> None:
    server.route(host, "/robots.txt", fs.page(text.encode(), "text/plain"))


def polite(**overrides: object) -> FetchConfig:
    return fast_config(respect_robots=True, **overrides)


def test_crawl_delay_is_honoured(server: FaultServer) -> None:
    _robots(server, "a.test", "User-agent: *\nCrawl-delay: 0.2\n")
    server.route("a.test", "*", fs.page())
    urls = [server.url("a.test", f"/{n}") for n in range(3)]

    outcomes = gather_outcomes(urls, polite(per_host_delay=0.0))

    assert all(isinstance(o, FetchResult) for o in outcomes)
    times = starts(server, "a.test")
    assert all(b - a >= 0.19 for a, b in pairwise(times))


def test_crawl_delay_beyond_the_cap_skips_the_host_with_a_reason(server: FaultServer) -> None:
    _robots(server, "lazy.test", "User-agent: *\nCrawl-delay: 3600\n")
    server.route("lazy.test", "*", fs.page())
    server.route("b.test", "*", fs.page())
    urls = [server.url("lazy.test", "/1"), server.url("lazy.test", "/2"), server.url("b.test")]

    skipped_1, skipped_2, other = gather_outcomes(urls, polite(max_crawl_delay=30))

    for skipped in (skipped_1, skipped_2):
        assert isinstance(skipped, CrawlDelayError)
        assert skipped.reason == "crawl_delay"
        assert "Crawl-delay of 3600s is over our 30s limit" in str(skipped)
    assert isinstance(other, FetchResult)
    assert [r.path for r in server.requests("lazy.test")] == ["/robots.txt"]
