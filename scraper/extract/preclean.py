"""DOM pre-cleaning with selectolax, before the main-content extractor sees the page.

Removing widgets here is cheaper than in lxml and, more important, the DOM
still says what a block *is* (a share bar, a caption, a related-links box);
as flat text later, that knowledge is gone. What noise carries (captions,
credits, related links) is harvested before the node is dropped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract._text import squash
from scraper.extract.media import figure_image
from scraper.extract.noise import related_headline
from scraper.models import Image, RelatedLink, Rejection

_JUNK_TAGS = (
    "script", "style", "noscript", "iframe", "svg", "canvas", "template", "object", "embed",
    "video", "audio", "source", "track", "input", "select", "textarea", "button", "map",
    "dialog", "link", "meta", "head > style", "head > script",
)  # fmt: skip
_STRUCTURAL = ("nav", "aside", "footer", "menu")
_EXACT_TOKENS = {
    "share", "shares", "sharing", "social", "socials", "comment", "comments", "respond",
    "newsletter", "subscribe", "subscription", "signup", "cookie", "cookies", "consent", "gdpr",
    "advert", "advertisement", "ads", "ad", "adslot", "adunit", "dfp", "gpt", "sponsor",
    "sponsored", "promo", "promotion", "promoted", "related", "recirc", "recirculation",
    "readmore", "popular", "trending", "mostread", "breadcrumb", "breadcrumbs", "tags", "tag",
    "taglist", "tagcloud", "keywords", "byline", "bio", "dateline", "timestamp", "caption",
    "captions", "credit", "credits", "skip", "skiplink", "sr", "menu", "navbar", "nav",
    "navigation", "sidebar", "widget", "widgets", "footer", "modal", "popup", "overlay",
    "paywall", "toolbar", "utility", "outbrain", "taboola", "rail", "pagination", "pager",
    "meta", "topics", "follow", "print", "masthead", "banner", "subnav", "teaser", "teasers",
    "more", "disclaimer", "newsletters", "signin", "login", "donate", "donation", "survey",
    "poll", "correction",
}  # fmt: skip
_PREFIX_TOKENS = (
    "share", "social", "comment", "newsletter", "advert", "cookie", "related", "recommend",
    "sponsor", "breadcrumb", "taboola", "outbrain", "disqus", "paywall", "sharedaddy",
    "addtoany", "a2a", "shareaholic", "screenreader", "visuallyhidden", "sronly", "byline",
    "promo", "trending", "mostpopular", "mostread", "readmore", "readalso",
    "alsoread", "moreon", "morefrom", "moreon", "authorbio", "authorbox", "aboutauthor",
)  # fmt: skip
# Tokens that look like noise but name the content in common CMS themes.
_SAFE_TOKENS = {
    "content", "article", "body", "story", "entry", "post", "text", "main", "articlebody",
    "storybody", "entrycontent", "postcontent", "articlecontent", "richtext",
}  # fmt: skip
_NOISE_ROLES = {"navigation", "banner", "complementary", "contentinfo", "dialog", "alertdialog",
                "menu", "menubar", "search", "toolbar"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TOKEN_SPLIT = re.compile(r"[\s_\-:]+|(?<=[a-z])(?=[A-Z])")
_RELATED_BOX = re.compile(
    r"related|recirc|read-?more|readalso|also-?read|more-?on|more-?from|recommend|"
    r"inline-?(?:link|promo|story|article)|see-?also|story-?link|embedded-?link",
    re.IGNORECASE,
)
_BLOCKS = "p, div, h2, h3, h4, h5, h6, section, blockquote"
_BLOCK_TAGS = {"p", "div", "h2", "h3", "h4", "h5", "h6", "section", "li", "ul", "aside"}
_LINK_LABEL = re.compile(r"^(?:read more|read also|also read|related|see also|more|watch|"
                         r"lesen sie auch|mehr zum thema|lire aussi|à lire aussi|lee también|"
                         r"leer más|leggi anche)\s*[:>»|\-–—]?$", re.IGNORECASE)
_PROTECTED_TAGS = {"html", "body", "main", "article"}


@dataclass
class Harvest:
    """What pre-cleaning lifted out of the page instead of throwing away."""

    images: list[Image] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    dropped: list[Rejection] = field(default_factory=list)


def _noise_reason(node: LexborNode) -> str | None:
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return "hidden"
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return "hidden"
    role = (attrs.get("role") or "").lower()
    if role in _NOISE_ROLES:
        return f"role:{role}"
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".strip()
    return _names_reason(names) if names else None


@functools.lru_cache(maxsize=4096)
def _names_reason(names: str) -> str | None:
    """Class and id tokens judged once per distinct string: pages repeat them a lot."""
    tokens = [t.lower() for t in _TOKEN_SPLIT.split(names) if t]
    if any(t in _SAFE_TOKENS for t in tokens) and not any(t in ("comments", "comment") for t in tokens):
        return None
    for token in tokens:
        if token in _EXACT_TOKENS or token.startswith(_PREFIX_TOKENS):
            return f"class:{token}"
    return None


def _text(node: LexborNode) -> str:
    return squash(node.text(deep=True, separator=" ", strip=True))


def _is_figure(node: LexborNode) -> bool:
    """An image with at most a caption's worth of text: safe to lift out whole."""
    if node.tag == "figure":
        return True
    if node.tag in _PROTECTED_TAGS or node.css_first("img") is None:
        return False
    return len(node.text(deep=True).split()) <= 80 and node.css_first("p + p") is None


