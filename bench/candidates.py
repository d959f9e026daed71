"""What the scripts measure: the scraper package (default), a trafilatura stand-in, and the
trafilatura reference calls the figures are compared against.

A candidate turns a page or a text dump into an :class:`Extracted`, the few Article fields the
benchmarks score, so results cross a process boundary as plain picklable records.
"""

from __future__ import annotations

import html as html_lib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

# Measure the working tree's package, installed or not: the repository root goes on the path
# right after bench/ itself.
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(1, str(REPO))


@dataclass(frozen=True)
class Extracted:
    """The scored fields of an Article."""

    body: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    description: str | None = None
    # Set when the extractor declined the page on purpose (scraper raised a ScraperError, such
    # as "no article text"; trafilatura returned None): scored as an empty body, not a crash.
    rejected: str | None = None
    reason: str | None = None


class Candidate(Protocol):
    name: str

    def extract(self, html: str | bytes, url: str | None) -> Extracted: ...

    def clean_text(self, text: str, url: str | None) -> Extracted: ...


def _iso(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else str(value)


def from_article(article: Any) -> Extracted:
    """Read the scored fields off a ``scraper.Article`` (or anything shaped like one)."""
    authors = getattr(article, "authors", None) or ()
    if isinstance(authors, str):
        authors = (authors,)
    return Extracted(
        body=getattr(article, "body", None) or "",
        title=getattr(article, "title", None),
        authors=tuple(authors),
        published=_iso(getattr(article, "published", None)),
        description=getattr(article, "description", None),
    )


class ScraperCandidate:
    """The package under test: ``scraper.extract`` and ``scraper.clean_text``."""

    name = "scraper"

    def __init__(self, needs: tuple[str, ...] = ()) -> None:
        import scraper

        self._extract: Callable[..., Any] | None = getattr(scraper, "extract", None)
        self._clean_text: Callable[..., Any] | None = getattr(scraper, "clean_text", None)
        self._declined: type[BaseException] = getattr(scraper, "ScraperError", _Never)
        missing = [name for name in needs if getattr(scraper, name, None) is None]
        if missing:
            raise SystemExit(
                f"scraper.{', scraper.'.join(missing)} not there yet: "
                "measure the stand-in with --candidate trafilatura"
            )

    def extract(self, html: str | bytes, url: str | None) -> Extracted:
        if self._extract is None:
            raise RuntimeError("scraper.extract is not there yet (try --candidate trafilatura)")
        try:
            return from_article(self._extract(html, url=url))
        except self._declined as exc:
            return declined(exc)

    def clean_text(self, text: str, url: str | None) -> Extracted:
        if self._clean_text is None:
            raise RuntimeError("scraper.clean_text is not there yet (try --candidate trafilatura)")
        try:
            return from_article(self._clean_text(text, url=url))
        except self._declined as exc:
            return declined(exc)


class _Never(Exception):
    """Stands for ScraperError before the package defines it: never raised."""


def declined(exc: BaseException) -> Extracted:
    """A page the package refused on purpose, with its error and ``reason`` slug."""
    reason = getattr(exc, "reason", None)
    return Extracted(
        body="",
        rejected=f"{type(exc).__name__}: {exc}",
        reason=reason if isinstance(reason, str) else None,
    )


def trafilatura_text(html: str | bytes, url: str | None) -> str:
    """The body reference of issue 3: ``trafilatura.extract(include_comments=False)``."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def trafilatura_document(html: str | bytes, url: str | None) -> Extracted:
    """The metadata reference: ``bare_extraction(with_metadata=True)``; author is "A; B"."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return Extracted(body="", rejected="bare_extraction returned None")
    get = doc.get if isinstance(doc, dict) else lambda key: getattr(doc, key, None)
    author = get("author") or ""
    return Extracted(
        body=get("text") or "",
        title=get("title"),
        authors=tuple(a.strip() for a in author.split(";") if a.strip()),
        published=get("date"),
        description=get("description"),
    )


class TrafilaturaStandIn:
    """A stand-in for the package while it is being written: trafilatura end to end.

    Text dumps are wrapped line by line in ``<p>`` and handed to trafilatura.
    """

    name = "trafilatura-standin"

    def __init__(self, needs: tuple[str, ...] = ()) -> None:
        del needs  # both calls are always there

    def extract(self, html: str | bytes, url: str | None) -> Extracted:
        return trafilatura_document(html, url)

    def clean_text(self, text: str, url: str | None) -> Extracted:
        lines = (line.strip() for line in text.splitlines())
        paragraphs = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in lines if line)
        page = f"<html><body><article>{paragraphs}</article></body></html>"
        return trafilatura_document(page, url)


CANDIDATES: dict[str, Callable[[tuple[str, ...]], Candidate]] = {
    "scraper": ScraperCandidate,
    "trafilatura": TrafilaturaStandIn,
}


def load_candidate(name: str, needs: tuple[str, ...] = ()) -> Candidate:
    """Build the named candidate, checking that the calls in ``needs`` exist; a missing
    package or call ends the script with a message rather than a crash on every page."""
    try:
        return CANDIDATES[name](needs)
    except ImportError as exc:
        raise SystemExit(f"candidate {name!r} cannot be imported: {exc}") from exc
