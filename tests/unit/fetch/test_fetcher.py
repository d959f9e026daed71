"""Fetcher behaviour a user notices: results, redirects, status mapping, retries, size caps."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx

from scraper.config import FetchConfig
from scraper.errors import (
    BlockedAddressError,
    NotHTMLFetchError,
    PermanentFetchError,
    TooLargeError,
    TransientFetchError,
)
from scraper.fetch import Fetcher, fetch_url

URL = "https://example.org/news/story"
HTML = b"<html><head><title>Story</title></head><body><p>Hello</p></body></html>"
HTML_HEADERS = {"content-type": "text/html; charset=utf-8"}

FetchFn = Callable[..., Any]
ConfigFn = Callable[..., FetchConfig]


def html(status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers={**HTML_HEADERS, **(headers or {})}, content=HTML)


class Chunks:
    """A long body stream (1 MiB, no length) that counts how much of it was pulled."""

    def __init__(self, chunk: bytes = b"x" * 1024, count: int = 1024) -> None:
        self.chunk = chunk
        self.count = count
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            self.pulled += 1
            yield self.chunk


def test_plain_html_page(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get(URL).mock(return_value=html(headers={"X-Custom": "yes"}))

    result = fetch(URL)

    assert result.status == 200
    assert result.url == result.final_url == URL
    assert result.content == HTML
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.headers["x-custom"] == "yes"
    assert result.fetched_at.endswith("Z") and "T" in result.fetched_at


def test_sends_configured_user_agent(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    route = router.get(URL).mock(return_value=html())

    fetch(URL, config=make_config(user_agent="TestBot/2.0 (+mailto:ops@example.org)"))

    request = route.calls.last.request
    assert request.headers["user-agent"] == "TestBot/2.0 (+mailto:ops@example.org)"
    assert "text/html" in request.headers["accept"]
    assert "gzip" in request.headers["accept-encoding"]


def test_missing_content_type_is_accepted(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get(URL).mock(return_value=httpx.Response(200, content=HTML))

    result = fetch(URL)

    assert result.content == HTML
    assert result.content_type is None


def test_redirect_chain_is_followed_to_final_url(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get("http://example.org/a").mock(
        return_value=httpx.Response(301, headers={"location": "https://example.org/b"})
    )
    router.get("https://example.org/b").mock(
        return_value=httpx.Response(302, headers={"location": "/news/story"})  # relative
    )
    router.get(URL).mock(return_value=html())

    result = fetch("http://example.org/a")

    assert result.url == "http://example.org/a"
    assert result.final_url == URL
    assert result.content == HTML


def test_redirect_to_loopback_is_refused(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get(URL).mock(
        return_value=httpx.Response(302, headers={"location": "http://127.0.0.1/admin"})
    )
    internal = router.get("http://127.0.0.1/admin").mock(return_value=html())

    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1"):
        fetch(URL)
    assert internal.call_count == 0


def test_too_many_redirects(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    for n in range(4):
        router.get(f"https://example.org/{n}").mock(
            return_value=httpx.Response(301, headers={"location": f"/{n + 1}"})
        )

    with pytest.raises(PermanentFetchError, match="too many redirects"):
        fetch("https://example.org/0", config=make_config(max_redirects=2))


def test_redirect_loop(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get("https://example.org/a").mock(
        return_value=httpx.Response(302, headers={"location": "/b"})
    )
    b = router.get("https://example.org/b").mock(
        return_value=httpx.Response(302, headers={"location": "/a"})
    )

    with pytest.raises(PermanentFetchError, match="redirect loop"):
        fetch("https://example.org/a")
    assert b.call_count == 1


def test_404_is_not_retried(router: respx.MockRouter, fetch: FetchFn, sleeps: Any) -> None:
    route = router.get(URL).mock(return_value=httpx.Response(404))

    with pytest.raises(PermanentFetchError) as info:
        fetch(URL)

    assert str(info.value) == "HTTP 404 Not Found"
    assert info.value.status == 404
    assert info.value.url == URL
    assert route.call_count == 1
    assert sleeps.waits == []


def test_500_then_200_succeeds_after_one_backoff(
    router: respx.MockRouter, fetch: FetchFn, sleeps: Any
) -> None:
    route = router.get(URL).mock(side_effect=[httpx.Response(500), html()])

    result = fetch(URL)

    assert result.content == HTML
    assert route.call_count == 2
    assert len(sleeps.waits) == 1
    assert 0.5 <= sleeps.waits[0] <= 1.0  # backoff_base 1 s with equal jitter


def test_retry_after_seconds_is_the_minimum_wait(
    router: respx.MockRouter, fetch: FetchFn, sleeps: Any
) -> None:
    route = router.get(URL).mock(
        side_effect=[httpx.Response(503, headers={"retry-after": "5"}), html()]
    )

    fetch(URL)

    assert route.call_count == 2
    assert sleeps.waits == [5.0]


def test_retry_after_beyond_cap_fails_without_sleeping(
    router: respx.MockRouter, fetch: FetchFn, sleeps: Any
) -> None:
    route = router.get(URL).mock(return_value=httpx.Response(429, headers={"retry-after": "3600"}))

    with pytest.raises(TransientFetchError, match="HTTP 429") as info:
        fetch(URL)

    assert info.value.retry_after == 3600.0
    assert route.call_count == 1
    assert sleeps.waits == []


def test_read_timeout_is_retried_then_reported(
    router: respx.MockRouter, fetch: FetchFn, sleeps: Any
) -> None:
    route = router.get(URL).mock(side_effect=httpx.ReadTimeout)

    with pytest.raises(TransientFetchError, match=r"timed out reading from host example\.org"):
        fetch(URL)

    assert route.call_count == 3  # retries=2
    assert len(sleeps.waits) == 2
    assert 0.5 <= sleeps.waits[0] <= 1.0 and 1.0 <= sleeps.waits[1] <= 2.0  # doubling


def test_whole_request_deadline(make_config: ConfigFn) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(10)
        return html()

    config = make_config(timeout=0.05, retries=0)
    with pytest.raises(TransientFetchError, match=r"timed out after 0\.05s"):
        fetch_url(URL, config, httpx.MockTransport(slow))


def test_connection_refused_is_worded_for_users(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get(URL).mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))

    with pytest.raises(TransientFetchError, match=r"cannot connect to host example\.org"):
        fetch(URL)


def _dns_error(errno: int, text: str) -> httpx.MockTransport:
    """A transport failing like httpx does on a failed lookup: ConnectError from gaierror."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        try:
            raise socket.gaierror(errno, text)
        except socket.gaierror as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc

    transport = httpx.MockTransport(handler)
    transport.calls = calls  # type: ignore[attr-defined]
    return transport


