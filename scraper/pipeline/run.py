"""A scheduled run: discover → filter → dedupe against state → fetch → extract → record.

One producer task per source walks its feeds, sitemaps, pages and files and
puts what needs fetching on a bounded queue that hands URLs out host by host;
a fixed number of worker tasks fetch (the fetcher keeps each host polite) and
hand pages to the extraction pool, a few at a time, so both cores stay busy
while memory stays flat. Every URL ends as one recorded outcome; only a run
that cannot work at all raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from scraper.config import Config, SourceConfig
from scraper.discover import Candidate, Problem, walk_source
from scraper.errors import ExtractionPoolError, ScraperError, StateError
from scraper.fetch import HTML_TYPES, Fetcher
from scraper.models import Article, FetchResult
from scraper.pipeline.documents import RunDocuments, validators
from scraper.pipeline.extraction import ExtractionPool, process_count
from scraper.pipeline.hosts import HostQueue
from scraper.pipeline.recorder import MAX_ATTEMPTS, Plan, Recorder
from scraper.pipeline.recovery import recover
from scraper.pipeline.stats import RunStats
from scraper.rules import RuleBook, load_rules
from scraper.sinks import DataDir
from scraper.state import RunLock, State, now_iso

log = logging.getLogger(__name__)

Work = HostQueue[tuple[Candidate, Plan]]


def run(
    config: Config,
    data_dir: Path,
    *,
    refresh: bool = False,
    output_format: Literal["jsonl", "parquet"] | None = None,
    progress: Callable[[RunStats], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    archive: Callable[[FetchResult], None] | None = None,
) -> RunStats:
    """Bring the dataset in ``data_dir`` up to date with the sources of ``config``.

    ``archive`` receives every page fetched with a body (``scraper.sinks.warc``).

    Raises ``ScraperError`` (``LockedError``, ``StateError``) only when the run
    cannot work; per-URL failures are in the stats and the rejects.
    """
    if not config.sources:
        raise ScraperError("the config lists no [[sources]]")
    rules = load_rules(config.extract.rules) if config.extract.rules else RuleBook()
    data = DataDir(data_dir)
    _prepare(data)
    fmt = output_format or config.output.format
    with RunLock(data_dir), contextlib.closing(State(data.state)) as state:
        recover(state, data)
        run_id = state.start_run()
        recorder = Recorder(
            state, data, config, parquet=fmt == "parquet", refresh=refresh, progress=progress
        )
        processes = process_count(config.run.extract_processes)
        # before the event loop and its connections: the processes can be forked from here
        extraction = ExtractionPool(processes, config.extract.timeout, fork_now=True)
        runner = _Runner(
            config, recorder, extraction, refresh=refresh, rules=rules, archive=archive
        )
        try:
            asyncio.run(runner.main(transport))
        finally:
            extraction.close()
            recorder.stats.removed = extraction.removed
            recorder.stats.finish()
            recorder.close()
        if runner.documents is not None and not recorder.deferred:
            runner.documents.save()
        state.finish_run(run_id, recorder.stats.as_dict())
    return recorder.stats


def _prepare(data: DataDir) -> None:
    """Create the data directory, or say in one line why it cannot be used."""
    try:
        for path in (data.root, data.articles, data.rejects):
            path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(f"{data.root}: cannot create the data directory: {exc.strerror}") from exc
    if not os.access(data.root, os.W_OK | os.X_OK):
        raise StateError(f"{data.root}: the data directory is not writable")


class _Runner:
    def __init__(
        self,
        config: Config,
        recorder: Recorder,
        extraction: ExtractionPool,
        *,
        refresh: bool,
        rules: RuleBook,
        archive: Callable[[FetchResult], None] | None = None,
    ) -> None:
        self.config = config
        self.archive = archive
        self.refresh = refresh
        self.rules = rules
        self.recorder = recorder
        self.stats = recorder.stats
        self.extraction = extraction
        self.workers = config.fetch.concurrency
        self.fetch_budget = config.run.max_pages or None
        self.fetcher: Fetcher | None = None
        self.documents: RunDocuments | None = None
        self._warm: asyncio.Task[None] | None = None

    async def main(self, transport: httpx.AsyncBaseTransport | None) -> None:
        queue: Work = HostQueue(
            per_host=self.config.fetch.per_host_concurrency, capacity=self.workers * 4
        )
        async with Fetcher(self.config.fetch, transport) as fetcher:
            self.fetcher = fetcher
            state = self.recorder.state
            self.documents = RunDocuments(fetcher, state, self.stats, refresh=self.refresh)
            workers = [asyncio.create_task(self._work(queue)) for _ in range(self.workers)]
            await self._retries(queue)
            await asyncio.gather(*(self._produce(s, queue) for s in self.config.sources))
            await queue.close()
            await asyncio.gather(*workers)
        if self._warm is not None:
            await self._warm

    async def _retries(self, queue: Work) -> None:
        """Pages that failed transiently last time: feeds may not list them again."""
        names = {s.name for s in self.config.sources}
        for row in self.recorder.state.pages_to_retry(MAX_ATTEMPTS):
            if row.source in names:
                await self._offer(Candidate(row.url, row.source, row.lastmod), queue)

    async def _produce(self, source: SourceConfig, queue: Work) -> None:
        before = self.stats.found
        try:
            assert self.documents is not None
            depth = self.config.run.max_sitemap_depth
            async for found in walk_source(
                source, self.documents, max_depth=depth, rules=self.rules
            ):
                if isinstance(found, Problem):
                    self.recorder.problem(found)
                else:
                    await self._offer(found, queue)
        except Exception as exc:  # a bug in one source's discovery must not end the run
            log.exception("%s: discovery stopped", source.name)
            self.recorder.problem(Problem(source.name, source.name, "crash", repr(exc)))
        log.info("%s: %d URLs found", source.name, self.stats.found - before)

    async def _offer(self, candidate: Candidate, queue: Work) -> None:
        budget_left = self.fetch_budget is None or self.fetch_budget > 0
        plan = self.recorder.plan(candidate, budget_left=budget_left)
        if plan is not None:
            if self._warm is None:  # the first page to fetch: start the extraction processes
                self._warm = asyncio.create_task(asyncio.to_thread(self.extraction.warm))
            if self.fetch_budget is not None:
                self.fetch_budget -= 1
            await queue.put(urlsplit(candidate.url).hostname or "", (candidate, plan))

    async def _work(self, queue: Work) -> None:
        while (item := await queue.get()) is not None:
            host, (candidate, plan) = item
            try:
                await self._page(candidate, plan, queue, host)
            except ExtractionPoolError:
                raise  # nothing can be extracted any more: the run stops
            except Exception as exc:  # one broken page never stops a run
                log.exception("%s: unexpected error", candidate.url)
                self.recorder.failed(candidate, "pipeline", "crash", repr(exc))

    async def _page(self, candidate: Candidate, plan: Plan, queue: Work, host: str) -> None:
        etag = last_modified = None
        if candidate.is_file:
            path = Path(url2pathname(candidate.url.removeprefix("file://")))
            try:
                content = await asyncio.to_thread(path.read_bytes)
            except OSError as exc:
                self.recorder.failed(candidate, "read", "unreadable", str(exc))
                return
            finally:
                await queue.done(host)
            url, charset, fetched_at = None, None, now_iso()
        else:
            assert self.fetcher is not None
            try:
                result = await self.fetcher.fetch(
                    candidate.url,
                    accept=HTML_TYPES,
                    etag=plan.etag,
                    last_modified=plan.last_modified,
                )
            except ScraperError as exc:
                self.recorder.fetch_failed(candidate, exc)
                return
            finally:
                await queue.done(host)  # the host's slot is free while the page is extracted
            self.stats.bytes += len(result.content)
            if result.status == 304:
                self.recorder.not_modified(candidate)
                return
            if self.archive is not None:
                self.archive(result)
            content, url, charset = result.content, result.final_url, result.charset
            fetched_at = result.fetched_at
            etag, last_modified = validators(result)
        outcome = await self.extraction.extract(content, url, charset, self.rules.for_url(url))
        self.stats.pages += 1
        if isinstance(outcome, Article):
            self.recorder.article(
                candidate, outcome, fetched_at=fetched_at, etag=etag, last_modified=last_modified
            )
        elif outcome.broken:
            self.recorder.failed(
                candidate, "extract", outcome.reason, outcome.detail, retry=outcome.retry
            )
        else:
            self.recorder.dropped(candidate, "extract", outcome.reason, outcome.detail)
