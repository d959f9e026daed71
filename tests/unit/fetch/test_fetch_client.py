"""The shared client: identifies itself and leaves redirects to the fetcher."""

from __future__ import annotations

import asyncio

import httpx

from scraper.config import FetchConfig
from scraper.fetch import build_client


def test_client_does_not_follow_redirects_and_sends_our_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"location": "http://127.0.0.1/"})

    config = FetchConfig(user_agent="UnitBot/9 (+https://example.org/bot)", connect_timeout=2.0)

    async def go() -> int:
        async with (
            build_client(config, httpx.MockTransport(handler)) as client,
            client.stream("GET", "https://example.org/") as response,
        ):
            return response.status_code

    assert asyncio.run(go()) == 302  # not followed: the fetcher checks each hop first
    assert len(seen) == 1
    timeout = seen[0].extensions["timeout"]
    assert (timeout["connect"], timeout["read"]) == (2.0, config.timeout)
    assert seen[0].headers["user-agent"] == "UnitBot/9 (+https://example.org/bot)"
    assert seen[0].headers["accept-encoding"].startswith("gzip, deflate")
