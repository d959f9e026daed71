"""Build the one httpx client every fetch goes through.

Redirects are off on purpose: the fetcher follows them itself so that each hop
passes the address guard and robots.txt. By default the transport is the
guarded one (``network.py``), which checks the address it connects to; tests
hand in a mock transport instead of patching. The client keeps no cookies:
its jar refuses them all, and the fetcher decides what a hop may carry.
"""

from __future__ import annotations

import ssl

import httpx

from scraper.config import FetchConfig
from scraper.fetch.body import ACCEPT_ENCODING
from scraper.fetch.hops import no_cookies
from scraper.fetch.network import GuardedTransport, Resolve


def build_client(
    config: FetchConfig,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    resolve: Resolve | None = None,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncClient:
    """An HTTP/1.1 client with our User-Agent, timeouts and no automatic redirects.

    ``trust_env`` is off so that proxies and .netrc credentials from the
    environment cannot silently change where requests go or what they carry.
    ``resolve`` replaces the system resolver of the guarded transport.
    """
    limits = httpx.Limits(max_connections=config.concurrency)
    if transport is None:
        transport = GuardedTransport(
            allow_private=config.allow_private, resolve=resolve, limits=limits, verify=verify
        )
    return httpx.AsyncClient(
        transport=transport,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        cookies=no_cookies(),
        timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
        follow_redirects=False,
        trust_env=False,
    )
