"""Issue 5, retries and faults: what a run sees when servers fail in every way."""

from __future__ import annotations

import time
from email.utils import formatdate
from itertools import pairwise

import pytest

from scraper.errors import (
    CircuitOpenError,
    DeferredError,
    PermanentFetchError,
    TransientFetchError,
)
from scraper.models import FetchResult
from tests.integration.fetch import faults as fs
from tests.integration.fetch.faultserver import FaultServer
from tests.integration.fetch.helpers import fast_config, fetch_one, gather_outcomes


def gaps(server: FaultServer, host: str) -> list[float]:
    times = [r.at for r in server.requests(host)]
    return [b - a for a, b in pairwise(times)]


@pytest.mark.parametrize("header", ["1", "date"])
def test_retry_after_is_waited_out_then_the_page_arrives(server: FaultServer, header: str) -> None:
    value = "1" if header == "1" else formatdate(time.time() + 3, usegmt=True)
    url = server.route(
        "busy.test", "/story", fs.sequence(fs.status(503, [("Retry-After", value)]), fs.page())
    )

    result = fetch_one(url)

    assert result.status == 200 and result.content == fs.HTML
    assert len(server.requests("busy.test")) == 2
    assert gaps(server, "busy.test")[0] >= 0.95  # whole seconds: 2 to 3 s ahead, minus a slow start


def test_retry_after_beyond_the_cap_defers_the_url_and_its_host(server: FaultServer) -> None:
    server.route("slow.test", "*", fs.status(429, [("Retry-After", "3600")]))
    urls = [server.url("slow.test", "/a"), server.url("slow.test", "/b")]

    started = time.monotonic()
    first, second = gather_outcomes(urls, fast_config(max_retry_after=600))

    assert time.monotonic() - started < 1.0  # nothing slept through the hour
    assert isinstance(first, DeferredError) and first.retry_after == pytest.approx(3600, abs=5)
    assert isinstance(second, DeferredError)
    assert "HTTP 429" in str(first) and "deferred" in str(second)
    assert len(server.requests("slow.test")) == 1  # the host was left alone after it asked


@pytest.mark.parametrize("code", [500, 502, 503, 504, 408, 429])
def test_transient_status_is_retried(server: FaultServer, code: int) -> None:
    url = server.route("flaky.test", "/p", fs.sequence(fs.status(code), fs.page()))

    assert fetch_one(url).content == fs.HTML
    assert len(server.requests("flaky.test")) == 2


def test_retries_are_bounded_with_growing_backoff_then_the_reason_is_given(
    server: FaultServer,
) -> None:
    url = server.route("down.test", "/p", fs.status(503))

    with pytest.raises(TransientFetchError, match="HTTP 503 Service Unavailable") as info:
        fetch_one(url, fast_config(retries=3, backoff_base=0.05, backoff_max=1.0))

    assert info.value.reason == "transient"
    assert len(server.requests("down.test")) == 4
    waits = gaps(server, "down.test")
    assert waits[0] >= 0.025 and waits[2] >= 0.1  # equal jitter: between half and all of 2^n


@pytest.mark.parametrize("code", [404, 410, 401, 403])
def test_permanent_status_is_not_retried(server: FaultServer, code: int) -> None:
    url = server.route("gone.test", "/p", fs.status(code))

    with pytest.raises(PermanentFetchError, match=f"HTTP {code}") as info:
        fetch_one(url)

    assert info.value.status == code
    assert len(server.requests("gone.test")) == 1


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (fs.reset, "connection|reset|broke off"),
        (fs.truncated(), "broke off|truncated"),
        (fs.cut_chunked(), "broke off|truncated"),
    ],
    ids=["reset", "content-length-mismatch", "cut-chunked"],
)
def test_broken_connections_are_retried_and_never_give_a_partial_page(
    server: FaultServer, handler: fs.Handler, message: str
) -> None:
    url = server.route("broken.test", "/p", fs.sequence(handler, fs.page()))

    result = fetch_one(url)

    assert result.content == fs.HTML  # the whole page, from the second attempt
    assert len(server.requests("broken.test")) == 2

    server.route("broken.test", "/always", handler)
    with pytest.raises(TransientFetchError, match=message):
        fetch_one(server.url("broken.test", "/always"))
    assert len(server.requests("broken.test", "/always")) == 3  # retries=2


def test_connection_refused_is_retried_then_reported() -> None:
    url = f"http://closed.test:{fs.closed_port()}/p"

    with pytest.raises(TransientFetchError, match=r"cannot connect to host closed\.test"):
        fetch_one(url)


def test_unknown_host_fails_at_once_and_temporary_dns_failure_is_retried() -> None:
    with pytest.raises(PermanentFetchError, match=r"DNS lookup failed for nowhere\.example"):
        fetch_one("http://nowhere.example/p")

    calls: list[str] = []

    async def flaky_dns(host: str, port: int) -> list[str]:
        calls.append(host)
        import socket

        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(TransientFetchError, match="Temporary failure"):
        fetch_one("http://dns.test/p", resolve=flaky_dns)
    assert len(calls) == 3


@pytest.mark.parametrize("handler", [fs.silent, fs.drip(0.05)], ids=["silent", "drip"])
def test_total_deadline_cuts_off_silent_and_dripping_servers(
    server: FaultServer, handler: fs.Handler
) -> None:
    url = server.route("tarpit.test", "/p", handler)

    started = time.monotonic()
    with pytest.raises(TransientFetchError, match=r"timed out after 0\.4s"):
        fetch_one(url, fast_config(timeout=0.4, retries=1))

    assert time.monotonic() - started < 2.0
    assert len(server.requests("tarpit.test")) == 2


def test_failing_host_is_backed_off_as_a_whole_while_others_go_on(server: FaultServer) -> None:
    server.route("bad.test", "*", fs.status(500))
    server.route("good.test", "*", fs.page())
    urls = [server.url(host, f"/{n}") for n in range(8) for host in ("bad.test", "good.test")]
    config = fast_config(breaker_threshold=3, breaker_cooldown=60, retries=2)

    started = time.monotonic()
    outcomes = gather_outcomes(urls, config)

    assert time.monotonic() - started < 2.0
    good = [o for u, o in zip(urls, outcomes, strict=True) if "good.test" in u]
    bad = [o for u, o in zip(urls, outcomes, strict=True) if "bad.test" in u]
    assert all(isinstance(o, FetchResult) and o.status == 200 for o in good)
    assert all(isinstance(o, TransientFetchError) for o in bad)
    assert sum(isinstance(o, CircuitOpenError) for o in bad) >= 6
    assert len(server.requests("bad.test")) == 3  # then the breaker kept us away
    assert "3 failures in a row" in str(next(o for o in bad if isinstance(o, CircuitOpenError)))
