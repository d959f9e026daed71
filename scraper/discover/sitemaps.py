"""Sitemaps to article links: urlset, index, news sitemaps, gzip, plain-text lists.

The XML comes from servers we do not trust, so lxml parses it without
entity expansion, DTD loading, network access or huge text nodes: a
billion-laughs document or an external entity (XXE) yields an error or an
empty value at once, never a blow-up or a file read. Sizes follow the
protocol: at most 50,000 URLs and 50 MB uncompressed per sitemap.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin

from lxml import etree
from protego import Protego

from scraper.errors import DocumentError

MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SitemapEntry:
    """A ``<url>`` (or an index's ``<sitemap>``) with what the sitemap says about it."""

    url: str
    lastmod: str | None = None
    title: str | None = None
    """``news:title``, for pages that lack one."""
    published: str | None = None
    """``news:publication_date``, for pages that lack one."""


@dataclass(frozen=True)
class Sitemap:
    kind: Literal["urlset", "index"]
    entries: list[SitemapEntry] = field(default_factory=list)
    truncated: bool = False
    """More than ``MAX_URLS`` entries: the rest were ignored."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,  # real sitemaps carry raw '&' and stray bytes; keep what parses
        remove_comments=True,
        remove_pis=True,
    )


def gunzip_capped(content: bytes, limit: int = MAX_BYTES) -> bytes:
    """Decompress gzip ``content`` (several members allowed), refusing more than ``limit``."""
    out = bytearray()
    data = content
    while data[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))
        except zlib.error as exc:
            raise DocumentError(f"bad gzip data: {exc}") from exc
        if len(out) > limit:
            raise DocumentError(f"over {limit} bytes once decompressed")
        data = inflater.unused_data
    return bytes(out)


def parse_sitemap(content: bytes, url: str) -> Sitemap:
    """Parse one sitemap document; relative locations resolve against ``url``."""
    if content[:2] == _GZIP_MAGIC:
        content = gunzip_capped(content)
    if len(content) > MAX_BYTES:
        raise DocumentError(f"over {MAX_BYTES} bytes")
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head and head != b"<":
        return _text_sitemap(content, url)
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"not a sitemap: {exc}") from exc
    if root is None:
        raise DocumentError("not a sitemap: no XML element")
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        return _read(root, "sitemap", "index", url)
    if kind == "urlset":
        return _read(root, "url", "urlset", url)
    raise DocumentError(f"not a sitemap: root element <{kind}>")


def _read(root: etree._Element, tag: str, kind: Literal["urlset", "index"], base: str) -> Sitemap:
    entries: list[SitemapEntry] = []
    for node in root:
        if not isinstance(node.tag, str) or etree.QName(node).localname != tag:
            continue
        if len(entries) == MAX_URLS:
            return Sitemap(kind, entries, truncated=True)
        fields = _children(node)
        loc = fields.get("loc")
        if not loc:
            continue
        news = next((c for c in node if _local(c) == "news"), None)
        news_fields = _children(news) if news is not None else {}
        entries.append(
            SitemapEntry(
                url=urljoin(base, loc),
                lastmod=fields.get("lastmod"),
                title=news_fields.get("title"),
                published=news_fields.get("publication_date"),
            )
        )
    return Sitemap(kind, entries)


def _local(node: etree._Element) -> str | None:
    return etree.QName(node).localname if isinstance(node.tag, str) else None


def _children(node: etree._Element) -> dict[str, str]:
    """Local name to whitespace-collapsed text of each child element that has text."""
    out: dict[str, str] = {}
    for child in node:
        name = _local(child)
        text = " ".join((child.text or "").split())
        if name and text:
            out.setdefault(name, text)
    return out


def _text_sitemap(content: bytes, url: str) -> Sitemap:
    """The protocol's plain-text form: one URL a line."""
    entries: list[SitemapEntry] = []
    for line in content.decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if line.startswith(("http://", "https://")):
            if len(entries) == MAX_URLS:
                return Sitemap("urlset", entries, truncated=True)
            entries.append(SitemapEntry(url=urljoin(url, line)))
    if not entries:
        raise DocumentError("not a sitemap: neither XML nor a list of URLs")
    return Sitemap("urlset", entries)


def robots_sitemaps(robots_txt: bytes, url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt (they apply whatever the user-agent group),
    read by the parser that reads its rules, so both agree on what a line says."""
    rules = Protego.parse(robots_txt.decode("utf-8", errors="replace"))
    return list(dict.fromkeys(urljoin(url, found) for found in rules.sitemaps if found))
