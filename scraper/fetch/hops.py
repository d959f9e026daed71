"""One fetch's walk through redirects: loop detection, and what each hop may carry.

Credentials never cross origins: once a redirect leaves the first URL's
origin (scheme, host or port change), Authorization, Cookie,
Proxy-Authorization and every configured custom header are dropped for the
rest of the chain, and so are cookies the chain picked up. Cookies set by a
page live for that one fetch unless a shared jar is passed in (a source that
asks for cookies).
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from scraper.errors import PermanentFetchError

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def parse_url(url: str | httpx.URL) -> httpx.URL:
    """``url`` as httpx reads it; a ``PermanentFetchError`` when it cannot."""
    if isinstance(url, httpx.URL):
        return url  # parsing is a good part of a request's cost: once per hop is enough
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise PermanentFetchError(f"invalid URL: {exc}", url=url) from exc


def origin_of(url: str | httpx.URL) -> str:
    """``scheme://host[:port]``, the unit that credentials and robots.txt belong to."""
    parsed = parse_url(url)
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"


def redirect_target(response: httpx.Response, url: str) -> str | None:
    """The absolute URL a redirect points to, or None when ``response`` is not a redirect."""
    status = response.status_code
    if status not in REDIRECT_STATUSES:
        return None
    location = response.headers.get("location", "").strip()
    if not location:
        raise PermanentFetchError(f"HTTP {status} redirect without a Location", url=url)
    try:
        return str(response.url.join(location).copy_with(fragment=None))
    except httpx.InvalidURL as exc:
        raise PermanentFetchError(f"invalid redirect Location {location!r}", url=url) from exc


class Hops:
    """The hops of one fetch: the URL to request next and the headers it may carry."""

    def __init__(
        self,
        url: str,
        *,
        base_headers: Mapping[str, str],
        custom_headers: Mapping[str, str],
        max_redirects: int,
        jar: httpx.Cookies | None = None,
    ) -> None:
        self.url = url
        self.current = url
        self.start = self.target = parse_url(url)
        """The first URL and the one to request next, parsed."""
        self._origin = origin_of(self.start)
        self._base = dict(base_headers)
        self._custom = dict(custom_headers)
        self._max = max_redirects
        self._seen = {url}
        self._jar = jar if jar is not None else httpx.Cookies()
        self.left_origin = False

    def headers(self) -> dict[str, str]:
        """Headers for a request to ``current``; credentials only while still on the origin."""
        headers = dict(self._base)
        if not self.left_origin:
            headers.update(self._custom)
            if not self._jar.jar:  # CookieJar is falsy when empty: no probe request to build
                return headers
            probe = httpx.Request("GET", self.target)
            self._jar.set_cookie_header(probe)
            if "cookie" in probe.headers:
                cookies = [c for c in (headers.pop("Cookie", ""), probe.headers["cookie"]) if c]
                headers["Cookie"] = "; ".join(cookies)
        return headers

    def keep_cookies(self, response: httpx.Response) -> None:
        if not self.left_origin and "set-cookie" in response.headers:
            self._jar.extract_cookies(response)

    def follow(self, target: str) -> None:
        """Move to ``target``, refusing loops and chains longer than ``max_redirects``."""
        if target in self._seen:
            raise PermanentFetchError(f"redirect loop at {target}", url=self.url)
        if len(self._seen) > self._max:
            raise PermanentFetchError(f"too many redirects (more than {self._max})", url=self.url)
        self._seen.add(target)
        self.current = target
        self.target = parse_url(target)
        if origin_of(self.target) != self._origin:
            self.left_origin = True
