"""Main-content extraction: a thin adapter over trafilatura.

trafilatura finds the article container well; we take its XML body tree (not
its flattened text) so our noise filter can judge block by block.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.settings import Extractor
from trafilatura.utils import is_dubious_html, repair_faulty_html

from scraper.extract._text import squash

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
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.extend(child.itertext())
        parts.append(child.tail or "")
    return [squash(s) for s in "".join(parts).split("\n") if s.strip()]


def _blocks(body: etree._Element) -> list[Block]:
    out: list[Block] = []
    if body.text and body.text.strip():
        out.append(Block("p", squash(body.text)))
    for element in body:
        _element_blocks(element, out)
        # trafilatura leaves loose text as the tail of the previous element
        if element.tail and element.tail.strip():
            out.append(Block("p", squash(element.tail)))
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
                    if cell.text and cell.text.strip():
                        out.append(Block("p", squash(cell.text)))
                    for child in cell:
                        _element_blocks(child, out)
                        if child.tail and child.tail.strip():
                            out.append(Block("p", squash(child.tail)))
                elif text := squash("".join(cell.itertext())):
                    cells.append(text)
            if cells:
                out.append(Block("cell", " | ".join(cells)))
    elif tag == "code":
        text = "".join(element.itertext()).strip("\n")
        if text.strip():
            out.append(Block("code", text))
    elif isinstance(tag, str):
        kind = tag if tag in _BLOCK_TAGS else "p"
        out.extend(Block(kind, s) for s in _segments(element))


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


def extract_blocks(html: str, *, fast: bool = True) -> list[Block]:
    """The article's blocks in reading order; empty when no main content is found.

    ``fast=False`` lets trafilatura compare its result with its fallback extractors.
    """
    options = _OPTIONS if fast else _FULL_OPTIONS
    document = trafilatura.bare_extraction(_parsed(html), options=copy(options))
    body = getattr(document, "body", None)
    return _blocks(body) if body is not None else []
