"""Author names: people only, one per entry, without "By", roles or site names."""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

from scraper.extract._text import is_site_name, squash

_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported|text|words|story|photos?|published)\s+(?:by|von|par|por)"
    r"|by|von|par|por|di|door|av|af|autor(?:in)?|author|auteur|redacción|texto|text)\s*[:\-]?\s+",
    re.IGNORECASE,
)
# Conjunctions are matched in lower case only: "Sarah E. Needleman" is one person.
_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|\b(?:and|AND|And|und|et|y|e|og|en)\b|\|)\s*")
_ROLE_WORDS = {
    "correspondent", "reporter", "editor", "writer", "staff", "contributor", "columnist",
    "journalist", "photographer", "analyst", "producer", "senior", "chief", "bureau", "desk",
    "news", "press", "associated", "reuters", "afp", "ap", "dpa", "efe", "agency", "agencies",
    "redaktion", "rédaction", "redacción", "team", "admin", "administrator", "guest", "author",
    "editors", "updated", "published", "posted", "min", "read", "minutes", "correspondents",
    "contributing", "special", "international", "political", "managing", "deputy", "associate",
    "opinion", "newsroom", "online", "digital", "wire", "services", "service", "media",
}  # fmt: skip
_NAME_CHARS = re.compile(r"^[^\W\d_][\w'’.\- ]*$", re.UNICODE)


def _title_case(name: str) -> str:
    if name.isupper() and len(name) > 3:
        return " ".join(w.capitalize() if len(w) > 2 else w for w in name.split())
    return name


def _looks_like_name(part: str, site_name: str | None, url: str | None) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5 or len(part) > 60:
        return False
    if "@" in part or "://" in part or not _NAME_CHARS.match(part):
        return False
    if any(w.lower().strip(".") in _ROLE_WORDS for w in words):
        return False
    if is_site_name(part, site_name, url):
        return False
    return any(w[0].isupper() for w in words)


def clean_authors(raw: list[str], *, site_name: str | None, url: str | None) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        if is_bad(value):
            value = ftfy.fix_text(value)
        text = squash(value.replace("\u00a0", " "))
        text = re.split(r"\s+[|—–]\s+|\s+-\s+|\n", text)[0]
        text = _PREFIX.sub("", text).strip(" :,-")
        for part in _SPLIT.split(text):
            part = _PREFIX.sub("", part.strip(" .:,-")).strip()
            if not _looks_like_name(part, site_name, url):
                continue
            part = _title_case(part)
            if part.casefold() not in seen:
                seen.add(part.casefold())
                names.append(part)
    return names[:10]
