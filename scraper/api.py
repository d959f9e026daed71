"""The Python API: one page in, one Article out.

These functions combine the stages (fetch, extract, normalize) and so sit at
the pipeline layer; the stages themselves never import one another.
"""

from __future__ import annotations

import httpx

from scraper.config import FetchConfig
from scraper.errors import NoContentError
from scraper.extract import extract_html
from scraper.extract.decode import decode_html, maybe_gunzip
from scraper.extract.text import clean_dump
from scraper.fetch import fetch_url
from scraper.models import Article, ExtractedPage
from scraper.normalize import to_article


def _finish(page: ExtractedPage, *, fetched_at: str | None = None) -> Article:
    article = to_article(page, fetched_at=fetched_at)
    if not article.body:
        raise NoContentError("no article text found on the page")
    return article


def extract(html: str | bytes, url: str | None = None, *, charset: str | None = None) -> Article:
    """Extract the article of one HTML page.

    Bytes are decoded with ``charset`` (e.g. from an HTTP header), then the
    page's own declaration, then detection; gzip-compressed bytes are accepted.
    """
    text = decode_html(maybe_gunzip(html), charset) if isinstance(html, bytes) else html
    return _finish(extract_html(text, url))


def clean_text(text: str | bytes, url: str | None = None) -> Article:
    """Clean a page already flattened to text (a naive scraper's dump)."""
    if isinstance(text, bytes):
        text = decode_html(maybe_gunzip(text))
    return _finish(clean_dump(text, url))


def extract_url(
    url: str,
    config: FetchConfig | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Article:
    """Fetch ``url`` politely (robots.txt, retries) and extract its article."""
    result = fetch_url(url, config or FetchConfig(), transport=transport)
    text = decode_html(result.content, result.charset)
    return _finish(extract_html(text, result.final_url), fetched_at=result.fetched_at)
