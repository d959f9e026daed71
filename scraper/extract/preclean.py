"""DOM pre-cleaning with selectolax, before the main-content extractor sees the page.

Removing widgets here is cheaper than in lxml and, more important, the DOM
still says what a block *is* (a share bar, a caption, a related-links box);
as flat text later, that knowledge is gone. What noise carries (captions,
credits, related links) is harvested before the node is dropped.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract._text import alternation, fold, outermost, squash
from scraper.extract.media import figure_image
from scraper.extract.noise import is_prose
from scraper.extract.related import RELATED_BOX, harvest_related
from scraper.models import Drop, Image, RelatedLink

_JUNK = ", ".join((
    "script", "style", "iframe", "svg", "canvas", "template", "object", "embed",
    "video", "audio", "source", "track", "input", "select", "textarea", "button", "map",
    "dialog", "link", "meta",
))  # fmt: skip
_STRUCTURAL = ("nav", "aside", "footer", "menu")
_STRUCTURAL_OR_HEADER = ", ".join((*_STRUCTURAL, "header"))
NOSCRIPT_CHARS = 2000  # a fallback message or pixel is short; more is the page itself
_EXACT_TOKENS = {
    "share", "shares", "sharing", "social", "socials", "comment", "comments", "respond",
    "newsletter", "subscribe", "subscription", "signup", "cookie", "cookies", "consent", "gdpr",
    "advert", "advertisement", "ads", "ad", "adslot", "adunit", "dfp", "gpt", "sponsor",
    "sponsored", "promo", "promotion", "promoted", "related", "recirc", "recirculation",
    "readmore", "popular", "trending", "mostread", "breadcrumb", "breadcrumbs", "tags",
    "taglist", "tagcloud", "keywords", "byline", "bio", "dateline", "timestamp", "caption",
    "captions", "credit", "credits", "skip", "skiplink", "sr", "menu", "navbar", "nav",
    "navigation", "sidebar", "widget", "widgets", "footer", "modal", "popup", "overlay",
    "paywall", "toolbar", "utility", "outbrain", "taboola", "rail", "pagination", "pager",
    "meta", "topics", "follow", "print", "masthead", "banner", "subnav", "teaser", "teasers",
    "more", "disclaimer", "newsletters", "signin", "login", "donate", "donation", "survey",
    "poll", "correction", "playlist", "author", "authors",
    # the same furniture in the languages we cover
    "compartir", "teilen", "partager", "condividi", "delen", "comentarios", "comentario",
    "kommentare", "kommentar", "commentaires", "commentaire", "commenti", "reacties",
    "publicidad", "anuncio", "anuncios", "werbung", "anzeige", "publicite", "pubblicita",
    "herramientas", "navegacion", "pie", "fusszeile", "rodape",
}  # fmt: skip
_PREFIX_TOKENS = (
    "share", "social", "comment", "newsletter", "advert", "cookie", "related", "recommend",
    "sponsor", "breadcrumb", "taboola", "outbrain", "disqus", "paywall", "sharedaddy",
    "addtoany", "a2a", "shareaholic", "screenreader", "visuallyhidden", "sronly", "byline",
    "promo", "trending", "mostpopular", "mostread", "readmore", "readalso",
    "alsoread", "moreon", "morefrom", "moreon", "authorbio", "authorbox", "aboutauthor",
)  # fmt: skip
_NOISE_ROLES = {
    "navigation",
    "banner",
    "complementary",
    "contentinfo",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "search",
    "toolbar",
}
# Named for boxes of links to other pages; without a link, the same name marks the
# article's own lede ("article-teaser", "teaser-text").
_LINK_WIDGETS = frozenset({"related_box", "class:teaser", "class:teasers"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# The first class or id token (tokens split at whitespace, "_", "-" and ":") that is
# furniture by name: one of _EXACT_TOKENS, or one that starts with a _PREFIX_TOKENS entry.
_FURNITURE_TOKEN = re.compile(
    r"(?<![^\s_\-:])(?:(?:"
    + alternation(_EXACT_TOKENS)
    + r")(?![^\s_\-:])|(?:"
    + alternation(_PREFIX_TOKENS)
    + r")[^\s_\-:]*)"
)
_LANDMARKS = 'article, main, [role="main"]'
_PROTECTED_TAGS = {"html", "body", "main", "article"}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


ROOT_SHARE = 0.8
# Names of a summary under the headline. "dek" only as a word of its own, in a second pattern
# tried only when the letters are there: a lookbehind in the alternation slows every search.
_STANDFIRST_WORDS = re.compile(
    alternation(
        """standfirst sumario summary subtitle sub-title subhead deck lede intro teaser excerpt
        abstract strapline chapo chapeau vorspann entradilla bajada sottotitolo descr""".split()  # noqa: SIM905
    )
)
_DEK = re.compile(r"(?<![^\W_])dek(?![^\W_])")


def _standfirst_named(names: str) -> bool:
    """``names`` lower-cased: named as the summary under the headline."""
    return bool(_STANDFIRST_WORDS.search(names) or ("dek" in names and _DEK.search(names)))


STORY_P_SHARE = 0.75
STORY_PARAGRAPH_CHARS = 150
# Widgets full of prose that is still not the article: readers' comments, teaser boxes.
_ALWAYS_NOISE = (
    "class:comment",
    "class:respond",
    "class:disqus",
    "class:kommentar",
    "class:comentario",
    "class:commentaire",
    "class:commenti",
    "class:reacties",
    "related_box",
    "role:dialog",
    "role:alertdialog",
)
# A story body's own children: its paragraphs, subheads, quotes and lists.
_STORY_CHILDREN = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre"})
STORY_TEXT_SHARE = 0.8
LEDE_TEXT_SHARE = 0.8
MAX_LEDE_CHARS = 1200  # a lede runs a paragraph or two; more is the story itself
_LEAD_NAME = re.compile(r"(?<![a-z])(?:lead|preface|chapo)(?![a-z])")
_LEDE_TAGS = frozenset({"p", "h2", "h3"})
_LEDE_SELECTOR = ", ".join(sorted(_LEDE_TAGS))
DESCEND_SHARE = 0.92
# The story's container under wrappers that also hold widgets: half the prose or more, with
# at most this much prose in any one element beside it, and this much unread above it.
WRAPPED_SHARE = 0.5
WIDGET_PROSE_CHARS = 600
UNREAD_ABOVE_CHARS = 80
_PLAIN = frozenset({"p", "li", "blockquote"})


@dataclass
class Harvest:
    """What pre-cleaning lifted out of the page instead of throwing away."""

    images: list[Image] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    dropped: list[Drop] = field(default_factory=list)
    root: LexborNode | None = None  # the container that holds the article, if one clearly does
    story: LexborNode | None = None  # the story's container when it is plain paragraphs
    lead: list[LexborNode] = field(default_factory=list)  # lede paragraphs set above the story
    # (or above the root: they come before it in the text the extractor is given)
    root_prose: int = 0  # characters of non-link text in the root


def _noise_reason(node: LexborNode) -> tuple[str | None, bool]:
    """Why the node is furniture (None: it is not), and whether it is named as a summary."""
    attrs = node.attributes
    get = attrs.get
    ident = get("id")
    # the tag matters for a heading's id only: asking for it costs (tens of thousands a page)
    verdict = _names_verdict(get("class"), ident, ident is not None and node.tag in _HEADINGS)
    if "style" in attrs or "role" in attrs or "hidden" in attrs or "aria-hidden" in attrs:
        # rarer marks, heard before the names
        if "hidden" in attrs or get("aria-hidden") == "true":
            return "hidden", verdict[1]
        style = get("style")
        if style and _hidden_style(style):
            return "hidden", verdict[1]
        role = get("role")
        if role and (lowered := role.lower()) in _NOISE_ROLES:
            return f"role:{lowered}", verdict[1]
    return verdict


@functools.lru_cache(maxsize=4096)
def _hidden_style(style: str) -> bool:
    return bool(_HIDDEN_STYLE.search(style))


@functools.lru_cache(maxsize=8192)
def _names_verdict(cls: str | None, ident: str | None, heading: bool) -> tuple[str | None, bool]:
    """A node's class and id judged once per distinct pair (pages repeat them a lot): its
    noise reason, and whether it is named as a summary."""
    both = f"{cls or ''} {ident or ''}".lower()  # no pattern spans a space
    # a heading's id is an anchor made of its words
    names = (cls or "").lower() if heading and ident else both
    return _names_reason(names), _standfirst_named(both)


def _names_reason(names: str) -> str | None:
    """``names`` lower-cased: a related-links box, else the first furniture token."""
    if RELATED_BOX.search(names):
        return "related_box"
    token = _FURNITURE_TOKEN.search(names)
    return f"class:{token.group()}" if token else None


def _text(node: LexborNode) -> str:
    return squash(node.text(deep=True, separator=" ", strip=True))


def _in_furniture(node: LexborNode) -> bool:
    """Inside a sidebar, header or footer: a thumbnail, not the article's image."""
    parent = node.parent
    while parent is not None:
        if parent.tag in ("aside", "nav", "footer"):
            return True
        if parent.tag == "header" and parent.css_first("h1") is None:
            return True  # the page's header; an article's header holds its h1
        parent = parent.parent
    return False


