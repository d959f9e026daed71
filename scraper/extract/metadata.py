"""Page metadata from JSON-LD, OpenGraph, meta tags and the article's own markup.

Sources are cross-checked rather than trusted one by one. The visible ``<h1>`` is the
headline when the head's titles or the URL agree with it (titles.py); the dateline and
byline printed next to that headline are read first, because they are what the page tells
its readers, and checked against JSON-LD, meta tags and the URL (pubdate.py, byline.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import jsonld
from scraper.extract._text import fold, has_descendant, squash
from scraper.extract.byline import Byline, printed_byline
from scraper.extract.dates import date_from_url, find_date, other_reading, parse_iso
from scraper.extract.people import byline_as_printed, clean_authors
from scraper.extract.pubdate import (
    choose_published,
    fallback_date,
    labelled_date,
    nearest_printed,
)
from scraper.extract.sitename import clean_site_name
from scraper.extract.titles import clean_title, plausible_headline


@dataclass
class Metadata:
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None


_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "publishdate", "publish-date", "publish_date", "pubdate",
    "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.created", "dc.date",
    "dcterms.date", "citation_publication_date", "citation_date", "date", "article.published",
    "originalpublicationdate", "article_date_original", "cxenseparse:recs:publishtime",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified",
    "dcterms.modified", "article.updated", "lastmod",
)  # fmt: skip
_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "citation_author",
    "byl",
    "dcterms.creator",
)
_BYLINE_SELECTORS = (
    '[rel="author"]', '[itemprop="author"] [itemprop="name"]', '[itemprop="author"]',
    '[itemtype$="schema.org/Person"] [itemprop="name"]',
    ".byline__name", ".author-name", ".byline a", ".byline", ".author a", ".author",
    "address.author", ".article-author", ".story-byline", '[class*="byline"]',
    '[data-testid*="byline"]', ".entry-author", ".post-author", ".contributor",
    '[class*="authorName"]', '[class*="AuthorName"]', '[class*="author-name"]',
    '[class*="autor"]', '[class*="auteur"]', '[class*="author"]', '[class*="Author"]',
)  # fmt: skip
_ANY_BYLINE = ", ".join(_BYLINE_SELECTORS)
MAX_H1S = 5
MAX_SIGNATURE_CHARS = 120  # "Von Ann Lee" closing a story; a longer paragraph is its text
_INLINE_TAGS = frozenset({"span", "a", "em", "strong", "b", "i", "u", "small", "font", "mark"})
# where the chosen title is shown, most likely first
_HEADING_SELECTORS = (
    "h1",
    "h2",
    "h3",
    '[itemprop="headline"], [class*="title"], [class*="headline"]',
    "h4, h5, h6",
)
_TAG_PATH = re.compile(
    r"/(?:tags?|topics?|schlagw(?:ö|oe)rter|thema|themen|etiquetas?|temas?|sujet|argomenti)/"
    r"[^/?#]+/?(?:[?#].*)?$|[?&]tags?=[^&#]+$",
    re.IGNORECASE,
)
# Few parts: each reads the scope once, and hands over once more an element it matches
# ("dateline" and "timestamp" are in "date" and "time").
_DATE_CLASSES = (
    '[class*="date" i], [class*="datum"], [class*="fecha"], [class*="published"],'
    ' [class*="posted-on"], [class*="time"]'
)
_SECTION_CLASSES = (
    '[class*="section"], [class*="kicker"], [class*="overline"], [class*="eyebrow"],'
    ' [class*="rubric"], [class*="ressort"]'
)
_SECTION_TOKEN = re.compile(
    r"(?:^|[\s_-])(?:section(?:-?(?:label|name|title|link))?|kicker|overline|eyebrow|rubri[ck]|"
    r"ressort)(?:$|\s)"
)
_LANG_RE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")


# What the page declares about itself, found in one pass over it (a lookup that finds nothing
# reads the whole page): meta tags, microdata values, JSON-LD scripts, the canonical link.
_DECLARED = (
    'meta, [itemprop][datetime], [itemprop][content], script[type="application/ld+json"], '
    'link[rel="canonical"]'
)


def _meta_map(nodes: list[LexborNode]) -> tuple[dict[str, str], list[str]]:
    """First value of every meta name/property/itemprop, keys lower-cased; and every
    article:tag value, in order (a key of many values). ``nodes``: the page's _DECLARED."""
    out: dict[str, str] = {}
    tags: list[str] = []
    for node in nodes:
        if node.tag != "meta":
            continue
        attrs = node.attributes
        content = attrs.get("content")
        if content and attrs.get("property") == "article:tag":
            tags.append(content)
        if content is None or not content.strip():
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                out.setdefault(key.strip().lower(), content.strip())
    # microdata outside <meta>: the first in document order is the article's, not a comment's
    for node in nodes:
        if node.tag == "meta":
            continue
        attrs = node.attributes
        key = (attrs.get("itemprop") or "").lower()
        value = attrs.get("datetime") or attrs.get("content")
        if key and value and value.strip():
            out.setdefault(key, value.strip())
    return out, tags