def test_unknown_host_is_a_permanent_dns_failure(make_config: ConfigFn) -> None:
    # respx drops the exception's cause, so this uses a plain MockTransport.
    transport = _dns_error(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(PermanentFetchError, match=r"DNS lookup failed for example\.org"):
        fetch_url(URL, make_config(), transport)
    assert len(transport.calls) == 1  # type: ignore[attr-defined]


def test_temporary_dns_failure_is_retried(make_config: ConfigFn, sleeps: Any) -> None:
    transport = _dns_error(socket.EAI_AGAIN, "Temporary failure in name resolution")

    async def go() -> None:
        async with Fetcher(make_config(), transport, sleep=sleeps) as fetcher:
            await fetcher.fetch(URL)

    with pytest.raises(TransientFetchError, match=r"DNS lookup failed for example\.org"):
        asyncio.run(go())
    assert len(transport.calls) == 3  # type: ignore[attr-defined]


def test_pdf_is_refused_as_not_html(router: respx.MockRouter, fetch: FetchFn) -> None:
    body = Chunks()
    router.get(URL).mock(
        return_value=httpx.Response(200, headers={"content-type": "application/pdf"}, content=body)
    )

    with pytest.raises(NotHTMLFetchError, match="not HTML: application/pdf") as info:
        fetch(URL)

    assert info.value.reason == "not_html"
    assert body.pulled == 0  # refused on the headers, the PDF was not downloaded


def test_accept_lets_feeds_through(router: respx.MockRouter, fetch: FetchFn) -> None:
    feed = b"<rss version='2.0'><channel/></rss>"
    router.get("https://example.org/feed").mock(
        return_value=httpx.Response(
            200, headers={"content-type": "application/rss+xml"}, content=feed
        )
    )

    result = fetch("https://example.org/feed", accept=("application/rss+xml", "application/xml"))

    assert result.content == feed


def test_content_length_over_cap_is_refused_before_reading(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    body = Chunks()
    router.get(URL).mock(
        return_value=httpx.Response(
            200, headers={**HTML_HEADERS, "content-length": "50000"}, content=body
        )
    )

    with pytest.raises(TooLargeError, match="Content-Length 50000"):
        fetch(URL, config=make_config(max_bytes=10_000))
    assert body.pulled == 0


def test_streamed_body_over_cap_is_cut_off(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    body = Chunks()  # 1 MiB, no Content-Length
    router.get(URL).mock(return_value=httpx.Response(200, headers=HTML_HEADERS, content=body))

    with pytest.raises(TooLargeError, match="10000-byte limit"):
        fetch(URL, config=make_config(max_bytes=10_000))
    assert body.pulled <= 11


def test_cap_applies_to_decoded_bytes(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    bomb = gzip.compress(b" " * 1_000_000)
    assert len(bomb) < 10_000
    router.get(URL).mock(
        return_value=httpx.Response(
            200, headers={**HTML_HEADERS, "content-encoding": "gzip"}, content=bomb
        )
    )

    with pytest.raises(TooLargeError):
        fetch(URL, config=make_config(max_bytes=10_000))


def test_gzip_body_is_decoded(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get(URL).mock(
        return_value=httpx.Response(
            200, headers={**HTML_HEADERS, "content-encoding": "gzip"}, content=gzip.compress(HTML)
        )
    )

    assert fetch(URL).content == HTML


def test_truncated_body_is_transient(router: respx.MockRouter, fetch: FetchFn, sleeps: Any) -> None:
    short = httpx.Response(200, headers={**HTML_HEADERS, "content-length": "1000"}, content=HTML)
    route = router.get(URL).mock(side_effect=[short, html()])

    result = fetch(URL)

    assert result.content == HTML
    assert route.call_count == 2
    assert len(sleeps.waits) == 1


def test_truncated_body_reported_after_retries(router: respx.MockRouter, fetch: FetchFn) -> None:
    router.get(URL).mock(
        side_effect=lambda request: httpx.Response(
            200, headers={**HTML_HEADERS, "content-length": "1000"}, content=HTML
        )
    )

    with pytest.raises(TransientFetchError, match=f"truncated body: got {len(HTML)} of 1000"):
        fetch(URL)


def test_bad_scheme_never_reaches_the_network(router: respx.MockRouter, fetch: FetchFn) -> None:
    with pytest.raises(PermanentFetchError, match="scheme 'file'"):
        fetch("file:///etc/passwd")
    assert router.calls.call_count == 0


def test_fetch_url_sync_wrapper(router: respx.MockRouter, make_config: ConfigFn) -> None:
    router.get(URL).mock(return_value=html())

    result = fetch_url(URL, make_config(), httpx.MockTransport(router.async_handler))

    assert result.content == HTML


def test_fetcher_reuses_one_client(router: respx.MockRouter, make_config: ConfigFn) -> None:
    route = router.get(URL).mock(return_value=html())

    async def go() -> None:
        async with Fetcher(make_config(), httpx.MockTransport(router.async_handler)) as fetcher:
            await asyncio.gather(fetcher.fetch(URL), fetcher.fetch(URL))

    asyncio.run(go())
    assert route.call_count == 2


def test_conditional_get_returns_304_without_content(
    router: respx.MockRouter, fetch: FetchFn
) -> None:
    route = router.get(URL).mock(return_value=httpx.Response(304, headers={"etag": '"v1"'}))

    result = fetch(URL, etag='"v1"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT")

    request = route.calls.last.request
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert result.status == 304
    assert result.content == b""
    assert result.headers["etag"] == '"v1"'
