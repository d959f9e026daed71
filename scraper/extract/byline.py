"""The byline printed with the headline.

Pages mark bylines in many ways (rel=author, itemprop=author, an "author" or "byline" class)
or not at all ("Von Katrin Wölfel", "Posted on 4 May 2020 by Ann"). Sidebars, related-story
lists and comments carry the same marks for other people, so the byline is looked for only
near the headline, reading outward from it as for the dateline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from scraper.extract._text import alternation
from scraper.extract.dates import dates_in
from scraper.extract.nearby import Piece, subtree, walk
from scraper.extract.people import byline_as_printed, clean_authors

AFTER_CHARS = 600  # text read after the headline: kicker, standfirst, byline, dateline
BEFORE_CHARS = 200  # and before it: an author line above the headline
PROSE_CHARS = 200  # a text this long is a standfirst or the body
PROSE_RUNS = 2  # the standfirst, then the body's first paragraph: the byline is before it
LABEL_WORDS = 4  # "Ein Artikel von": a label, with the name in the next element
MARK_LEVELS = 4  # how far up from a text its author mark may sit
DATELINE_CHARS = 80  # a dateline with a name beside the date is this short
MAX_BYLINE_CHARS = 160  # a marked element longer than this is a bio or a container

_MARK = re.compile(
    alternation(
        "author byline autor auteur writer verfasser creator contributor redakteur".split()  # noqa: SIM905
    )
    + r"|\bbyl",
    re.I,
)
# "Von Katrin Wölfel", "Posted on 4 May 2020 by Ann Lee", "Text: Ann Lee"
_BY = re.compile(
    r"(?:^|\s)(?i:(?:posted|written|published|reported|gespeichert|erstellt|geschrieben|"
    r"verfasst|eingestellt|publié|rédigé|publicado|escrito)\s+(?:[^|]{0,40}?\s)?)?"
    r"(?i:by|von|par|por|door|av|af)\s*:?\s+(?=\S)|^(?i:text|texto|autor(?:in)?|author|auteur|"
    r"redaktion|interview)\s*:\s*(?=\S)"
)
# words that may precede "by"/"von" in a byline; any other capitalised word makes it a name's
_LABELS = {
    "posted", "published", "written", "reported", "story", "text", "artikel", "beitrag",
    "bericht", "interview", "erstellt", "veröffentlicht", "gespeichert", "geschrieben", "verfasst",
    "eingestellt", "gepostet", "publié", "rédigé", "publicado", "escrito", "foto", "fotos",
    "kolumne", "column", "kommentar", "gastbeitrag", "essay", "analyse", "rezension", "review",
}  # fmt: skip
_ARTICLES = {"a", "an", "ein", "eine", "einen", "un", "une", "una", "uno", "een"}
_SEGMENTS = re.compile(r"\s+[|·•–—-]\s+|\s*[|·•,]\s*")
_ASIDE = re.compile(r"\s*\([^)]*\)")  # "Eberhard Fuhr (Pressesprecher)"
# a label whose name is in the next element: "Von", "Ein Artikel von", "Written by:", "Autor"
_BARE_BY = re.compile(
    r"(?:^|\s)(?i:by|von|par|por|door|av|af)\s*:?$|^(?i:text|autor(?:in)?|author|auteur)\s*:?$"
)


def _marked(element: LexborNode, seen: dict[int, bool]) -> LexborNode | None:
    """The nearest ancestor (or ``element``) marked as an author, if short enough to be one.

    ``seen`` keeps each node's marks as judged: the texts read near a headline share their
    ancestors."""
    node: LexborNode | None = element
    for _ in range(MARK_LEVELS):
        if node is None or node.tag in ("body", "html", "article", "main"):
            return None
        key = node.mem_id
        marked = seen.get(key)
        if marked is None:
            marked = seen[key] = _author_marked(node)
        if marked:
            text = node.text(deep=True, separator=" ", strip=True)
            return node if len(text) <= MAX_BYLINE_CHARS else None
        node = node.parent
    return None


def _author_marked(node: LexborNode) -> bool:
    attrs = node.attributes
    rel = (attrs.get("rel") or "").lower().split()
    prop = (attrs.get("itemprop") or "").lower()
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''} {attrs.get('data-testid') or ''}"
    return "author" in rel or prop in ("author", "creator") or _MARK.search(marks) is not None


def _bare(text: str) -> bool:
    return len(text.split()) <= LABEL_WORDS and _BARE_BY.search(text) is not None


def _after_by(text: str) -> str | None:
    """What follows "by"/"von" in ``text``, unless the "von" is a name's ("Walter von Aachen")."""
    text = text.lstrip(" -–—|:·•")
    for match in _BY.finditer(text):
        before = text[: match.start()].split()
        if (
            not before
            or match.group(0).strip()[0].isupper()  # "Disko Von Ernst Lohoff"
            or before[-1].lower() in _LABELS
            or (len(before) > 1 and before[-2].lower() in _ARTICLES)  # "Eine Kolumne von"
            or not before[-1][0].isupper()
            or any(c.isdigit() or c in "|·•/" for c in " ".join(before))
        ):
            return text[match.end() :]
    return None


