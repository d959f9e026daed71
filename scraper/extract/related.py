"""Links to other articles that sit inside the content: lifted out of the body, kept in order.

Two shapes: a box of them (an ``<aside>`` or a "related" widget), and a lone
headline link set between paragraphs ("READ MORE: ...", a bare title link).
Prose that merely contains a link is neither.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from scraper.extract._text import alternation, outermost, squash
from scraper.extract.noise import related_headline
from scraper.models import RelatedLink


def _hyphen_optional(name: str) -> set[str]:
    """The name written every way with and without its hyphens ("a-b": "a-b", "ab")."""
    variants = {""}
    for i, part in enumerate(name.split("-")):
        joins = ("",) if i == 0 else ("-", "")
        variants = {v + j + part for v in variants for j in joins}
    return variants


# Matched against lower-cased class and id names, anywhere; each "-" may be left out.
_RELATED_NAMES = """related recirc read-more readalso also-read more-on more-from recommend
    inline-link inline-promo inline-story inline-article see-also story-link embedded-link
    lesetipp mehr-zum-thema lire-aussi relacionad correlat""".split()  # noqa: SIM905
RELATED_BOX = re.compile(
    alternation(variant for name in _RELATED_NAMES for variant in _hyphen_optional(name))
)
_BLOCKS = "p, div, h2, h3, h4, h5, h6, section, blockquote"
_BLOCK_TAGS = {"p", "div", "h2", "h3", "h4", "h5", "h6", "section", "li", "ul", "aside"}
_STOP_TAGS = {"html", "body", "main", "article"}
_LINK_LABEL = re.compile(
    r"^(?:read more|read also|also read|related|see also|more|watch|lesen sie auch|"
    r"mehr zum thema|lire aussi|à lire aussi|lee también|leer más|leggi anche)\s*[:>»|\-–—]?$",
    re.IGNORECASE,
)


class _Texts:
    """Each node's text read once a harvest: neighbouring links climb the same ancestors
    and look at the same siblings (the tree is not changed while links are gathered)."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[int, str] = {}

    def __call__(self, node: LexborNode) -> str:
        key = node.mem_id
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = squash(node.text(deep=True, separator=" ", strip=True))
        return text

    def remember(self, node: LexborNode, text: str) -> None:
        """``text`` read otherwise: the node's words, whitespace squashed all the same."""
        self._seen[node.mem_id] = text


def _link(anchor: LexborNode, base: str | None, title: str) -> RelatedLink | None:
    """The anchor as a link to another page, or None (same page, script, mail, too short)."""
    href = (anchor.attributes.get("href") or "").strip()
    if len(title.split()) < 3 or not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = urljoin(base, href) if base else href
    if base is not None and url.split("#")[0] == base:
        return None
    if not url.startswith(("http://", "https://")) and urlsplit(url).scheme:
        return None
    return RelatedLink(title=related_headline(title) or title, url=url)


def _in_box(anchor: LexborNode, scope: LexborNode, seen: dict[int, bool], text: _Texts) -> bool:
    """Inside an aside or a related-links widget set among the article's paragraphs.

    ``seen`` caches the answer per ancestor: a box's links share their ancestors.
    """
    path: list[int] = []
    node = anchor.parent
    answer = False
    stop = scope.mem_id
    while node is not None and node.mem_id != stop and len(path) < 8:
        cached = seen.get(node.mem_id)
        if cached is not None:
            answer = cached
            break
        path.append(node.mem_id)
        attrs = node.attributes
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if node.tag == "aside" or RELATED_BOX.search(names.lower()):
            answer = _beside_prose(node, text)
            break
        node = node.parent
    for mem_id in path:
        seen[mem_id] = answer
    return answer


def _beside_prose(box: LexborNode, text: _Texts) -> bool:
    """A box whose siblings are the article's paragraphs; a page's "most read" rail is not."""
    parent = box.parent
    if parent is None:
        return False
    child = parent.child
    while child is not None:
        if child.tag == "p" and _at_least(text(child), 15):
            return True
        child = child.next
    return False


def _link_unit(anchor: LexborNode, text: _Texts) -> LexborNode | None:
    """The outermost block around ``anchor`` that holds nothing but the link (and a label)."""
    link_text = text(anchor)
    unit: LexborNode | None = None
    node = anchor
    while node.parent is not None and node.parent.tag not in _STOP_TAGS:
        parent = node.parent
        around = text(parent)
        rest = around.replace(link_text, "", 1).strip()
        if rest and not (related_headline(around) or _LINK_LABEL.match(rest)):
            break
        node = parent
        if node.tag in _BLOCK_TAGS:
            unit = node
    if unit is None and anchor.css_first(_BLOCKS) is not None:
        unit = anchor  # <a href><h3>Headline</h3></a>
    return unit


def _between_paragraphs(node: LexborNode, text: _Texts) -> bool:
    """Only links set among prose are related links; a page of links is a listing."""
    while node.parent is not None and text(node.parent) == text(node):
        node = node.parent
    prev, nxt = node.prev, node.next
    while prev is not None and not prev.is_element_node:
        prev = prev.prev
    while nxt is not None and not nxt.is_element_node:
        nxt = nxt.next
    for sib in (prev, nxt):
        if sib is None:
            continue
        said = text(sib)
        if _at_least(said, 25) or (_at_least(said, 15) and sib.css_first("a") is None):
            return True
    return False


def _at_least(text: str, n_words: int) -> bool:
    """``text`` (whitespace squashed) has ``n_words`` words: its spaces counted, not split."""
    return text.count(" ") >= n_words - 1


def harvest_related(
    scope: LexborNode, base: str | None
) -> tuple[list[RelatedLink], list[LexborNode]]:
    """Related links in document order, and the inline headline blocks to remove."""
    links: list[RelatedLink] = []
    units: list[LexborNode] = []
    boxes: dict[int, bool] = {}
    text = _Texts()
    for anchor in scope.css("a[href]"):
        raw = anchor.text(deep=True, separator=" ")
        if not 3 <= len(raw.split()) <= 30:
            continue
        href = anchor.attributes.get("href") or ""
        if href.startswith(("#", "javascript:", "mailto:")):
            continue
        link_text = squash(raw)
        text.remember(anchor, link_text)
        if _in_box(anchor, scope, boxes, text):
            unit = None
        elif link_text.endswith((".", "!", "?", ";")):
            continue
        else:
            unit = _link_unit(anchor, text)
            if unit is None or not _between_paragraphs(unit, text):
                continue
        link = _link(anchor, base, link_text)
        if link is not None:
            links.append(link)
            if unit is not None:
                units.append(unit)
    unique = list({(r.title, r.url): r for r in links}.values())[:30]
    return unique, outermost(units)
