"""Build the one httpx client every fetch goes through.

Redirects are off on purpose: the fetcher follows them itself so that each hop
passes the address guard and robots.txt. The transport is injectable so tests
hand in a mock instead of patching.
"""

from __future__ import annotations

import importlib.util

import httpx

from scraper.config import FetchConfig


def _accept_encoding() -> str:
    """Advertise only the encodings httpx can decode here (br needs brotli installed)."""
    encodings = ["gzip", "deflate"]
    if importlib.util.find_spec("brotli") or importlib.util.find_spec("brotlicffi"):
        encodings.append("br")
    return ", ".join(encodings)


def build_client(
    config: FetchConfig, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """An HTTP/1.1 client with our User-Agent, timeouts and no automatic redirects.

    ``trust_env`` is off so that proxies and .netrc credentials from the
    environment cannot silently change where requests go or what they carry.
    """
    return httpx.AsyncClient(
        transport=transport,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": _accept_encoding()},
        timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
        limits=httpx.Limits(max_connections=config.concurrency),
        follow_redirects=False,
        http1=True,
        http2=False,
        trust_env=False,
    )
