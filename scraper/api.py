"""The Python API: one page in, one Article out.

These functions combine the stages (fetch, extract, normalize) and so sit at
the pipeline layer; the stages themselves never import one another.

Site rules are explicit here: ``rules`` is a ``RuleBook`` (``load_rules``), a
rules directory (loaded on each call: load it once for many pages), or one
site's ``SiteRules``. Without it, extraction is generic; only the command line
reads ``config/sites`` on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike

import httpx

from scraper.config import FetchConfig
from scraper.errors import NoContentError
from scraper.extract import extract_html
from scraper.extract.decode import decode_html, maybe_gunzip
from scraper.extract.text import clean_dump
from scraper.fetch import fetch_url
from scraper.models import Article, ExtractedPage
from scraper.normalize import to_article
from scraper.rules import RuleBook, SiteRules, load_rules

Rules = RuleBook | SiteRules | str | PathLike[str] | None


@dataclass(frozen=True)
class Explanation:
    """What extraction made of one input, for ``--explain``.

    ``page.dropped`` holds every block or line dropped, with its stage and reason;
    ``page.site_rules`` what each rule of ``rules`` (the site's, if any) did.
    ``article`` is None when no article text was left.
    """

    page: ExtractedPage
    article: Article | None
    rules: SiteRules | None


def site_rules(rules: Rules, url: str | None) -> SiteRules | None:
    """The rules that apply to ``url``: the nearest domain table of a book or directory."""
    if rules is None or isinstance(rules, SiteRules):
        return rules
    book = rules if isinstance(rules, RuleBook) else load_rules(rules)
    return book.for_url(url)


def _explained(
    page: ExtractedPage, rules: SiteRules | None, *, fetched_at: str | None = None
) -> Explanation:
    article = to_article(page, fetched_at=fetched_at)
    return Explanation(page, article if article.body else None, rules)


def article_of(explanation: Explanation) -> Article:
    """The article, or NoContentError when extraction left no text."""
    if explanation.article is None:
        raise NoContentError("no article text found on the page")
    return explanation.article


def explain(
    html: str | bytes, url: str | None = None, *, charset: str | None = None, rules: Rules = None
) -> Explanation:
    """Extract one HTML page and keep the reasons; see ``extract``."""
    text = decode_html(maybe_gunzip(html), charset) if isinstance(html, bytes) else html
    site = site_rules(rules, url)
    return _explained(extract_html(text, url, site), site)


def explain_text(text: str | bytes, url: str | None = None, *, rules: Rules = None) -> Explanation:
    """Clean one text dump and keep the reasons; see ``clean_text``."""
    return _text_dump(text, url, rules, reasons=True)


def _text_dump(text: str | bytes, url: str | None, rules: Rules, *, reasons: bool) -> Explanation:
    if isinstance(text, bytes):
        text = decode_html(maybe_gunzip(text))
    site = site_rules(rules, url)
    return _explained(clean_dump(text, url, site, reasons=reasons), site)


def explain_url(
    url: str,
    config: FetchConfig | None = None,
    *,
    rules: Rules = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Explanation:
    """Fetch and extract one page and keep the reasons; see ``extract_url``."""
    result = fetch_url(url, config or FetchConfig(), transport=transport)
    text = decode_html(result.content, result.charset)
    site = site_rules(rules, result.final_url)
    page = extract_html(text, result.final_url, site)
    return _explained(page, site, fetched_at=result.fetched_at)


def extract(
    html: str | bytes, url: str | None = None, *, charset: str | None = None, rules: Rules = None
) -> Article:
    """Extract the article of one HTML page.

    Bytes are decoded with ``charset`` (e.g. from an HTTP header), then the
    page's own declaration, then detection; gzip-compressed bytes are accepted.
    """
    return article_of(explain(html, url, charset=charset, rules=rules))


def clean_text(text: str | bytes, url: str | None = None, *, rules: Rules = None) -> Article:
    """Clean a page already flattened to text (a naive scraper's dump)."""
    return article_of(_text_dump(text, url, rules, reasons=False))  # no drop records to keep


def extract_url(
    url: str,
    config: FetchConfig | None = None,
    *,
    rules: Rules = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Article:
    """Fetch ``url`` politely (robots.txt, retries) and extract its article."""
    return article_of(explain_url(url, config, rules=rules, transport=transport))