def _says(node: LexborNode, key: str) -> bool:
    """The node's text is the page's description (``key``, folded): with a summary's name,
    the standfirst."""
    text = node.text(deep=True)
    return len(key) <= len(text) <= 2 * len(key) + 40 and fold(text) == key


def _under(node: LexborNode, ids: set[int]) -> bool:
    """An ancestor of ``node`` is one of the elements ``ids`` names."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _holds_story(node: LexborNode, text_chars: int) -> bool:
    """Two or more long paragraphs that are not links: article text, not a widget.
    ``text_chars``, the node's text length, rules out most nodes before a query."""
    if text_chars < 2 * STORY_PARAGRAPH_CHARS:
        return False
    found = 0
    for paragraph in node.css("p"):
        text = paragraph.text(deep=True)
        if len(text) < STORY_PARAGRAPH_CHARS:
            continue
        links = sum(len(a.text(deep=True)) for a in paragraph.css("a"))
        if links < 0.2 * len(text):
            found += 1
            if found >= 2:
                return True
    return False


def _is_figure(node: LexborNode) -> bool:
    """An image with at most a caption's worth of text: safe to lift out whole."""
    if node.tag == "figure":
        return node.css_first("table") is None  # a table set in a figure is data, not a picture
    if node.tag in _PROTECTED_TAGS or node.css_first("img") is None:
        return False
    return len(node.text(deep=True).split()) <= 80 and node.css_first("p + p") is None