def _core_ancestors(body: LexborNode) -> set[int]:
    """Ids of the ancestors of the longest paragraph: containers that hold the article."""
    best: LexborNode | None = None
    best_len = 0
    for selector in ("p", "div"):
        for node in body.css(selector):
            if selector == "div" and node.css_first("div, p") is not None:
                continue
            n = len(node.text(deep=True))
            if n > best_len:
                best, best_len = node, n
        if best_len >= 200:
            break
    ids: set[int] = set()
    starts = [best.parent] if best is not None else []
    starts += body.css('[itemprop="articleBody"]')
    for start in starts:
        node = start
        while node is not None:
            ids.add(node.mem_id)
            node = node.parent
    return ids


def _prose_chars(node: LexborNode) -> int:
    """Characters of text outside links: where the article is, whatever its markup."""
    text = len(node.text(deep=True, separator=" ", strip=True))
    links = sum(len(a.text(deep=True, separator=" ", strip=True)) for a in node.css("a"))
    return max(text - links, 0)


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """Drop nodes nested in another listed node: decomposing a parent frees its children."""
    ids = {n.mem_id for n in nodes}
    out = []
    for node in nodes:
        parent = node.parent
        nested = False
        while parent is not None:
            if parent.mem_id in ids:
                nested = True
                break
            parent = parent.parent
        if not nested:
            out.append(node)
    return out


def _same_page(href: str, base: str | None) -> bool:
    return href.startswith("#") or (base is not None and urljoin(base, href).split("#")[0] == base)


def _link(anchor: LexborNode, base: str | None) -> RelatedLink | None:
    title = _text(anchor)
    href = (anchor.attributes.get("href") or "").strip()
    if len(title.split()) < 3 or not href or href.startswith(("javascript:", "mailto:")):
        return None
    if _same_page(href, base):
        return None
    url = urljoin(base, href) if base else href
    if urlsplit(url).scheme not in ("http", "https", ""):
        return None
    return RelatedLink(title=related_headline(title) or title, url=url)


def _scope(tree: LexborHTMLParser) -> LexborNode | None:
    articles = tree.css("article")
    if articles:
        return max(articles, key=lambda n: len(n.text(deep=True)))
    return tree.css_first("main") or tree.css_first('[role="main"]') or tree.body


def _link_unit(anchor: LexborNode) -> LexborNode | None:
    """The outermost block around ``anchor`` that holds nothing but the link (and a label)."""
    link_text = _text(anchor)
    unit: LexborNode | None = None
    node = anchor
    while node.parent is not None and node.parent.tag not in _PROTECTED_TAGS:
        parent = node.parent
        text = _text(parent)
        rest = text.replace(link_text, "", 1).strip()
        if rest and not (related_headline(text) or _LINK_LABEL.match(rest)):
            break
        node = parent
        if node.tag in _BLOCK_TAGS:
            unit = node
    if unit is None and anchor.css_first(_BLOCKS) is not None:
        unit = anchor  # <a href><h3>Headline</h3></a>
    return unit


