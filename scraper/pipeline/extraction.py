"""Extraction in a pool of processes, so every core extracts while downloads wait.

The pool's processes start from a forkserver that has imported the
extraction code once; each job runs ``scraper.api.extract`` under a
wall-clock alarm, and every outcome comes back as a value: one broken page
never takes the run down. A page that kills its process outright (a crash
in C code, the OOM killer) breaks the whole pool; the pool is then replaced
and the pages it held are retried by the next run. Only a pool that dies
again and again ends the run, since nothing could be extracted.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from scraper import api
from scraper.errors import ExtractionPoolError, ScraperError
from scraper.models import Article
from scraper.rules import SiteRules

log = logging.getLogger(__name__)


MAX_RESTARTS = 5


@dataclass(frozen=True)
class ExtractFailure:
    """Why a page gave no article; ``broken`` separates crashes and timeouts from empty pages,
    ``retry`` marks a page caught in a dying pool, which may well be innocent."""

    reason: str
    detail: str
    broken: bool = False
    retry: bool = False


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGALRM, _on_alarm)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def extract_job(
    page: str, url: str | None, charset: str | None, timeout: float, rules: SiteRules | None = None
) -> tuple[Article, dict[str, int]] | ExtractFailure:
    """Runs in a pool process: the Article of the page in the file ``page`` (then removed)
    with what was removed from it, counted by reason; or why there is no article."""
    path = Path(page)
    content = path.read_bytes()
    path.unlink()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        explanation = api.explain(content, url, charset=charset, rules=rules)
        removed = Counter(f"{drop.stage}:{drop.reason}" for drop in explanation.page.dropped)
        return api.article_of(explanation), dict(removed)
    except ScraperError as exc:
        return ExtractFailure(exc.reason, str(exc))
    except _Timeout:
        return ExtractFailure("timeout", f"extraction took over {timeout:g}s", broken=True)
    except Exception as exc:  # a bug on one page must not end the run
        return ExtractFailure("crash", f"{type(exc).__name__}: {exc}"[:500], broken=True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


PAGES_PREFIX = "scraper-pages-"


def sweep_stale_pages(where: Path) -> int:
    """Remove page folders left by runs that were killed (``kill -9``, OOM): in /dev/shm
    they hold memory until the machine restarts. A folder names its run's pid."""
    removed = 0
    for folder in where.glob(f"{PAGES_PREFIX}*-*"):
        pid_text = folder.name.removeprefix(PAGES_PREFIX).split("-", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_count(configured: int) -> int:
    """``configured``, or one process per CPU core this process may use."""
    if configured:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def make_pool(processes: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_init_worker)


class ExtractionPool:
    """A process pool with a bounded number of jobs in flight, replaced when it breaks.

    Pages travel to the processes as files in a private directory (in memory, /dev/shm,
    where there is one), not through the pool's pipe: a pipe moves a 200 kB page in chunks
    that each wait for this process's lock on the interpreter while it is busy fetching,
    and the extraction processes would sit idle waiting for their next page.
    """

    def __init__(self, processes: int, timeout: float) -> None:
        self._processes = processes
        self._timeout = timeout
        self._pool = make_pool(processes)
        self._slots = asyncio.Semaphore(processes * 3)  # one running, two queued per process
        shm = Path("/dev/shm")
        where = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
        sweep_stale_pages(where)
        self._pages = tempfile.TemporaryDirectory(prefix=f"{PAGES_PREFIX}{os.getpid()}-", dir=where)
        self._numbers = itertools.count()
        self.restarts = 0
        self.removed: Counter[str] = Counter()
        """Blocks removed from the pages' text, by stage and reason, over the run."""

    async def extract(
        self, content: bytes, url: str | None, charset: str | None, rules: SiteRules | None = None
    ) -> Article | ExtractFailure:
        """The page's Article, or why there is none; ``rules`` are its site's, if any."""
        loop = asyncio.get_running_loop()
        async with self._slots:
            pool = self._pool
            page = Path(self._pages.name, f"{next(self._numbers)}.html")
            page.write_bytes(content)
            try:
                result = await loop.run_in_executor(
                    pool, extract_job, str(page), url, charset, self._timeout, rules
                )
            except BrokenProcessPool:
                page.unlink(missing_ok=True)
                self._replace(pool)
                return ExtractFailure(
                    "worker_died", "an extraction process died", broken=True, retry=True
                )
            if isinstance(result, ExtractFailure):
                return result
            article, removed = result
            self.removed.update(removed)
            return article

    def warm(self) -> None:
        """Start the processes now: the forkserver imports the extraction code (about a
        second of one core) while discovery runs, not while the first pages wait. Blocks;
        run it in a thread. A pool that breaks here is replaced by the first page's job."""
        with contextlib.suppress(Exception):
            self._pool.submit(os.getpid).result()

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is not broken:
            return  # another page noticed first
        self.restarts += 1
        broken.shutdown(wait=False, cancel_futures=True)
        if self.restarts > MAX_RESTARTS:
            raise ExtractionPoolError(
                f"extraction processes died {self.restarts} times; giving up this run"
            )
        log.warning("an extraction process died; starting a new pool")
        self._pool = make_pool(self._processes)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pages.cleanup()