def _core_ancestors(body: LexborNode) -> set[int]:
    """Ids of the ancestors of the longest paragraph: containers that hold the article."""
    best: LexborNode | None = None
    best_len = 0
    marked: list[LexborNode | None] = []
    for node in body.css('p, [itemprop="articleBody"]'):  # one pass over the page
        if node.attributes.get("itemprop") == "articleBody":
            marked.append(node)
        if node.tag != "p":
            continue
        n = len(node.text(deep=True))
        if n > best_len:
            best, best_len = node, n
    ids: set[int] = set()
    starts: list[LexborNode | None] = [best.parent] if best is not None else []
    starts += marked
    for cur in starts:
        while cur is not None:
            ids.add(cur.mem_id)
            cur = cur.parent
    return ids


def _prose_chars(node: LexborNode, text: int | None = None) -> int:
    """Characters of text outside links: where the article is, whatever its markup.
    ``text``, the node's text length when known, bounds it from above."""
    if text is None:
        text = len(node.text(deep=True, separator=" ", strip=True))
    links = sum(len(a.text(deep=True, separator=" ", strip=True)) for a in node.css("a"))
    return max(text - links, 0)


def _scope(landmarks: list[LexborNode], main: LexborNode | None) -> LexborNode | None:
    """The longest <article>, else <main>, else the first role=main element."""
    articles = [node for node in landmarks if node.tag == "article"]
    if articles:
        return max(articles, key=lambda n: len(n.text(deep=True)))
    return main or next((n for n in landmarks if n.attributes.get("role") == "main"), None)


