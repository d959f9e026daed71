"""One exception tree for the whole package.

Callers catch ``ScraperError`` (or one branch of it); lower-level errors from
httpx, lxml or pydantic are translated at the boundary with ``raise ... from``.
Every error carries a short ``reason`` slug so runs can count failures by kind.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base of every error this package raises on purpose."""

    reason = "error"


class ConfigError(ScraperError):
    reason = "config"


class StateError(ScraperError):
    reason = "state"


class LockedError(StateError):
    """Another run holds the data directory; this one must not touch it."""

    reason = "locked"


class ExtractionPoolError(ScraperError):
    """The extraction processes keep dying: a run cannot go on without them."""

    reason = "extract_pool"


class DocumentError(ScraperError):
    """A feed, sitemap or listing page could not be read (not the format, unsafe, too big)."""

    reason = "bad_document"


class FetchError(ScraperError):
    """A URL could not be fetched; ``url`` names it."""

    reason = "fetch"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class TransientFetchError(FetchError):
    """Worth retrying later: 5xx, 429, timeouts, dropped connections."""

    reason = "transient"

    def __init__(
        self, message: str, *, url: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.retry_after = retry_after


class DeferredError(TransientFetchError):
    """Not worth waiting for in this run: the host asked for a pause longer than we wait
    (Retry-After beyond ``max_retry_after``) or is backed off; retry the URL next run."""

    reason = "deferred"


class CircuitOpenError(DeferredError):
    """The host failed too often in a row and is backed off as a whole for a while."""

    reason = "circuit_open"


class PermanentFetchError(FetchError):
    """Retrying will not help: 4xx, bad scheme, not HTML."""

    reason = "permanent"

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class RobotsDisallowedError(FetchError):
    reason = "robots"


class RobotsUnreachableError(RobotsDisallowedError):
    """robots.txt answered 5xx/429 or not at all: nothing is fetched from the host this run."""

    reason = "robots_unreachable"


class CrawlDelayError(RobotsDisallowedError):
    """robots.txt asks for a Crawl-delay longer than we are willing to honour: host skipped."""

    reason = "crawl_delay"


class TooLargeError(FetchError):
    reason = "too_large"


class BlockedAddressError(FetchError):
    """The URL resolves to an address we refuse to contact (SSRF guard)."""

    reason = "blocked_address"


class NotHTMLFetchError(PermanentFetchError):
    """The server answered with a content type the caller did not ask for (PDF, image, ...)."""

    reason = "not_html"


class ExtractionError(ScraperError):
    """The input is not something an article can be extracted from."""

    reason = "extraction"


class NotHTMLError(ExtractionError):
    reason = "not_html"


class DecodeError(ExtractionError):
    reason = "decode"


class EmptyInputError(ExtractionError):
    reason = "empty"


class NoContentError(ExtractionError):
    reason = "no_content"
