"""The date printed with the headline: what a reader, and an annotator, takes as the date.

Machine-readable dates (JSON-LD, meta tags) are often in UTC, or are the date a CMS record
was created or last saved; the dateline next to the headline is the publication date in the
site's own time zone. It is found by reading the page's text outward from the headline, a
few hundred characters each way, and stopping where the article's prose begins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from selectolax.lexbor import LexborNode

from scraper.extract.dates import dates_in, parse_iso

AFTER_CHARS = 500  # text read after the headline: kicker, byline, dateline, standfirst
BEFORE_CHARS = 150  # text read before it: a dateline above the headline
PROSE_CHARS = 250  # a text node this long is the article body: read only its start
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "select", "option"})
_STOP = frozenset({"body", "html"})
_UPDATED = re.compile(
    r"(?:updated|modified|edited|aktualisiert|geändert|mis à jour|modifié|actualizado|"
    r"actualización|aggiornato|atualizado|bijgewerkt)\W*$",
    re.IGNORECASE,
)


def _subtree(node: LexborNode, reverse: bool) -> Iterator[tuple[str, str | None]]:
    """(text, datetime attribute) pieces of ``node`` in document order, or reversed."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.is_text_node:
            text = cur.text_content
            if text and not text.isspace():
                yield text, None
            continue
        if not cur.is_element_node or cur.tag in _SKIP:
            continue
        if cur.tag == "time":
            yield cur.text(deep=True, separator=" ", strip=True), cur.attributes.get("datetime")
            continue
        children = []
        child = cur.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(children if reverse else reversed(children))


def _walk(start: LexborNode, reverse: bool) -> Iterator[tuple[str, str | None]]:
    """Text pieces after (or before) ``start``'s subtree, nearest first."""
    cur: LexborNode | None = start
    while cur is not None and cur.tag not in _STOP:
        sibling = cur.prev if reverse else cur.next
        if sibling is None:
            cur = cur.parent
            continue
        cur = sibling
        yield from _subtree(cur, reverse)


def _dates_near(
    pieces: Iterator[tuple[str, str | None]], budget: int, mdy: bool
) -> list[tuple[date, bool]]:
    """Dates in the first ``budget`` characters of ``pieces``, each flagged when labelled
    "updated"."""
    found: list[tuple[date, bool]] = []
    previous = ""
    for text, machine in pieces:
        text = " ".join(text.split())
        prose = len(text) > PROSE_CHARS
        scan = text[:60] if prose else text
        hits = dates_in(scan, mdy=mdy, loose=True)
        if not hits and machine and (iso := parse_iso(machine)):
            hits = [(0, date.fromisoformat(iso[:10]))]
        for offset, value in hits:
            label = (previous + " " + text[:offset]) if offset < 3 else text[:offset]
            found.append((value, bool(_UPDATED.search(label.strip(" :,-|·")))))
        budget -= len(text)
        if prose or budget <= 0:
            break
        previous = text
    return found


def printed_date(heading: LexborNode, *, mdy: bool = False) -> str | None:
    """The date printed next to ``heading``, preferring one not labelled "updated"."""
    near = _dates_near(_walk(heading, False), AFTER_CHARS, mdy)
    if not near:
        near = _dates_near(_walk(heading, True), BEFORE_CHARS, mdy)
    if not near:
        return None
    published = [value for value, updated in near if not updated]
    return (published or [near[0][0]])[0].isoformat()
