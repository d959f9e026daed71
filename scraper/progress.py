"""How a run shows it is alive: a rich progress bar on a terminal, a log line now and then
under cron (where anything else would only clutter the mail). Used by the CLI only."""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scraper.pipeline import RunStats

log = logging.getLogger("scraper.run")

LOG_EVERY = 60.0
"""Seconds between progress lines when there is no terminal."""


class LogProgress:
    """A plain progress line every ``every`` seconds; nothing when the run is quick."""

    def __init__(self, every: float = LOG_EVERY) -> None:
        self._every = every
        self._next = time.monotonic() + every

    def __call__(self, stats: RunStats) -> None:
        if time.monotonic() >= self._next:
            self._next = time.monotonic() + self._every
            log.info(
                "progress: %d of %d URLs done (new %d, changed %d, failed %d, dropped %d)",
                stats.done,
                stats.found,
                stats.new,
                stats.changed,
                stats.failed,
                stats.dropped,
            )


class BarProgress:
    """A live bar on stderr; log records print above it instead of tearing it."""

    def __init__(self) -> None:
        self._console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("new {task.fields[new]}  changed {task.fields[changed]}"),
            TextColumn("failed {task.fields[failed]}  dropped {task.fields[dropped]}"),
            TimeElapsedColumn(),
            console=self._console,
        )
        self._task = self._bar.add_task("run", total=None, new=0, changed=0, failed=0, dropped=0)
        self._handler = RichHandler(console=self._console, show_path=False, show_time=False)
        self._replaced: list[logging.Handler] = []
        self._last = 0.0
        self._stats: RunStats | None = None

    def __call__(self, stats: RunStats) -> None:
        self._stats = stats
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            self._show(stats)

    def _show(self, stats: RunStats) -> None:
        self._bar.update(
            self._task,
            total=max(stats.found, 1),
            completed=stats.done,
            new=stats.new,
            changed=stats.changed,
            failed=stats.failed,
            dropped=stats.dropped,
        )

    def __enter__(self) -> Self:
        root = logging.getLogger()
        self._replaced = list(root.handlers)
        for handler in self._replaced:
            root.removeHandler(handler)
        root.addHandler(self._handler)
        self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stats is not None:
            self._show(self._stats)
        self._bar.stop()
        root = logging.getLogger()
        root.removeHandler(self._handler)
        for handler in self._replaced:
            root.addHandler(handler)
