"""Reading a page's text outward from one element, nearest first: what sits next to the
headline (dateline, byline) describes the article; what is further away rarely does."""

from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborNode

# a caption dates and credits its photo, not the article
_SKIP = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "select", "option", "figure"}
)
_STOP = frozenset({"body", "html"})

Piece = tuple[str, str | None, LexborNode]


def subtree(node: LexborNode, reverse: bool) -> Iterator[Piece]:
    """(text, datetime attribute, element) pieces of ``node`` in document order, or reversed."""
    stack = [node]
    while stack:
        cur = stack.pop()
        tag = cur.tag  # one call into the parser per node: "-text" for text
        if tag == "-text":
            text = cur.text_content
            if text and not text.isspace() and cur.parent is not None:
                yield text, None, cur.parent
            continue
        if tag in _SKIP or not cur.is_element_node:
            continue
        if tag == "time":
            text = cur.text(deep=True, separator=" ", strip=True)
            yield text, cur.attributes.get("datetime"), cur
            continue
        # pushed so that the next piece in reading order (or reversed) pops first
        child = cur.child if reverse else cur.last_child
        while child is not None:
            stack.append(child)
            child = child.next if reverse else child.prev


def walk(start: LexborNode, reverse: bool) -> Iterator[Piece]:
    """Text pieces after (or before) ``start``'s subtree, nearest first."""
    cur: LexborNode | None = start
    while cur is not None and cur.tag not in _STOP:
        sibling = cur.prev if reverse else cur.next
        if sibling is None:
            cur = cur.parent
            continue
        cur = sibling
        yield from subtree(cur, reverse)