def _beside_date(text: str) -> str | None:
    """The name in a dateline ("04.02.2022 | 13:10 Uhr | Uta Helkenberg"): a segment of two
    or three capitalised (not upper-case) words beside a date."""
    if len(text) > DATELINE_CHARS or not dates_in(text, loose=True):
        return None
    for segment in _SEGMENTS.split(text):
        words = segment.split()
        if 2 <= len(words) <= 3 and all(w[0].isupper() and not w.isupper() for w in words):
            return segment if not dates_in(segment) else None
    return None


@dataclass
class Byline:
    """The names in the nearest byline, or the byline as printed when it names only a desk
    or an organisation."""

    names: list[str] = field(default_factory=list)
    raw: str | None = None


def _judge(candidate: str, declared: bool, site_name: str | None, url: str | None) -> Byline:
    candidate = _ASIDE.sub("", candidate)
    names = clean_authors([candidate], site_name=site_name, url=url, handles=declared)
    if names:
        return Byline(names=names)
    # a desk ("Redaktion"): names further on are not the byline
    return Byline(raw=byline_as_printed(candidate, site_name=site_name, url=url))


def _scan(
    pieces: Iterator[Piece],
    budget: int,
    site_name: str | None,
    url: str | None,
    reverse: bool,
    seen: dict[int, bool],
) -> Byline:
    """The first byline among ``pieces``: an author-marked element, a name after a label
    ("Von" | "Ann Lee"), or the rest of a text after "by"."""
    distance = 0
    previous = ""
    prose_runs = 0
    for raw, _, element in pieces:
        text = " ".join(raw.split())
        if len(text) > PROSE_CHARS:
            prose_runs += 1
            if prose_runs >= PROSE_RUNS:
                break
            continue
        candidate: str | None = None
        declared = True
        marked = _marked(element, seen)
        if marked is not None and not _bare(text):
            byline = " ".join(marked.text(deep=True, separator=" ", strip=True).split())
            # "4 May 2020 · von Ann Lee · in News": the name follows the "von"
            candidate = _after_by(byline) or byline
        elif _bare(text if reverse else previous) and (previous if reverse else text):
            candidate = previous if reverse else text
        elif not _bare(text):
            candidate, declared = _after_by(text) or _beside_date(text), False
        if candidate:
            found = _judge(candidate, declared, site_name, url)
            if found.names or found.raw:
                return found
        distance += len(text)
        if distance >= budget:
            break
        previous = text
    return Byline()


def printed_byline(heading: LexborNode, *, site_name: str | None, url: str | None) -> Byline:
    """The byline nearest ``heading``: inside it, below it, then above it."""
    inside = (p for p in subtree(heading, False) if len(p[0].split()) < 4)
    seen: dict[int, bool] = {}
    for pieces, budget, reverse in (
        (inside, AFTER_CHARS, False),
        (walk(heading, False), AFTER_CHARS, False),
        (walk(heading, True), BEFORE_CHARS, True),
    ):
        found = _scan(pieces, budget, site_name, url, reverse, seen)
        if found.names or found.raw:
            return found
    return Byline()
