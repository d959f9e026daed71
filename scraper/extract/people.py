"""Author names: people only, one per entry, without "By", roles or site names.

A byline is cut into names at commas and conjunctions; each name loses what bylines wrap
around it (a label, a role, a date, "Follow", a degree). A single lower-case word ("gizzmo",
"freeman1984") is a user name, kept only from sources that declare an author (``handles``).
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

from scraper.extract._text import squash
from scraper.extract.dates import MONTH_PATTERN
from scraper.extract.sitename import is_site_name, is_site_word

_PREFIX = re.compile(
    r"^(?:(?:(?:view|see|show|zeige)\s+)?(?:all|alle)\s+(?:posts|articles|stories|beiträge|artikel)"
    r"\s+(?:by|from|von)|escribe|schreibt"
    r"|(?:written|posted|reported|text|words|story|photos?|published|interview|"
    r"gespeichert|erstellt|geschrieben|verfasst|eingestellt|veröffentlicht|ein beitrag|"
    r"publié|rédigé|publicado|escrito|scritto)\s+(?:by|von|par|por|da|di)"
    r"|by|von|par|por|di|door|av|af|autor(?:in)?|author|auteur|redacción|texto|text|"
    r"verfasser(?:in)?|redaktion|interview)\b\s*[:\-]?\s*",
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
    "auteur", "autor", "autorin", "experte", "expertin", "redakteur", "redakteurin",
    "unknown", "anonymous", "anonym", "reports",
}  # fmt: skip
# a name with one of these is an organisation's, not a person's with a role around it
_ORGANISATION_WORDS = {
    "gmbh", "ag", "e.v", "ev", "ltd", "inc", "llc", "plc", "verlag", "stiftung", "foundation",
    "group", "gruppe", "zeitung", "editorial", "média", "magazin", "magazine",
}  # fmt: skip
# Where a byline's name ends: page furniture after it ("Follow", "View my complete profile").
_FURNITURE = re.compile(
    r"\s+\b(?:(?i:follow|folgen|view|profile|profil|shares?|teilen|mehr|more|alle|all|weitere|"
    r"articles?|artikel|posts|beiträge|e-?mail|twitter|facebook|instagram|linkedin|kontakt|"
    r"contact|about|über|updated|aktualisiert|published|veröffentlicht|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|"
    rf"(?i:{MONTH_PATTERN})\.?\s+\d|(?:am|on|le|el|il|at|um)\s+\S*\d).*$"
)
_LABEL = re.compile(r"^[^\W\d_]+\s*:\s+(?=\S)")
_UI_START = re.compile(
    r"^(?:zeige|show|see|view|read|lesen|alle|all|more|mehr|weitere|follow|folgen|subscribe|"
    r"abonnieren|share|teilen|published|posted|updated|veröffentlicht|aktualisiert|publié|"
    r"publicado|actualizado|pubblicato)\b",
    re.I,
)
_DEGREE = re.compile(r"^(?:ph\.?\s?d|m\.?d|mba|rn|msc|bsc|ma|ba|llm|dipl\.?.*|mph)\.?$", re.I)
_PARTICLES = {
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von", "der",
    "den", "ten", "ter", "zu", "y", "e", "bin", "al", "el", "mc",
}  # fmt: skip
_NAME_CHARS = re.compile(r"^[^\W\d_][\w'’.\- ]*$", re.UNICODE)
_HANDLE = re.compile(r"^(?=.*[^\W\d_])(?!.*admin)[\w.\-]{3,30}$", re.UNICODE | re.IGNORECASE)


def _title_case(name: str) -> str:
    if name.isupper() and len(name) > 3:
        return " ".join(w.capitalize() if len(w) > 2 else w for w in name.split())
    return name


def _is_role(word: str) -> bool:
    word = word.lower().strip(".")
    return word in _ROLE_WORDS or any(part in _ROLE_WORDS for part in word.split("-")[1:])


def _looks_like_name(part: str, site_name: str | None, url: str | None, handles: bool) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5 or len(part) > 60:
        return False
    if "@" in part or "://" in part or any(_is_role(w) for w in words):
        return False
    if is_site_name(part, site_name, url, partial=False):
        return False
    if not _NAME_CHARS.match(part) or any(c.isdigit() for c in part):
        return handles and len(words) == 1 and bool(_HANDLE.match(part))
    if all(w[0].isupper() or w.lower() in _PARTICLES for w in words):
        return any(w[0].isupper() for w in words)
    if handles and len(words) == 2 and words[0][0].isupper():  # "Mobasir hassan"
        return not any(c.isdigit() for c in part)
    return handles and len(words) == 1 and bool(_HANDLE.match(part))


def _strip_part(part: str, site_name: str | None, url: str | None) -> str:
    """See ``_strip_words``; an empty string when what is left is a desk, not a person."""
    words = part.split()
    if any(w.lower().strip(".,") in _ORGANISATION_WORDS for w in words):
        return ""  # "Frankfurter Allgemeine Zeitung GmbH"
    stripped = _strip_words(part, site_name, url)
    left = stripped.split()
    if len(left) == 1 and len(words) > 1 and any(_is_role(w) for w in words):
        return ""  # "Greentech.LIVE Redaktion", "PhillyVoice Staff": a desk
    if left and left[-1].lower() in _PARTICLES:
        return ""  # "Bund der" (Energieverbraucher)
    return stripped


def _strip_words(part: str, site_name: str | None, url: str | None) -> str:
    """One name without the label before it and the furniture, role, degree or site name
    after it ("Adam Aaronson PhillyVoice Staff")."""
    part = _PREFIX.sub("", part.strip(" :,-")).strip()
    part = _LABEL.sub("", part)  # "Текст: Венера Ерофеева", in any language
    part = _FURNITURE.sub("", part)
    words = part.split()
    while len(words) > 1 and (
        _DEGREE.match(words[-1])
        or _is_role(words[-1])
        # "Adam Aaronson PhillyVoice", but not "Daniel Lemire" on lemire.me
        or (len(words) > 2 and is_site_word(words[-1], site_name, url))
    ):
        words.pop()
    while words and _is_role(words[0]):  # "FOCUS-Online-Experte Robin Tschöpe"
        words.pop(0)
    part = " ".join(words)
    # keep the full stop of a final initial ("Nicolas Gutierrez C.")
    if part.endswith(".") and not re.search(r"(?:^|\s)\w\.$", part):
        part = part[:-1]
    return part.strip(" :,-'\"’“”")


# "Ann Lee | Reporter", "Ann Lee - Staff Writer": the name is the first segment
_SEGMENT_BREAK = re.compile(r"\s+[|—–·•]\s+|\s+-\s+")


def _first_segment(raw: str) -> str:
    """``raw``'s first segment, its whitespace (newlines, no-break spaces) collapsed."""
    return _SEGMENT_BREAK.split(squash(raw))[0]


