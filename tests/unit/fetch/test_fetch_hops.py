"""What a redirect hop may carry: credentials and cookies stay on their origin."""

from __future__ import annotations

import httpx
import pytest

from scraper.errors import PermanentFetchError
from scraper.fetch.hops import Hops, origin_of

SECRETS = {"Authorization": "Bearer t", "X-Api-Key": "k", "Cookie": "pref=1"}


def hops(url: str = "https://example.org/a") -> Hops:
    return Hops(url, base_headers={"Accept": "text/html"}, custom_headers=SECRETS, max_redirects=5)


@pytest.mark.parametrize(
    "target",
    ["http://example.org/b", "https://example.org:8443/b", "https://www.example.org/b"],
    ids=["scheme", "port", "host"],
)
def test_leaving_the_origin_drops_credentials_for_the_rest_of_the_chain(target: str) -> None:
    chain = hops()
    assert chain.headers()["Authorization"] == "Bearer t"

    chain.follow(target)
    assert chain.headers() == {"Accept": "text/html"}

    chain.follow("https://example.org/back")  # back home: still dropped
    assert chain.headers() == {"Accept": "text/html"}


def test_same_origin_hops_keep_headers_and_the_chains_cookies() -> None:
    chain = hops()
    request = httpx.Request("GET", "https://example.org/a")
    chain.keep_cookies(httpx.Response(302, headers={"set-cookie": "sid=1"}, request=request))

    chain.follow("https://example.org/b")

    assert chain.headers()["Cookie"] == "pref=1; sid=1"
    assert chain.headers()["X-Api-Key"] == "k"


def test_loops_and_long_chains_are_refused() -> None:
    chain = hops()
    chain.follow("https://example.org/b")
    with pytest.raises(PermanentFetchError, match="redirect loop"):
        chain.follow("https://example.org/a")

    chain = hops()
    for n in range(5):
        chain.follow(f"https://example.org/{n}")
    with pytest.raises(PermanentFetchError, match=r"more than 5"):
        chain.follow("https://example.org/6")


def test_origin_includes_an_explicit_port_and_refuses_garbage() -> None:
    assert origin_of("https://example.org/x") == "https://example.org"
    assert origin_of("http://example.org:8080/x") == "http://example.org:8080"
    with pytest.raises(PermanentFetchError, match="invalid URL"):
        origin_of("http://0177.0.0.1/")
