"""Main-content extraction: a thin adapter over trafilatura.

trafilatura finds the article container well; we take its XML body tree (not
its flattened text) so our noise filter can judge block by block.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml.etree import XPath
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.external import SANITIZED_XPATH, compare_extraction
from trafilatura.htmlprocessing import convert_tags, prune_unwanted_nodes, tree_cleaning
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.utils import is_dubious_html, repair_faulty_html
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

from scraper.extract._text import SQUASHED_LENGTH, squash
from scraper.extract._xpaths import guarded, guarded_rules
from scraper.extract.readability_reach import readability_reach, round_trip_growth

_BLOCK_TAGS = {"p", "head", "quote", "list", "table", "code", "div"}


@dataclass(frozen=True)
class Block:
    kind: str  # p, head, quote, item, cell, code
    text: str
    link_chars: int = -1  # characters inside links; -1 where the extractor does not say

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.link_chars > 0 and self.text else 0.0


def _segments(element: etree._Element) -> list[str]:
    """Text of one element, split at explicit line breaks."""
    if len(element) == 0:  # text alone, most paragraphs: no parts to join
        return _lines(element.text or "")
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return _lines("".join(parts))


def _lines(text: str) -> list[str]:
    """The lines of ``text`` that hold words, each squashed."""
    if "\n" not in text:
        words = text.split()
        return [" ".join(words)] if words else []
    return [squash(s) for s in text.split("\n") if s.strip()]


def _blocks(body: etree._Element) -> list[Block]:
    out: list[Block] = []
    # trafilatura leaves loose text as the body's text or the tail of an element
    _inner_blocks(body, out)
    return out


def _element_blocks(element: etree._Element, out: list[Block]) -> None:
    tag = element.tag
    if tag == "list":
        for item in element.iter("item"):
            text = squash("".join(item.itertext()))
            if text:
                out.append(Block("item", text))
    elif tag == "table":
        for row in element.iter("row"):
            cells: list[str] = []
            for cell in row.iter("cell"):
                if any(child.tag in _BLOCK_TAGS for child in cell):
                    # a layout table: its cells hold paragraphs, not data
                    if cells:
                        out.append(Block("cell", " | ".join(cells)))
                        cells = []
                    _inner_blocks(cell, out)
                elif text := squash("".join(cell.itertext())):
                    cells.append(text)
            if cells:
                out.append(Block("cell", " | ".join(cells)))
    elif tag == "code":
        text = "".join(element.itertext()).strip("\n")
        if text.strip():
            out.append(Block("code", text))
    elif isinstance(tag, str):
        if tag in ("div", "quote") and any(child.tag in _BLOCK_TAGS for child in element):
            # paragraphs kept inside a box or a quote: one block each, not run together
            _inner_blocks(element, out)
            return
        kind = tag if tag in _BLOCK_TAGS else "p"
        out.extend(Block(kind, s) for s in _segments(element))


def _inner_blocks(element: etree._Element, out: list[Block]) -> None:
    """The blocks of an element that holds blocks; the text around them, split at line
    breaks, makes paragraphs of its own."""
    run: list[str] = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK_TAGS:
            _flush(run, out)
            _element_blocks(child, out)
        elif child.tag == "lb":
            run.append("\n")
        else:
            run.extend(child.itertext())
        run.append(child.tail or "")
    _flush(run, out)


def _flush(run: list[str], out: list[Block]) -> None:
    out.extend(Block("p", s) for s in _lines("".join(run)))
    run.clear()


def _options(*, fast: bool) -> Extractor:
    return Extractor(
        output_format="xml",
        fast=fast,
        comments=False,
        tables=True,
        images=False,
        links=False,
        formatting=False,
        dedup=False,
        with_metadata=False,
    )


# trafilatura's (2.3) thresholds for its recall retry: a result under this many characters
# that covers less than this share of the page's text.
ESCALATION_MAX_LENGTH = 3000
ESCALATION_PAGE_SHARE = 0.2

# Where trafilatura's page text (html2txt) puts a space: block elements and line breaks.
_SPACED_BLOCKS = (
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td",
    "th", "tr", "ul",
)  # fmt: skip

# One option set for every call: building it per page costs as much as a small page.
_OPTIONS = _options(fast=True)
_FULL_OPTIONS = _options(fast=False)


# trafilatura's own parser settings, but elements made by a lookup that runs in C: lxml.html's
# parser asks a Python method for the class of every element it hands out, which costs
# trafilatura's extraction about a tenth of its time. Every element is an HtmlElement, as
# trafilatura expects (only lxml's form-field classes, which it never uses, are not made).
_PARSER = etree.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)


def _parsed(html: str) -> HtmlElement | str:
    """The page as trafilatura would parse it (its ``load_html`` on a string); the string
    itself where its parse takes another path (a fallback, a rejection), for it to take."""
    beginning = html[:50].lower()
    try:
        tree = fromstring(repair_faulty_html(html, beginning), parser=_PARSER)
    except ValueError:
        return html
    if tree is None or len(tree) < 1 or (is_dubious_html(beginning) and len(tree) < 2):
        return html
    return tree


def _page_length(tree: HtmlElement) -> int:
    """At least the length of the page's text as trafilatura measures it (html2txt): the text,
    whitespace squashed, spaced at block boundaries, less what it cleans away."""
    return int(SQUASHED_LENGTH(tree)) + 2 * sum(1 for _ in tree.iter(*_SPACED_BLOCKS))


def _first_stages(
    tree: HtmlElement, options: Extractor, page: int, prunes: list[list[XPath]]
) -> tuple[etree._Element, str]:
    """trafilatura's own cascade up to its comparison with readability and jusText, on a tree
    that is ours to change: ``bare_extraction`` copies it three times first and, on a short
    result, converts the whole page to text once more to judge it (a fifth of its work here).

    Its raw-tree pruning is kept where it could match (``prunes``); its forum check is not:
    it reads JSON-LD scripts, which pre-cleaning removed.
    """
    for expressions in prunes:
        tree = prune_unwanted_nodes(tree, expressions)
    raw = None if options.fast else copy(tree)  # readability reads the uncleaned tree
    cleaned = tree_cleaning(tree, options)
    backup = None if options.fast else copy(cleaned)  # and jusText the unconverted one
    body, text = extract_content(convert_tags(cleaned, options), options)
    if raw is not None and backup is not None and not _stands(body, text, page, raw):
        body, text = compare_extraction(backup, raw, body, text, options)
    return body, text


def _prunes(html: str) -> list[list[XPath]]:
    """trafilatura's raw-tree prunes that could match: each tests class and id values (in
    lxml, through a Python callback per element) for words that must then be in the page
    (its 2.3 patterns: comment containers, infinite-scroll and share-button boxes)."""
    out = []
    if "infinite" in html or "mvp-post-add" in html or "elementor-share-buttons" in html:
        out.append(_RAW_TREE_PRUNE)
    if "omment" in html or "comol" in html or "disqus_thread" in html:  # dsq-comments has "omment"
        out.append(_REMOVE_COMMENTS)
    return out


_RAW_TREE_PRUNE = guarded(RAW_TREE_PRUNE_XPATH)
_REMOVE_COMMENTS = guarded(REMOVE_COMMENTS_AND_LISTS_XPATH)


def _stands(body: etree._Element, text: str, page: int, raw: HtmlElement) -> bool:
    """trafilatura's own result, which its comparison would keep whatever readability found:
    readability's text could not be twice as long, and the result is neither short, nor
    without paragraphs, nor mostly tables, nor holding elements jusText is called in for.
    Running readability is then wasted.

    Readability's text is bounded first by the page's (``page``, with what its round trip can
    add), then, where that is not enough, by what readability's first cut leaves of ``raw``:
    that cut is made on ``raw`` itself, which leaves readability's later result as it was."""
    if not (
        len(text) >= _FULL_OPTIONS.min_extracted_size
        and bool(body.xpath(".//p//text()"))
        and len(body.findall(".//table")) <= len(body.findall(".//p"))
        and not body.xpath(SANITIZED_XPATH)
    ):
        return False
    growth = round_trip_growth(raw)
    return 2 * len(text) >= page + growth or 2 * len(text) >= readability_reach(raw, growth)


