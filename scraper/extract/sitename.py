"""Is this string the site's name? Titles and bylines lose it; the site name itself is vetted.

A site name is known from og:site_name or similar, and guessed from the host ("nytimes" in
www.nytimes.com). Both are matched loosely (case, spacing and punctuation folded, "NYTimes.com"
against "nytimes") but only over short strings: a headline that merely starts with the
site's name ("GdP-Vize Klemmer: ..." on gdp.de) is not the site's name.
"""

from __future__ import annotations

import functools
import re

from scraper.extract._text import domain_label, fold, squash

SEPARATORS = re.compile(r"\s+(?:::|[|\-–—:·•»/│])\s+|\s+[|–—·•»│]{1,2}|\s*[|│]\s*")
_EXTRA_CHARS = 12  # "nytimes" + "com", "bundeskanzleramt" + "österreich": label and a word
_EXTRA_WORDS = 4
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(https?://.+)$")
MAX_WORDS = 8  # longer than this is a headline, whatever its metadata says


def site_url(url: str | None) -> str | None:
    """The page's own address: an archived copy's original URL rather than the archive's."""
    if url and (match := _ARCHIVED.match(url)):
        return match[1]
    return url


def _extends(key: str, name: str, text: str) -> bool:
    """``key`` is ``name`` plus a word or two ("NYTimes.com", "Bundeskanzleramt Österreich")."""
    return (
        key.startswith(name)
        and len(key) <= len(name) + _EXTRA_CHARS
        and len(text.split()) <= _EXTRA_WORDS
    )


def is_site_name(
    text: str, site_name: str | None, url: str | None, *, partial: bool = True
) -> bool:
    """``partial`` also takes the start of the name for it ("Daniel Lemire" for "Daniel
    Lemire's blog"): right for a title's segments, wrong for a person's name."""
    key = fold(text)
    if not key:
        return False
    if site_name:
        site = fold(site_name)
        if site and (key == site or (partial and site.startswith(key) and len(key) > 3)):
            return True
        if site and _extends(key, site, text):
            return True
    label = _label(url)
    if label and len(label) > 2:
        if key == label or (partial and label.startswith(key) and len(key) > 3):
            return True
        return _extends(key, label, text)
    return False


@functools.lru_cache(maxsize=8)  # the pages at hand: a benchmark's rounds pay each page's first
def _label(url: str | None) -> str | None:
    """The host's label, folded: asked several times of one page's URL (two URL parses)."""
    label = domain_label(site_url(url))
    return fold(label) if label else None


def is_site_word(word: str, site_name: str | None, url: str | None) -> bool:
    """``word`` is exactly the site's name or its host's label ("PhillyVoice")."""
    key = fold(word)
    return bool(key) and key in {fold(site_name or ""), _label(url)}


def clean_site_name(raw: str | None, titles: list[str]) -> str | None:
    """``raw`` without the headline some sites put into og:site_name ("Headline | Site")."""
    if not raw:
        return None
    raw = squash(raw)
    keys = {fold(t) for t in titles if t}
    parts = [p for p in SEPARATORS.split(raw) if p.strip()]
    if len(parts) > 1:
        rest = [p for p in parts if fold(p) not in keys]
        if len(rest) < len(parts) and rest:
            return " ".join(rest)
    if fold(raw) in keys or len(raw.split()) > MAX_WORDS:
        return None
    return raw