def preclean(tree: LexborHTMLParser, url: str | None, *, description: str | None = None) -> Harvest:
    """Strip junk, widgets and hidden nodes in place; return what they carried."""
    harvest = Harvest()
    for node in tree.css(_JUNK):  # one pass, not strip_tags' one per tag
        node.decompose(recursive=False)  # as strip_tags: out of the tree, whatever is inside
    for node in tree.css("noscript"):
        if len(node.text(deep=True)) > NOSCRIPT_CHARS:
            node.unwrap()  # left open ("<noscript><div></noscript>"), it took in the page
        else:
            node.decompose()
    body = tree.body
    if body is None:
        return harvest
    # one pass over the page for <article>, <main> and role=main, in document order
    landmarks = tree.css(_LANDMARKS)
    main = next((node for node in landmarks if node.tag == "main"), None)
    scope = _scope(landmarks, main) or body
    related, inline_units = harvest_related(scope, url)
    harvest.related = related
    for node in inline_units:
        harvest.dropped.append(Drop("preclean", "related_link", _text(node)[:120]))
        node.decompose()

    figures = (main or body).css(
        'figure, [class*="wp-caption"], [class*="image-wrap"], [class*="photo"], [class*="media"]'
    )
    for figure in outermost([f for f in figures if _is_figure(f) and not _in_furniture(f)]):
        image = figure_image(figure, url)
        if image is not None:
            harvest.images.append(image)
            if image.caption:
                harvest.captions.append(image.caption)
        figure.decompose()
    for node in outermost(body.css("figcaption, [class*=caption], [class*=Caption]")):
        text = _text(node)
        if text and node.tag not in _PROTECTED_TAGS and len(text.split()) <= 80:
            harvest.captions.append(text)
            node.decompose()

    total = max(len(body.text(deep=True)), 1)
    prose_total = max(_prose_chars(body), 1)
    core = _core_ancestors(body)

    def kept(node: LexborNode, reason: str, text: str) -> bool:
        """A candidate that stays: a wrapper of the article, or most of the page's text."""
        if node.mem_id in core:
            return True  # a wrapper of the article itself, whatever its class says
        if len(text) > 0.5 * total or (
            len(text) > 0.4 * prose_total and _prose_chars(node) > 0.4 * prose_total
        ):
            return True
        # paragraphs of prose: a class name is weaker evidence than the text
        return not reason.startswith(_ALWAYS_NOISE) and _holds_story(node, len(text))

    # Navigation, asides and footers go first, whole: what they hold is gone with them, and
    # need not be judged name by name below (a third of a page's named elements).
    headers: list[LexborNode] = []
    structural: list[LexborNode] = []
    for node in body.css(_STRUCTURAL_OR_HEADER):  # one pass over the page
        (headers if node.tag == "header" else structural).append(node)
    # The page's header goes; an article's own header (headline, lede) stays. Judged before
    # the navigation it may hold goes; one inside navigation goes or stays with it.
    boxes = {node.mem_id for node in structural}
    page_headers = [
        (node, "tag:header")
        for node in headers
        if not _under(node, boxes)
        and node.css_first("h1") is None
        and (node.css_first("nav") is not None or not _under(node, {scope.mem_id}))
    ]
    # one that stays is a candidate again below, so what it holds is spared the names' verdicts
    standing: list[tuple[LexborNode, str]] = []
    for node in outermost(structural):
        tag = f"tag:{node.tag}"
        text = node.text(deep=True)
        if kept(node, tag, text):
            standing.append((node, tag))
        else:
            _drop(harvest, node, tag, text)
    candidates: list[tuple[LexborNode, str]] = []
    summary_key = fold(description) if description else ""
    linkless: list[tuple[LexborNode, str]] = []
    seen = -1
    verdict: tuple[str | None, bool] = (None, False)
    for node in body.css("[class], [id], [role], [aria-hidden], [hidden], [style]"):
        # the selector hands a node over once per part it matches, one after the other
        if (node_id := node.mem_id) != seen:
            seen, verdict = node_id, _noise_reason(node)
        reason, named = verdict
        if reason is None:
            if named and summary_key and _says(node, summary_key):
                # the summary under the headline belongs in ``description``, not the body
                candidates.append((node, "standfirst"))
            continue
        if node.tag in _PROTECTED_TAGS:
            continue
        if reason not in _LINK_WIDGETS or node.css_first("a") is not None:
            candidates.append((node, reason))
        elif named and summary_key and _says(node, summary_key):
            candidates.append((node, "standfirst"))
        else:
            linkless.append((node, reason))
    # one linkless "teaser" is the article's lede; a row of them sums up other stories
    rows = Counter(n.attributes.get("class") for n, _ in linkless)
    for node, reason in linkless:
        cls = node.attributes.get("class")
        if rows[cls] > 1:
            candidates.append((node, reason))
        elif cls is not None:
            del node.attrs["class"]  # extractors that go by class names would drop it
    candidates += standing + page_headers

    reasons = {n.mem_id: r for n, r in candidates}
    for node in outermost([n for n, _ in candidates]):
        reason = reasons[node.mem_id]
        text = node.text(deep=True)
        if not kept(node, reason, text):
            _drop(harvest, node, reason, text)

    root, harvest.root_prose = _content_root(tree, body)
    harvest.root = root
    above = _ledes(_elements(root.prev, backward=True)[::-1]) if root is not body else []
    # The story's own container, if it is plain paragraphs, can be read without an extractor.
    story, lead = _descend(root, harvest.root_prose)
    if story is not body and _is_story_text(story):
        harvest.story = story
        harvest.lead = above + lead
    else:
        # the extractor will pick the body's own container: ledes set apart in the root
        # (an "intro", a "chapo") come from here
        inner = _named_ledes(root) if root is not body else []
        harvest.lead = above + inner
    return harvest


