"""Small string helpers shared by the extract modules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import XPath
from selectolax.lexbor import LexborNode

# an lxml element's text length with whitespace squashed, in C: ASCII whitespace only, so
# never shorter than a squash by Python's split (trafilatura's)
SQUASHED_LENGTH = XPath("string-length(normalize-space())")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_ASCII_NON_ALNUM = {code: None for code in range(128) if not chr(code).isalnum()}


def squash(text: str) -> str:
    """Collapse all whitespace runs to one space."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """A comparison key: case, punctuation and spacing folded away."""
    folded = text.casefold()
    if folded.isascii():  # most text: one table lookup a character instead of the pattern
        return folded.translate(_ASCII_NON_ALNUM)
    return _NON_ALNUM.sub("", folded)


def domain_label(url: str | None) -> str | None:
    """'www.nytimes.co.uk' -> 'nytimes': the part of a host people say aloud."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    parts = [p for p in host.split(".") if p and p not in ("www", "m", "amp", "mobile", "news")]
    if not parts:
        return None
    if len(parts) >= 3 and len(parts[-2]) <= 3:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


def has_descendant(node: LexborNode, selector: str) -> bool:
    """Like ``css_first`` but never the node itself (lexbor matches the root too)."""
    return any(match.mem_id != node.mem_id for match in node.css(selector))


def alternation(words: Iterable[str]) -> str:
    """A regex for any of ``words``, written as a trie ("ad(?:s|vert)?"): ``re`` tries the
    branches of a flat alternation one by one at every position, a trie one letter at a time.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict[str, Any]) -> str:
        arms = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not arms:
            return ""
        body = arms[0] if len(arms) == 1 else f"(?:{'|'.join(arms)})"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


def outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """Drop nodes nested in another listed node: decomposing a parent frees its children."""
    ids = {n.mem_id for n in nodes}
    out = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            out.append(node)
    return out
