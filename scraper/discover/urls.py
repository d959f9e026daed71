"""URL hygiene for discovery: what to fetch, and the key that says two URLs are one page.

``clean_url`` drops what never changes the page (tracking parameters,
fragments) and is the URL we fetch. ``url_key`` goes further for
deduplication only (amp variants, trailing slashes, default ports, case of
the host): it may not be fetchable, but two URLs with one key are one article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

from scraper.config import REGEX_PREFIX

_AMP_PARAMS = frozenset({"amp", "amp_js_v", "usqp", "_gsa"})
_AMP_PATH = re.compile(r"(?:/amp/?|/amp\.html?)$|\.amp(?=\.html?$)", re.IGNORECASE)


def clean_url(url: str) -> str:
    """``url`` without tracking parameters, amp switches and fragment; query sorted."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url.strip()
    # Drop amp switches first: courlan unescapes HTML entities, so '&amp=1' would become '&=1'.
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_amp_param(k, v)
        ]
    )
    parts = parts._replace(query=query, fragment="")
    try:
        return normalize_url(parts, trailing_slash=True).split("#", 1)[0]
    except ValueError:  # courlan refuses some odd hosts and ports; keep what we have
        return urlunsplit(parts)


@lru_cache(maxsize=8192)  # asked for each URL several times along a run (plan, record)
def url_key(url: str) -> str:
    """A dedupe key: clean, amp variants folded, no trailing slash, lower-case host."""
    parts = urlsplit(clean_url(url))
    host = parts.netloc.lower().removeprefix("amp.")
    path = _AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def _is_amp_param(key: str, value: str) -> bool:
    key = key.lower()
    return key in _AMP_PARAMS or (key == "outputtype" and value.lower() == "amp")


def site_of(url: str) -> str:
    """The host without ``www.``: links on ``www.example.org`` and ``example.org`` are one site."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


class UrlFilter:
    """A source's ``include``/``exclude`` lists: substrings, or regexes written ``re:...``."""

    def __init__(self, include: list[str], exclude: list[str]) -> None:
        self._include = [(p, _matcher(p)) for p in include]
        self._exclude = [(p, _matcher(p)) for p in exclude]

    def why_not(self, url: str) -> str | None:
        """None when ``url`` passes, else the rule that stopped it (for the rejects)."""
        if self._include and not any(match(url) for _, match in self._include):
            return "matches no include pattern"
        for text, match in self._exclude:
            if match(url):
                return f"matches exclude pattern {text!r}"
        return None


def _matcher(pattern: str) -> Callable[[str], bool]:
    if pattern.startswith(REGEX_PREFIX):
        regex = re.compile(pattern.removeprefix(REGEX_PREFIX))
        return lambda url: regex.search(url) is not None
    return lambda url: pattern in url
