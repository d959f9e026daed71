"""The date printed with the headline: what a reader, and an annotator, takes as the date.

Machine-readable dates (JSON-LD, meta tags) are often in UTC, or are the date a CMS record
was created or last saved; the dateline next to the headline is the publication date in the
site's own time zone. It is found by reading the page's text outward from the headline, a
few hundred characters each way, and stopping where the article's prose begins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.dates import dates_in, month_from_url, parse_iso
from scraper.extract.nearby import Piece, subtree, walk

AFTER_CHARS = 500  # text read after the headline: kicker, byline, dateline, standfirst
BEFORE_CHARS = 100  # text read before it: a dateline above the headline
PROSE_CHARS = 150  # a text this long is a standfirst or the body: only its start is read
SPLIT_CHARS = 12  # a piece this short may be half of a date split over two elements
PROSE_RUNS = 2  # the standfirst, then the body's first paragraph: stop there
_UPDATED_WORDS = (
    r"updated|modified|edited|last changed|aktualisiert|geändert|änderung|mis à jour|modifié|"
    r"actualizado|"
    r"actualización|aggiornato|atualizado|bijgewerkt"
)
_UPDATED = re.compile(
    rf"(?:{_UPDATED_WORDS})(?:\s+(?:on|at|le|am|el|il|em|op))?\W*$", re.IGNORECASE
)
_UPDATED_ATTR = re.compile(r"updated|modified|dateModified|edited|aktualisiert", re.IGNORECASE)


def _marked_updated(element: LexborNode) -> bool:
    """The element or its parent says, in its class or itemprop, that it holds an update time."""
    node: LexborNode | None = element
    for _ in range(2):
        if node is None:
            return False
        attrs = node.attributes
        marks = f"{attrs.get('class') or ''} {attrs.get('itemprop') or ''} {attrs.get('id') or ''}"
        if _UPDATED_ATTR.search(marks):
            return True
        node = node.parent
    return False


def _dates_near(
    pieces: Iterator[Piece], budget: int, mdy: bool, reverse: bool = False
) -> list[tuple[int, date, bool]]:
    """(distance, date, labelled "updated") for dates in the first ``budget`` characters."""
    found: list[tuple[int, date, bool]] = []
    previous = ""
    distance = 0
    prose_runs = 0
    for raw, machine, element in pieces:
        text = " ".join(raw.split())
        prose = len(text) > PROSE_CHARS
        scan = text[:60] if prose else text
        hits = dates_in(scan, mdy=mdy, loose=True)
        if not hits and machine and (iso := parse_iso(machine)):
            hits = [(0, date.fromisoformat(iso[:10]))]
        if not hits and 0 < len(previous) <= SPLIT_CHARS and not prose:
            # "26" and "Okt 2018" in sibling elements
            joined = f"{text} {previous}" if reverse else f"{previous} {text}"
            hits = [(0, value) for _, value in dates_in(joined, mdy=mdy, loose=True)[:1]]
        for offset, value in hits:
            label = text[:offset] if offset >= 3 or reverse else f"{previous} {text[:offset]}"
            updated = bool(_UPDATED.search(label.strip(" :,-|·"))) or _marked_updated(element)
            found.append((distance, value, updated))
        distance += min(len(text), 100)
        prose_runs += prose
        if prose_runs >= PROSE_RUNS or distance >= budget:
            break
        previous = text
    return found


def nearest_printed(heading: LexborNode, *, mdy: bool = False) -> tuple[int, str] | None:
    """(distance in characters, ISO date) of the date printed nearest ``heading``: inside or
    below it first, then above it; one not labelled "updated" before one that is."""
    # a date set inside the heading, beside the headline's own words, is the nearest of all
    inside = (p for p in subtree(heading, False) if len(p[0].split()) < 4)
    after = _dates_near(chain(inside, walk(heading, False)), AFTER_CHARS, mdy)
    before: list[tuple[int, date, bool]] = []
    if all(updated for _, _, updated in after):
        before = _dates_near(walk(heading, True), BEFORE_CHARS, mdy, reverse=True)
    ranked = sorted(
        [(updated, side, distance, value) for side, found in enumerate((after, before))
         for distance, value, updated in found]
    )  # fmt: skip
    if not ranked:
        return None
    _, _, distance, value = ranked[0]
    return distance, value.isoformat()


FAR = 150  # a printed date further than this from the headline needs corroboration


def days_apart(a: str, b: str) -> int:
    """Whole days between two ISO dates (or datetimes, by their date)."""
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _local_first(structured: list[str]) -> list[str]:
    """Put first the value that gives the same instant as the first one in local time: a UTC
    timestamp shows a reader in Asia or America the wrong day."""
    if not structured or not structured[0].endswith("+00:00"):
        return structured
    head = datetime.fromisoformat(structured[0])
    for value in structured[1:]:
        if len(value) > 10 and not value.endswith("+00:00"):
            other = datetime.fromisoformat(value)
            if other.tzinfo is not None and abs((other - head).total_seconds()) < 120:
                return [value, *structured]
    return structured


def choose_published(
    printed: tuple[int, str] | None, structured: list[str], url_date: str | None
) -> str | None:
    """Cross-check the printed date, the machine-readable ones and the URL's.

    The printed date wins (it is the site's local day, and the one readers see) unless the URL
    contradicts it, or it was found far from the headline and no machine-readable date agrees.
    A machine-readable value for the same day is returned for its time of day.
    """
    structured = _local_first(structured)
    if printed is not None:
        distance, value = printed
        if url_date and days_apart(value, url_date) > 1:
            return url_date
        if structured and distance > FAR and all(days_apart(value, s) > 1 for s in structured):
            return structured[0]
        return next((s for s in structured if s[:10] == value), value)
    if url_date:
        return next((s for s in structured if s[:10] == url_date), url_date)
    return structured[0] if structured else None


_SCRIPT_DATE = re.compile(
    r"""["']?(?:datePublished|publishedDate|publishDate|published_?[Aa]t|publish_?date|"""
    r"""first_?[Pp]ublished\w*|pubDate|date_?published)["']?\s*[:=]\s*["']([^"']{8,40})["']"""
)
_LABELLED = re.compile(
    r"\b(?:published|posted|first published|last (?:edited|modified|updated)|veröffentlicht|"
    r"erstellt|erschienen|gespeichert|geschrieben|eingestellt|zuletzt|publié|publicado|pubblicato|"
    r"publicerad|gepubliceerd|opublikowano)\b",
    re.IGNORECASE,
)
LABEL_WINDOW = 40  # a date this close after "published" belongs to it
MONTH_SCAN_PIECES = 3000  # text pieces read looking for a date in the URL's month


def _script_date(tree: LexborHTMLParser) -> str | None:
    """A publication date in a page's state scripts ({"publishedDate": "..."})."""
    for node in tree.css("script"):
        kind = (node.attributes.get("type") or "").lower()
        if kind and "json" not in kind and "javascript" not in kind:
            continue
        text = node.text(deep=True)
        if text and (match := _SCRIPT_DATE.search(text)) and (value := parse_iso(match[1])):
            return value
    return None


def labelled_date(tree: LexborHTMLParser, mdy: bool) -> str | None:
    """A date right after "published", "posted", "last edited", anywhere in the page; the
    label and the date may sit in sibling elements ("Posted by <a>Ann</a> on 4 May 2020")."""
    body = tree.body
    if body is None:
        return None
    window = None  # text read since the last label, up to LABEL_WINDOW characters
    for raw, machine, _ in subtree(body, False):
        text = " ".join(raw.split())
        if window is not None and machine and (value := parse_iso(machine)):
            return value
        if (match := _LABELLED.search(text)) is not None:
            window = text[match.end() :]
        elif window is not None:
            window = f"{window} {text}"
        else:
            continue
        if hits := dates_in(window[:LABEL_WINDOW], mdy=mdy, loose=True):
            return hits[0][1].isoformat()
        if len(window) >= LABEL_WINDOW:
            window = None
    return None


def _date_in_month(tree: LexborHTMLParser, month: tuple[int, int], mdy: bool) -> str | None:
    """The first date on the page in the year and month the URL gives (/2010/05/slug)."""
    if tree.body is None:
        return None
    for count, (raw, _, _) in enumerate(subtree(tree.body, False)):
        if count > MONTH_SCAN_PIECES:
            break
        for _, value in dates_in(raw, mdy=mdy, loose=True):
            if (value.year, value.month) == month:
                return value.isoformat()
    return None


def fallback_date(
    tree: LexborHTMLParser, titles: list[str], url: str | None, *, mdy: bool = False
) -> str | None:
    """When nothing sits by the headline: a date in the page title, in a state script,
    labelled as the publication date anywhere on the page, or in the month of the URL."""
    for title in titles:
        if hits := dates_in(title, mdy=mdy, loose=True):
            return hits[0][1].isoformat()
    if found := _script_date(tree) or labelled_date(tree, mdy):
        return found
    month = month_from_url(url)
    return _date_in_month(tree, month, mdy) if month else None