def _short(text: str, page: int) -> bool:
    """A result short enough for trafilatura's later stages (a rescue from the page's whole
    text, a retry favouring recall) to engage; ``page`` bounds the page's text from above."""
    return len(text) < _OPTIONS.min_extracted_size or (
        len(text) < ESCALATION_MAX_LENGTH and len(text) < ESCALATION_PAGE_SHARE * page
    )


def extract_blocks(html: str, *, fast: bool = True) -> list[Block]:
    """The article's blocks in reading order; empty when no main content is found.

    ``fast=False`` lets trafilatura compare its result with its fallback extractors. A short
    result goes through the whole of ``bare_extraction`` again, which may find more.
    """
    with guarded_rules():
        return _extract_blocks(html, _OPTIONS if fast else _FULL_OPTIONS)


def _extract_blocks(html: str, options: Extractor) -> list[Block]:
    tree = _parsed(html)
    if not isinstance(tree, str):
        page = _page_length(tree)
        body, text = _first_stages(tree, options, page, _prunes(html))
        if not _short(text, page):
            return _blocks(body) if len(text) >= options.min_output_size else []
        tree = _parsed(html)
    document = trafilatura.bare_extraction(tree, options=copy(options))
    body = getattr(document, "body", None)
    return _blocks(body) if body is not None else []
