"""Issue 5, robots.txt per RFC 9309: once per host per run, errors disallow, limits hold."""

from __future__ import annotations

from typing import Any

import pytest

from scraper.config import FetchConfig
from scraper.errors import RobotsDisallowedError, RobotsUnreachableError
from scraper.fetch import Fetcher
from scraper.models import FetchResult
from tests.integration.fetch import faults as fs
from tests.integration.fetch.faultserver import FaultServer
from tests.integration.fetch.helpers import (
    Outcome,
    fast_config,
    fetch_one,
    gather_outcomes,
    run_with,
)


def polite(**overrides: Any) -> FetchConfig:
    return fast_config(respect_robots=True, **overrides)


def robots(server: FaultServer, host: str, text: str | bytes) -> None:
    body = text.encode() if isinstance(text, str) else text
    server.route(host, "/robots.txt", fs.page(body, "text/plain"))


def pages(server: FaultServer, host: str) -> list[str]:
    return [r.path for r in server.requests(host) if r.path != "/robots.txt"]


def test_robots_txt_is_fetched_once_per_host_per_run(server: FaultServer) -> None:
    robots(server, "a.test", "User-agent: *\nDisallow: /private/\n")
    server.route("a.test", "*", fs.page())
    urls = [server.url("a.test", f"/news/{n}") for n in range(5)]
    urls.append(server.url("a.test", "/private/x"))

    outcomes = gather_outcomes(urls, polite())

    assert all(isinstance(o, FetchResult) for o in outcomes[:5])
    assert isinstance(outcomes[5], RobotsDisallowedError)
    assert "disallowed by robots.txt" in str(outcomes[5])
    assert len(server.requests("a.test", "/robots.txt")) == 1
    assert "/private/x" not in pages(server, "a.test")


@pytest.mark.parametrize("code", [401, 403, 404, 410])
def test_robots_txt_4xx_allows_everything(server: FaultServer, code: int) -> None:
    server.route("a.test", "/robots.txt", fs.status(code))
    server.route("a.test", "*", fs.page())

    outcomes = gather_outcomes([server.url("a.test", "/1"), server.url("a.test", "/2")], polite())

    assert all(isinstance(o, FetchResult) for o in outcomes)


@pytest.mark.parametrize(
    "handler",
    [fs.status(500), fs.status(503), fs.status(429), fs.reset, fs.silent],
    ids=["500", "503", "429", "reset", "timeout"],
)
def test_unreachable_robots_txt_means_nothing_is_fetched_from_the_host(
    server: FaultServer, handler: fs.Handler
) -> None:
    server.route("down.test", "/robots.txt", handler)
    server.route("down.test", "*", fs.page())
    server.route("up.test", "*", fs.page())
    urls = [server.url("down.test", "/1"), server.url("down.test", "/2"), server.url("up.test")]

    *refused, other = gather_outcomes(urls, polite(timeout=0.5))

    for outcome in refused:
        assert isinstance(outcome, RobotsUnreachableError)
        assert outcome.reason == "robots_unreachable"
        assert "nothing is fetched from it this run" in str(outcome)
    assert isinstance(other, FetchResult)
    assert pages(server, "down.test") == []
    assert len(server.requests("down.test", "/robots.txt")) == 1  # asked once, not per page


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cache_lives_for_the_run_but_at_most_a_day(server: FaultServer) -> None:
    server.route("down.test", "/robots.txt", fs.sequence(fs.status(503), fs.status(404)))
    server.route("down.test", "*", fs.page())
    clock = Clock()
    url = server.url("down.test", "/p")

    async def body(fetcher: Fetcher) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for now in (0.0, 600.0, 23 * 3600.0, 24 * 3600.0 + 1):
            clock.now = now
            try:
                outcomes.append(await fetcher.fetch(url))
            except RobotsDisallowedError as exc:
                outcomes.append(exc)
        return outcomes

    outcomes = run_with(body, polite(), clock=clock)

    assert [type(o).__name__ for o in outcomes] == ["RobotsUnreachableError"] * 3 + ["FetchResult"]
    assert len(server.requests("down.test", "/robots.txt")) == 2


