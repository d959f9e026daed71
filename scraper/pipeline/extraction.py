"""Extraction in a pool of processes, so every core extracts while downloads wait.

The pool's processes are forked from the run before it opens any connection
(or else started by a forkserver that has imported the extraction code
once); each job runs ``scraper.api.extract`` under a wall-clock alarm, and
every outcome comes back as a value: one broken page never takes the run
down. A page that kills its process outright (a crash in C code, the OOM
killer) ends its generation of processes; new ones start, and the pages the
old ones held are retried by the next run. Only a pool that dies again and
again ends the run, since nothing could be extracted.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Lock as LockType
from pathlib import Path
from types import FrameType
from typing import Any

from scraper import api
from scraper.errors import ExtractionPoolError, ScraperError
from scraper.models import Article
from scraper.rules import SiteRules
from scraper.workers import cores, quiet_worker

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
    quiet_worker()
    signal.signal(signal.SIGALRM, _on_alarm)


_SLOTS: dict[str, int] = {}
"""A pool process's open slot files, by path."""


def extract_job(
    slot: str,
    size: int,
    url: str | None,
    charset: str | None,
    timeout: float,
    rules: SiteRules | None = None,
) -> tuple[Article, dict[str, int]] | ExtractFailure:
    """Runs in a pool process: the Article of the page in the first ``size`` bytes of the
    slot file ``slot``, with what was removed from it, counted by reason; or why there is
    no article."""
    fd = _SLOTS.get(slot)
    if fd is None:
        fd = _SLOTS[slot] = os.open(slot, os.O_RDONLY)
    content = os.pread(fd, size, 0)
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
    return configured or cores()


class _Died(Exception):
    """The processes a job was sent to died before answering."""


def _serve(
    jobs: Connection, lock: LockType, results: Connection, inherited: Connection | None = None
) -> None:
    """A pool process: take the next job from the shared pipe, answer on its own pipe.

    ``inherited`` is the parent's end of the job pipe, which a forked process holds a copy
    of: closed at once, so that the pipe reads as ended when the parent dies.
    """
    if inherited is not None:
        inherited.close()
    _init_worker()
    while True:
        with lock:  # one reader at a time on the shared pipe
            job = jobs.recv()
        if job is None:
            return
        number, args = job
        results.send((number, extract_job(*args)))


class _Processes:
    """One generation of pool processes: a shared job pipe, a result pipe for each process.

    Forked from this process (``fork``), which has imported the extraction code already,
    or else started by a forkserver that imports it once more (about a second of a core).
    """

    def __init__(self, processes: int, *, fork: bool = False) -> None:
        if fork:
            context: Any = multiprocessing.get_context("fork")
        else:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
        jobs, self.jobs = context.Pipe(duplex=False)
        self.lock = lock = context.Lock()  # kept: collecting it unlinks the semaphore
        self.members: list[tuple[BaseProcess, Connection]] = []
        inherited = self.jobs if fork else None
        if fork:  # what the processes inherit, their collector leaves alone (and shared)
            gc.freeze()
        try:
            for _ in range(processes):
                results, answer = context.Pipe(duplex=False)
                process = context.Process(
                    target=_serve,
                    args=(jobs, lock, answer, inherited),
                    name="scraper-extract",
                    daemon=True,
                )
                process.start()
                answer.close()  # the child's end: a child that dies then reads as EOF here
                self.members.append((process, results))
        finally:
            jobs.close()  # no reader left once every child is gone: a send then fails
            if fork:
                gc.unfreeze()

    def stop(self, *, wait: bool) -> None:
        """Let the processes finish their jobs and leave (``wait``), or end them now."""
        if wait:
            with contextlib.suppress(OSError):
                for _ in self.members:
                    self.jobs.send(None)
        for process, _ in self.members:
            if wait:
                process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        for _, results in self.members:
            results.close()
        self.jobs.close()


