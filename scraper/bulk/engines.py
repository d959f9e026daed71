"""Where tasks run: here (``local``: this process, or a pool of processes) or on Dask.

Both engines run ``write_shard`` on each task and hand back its outcome as
soon as it is done, in completion order; the engine never changes what a task
writes. Dask is imported only by the ``dask`` engine, and only this module
knows it exists.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from scraper.bulk.job import Options, ShardReport, Task, write_shard
from scraper.errors import ScraperError
from scraper.workers import cores, quiet_worker

DASK_MISSING = (
    "--engine dask needs Dask: pip install 'scraper[dask]' "
    "(or pip install 'dask[distributed]'), on this machine and on every worker"
)


NO_PROFILER = {"distributed.worker.profile.enabled": False}
"""Dask samples each running task's stack every 10 ms and keeps an hour of it: for tasks
of minutes, a worker's memory grew by about 0.2 MB a second (35 MB in 170 s, measured), and
its CPU time with it. Workers of a real cluster want the same setting (see the README)."""


@dataclass(frozen=True)
class ShardFailed:
    """A task that raised (an unreadable input, an unwritable output directory)."""

    task: Task
    error: str

    @property
    def shard(self) -> str:
        return self.task.shard


Outcome = ShardReport | ShardFailed


def _failed(task: Task, exc: BaseException) -> ShardFailed:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
    return ShardFailed(task, f"{type(exc).__name__}: {text}{where}")


def run_local(tasks: list[Task], options: Options, workers: int | None = None) -> Iterator[Outcome]:
    """In this process when one worker is enough, else in a pool of ``workers`` processes."""
    workers = min(workers or cores(), len(tasks))
    if workers <= 1:
        for task in tasks:
            try:
                yield write_shard(task, options)
            except Exception as exc:
                yield _failed(task, exc)
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.bulk.job"])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=quiet_worker) as pool:
        futures = {pool.submit(write_shard, task, options): task for task in tasks}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:
                    yield _failed(futures[future], exc)
        finally:
            for future in futures:
                future.cancel()


def load_dask() -> Any:
    """``distributed``, or a ScraperError that says how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise ScraperError(DASK_MISSING) from exc
    return distributed


def local_cluster(workers: int | None = None) -> Any:
    """A LocalCluster of ``workers`` processes (default: cores), one thread each: extraction
    holds the GIL. Start it inside ``dask.config.set(NO_PROFILER)``."""
    return load_dask().LocalCluster(
        n_workers=workers or cores(),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: 8787 may be taken
        silence_logs=logging.ERROR,
    )


def run_dask(
    tasks: list[Task], options: Options, scheduler: str = "local", workers: int | None = None
) -> Iterator[Outcome]:
    """One Dask task per shard. ``scheduler`` is ``local`` (a ``local_cluster`` of
    ``workers``) or a scheduler's address.

    A worker that dies mid-task has its task rerun elsewhere by the scheduler (up to
    ``distributed.scheduler.allowed-failures`` times); the rerun clears what the dead
    attempt left, so each shard is written once.
    """
    distributed = load_dask()
    with contextlib.ExitStack() as stack:
        if scheduler == "local":
            import dask

            stack.enter_context(dask.config.set(NO_PROFILER))
            cluster = stack.enter_context(local_cluster(workers))
            client = stack.enter_context(distributed.Client(cluster))
        else:
            client = stack.enter_context(distributed.Client(scheduler))
        run = uuid.uuid4().hex[:8]
        keys = [f"scraper-{task.shard}-{run}" for task in tasks]
        futures = client.map(write_shard, tasks, options=options, key=keys, pure=False)
        by_key = dict(zip(keys, tasks, strict=True))
        for future in distributed.as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:
                yield _failed(by_key[future.key], exc)
