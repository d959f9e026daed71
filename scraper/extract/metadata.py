"""Page metadata from JSON-LD, OpenGraph, meta tags and the article's own markup.

Sources are cross-checked rather than trusted one by one: JSON-LD and
OpenGraph are preferred for dates and names, the visible ``<h1>`` for the
headline, and bylines are cleaned of "By", roles and site names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import jsonld
from scraper.extract._text import fold, has_descendant, squash
from scraper.extract.dates import date_from_url, find_date, parse_iso
from scraper.extract.people import clean_authors
from scraper.extract.titles import clean_title


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
    ".byline__name", ".author-name", ".byline a", ".byline", ".author a", ".author",
    "address.author", ".article-author", ".story-byline", '[class*="byline"]',
    '[data-testid*="byline"]', ".entry-author", ".post-author", ".contributor",
    '[class*="authorName"]', '[class*="AuthorName"]', '[class*="author-name"]',
    '[class*="autor"]', '[class*="auteur"]', '[class*="author"]', '[class*="Author"]',
)  # fmt: skip
_TAG_PATH = re.compile(
    r"/(?:tags?|topics?|schlagw(?:ö|oe)rter|thema|themen|etiquetas?|temas?|sujet|argomenti)/"
    r"[^/?#]+/?(?:[?#].*)?$|[?&]tags?=[^&#]+$",
    re.IGNORECASE,
)
_DATE_CLASSES = (
    '[class*="date"], [class*="Date"], [class*="datum"], [class*="fecha"], [class*="published"],'
    ' [class*="dateline"], [class*="timestamp"], [class*="posted-on"], [class*="time"]'
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


def _meta_map(tree: LexborHTMLParser) -> dict[str, str]:
    """First value of every meta name/property/itemprop, keys lower-cased."""
    out: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if content is None or not content.strip():
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                out.setdefault(key.strip().lower(), content.strip())
    for node in tree.css("[itemprop][datetime], time[itemprop]"):
        key = (node.attributes.get("itemprop") or "").lower()
        value = node.attributes.get("datetime") or node.attributes.get("content")
        if key and value:
            out.setdefault(key, value)
    return out


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in meta:
            return meta[key]
    return None


def _language(
    tree: LexborHTMLParser, meta: dict[str, str], ld: dict[str, Any] | None
) -> str | None:
    html = tree.css_first("html")
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


def _visible_h1(tree: LexborHTMLParser) -> LexborNode | None:
    scopes = [tree.css_first("article"), tree.css_first("main"), tree.body]
    for scope in scopes:
        if scope is None:
            continue
        for node in scope.css("h1"):
            text = node.text(deep=True, separator=" ", strip=True)
            if text and len(text.split()) >= 2:
                return node
    return None


def _heading(tree: LexborHTMLParser, title: str | None, h1: LexborNode | None) -> LexborNode | None:
    """The element showing the chosen title: the dateline and byline are printed next to it."""
    if title and tree.body is not None:
        key = fold(title)
        for node in tree.body.css("h1, h2, h3"):
            if fold(node.text(deep=True, separator=" ", strip=True)) == key:
                return node
    return h1


def _byline_names(tree: LexborHTMLParser) -> list[str]:
    """Byline texts, looked for in the article first, then ever wider."""
    for scope in (tree.css_first("article"), tree.css_first("main"), tree.body):
        if scope is None:
            continue
        for selector in _BYLINE_SELECTORS:
            nodes: list[LexborNode] = scope.css(selector)
            texts = []
            for node in nodes[:6]:
                text = node.text(deep=True, separator=" ", strip=True)
                if text and len(text) < 200:
                    texts.append(" ".join(text.split()))
            if texts:
                return texts
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


def _section_label(tree: LexborHTMLParser) -> str | None:
    """A kicker such as <div class="story__section"><a>Local News</a></div>."""
    scope = tree.css_first("article") or tree.css_first("main") or tree.body
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


def _tag_links(tree: LexborHTMLParser) -> list[str]:
    """Links to tag pages: rel=tag (not category) or a /tag/ or /topics/ path."""
    tags: list[str] = []
    for anchor in tree.css("a[href]"):
        rel = (anchor.attributes.get("rel") or "").lower().split()
        href = anchor.attributes.get("href") or ""
        if ("tag" in rel and "category" not in rel) or (not rel and _TAG_PATH.search(href)):
            text = " ".join(anchor.text(deep=True, separator=" ", strip=True).split())
            if text and len(text.split()) <= 6 and not text.startswith("#"):
                tags.append(text)
    return tags[:30]


def _time_element(tree: LexborHTMLParser) -> str | None:
    """A <time datetime> in the article, else a date-classed element's text."""
    scope = tree.css_first("article") or tree.css_first("main") or tree.body
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


def extract_metadata(tree: LexborHTMLParser, url: str | None) -> Metadata:
    meta = _meta_map(tree)
    ld = jsonld.article_object(jsonld.load_objects(tree))
    ld = ld or {}
    publisher = jsonld.text_of(ld.get("publisher"))
    site_name = (
        meta.get("og:site_name") or meta.get("application-name") or publisher or _logo_name(tree)
    )

    title_node = tree.css_first("head title") or tree.css_first("title")
    page_title = title_node.text(strip=True) if title_node else None
    h1 = _visible_h1(tree)
    raw_title = squash(h1.text(deep=True, separator=" ", strip=True)) if h1 else None
    candidates = [
        jsonld.text_of(ld.get("headline")),
        meta.get("og:title"),
        meta.get("twitter:title"),
        page_title,
    ]
    title = clean_title(raw_title, [c for c in candidates if c], site_name, url)

    canonical = None
    link = tree.css_first('link[rel="canonical"]')
    if link is not None:
        canonical = _resolve(link.attributes.get("href"), url)
    canonical = canonical or _resolve(meta.get("og:url"), url)

    published = None
    for raw in (
        jsonld.text_of(ld.get("datePublished")),
        _first(meta, _PUBLISHED_META),
        _time_element(tree),
        jsonld.text_of(ld.get("dateCreated")),
    ):
        if raw and (published := parse_iso(raw)):
            break
    published = published or date_from_url(url) or date_from_url(canonical)
    modified = None
    for raw in (jsonld.text_of(ld.get("dateModified")), _first(meta, _MODIFIED_META)):
        if raw and (modified := parse_iso(raw)):
            break

    authors: list[str] = []
    meta_author = _first(meta, _AUTHOR_META)
    for raw_authors in (
        jsonld.names_of(ld.get("author")) if ld.get("author") else [],
        [meta_author] if meta_author and not meta_author.startswith(("http:", "https:")) else [],
        _byline_names(tree),
    ):
        # a source that names only the site (or nobody) defers to the next one
        authors = clean_authors(raw_authors, site_name=site_name, url=url)
        if authors:
            break

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
        or _section_label(tree)
    )
    tags = jsonld.strings_of(ld.get("keywords")) or [
        n.attributes.get("content", "") or ""
        for n in tree.css('meta[property="article:tag"]')
        if n.attributes.get("content")
    ]
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