class ExtractionPool:
    """Processes that extract pages, a bounded number of jobs in flight, replaced when one dies.

    Not ``concurrent.futures.ProcessPoolExecutor``: its two helper threads (one feeds the
    job pipe, one waits for results) cost this process about 0.4 ms of CPU per page in
    wake-ups and lock hand-offs, taken from the extraction processes when the cores are
    busy. Here the event loop itself writes each job to a pipe the processes share and
    reads each answer when its pipe becomes readable.

    Pages travel to the processes in slot files, one per job in flight, in a private
    directory (in memory, /dev/shm, where there is one), not through the pipe: a 200 kB
    page would fill the pipe and block the event loop until a process reads it. A slot
    file is overwritten in place, page after page: no file to create, fill with fresh
    memory and remove each time (a tenth of a millisecond a page on both sides).

    With ``fork_now`` the first processes are forked from this one at once, if no other
    thread runs (a fork keeps the locks other threads hold, locked for good): call it
    before any connection is open, or the processes would hold it open too. They start in
    milliseconds with the extraction code imported here already, where a forkserver
    spends about a second of a core importing it again while the first pages wait. The
    processes that replace a dead generation come from the forkserver, since by then the
    event loop, its threads and its connections exist.
    """

    def __init__(self, processes: int, timeout: float, *, fork_now: bool = False) -> None:
        self._processes = processes
        self._timeout = timeout
        jobs = processes * 3  # one running, two queued per process
        self._slots = asyncio.Semaphore(jobs)
        self._free = list(range(jobs))
        self._files: dict[int, int] = {}
        shm = Path("/dev/shm")
        where = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
        sweep_stale_pages(where)
        self._pages = tempfile.TemporaryDirectory(prefix=f"{PAGES_PREFIX}{os.getpid()}-", dir=where)
        self._numbers = itertools.count()
        self._current: _Processes | None = None
        self._starting = threading.Lock()
        self._watched: _Processes | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self.restarts = 0
        self.removed: Counter[str] = Counter()
        """Blocks removed from the pages' text, by stage and reason, over the run."""
        if fork_now and threading.active_count() == 1:
            self._current = _Processes(processes, fork=True)

    async def extract(
        self, content: bytes, url: str | None, charset: str | None, rules: SiteRules | None = None
    ) -> Article | ExtractFailure:
        """The page's Article, or why there is none; ``rules`` are its site's, if any."""
        async with self._slots:
            if self.restarts > MAX_RESTARTS:
                raise self._gave_up()
            processes = self._current
            if processes is None:
                processes = await asyncio.to_thread(self._start)
            self._watch(processes)
            number = next(self._numbers)
            slot = self._free.pop()  # never empty: the semaphore admits one job per slot
            path = self._fill(slot, content)
            answer = asyncio.get_running_loop().create_future()
            self._waiting[number] = answer
            job = (path, len(content), url, charset, self._timeout, rules)
            try:
                processes.jobs.send((number, job))
                result = await answer
            except (_Died, OSError):
                self._waiting.pop(number, None)
                self._died(processes)
                if self.restarts > MAX_RESTARTS:
                    raise self._gave_up() from None
                return ExtractFailure(
                    "worker_died", "an extraction process died", broken=True, retry=True
                )
            finally:
                self._free.append(slot)  # answered, or its process is gone
        if isinstance(result, ExtractFailure):
            return result
        article: Article = result[0]
        self.removed.update(result[1])
        return article

    def warm(self) -> None:
        """Start the processes now: the forkserver imports the extraction code (about a
        second of one core) while discovery runs, not while the first pages wait. Blocks;
        run it in a thread."""
        self._start()

    def _fill(self, slot: int, content: bytes) -> str:
        """Write ``content`` at the start of slot file ``slot``; its path."""
        path = os.path.join(self._pages.name, f"{slot}.html")
        fd = self._files.get(slot)
        if fd is None:
            fd = self._files[slot] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        view, offset = memoryview(content), 0
        while offset < len(view):
            offset += os.pwrite(fd, view[offset:], offset)
        return path

    def pids(self) -> list[int]:
        """The processes' ids (for tests that kill one)."""
        current = self._current
        return [p.pid for p, _ in current.members if p.pid] if current else []

    def _start(self) -> _Processes:
        with self._starting:
            if self._current is None:
                self._current = _Processes(self._processes)
            return self._current

    def _watch(self, processes: _Processes) -> None:
        """Have the event loop read the answers of ``processes`` and notice a death."""
        loop = asyncio.get_running_loop()
        if self._watched is processes and self._loop is loop:
            return
        self._unwatch()
        self._loop = loop
        for process, results in processes.members:
            loop.add_reader(results.fileno(), self._answered, processes, results)
            loop.add_reader(process.sentinel, self._died, processes)
        self._watched = processes

    def _unwatch(self) -> None:
        if self._watched is None or self._loop is None or self._loop.is_closed():
            self._watched = None
            return
        for process, results in self._watched.members:
            with contextlib.suppress(ValueError, OSError):
                self._loop.remove_reader(results.fileno())
            with contextlib.suppress(ValueError, OSError):
                self._loop.remove_reader(process.sentinel)
        self._watched = None

    def _answered(self, processes: _Processes, results: Connection) -> None:
        try:
            number, outcome = results.recv()
        except Exception:  # EOF: the process died, maybe halfway through an answer
            self._died(processes)
            return
        answer = self._waiting.pop(number, None)
        if answer is not None and not answer.done():
            answer.set_result(outcome)

    def _died(self, processes: _Processes) -> None:
        """A process died (a crash in C code, the OOM killer): end its generation, fail
        every job in flight (they are retried next run) and start afresh on the next page."""
        if processes is not self._current:
            return  # another page noticed first
        self._unwatch()
        self._current = None
        processes.stop(wait=False)
        self.restarts += 1
        for answer in self._waiting.values():
            if not answer.done():
                answer.set_exception(_Died())
        self._waiting.clear()
        if self.restarts <= MAX_RESTARTS:
            log.warning("an extraction process died; starting new ones")

    def _gave_up(self) -> ExtractionPoolError:
        return ExtractionPoolError(
            f"extraction processes died {self.restarts} times; giving up this run"
        )

    def close(self) -> None:
        self._unwatch()
        if self._current is not None:
            # jobs still in flight (a run cut short) would wait for answers nobody reads
            self._current.stop(wait=not self._waiting)
            self._current = None
        for fd in self._files.values():
            os.close(fd)
        self._files.clear()
        self._pages.cleanup()