def _inline_related(scope: LexborNode, base: str | None) -> list[tuple[LexborNode, RelatedLink]]:
    """Blocks that are one link to another article and nothing else: headlines, not prose."""
    found: list[tuple[LexborNode, RelatedLink]] = []
    for anchor in scope.css("a[href]"):
        link_text = _text(anchor)
        if not 3 <= len(link_text.split()) <= 30 or link_text.endswith((".", "!", "?", ";")):
            continue
        unit = _link_unit(anchor)
        link = _link(anchor, base)
        if unit is None or link is None or not _between_paragraphs(unit):
            continue
        found.append((unit, link))
    units = _outermost([u for u, _ in found])
    keep = {u.mem_id for u in units}
    return [(u, link) for u, link in found if u.mem_id in keep]


def preclean(tree: LexborHTMLParser, url: str | None) -> Harvest:
    """Strip junk, widgets and hidden nodes in place; return what they carried."""
    harvest = Harvest()
    tree.strip_tags(list(_JUNK_TAGS))
    body = tree.body
    if body is None:
        return harvest
    scope = _scope(tree) or body

    figures = scope.css(
        'figure, [class*="wp-caption"], [class*="image-wrap"], [class*="photo"], [class*="media"]'
    )
    for figure in _outermost([f for f in figures if _is_figure(f)]):
        image = figure_image(figure, url)
        if image is not None:
            harvest.images.append(image)
            if image.caption:
                harvest.captions.append(image.caption)
        figure.decompose()
    for node in _outermost(body.css("figcaption, [class*=caption], [class*=Caption]")):
        text = _text(node)
        if text and node.tag not in _PROTECTED_TAGS and len(text.split()) <= 80:
            harvest.captions.append(text)
            node.decompose()

    total = max(len(body.text(deep=True)), 1)
    prose_total = _prose_chars(body)
    candidates: list[tuple[LexborNode, str]] = []
    for node in body.css("[class], [id], [role], [aria-hidden], [hidden], [style]"):
        if node.tag in _PROTECTED_TAGS:
            continue
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _RELATED_BOX.search(names) and node.css_first("a") is not None:
            candidates.append((node, "related_box"))
            continue
        reason = _noise_reason(node)
        if reason is not None:
            candidates.append((node, reason))
    for node in body.css(",".join(_STRUCTURAL)):
        candidates.append((node, f"tag:{node.tag}"))
    for node in body.css("header"):
        if node.css_first("h1") is None or node.css_first("nav") is not None:
            candidates.append((node, "tag:header"))

    reasons = {n.mem_id: r for n, r in candidates}
    core = _core_ancestors(body)
    for node in _outermost([n for n, _ in candidates]):
        reason = reasons[node.mem_id]
        if reason != "hidden" and (
            node.mem_id in core or
            len(node.text(deep=True)) > 0.5 * total
            or prose_total and _prose_chars(node) > 0.4 * prose_total
        ):
            continue  # a wrapper of the article itself, whatever its class says
        if reason == "related_box":
            for anchor in node.css("a"):
                link = _link(anchor, url)
                if link is not None:
                    harvest.related.append(link)
        harvest.dropped.append(
            Rejection(stage="preclean", reason=reason, detail=_text(node)[:120] or None)
        )
        node.decompose()

    for node, link in _inline_related(scope, url):
        harvest.related.append(link)
        harvest.dropped.append(Rejection(stage="preclean", reason="related_link", detail=link.title))
        node.decompose()
    harvest.related = list({(r.title, r.url): r for r in harvest.related}.values())[:30]
    return harvest


def _between_paragraphs(node: LexborNode) -> bool:
    """Only links set among prose are related links; a page of links is a listing."""
    while node.parent is not None and _text(node.parent) == _text(node):
        node = node.parent
    prev, nxt = node.prev, node.next
    while prev is not None and not prev.is_element_node:
        prev = prev.prev
    while nxt is not None and not nxt.is_element_node:
        nxt = nxt.next
    return any(
        sib is not None and len(_text(sib).split()) >= 15 and sib.css_first("a") is None
        or sib is not None and len(_text(sib).split()) >= 25
        for sib in (prev, nxt)
    )