def robots_behind_redirects(server: FaultServer, redirects: int) -> Outcome:
    """robots.txt reached after ``redirects`` redirects disallows all; fetch /p once."""
    server.route("a.test", "/robots.txt", fs.redirect("/r0"))
    for n in range(redirects - 1):
        server.route("a.test", f"/r{n}", fs.redirect(f"/r{n + 1}", 301))
    last = f"/r{redirects - 1}"
    server.route("a.test", last, fs.page(b"User-agent: *\nDisallow: /\n", "text/plain"))
    server.route("a.test", "/p", fs.page())
    (outcome,) = gather_outcomes([server.url("a.test", "/p")], polite())
    return outcome


def test_up_to_five_redirects_are_followed(server: FaultServer) -> None:
    outcome = robots_behind_redirects(server, 5)

    assert isinstance(outcome, RobotsDisallowedError)  # the rules at the end of 5 hops apply
    assert pages(server, "a.test") == ["/r0", "/r1", "/r2", "/r3", "/r4"]


def test_more_than_five_redirects_count_as_unavailable(server: FaultServer) -> None:
    outcome = robots_behind_redirects(server, 6)

    assert isinstance(outcome, FetchResult)  # RFC 9309: "unavailable", like a 404
    assert "/r5" not in pages(server, "a.test")  # the sixth redirect was not followed


def test_only_the_first_500_kib_are_parsed(server: FaultServer) -> None:
    filler = b"# " + b"x" * 1000 + b"\n"
    text = b"User-agent: *\nDisallow: /early/\n" + filler * 600 + b"Disallow: /late/\n"
    robots(server, "a.test", text)
    server.route("a.test", "*", fs.page())

    early, late = gather_outcomes(
        [server.url("a.test", "/early/1"), server.url("a.test", "/late/1")], polite()
    )

    assert isinstance(early, RobotsDisallowedError)
    assert isinstance(late, FetchResult)


def test_a_compressed_robots_txt_bomb_is_read_only_to_the_limit(server: FaultServer) -> None:
    server.route("a.test", "/robots.txt", fs.bomb("gzip", 64))
    server.route("a.test", "*", fs.page())

    (outcome,) = gather_outcomes([server.url("a.test", "/p")], polite())

    assert isinstance(outcome, FetchResult)  # 500 KiB of spaces: no rules


def test_the_configured_user_agent_group_applies(server: FaultServer) -> None:
    robots(
        server,
        "a.test",
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: newsbot\nDisallow: /private/\n\n"
        "User-agent: otherbot\nAllow: /\n",
    )
    server.route("a.test", "*", fs.page())
    urls = [server.url("a.test", "/news/1"), server.url("a.test", "/private/1")]

    ours = gather_outcomes(urls, polite(user_agent="NewsBot/2.1 (+https://example.org/bot)"))
    anyone = gather_outcomes(urls[:1], polite(user_agent="SomeBot/1.0"))

    assert isinstance(ours[0], FetchResult)
    assert isinstance(ours[1], RobotsDisallowedError)
    assert isinstance(anyone[0], RobotsDisallowedError)  # the * group
    agents = {r.headers["user-agent"] for r in server.requests("a.test", "/robots.txt")}
    assert "NewsBot/2.1 (+https://example.org/bot)" in agents


def test_robots_txt_itself_is_always_allowed(server: FaultServer) -> None:
    robots(server, "a.test", "User-agent: *\nDisallow: /\n\nSitemap: http://a.test/sitemap.xml\n")

    result = fetch_one(server.url("a.test", "/robots.txt"), polite(), accept=("text/plain",))

    assert b"Sitemap:" in result.content