def _drop(harvest: Harvest, node: LexborNode, reason: str, text: str) -> None:
    """``node`` out of the tree, its start (``text``) on the record."""
    harvest.dropped.append(Drop("preclean", reason, squash(text[:400])[:120]))
    node.decompose()


def _is_story_text(node: LexborNode) -> bool:
    """Mostly text in <p> elements and little of it in links: a story, not a list or a thread."""
    text = len(node.text(deep=True, separator=" ", strip=True))
    if text == 0:
        return False
    in_paragraphs = 0
    child = node.child
    while child is not None:
        if child.tag in _STORY_CHILDREN:
            in_paragraphs += len(child.text(deep=True, separator=" ", strip=True))
        child = child.next
    return in_paragraphs >= STORY_P_SHARE * text and _prose_chars(node) >= STORY_TEXT_SHARE * text


def _content_root(tree: LexborHTMLParser, body: LexborNode) -> tuple[LexborNode, int]:
    """The narrowest container holding most of the page's prose, and its prose characters.

    Handing the main-content extractor this subtree instead of the whole page
    is faster (a smaller tree to parse and score) and leaves it less to get wrong.
    """
    total = _prose_chars(body)
    if total == 0:
        return body, 0
    # one pass over the page for the four kinds of landmark, tried in this order
    found = tree.css('[itemprop="articleBody"], article, main, [role="main"]')
    kinds = (
        [n for n in found if n.attributes.get("itemprop") == "articleBody"],
        [n for n in found if n.tag == "article"],
        [n for n in found if n.tag == "main"],
        [n for n in found if n.attributes.get("role") == "main"],
    )
    for nodes in kinds:
        if not nodes:
            continue
        node = max(nodes, key=lambda n: len(n.text(deep=True)))
        text = len(node.text(deep=True, separator=" ", strip=True))
        if text >= ROOT_SHARE * total and (prose := _prose_chars(node, text)) >= ROOT_SHARE * total:
            return node, prose
    return body, total


def _descend(node: LexborNode, prose: int) -> tuple[LexborNode, list[LexborNode]]:
    """Step down while one child holds nearly all of the prose: author boxes, comments
    and teaser rails beside the story's own container are left behind.

    A lede set in its own element just above that container (a standfirst, the free
    paragraphs before a paywalled block) is text of the article too: it comes back
    as the second value, in reading order.
    """
    lead: list[LexborNode] = []
    while True:
        child = node.child
        best: LexborNode | None = None
        before: list[LexborNode] = []
        while child is not None:
            if child.is_element_node:
                # most children are short: their text settles it before their links are read
                text = len(child.text(deep=True, separator=" ", strip=True))
                if (
                    text >= DESCEND_SHARE * prose
                    and (child_prose := _prose_chars(child, text)) >= DESCEND_SHARE * prose
                ):
                    best = child
                    break
                before.append(child)
            child = child.next
        if best is None and (inner := _through_wrappers(node, prose)) is not None:
            return inner[0], lead + inner[1]
        if best is None or best.tag in ("p", "li", "blockquote"):
            return node, lead
        lead.extend(_ledes(before))
        node, prose = best, child_prose  # nearly all of its parent's prose, level by level


