"""robots.txt is fetched once per host and obeyed, the way RFC 9309 says."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from scraper.config import FetchConfig
from scraper.errors import RobotsDisallowedError
from scraper.fetch import Fetcher, RobotsCache

PAGE = "https://example.org/news/story"
ROBOTS = "https://example.org/robots.txt"
HTML = httpx.Response(200, headers={"content-type": "text/html"}, content=b"<p>hi</p>")

FetchFn = Callable[..., Any]
ConfigFn = Callable[..., FetchConfig]


@pytest.fixture
def polite(make_config: ConfigFn) -> FetchConfig:
    return make_config(respect_robots=True)


def robots_txt(text: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/plain"}, text=text)


def test_disallowed_page_is_never_requested(
    router: respx.MockRouter, fetch: FetchFn, polite: FetchConfig
) -> None:
    router.get(ROBOTS).mock(return_value=robots_txt("User-agent: *\nDisallow: /news/\n"))
    page = router.get(PAGE).mock(return_value=HTML)

    with pytest.raises(RobotsDisallowedError, match=r"disallowed by robots\.txt") as info:
        fetch(PAGE, config=polite)

    assert info.value.url == PAGE
    assert page.call_count == 0


def test_rules_for_our_product_token_apply(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    router.get(ROBOTS).mock(
        return_value=robots_txt(
            "User-agent: *\nAllow: /\n\nUser-agent: newsbot\nDisallow: /news/\n"
        )
    )
    router.get(PAGE).mock(return_value=HTML)
    ours = make_config(respect_robots=True, user_agent="NewsBot/1.2 (+https://example.com/bot)")
    other = make_config(respect_robots=True, user_agent="OtherBot/1.0")

    with pytest.raises(RobotsDisallowedError):
        fetch(PAGE, config=ours)
    assert fetch(PAGE, config=other).status == 200


def test_only_the_product_token_is_matched_not_the_whole_user_agent(
    router: respx.MockRouter, fetch: FetchFn, make_config: ConfigFn
) -> None:
    # A group for some crawler called "example" must not catch us just because
    # our User-Agent mentions example.com in its contact URL.
    router.get(ROBOTS).mock(return_value=robots_txt("User-agent: example\nDisallow: /\n"))
    router.get(PAGE).mock(return_value=HTML)
    config = make_config(respect_robots=True, user_agent="NewsBot/1.2 (+https://example.com/bot)")

    assert fetch(PAGE, config=config).status == 200


def test_missing_robots_txt_allows_everything(
    router: respx.MockRouter, fetch: FetchFn, polite: FetchConfig
) -> None:
    router.get(ROBOTS).mock(return_value=httpx.Response(404))
    page = router.get(PAGE).mock(return_value=HTML)

    assert fetch(PAGE, config=polite).status == 200
    assert page.call_count == 1


@pytest.mark.parametrize(
    ("response", "why"),
    [
        (httpx.Response(503), "HTTP 503"),
        (httpx.Response(429), "HTTP 429"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "cannot connect"),
    ],
)
def test_unreachable_robots_txt_disallows_everything(
    router: respx.MockRouter,
    fetch: FetchFn,
    polite: FetchConfig,
    response: httpx.Response | Exception,
    why: str,
) -> None:
    if isinstance(response, Exception):
        router.get(ROBOTS).mock(side_effect=response)
    else:
        router.get(ROBOTS).mock(return_value=response)
    page = router.get(PAGE).mock(return_value=HTML)

    with pytest.raises(RobotsDisallowedError, match=rf"robots\.txt unreachable.*{why}"):
        fetch(PAGE, config=polite)
    assert page.call_count == 0


def test_robots_txt_is_fetched_once_per_host(
    router: respx.MockRouter, fetch: FetchFn, polite: FetchConfig
) -> None:
    robots = router.get(ROBOTS).mock(return_value=robots_txt("User-agent: *\nDisallow:\n"))
    other_robots = router.get("https://other.example/robots.txt").mock(
        return_value=httpx.Response(404)
    )
    router.get(PAGE).mock(return_value=HTML)
    router.get("https://example.org/news/2").mock(return_value=HTML)
    router.get("https://other.example/a").mock(return_value=HTML)

    fetch(PAGE, "https://example.org/news/2", "https://other.example/a", config=polite)

    assert robots.call_count == 1
    assert other_robots.call_count == 1


def test_concurrent_fetches_share_one_robots_request(
    router: respx.MockRouter, polite: FetchConfig
) -> None:
    async def slow_robots(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # let the other fetches arrive while this one is in flight
        return robots_txt("User-agent: *\nDisallow:\n")

    robots = router.get(ROBOTS).mock(side_effect=slow_robots)
    router.get(PAGE).mock(return_value=HTML)

    async def go() -> None:
        transport = httpx.MockTransport(router.async_handler)
        async with Fetcher(polite, transport) as fetcher:
            await asyncio.gather(*(fetcher.fetch(PAGE) for _ in range(5)))

    asyncio.run(go())
    assert robots.call_count == 1


def test_redirect_target_is_checked_against_its_own_robots(
    router: respx.MockRouter, fetch: FetchFn, polite: FetchConfig
) -> None:
    router.get(ROBOTS).mock(return_value=httpx.Response(404))
    router.get(PAGE).mock(
        return_value=httpx.Response(301, headers={"location": "https://mirror.example/story"})
    )
    router.get("https://mirror.example/robots.txt").mock(
        return_value=robots_txt("User-agent: *\nDisallow: /\n")
    )
    mirror = router.get("https://mirror.example/story").mock(return_value=HTML)

    with pytest.raises(RobotsDisallowedError):
        fetch(PAGE, config=polite)
    assert mirror.call_count == 0


def test_robots_txt_redirect_is_followed(
    router: respx.MockRouter, fetch: FetchFn, polite: FetchConfig
) -> None:
    router.get("http://example.org/robots.txt").mock(
        return_value=httpx.Response(301, headers={"location": ROBOTS})
    )
    router.get(ROBOTS).mock(return_value=robots_txt("User-agent: *\nDisallow: /news/\n"))
    page = router.get("http://example.org/news/story").mock(return_value=HTML)

    with pytest.raises(RobotsDisallowedError):
        fetch("http://example.org/news/story", config=polite)
    assert page.call_count == 0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_expires_after_a_day_and_exposes_crawl_delay(router: respx.MockRouter) -> None:
    robots = router.get(ROBOTS).mock(
        side_effect=[
            robots_txt("User-agent: *\nCrawl-delay: 7\n"),
            robots_txt("User-agent: *\nDisallow: /\n"),
        ]
    )
    clock = Clock()
    cache = RobotsCache("scraper/0.1 (+contact)", clock=clock)

    async def go() -> float | None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler)) as client:
            delay = await cache.check(PAGE, client)
            clock.now += 23 * 3600
            await cache.check(PAGE, client)  # still cached: allowed
            assert robots.call_count == 1
            clock.now += 2 * 3600
            with pytest.raises(RobotsDisallowedError):
                await cache.check(PAGE, client)  # re-fetched: now disallowed
            return delay

    assert asyncio.run(go()) == 7.0
    assert robots.call_count == 2


def test_oversized_robots_txt_is_read_only_up_to_500_kib(router: respx.MockRouter) -> None:
    filler = "# " + "x" * 1022 + "\n"
    text = "User-agent: *\nDisallow: /a\n" + filler * 600 + "Disallow: /news/\n"
    router.get(ROBOTS).mock(return_value=robots_txt(text))
    cache = RobotsCache("scraper/0.1")

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler)) as client:
            await cache.check(PAGE, client)  # the rule past 500 KiB is not seen
            with pytest.raises(RobotsDisallowedError):
                await cache.check("https://example.org/a", client)

    asyncio.run(go())