def _is(node: LexborNode, name: str, value: str) -> bool:
    """The attribute's value is ``value``, case folded as CSS does for ``type`` and ``rel``."""
    return (node.attributes.get(name) or "").lower() == value


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in meta:
            return meta[key]
    return None


def _html_lang(tree: LexborHTMLParser) -> str:
    html = tree.root
    return (html.attributes.get("lang") or "") if html is not None else ""


def _language(
    tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, Any] | None
) -> str | None:
    html = tree.root
    candidates = [
        html.attributes.get("lang") if html else None,
        html.attributes.get("xml:lang") if html else None,
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("language"),
        jsonld.text_of(ld.get("inLanguage")) if ld else None,
    ]
    for value in candidates:
        if value and (m := _LANG_RE.match(value.strip())) and len(m[1]) == 2:
            return m[1].lower()
    return None


def _resolve(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    resolved = urljoin(base, url) if base else url
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


# The page's <article>, its <main> and its <body>, looked up once: a lookup that finds
# nothing reads the whole page, and several readers below ask.
Scopes = tuple[LexborNode | None, LexborNode | None, LexborNode | None]


def _scopes(tree: LexborHTMLParser) -> Scopes:
    found = tree.css("article, main")  # one pass, in document order
    article = next((n for n in found if n.tag == "article"), None)
    return article, next((n for n in found if n.tag == "main"), None), tree.body


def _first_scope(scopes: Scopes) -> LexborNode | None:
    article, main, body = scopes
    return article or main or body


def _visible_h1s(scopes: Scopes) -> list[tuple[LexborNode, str]]:
    """<h1>s of two words or more, with their text, the article's first; a page may have a
    few (logo, widgets)."""
    found: list[tuple[LexborNode, str]] = []
    seen: set[int] = set()
    for scope in scopes:
        if scope is None:
            continue
        for node in scope.css("h1"):
            if node.mem_id in seen:
                continue
            text = squash(node.text(deep=True, separator=" ", strip=True))
            if text and len(text.split()) >= 2:
                seen.add(node.mem_id)
                found.append((node, text))
                if len(found) >= MAX_H1S:
                    return found
    return found


def _visible_h1(
    scopes: Scopes, candidates: list[str], url: str | None
) -> tuple[LexborNode, str] | None:
    """The first <h1> that is plausibly the headline, given the head's titles, and its text."""
    found = _visible_h1s(scopes)
    for node, text in found:
        if plausible_headline(text, candidates, url):
            return node, text
    return found[0] if found else None


def _heading(tree: LexborHTMLParser, title: str | None, h1: LexborNode | None) -> LexborNode | None:
    """The element showing the chosen title: the dateline and byline are printed next to it."""
    if title and tree.body is not None:
        key = fold(title)
        for selector in _HEADING_SELECTORS:
            for node in tree.body.css(selector):
                if fold(node.text(deep=True, separator=" ", strip=True)) == key:
                    return node
    return h1


def _in_sentence(node: LexborNode) -> bool:
    """Inside a paragraph of prose: someone the story is about, not who wrote it."""
    parent = node.parent
    while parent is not None and parent.tag in _INLINE_TAGS:
        parent = parent.parent
    if parent is None or parent.tag not in ("p", "li", "td", "blockquote"):
        return False
    return len(parent.text(deep=True, separator=" ", strip=True)) > MAX_SIGNATURE_CHARS


def _byline_names(scopes: Scopes, site_name: str | None, url: str | None) -> list[str]:
    """Names in the first kind of author-marked element found, the article's first."""
    for scope in scopes:
        if scope is None or scope.css_first(_ANY_BYLINE) is None:
            continue  # one pass over the scope instead of one per selector
        for selector in _BYLINE_SELECTORS:
            nodes: list[LexborNode] = scope.css(selector)
            texts = []
            if "Person" in selector:
                # a page names many people in Person microdata; the first one named outside
                # the story's sentences is its author, if any
                nodes = [n for n in nodes if not _in_sentence(n)][:1]
            for node in nodes[:6]:
                text = node.text(deep=True, separator=" ", strip=True)
                if node.tag == "meta":  # <meta itemprop="name" content="Ann Lee">
                    text = node.attributes.get("content") or ""
                if text and len(text) < 200:
                    texts.append(" ".join(text.split()))
            if texts:
                return clean_authors(texts, site_name=site_name, url=url)
    return []


def _logo_name(tree: LexborHTMLParser) -> str | None:
    """The site's logo says its name when no metadata does."""
    for selector in (
        'a[href="/"] img[alt]',
        '[class*="logo"] img[alt]',
        '[class*="logo"] amp-img[alt]',
        'a[href="/"] amp-img[alt]',
        "header img[alt]",
        '[itemprop="publisher"] [itemprop="name"]',
    ):
        node = tree.css_first(selector)
        attrs = node.attributes if node is not None else {}
        alt = " ".join((attrs.get("alt") or attrs.get("content") or "").split())
        if alt and 1 <= len(alt.split()) <= 6 and "logo" not in alt.lower():
            return alt
    return None


def _section_label(scopes: Scopes) -> str | None:
    """A kicker such as <div class="story__section"><a>Local News</a></div>."""
    scope = _first_scope(scopes)
    if scope is None:
        return None
    for node in scope.css(_SECTION_CLASSES)[:8]:
        names = (node.attributes.get("class") or "").lower()
        if not _SECTION_TOKEN.search(names) or has_descendant(node, "div, p, ul, li"):
            continue
        text = " ".join(node.text(deep=True, separator=" ", strip=True).split())
        if text and len(text.split()) <= 4:
            return text
    return None


def _tag_address(href: str) -> bool:
    """``href`` (lower-cased) names a tag page. Its words are looked for first, written out
    (most links hold none): "/thema" but not "/themen", a site's menu of its sections."""
    return (
        (
            "/t" in href
            and ("/tag" in href or "/topic" in href or "/tema" in href or "/thema" in href)
        )
        or "tag=" in href
        or "/schlagw" in href
        or "/etiqueta" in href
        or "/sujet" in href
        or "/argomenti" in href
    ) and _TAG_PATH.search(href) is not None


def _tag_links(tree: LexborHTMLParser) -> list[str]:
    """Links to tag pages: rel=tag (not category) or a /tag/ or /topics/ path.

    Every link is tested here, once: narrowing them in C with one selector per path word
    read the whole page once per word, and handed a link over once per word it held.
    """
    tags: list[str] = []
    for anchor in tree.css("a"):
        attrs = anchor.attributes
        rel = (attrs.get("rel") or "").lower().split()
        if rel:
            if "tag" not in rel or "category" in rel:
                continue
        elif not _tag_address((attrs.get("href") or "").lower()):
            continue
        text = " ".join(anchor.text(deep=True, separator=" ", strip=True).split())
        if text and len(text.split()) <= 6 and not text.startswith("#"):
            tags.append(text)
    return tags[:30]


def _time_element(scopes: Scopes) -> str | None:
    """A <time datetime> in the article, else a date-classed element's text."""
    scope = _first_scope(scopes)
    if scope is None:
        return None
    for node in scope.css("time[datetime]"):
        value = parse_iso(node.attributes.get("datetime") or "")
        if value:
            return value
    for node in scope.css(_DATE_CLASSES)[:5]:
        text = node.text(deep=True, separator=" ", strip=True)
        if text and len(text) < 120 and (value := find_date(text)):
            return value
    return None


def _published(
    tree: LexborHTMLParser,
    scopes: Scopes,
    meta: dict[str, str],
    ld: dict[str, Any],
    heading: LexborNode | None,
    url: str | None,
    canonical: str | None,
    titles: list[str],
) -> str | None:
    """The printed dateline, JSON-LD, meta tags and the URL, cross-checked (see pubdate)."""
    # "3/5/2022" is March 5th on a US page, 3 May elsewhere
    locale = f"{_html_lang(tree)} {meta.get('og:locale', '')}".lower().replace("_", "-")
    mdy = "en-us" in locale
    printed = nearest_printed(heading, mdy=mdy) if heading is not None else None
    raws = [
        raw
        for raw in (
            jsonld.text_of(ld.get("datePublished")),
            _first(meta, _PUBLISHED_META),
            _time_element(scopes),
            jsonld.text_of(ld.get("dateCreated")),
        )
        if raw
    ]
    structured = [value for raw in raws if (value := parse_iso(raw))]
    # "11/01/2023": day or month first? The page's labelled date decides.
    other = other_reading(raws[0]) if printed is None and raws else None
    if other is not None and labelled_date(tree, mdy) == other:
        structured = [other]
    url_date = date_from_url(url) or date_from_url(canonical)
    return choose_published(printed, structured, url_date) or fallback_date(
        tree, titles, url, mdy=mdy
    )


def _authors(
    scopes: Scopes,
    meta: dict[str, str],
    ld: dict[str, Any],
    index: dict[str, dict[str, Any]],
    heading: LexborNode | None,
    site_name: str | None,
    url: str | None,
) -> list[str]:
    """People named by JSON-LD, else the byline by the headline, else meta tags, else any
    author-marked element; a byline naming only a desk or an organisation comes last.

    A JSON-LD author given by reference ({"@id": ...}, as SEO plugins write it) is the
    account that posted the page, and defers to the printed byline.
    """
    author = ld.get("author")
    ld_raw = jsonld.names_of(author) if author else []
    ld_ref = jsonld.names_of(author, index) if author and not ld_raw else []
    meta_author = _first(meta, _AUTHOR_META)
    meta_raw = [meta_author] if meta_author and not meta_author.startswith("http") else []
    if names := clean_authors(ld_raw, site_name=site_name, url=url, handles=True):
        return names
    printed = printed_byline(heading, site_name=site_name, url=url) if heading else Byline()
    if printed.names:
        return printed.names
    for declared in (ld_ref, meta_raw):
        if names := clean_authors(declared, site_name=site_name, url=url, handles=True):
            return names
    if names := _byline_names(scopes, site_name, url):
        return names
    # A wire story credited only to its agency or desk ("dpa", "Reuters") keeps that
    # credit; the site's own name is never an author.
    for raw in (printed.raw, *ld_raw, *meta_raw):
        byline = byline_as_printed(raw, site_name=site_name, url=url) if raw else None
        if byline and not (site_name and fold(byline) == fold(site_name)):
            return [byline]
    return []


def extract_metadata(tree: LexborHTMLParser, url: str | None) -> Metadata:
    declared = tree.css(_DECLARED)
    meta, meta_tags = _meta_map(declared)
    objects = jsonld.load_objects(
        [n for n in declared if n.tag == "script" and _is(n, "type", "application/ld+json")]
    )
    ld = jsonld.article_object(objects) or {}
    publisher = jsonld.text_of(ld.get("publisher"))
    title_node = tree.css_first("head title") or tree.css_first("title")
    page_title = title_node.text(strip=True) if title_node else None
    candidates = [
        c
        for c in (
            jsonld.text_of(ld.get("headline")),
            meta.get("og:title"),
            meta.get("twitter:title"),
            page_title,
        )
        if c
    ]
    scopes = _scopes(tree)
    h1, raw_title = _visible_h1(scopes, candidates, url) or (None, None)
    known = [*candidates, raw_title or ""]
    site_name = (
        clean_site_name(meta.get("og:site_name"), known)
        or clean_site_name(meta.get("application-name"), known)
        or clean_site_name(publisher, known)
        or clean_site_name(_logo_name(tree), known)
    )

    title = clean_title(raw_title, candidates, site_name, url, page_title=page_title)

    canonical = None
    link = next((n for n in declared if n.tag == "link" and _is(n, "rel", "canonical")), None)
    if link is not None:
        canonical = _resolve(link.attributes.get("href"), url)
    canonical = canonical or _resolve(meta.get("og:url"), url)

    heading = _heading(tree, title, h1)
    published = _published(tree, scopes, meta, ld, heading, url, canonical, candidates)
    modified = None
    for raw in (jsonld.text_of(ld.get("dateModified")), _first(meta, _MODIFIED_META)):
        if raw and (modified := parse_iso(raw)):
            break

    authors = _authors(scopes, meta, ld, jsonld.by_id(objects), heading, site_name, url)
    if site_name:
        # "BY: Beachbody" on The Beachbody Blog is the publisher, not a person (a blog
        # named after its author keeps the author: a person's name has two words)
        site_key = fold(site_name)
        authors = [a for a in authors if " " in a.strip() or fold(a) not in site_key]

    description = (
        meta.get("og:description")
        or meta.get("description")
        or meta.get("twitter:description")
        or jsonld.text_of(ld.get("description"))
    )
    section = (
        jsonld.text_of(ld.get("articleSection"))
        or meta.get("article:section")
        or meta.get("articlesection")
        or _section_label(scopes)
    )
    tags = jsonld.strings_of(ld.get("keywords")) or meta_tags
    if not tags and (news_keywords := meta.get("news_keywords")):
        tags = [t.strip() for t in news_keywords.split(",") if t.strip()]
    tags = tags or _tag_links(tree)
    image = _resolve(meta.get("og:image") or jsonld.text_of(ld.get("image")), url)
    if image is None and isinstance(ld.get("image"), dict | list):
        image_obj = ld["image"][0] if isinstance(ld["image"], list) else ld["image"]
        if isinstance(image_obj, dict):
            image = _resolve(str(image_obj.get("url") or ""), url)
        elif isinstance(image_obj, str):
            image = _resolve(image_obj, url)

    return Metadata(
        title=title,
        description=" ".join(description.split()) if description else None,
        authors=authors,
        published=published,
        modified=modified,
        language=_language(tree, meta, ld),
        site_name=" ".join(site_name.split()) if site_name else None,
        canonical_url=canonical,
        section=" ".join(section.split()) if section else None,
        tags=list(dict.fromkeys(" ".join(t.split()) for t in tags if t.strip()))[:50],
        image=image,
    )