def _elements(first: LexborNode | None, *, backward: bool = False) -> list[LexborNode]:
    """The elements from `first` on along its siblings, text and comments skipped."""
    out: list[LexborNode] = []
    node = first
    while node is not None:
        if node.is_element_node:
            out.append(node)
        node = node.prev if backward else node.next
    return out


def _through_wrappers(node: LexborNode, prose: int) -> tuple[LexborNode, list[LexborNode]] | None:
    """The story's own container one or two levels down, beside an author box, a short
    thread or a teaser row, with the ledes set above it; None unless what sits beside it is
    no more than such widgets (then the extractor decides)."""
    best: LexborNode | None = None
    best_prose = 0
    path: list[LexborNode] = []
    least = WRAPPED_SHARE * prose
    for child in _elements(node.child):
        if child.tag in _PLAIN or len(child.text(deep=True, separator=" ", strip=True)) < least:
            continue
        for cand, via in [(child, [child]), *((g, [child, g]) for g in _elements(child.child))]:
            if cand.tag in _PLAIN or (_noise_reason(cand)[0] or "").startswith(_ALWAYS_NOISE):
                continue  # a thread of comments can outgrow the story
            text = len(cand.text(deep=True, separator=" ", strip=True))
            if text < least or text <= best_prose:
                continue
            cand_prose = _prose_chars(cand, text)
            if cand_prose >= least and cand_prose > best_prose and _is_story_text(cand):
                best, best_prose, path = cand, cand_prose, via
    if best is None:
        return None
    lead: list[LexborNode] = []
    parent = node
    for step in path:
        above = True
        for sibling in _elements(parent.child):
            if sibling.mem_id == step.mem_id:
                above = False
            elif above:
                ledes = _ledes([sibling])
                left = _prose_chars(sibling) - sum(_prose_chars(n) for n in ledes)
                if left > UNREAD_ABOVE_CHARS:
                    if not _lede_names(sibling.attributes.get("class") or ""):
                        return None  # text above the story that is neither lede nor furniture
                    ledes = [sibling]  # an "intro" set as bare text
                lead.extend(ledes)
            elif _prose_chars(sibling) > WIDGET_PROSE_CHARS:
                return None  # more than a widget's prose below or beside the story
        parent = step
    return best, lead


def _named_ledes(root: LexborNode) -> list[LexborNode]:
    """Elements named as a lede or summary inside ``root`` that read as prose."""
    named = [n for n in root.css("[class]") if _lede_names(n.attributes.get("class") or "")]
    found: list[LexborNode] = []
    boxes = outermost(named)
    names = Counter(n.attributes.get("class") for n in boxes)
    for node in boxes:
        if names[node.attributes.get("class")] > 1:
            continue  # one of a row: summaries of other stories
        text = squash(node.text(deep=True, separator=" "))
        if (
            is_prose(text)
            and len(text) <= MAX_LEDE_CHARS
            and not text.endswith(("...", "…"))  # cut short: a teaser's summary
            and _prose_chars(node) >= LEDE_TEXT_SHARE * len(text)
        ):
            found.append(node)
    return found


@functools.lru_cache(maxsize=4096)
def _lede_names(names: str) -> bool:
    names = names.lower()
    return bool(_standfirst_named(names) or _LEAD_NAME.search(names))


def _ledes(siblings: list[LexborNode]) -> list[LexborNode]:
    """Paragraphs of prose (a sentence or more, few links) among the story's elder siblings."""
    found: list[LexborNode] = []
    for sibling in siblings:
        nodes = [sibling] if sibling.tag in _LEDE_TAGS else sibling.css(_LEDE_SELECTOR)
        for node in nodes:
            text = squash(node.text(deep=True, separator=" "))
            if is_prose(text) and _prose_chars(node) >= LEDE_TEXT_SHARE * len(text):
                found.append(node)
    return outermost(found)
