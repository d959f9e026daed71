"""Headline choice: the visible <h1>, trimmed of kickers and site names the head confirms.

The <h1> is what a reader sees as the headline, and it usually wins even when the head's
titles differ (they are often rewritten for search engines). The head's titles correct it
only where they agree with part of it: "Politics | Headline" or "Headline | Site" against an
og:title of "Headline", or an <h1> that is the blog's name in "Blog: Headline".
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from scraper.extract._text import domain_label, fold, squash
from scraper.extract.sitename import SEPARATORS, is_site_name, site_url

_TRAILER_START = "|•·»/–—-│([0123456789"  # what may follow a headline: a site, a date, labels
MIN_WORDS = 3  # a candidate this short cannot vouch for a cut
MIN_OVERLAP = 0.25  # share of an <h1>'s words the head or URL must use for it to be the headline
_WORD = re.compile(r"\w{4,}")  # short words ("the", "for", "und") agree by chance
_SEGMENTS = re.compile(f"{SEPARATORS.pattern}|:\\s+")  # "Blog Name: Post Title" too


def strip_site(title: str, site_name: str | None, url: str | None) -> str:
    """Drop leading or trailing segments that name the site ("Story - BBC News")."""
    title = squash(title)
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = SEPARATORS.findall(title)
    # "Headline | Site | Site's tagline": the site's name ends the headline
    cut = next((i for i in range(1, len(parts)) if is_site_name(parts[i], site_name, url)), None)
    if cut is not None:
        parts, seps = parts[:cut], seps[: cut - 1]
    while len(parts) > 1 and is_site_name(parts[0], site_name, url):
        parts.pop(0)
        seps.pop(0)
    if len(parts) == 2 and "|" in seps[0]:
        # "Headline | Section" or "Headline | Site": the short side is a label.
        head, tail = parts
        if len(tail.split()) <= 3 < len(head.split()):
            parts = [head]
        elif len(head.split()) <= 3 < len(tail.split()):
            parts = [tail]
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def plausible_headline(h1: str, candidates: list[str], url: str | None) -> bool:
    """The <h1> agrees with the head's titles or the URL's slug, at least in some words: a
    newsletter box or a sidebar's <h1> does not."""
    if not candidates:
        return True
    fh = fold(h1)
    for candidate in candidates:
        fc = fold(candidate)
        if fc == fh or (min(len(fc), len(fh)) >= 12 and (fc in fh or fh in fc)):
            return True
    words = _words(h1)
    if len(words) < 2:
        return False
    page = site_url(url)
    slug = unquote(urlsplit(page).path) if page else ""
    known = _words(" ".join(candidates)) | _words(re.sub(r"[-_/.+]", " ", slug))
    known.discard(domain_label(page) or "")  # "KXAN Daily Forecast Newsletter" on kxan.com
    return len(words & known) >= MIN_OVERLAP * len(words)


def _cut(text: str, folded_length: int) -> int:
    """The index in ``text`` just after its first ``folded_length`` folded characters."""
    count = 0
    for index, char in enumerate(text):
        if count >= folded_length:
            return index
        count += len(fold(char))
    return len(text)


_OPENING = "\"'„“«‹‘‚(["
_CLOSING = "\"'“”»›’?!.)]…"


def _opens(text: str, index: int) -> bool:
    """An opening quote or bracket at ``index``, attached to the word after it."""
    return text[index] in _OPENING and index + 1 < len(text) and not text[index + 1].isspace()


def _trimmed(h1: str, candidates: list[str]) -> str | None:
    """``h1`` without a kicker or trailer, when a candidate is the rest of it exactly."""
    fh = fold(h1)
    if any(fold(c) == fh for c in candidates):
        return None
    for candidate in candidates:
        fc = fold(candidate)
        if len(candidate.split()) < MIN_WORDS or not fc:
            continue
        if fh.endswith(fc) and len(fh) - len(fc) <= len(fc):
            start = _cut(h1, len(fh) - len(fc))
            while start < len(h1) and not h1[start].isalnum() and not _opens(h1, start):
                start += 1
            return squash(h1[start:])
        if fh.startswith(fc):
            end = _cut(h1, len(fc))
            while end < len(h1) and h1[end] in _CLOSING:
                end += 1
            rest = h1[end:].lstrip()
            if rest and rest[0] in _TRAILER_START:
                return squash(h1[:end])
    return None


def _names_the_site(h1: str, page_title: str | None, candidates: list[str]) -> bool:
    """The <h1> is one segment of the page title and another candidate is the other one:
    the <h1> is the site's name ("Blog Name: Post Title")."""
    if not page_title:
        return False
    segments = {fold(s) for s in _SEGMENTS.split(squash(page_title)) if s.strip()}
    fh = fold(h1)
    if len(segments) < 2 or fh not in segments:
        return False
    return any(fold(c) in segments and fold(c) != fh for c in candidates if c != page_title)


def clean_title(
    h1: str | None,
    candidates: list[str],
    site_name: str | None,
    url: str | None,
    *,
    page_title: str | None = None,
) -> str | None:
    stripped = [strip_site(c, site_name, url) for c in candidates if c and c.strip()]
    stripped = [s for s in stripped if s and not is_site_name(s, site_name, url)]
    if h1 and not is_site_name(h1, site_name, url) and plausible_headline(h1, candidates, url):
        h1 = squash(h1)
        if trimmed := _trimmed(h1, stripped):
            return trimmed
        if not _names_the_site(h1, page_title, candidates):
            return h1
    if stripped:
        return stripped[0]
    return squash(h1) if h1 else None
