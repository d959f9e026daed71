"""How much text trafilatura's readability fallback could return for a page, at most.

trafilatura's full mode runs readability on every page and takes its result only where it
is over twice as long as its own (or its own is deficient). The page's text bounds
readability's, which rules that out where the own result is half the page or more; on the
other pages readability almost always loses too. A tighter bound lets its run be skipped
there (content._stands).

Readability first cuts the elements whose class or id reads as unlikely content (comments,
sidebars, footers, menus). What it returns is drawn from what is left, in order, and then
goes through a round trip (serialised as XML, parsed as HTML) that can lengthen it only
where lxml's HTML parser keeps text raw: there the XML escapes stay as text, and iframes
get "VIDEO" written in. A <plaintext> element takes all that follows its start as raw text,
closing tags included, which no count of the page's text bounds.
"""

from __future__ import annotations

import math

from lxml.html import HtmlElement
from trafilatura.readability_lxml import Document

from scraper.extract._text import SQUASHED_LENGTH

# elements whose text the HTML parser takes raw (no entities decoded) up to their end tag
_RAW_TEXT = ("iframe", "noembed", "noframes", "xmp")
# what XML escaping does to text: & < > and carriage returns written as entities of up to five
# characters, which once squashed can add up to six (a lone space-like character no longer)
_ESCAPED = "&<>\r"
_ESCAPE_GROWTH = 6
_VIDEO = len(" VIDEO")  # the word, and the space it adds where it splits a run of spaces


def round_trip_growth(tree: HtmlElement) -> float:
    """At most how much longer readability's round trip can make text drawn from ``tree``;
    unbounded where a <plaintext> element is."""
    growth = 0
    for element in tree.iter(*_RAW_TEXT, "plaintext"):
        if element.tag == "plaintext":
            return math.inf
        text = "".join(element.itertext())
        growth += _ESCAPE_GROWTH * sum(map(text.count, _ESCAPED))
        if element.tag == "iframe":
            growth += _VIDEO
    return growth


def readability_reach(raw: HtmlElement, growth: float | None = None) -> float:
    """At least the length of the text readability returns for ``raw`` (trimmed, as
    trafilatura measures it).

    Makes readability's first cut on ``raw`` itself: should readability run on it later, it
    finds nothing more to cut (each element's verdict reads only its own class and id, and
    the scripts and styles it drops first go whole either way), so its result is the same.
    ``growth``: ``round_trip_growth(raw)``, when the caller has it already."""
    if growth is None:
        growth = round_trip_growth(raw)
    Document(raw).remove_unlikely_candidates()
    return int(SQUASHED_LENGTH(raw)) + growth
