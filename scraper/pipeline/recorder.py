"""Each URL's outcome, decided against the state and written to the sinks in a crash-safe order.

The order that makes ``kill -9`` harmless: article lines are appended and
fsynced first, then the state transaction that records them commits (every
``COMMIT_EVERY`` records or ``COMMIT_SECONDS``). A run killed in between
leaves lines the state does not know; ``recovery.recover`` adopts them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scraper.config import Config
from scraper.discover import Candidate, Problem, url_key
from scraper.errors import ScraperError, TransientFetchError
from scraper.models import Article
from scraper.pipeline.stats import Outcome, RunStats
from scraper.sinks import DataDir, JsonlSink, RejectSink, Sink
from scraper.state import ArticleRow, PageStatus, State, now_iso

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
"""Runs in a row a transiently failing page is retried before it counts as failed."""
COMMIT_EVERY = 200
COMMIT_SECONDS = 1.0


@dataclass(frozen=True)
class Plan:
    """Fetch this candidate; with validators when the page is known (conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None


def article_key(article: Article, fallback: str) -> str:
    """The dedupe key of an article: its canonical URL, unless that is clearly a site's home."""
    canonical = article.canonical_url
    url = article.url or fallback
    if canonical and urlsplit(canonical).scheme in ("http", "https"):
        own_path = urlsplit(url).path
        if urlsplit(canonical).path not in ("", "/") or own_path in ("", "/"):
            return url_key(canonical)
    return url_key(url) if url else f"id:{article.id}"


def _newer(lastmod: str | None, known: str | None) -> bool:
    """Whether a sitemap ``lastmod`` (or file mtime) says the page changed since ``known``
    (the lastmod it had when fetched, else when that was)."""
    if not lastmod or lastmod == known:
        return False
    if not known:
        return True
    try:
        return _when(lastmod) > _when(known)
    except ValueError:
        return True


def _when(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Recorder:
    """Turns outcomes into state rows, article lines and reject lines; owns the commit cadence."""

    def __init__(
        self,
        state: State,
        data: DataDir,
        config: Config,
        *,
        parquet: bool,
        refresh: bool = False,
        progress: Callable[[RunStats], None] | None = None,
    ) -> None:
        self.state = state
        self.stats = RunStats()
        self._config = config
        self._refresh = refresh
        self._progress = progress
        stamp = datetime.now(UTC)
        self._articles = JsonlSink(data.articles / f"{stamp:%Y-%m-%d}.jsonl")
        self._article_name = str(self._articles.path.relative_to(data.root))
        self._rejects = RejectSink(data.rejects / f"{stamp:%Y-%m-%d}.jsonl")
        self._sinks: list[Sink] = [self._articles]
        if parquet:
            from scraper.sinks.parquet import ParquetSink  # pyarrow only when asked for

            self._sinks.append(ParquetSink(data.parquet / f"{stamp:%Y-%m-%dT%H%M%S}.parquet"))
        self._seen: set[str] = set()
        self._pending = 0
        self._last_commit = time.monotonic()
        self.deferred = 0

    # -- deciding what to fetch ---------------------------------------------------------------

    def plan(self, candidate: Candidate, *, budget_left: bool = True) -> Plan | None:
        """A plan to fetch ``candidate``, or None (counted already) when there is nothing to do."""
        key = url_key(candidate.url)
        if key in self._seen:
            return None  # found twice in this run: one outcome is enough
        if not budget_left:
            self.deferred += 1
            return None  # not even counted as found: the next run finds it again
        self._seen.add(key)
        self.stats.found += 1
        row = self.state.page(key)
        if row is None or row.status == PageStatus.EXCLUDED:
            return Plan()
        if row.status == PageStatus.RETRY and row.attempts < MAX_ATTEMPTS:
            return Plan(row.etag, row.last_modified)
        if self._refresh or _newer(candidate.lastmod, row.lastmod or row.updated_at):
            return Plan(row.etag, row.last_modified)
        self._count("unchanged")
        return None

    # -- outcomes -----------------------------------------------------------------------------

    def article(
        self,
        candidate: Candidate,
        article: Article,
        *,
        fetched_at: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Outcome:
        """Record an extracted article: new, changed (a new version), unchanged or a duplicate."""
        validators = {"etag": etag, "last_modified": last_modified}
        minimum = self._config.extract.min_body_words
        if article.word_count < minimum:
            detail = f"{article.word_count} words, under {minimum}"
            return self.dropped(candidate, "extract", "too_short", detail, **validators)
        akey = article_key(article, candidate.url)
        known = self.state.article(akey)
        if known is not None and known.content_hash == article.content_hash:
            self._page(candidate, PageStatus.ARTICLE, article_key=akey, **validators)
            return self._count("unchanged")
        if known is None and (twin := self.state.article_with_hash(article.content_hash)):
            self._page(candidate, PageStatus.DUPLICATE, article_key=twin.key, **validators)
            detail = f"same text as article {twin.id}"
            self._reject(candidate.url, candidate.source, "dedupe", "duplicate", detail)
            return self._count("dropped", "duplicate")
        version = known.version + 1 if known else 1
        update: dict[str, Any] = {"source": candidate.source, "fetched_at": fetched_at}
        update["version"] = version
        if known:
            update["id"] = known.id  # one id per article, whatever its version
        if article.title is None and candidate.title:
            update["title"] = candidate.title
        if article.published is None and candidate.published:
            update["published"] = candidate.published
        final = article.model_copy(update=update)
        for sink in self._sinks:
            sink.write(final)
        self.state.put_article(ArticleRow(akey, final.id, final.content_hash, version))
        self._page(candidate, PageStatus.ARTICLE, article_key=akey, **validators)
        self._pending += 1
        return self._count("changed" if known else "new")

    def not_modified(self, candidate: Candidate) -> Outcome:
        """The server answered 304 to a conditional GET: unchanged, at the cost of one request."""
        self._page(candidate, PageStatus.ARTICLE)
        return self._count("unchanged")

    def fetch_failed(self, candidate: Candidate, error: ScraperError) -> Outcome:
        """Transient failures are retried next run; others wait for a change or --refresh."""
        transient = isinstance(error, TransientFetchError)
        self._page(
            candidate, PageStatus.RETRY if transient else PageStatus.FAILED, reason=error.reason
        )
        self._reject(candidate.url, candidate.source, "fetch", error.reason, str(error))
        return self._count("failed", error.reason)

    def dropped(
        self, candidate: Candidate, stage: str, reason: str, detail: str, **validators: str | None
    ) -> Outcome:
        """Fetched, but no article came of it (not HTML, no text, too short, ...)."""
        self._page(candidate, PageStatus.DROPPED, reason=reason, **validators)
        self._reject(candidate.url, candidate.source, stage, reason, detail)
        return self._count("dropped", reason)

    def failed(
        self, candidate: Candidate, stage: str, reason: str, detail: str, *, retry: bool = False
    ) -> Outcome:
        """Something broke while handling the page (extraction timeout or crash); with
        ``retry`` the next runs try it again, as after a transient fetch failure."""
        self._page(candidate, PageStatus.RETRY if retry else PageStatus.FAILED, reason=reason)
        self._reject(candidate.url, candidate.source, stage, reason, detail)
        return self._count("failed", reason)

    def _page(self, candidate: Candidate, status: str, **fields: str | None) -> None:
        """The page's row: its outcome, and the lastmod it had, so an unchanged one is skipped."""
        self.state.put_page(
            url_key(candidate.url),
            candidate.url,
            candidate.source,
            status,
            lastmod=candidate.lastmod,
            **fields,
        )

    def problem(self, problem: Problem) -> None:
        """A discovery problem: a URL excluded by the filters, or a feed or sitemap unread."""
        if problem.stage != "filter":
            self.stats.reasons[f"document:{problem.reason}"] += 1
            self._reject(problem.url, problem.source, problem.stage, problem.reason, problem.detail)
            log.warning("%s: %s: %s", problem.source, problem.url, problem.detail)
            self._tick()
            return
        key = url_key(problem.url)
        if key in self._seen:
            return
        self._seen.add(key)
        self.stats.found += 1
        row = self.state.page(key)
        if row is None:  # a reject the first time only, not every run
            self.state.put_page(
                key, problem.url, problem.source, PageStatus.EXCLUDED, reason=problem.reason
            )
            self._reject(problem.url, problem.source, problem.stage, problem.reason, problem.detail)
        self._count("dropped", "excluded")

    # -- bookkeeping --------------------------------------------------------------------------

    def _reject(self, url: str, source: str, stage: str, reason: str, detail: str) -> None:
        self._rejects.write(
            {
                "time": now_iso(),
                "source": source,
                "url": url,
                "stage": stage,
                "reason": reason,
                "detail": detail[:500],
            }
        )

    def _count(self, outcome: Outcome, reason: str | None = None) -> Outcome:
        self.stats.count(outcome, reason)
        self._tick()
        return outcome

    def _tick(self) -> None:
        if self._pending >= COMMIT_EVERY or time.monotonic() - self._last_commit >= COMMIT_SECONDS:
            self.commit()
        if self._progress is not None:
            self._progress(self.stats)

    def commit(self) -> None:
        """Make the written lines durable, then let the state say so."""
        self._articles.sync()
        self._rejects.sync()
        self.state.put_committed_bytes(self._article_name, self._articles.size)
        self.state.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        """Flush and close every sink, then commit what they hold."""
        for sink in self._sinks:
            sink.close()
        self._rejects.close()
        self.commit()
