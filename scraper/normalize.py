"""ExtractedPage -> Article: Unicode repaired and composed, whitespace tidied, ids and hashes.

Normalisation is the last word on text: whatever the source (HTML, text dump,
archive), the same article yields the same ``content_hash``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

import ftfy
from ftfy.badness import is_bad

from scraper.models import Article, ExtractedPage, Image, RelatedLink

# Horizontal space only: the blank lines between paragraphs survive.
_SPACES = re.compile(r"[ \t]+")
# Exotic spaces become plain ones and invisible characters go (by regex: str.translate
# with a table looks up every character in Python, six times slower).
_EXOTIC = re.compile("[\u00a0\u00ad\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")
_EXOTIC_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# UTF-8 read as Latin-1/cp1252 leaves a lead byte (Ã, Â, â, ...) before a continuation-like
# character; only then is ftfy's slower check worth running.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u0192\u02c6-\u203a\u20ac\u2122]")
# Either needs one of these characters: one scan spares both on most text.
_SUSPECT = re.compile("[\u00a0\u00ad\u00c2-\u00f4\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")


def clean_string(text: str) -> str:
    """Mojibake repaired, NFC, invisible characters dropped, spaces collapsed."""
    if not text.isascii():
        suspect = _SUSPECT.search(text) is not None  # NFC makes none of these characters
        if suspect and _MOJIBAKE_HINT.search(text) and is_bad(text):
            text = ftfy.fix_text(
                text, normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False
            )
        text = unicodedata.normalize("NFC", text)
        if suspect and _EXOTIC.search(text):
            text = _INVISIBLE.sub("", _EXOTIC_SPACE.sub(" ", text))
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def _opt(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = clean_string(text)
    return cleaned or None


def body_text(paragraphs: list[str]) -> str:
    """Paragraphs joined by a blank line, cleaned in one pass over the whole text."""
    joined = "\n\n".join(" ".join(p.splitlines()) if "\n" in p else p for p in paragraphs)
    cleaned = (p.strip() for p in clean_string(joined).split("\n\n"))
    return "\n\n".join(p for p in cleaned if p)


def content_hash(body: str) -> str:
    return _words_hash(body.split())


def _words_hash(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def article_id(canonical_url: str | None, url: str | None, body_hash: str) -> str:
    key = canonical_url or url
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest() if key else body_hash
    return digest[:16]


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.lower() if host else None


def to_article(
    page: ExtractedPage,
    *,
    fetched_at: str | None = None,
    source: str | None = None,
) -> Article:
    body = body_text(page.paragraphs)
    words = body.split()  # once, for the hash and the count
    digest = _words_hash(words)
    authors = list(dict.fromkeys(a for a in (clean_string(x) for x in page.authors) if a))
    tags = list(dict.fromkeys(t for t in (clean_string(x) for x in page.tags) if t))
    images = [Image(url=i.url, caption=_opt(i.caption), credit=_opt(i.credit)) for i in page.images]
    related = [
        RelatedLink(title=clean_string(r.title), url=r.url) for r in page.related if r.title.strip()
    ]
    return Article(
        id=article_id(page.canonical_url, page.url, digest),
        url=page.url,
        canonical_url=page.canonical_url,
        site_name=_opt(page.site_name),
        domain=_domain(page.url or page.canonical_url),
        title=_opt(page.title),
        description=_opt(page.description),
        authors=authors,
        published=page.published,
        modified=page.modified,
        language=page.language,
        section=_opt(page.section),
        tags=tags,
        body=body,
        images=images,
        related=related,
        word_count=len(words),
        content_hash=digest,
        fetched_at=fetched_at,
        source=source,
    )
