"""Blocks straight from the DOM, for pages whose story container is known.

When pre-cleaning has narrowed the page down to the container that holds the
story, running a whole main-content extractor on it again is mostly wasted
work: walking its block elements in order gives the paragraphs directly.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.extract._text import squash
from scraper.extract.content import Block

_BLOCK_KIND = {
    "p": "p", "div": "p", "section": "p", "article": "p", "main": "p", "header": "p",
    "h1": "head", "h2": "head", "h3": "head", "h4": "head", "h5": "head", "h6": "head",
    "li": "item", "dt": "item", "dd": "item", "blockquote": "quote", "pre": "code",
    "tr": "cell", "ul": "p", "ol": "p", "dl": "p", "table": "p", "tbody": "p", "thead": "p",
    "tfoot": "p", "center": "p", "address": "p", "hr": "p", "details": "p", "summary": "p",
    "figure": "p", "form": "p", "fieldset": "p", "footer": "p", "aside": "p", "nav": "p",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "svg", "button", "select", "textarea"}
OVERLAP_CHARS = 20  # shorter, a block may be part of any sentence


class _Reached(Exception):
    """The walk met the block it was told to stop at."""


class _Walker:
    def __init__(self, root: LexborNode, until: str | None = None) -> None:
        self.root = root
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.links = 0
        self.kind = _BLOCK_KIND.get(root.tag or "", "p")  # a lede may be a heading
        self.until = until

    def read(self) -> list[Block]:
        self.walk(self.root, self.kind)
        self.flush()
        return self.blocks

    def flush(self) -> None:
        if not self.parts:
            return  # a block's end met again: nothing read since (and no link text)
        text = squash("".join(self.parts))
        if text:
            if self.until is not None and _overlaps(text, self.until):
                raise _Reached
            self.blocks.append(Block(self.kind, text, min(self.links, len(text))))
        self.parts, self.links = [], 0

    def walk(self, node: LexborNode, kind: str, in_link: bool = False) -> None:
        child = node.child
        while child is not None:
            tag = child.tag or ""
            if tag == "-text":
                value = child.text_content or ""
                # whitespace before a block's first words is squashed away: not kept
                if self.parts or not value.isspace():
                    self.parts.append(value)
                    if in_link:
                        self.links += len(value.strip())
            elif tag == "br":
                self.flush()
            elif tag in _SKIP or tag.startswith("-"):
                pass
            elif tag in _BLOCK_KIND:
                self.flush()
                inner = _BLOCK_KIND[tag]
                self.kind = inner if inner != "p" or kind == "p" else kind
                if tag == "tr":
                    self._row(child)
                else:
                    self.walk(child, self.kind, in_link)
                self.flush()
                self.kind = kind
            else:
                self.walk(child, kind, in_link or tag == "a")
            child = child.next

    def _row(self, row: LexborNode) -> None:
        cells = [squash(c.text(deep=True, separator=" ")) for c in row.css("td, th")]
        text = " | ".join(c for c in cells if c)
        if text:
            if self.until is not None and _overlaps(text, self.until):
                raise _Reached
            self.blocks.append(Block("cell", text))


def _overlaps(text: str, other: str) -> bool:
    return other in text or (len(text) >= OVERLAP_CHARS and text in other)


def dom_blocks(root: LexborNode) -> list[Block]:
    """The container's text as blocks in reading order, with each block's link text."""
    return _Walker(root).read()


def blocks_above(root: LexborNode, first: str) -> list[Block] | None:
    """The container's blocks before the one that holds ``first`` (an extractor's first
    block); None when no block does. The walk stops there: the rest is not read."""
    walker = _Walker(root, until=first)
    try:
        walker.read()
    except _Reached:
        return walker.blocks
    return None