def clean_authors(
    raw: list[str], *, site_name: str | None, url: str | None, handles: bool = False
) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        if is_bad(value):
            value = ftfy.fix_text(value)
        text = _first_segment(value)
        text = _PREFIX.sub("", text).strip(" :,-")
        if is_site_name(text, site_name, url, partial=False):  # "Jobs & Hire": not two people
            continue
        for part in _SPLIT.split(text):
            if _DEGREE.match(part.strip()):
                continue
            part = _strip_part(part, site_name, url)
            if not part or _UI_START.match(part):
                continue
            if not _looks_like_name(part, site_name, url, handles):
                continue
            part = _title_case(part)
            if part.casefold() not in seen:
                seen.add(part.casefold())
                names.append(part)
    return names[:10]


_ORG_MAX_WORDS = 6
_SENTENCE = re.compile(r"[.!?]\s|\d{2}")
_ORG_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|veröffentlicht|erstellt)\s+)?(?:by|von|par|por|di|door|av|af|"
    r"autor(?:in)?|author|auteur|text|texto)\b\s*[:\-]?\s*",
    re.IGNORECASE,
)
_NOBODY = re.compile(r"^(?:no\s+author|unknown|anonymous|anonym|n/?a|none|null|admin)$", re.I)


def byline_as_printed(raw: str, *, site_name: str | None, url: str | None) -> str | None:
    """A byline that names no person ("Redaktion", "det/dpa", "Wikimedia Foundation"), as
    printed: the page's own answer to "who wrote this" when it names nobody."""
    text = _first_segment(raw)
    text = _FURNITURE.sub("", _ORG_PREFIX.sub("", text.strip(" :,-"))).strip(" :,-")
    words = text.split()
    if not 1 <= len(words) <= _ORG_MAX_WORDS or len(text) > 60 or _UI_START.match(text):
        return None
    if any(mark in text.lower() for mark in ("@", "://", "[at]", "admin")):
        return None
    if _NOBODY.match(text) or not any(c.isalpha() for c in text):
        return None
    if _SENTENCE.search(text) or (text.endswith(".") and len(words) > 2):
        return None
    if len(words) > 1 and not words[0][0].isupper():
        return None
    return text
